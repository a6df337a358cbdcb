/* nesthv-test-args: -M pseries,cap-nested-hv=off */
/*
 * capoff.c - without -M pseries,cap-nested-hv=on (QEMU's default is off,
 * nesthv's on) every nested-HV v1 hypercall is H_FUNCTION, the L1's
 * partition-scoped tlbie is the privileged-instruction program interrupt
 * it always is on a pseries guest, and H_RPT_INVALIDATE is not advertised.
 */
#include "nhv.h"

static int on_trap(struct fw_trap *t)
{
    printf("interrupt 0x%lx srr1 cause 0x%lx\n", (unsigned long)t->vec, (unsigned long)(t->srr1 & 0x1f0000));
    t->srr0 += 4;
    return 0;
}

int main(void)
{
    struct nhv_hvgs hv;
    struct nhv_regs regs;
    memset(&hv, 0, sizeof hv);
    memset(&regs, 0, sizeof regs);
    hv.version = HVGS_VERSION_2;
    hv.lpid = 1;
    test_begin("nested HV off");
    printf("H_SET_PARTITION_TABLE %ld\n", hcall(H_SET_PARTITION_TABLE, NHV_PTAB));
    printf("H_ENTER_NESTED %ld\n", hcall(H_ENTER_NESTED, (unsigned long)&hv, (unsigned long)&regs));
    printf("H_TLB_INVALIDATE %ld\n", hcall(H_TLB_INVALIDATE, TLBIE_INSN_R, 1, 0));
    printf("H_COPY_TOFROM_GUEST %ld\n", hcall(H_COPY_TOFROM_GUEST, 1, 0, 0, (unsigned long)&hv, 0, 8));
    printf("H_RPT_INVALIDATE %ld\n", hcall(H_RPT_INVALIDATE, 0, H_RPTI_TARGET_CMMU, H_RPTI_TYPE_TLB,
                                           H_RPTI_PAGE_ALL, 0, ~0UL));
    const void *fdt = fw_fdt();
    printf("hcall-rpt-invalidate advertised: %d\n",
           fdt_prop_has_string(fdt, fdt_node_by_path(fdt, "/rtas"), "ibm,hypertas-functions",
                               "hcall-rpt-invalidate"));
    /* radix, so that PRS=0 is the hypervisor-privileged form */
    memset(nhv_real(0x03000000UL), 0, NHV_PAGE);
    TEST_EQ(hcall(H_REGISTER_PROCESS_TABLE, PROC_TABLE_NEW | PROC_TABLE_RADIX | PROC_TABLE_GTSE, 0x03000000UL, 0, 0),
            H_SUCCESS);
    fw_set_trap_handler(on_trap);
    printf("tlbie PRS=0: ");
    __asm__ volatile("tlbie %0, %1, 2, 0, 1" : : "r"(2UL << 10), "r"(1UL) : "memory");
    fw_set_trap_handler(NULL);
    return test_report();
}
