/* nesthv-test-args: -M pseries,cap-nested-papr=on,cap-nested-hv=off */
/*
 * l0_smoke.c - the PAPR nested API end to end, as an L1 sees it: negotiate
 * the capabilities, create a guest and a vCPU, give it its partition-scoped
 * tree (0x0005) and process table (0x0006) and its registers, run an L2
 * payload that makes an hcall (exit 0xC00, GPR3-12 in the output buffer),
 * stores to a page the L1 has not mapped (exit 0xE00 with HDAR, HDSISR,
 * ASDR, NIA, MSR), touches pages L0 must shadow (resolved inside L0, never
 * seen by the L1), and returns; state the L0 keeps between runs (the L1
 * does not resend it), thread elements round-trip, delete.
 */
#include "l0v2.h"

#define TEST_HC     (NHV_HC_TEST | 1)
#define DATA_L1RA   (NHV_DATA + 0x100000UL)
#define NPAGES      8

static L0v2 l;

/* The L2: an hcall, then a store to an unmapped page, then sums pages L0 shadows lazily. */
static unsigned long l2_payload(unsigned long arg)
{
    long r = nhv_l2_hcall(TEST_HC, arg, arg * 2);
    *(volatile unsigned long *)NHV_L2_DATA = (unsigned long)r;
    unsigned long sum = 0;
    for (unsigned long i = 0; i < NPAGES; i++)
        sum += *(volatile unsigned long *)(NHV_L2_DATA + i * NHV_PAGE);
    return sum;
}

static void show_output(const char *what)
{
    GsbIter it;
    GsbElem e;
    printf("%s: %u elements:", what, (unsigned)l.outv.count);
    for (gsb_iter_init(&it, &l.outv); gsb_iter_next(&it, &e);)
        printf(" 0x%04x", e.id);
    printf("\n");
}

static void test_caps(void)
{
    uint64_t caps = 0, r4 = 0, r5 = 0;
    test_begin("capabilities");
    TEST_EQ(nv2_get_capabilities(0, &caps), H_SUCCESS);
    TEST_ASSERT(caps & NV2_CAP_POWER9);
    TEST_EQ(nv2_get_capabilities(1, &caps), H_PARAMETER);
    TEST_EQ(nv2_create(0, NV2_TOKEN_NONE, &r4), H_STATE); /* nothing negotiated yet */
    TEST_EQ(nv2_set_capabilities(0, NV2_CAP_COPY_MEM, &r4, &r5), H_P2);
    TEST_EQ(r4, 1);
    l0v2_init();
    TEST_EQ(nv2_set_capabilities(0, NV2_CAP_POWER9, &r4, &r5), H_STATE); /* once */
}

static void test_setup(void)
{
    test_begin("guest and vCPU");
    memset(&l, 0, sizeof l);
    TEST_EQ(l0v2_new(&l), H_SUCCESS);
    TEST_EQ(l.id, 1);
    TEST_EQ(nv2_create_vcpu(0, l.id, 0), H_IN_USE);
    TEST_EQ(nv2_create_vcpu(0, l.id + 1, 0), H_P2);
    TEST_EQ(nv2_create_vcpu(1, l.id, 1), H_UNSUPPORTED_FLAG);
    TEST_EQ(nv2_create(1, NV2_TOKEN_NONE, &l.id), H_UNSUPPORTED_FLAG);
    TEST_EQ(l.id, 1);
    for (unsigned long i = 0; i < NPAGES; i++)
        nhv_st64(DATA_L1RA + i * NHV_PAGE, i + 1);
}

static void test_roundtrip(void)
{
    test_begin("thread state round trip");
    GsbBuf b = l0v2_req();
    gsb_put_u64(&b, GSB_ID_SPRG(2), 0x1122334455667788UL);
    gsb_put_u64(&b, GSB_ID_CTR, 0x1234);
    gsb_put_u64(&b, GSB_ID_TAR, 0x1000);
    gsb_put_u32(&b, GSB_ID_PMC(3), 0x55);
    gsb_put_u128(&b, GSB_ID_VSR(5), (GsbU128){ 1, 2 });
    TEST_EQ(l0v2_set(0, l.id, 0, &b), H_SUCCESS);
    TEST_EQ(l0v2_get64(&l, GSB_ID_SPRG(2)), 0x1122334455667788UL);
    TEST_EQ(l0v2_get64(&l, GSB_ID_CTR), 0x1234);
    TEST_EQ(l0v2_get64(&l, GSB_ID_TAR), 0x1000);
    TEST_EQ(l0v2_get64(&l, GSB_ID_PMC(3)), 0x55);
    b = l0v2_req();
    uint64_t r4 = 0;
    GsbU128 vsr = { 0, 0 };
    gsb_put_u128(&b, GSB_ID_VSR(5), vsr);
    TEST_EQ(nv2_get_state(0, l.id, 0, b.data, gsb_len(&b), &r4), H_SUCCESS);
    GsbView v;
    TEST_EQ(gsb_parse(b.data, gsb_len(&b), &v, NULL), GSB_OK);
    TEST_ASSERT(gsb_find_u128(&v, GSB_ID_VSR(5), &vsr));
    TEST_EQ(vsr.hi, 1);
    TEST_EQ(vsr.lo, 2);
}

static void test_run(void)
{
    uint64_t exit = 0;
    test_begin("run: hcall exit");
    TEST_EQ(l0v2_call(&l, l2_payload, 7), H_SUCCESS);
    TEST_EQ(l0v2_run(&l, &exit), H_SUCCESS);
    TEST_EQ(exit, EXCP_SYSCALL);
    show_output("0xc00 output");
    TEST_EQ(l0v2_out(&l, GSB_ID_GPR(3)), TEST_HC);
    TEST_EQ(l0v2_out(&l, GSB_ID_GPR(4)), 7);
    TEST_EQ(l0v2_out(&l, GSB_ID_GPR(5)), 14);
    TEST_EQ(l0v2_out(&l, GSB_ID_NIA), ~0ULL); /* not part of an hcall exit */

    test_begin("run: HDSI exit (the L1 has not mapped the page)");
    GsbBuf in = l0v2_input(&l);
    gsb_put_u64(&in, GSB_ID_GPR(3), 0x4242); /* the hcall's return value; nothing else is resent */
    TEST_EQ(l0v2_run_flags(&l, 0, &exit), H_SUCCESS);
    TEST_EQ(exit, EXCP_HDSI);
    show_output("0xe00 output");
    TEST_EQ(l0v2_out(&l, GSB_ID_HDAR), NHV_L2_DATA);
    TEST_EQ(l0v2_out(&l, GSB_ID_ASDR) & ~0xFFFUL, NHV_L2_DATA);
    TEST_EQ(l0v2_out(&l, GSB_ID_HDSISR), DSISR_NOPTE | DSISR_ISSTORE);
    TEST_ASSERT(l0v2_out(&l, GSB_ID_NIA) > (unsigned long)l2_payload);
    TEST_EQ(l0v2_out(&l, GSB_ID_MSR) & (MSR_SF | MSR_LE), MSR_SF | MSR_LE);

    test_begin("run: L0 shadows the pages the L1 maps");
    TEST_EQ(radix_map(&nhv_mem, &l.tree, NHV_L2_DATA, DATA_L1RA, NPAGES * NHV_PAGE, 12, NHV_RW), 0);
    TEST_EQ(l0v2_run(&l, &exit), H_SUCCESS);
    TEST_EQ(exit, EXCP_SYSCALL);
    TEST_EQ(l0v2_out(&l, GSB_ID_GPR(3)), NHV_HC_DONE);
    /* page 0 now holds 0x4242 (the store), pages 1..7 hold 2..8 */
    TEST_EQ(l0v2_out(&l, GSB_ID_GPR(4)), 0x4242 + 35);
    TEST_EQ(nhv_ld64(DATA_L1RA), 0x4242);
    TEST_EQ(l0v2_get64(&l, GSB_ID_CTR) != ~0ULL, 1);
    TEST_EQ(l0v2_get64(&l, GSB_ID_SPRG(2)), 0x1122334455667788UL); /* kept across the runs */
}

static void test_delete(void)
{
    uint64_t r4 = 0;
    test_begin("delete");
    TEST_EQ(nv2_delete(0, l.id), H_SUCCESS);
    TEST_EQ(nv2_delete(0, l.id), H_P2);
    TEST_EQ(nv2_run_vcpu(0, l.id, 0, &r4), H_P2);
    uint64_t id = 0;
    TEST_EQ(nv2_create(0, NV2_TOKEN_NONE, &id), H_SUCCESS);
    TEST_EQ(id, 1); /* ids are reused */
    TEST_EQ(nv2_delete(NV2_DELETE_ALL, 0), H_SUCCESS);
}

int main(void)
{
    test_caps();
    test_setup();
    test_roundtrip();
    test_run();
    test_delete();
    return test_report();
}
