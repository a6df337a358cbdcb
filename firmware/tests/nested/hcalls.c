/* nesthv-test-args: -M pseries,cap-nested-hv=on */
/*
 * hcalls.c - the nested-HV v1 hypercalls' answers: success and every error
 * code nesthv gives, with Linux KVM-HV's rules (papr-nested.md).  QEMU
 * 7.2 checks much less -- it enters the L2 where Linux refuses (version 0,
 * an lpid past the table, a vcpu_token too large: those calls are made
 * with an HDEC deadline in the past, so QEMU returns at once with 0x980),
 * answers H_TLB_INVALIDATE H_SUCCESS whatever its operands, and has no
 * H_COPY_TOFROM_GUEST or (under TCG) H_RPT_INVALIDATE: qemu-diff.  Calls
 * that crash QEMU 7.2 (lpid 0, unreadable structures) are covered by the
 * host unit test tests/unit/hv/test_nested.c instead.
 */
#include "nhv.h"

#define L1_PRTB 0x03000000UL

static NhvGuest g;

static unsigned long l2_ret(unsigned long a)
{
    return a * 2;
}

static void rc_line(const char *what, long rc)
{
    printf("%-52s %ld\n", what, rc);
}

/* H_ENTER_NESTED with a deadline in the past: errors, or an immediate 0x980 on a lax hypervisor. */
static long enter_expired(void)
{
    g.hv.hdec_expiry = 0;
    return nhv_enter(&g);
}

static void test_set_partition_table(void)
{
    test_begin("H_SET_PARTITION_TABLE");
    rc_line("enter before any table", enter_expired());
    rc_line("PATS 5 (8192 guests)", hcall(H_SET_PARTITION_TABLE, NHV_PTAB | 5));
    rc_line("table outside L1 memory", hcall(H_SET_PARTITION_TABLE, 0x80000000UL));
    rc_line("PATS 4", hcall(H_SET_PARTITION_TABLE, NHV_PTAB | 4));
    rc_line("0 (no table)", hcall(H_SET_PARTITION_TABLE, 0));
    rc_line("enter without a table", enter_expired());
    nhv_init(0);
}

static void test_enter(void)
{
    test_begin("H_ENTER_NESTED");
    nhv_call(&g, l2_ret, 21);
    rc_line("version 2", nhv_run(&g));
    TEST_EQ(g.regs.gpr[4], 42);
    g.hv.version = HVGS_VERSION_1;
    nhv_call(&g, l2_ret, 22);
    rc_line("version 1", nhv_run(&g));
    TEST_EQ(g.regs.gpr[4], 44);
    g.hv.version = 3;
    rc_line("version 3", enter_expired());
    g.hv.version = 0;
    rc_line("version 0", enter_expired());
    g.hv.version = HVGS_VERSION_2;
    g.hv.lpid = 256;
    rc_line("lpid 256 (past a 256-entry table)", enter_expired());
    g.hv.lpid = 255;
    rc_line("lpid 255 (no entry: HDEC first)", enter_expired());
    g.hv.lpid = g.lpid;
    g.hv.vcpu_token = 2048;
    rc_line("vcpu_token 2048", enter_expired());
    g.hv.vcpu_token = 2047;
    rc_line("vcpu_token 2047", enter_expired());
    g.hv.vcpu_token = 0;
}

static void test_tlb_invalidate(void)
{
    static const struct {
        const char *what;
        unsigned ric, prs, r, is, ap;
    } cases[] = {
        { "IS=0 RIC=0 AP=0 (4K page)", 0, 0, 1, 0, 0 },
        { "IS=0 RIC=0 AP=5 (64K page)", 0, 0, 1, 0, 5 },
        { "IS=0 RIC=0 AP=1 (2M page)", 0, 0, 1, 0, 1 },
        { "IS=0 RIC=0 AP=2 (1G page)", 0, 0, 1, 0, 2 },
        { "IS=2 RIC=0 (lpid)", 0, 0, 1, 2, 0 },
        { "IS=2 RIC=1 (lpid, page walk cache)", 1, 0, 1, 2, 0 },
        { "IS=2 RIC=2 (lpid, everything)", 2, 0, 1, 2, 0 },
        { "IS=3 RIC=0 (all)", 0, 0, 1, 3, 0 },
        { "R=0 (hash)", 0, 0, 0, 2, 0 },
        { "PRS=1", 0, 1, 1, 2, 0 },
        { "RIC=3", 3, 0, 1, 2, 0 },
        { "IS=1", 0, 0, 1, 1, 0 },
        { "IS=0 RIC=1", 1, 0, 1, 0, 0 },
        { "IS=0 RIC=2", 2, 0, 1, 0, 0 },
        { "IS=0 AP=3 (no such page size)", 0, 0, 1, 0, 3 },
    };
    test_begin("H_TLB_INVALIDATE");
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned long insn = (unsigned long)cases[i].ric << TLBIE_INSN_RIC_SHIFT |
                             (cases[i].prs ? TLBIE_INSN_PRS : 0) | (cases[i].r ? TLBIE_INSN_R : 0);
        unsigned long rb = NHV_L2_DATA | (unsigned long)cases[i].is << TLBIE_RB_IS_SHIFT |
                           (unsigned long)cases[i].ap << TLBIE_RB_AP_SHIFT;
        rc_line(cases[i].what, hcall(H_TLB_INVALIDATE, insn, g.lpid, rb));
    }
    rc_line("an lpid without a guest", hcall(H_TLB_INVALIDATE, TLBIE_INSN_R, 7, NHV_L2_DATA));
}

static void test_copy(void)
{
    unsigned long buf = 0;
    test_begin("H_COPY_TOFROM_GUEST");
    nhv_guest_pate(&g, PATE1_GR | 0x01400000UL);  /* a process table of zeros: nothing translates */
    memset(nhv_real(0x01400000UL), 0, NHV_PAGE);
    rc_line("both directions", hcall(H_COPY_TOFROM_GUEST, g.lpid, 0, 0x1000, (unsigned long)&buf,
                                     (unsigned long)&buf, 8));
    rc_line("eaddr past 52 bits", hcall(H_COPY_TOFROM_GUEST, g.lpid, 0, 1UL << 52, (unsigned long)&buf, 0, 8));
    rc_line("an lpid without a guest", hcall(H_COPY_TOFROM_GUEST, 9, 0, 0x1000, (unsigned long)&buf, 0, 8));
    rc_line("lpid 2^32 + 1", hcall(H_COPY_TOFROM_GUEST, (1UL << 32) | g.lpid, 0, 0x1000, (unsigned long)&buf, 0, 8));
    rc_line("nothing translates there", hcall(H_COPY_TOFROM_GUEST, g.lpid, 0, 0x1000, (unsigned long)&buf, 0, 8));
    rc_line("zero bytes", hcall(H_COPY_TOFROM_GUEST, g.lpid, 0, 0x1000, (unsigned long)&buf, 0, 0));
    nhv_guest_pate(&g, 0);
}

static void test_rpt(void)
{
    test_begin("H_RPT_INVALIDATE");
    rc_line("from a hash L1", hcall(H_RPT_INVALIDATE, 0, H_RPTI_TARGET_CMMU, H_RPTI_TYPE_TLB, H_RPTI_PAGE_ALL, 0, ~0UL));
    memset(nhv_real(L1_PRTB), 0, NHV_PAGE);
    TEST_EQ(hcall(H_REGISTER_PROCESS_TABLE, PROC_TABLE_NEW | PROC_TABLE_RADIX | PROC_TABLE_GTSE, L1_PRTB, 0, 0),
            H_SUCCESS);
    rc_line("process scope, PID 0", hcall(H_RPT_INVALIDATE, 0, H_RPTI_TARGET_CMMU,
                                          H_RPTI_TYPE_TLB | H_RPTI_TYPE_PWC, H_RPTI_PAGE_ALL, 0, ~0UL));
    rc_line("process scope, a range", hcall(H_RPT_INVALIDATE, 5, H_RPTI_TARGET_CMMU_LOCAL, H_RPTI_TYPE_TLB,
                                            H_RPTI_PAGE_4K, 0x10000, 0x20000));
    rc_line("end below start", hcall(H_RPT_INVALIDATE, 0, H_RPTI_TARGET_CMMU, H_RPTI_TYPE_TLB, H_RPTI_PAGE_ALL,
                                     0x2000, 0x1000));
    rc_line("nested, target CMMU_LOCAL", hcall(H_RPT_INVALIDATE, g.lpid, H_RPTI_TARGET_CMMU_LOCAL,
                                               H_RPTI_TYPE_NESTED | H_RPTI_TYPE_TLB, H_RPTI_PAGE_ALL, 0, ~0UL));
    rc_line("nested, target NMMU", hcall(H_RPT_INVALIDATE, g.lpid, H_RPTI_TARGET_NMMU,
                                         H_RPTI_TYPE_NESTED | H_RPTI_TYPE_TLB, H_RPTI_PAGE_ALL, 0, ~0UL));
    rc_line("nested, a range of no known page size", hcall(H_RPT_INVALIDATE, g.lpid, H_RPTI_TARGET_CMMU,
                                                           H_RPTI_TYPE_NESTED | H_RPTI_TYPE_TLB, 0x10, 0x1000, 0x3000));
    rc_line("nested, a 4K range", hcall(H_RPT_INVALIDATE, g.lpid, H_RPTI_TARGET_CMMU,
                                        H_RPTI_TYPE_NESTED | H_RPTI_TYPE_TLB, H_RPTI_PAGE_4K, 0x1000, 0x3000));
    rc_line("nested, everything", hcall(H_RPT_INVALIDATE, g.lpid, H_RPTI_TARGET_CMMU,
                                        H_RPTI_TYPE_NESTED | H_RPTI_TYPE_NESTED_ALL, H_RPTI_PAGE_ALL, 0, ~0UL));
    rc_line("nested, an lpid without a guest", hcall(H_RPT_INVALIDATE, 99, H_RPTI_TARGET_CMMU,
                                                     H_RPTI_TYPE_NESTED | H_RPTI_TYPE_TLB, H_RPTI_PAGE_ALL, 0, ~0UL));
}

static void test_fdt(void)
{
    const void *fdt = fw_fdt();
    int rtas = fdt_node_by_path(fdt, "/rtas");
    test_begin("advertised");
    printf("ibm,hypertas-functions has hcall-rpt-invalidate: %d\n",
           fdt_prop_has_string(fdt, rtas, "ibm,hypertas-functions", "hcall-rpt-invalidate"));
}

int main(void)
{
    memset(&g, 0, sizeof g);
    g.lpid = 1;
    g.hv.version = HVGS_VERSION_2;
    g.hv.lpid = 1;
    test_set_partition_table();
    nhv_guest_init(&g, 1, NULL);
    test_enter();
    test_tlb_invalidate();
    test_copy();
    test_rpt();
    test_fdt();
    return test_report();
}
