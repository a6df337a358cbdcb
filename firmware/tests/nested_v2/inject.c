/* nesthv-test-args: -M pseries,cap-nested-papr=on */
/*
 * inject.c - interrupts the L0 synthesises in the L2 on request of
 * H_GUEST_RUN_VCPU's flags (PAPR: bit 0 external, bit 1 privileged
 * doorbell, bit 2 system reset), as the L2 observes them: its vector stub
 * (v2t.h / ../nested/nhv.h) reports the vector it entered and SRR0, which
 * must be inside the loop it was spinning in (MSR[EE] = 1).  Reserved run
 * flags are refused.  QEMU 10 implements no run flag (H_PARAMETER for any:
 * .qemu10-diff).
 */
#include "v2t.h"

static V2tL2 l2;

static unsigned long ij_spin(unsigned long a)
{
    for (;;)
        __asm__ volatile("");
    return a;
}

static void inject(Nv2Vcpu *v, const char *what, uint64_t flag, unsigned long vector)
{
    v2t_call(v, ij_spin, 0);
    nv2_set64(v, GSB_ID_MSR, V2T_L2_MSR | MSR_EE);
    long rc = v2t_run_flags(v, flag);
    uint64_t r3 = rc == H_SUCCESS && v->exit == EXCP_SYSCALL ? nv2_get64(v, GSB_ID_GPR(3)) : 0;
    uint64_t srr0 = rc == H_SUCCESS && v->exit == EXCP_SYSCALL ? nv2_get64(v, GSB_ID_GPR(4)) : 0;
    printf("%s: rc=%ld exit 0x%lx, L2 entered vector 0x%lx, interrupted in its loop: %d\n", what, rc,
           (unsigned long)v->exit, (unsigned long)(r3 & ~NHV_HC_IRQ),
           srr0 >= (unsigned long)ij_spin && srr0 < (unsigned long)ij_spin + 64);
    TEST_EQ(rc, H_SUCCESS);
    TEST_EQ(v->exit, EXCP_SYSCALL);
    TEST_EQ(r3, NHV_HC_IRQ | vector);
    TEST_ASSERT(srr0 >= (unsigned long)ij_spin && srr0 < (unsigned long)ij_spin + 64);
}

int main(void)
{
    v2t_init();
    v2t_setup(&l2, 1, NULL);
    Nv2Vcpu *v = &l2.vcpu[0];
    test_begin("run flags");
    inject(v, "external interrupt (bit 0)", NV2_RUN_EXTERNAL, EXCP_EXTERNAL);
    inject(v, "privileged doorbell (bit 1)", NV2_RUN_DOORBELL, EXCP_DOORBELL);
    inject(v, "system reset (bit 2)", NV2_RUN_RESET, EXCP_RESET);
    uint64_t r4 = 0;
    TEST_EQ(nv2_flush_vcpu(v), H_SUCCESS);
    long rc = nv2_run_vcpu(1ULL << 40, l2.g.id, 0, &r4);
    printf("reserved flag: refused %d\n", rc != H_SUCCESS);
    TEST_NE(rc, H_SUCCESS);
    TEST_EQ(nv2_guest_delete(&l2.g), H_SUCCESS);
    return test_report();
}
