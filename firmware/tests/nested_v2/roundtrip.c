/* nesthv-test-args: -M pseries,cap-nested-papr=on */
/*
 * roundtrip.c - every settable element reads back what was set
 * (H_GUEST_SET_STATE then H_GUEST_GET_STATE, no run in between):
 *   - thread-wide, all at once in one SET and one GET: GPR0-31, every
 *     8-byte SPR (values inside the LPCR and MSR masks), the 4-byte ones,
 *     VSR0-63 (16 bytes, doubleword 0 first), then each alone;
 *   - the run buffers (0x0C00/0x0C01) as registered (QEMU 10 aborts on
 *     their GET: skipped there);
 *   - guest-wide: logical PVR, TB offset, partition table, process table
 *     (QEMU 10 aborts on a GET of the tables: skipped there), and the
 *     read-only 0x0001 / 0x0002 sizes.
 * The VPA address (0x0C02) is left out: an L0 may validate the area.
 * A mismatch prints the element's name, what was set and what came back.
 */
#include "v2t.h"

static V2tL2 l2;
static Nv2Val want[GSB_IDX_COUNT];

static bool in_roundtrip(const GsbElemInfo *info)
{
    return info && info->scope == GSB_SCOPE_THREAD && info->access == GSB_ACC_RW && info->id != GSB_ID_VPA &&
           info->id != GSB_ID_RUN_INPUT && info->id != GSB_ID_RUN_OUTPUT;
}

/* A distinct value per element, inside its mask. */
static Nv2Val pattern(const GsbElemInfo *info, unsigned salt)
{
    uint64_t n = info->id + salt;
    Nv2Val v = { { 0, 0, 0 } };
    switch (info->size) {
    case 4:
        v.w[0] = (0x00C00000u | (uint32_t)n << 4) & (uint32_t)info->mask;
        break;
    case 8:
        v.w[0] = (0x0123000000000000ULL | n << 16 | salt) & info->mask;
        break;
    default: /* 16: VSR */
        v.w[0] = 0x1111000000000000ULL | n;
        v.w[1] = 0x2222000000000000ULL | n << 8;
        break;
    }
    if (info->id == GSB_ID_MSR)
        v.w[0] = V2T_L2_MSR | MSR_EE;
    if (info->id == GSB_ID_LPCR)
        v.w[0] = LPCR_ILE | LPCR_GTSE;
    return v;
}

static void put(GsbBuf *b, const GsbElemInfo *info, const Nv2Val *v)
{
    if (info->size == 4)
        gsb_put_u32(b, info->id, (uint32_t)v->w[0]);
    else if (info->size == 8)
        gsb_put_u64(b, info->id, v->w[0]);
    else
        gsb_put_u128(b, info->id, (GsbU128){ v->w[0], v->w[1] });
}

/* Compare the values of a GET buffer with want[]; mismatches printed. */
static unsigned compare(const uint8_t *buf, size_t len)
{
    GsbView view;
    GsbIter it;
    GsbElem e;
    unsigned bad = 0;
    if (gsb_parse(buf, len, &view, NULL) != GSB_OK) {
        printf("GET buffer does not parse\n");
        return 1;
    }
    for (gsb_iter_init(&it, &view); gsb_iter_next(&it, &e);) {
        int idx = gsb_id_index(e.id);
        uint64_t hi = 0, lo = 0;
        uint32_t u32;
        GsbU128 u128;
        if (e.size == 4 && gsb_elem_u32(&e, &u32))
            hi = u32;
        else if (e.size == 8)
            gsb_elem_u64(&e, &hi);
        else if (e.size == 16 && gsb_elem_u128(&e, &u128)) {
            hi = u128.hi;
            lo = u128.lo;
        }
        if (hi != want[idx].w[0] || lo != want[idx].w[1]) {
            printf("mismatch %s: set 0x%lx:%lx got 0x%lx:%lx\n", gsb_id_name(e.id), (unsigned long)want[idx].w[0],
                   (unsigned long)want[idx].w[1], (unsigned long)hi, (unsigned long)lo);
            bad++;
        }
    }
    return bad;
}

static void test_thread_batch(void)
{
    static uint8_t buf[8192] __attribute__((aligned(64)));
    GsbBuf b;
    uint64_t r4 = 0;
    unsigned n = 0;
    test_begin("thread-wide: one SET, one GET");
    gsb_init(&b, buf, sizeof(buf));
    for (unsigned i = 0; i < GSB_IDX_COUNT; i++) {
        const GsbElemInfo *info = gsb_elem_info_at(i);
        if (!in_roundtrip(info))
            continue;
        want[i] = pattern(info, 0);
        put(&b, info, &want[i]);
        n++;
    }
    long rc = nv2_set_state(0, l2.g.id, 0, b.data, gsb_len(&b), &r4);
    printf("SET of %u elements (%lu bytes): rc=%ld r4=%lu\n", n, (unsigned long)gsb_len(&b), rc,
           (unsigned long)r4);
    TEST_EQ(rc, H_SUCCESS);
    gsb_init(&b, buf, sizeof(buf));
    for (unsigned i = 0; i < GSB_IDX_COUNT; i++) {
        const GsbElemInfo *info = gsb_elem_info_at(i);
        if (in_roundtrip(info))
            put(&b, info, &(Nv2Val){ { 0, 0, 0 } });
    }
    rc = nv2_get_state(0, l2.g.id, 0, b.data, gsb_len(&b), &r4);
    printf("GET of %u elements: rc=%ld\n", n, rc);
    TEST_EQ(rc, H_SUCCESS);
    unsigned bad = compare(buf, gsb_len(&b));
    printf("%u of %u differ\n", bad, n);
    TEST_EQ(bad, 0);
}

static void test_thread_single(void)
{
    GsbBuf b;
    unsigned bad = 0, n = 0;
    test_begin("thread-wide: each element alone (vcpu 1)");
    for (unsigned i = 0; i < GSB_IDX_COUNT; i++) {
        const GsbElemInfo *info = gsb_elem_info_at(i);
        if (!in_roundtrip(info))
            continue;
        want[i] = pattern(info, 0x77);
        gsb_init(&b, v2t_raw, sizeof(v2t_raw));
        put(&b, info, &want[i]);
        long rc = nv2_set_state(0, l2.g.id, 1, b.data, gsb_len(&b), NULL);
        gsb_init(&b, v2t_raw, sizeof(v2t_raw));
        put(&b, info, &(Nv2Val){ { 0, 0, 0 } });
        long rc2 = nv2_get_state(0, l2.g.id, 1, b.data, gsb_len(&b), NULL);
        if (rc != H_SUCCESS || rc2 != H_SUCCESS) {
            printf("%s: set rc=%ld get rc=%ld\n", gsb_id_name(info->id), rc, rc2);
            bad++;
        } else {
            bad += compare(v2t_raw, gsb_len(&b));
        }
        n++;
    }
    printf("%u of %u differ\n", bad, n);
    TEST_EQ(bad, 0);
}

static void test_buffers(void)
{
    GsbBuf b;
    GsbView view;
    GsbElem e;
    GsbRegion in = { 0, 0 }, out = { 0, 0 };
    test_begin("run buffers read back");
    if (v2t_skip_on_qemu("a GET of 0x0C00/0x0C01 (it asserts)"))
        return;
    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    gsb_put_region(&b, GSB_ID_RUN_INPUT, &in);
    gsb_put_region(&b, GSB_ID_RUN_OUTPUT, &out);
    long rc = nv2_get_state(0, l2.g.id, 0, b.data, gsb_len(&b), NULL);
    TEST_EQ(rc, H_SUCCESS);
    TEST_EQ(gsb_parse(b.data, gsb_len(&b), &view, NULL), GSB_OK);
    if (gsb_find(&view, GSB_ID_RUN_INPUT, &e))
        gsb_elem_region(&e, &in);
    if (gsb_find(&view, GSB_ID_RUN_OUTPUT, &e))
        gsb_elem_region(&e, &out);
    printf("get: rc=%ld input as registered: %d output as registered: %d\n", rc,
           in.addr == (unsigned long)l2.in[0] && in.size == V2T_RUNBUF,
           out.addr == (unsigned long)l2.out[0] && out.size == V2T_RUNBUF);
    TEST_EQ(in.addr, (unsigned long)l2.in[0]);
    TEST_EQ(out.size, V2T_RUNBUF);
}

static void test_guest_wide(void)
{
    GsbBuf b;
    GsbView view;
    GsbElem e;
    uint32_t pvr = 0;
    uint64_t tbo = 0, min_out = 0, state_size = 0;
    const uint32_t want_pvr = 0x0F000005;          /* logical PVR of ISA 3.00 (POWER9 compat) */
    const uint64_t want_tbo = 1ULL << 36;         /* a multiple of 2^24, as TB offsets are */
    test_begin("guest-wide");
    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    gsb_put_u32(&b, GSB_ID_LOGICAL_PVR, want_pvr);
    gsb_put_u64(&b, GSB_ID_TB_OFFSET, want_tbo);
    long rc = nv2_set_state(NV2_STATE_GUEST_WIDE, l2.g.id, 0, b.data, gsb_len(&b), NULL);
    printf("set PVR and TB offset: rc=%ld\n", rc);
    TEST_EQ(rc, H_SUCCESS);
    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    gsb_put_u32(&b, GSB_ID_LOGICAL_PVR, 0);
    gsb_put_u64(&b, GSB_ID_TB_OFFSET, 0);
    gsb_put_u64(&b, GSB_ID_RUN_OUTPUT_MIN_SIZE, 0);
    rc = nv2_get_state(NV2_STATE_GUEST_WIDE, l2.g.id, 0, b.data, gsb_len(&b), NULL);
    TEST_EQ(rc, H_SUCCESS);
    TEST_EQ(gsb_parse(b.data, gsb_len(&b), &view, NULL), GSB_OK);
    gsb_find_u32(&view, GSB_ID_LOGICAL_PVR, &pvr);
    gsb_find_u64(&view, GSB_ID_TB_OFFSET, &tbo);
    gsb_find_u64(&view, GSB_ID_RUN_OUTPUT_MIN_SIZE, &min_out);
    printf("get: rc=%ld pvr=0x%x tb offset=0x%lx run output min size in 1..1024: %d\n", rc, pvr,
           (unsigned long)tbo, min_out > 0 && min_out <= V2T_RUNBUF);
    TEST_EQ(pvr, want_pvr);
    TEST_EQ(tbo, want_tbo);
    TEST_ASSERT(min_out > 0 && min_out <= V2T_RUNBUF);

    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    gsb_put_u64(&b, GSB_ID_HOST_STATE_SIZE, 0);
    rc = nv2_get_state(NV2_STATE_GUEST_WIDE, l2.g.id, 0, b.data, gsb_len(&b), NULL);
    if (rc == H_SUCCESS && gsb_parse(b.data, gsb_len(&b), &view, NULL) == GSB_OK)
        gsb_find_u64(&view, GSB_ID_HOST_STATE_SIZE, &state_size);
    printf("0x0001 L0 vcpu state size: rc=%ld nonzero: %d\n", rc, state_size != 0);
    TEST_EQ(rc, H_SUCCESS);
    TEST_NE(state_size, 0);

    if (v2t_skip_on_qemu("a GET of the partition and process tables (it asserts)"))
        return;
    GsbPartTable pt = v2t_part_table(&l2.tree), pt_got = { 0, 0, 0 };
    GsbRegion prt = { NHV_DATA + 0x10000, 4096 }, prt_got = { 0, 0 };
    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, &pt);
    gsb_put_region(&b, GSB_ID_PROCESS_TABLE, &prt);
    TEST_EQ(nv2_set_state(NV2_STATE_GUEST_WIDE, l2.g.id, 0, b.data, gsb_len(&b), NULL), H_SUCCESS);
    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, &pt_got);
    gsb_put_region(&b, GSB_ID_PROCESS_TABLE, &prt_got);
    rc = nv2_get_state(NV2_STATE_GUEST_WIDE, l2.g.id, 0, b.data, gsb_len(&b), NULL);
    TEST_EQ(rc, H_SUCCESS);
    TEST_EQ(gsb_parse(b.data, gsb_len(&b), &view, NULL), GSB_OK);
    if (gsb_find(&view, GSB_ID_PARTITION_TABLE, &e))
        gsb_elem_part_table(&e, &pt_got);
    if (gsb_find(&view, GSB_ID_PROCESS_TABLE, &e))
        gsb_elem_region(&e, &prt_got);
    printf("tables: rc=%ld partition table same: %d (ea bits %lu) process table same: %d\n", rc,
           pt_got.addr == pt.addr && pt_got.root_size == pt.root_size, (unsigned long)pt_got.ea_bits,
           prt_got.addr == prt.addr && prt_got.size == prt.size);
    TEST_EQ(pt_got.addr, pt.addr);
    TEST_EQ(pt_got.ea_bits, 52);
    TEST_EQ(pt_got.root_size, pt.root_size);
    TEST_EQ(prt_got.addr, prt.addr);
    TEST_EQ(prt_got.size, prt.size);
}

int main(void)
{
    v2t_init();
    v2t_setup(&l2, 2, NULL);
    test_thread_batch();
    test_thread_single();
    test_buffers();
    test_guest_wide();
    TEST_EQ(nv2_guest_delete(&l2.g), H_SUCCESS);
    return test_report();
}
