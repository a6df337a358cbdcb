/*
 * test_guest.c - nest/guest.c and nest/enter.c: H_SET_PARTITION_TABLE
 * checks, guest lookup/creation (lpid bounds, the creation race of two
 * vCPUs, reference counting, release of everything a guest owned), every
 * lpid of a full partition table at several L1s with shadow LPIDs beyond
 * 12 bits, the cached partition-table entry, and every H_ENTER_NESTED
 * return code through nest_enter_begin()/nest_enter_end() on fake L1 memory.
 */
#include "nest_fake.h"

static int setup(void **state)
{
    *state = fake_new();
    return 0;
}

static int teardown(void **state)
{
    fake_free_all(*state);
    return 0;
}

/* ---- H_SET_PARTITION_TABLE ---------------------------------------------------------------- */

static void test_set_ptcr_checks(void **state)
{
    Fake *f = *state;
    long rc;
    assert_int_equal(nest_set_partition_table(&f->l1, FAKE_PTAB | 5), H_PARAMETER); /* 8192 guests */
    assert_int_equal(nest_set_partition_table(&f->l1, FAKE_L1_RAM | 0), H_PARAMETER); /* outside L1 RAM */
    assert_int_equal(nest_set_partition_table(&f->l1, 0), H_SUCCESS);
    assert_null(nest_guest_get(&f->l1, 1, true, &rc));
    assert_int_equal(rc, H_NOT_AVAILABLE);
    assert_int_equal(nest_set_partition_table(&f->l1, FAKE_PTAB | 0), H_SUCCESS); /* 256 entries */
    assert_null(nest_guest_get(&f->l1, 256, true, &rc));
    assert_int_equal(rc, H_PARAMETER);
    NestGuest *ng = nest_guest_get(&f->l1, 255, true, &rc);
    assert_non_null(ng);
    nest_guest_put(ng);
    assert_null(nest_guest_get(&f->l1, 0, true, &rc)); /* the L1's own lpid */
    assert_int_equal(rc, H_PARAMETER);
}

static void test_set_ptcr_change_drops_guests_same_keeps(void **state)
{
    Fake *f = *state;
    long rc;
    fake_register_ptab(f);
    for (uint32_t lpid = 1; lpid <= 3; lpid++) {
        nest_guest_put(nest_guest_get(&f->l1, lpid, true, &rc));
    }
    assert_int_equal(nest_guest_count(&f->l1), 3);
    fake_register_ptab(f); /* the same value again */
    assert_int_equal(nest_guest_count(&f->l1), 3);
    assert_int_equal(f->lpids, 3);
    assert_int_equal(nest_set_partition_table(&f->l1, 0), H_SUCCESS);
    assert_int_equal(nest_guest_count(&f->l1), 0);
    assert_int_equal(f->lpids, 0);
    assert_int_equal(f->table_blocks, 0);
    fake_register_ptab(f);
    nest_guest_put(nest_guest_get(&f->l1, 9, true, &rc));
    assert_int_equal(nest_set_partition_table(&f->l1, (FAKE_PTAB + 0x10000) | 0), H_SUCCESS); /* moved */
    assert_int_equal(nest_guest_count(&f->l1), 0);
}

/* ---- lookup, creation, references ------------------------------------------------------------- */

static void test_guest_get_create_and_refcount(void **state)
{
    Fake *f = *state;
    long rc;
    fake_register_ptab(f);
    assert_null(nest_guest_get(&f->l1, 7, false, &rc));
    assert_int_equal(rc, H_SUCCESS);
    NestGuest *a = nest_guest_get(&f->l1, 7, true, &rc);
    assert_non_null(a);
    assert_int_equal(a->l1_lpid, 7);
    assert_true(a->shadow_lpid >= FAKE_SHADOW_LPID_BASE);
    assert_int_equal(a->refcnt, 2); /* table + us */
    NestGuest *b = nest_guest_get(&f->l1, 7, false, &rc);
    assert_ptr_equal(a, b);
    assert_int_equal(a->refcnt, 3);
    nest_guest_put(b);
    /* Removed while referenced: still usable until the last put. */
    nest_guest_remove(a);
    assert_int_equal(nest_guest_count(&f->l1), 0);
    assert_int_equal(f->lpids, 1);
    nest_guest_remove(a); /* a second remover finds it gone */
    assert_int_equal(a->refcnt, 1);
    nest_guest_put(a);
    assert_int_equal(f->lpids, 0);
    assert_int_equal(f->objs, 1); /* only the table array is left */
}

static void test_guest_create_failures(void **state)
{
    Fake *f = *state;
    long rc;
    fake_register_ptab(f);
    f->fail_lpid = true;
    assert_null(nest_guest_get(&f->l1, 1, true, &rc));
    assert_int_equal(rc, H_NO_MEM);
    f->fail_lpid = false;
    f->fail_alloc_table = true;
    assert_null(nest_guest_get(&f->l1, 1, true, &rc));
    assert_int_equal(rc, H_NO_MEM);
    f->fail_alloc_table = false;
    f->fail_alloc_after = 0;
    assert_null(nest_guest_get(&f->l1, 1, true, &rc));
    assert_int_equal(rc, H_NO_MEM);
    f->fail_alloc_after = -1;
    assert_int_equal(f->lpids, 0);
    assert_int_equal(f->table_blocks, 0);
}

/* The creation race (seed 002): the other vCPU publishes between our two steps. */
static NestGuest *raced_guest;
static int race_armed;

static void race_hook(Fake *f, NestLock *l)
{
    if (l->kind != NEST_LOCK_MMU || race_armed == 0) {
        return;
    }
    /* Our step 1 took the lock once; at step 2's lock the other vCPU runs first. */
    if (--race_armed == 0) {
        long rc;
        f->lock_hook = NULL;
        raced_guest = nest_guest_get(&f->l1, 42, true, &rc);
        assert_non_null(raced_guest);
        f->lock_hook = race_hook;
    }
}

static void test_guest_create_race_someone_else_beat_us(void **state)
{
    Fake *f = *state;
    long rc;
    fake_register_ptab(f);
    f->lock_hook = race_hook;
    race_armed = 2;
    NestGuest *ng = nest_guest_get(&f->l1, 42, true, &rc);
    f->lock_hook = NULL;
    assert_non_null(ng);
    assert_ptr_equal(ng, raced_guest);   /* both vCPUs use the same guest */
    assert_int_equal(ng->refcnt, 3);     /* table + two vCPUs */
    assert_int_equal(f->l1.stats.create_races, 1);
    assert_int_equal(f->l1.stats.guests_created, 1);
    assert_int_equal(f->l1.stats.guests_dropped, 0);
    assert_int_equal(f->lpids, 1);       /* the loser's LPID and tree were released */
    nest_guest_put(ng);
    nest_guest_put(raced_guest);
    assert_int_equal(nest_guest_count(&f->l1), 1);
}

/* Every lpid a full table allows, at three L1s, each guest its own shadow LPID (> 12 bits). */
static void test_guest_4095_lpids_at_three_l1s(void **state)
{
    Fake *f = *state;
    NestL1 more[2];
    NestL1 *l1s[3] = { &f->l1, &more[0], &more[1] };
    long rc;
    nest_l1_init(&more[0], &fake_ops, f);
    nest_l1_init(&more[1], &fake_ops, f);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(nest_set_partition_table(l1s[i], FAKE_PTAB | FAKE_PATS), H_SUCCESS);
    }
    uint32_t count = 0;
    for (int i = 0; i < 3; i++) {
        uint32_t step = i == 0 ? 1 : 97; /* all of them at the first L1 */
        for (uint32_t lpid = 1; lpid < 4096; lpid += step) {
            NestGuest *ng = nest_guest_get(l1s[i], lpid, true, &rc);
            assert_non_null(ng);
            assert_int_equal(ng->l1_lpid, lpid);
            nest_guest_put(ng);
            count++;
        }
        NestGuest *last = nest_guest_get(l1s[i], 4095, true, &rc);
        assert_non_null(last);
        nest_guest_put(last);
    }
    assert_int_equal(nest_guest_count(&f->l1), 4095);
    assert_true(f->next_lpid - FAKE_SHADOW_LPID_BASE >= 4095 + 2 * 42);
    assert_true(f->next_lpid > 4096);
    assert_null(nest_guest_get(&f->l1, 4096, true, &rc));
    assert_int_equal(rc, H_PARAMETER);
    nest_l1_destroy(&more[0]);
    nest_l1_destroy(&more[1]);
    nest_drop_all(&f->l1);
    assert_int_equal(f->lpids, 0);
    assert_int_equal(f->table_blocks, 0);
}

/* ---- the cached partition-table entry ------------------------------------------------------------ */

static void test_guest_pate_cache_and_shadow_pate(void **state)
{
    Fake *f = *state;
    long rc;
    fake_register_ptab(f);
    RadixRoot r = fake_l1_guest(f, 3, PATE1_GR | 0x80000 | 4);
    NestGuest *ng = nest_guest_get(&f->l1, 3, true, &rc);
    nest_lock(&f->l1, &ng->tlb_lock);
    nest_guest_update_pate_locked(ng);
    nest_unlock(&f->l1, &ng->tlb_lock);
    assert_true(ng->pate_valid);
    assert_int_equal(ng->l1_pate0, PATE0_HR | radix_root_to_dw0(&r));
    assert_int_equal(ng->l1_pate1, PATE1_GR | 0x80000 | 4);
    /* L0's entry for the shadow LPID: the shadow tree and the L2's process table. */
    uint32_t i = ng->shadow_lpid - FAKE_SHADOW_LPID_BASE;
    assert_int_equal(f->pate_dw0[i], PATE0_HR | radix_root_to_dw0(&ng->shadow_root));
    assert_int_equal(f->pate_dw1[i], PATE1_GR | 0x80000 | 4);
    /* Unreadable entry: as if empty. */
    f->unreadable_lo = FAKE_PTAB + 3 * PATE_SIZE;
    f->unreadable_hi = f->unreadable_lo + 1;
    nest_lock(&f->l1, &ng->tlb_lock);
    nest_guest_update_pate_locked(ng);
    nest_unlock(&f->l1, &ng->tlb_lock);
    assert_false(ng->pate_valid);
    f->unreadable_hi = 0;
    nest_guest_put(ng);
}

/* ---- H_ENTER_NESTED ---------------------------------------------------------------------------- */

#define HV_PTR   0x200000ULL
#define REGS_PTR 0x201000ULL

static void put_l1(Fake *f, uint64_t a, const void *buf, size_t n)
{
    assert_int_equal(fake_write_l1(f, a, buf, n), 0);
}

static NestL1Ctx l1ctx(bool be)
{
    return (NestL1Ctx){ .big_endian = be, .l1_msr = MSR_SF | (be ? 0 : MSR_LE), .l1_lpcr = LPCR_AIL,
                        .l1_tb_offset = 1000, .l1_hfscr_permitted = 0xFF,
                        .max_vcpu_token = NEST_DEFAULT_MAX_VCPU_TOKEN };
}

/* Write an hv_guest_state and pt_regs into L1 memory. */
static void write_state(Fake *f, NestHvgs *h, NestPtRegs *r, bool be)
{
    uint8_t hb[HVGS_SIZE_MAX] = { 0 }, rb[PTREGS_SIZE];
    uint64_t version = h->version;
    if (nest_hvgs_size(version) == 0) {
        h->version = 2; /* encode a valid layout, then patch the version */
    }
    nest_hvgs_encode(h, be, hb);
    for (int i = 0; i < 8; i++) {
        hb[i] = (uint8_t)(version >> (be ? 8 * (7 - i) : 8 * i));
    }
    h->version = version;
    nest_ptregs_encode(r, be, rb);
    put_l1(f, HV_PTR, hb, sizeof hb);
    put_l1(f, REGS_PTR, rb, sizeof rb);
}

static long enter(Fake *f, NestHvgs h, NestPtRegs r, NestL1Ctx c, NestEnter *e)
{
    write_state(f, &h, &r, c.big_endian);
    return nest_enter_begin(&f->l1, &c, HV_PTR, REGS_PTR, e);
}

static void test_enter_every_error_code(void **state)
{
    Fake *f = *state;
    NestEnter e;
    NestHvgs h = { .version = 2, .lpid = 1, .vcpu_token = 0 };
    NestPtRegs r = { .msr = MSR_SF | MSR_LE };
    NestL1Ctx c = l1ctx(false);

    assert_int_equal(enter(f, h, r, c, &e), H_NOT_AVAILABLE); /* no partition table */
    fake_register_ptab(f);
    c.l1_msr |= MSR_TS_TRANSACTIONAL;
    assert_int_equal(enter(f, h, r, c, &e), H_BAD_MODE);
    c = l1ctx(false);
    assert_int_equal(nest_enter_begin(&f->l1, &c, FAKE_L1_RAM - 4, REGS_PTR, &e), H_PARAMETER); /* unreadable */
    f->unreadable_lo = HV_PTR + 240; /* version 2 needs 248 bytes */
    f->unreadable_hi = HV_PTR + 241;
    assert_int_equal(enter(f, h, r, c, &e), H_PARAMETER);
    h.version = 1; /* ... version 1 only 232 */
    assert_int_equal(enter(f, h, r, c, &e), H_SUCCESS);
    nest_enter_end(&f->l1, &e, &(NestExit){ .vector = EXCP_HDECR });
    h.version = 2;
    f->unreadable_lo = REGS_PTR + 344;
    f->unreadable_hi = REGS_PTR + 345;
    assert_int_equal(enter(f, h, r, c, &e), H_PARAMETER); /* pt_regs unreadable */
    f->unreadable_hi = 0;
    h.version = 0;
    assert_int_equal(enter(f, h, r, c, &e), H_PARAMETER);
    h.version = 3;
    assert_int_equal(enter(f, h, r, c, &e), H_P2);
    h.version = 2;
    h.vcpu_token = NEST_DEFAULT_MAX_VCPU_TOKEN;
    assert_int_equal(enter(f, h, r, c, &e), H_PARAMETER);
    h.vcpu_token = 1;
    r.msr |= MSR_TS_SUSPENDED;
    assert_int_equal(enter(f, h, r, c, &e), H_BAD_MODE);
    r.msr = MSR_SF | MSR_LE;
    h.lpid = 0;
    assert_int_equal(enter(f, h, r, c, &e), H_PARAMETER);
    h.lpid = 4096;
    assert_int_equal(enter(f, h, r, c, &e), H_PARAMETER);
    h.lpid = 4095;
    f->fail_lpid = true;
    assert_int_equal(enter(f, h, r, c, &e), H_NO_MEM);
    f->fail_lpid = false;
    assert_int_equal(nest_guest_count(&f->l1), 1); /* only the version-1 entry made one */
}

static void check_enter_roundtrip(Fake *f, bool be)
{
    NestEnter e;
    RadixRoot root = fake_l1_guest(f, 5, PATE1_GR | 0x40000);
    /* A new entry: the L1 flushes the partition-table cache (tlbie RIC=2 IS=2 lpid 5). */
    assert_int_equal(nest_tlb_invalidate(&f->l1, TLBIE_RIC_ALL << TLBIE_INSN_RIC_SHIFT | TLBIE_INSN_R, 5,
                                         (uint64_t)TLBIE_IS_LPID << TLBIE_RB_IS_SHIFT),
                     H_SUCCESS);
    NestHvgs h = { .version = 2, .lpid = 5, .vcpu_token = 3, .lpcr = LPCR_ILE | LPCR_LPES, .hfscr = 0x1FF,
                   .tb_offset = 50, .hdec_expiry = 10000, .dawrx1 = DAWRX_HYP | 1, .ppr = 0x1234 };
    NestPtRegs r = { .nip = 0x4000, .msr = MSR_SF | MSR_HV | (be ? 0 : MSR_LE), .trap = 0x700 };
    r.gpr[4] = 0xFEEDFACE;
    NestL1Ctx c = l1ctx(be);
    assert_int_equal(enter(f, h, r, c, &e), H_SUCCESS);
    assert_non_null(e.ng);
    assert_int_equal(e.l2.lpid, e.ng->shadow_lpid);
    assert_true(e.ng->pate_valid);
    assert_int_equal(e.ng->l1_pate0, PATE0_HR | radix_root_to_dw0(&root));
    assert_int_equal(e.l2.gpr[4], 0xFEEDFACE);
    assert_int_equal(e.l2.msr, MSR_SF | MSR_ME | (be ? 0 : MSR_LE));
    assert_int_equal(e.l2.lpcr, nest_l2_lpcr(LPCR_AIL, LPCR_ILE | LPCR_LPES));
    assert_int_equal(e.l2.hfscr, 0xFF); /* bit 8 is not the L1's to grant */
    assert_int_equal(e.l2.tb_offset, 1050);
    assert_int_equal(e.l2.hdec_expiry, 9000);
    assert_int_equal(e.l2.dawrx1, 1);
    /* The L2 ran: an HDSI ends it. */
    e.l2.nip = 0x4008;
    e.l2.gpr[4] = 0x1234;
    e.l2.ppr = 0x5678;
    NestExit x = { .vector = EXCP_HDSI, .hdar = 0xC000000000001000ULL, .hdsisr = DSISR_NOPTE, .asdr = 0x1000 };
    assert_int_equal(nest_enter_end(&f->l1, &e, &x), H_SUCCESS);
    assert_null(e.ng);
    /* Read back what the L1 sees, in its byte order. */
    uint8_t hb[HVGS_SIZE_MAX], rb[PTREGS_SIZE];
    NestHvgs hout;
    NestPtRegs rout;
    assert_int_equal(fake_read_l1(f, HV_PTR, hb, sizeof hb), 0);
    assert_int_equal(fake_read_l1(f, REGS_PTR, rb, sizeof rb), 0);
    assert_int_equal(nest_hvgs_decode(hb, sizeof hb, be, &hout), H_SUCCESS);
    nest_ptregs_decode(rb, be, &rout);
    assert_int_equal(hout.hdar, 0xC000000000001000ULL);
    assert_int_equal(hout.hdsisr, DSISR_NOPTE);
    assert_int_equal(hout.asdr, 0x1000);
    assert_int_equal(hout.ppr, 0x5678);
    assert_int_equal(hout.lpcr, LPCR_ILE | LPCR_LPES); /* as given */
    assert_int_equal(rout.nip, 0x4008);
    assert_int_equal(rout.gpr[4], 0x1234);
    assert_int_equal(rout.trap, 0x700);
}

static void test_enter_roundtrip_little_and_big_endian_l1(void **state)
{
    Fake *f = *state;
    fake_register_ptab(f);
    check_enter_roundtrip(f, false);
    check_enter_roundtrip(f, true);
    long rc;
    NestGuest *ng = nest_guest_get(&f->l1, 5, false, &rc);
    assert_int_equal(ng->stats.entries, 2);
    assert_int_equal(ng->stats.exits[NEST_EXIT_HDSI], 2);
    nest_guest_put(ng);
}

static void test_enter_end_unwritable_is_h_authority(void **state)
{
    Fake *f = *state;
    NestEnter e;
    fake_register_ptab(f);
    NestHvgs h = { .version = 1, .lpid = 2 };
    NestPtRegs r = { .msr = MSR_SF | MSR_LE };
    assert_int_equal(enter(f, h, r, l1ctx(false), &e), H_SUCCESS);
    f->unwritable_lo = REGS_PTR;
    f->unwritable_hi = REGS_PTR + 8;
    assert_int_equal(nest_enter_end(&f->l1, &e, &(NestExit){ .vector = EXCP_SYSCALL }), H_AUTHORITY);
    f->unwritable_hi = 0;
    long rc;
    NestGuest *ng = nest_guest_get(&f->l1, 2, false, &rc);
    assert_int_equal(ng->refcnt, 2); /* the entry's reference was dropped anyway */
    nest_guest_put(ng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_set_ptcr_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_ptcr_change_drops_guests_same_keeps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_get_create_and_refcount, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_create_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_create_race_someone_else_beat_us, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_4095_lpids_at_three_l1s, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_pate_cache_and_shadow_pate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enter_every_error_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enter_roundtrip_little_and_big_endian_l1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enter_end_unwritable_is_h_authority, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
