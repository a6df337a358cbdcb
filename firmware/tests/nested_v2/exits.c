/* nesthv-test-args: -M pseries,cap-nested-papr=on */
/*
 * exits.c - H_GUEST_RUN_VCPU: its buffer and partition-table errors, and
 * each exit type with exactly the elements PAPR puts in the run output
 * buffer (../shared/reference/papr-nested.md "v2: guests and vCPUs"):
 *   0xC00 hcall:  GPR3-12;                    0xE00 HDSI: HDAR, HDSISR, ASDR, NIA, MSR;
 *   0xE20 HISI:   HDAR, ASDR, NIA, MSR;       0xE40 HEAI: HEIR, NIA, MSR;
 *   0xF80 HFAC:   HFSCR, NIA, MSR;            0x980 HDEC: nothing.
 * Element ids are printed sorted: PAPR fixes the set, not the order.
 */
#include "v2t.h"

static V2tL2 l2;

void x_ld(void);
void x_st(void);
void x_illegal(void);
void x_msgsndp(void);
__asm__(".text\n"
        ".globl x_ld\nx_ld:\n    ld 3, 0(3)\n    blr\n"
        ".globl x_st\nx_st:\n    std 4, 0(3)\n    blr\n"
        ".globl x_illegal\nx_illegal:\n    .long 0x00000001\n    blr\n"
        ".globl x_msgsndp\nx_msgsndp:\n    msgsndp 4\n    blr\n");

typedef unsigned long (*l2_fn)(unsigned long);

static unsigned long x_spin(unsigned long a)
{
    for (;;)
        __asm__ volatile("");
    return a;
}

static unsigned long x_hcall(unsigned long a)
{
    return (unsigned long)nhv_l2_hcall(NHV_HC_TEST | 1, a, a + 1) + 1000;
}

/* The ids of the last output buffer, sorted, as "0x1003 0x1004 ...". */
static void show_output(Nv2Vcpu *v, const char *what)
{
    uint16_t ids[32];
    unsigned n = 0;
    GsbView view;
    GsbIter it;
    GsbElem e;
    if (gsb_parse(v->out, v->out_size, &view, NULL) != GSB_OK) {
        printf("%s: exit 0x%lx, output buffer does not parse\n", what, (unsigned long)v->exit);
        return;
    }
    for (gsb_iter_init(&it, &view); gsb_iter_next(&it, &e) && n < 32;)
        ids[n++] = e.id;
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
            uint16_t t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    printf("%s: exit 0x%lx, %u output elements:", what, (unsigned long)v->exit, n);
    for (unsigned i = 0; i < n; i++)
        printf(" 0x%x", ids[i]);
    printf("\n");
}

/* The set of ids the output buffer carried equals want[0..n). */
static bool output_is(Nv2Vcpu *v, const uint16_t *want, unsigned n)
{
    if (v->out_bad || v->out_count != n)
        return false;
    for (unsigned i = 0; i < n; i++)
        if (!nv2_is_valid(v, want[i]))
            return false;
    return true;
}

static void test_buffers(void)
{
    static V2tL2 b;
    uint64_t r4 = 0;
    test_begin("run buffers and partition table");
    TEST_EQ(nv2_guest_create(&b.g), H_SUCCESS);
    TEST_EQ(nv2_create_vcpu(0, b.g.id, 0), H_SUCCESS);
    v2t_tree(&b.tree);
    GsbPartTable pt = v2t_part_table(&b.tree);
    GsbBuf gb;
    gsb_init(&gb, v2t_raw, sizeof(v2t_raw));
    gsb_put_part_table(&gb, GSB_ID_PARTITION_TABLE, &pt);
    TEST_EQ(nv2_set_state(NV2_STATE_GUEST_WIDE, b.g.id, 0, gb.data, gsb_len(&gb), &r4), H_SUCCESS);

    long rc = nv2_run_vcpu(0, b.g.id, 0, &r4);
    v2t_show("no buffer registered", rc, 0);
    TEST_EQ(rc, H_INPUT_BUFFER_NOT_DEFINED);

    GsbRegion in = { (unsigned long)b.in[0], V2T_RUNBUF }, out = { (unsigned long)b.out[0], V2T_RUNBUF };
    gsb_init(&gb, v2t_raw, sizeof(v2t_raw));
    gsb_put_region(&gb, GSB_ID_RUN_INPUT, &in);
    TEST_EQ(nv2_set_state(0, b.g.id, 0, gb.data, gsb_len(&gb), &r4), H_SUCCESS);
    gsb_init(&gb, b.in[0], V2T_RUNBUF);
    rc = nv2_run_vcpu(0, b.g.id, 0, &r4);
    v2t_show("input buffer only", rc, 0);
    TEST_EQ(rc, H_OUTPUT_BUFFER_NOT_DEFINED);

    if (!v2t_skip_on_qemu("a 16-byte output buffer (it aborts)")) {
        GsbRegion tiny = { (unsigned long)b.out[0], 16 };
        gsb_init(&gb, v2t_raw, sizeof(v2t_raw));
        gsb_put_region(&gb, GSB_ID_RUN_OUTPUT, &tiny);
        rc = nv2_set_state(0, b.g.id, 0, gb.data, gsb_len(&gb), &r4);
        if (rc == H_SUCCESS) /* PAPR lets the run report it */
            rc = nv2_run_vcpu(0, b.g.id, 0, &r4);
        v2t_show("16-byte output buffer", rc, 0);
        TEST_ASSERT(rc == H_OUTPUT_BUFFER_TOO_SMALL || rc == H_INVALID_ELEMENT_VALUE);
    }

    gsb_init(&gb, v2t_raw, sizeof(v2t_raw));
    gsb_put_region(&gb, GSB_ID_RUN_OUTPUT, &out);
    TEST_EQ(nv2_set_state(0, b.g.id, 0, gb.data, gsb_len(&gb), &r4), H_SUCCESS);
    /* An input buffer whose header counts more elements than it holds. */
    GsbRegion small_in = { (unsigned long)b.in[0], 128 };
    gsb_init(&gb, v2t_raw, sizeof(v2t_raw));
    gsb_put_region(&gb, GSB_ID_RUN_INPUT, &small_in);
    rc = nv2_set_state(0, b.g.id, 0, gb.data, gsb_len(&gb), &r4);
    if (rc == H_SUCCESS) {
        gsb_init(&gb, b.in[0], V2T_RUNBUF);
        for (unsigned i = 0; i < 11; i++)           /* 136 bytes in a 128-byte buffer */
            gsb_put_u64(&gb, GSB_ID_GPR(5 + i), i);
        rc = nv2_run_vcpu(0, b.g.id, 0, &r4);
    }
    v2t_show("input buffer shorter than its elements", rc, 0);
    TEST_EQ(rc, H_INPUT_BUFFER_TOO_SMALL);

    /* A bad element in the input buffer: r4 = its byte offset. */
    gsb_init(&gb, v2t_raw, sizeof(v2t_raw));
    gsb_put_region(&gb, GSB_ID_RUN_INPUT, &in);
    TEST_EQ(nv2_set_state(0, b.g.id, 0, gb.data, gsb_len(&gb), &r4), H_SUCCESS);
    gsb_init(&gb, b.in[0], V2T_RUNBUF);
    gsb_put_u64(&gb, GSB_ID_GPR(5), 1);
    gsb_put_u64(&gb, GSB_ID_TB_OFFSET, 0);          /* guest-wide: not in a run */
    rc = nv2_run_vcpu(0, b.g.id, 0, &r4);
    v2t_show("guest-wide element in the input buffer", rc, r4);
    TEST_EQ(rc, H_INVALID_ELEMENT_ID);
    TEST_EQ(r4, 16);
    gsb_init(&gb, b.in[0], V2T_RUNBUF);
    gsb_put_u64(&gb, GSB_ID_GPR(5), 1);
    v2t_raw_put(&gb, GSB_ID_GPR(6), 4, NULL);
    rc = nv2_run_vcpu(0, b.g.id, 0, &r4);
    v2t_show("4-byte GPR6 in the input buffer", rc, r4);
    TEST_EQ(rc, H_INVALID_ELEMENT_SIZE);
    TEST_EQ(r4, 16);

    /* Buffers fine but no partition table for this guest. */
    static V2tL2 np;
    TEST_EQ(nv2_guest_create(&np.g), H_SUCCESS);
    TEST_EQ(nv2_vcpu_create(&np.vcpu[0], &np.g, 0, np.in[0], V2T_RUNBUF, np.out[0], V2T_RUNBUF), H_SUCCESS);
    gsb_init(&gb, np.in[0], V2T_RUNBUF);
    rc = nv2_run_vcpu(0, np.g.id, 0, &r4);
    v2t_show("no partition table", rc, 0);
    TEST_EQ(rc, H_PARTITION_PAGE_TABLE_NOT_DEFINED);

    rc = nv2_run_vcpu(0, np.g.id + 1000, 0, &r4);
    v2t_show("unknown guest", rc, 0);
    TEST_EQ(rc, H_P2);
    rc = nv2_run_vcpu(0, np.g.id, 1, &r4);
    v2t_show("unknown vcpu", rc, 0);
    TEST_EQ(rc, H_P3);
    TEST_EQ(nv2_guest_delete(&b.g), H_SUCCESS);
    TEST_EQ(nv2_guest_delete(&np.g), H_SUCCESS);
}

static void test_hcall(Nv2Vcpu *v)
{
    static const uint16_t want[] = { 0x1003, 0x1004, 0x1005, 0x1006, 0x1007,
                                     0x1008, 0x1009, 0x100A, 0x100B, 0x100C };
    test_begin("0xc00: hcall");
    v2t_call(v, x_hcall, 40);
    TEST_EQ(v2t_run(v), H_SUCCESS);
    show_output(v, "sc 1");
    TEST_EQ(v->exit, EXCP_SYSCALL);
    TEST_ASSERT(output_is(v, want, 10));
    unsigned long before = nv2_stats_total();
    printf("r3=0x%lx r4=%lu r5=%lu\n", (unsigned long)nv2_get64(v, GSB_ID_GPR(3)),
           (unsigned long)nv2_get64(v, GSB_ID_GPR(4)), (unsigned long)nv2_get64(v, GSB_ID_GPR(5)));
    TEST_EQ(nv2_stats_total(), before);        /* all three came with the exit */
    uint64_t nia = nv2_get64(v, GSB_ID_NIA);
    TEST_EQ(*(volatile uint32_t *)nhv_real(nia - 4), 0x44000022u); /* NIA: after the sc 1 */
    nv2_set64(v, GSB_ID_GPR(3), 5);            /* the L1's answer */
    TEST_EQ(v2t_run_done(v), 1005);
}

static void test_hdsi(Nv2Vcpu *v)
{
    static const uint16_t want[] = { 0xF000, 0xF001, 0xF003, 0x1021, 0x1022 };
    test_begin("0xe00: HDSI");
    v2t_call(v, (l2_fn)x_ld, NHV_L2_DATA + 0x18);
    TEST_EQ(v2t_run(v), H_SUCCESS);
    show_output(v, "load");
    TEST_EQ(v->exit, EXCP_HDSI);
    TEST_ASSERT(output_is(v, want, 5));
    printf("hdar=0x%lx hdsisr=0x%x asdr page=0x%lx nia at the load: %d\n", (unsigned long)nv2_get64(v, GSB_ID_HDAR),
           nv2_get32(v, GSB_ID_HDSISR), (unsigned long)(nv2_get64(v, GSB_ID_ASDR) & ~0xFFFUL),
           nv2_get64(v, GSB_ID_NIA) == (unsigned long)x_ld);
    TEST_EQ(nv2_get64(v, GSB_ID_HDAR), NHV_L2_DATA + 0x18);
    TEST_EQ(nv2_get64(v, GSB_ID_ASDR) & ~0xFFFUL, NHV_L2_DATA);
    v2t_call(v, (l2_fn)x_st, NHV_L2_DATA + 0x2010);
    TEST_EQ(v2t_run(v), H_SUCCESS);
    show_output(v, "store");
    TEST_ASSERT(output_is(v, want, 5));
    printf("hdar=0x%lx hdsisr=0x%x asdr page=0x%lx\n", (unsigned long)nv2_get64(v, GSB_ID_HDAR),
           nv2_get32(v, GSB_ID_HDSISR), (unsigned long)(nv2_get64(v, GSB_ID_ASDR) & ~0xFFFUL));
    TEST_ASSERT(nv2_get32(v, GSB_ID_HDSISR) & 0x02000000u);   /* DSISR[ISSTORE] */
}

static void test_hisi(Nv2Vcpu *v)
{
    static const uint16_t want[] = { 0xF000, 0xF003, 0x1021, 0x1022 };
    test_begin("0xe20: HISI");
    v2t_call(v, (l2_fn)(NHV_L2_DATA + 0x3000), 0);
    TEST_EQ(v2t_run(v), H_SUCCESS);
    show_output(v, "fetch");
    TEST_EQ(v->exit, EXCP_HISI);
    TEST_ASSERT(output_is(v, want, 4));
    printf("nia=0x%lx asdr page=0x%lx\n", (unsigned long)nv2_get64(v, GSB_ID_NIA),
           (unsigned long)(nv2_get64(v, GSB_ID_ASDR) & ~0xFFFUL));
    TEST_EQ(nv2_get64(v, GSB_ID_NIA), NHV_L2_DATA + 0x3000);
}

static void test_heai(Nv2Vcpu *v)
{
    static const uint16_t want[] = { 0xF002, 0x1021, 0x1022 };
    test_begin("0xe40: HEAI");
    v2t_call(v, (l2_fn)x_illegal, 0);
    TEST_EQ(v2t_run(v), H_SUCCESS);
    show_output(v, "illegal word");
    TEST_EQ(v->exit, EXCP_HEAI);
    TEST_ASSERT(output_is(v, want, 3));
    printf("heir=0x%lx nia at it: %d\n", (unsigned long)nv2_get64(v, GSB_ID_HEIR),
           nv2_get64(v, GSB_ID_NIA) == (unsigned long)x_illegal);
}

static void test_hfac(Nv2Vcpu *v)
{
    static const uint16_t want[] = { 0x102D, 0x1021, 0x1022 };
    test_begin("0xf80: HFAC");
    v2t_call(v, (l2_fn)x_msgsndp, 0);
    nv2_set64(v, GSB_ID_GPR(4), 0x2800007f);   /* a doorbell to a thread the core lacks */
    nv2_set64(v, GSB_ID_HFSCR, 0);             /* the L1 grants no facility */
    TEST_EQ(v2t_run(v), H_SUCCESS);
    show_output(v, "msgsndp without HFSCR[MSGP]");
    if (v->exit == EXCP_HFAC_UNAVAIL) {
        TEST_ASSERT(output_is(v, want, 3));
        printf("hfscr[ic]=0x%lx nia at it: %d\n", (unsigned long)(nv2_get64(v, GSB_ID_HFSCR) >> 56),
               nv2_get64(v, GSB_ID_NIA) == (unsigned long)x_msgsndp);
    }
    TEST_EQ(v->exit, EXCP_HFAC_UNAVAIL);
    nv2_set64(v, GSB_ID_HFSCR, ~0UL >> 8 << 8 >> 8); /* facilities back (IC byte clear) */
}

static void test_hdec(Nv2Vcpu *v)
{
    test_begin("0x980: HDEC");
    v2t_call(v, x_spin, 0);
    unsigned long deadline = mftb() + NHV_TB_HZ / 1000; /* 1 ms */
    nv2_set64(v, GSB_ID_HDEC_EXPIRY_TB, deadline);
    TEST_EQ(nv2_run(v, 0), H_SUCCESS);
    show_output(v, "spinning L2");
    TEST_EQ(v->exit, EXCP_HDECR);
    TEST_EQ(v->out_count, 0);
    TEST_ASSERT(mftb() >= deadline);
    uint64_t nia = nv2_get64(v, GSB_ID_NIA);
    printf("nia in x_spin: %d\n", nia >= (unsigned long)x_spin && nia < (unsigned long)x_spin + 64);
    v2t_call(v, x_hcall, 0);
    nv2_set64(v, GSB_ID_HDEC_EXPIRY_TB, mftb() - 1);   /* already expired */
    TEST_EQ(nv2_run(v, 0), H_SUCCESS);
    printf("expired deadline: exit 0x%lx, nia at entry: %d\n", (unsigned long)v->exit,
           nv2_get64(v, GSB_ID_NIA) == (unsigned long)x_hcall);
    TEST_EQ(v->exit, EXCP_HDECR);
}

int main(void)
{
    v2t_init();
    test_buffers();
    v2t_setup(&l2, 1, NULL);
    Nv2Vcpu *v = &l2.vcpu[0];
    test_hcall(v);
    test_hdsi(v);
    test_hisi(v);
    test_heai(v);
    test_hdec(v);
    test_hfac(v);
    TEST_EQ(nv2_guest_delete(&l2.g), H_SUCCESS);
    return test_report();
}
