/*
 * test_invalidate.c - nest/invalidate.c and nest/copy.c: H_TLB_INVALIDATE
 * for every RIC/PRS/R/IS/AP combination (return code and effect on two
 * guests' shadow trees and the TLB), RIC=2 deleting a guest whose entry is
 * gone, unknown lpids, H_SET_PARTITION_TABLE(0) dropping everything,
 * H_RPT_INVALIDATE of the nested type, and H_COPY_TOFROM_GUEST through an
 * L2 process table and process-scoped tree.
 */
#include "nest_fake.h"

#define L0_4K_REGION  (20 * MiB)
#define L0_2M_REGION  (16 * MiB)
#define TLBIE_IMAGE   TLBIE_INSN_BASE

typedef struct T {
    Fake *f;
    RadixRoot root[3];
    NestGuest *ng[3]; /* guests 1 and 2 (index 0 unused) */
} T;

/* Shadow pages every guest gets: two 4K, one 2M (page base, shift). */
static const struct {
    uint64_t n_gpa;
    unsigned shift;
} pages[] = { { 0x1000, 12 }, { 0x5000, 12 }, { 0x200000, 21 } };
#define NPAGES 3

static void fault_in_all(T *t)
{
    NestFaultOut out;
    for (int g = 1; g <= 2; g++) {
        for (int i = 0; i < NPAGES; i++) {
            NestFaultIn in = hdsi(pages[i].n_gpa, true);
            assert_int_equal(nest_fault(t->ng[g], &in, &out), NEST_RESUME);
        }
    }
}

static int setup(void **state)
{
    T *t = calloc(1, sizeof(*t));
    long rc;
    t->f = fake_new();
    fake_register_ptab(t->f);
    for (int g = 1; g <= 2; g++) {
        t->root[g] = fake_l1_guest(t->f, g, 0);
        fake_l1_map(t->f, &t->root[g], 0x1000, L0_4K_REGION + 0x1000 * g, 12, L1_ALL);
        fake_l1_map(t->f, &t->root[g], 0x5000, L0_4K_REGION + 0x10000 + 0x1000 * g, 12, L1_ALL);
        fake_l1_map(t->f, &t->root[g], 0x200000, L0_2M_REGION + 8 * MiB * (g - 1), 21, L1_ALL);
        t->ng[g] = nest_guest_get(&t->f->l1, g, true, &rc);
    }
    fault_in_all(t);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    T *t = *state;
    for (int g = 1; g <= 2; g++) {
        if (t->ng[g]) {
            nest_guest_put(t->ng[g]);
        }
    }
    fake_free_all(t->f);
    free(t);
    return 0;
}

static bool present(NestGuest *ng, uint64_t n_gpa)
{
    RadixWalk w;
    nest_walk_shadow(ng, n_gpa, &w);
    return w.status == RADIX_OK;
}

static uint32_t image(unsigned ric, unsigned prs, unsigned r)
{
    return TLBIE_IMAGE | ric << TLBIE_INSN_RIC_SHIFT | (prs ? TLBIE_INSN_PRS : 0) | (r ? TLBIE_INSN_R : 0);
}

static uint64_t rb_of(uint64_t addr, unsigned is, unsigned ap)
{
    return (addr & TLBIE_RB_EPN) | (uint64_t)is << TLBIE_RB_IS_SHIFT | (uint64_t)ap << TLBIE_RB_AP_SHIFT;
}

static long expected_rc(unsigned ric, unsigned prs, unsigned r, unsigned is, unsigned ap)
{
    if (!r || prs || ric == 3 || is == 1 || (is == 0 && ric != 0)) {
        return H_PARAMETER;
    }
    if (is == 0 && ap != 0 && ap != 1 && ap != 2 && ap != 5) {
        return H_PARAMETER;
    }
    return H_SUCCESS;
}

static unsigned ap_shift(unsigned ap)
{
    return ap == 0 ? 12 : ap == 5 ? 16 : ap == 1 ? 21 : 30;
}

static void test_tlb_invalidate_every_combination(void **state)
{
    T *t = *state;
    const uint64_t target = 0x5000; /* EPN of the IS=0 forms */
    unsigned combos = 0, ok = 0;
    for (unsigned ric = 0; ric < 4; ric++)
    for (unsigned prs = 0; prs < 2; prs++)
    for (unsigned r = 0; r < 2; r++)
    for (unsigned is = 0; is < 4; is++)
    for (unsigned ap = 0; ap < 8; ap++) {
        uint64_t flush_lpid = t->f->flush_lpid;
        long want = expected_rc(ric, prs, r, is, ap);
        /* RS: the lpid is the low word; the high word (a PID) is ignored. */
        long rc = nest_tlb_invalidate(&t->f->l1, image(ric, prs, r), 0xABCD00000001ULL, rb_of(target, is, ap));
        assert_int_equal(rc, want);
        combos++;
        for (int g = 1; g <= 2; g++) {
            bool affected = want == H_SUCCESS && (is == 3 || g == 1);
            for (int i = 0; i < NPAGES; i++) {
                bool gone;
                if (!affected) {
                    gone = false;
                } else if (is == 0) {
                    uint64_t lo = target & ~((1ULL << ap_shift(ap)) - 1), hi = lo + (1ULL << ap_shift(ap));
                    gone = pages[i].n_gpa < hi && pages[i].n_gpa + (1ULL << pages[i].shift) > lo;
                } else {
                    gone = ric != TLBIE_RIC_PWC;
                }
                assert_int_equal(present(t->ng[g], pages[i].n_gpa), !gone);
            }
        }
        if (want == H_SUCCESS && is >= 2 && ric != TLBIE_RIC_PWC) {
            assert_int_equal(t->f->flush_lpid - flush_lpid, is == 3 ? 2 : 1);
        }
        if (want == H_SUCCESS) {
            ok++;
        }
        /* The guests survive (their entries are valid); put everything back. */
        assert_int_equal(nest_guest_count(&t->f->l1), 2);
        fault_in_all(t);
    }
    assert_int_equal(combos, 512);
    assert_int_equal(ok, 4 /* IS=0: 4 APs */ + 3 * 2 /* IS=2,3 x RIC 0,1,2 */ * 8 /* AP ignored */);
}

static void test_tlb_invalidate_ric2_deletes_guest_without_entry(void **state)
{
    T *t = *state;
    /* The L1 clears guest 2's entry and flushes it: the guest goes away. */
    l1_st64(t->f, FAKE_PTAB + 2 * PATE_SIZE, 0);
    assert_int_equal(nest_tlb_invalidate(&t->f->l1, image(2, 0, 1), 2, rb_of(0, 2, 0)), H_SUCCESS);
    assert_int_equal(nest_guest_count(&t->f->l1), 1);
    assert_int_equal(t->f->lpids, 2); /* we still hold a reference */
    nest_guest_put(t->ng[2]);
    t->ng[2] = NULL;
    assert_int_equal(t->f->lpids, 1);
    /* IS=3 RIC=2 with guest 1's entry gone too. */
    l1_st64(t->f, FAKE_PTAB + 1 * PATE_SIZE, 0);
    assert_int_equal(nest_tlb_invalidate(&t->f->l1, image(2, 0, 1), 0, rb_of(0, 3, 0)), H_SUCCESS);
    assert_int_equal(nest_guest_count(&t->f->l1), 0);
}

static void test_tlb_invalidate_unknown_lpid_is_noop(void **state)
{
    T *t = *state;
    uint64_t flushes = t->f->flush_lpid + t->f->flush_page;
    assert_int_equal(nest_tlb_invalidate(&t->f->l1, image(0, 0, 1), 3, rb_of(0x1000, 0, 0)), H_SUCCESS);
    assert_int_equal(nest_tlb_invalidate(&t->f->l1, image(2, 0, 1), 77, rb_of(0, 2, 0)), H_SUCCESS);
    assert_int_equal(nest_tlb_invalidate(&t->f->l1, image(0, 0, 1), 0, rb_of(0, 2, 0)), H_SUCCESS);
    assert_int_equal(nest_tlb_invalidate(&t->f->l1, image(0, 0, 1), 99999, rb_of(0, 2, 0)), H_SUCCESS);
    assert_int_equal(t->f->flush_lpid + t->f->flush_page, flushes);
    assert_true(present(t->ng[1], 0x1000));
    /* Decoding: one place knows the fields. */
    NestTlbie d;
    nest_tlbie_decode(image(2, 1, 1), 0xFFFFFFFF00000123ULL, rb_of(0x12345000, 3, 5), &d);
    assert_int_equal(d.ric, 2);
    assert_int_equal(d.prs, 1);
    assert_int_equal(d.r, 1);
    assert_int_equal(d.is, 3);
    assert_int_equal(d.ap, 5);
    assert_int_equal(d.epn_addr, 0x12345000);
    assert_int_equal(d.lpid, 0x123);
}

static void test_tlb_invalidate_flushes_the_tlb_model(void **state)
{
    T *t = *state;
    /* A TLB entry for guest 1's page 0x1000 and guest 2's. */
    t->f->tlb[0] = (FakeTlbEntry){ true, t->ng[1]->shadow_lpid, 0x1000, 0, 0 };
    t->f->tlb[1] = (FakeTlbEntry){ true, t->ng[2]->shadow_lpid, 0x1000, 0, 0 };
    assert_int_equal(nest_tlb_invalidate(&t->f->l1, image(0, 0, 1), 1, rb_of(0x1000, 0, 0)), H_SUCCESS);
    assert_false(t->f->tlb[0].valid);
    assert_true(t->f->tlb[1].valid);
    assert_int_equal(nest_tlb_invalidate(&t->f->l1, image(0, 0, 1), 2, rb_of(0, 2, 0)), H_SUCCESS);
    assert_false(t->f->tlb[1].valid);
}

static void test_set_partition_table_zero_drops_everything(void **state)
{
    T *t = *state;
    assert_true(t->f->l1.rmap.count > 0);
    assert_int_equal(nest_set_partition_table(&t->f->l1, 0), H_SUCCESS);
    assert_int_equal(nest_guest_count(&t->f->l1), 0);
    /* Still referenced (a vCPU may be running them): their trees and rmap entries live on, so
     * that an L0 change still reaches them.  The last reference frees trees, entries, LPIDs. */
    assert_int_equal(t->f->l1.rmap.count, 6);
    nest_invalidate_l1_range(&t->f->l1, L0_4K_REGION + 0x1000, 0x1000);
    assert_false(present(t->ng[1], 0x1000));
    nest_guest_put(t->ng[1]);
    nest_guest_put(t->ng[2]);
    t->ng[1] = t->ng[2] = NULL;
    assert_int_equal(t->f->l1.rmap.count, 0);
    assert_int_equal(t->f->lpids, 0);
    assert_int_equal(t->f->table_blocks, 0);
    long rc;
    assert_null(nest_guest_get(&t->f->l1, 1, true, &rc));
    assert_int_equal(rc, H_NOT_AVAILABLE);
}

static void test_rpt_invalidate_nested(void **state)
{
    T *t = *state;
    Fake *f = t->f;
    const uint64_t tlb = H_RPTI_TYPE_NESTED | H_RPTI_TYPE_TLB;
    /* One 4K page. */
    assert_int_equal(nest_rpt_invalidate(&f->l1, 1, tlb, H_RPTI_PAGE_4K, 0x5000, 0x6000), H_SUCCESS);
    assert_false(present(t->ng[1], 0x5000));
    assert_true(present(t->ng[1], 0x1000));
    /* A range of 2M pages covering the 2M shadow page. */
    assert_int_equal(nest_rpt_invalidate(&f->l1, 1, tlb, H_RPTI_PAGE_2M, 0x200000, 0x400000), H_SUCCESS);
    assert_false(present(t->ng[1], 0x200000));
    assert_true(present(t->ng[1], 0x1000));
    /* No page size Linux knows: H_P4. */
    assert_int_equal(nest_rpt_invalidate(&f->l1, 1, tlb, 0x10, 0x1000, 0x2000), H_P4);
    /* Over 33 pages: the whole lpid. */
    assert_int_equal(nest_rpt_invalidate(&f->l1, 2, tlb, H_RPTI_PAGE_4K, 0, 34 * 0x1000), H_SUCCESS);
    assert_false(present(t->ng[2], 0x200000));
    fault_in_all(t);
    /* Everything (0 .. -1): lpid flush; TLB|PWC|PAT: RIC=2 (re-reads the entry). */
    assert_int_equal(nest_rpt_invalidate(&f->l1, 1, H_RPTI_TYPE_NESTED | H_RPTI_TYPE_PWC, 0, 0, ~0ULL), H_SUCCESS);
    assert_false(present(t->ng[1], 0x1000));
    l1_st64(f, FAKE_PTAB + 2 * PATE_SIZE, 0);
    assert_int_equal(nest_rpt_invalidate(&f->l1, 2, H_RPTI_TYPE_NESTED | H_RPTI_TYPE_NESTED_ALL, H_RPTI_PAGE_ALL,
                                         0, ~0ULL), H_SUCCESS);
    assert_int_equal(nest_guest_count(&f->l1), 1);
    /* A range at the very top of the address space ends (no wrap-around loop). */
    assert_int_equal(nest_rpt_invalidate(&f->l1, 1, tlb, H_RPTI_PAGE_4K, ~0xFFFULL, ~0ULL), H_SUCCESS);
    assert_int_equal(nest_rpt_invalidate(&f->l1, 1, tlb, H_RPTI_PAGE_1G, ~0x3FFFFFFFULL, 0x1000), H_SUCCESS);
    /* Unknown lpid: success. */
    assert_int_equal(nest_rpt_invalidate(&f->l1, 9, tlb, H_RPTI_PAGE_ALL, 0, 0x1000), H_SUCCESS);
}

/* ---- H_COPY_TOFROM_GUEST ------------------------------------------------------------------------------ */

/* The L2's own memory (L2 real addresses), as the L2 OS would build its tables in it. */
static Fake *l2mem_fake;
static NestGuest *l2mem_ng;

static int l2_addr(radix_addr_t n_gpa, uint64_t *l1_gra)
{
    RadixWalk w;
    nest_walk_l1(l2mem_ng, n_gpa, &w);
    if (w.status != RADIX_OK) {
        return -1;
    }
    *l1_gra = w.ra;
    return 0;
}

static int l2mem_read(void *opaque, radix_addr_t a, uint64_t *v)
{
    uint64_t l1;
    (void)opaque;
    if (l2_addr(a, &l1) != 0) {
        return -1;
    }
    *v = l1_ld64(l2mem_fake, l1);
    return 0;
}

static int l2mem_write(void *opaque, radix_addr_t a, uint64_t v)
{
    uint64_t l1;
    (void)opaque;
    if (l2_addr(a, &l1) != 0) {
        return -1;
    }
    l1_st64(l2mem_fake, l1, v);
    return 0;
}

static uint64_t l2_bump = 0x400000; /* the L2's table pages, L2 real */

static int l2mem_alloc(void *opaque, unsigned size, radix_addr_t *out)
{
    (void)opaque;
    l2_bump = (l2_bump + size - 1) & ~((uint64_t)size - 1);
    *out = l2_bump;
    l2_bump += size;
    for (unsigned off = 0; off < size; off += 8) {
        assert_int_equal(l2mem_write(NULL, *out + off, 0), 0);
    }
    return 0;
}

static void l2mem_free(void *opaque, radix_addr_t a, unsigned size)
{
    (void)opaque, (void)a, (void)size;
}

static void test_copy_tofrom_guest(void **state)
{
    T *t = *state;
    Fake *f = t->f;
    NestGuest *ng = t->ng[1];
    /* The L1 gives guest 1 a 2M page of memory at L2 real 0x400000 for the L2's tables and data. */
    fake_l1_map(f, &t->root[1], 0x400000, L0_2M_REGION + 16 * MiB, 21, L1_ALL);
    l2mem_fake = f;
    l2mem_ng = ng;
    RadixMem m2 = { NULL, l2mem_read, l2mem_write, l2mem_alloc, l2mem_free };
    /* Process table (L2 real 0x410000, 4 KiB: 256 PIDs) with PID 0 and PID 5 trees. */
    const uint64_t prtb = 0x410000;
    l2_bump = 0x420000;
    for (unsigned off = 0; off < 0x1000; off += 8) {
        assert_int_equal(l2mem_write(NULL, prtb + off, 0), 0);
    }
    RadixRoot kern, user;
    assert_int_equal(radix_tree_create(&m2, &kern), 0);
    assert_int_equal(radix_tree_create(&m2, &user), 0);
    assert_int_equal(l2mem_write(NULL, prtb + 0 * PRTE_SIZE, radix_root_to_dw0(&kern)), 0);
    assert_int_equal(l2mem_write(NULL, prtb + 5 * PRTE_SIZE, radix_root_to_dw0(&user)), 0);
    const uint64_t flags = RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_RW;
    assert_int_equal(radix_map(&m2, &user, 0x10000000, 0x5F0000, 0x2000, 12, flags), 0); /* 2 pages */
    assert_int_equal(radix_map(&m2, &kern, 0x20000, 0x5E0000, 0x1000, 12, flags), 0);
    /* The L1's partition-table entry for guest 1 points at the process table (RIC=2 refreshes). */
    l1_st64(f, FAKE_PTAB + 1 * PATE_SIZE + 8, PATE1_GR | prtb | 0);
    assert_int_equal(nest_tlb_invalidate(&f->l1, image(2, 0, 1), 1, rb_of(0, 2, 0)), H_SUCCESS);

    /* Store 6000 bytes across the two pages of PID 5 from L1 0x300000, load them back to 0x310000. */
    uint8_t src[6000], dst[6000];
    for (unsigned i = 0; i < sizeof src; i++) {
        src[i] = (uint8_t)(i * 7 + 3);
    }
    assert_int_equal(fake_write_l1(f, 0x300000, src, sizeof src), 0);
    assert_int_equal(nest_copy_tofrom_guest(&f->l1, 1, 5, 0x10000100, 0, 0x300000, 6000), H_SUCCESS);
    assert_int_equal(nest_copy_tofrom_guest(&f->l1, 1, 5, 0x10000100, 0x310000, 0, 6000), H_SUCCESS);
    assert_int_equal(fake_read_l1(f, 0x310000, dst, sizeof dst), 0);
    assert_memory_equal(src, dst, sizeof src);
    /* The bytes are where the L2 sees them: L2 real 0x5F0100 (L1 page base + 0x1F0100). */
    uint8_t b[4];
    assert_int_equal(fake_read_l1(f, L0_2M_REGION + 16 * MiB + 0x1F0100, b, 4), 0);
    assert_memory_equal(b, src, 4);
    /* PID 0 (the kernel's tree). */
    assert_int_equal(nest_copy_tofrom_guest(&f->l1, 1, 0, 0x20010, 0, 0x300000, 16), H_SUCCESS);
    assert_int_equal(fake_read_l1(f, L0_2M_REGION + 16 * MiB + 0x1E0010, b, 4), 0);
    assert_memory_equal(b, src, 4);
    /* Errors. */
    assert_int_equal(nest_copy_tofrom_guest(&f->l1, 1, 5, 0x10000000, 0x310000, 0x300000, 8), H_PARAMETER);
    assert_int_equal(nest_copy_tofrom_guest(&f->l1, 1, 5, 0xC000000010000000ULL, 0x310000, 0, 8), H_PARAMETER);
    assert_int_equal(nest_copy_tofrom_guest(&f->l1, 1, 5, 0x0010000000000000ULL, 0x310000, 0, 8), H_PARAMETER);
    assert_int_equal(nest_copy_tofrom_guest(&f->l1, 7, 5, 0x10000000, 0x310000, 0, 8), H_PARAMETER);
    assert_int_equal(nest_copy_tofrom_guest(&f->l1, 1, 5, 0x10002000, 0x310000, 0, 8), H_NOT_FOUND);
    assert_int_equal(nest_copy_tofrom_guest(&f->l1, 1, 6, 0x10000000, 0x310000, 0, 8), H_NOT_FOUND);
    assert_int_equal(nest_copy_tofrom_guest(&f->l1, 1, 256, 0x10000000, 0x310000, 0, 8), H_NOT_FOUND);
    assert_int_equal(nest_copy_tofrom_guest(&f->l1, 1, 5, 0x10001FFC, 0x310000, 0, 8), H_NOT_FOUND);
    assert_int_equal(nest_copy_tofrom_guest(&f->l1, 1, 5, 0x10000000, 5 * GiB, 0, 8), H_NOT_FOUND);
    assert_int_equal(nest_copy_tofrom_guest(&f->l1, 1, 5, 0x10000000, 0x310000, 0, ~0ULL), H_NO_MEM);
}

int main(void)
{
#define T_(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_tlb_invalidate_every_combination),
        T_(test_tlb_invalidate_ric2_deletes_guest_without_entry),
        T_(test_tlb_invalidate_unknown_lpid_is_noop),
        T_(test_tlb_invalidate_flushes_the_tlb_model),
        T_(test_set_partition_table_zero_drops_everything),
        T_(test_rpt_invalidate_nested),
        T_(test_copy_tofrom_guest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
