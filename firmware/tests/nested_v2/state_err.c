/* nesthv-test-args: -M pseries,cap-nested-papr=on */
/*
 * state_err.c - H_GUEST_GET_STATE / H_GUEST_SET_STATE errors.  PAPR: a bad
 * element yields H_INVALID_ELEMENT_ID / _SIZE / _VALUE with r4 = the index
 * of the offending element (../shared/reference/papr-nested.md; QEMU 10
 * returns H_P3 for all of them and checks no value: .qemu10-diff).
 * Every bad element here is the third (index 2) of its buffer, after two
 * good ones, so r4 cannot be right by accident.
 *   id:    unknown (reserved 0x0007, 0x0C03, 0x3040), a guest-wide element in
 *          a thread request and vice versa, a host-wide one without the
 *          host-wide flag, a read-only element in a SET (0x0001, 0x0002,
 *          HDAR, ASDR);
 *   size:  4-byte GPR, 8-byte CR, 8-byte VSR, 16-byte partition table;
 *   value: LPCR and MSR bits outside the L1's masks;
 *   flags: both guest-wide and host-wide, reserved bits, host-wide SET;
 *   ids:   unknown guest (H_P2), unknown vCPU (H_P3; QEMU 10 aborts).
 */
#include "v2t.h"

static V2tL2 l2;

/* buf = [good0, good1, bad]; rc and r4 of the call. */
static long call3(bool set, uint64_t flags, uint64_t g0, uint64_t g1, uint16_t bad_id, uint16_t bad_size,
                  const void *bad_val, uint64_t *r4)
{
    GsbBuf b;
    Nv2Val v0 = { { 0 } };
    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    (void)v0;
    if (flags & NV2_STATE_GUEST_WIDE) {
        gsb_put_u32(&b, (uint16_t)g0, 0x004E1200);
        gsb_put_u64(&b, (uint16_t)g1, 0);
    } else if (flags & NV2_STATE_HOST_WIDE) {
        gsb_put_u64(&b, (uint16_t)g0, 0);
        gsb_put_u64(&b, (uint16_t)g1, 0);
    } else {
        gsb_put_u64(&b, (uint16_t)g0, 0x11);
        gsb_put_u64(&b, (uint16_t)g1, 0x22);
    }
    v2t_raw_put(&b, bad_id, bad_size, bad_val);
    *r4 = ~0ULL;
    if (set)
        return nv2_set_state(flags, l2.g.id, 0, b.data, gsb_len(&b), r4);
    return nv2_get_state(flags, l2.g.id, 0, b.data, gsb_len(&b), r4);
}

typedef struct Case {
    const char *what;
    bool set;
    uint64_t flags;
    uint16_t id, size;
    uint64_t val;       /* big-endian in the first 8 bytes of the value */
    long want;
} Case;

#define TH 0
#define GW NV2_STATE_GUEST_WIDE
#define HW NV2_STATE_HOST_WIDE

static const Case cases[] = {
    { "get: reserved id 0x0007", false, TH, 0x0007, 8, 0, H_INVALID_ELEMENT_ID },
    { "set: reserved id 0x0C03", true, TH, 0x0C03, 8, 0, H_INVALID_ELEMENT_ID },
    { "set: reserved id 0x3040", true, TH, 0x3040, 16, 0, H_INVALID_ELEMENT_ID },
    { "get guest-wide: reserved id 0x07FF", false, GW, 0x07FF, 8, 0, H_INVALID_ELEMENT_ID },
    { "set thread: guest-wide TB offset", true, TH, GSB_ID_TB_OFFSET, 8, 0, H_INVALID_ELEMENT_ID },
    { "get thread: guest-wide logical PVR", false, TH, GSB_ID_LOGICAL_PVR, 4, 0, H_INVALID_ELEMENT_ID },
    { "set guest-wide: thread GPR3", true, GW, GSB_ID_GPR(3), 8, 0, H_INVALID_ELEMENT_ID },
    { "get guest-wide: thread CTR", false, GW, GSB_ID_CTR, 8, 0, H_INVALID_ELEMENT_ID },
    { "get thread: host-wide heap counter", false, TH, GSB_ID_L0_GUEST_HEAP, 8, 0, H_INVALID_ELEMENT_ID },
    { "get guest-wide: host-wide heap counter", false, GW, GSB_ID_L0_GUEST_HEAP, 8, 0, H_INVALID_ELEMENT_ID },
    { "get host-wide: thread GPR0", false, HW, GSB_ID_GPR(0), 8, 0, H_INVALID_ELEMENT_ID },
    { "get host-wide: guest-wide TB offset", false, HW, GSB_ID_TB_OFFSET, 8, 0, H_INVALID_ELEMENT_ID },
    { "set guest-wide: read-only 0x0001", true, GW, GSB_ID_HOST_STATE_SIZE, 8, 0, H_INVALID_ELEMENT_ID },
    { "set guest-wide: read-only 0x0002", true, GW, GSB_ID_RUN_OUTPUT_MIN_SIZE, 8, 0, H_INVALID_ELEMENT_ID },
    { "set thread: read-only HDAR", true, TH, GSB_ID_HDAR, 8, 0, H_INVALID_ELEMENT_ID },
    { "set thread: read-only ASDR", true, TH, GSB_ID_ASDR, 8, 0, H_INVALID_ELEMENT_ID },
    { "set thread: 4-byte GPR7", true, TH, GSB_ID_GPR(7), 4, 0, H_INVALID_ELEMENT_SIZE },
    { "get thread: 8-byte CR", false, TH, GSB_ID_CR, 8, 0, H_INVALID_ELEMENT_SIZE },
    { "set thread: 8-byte VSR5", true, TH, GSB_ID_VSR(5), 8, 0, H_INVALID_ELEMENT_SIZE },
    { "set guest-wide: 16-byte partition table", true, GW, GSB_ID_PARTITION_TABLE, 16, 0,
      H_INVALID_ELEMENT_SIZE },
    { "set thread: LPCR[HR] (outside the LPCR mask)", true, TH, GSB_ID_LPCR, 8, LPCR_HR | LPCR_ILE,
      H_INVALID_ELEMENT_VALUE },
    { "set thread: LPCR[LPES]", true, TH, GSB_ID_LPCR, 8, LPCR_LPES, H_INVALID_ELEMENT_VALUE },
    { "set thread: MSR[HV]", true, TH, GSB_ID_MSR, 8, MSR_SF | MSR_HV | MSR_LE, H_INVALID_ELEMENT_VALUE },
    { "set thread: MSR[S]", true, TH, GSB_ID_MSR, 8, MSR_SF | MSR_S | MSR_LE, H_INVALID_ELEMENT_VALUE },
};

static void test_elements(void)
{
    test_begin("bad elements: the code and r4 = 2");
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const Case *c = &cases[i];
        uint8_t val[24] = { 0 };
        uint64_t r4;
        v2t_be64(val, c->val);
        uint16_t g0 = c->flags & GW ? GSB_ID_LOGICAL_PVR : c->flags & HW ? GSB_ID_L0_GUEST_HEAP : GSB_ID_GPR(5);
        uint16_t g1 = c->flags & GW ? GSB_ID_TB_OFFSET : c->flags & HW ? GSB_ID_L0_GUEST_HEAP_MAX : GSB_ID_GPR(6);
        long rc = call3(c->set, c->flags, g0, g1, c->id, c->size, val, &r4);
        printf("%s: rc=%ld r4=%ld\n", c->what, rc, rc == c->want ? (long)r4 : -1L);
        TEST_EQ(rc, c->want);
        if (rc == c->want)
            TEST_EQ(r4, 2);
    }
}

static void test_masks_ok(void)
{
    uint64_t r4;
    uint8_t val[8];
    test_begin("values inside the masks");
    v2t_be64(val, LPCR_ILE | LPCR_GTSE);
    long rc = call3(true, TH, GSB_ID_GPR(5), GSB_ID_GPR(6), GSB_ID_LPCR, 8, val, &r4);
    printf("LPCR ILE|GTSE: rc=%ld\n", rc);
    TEST_EQ(rc, H_SUCCESS);
    v2t_be64(val, V2T_L2_MSR | MSR_EE | MSR_PR);
    rc = call3(true, TH, GSB_ID_GPR(5), GSB_ID_GPR(6), GSB_ID_MSR, 8, val, &r4);
    printf("MSR SF|EE|PR|RI|LE: rc=%ld\n", rc);
    TEST_EQ(rc, H_SUCCESS);
    rc = call3(false, TH, GSB_ID_GPR(5), GSB_ID_GPR(6), GSB_ID_NOP, 5, NULL, &r4);
    printf("a 5-byte NOP element: rc=%ld\n", rc);
    TEST_EQ(rc, H_SUCCESS);
}

static void test_flags(void)
{
    GsbBuf b;
    uint64_t r4;
    test_begin("flags and ids");
    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    gsb_put_u64(&b, GSB_ID_L0_GUEST_HEAP, 0);
    long rc = nv2_get_state(GW | HW, l2.g.id, 0, b.data, gsb_len(&b), &r4);
    printf("get guest-wide and host-wide: rc=%ld\n", rc);
    TEST_EQ(rc, H_PARAMETER);
    rc = nv2_get_state(1ULL << 50, l2.g.id, 0, b.data, gsb_len(&b), &r4);
    printf("get reserved flag: rc=%ld\n", rc);
    TEST_EQ(rc, H_PARAMETER);
    rc = nv2_set_state(HW, l2.g.id, 0, b.data, gsb_len(&b), &r4);
    printf("set host-wide: rc=%ld\n", rc);
    TEST_EQ(rc, H_PARAMETER);
    rc = nv2_get_state(HW, 0, 0, b.data, gsb_len(&b), &r4);
    printf("get host-wide (no guest needed): rc=%ld\n", rc);
    TEST_EQ(rc, H_SUCCESS);

    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    gsb_put_u64(&b, GSB_ID_GPR(3), 0);
    rc = nv2_get_state(0, 0x7fff0000, 0, b.data, gsb_len(&b), &r4);
    printf("get: unknown guest: rc=%ld\n", rc);
    TEST_EQ(rc, H_P2);
    rc = nv2_set_state(0, 0x7fff0000, 0, b.data, gsb_len(&b), &r4);
    printf("set: unknown guest: rc=%ld\n", rc);
    TEST_EQ(rc, H_P2);
    if (!v2t_skip_on_qemu("a thread request for an unknown vCPU (it asserts)")) {
        rc = nv2_get_state(0, l2.g.id, 7, b.data, gsb_len(&b), &r4);
        printf("get: unknown vcpu: rc=%ld\n", rc);
        TEST_EQ(rc, H_P3);
        rc = nv2_set_state(0, l2.g.id, NV2_VCPU_ID_MAX + 1, b.data, gsb_len(&b), &r4);
        printf("set: vcpu 2048: rc=%ld\n", rc);
        TEST_EQ(rc, H_P3);
    }
    if (!v2t_skip_on_qemu("a 2-byte buffer (it asserts)")) {
        rc = nv2_get_state(0, l2.g.id, 0, b.data, 2, &r4);
        printf("get: 2-byte buffer: rc=%ld\n", rc);
        TEST_NE(rc, H_SUCCESS);
    }
}

/* Host-wide counters: readable, and a maximum is never below its current value. */
static void test_host_wide(void)
{
    GsbBuf b;
    GsbView view;
    uint64_t heap = 0, heap_max = 0, pt = 0, pt_max = 0, reclaim = 0;
    test_begin("host-wide counters");
    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    for (uint16_t id = GSB_ID_L0_GUEST_HEAP; id <= GSB_ID_L0_GUEST_PGTABLE_RECLAIM; id++)
        gsb_put_u64(&b, id, ~0ULL);
    long rc = nv2_get_state(HW, 0, 0, b.data, gsb_len(&b), NULL);
    TEST_EQ(rc, H_SUCCESS);
    TEST_EQ(gsb_parse(b.data, gsb_len(&b), &view, NULL), GSB_OK);
    gsb_find_u64(&view, GSB_ID_L0_GUEST_HEAP, &heap);
    gsb_find_u64(&view, GSB_ID_L0_GUEST_HEAP_MAX, &heap_max);
    gsb_find_u64(&view, GSB_ID_L0_GUEST_PGTABLE_SIZE, &pt);
    gsb_find_u64(&view, GSB_ID_L0_GUEST_PGTABLE_SIZE_MAX, &pt_max);
    gsb_find_u64(&view, GSB_ID_L0_GUEST_PGTABLE_RECLAIM, &reclaim);
    printf("0x0800-0x0804: rc=%ld heap<=max: %d pgtable<=max: %d\n", rc, heap <= heap_max, pt <= pt_max);
    TEST_ASSERT(heap <= heap_max);
    TEST_ASSERT(pt <= pt_max);
}

int main(void)
{
    v2t_init();
    v2t_setup(&l2, 1, NULL);
    test_elements();
    test_masks_ok();
    test_flags();
    test_host_wide();
    TEST_EQ(nv2_guest_delete(&l2.g), H_SUCCESS);
    return test_report();
}
