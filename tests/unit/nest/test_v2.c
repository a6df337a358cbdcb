/*
 * test_v2.c - nest/v2.c (the PAPR nested API state rules L0 applies) and
 * nest's direct guest tables (v2 guests): capability negotiation, value
 * checks beyond the table masks, a round trip of every thread element
 * through the store, the L2 state a run loads, the store-back and the
 * output buffer of each exit type, the partition-table entry of elements
 * 0x0005/0x0006, and a direct table's guests (shadow faults through the
 * entry hv/ sets, RIC=2 flushes that do not delete, invalidation reaching
 * a linked table, nothing leaked).
 */
#include "nest_fake.h"

#include "gsb/gsb.h"
#include "nest/v2.h"
#include "ppc/excp.h"
#include "ppc/hfscr.h"
#include "ppc/hvgs.h"

#define PVR_P9  0x004e1200u
#define PVR_P10 0x00800200u

/* ---- capabilities ------------------------------------------------------------------------ */

static void test_caps(void **state)
{
    (void)state;
    uint64_t r4 = 0, r5 = 0;
    assert_int_equal(nest_v2_caps_supported(PVR_P9), H_GUEST_CAP_POWER9);
    assert_int_equal(nest_v2_caps_supported(PVR_P10), H_GUEST_CAP_POWER9 | H_GUEST_CAP_POWER10);
    uint64_t p9 = nest_v2_caps_supported(PVR_P9), p10 = nest_v2_caps_supported(PVR_P10);
    assert_int_equal(nest_v2_caps_check(p9, H_GUEST_CAP_POWER9, &r4, &r5), H_SUCCESS);
    assert_int_equal(nest_v2_caps_check(p10, H_GUEST_CAP_POWER9 | H_GUEST_CAP_POWER10, &r4, &r5), H_SUCCESS);
    /* empty: one invalid bitmap, r5 = the newest mode offered (QEMU 10) */
    assert_int_equal(nest_v2_caps_check(p9, 0, &r4, &r5), H_P2);
    assert_int_equal(r4, 1);
    assert_int_equal(r5, 1);
    assert_int_equal(nest_v2_caps_check(p10, 0, &r4, &r5), H_P2);
    assert_int_equal(r5, 2);
    /* unsupported bits: r5 = the IBM bit number of the lowest */
    assert_int_equal(nest_v2_caps_check(p9, H_GUEST_CAP_COPY_MEM, &r4, &r5), H_P2);
    assert_int_equal(r5, 0);
    assert_int_equal(nest_v2_caps_check(p9, H_GUEST_CAP_POWER9 | H_GUEST_CAP_POWER10, &r4, &r5), H_P2);
    assert_int_equal(r5, 2);
    assert_int_equal(nest_v2_caps_check(p10, H_GUEST_CAP_POWER9 | H_GUEST_CAP_BITMAP2, &r4, &r5), H_P2);
    assert_int_equal(r5, 63);
    assert_int_equal(nest_v2_caps_logical_pvr(H_GUEST_CAP_POWER9), 0x0F000005u);
    assert_int_equal(nest_v2_caps_logical_pvr(H_GUEST_CAP_POWER9 | H_GUEST_CAP_POWER10), 0x0F000006u);
}

/* ---- value checks ------------------------------------------------------------------------- */

static GsbErr check_one(uint16_t id, const void *val_struct, int kind)
{
    uint8_t mem[64];
    GsbBuf b;
    GsbView v;
    GsbElem e;
    gsb_init(&b, mem, sizeof mem);
    if (kind == 0)
        gsb_put_part_table(&b, id, val_struct);
    else if (kind == 1)
        gsb_put_region(&b, id, val_struct);
    else
        gsb_put_u32(&b, id, *(const uint32_t *)val_struct);
    assert_int_equal(gsb_parse(mem, gsb_len(&b), &v, NULL), GSB_OK);
    assert_true(gsb_find(&v, id, &e));
    return nest_v2_check_value(&e);
}

static void test_check_values(void **state)
{
    (void)state;
    GsbPartTable ok = { 0x100000, 52, 0x10000 }, zero = { 0, 0, 0 };
    GsbPartTable ea48 = { 0x100000, 48, 0x10000 }, odd = { 0x100000, 52, 1000 }, misaligned = { 0x101000, 52, 0x10000 };
    GsbPartTable small = { 0x100000, 52, 128 };
    assert_int_equal(check_one(GSB_ID_PARTITION_TABLE, &ok, 0), GSB_OK);
    assert_int_equal(check_one(GSB_ID_PARTITION_TABLE, &zero, 0), GSB_OK);
    assert_int_equal(check_one(GSB_ID_PARTITION_TABLE, &ea48, 0), GSB_ERR_VALUE);
    assert_int_equal(check_one(GSB_ID_PARTITION_TABLE, &odd, 0), GSB_ERR_VALUE);
    assert_int_equal(check_one(GSB_ID_PARTITION_TABLE, &misaligned, 0), GSB_ERR_VALUE);
    assert_int_equal(check_one(GSB_ID_PARTITION_TABLE, &small, 0), GSB_ERR_VALUE);
    GsbRegion prt = { 0x200000, 4096 }, prt_small = { 0x200000, 2048 }, prt_odd = { 0x200000, 4097 };
    assert_int_equal(check_one(GSB_ID_PROCESS_TABLE, &prt, 1), GSB_OK);
    assert_int_equal(check_one(GSB_ID_PROCESS_TABLE, &prt_small, 1), GSB_ERR_VALUE);
    assert_int_equal(check_one(GSB_ID_PROCESS_TABLE, &prt_odd, 1), GSB_ERR_VALUE);
    GsbRegion buf = { 0x300000, 1024 }, big = { 0x300000, H_GUEST_STATE_BUF_MAX + 1 }, wrap = { ~0ULL - 10, 64 };
    assert_int_equal(check_one(GSB_ID_RUN_INPUT, &buf, 1), GSB_OK);
    assert_int_equal(check_one(GSB_ID_RUN_OUTPUT, &big, 1), GSB_ERR_VALUE);
    assert_int_equal(check_one(GSB_ID_RUN_INPUT, &wrap, 1), GSB_ERR_VALUE);
    uint32_t pvr_ok = 0x0F000005u, pvr_bad = 0x004e1200u;
    assert_int_equal(check_one(GSB_ID_LOGICAL_PVR, &pvr_ok, 2), GSB_OK);
    assert_int_equal(check_one(GSB_ID_LOGICAL_PVR, &pvr_bad, 2), GSB_ERR_VALUE);

    /* check_values reports the first bad element's index */
    uint8_t mem[128];
    GsbBuf b;
    GsbView v;
    GsbResult r;
    gsb_init(&b, mem, sizeof mem);
    gsb_put_u64(&b, GSB_ID_TB_OFFSET, 5);
    gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, &ok);
    gsb_put_region(&b, GSB_ID_PROCESS_TABLE, &prt_small);
    assert_int_equal(gsb_validate(mem, gsb_len(&b), GSB_OP_SET_GUEST, &v, &r), GSB_OK);
    assert_int_equal(nest_v2_check_values(&v, &r), GSB_ERR_VALUE);
    assert_int_equal(r.index, 2);
    assert_int_equal(r.id, GSB_ID_PROCESS_TABLE);
}

/* ---- the thread store ------------------------------------------------------------------------ */

/* A distinct value for element row idx (within its size). */
static GsbU128 value_for(unsigned idx, uint32_t size)
{
    uint64_t v = 0x0101010101010101ULL * (idx & 0x7f) ^ ((uint64_t)idx << 40);
    GsbU128 u = { v ^ 0xA5A5A5A5A5A5A5A5ULL, v };
    if (size == 4)
        u.lo &= 0xFFFFFFFFu;
    return u;
}

static void test_every_thread_element_round_trips(void **state)
{
    (void)state;
    static uint8_t set[16384], get[16384];
    static NestV2Vcpu st;
    GsbBuf bs, bg;
    nest_v2_vcpu_init(&st);
    gsb_init(&bs, set, sizeof set);
    gsb_init(&bg, get, sizeof get);
    unsigned n = 0;
    for (unsigned idx = 0; idx < GSB_IDX_COUNT; idx++) {
        const GsbElemInfo *info = gsb_elem_info_at(idx);
        if (info->id == GSB_ID_NOP || !(info->scope & GSB_SCOPE_THREAD) || info->access != GSB_ACC_RW)
            continue;
        GsbU128 u = value_for(idx, info->size);
        if (info->id == GSB_ID_MSR)
            u.lo &= GSB_MASK_MSR;
        if (info->id == GSB_ID_LPCR)
            u.lo &= GSB_MASK_LPCR;
        if (info->id == GSB_ID_RUN_INPUT || info->id == GSB_ID_RUN_OUTPUT)
            u = (GsbU128){ 0x10000 + idx, 1024 };
        if (info->size == 4)
            assert_int_equal(gsb_put_u32(&bs, info->id, (uint32_t)u.lo), GSB_OK);
        else if (info->size == 8)
            assert_int_equal(gsb_put_u64(&bs, info->id, u.lo), GSB_OK);
        else if (info->id == GSB_ID_RUN_INPUT || info->id == GSB_ID_RUN_OUTPUT)
            assert_int_equal(gsb_put_region(&bs, info->id, &(GsbRegion){ u.hi, u.lo }), GSB_OK);
        else
            assert_int_equal(gsb_put_u128(&bs, info->id, u), GSB_OK);
        uint8_t zero[16] = { 0 };
        assert_int_equal(gsb_put(&bg, info->id, zero, (uint16_t)info->size), GSB_OK);
        n++;
    }
    assert_true(n > 150); /* GPRs, SPRs, VSRs: the whole table */
    GsbView vs, vg;
    GsbResult r;
    assert_int_equal(gsb_validate(set, gsb_len(&bs), GSB_OP_SET_THREAD, &vs, &r), GSB_OK);
    assert_int_equal(nest_v2_check_values(&vs, &r), GSB_OK);
    GsbIter it;
    GsbElem e;
    for (gsb_iter_init(&it, &vs); gsb_iter_next(&it, &e);)
        nest_v2_thread_set(&st, &e);
    assert_int_equal(gsb_validate(get, gsb_len(&bg), GSB_OP_GET_THREAD, &vg, &r), GSB_OK);
    for (gsb_iter_init(&it, &vg); gsb_iter_next(&it, &e);)
        nest_v2_thread_get(&st, get, gsb_len(&bg), &e);
    /* The GET buffer now holds exactly what the SET carried. */
    assert_int_equal(gsb_len(&bg), gsb_len(&bs));
    assert_memory_equal(get, set, gsb_len(&bs));
}

static void test_guest_wide(void **state)
{
    (void)state;
    NestV2Guest g = { 0 };
    uint8_t mem[256];
    GsbBuf b;
    GsbView v;
    GsbResult r;
    GsbPartTable pt = { 0x100000, 52, 0x10000 };
    GsbRegion prt = { 0x200000, 0x1000 };
    gsb_init(&b, mem, sizeof mem);
    gsb_put_u32(&b, GSB_ID_LOGICAL_PVR, 0x0F000005u);
    gsb_put_u64(&b, GSB_ID_TB_OFFSET, (uint64_t)-1000);
    gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, &pt);
    gsb_put_region(&b, GSB_ID_PROCESS_TABLE, &prt);
    assert_int_equal(gsb_validate(mem, gsb_len(&b), GSB_OP_SET_GUEST, &v, &r), GSB_OK);
    GsbIter it;
    GsbElem e;
    for (gsb_iter_init(&it, &v); gsb_iter_next(&it, &e);)
        nest_v2_guest_set(&g, &e);
    assert_int_equal(g.tb_offset, -1000);
    assert_int_equal(g.part.addr, 0x100000);
    /* GET: the same four plus the two L0 sizes */
    gsb_init(&b, mem, sizeof mem);
    gsb_put_u64(&b, GSB_ID_HOST_STATE_SIZE, 0);
    gsb_put_u64(&b, GSB_ID_RUN_OUTPUT_MIN_SIZE, 0);
    gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, &(GsbPartTable){ 0, 0, 0 });
    assert_int_equal(gsb_validate(mem, gsb_len(&b), GSB_OP_GET_GUEST, &v, &r), GSB_OK);
    for (gsb_iter_init(&it, &v); gsb_iter_next(&it, &e);)
        nest_v2_guest_get(&g, mem, gsb_len(&b), &e);
    uint64_t x;
    assert_true(gsb_find_u64(&v, GSB_ID_HOST_STATE_SIZE, &x));
    assert_int_equal(x, sizeof(NestV2Vcpu));
    assert_true(gsb_find_u64(&v, GSB_ID_RUN_OUTPUT_MIN_SIZE, &x));
    assert_int_equal(x, H_GUEST_RUN_OUTPUT_MIN_SIZE);
    assert_true(gsb_find(&v, GSB_ID_PARTITION_TABLE, &e));
    GsbPartTable back;
    assert_true(gsb_elem_part_table(&e, &back));
    assert_memory_equal(&back, &pt, sizeof pt);

    /* the partition-table entry the L1's table would hold */
    uint64_t dw0, dw1;
    assert_true(nest_v2_pate(&g, &dw0, &dw1));
    RadixRoot root;
    radix_root_from_dw0(dw0, &root);
    assert_true(dw0 & PATE0_HR);
    assert_int_equal(root.base, 0x100000);
    assert_int_equal(root.rts + RADIX_RTS_ADDR_BASE, 52);
    assert_int_equal(8ULL << root.rpds, 0x10000);
    assert_int_equal(dw1, PATE1_GR | 0x200000 | 0);
    g.part = (GsbPartTable){ 0, 0, 0 };
    assert_false(nest_v2_pate(&g, &dw0, &dw1));
}

/* ---- running ------------------------------------------------------------------------------ */

static void test_l2_state_rules(void **state)
{
    (void)state;
    static NestV2Vcpu st;
    NestV2Guest g = { .tb_offset = -500 };
    nest_v2_vcpu_init(&st);
    nest_v2_put64(&st, GSB_IDX_MSR, MSR_SF | MSR_LE | MSR_EE);
    nest_v2_put64(&st, GSB_IDX_LPCR, LPCR_ILE | LPCR_LD);
    nest_v2_put64(&st, GSB_IDX_HDEC_EXPIRY_TB, 100000);
    nest_v2_put64(&st, GSB_IDX_GPR0 + 7, 77);
    nest_v2_put64(&st, GSB_IDX_CR, 0x20000000);
    NestL1Ctx ctx = { .l1_lpcr = LPCR_HR | LPCR_UPRT, .l1_tb_offset = 3000, .l1_hfscr_permitted = ~HFSCR_IC_MASK };
    NestL2State l2;
    nest_v2_l2_state(&st, &g, &ctx, &l2);
    assert_int_equal(l2.msr, (MSR_SF | MSR_LE | MSR_EE | MSR_ME));
    assert_true(l2.lpcr & LPCR_ILE);
    assert_true(l2.lpcr & LPCR_LD);
    assert_true(l2.lpcr & LPCR_GTSE);
    assert_int_equal(l2.tb_offset, 2500);
    assert_int_equal(l2.hdec_expiry, 100000 - 3000); /* L1 timebase -> L0 timebase */
    assert_int_equal(l2.gpr[7], 77);
    assert_int_equal(l2.cr, 0x20000000);
}

static void run_exit(NestV2Vcpu *st, uint32_t vector, NestExit *x)
{
    NestL2State l2 = { 0 };
    for (unsigned i = 0; i < 32; i++)
        l2.gpr[i] = 0x100 + i;
    l2.nip = 0x4000;
    l2.msr = MSR_SF | MSR_ME | MSR_LE;
    *x = (NestExit){ .vector = vector, .hdar = 0xC000000000001234ULL, .hdsisr = DSISR_NOPTE, .asdr = 0x5000,
                     .heir = 0x7C0004AC00000000ULL, .hfscr = (uint64_t)HFSCR_IC_MSGP << HFSCR_IC_SHIFT };
    nest_v2_store_back(st, &l2, x);
}

static void test_exits_and_output_buffers(void **state)
{
    (void)state;
    static NestV2Vcpu st;
    static const struct {
        uint32_t vector;
        unsigned count;
    } cases[] = {
        { EXCP_SYSCALL, 10 }, { EXCP_HDSI, 5 }, { EXCP_HISI, 4 }, { EXCP_HEAI, 3 },
        { EXCP_HFAC_UNAVAIL, 3 }, { EXCP_HDECR, 0 }, { EXCP_EXTERNAL, 0 },
    };
    for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        NestExit x;
        uint8_t out[H_GUEST_RUN_OUTPUT_MIN_SIZE];
        nest_v2_vcpu_init(&st);
        nest_v2_put64(&st, GSB_IDX_HFSCR, HFSCR_MSGP);
        run_exit(&st, cases[c].vector, &x);
        size_t need = nest_v2_output_size(cases[c].vector);
        assert_true(need <= H_GUEST_RUN_OUTPUT_MIN_SIZE); /* the minimum L0 announces is enough */
        size_t len = nest_v2_fill_output(&st, cases[c].vector, out, sizeof out);
        assert_int_equal(len, need);
        uint8_t short_buf[H_GUEST_RUN_OUTPUT_MIN_SIZE];
        assert_int_equal(nest_v2_fill_output(&st, cases[c].vector, short_buf, need - 1), 0);
        GsbView v;
        assert_int_equal(gsb_parse(out, len, &v, NULL), GSB_OK);
        assert_int_equal(v.count, cases[c].count);
        uint64_t x64;
        uint32_t x32;
        switch (cases[c].vector) {
        case EXCP_SYSCALL:
            assert_true(gsb_find_u64(&v, GSB_ID_GPR(3), &x64));
            assert_int_equal(x64, 0x103);
            assert_true(gsb_find_u64(&v, GSB_ID_GPR(12), &x64));
            assert_int_equal(x64, 0x10c);
            assert_false(gsb_find_u64(&v, GSB_ID_GPR(13), &x64));
            break;
        case EXCP_HDSI:
            assert_true(gsb_find_u64(&v, GSB_ID_HDAR, &x64));
            assert_int_equal(x64, 0xC000000000001234ULL);
            assert_true(gsb_find_u32(&v, GSB_ID_HDSISR, &x32));
            assert_int_equal(x32, DSISR_NOPTE);
            assert_true(gsb_find_u64(&v, GSB_ID_ASDR, &x64));
            assert_int_equal(x64, 0x5000);
            assert_true(gsb_find_u64(&v, GSB_ID_NIA, &x64));
            assert_int_equal(x64, 0x4000);
            assert_true(gsb_find_u64(&v, GSB_ID_MSR, &x64));
            assert_int_equal(x64, MSR_SF | MSR_ME | MSR_LE);
            break;
        case EXCP_HISI:
            assert_true(gsb_find_u64(&v, GSB_ID_ASDR, &x64));
            assert_int_equal(x64, 0x5000);
            assert_true(gsb_find_u64(&v, GSB_ID_HDAR, &x64)); /* the last HDAR: none yet */
            assert_int_equal(x64, 0);
            break;
        case EXCP_HEAI:
            assert_true(gsb_find_u64(&v, GSB_ID_HEIR, &x64)); /* 8 bytes (docs/conformance.md) */
            assert_int_equal(x64, 0x7C0004AC00000000ULL);
            break;
        case EXCP_HFAC_UNAVAIL:
            assert_true(gsb_find_u64(&v, GSB_ID_HFSCR, &x64));
            assert_int_equal(x64, HFSCR_MSGP | ((uint64_t)HFSCR_IC_MSGP << HFSCR_IC_SHIFT));
            break;
        default:
            break;
        }
        /* the registers went back into the store */
        assert_int_equal(nest_v2_get64(&st, GSB_IDX_NIA), 0x4000);
        assert_int_equal(nest_v2_get64(&st, GSB_IDX_GPR0 + 31), 0x11f);
    }
}

/* ---- direct (v2) guest tables -------------------------------------------------------------------- */

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

static void test_direct_table(void **state)
{
    Fake *f = *state;
    long rc;
    assert_int_equal(nest_l1_open_direct(&f->l1, H_GUEST_ID_MAX + 1), H_SUCCESS);
    assert_null(nest_guest_get(&f->l1, 0, true, &rc));
    assert_int_equal(rc, H_PARAMETER);
    NestGuest *ng = nest_guest_get(&f->l1, 4095, true, &rc); /* no partition table needed */
    assert_non_null(ng);
    /* No entry yet: a fault is reflected as "no PTE". */
    NestFaultOut out;
    NestFaultIn in = hdsi(0x10000, false);
    assert_int_equal(nest_fault(ng, &in, &out), NEST_REFLECT);
    assert_int_equal(out.hdsisr & DSISR_NOPTE, DSISR_NOPTE);
    /* The entry hv/ gives (elements 0x0005/0x0006): the fault resolves through it. */
    RadixMem m = fake_l1_mem(f);
    RadixRoot r;
    assert_int_equal(radix_tree_create(&m, &r), 0);
    fake_l1_map(f, &r, 0x10000, FAKE_L1_DATA, 12, L1_ALL);
    nest_guest_set_direct_pate(ng, PATE0_HR | radix_root_to_dw0(&r), PATE1_GR | 0x80000);
    assert_true(ng->pate_valid);
    assert_int_equal(nest_fault(ng, &in, &out), NEST_RESUME);
    RadixWalk w;
    nest_walk_shadow(ng, 0x10000, &w);
    assert_int_equal(w.status, RADIX_OK);
    /* A RIC=2 flush of the lpid drops the shadow but keeps the guest (only H_GUEST_DELETE deletes). */
    assert_int_equal(nest_rpt_invalidate(&f->l1, 4095, H_RPTI_TYPE_NESTED_ALL, H_RPTI_PAGE_ALL, 0, ~0ULL),
                     H_SUCCESS);
    assert_int_equal(nest_guest_count(&f->l1), 1);
    nest_walk_shadow(ng, 0x10000, &w);
    assert_int_equal(w.status, RADIX_NOT_PRESENT);
    assert_int_equal(nest_fault(ng, &in, &out), NEST_RESUME);
    /* Another tree: the old shadow goes. */
    nest_guest_set_direct_pate(ng, 0, 0);
    assert_false(ng->pate_valid);
    nest_walk_shadow(ng, 0x10000, &w);
    assert_int_equal(w.status, RADIX_NOT_PRESENT);
    nest_guest_remove(ng);
    nest_guest_put(ng);
    assert_int_equal(nest_guest_count(&f->l1), 0);
    radix_tree_destroy(&m, &r);
}

/* L0 moving an L1 page reaches the shadows of a linked (v2) table too. */
static void test_linked_invalidation(void **state)
{
    Fake *f = *state;
    long rc;
    NestL1 v2;
    nest_l1_init(&v2, f->l1.ops, f);
    assert_int_equal(nest_l1_open_direct(&v2, 16), H_SUCCESS);
    f->l1.also_invalidate = &v2;
    NestGuest *ng = nest_guest_get(&v2, 3, true, &rc);
    assert_non_null(ng);
    RadixMem m = fake_l1_mem(f);
    RadixRoot r;
    assert_int_equal(radix_tree_create(&m, &r), 0);
    fake_l1_map(f, &r, 0x20000, FAKE_L1_DATA + 0x3000, 12, L1_ALL);
    nest_guest_set_direct_pate(ng, PATE0_HR | radix_root_to_dw0(&r), 0);
    NestFaultOut out;
    NestFaultIn in = hdsi(0x20000, true);
    assert_int_equal(nest_fault(ng, &in, &out), NEST_RESUME);
    RadixWalk w;
    nest_walk_shadow(ng, 0x20000, &w);
    assert_int_equal(w.status, RADIX_OK);
    nest_invalidate_l1_range(&f->l1, FAKE_L1_DATA + 0x3000, 0x1000);
    nest_walk_shadow(ng, 0x20000, &w);
    assert_int_equal(w.status, RADIX_NOT_PRESENT);
    assert_int_equal(ng->stats.rmap_invalidations, 1);
    nest_guest_remove(ng);
    nest_guest_put(ng);
    nest_l1_destroy(&v2);
    f->l1.also_invalidate = NULL;
    radix_tree_destroy(&m, &r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_check_values),
        cmocka_unit_test(test_every_thread_element_round_trips),
        cmocka_unit_test(test_guest_wide),
        cmocka_unit_test(test_l2_state_rules),
        cmocka_unit_test(test_exits_and_output_buffers),
        cmocka_unit_test_setup_teardown(test_direct_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_linked_invalidation, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
