/*
 * xics.c - XICS interrupt hypercalls (PAPR 14.5.4.2): H_CPPR, H_IPI,
 * H_XIRR, H_XIRR_X, H_EOI, H_IPOLL, and the external interrupt line of each
 * vCPU.
 *
 * Each vCPU's presentation controller is an XicsIcp (hv/xics.h, the state
 * machine); after every change L0 copies its output to the thread's
 * external interrupt input (cpu->irq_ext), which the CPU delivers as 0x500
 * while MSR[EE] = 1, and wakes the vCPU if it was idle in H_CEDE.
 *
 * Parameter checks are QEMU's (hw/intc/xics_spapr.c): H_IPI and H_IPOLL
 * answer H_PARAMETER for a server number that names no vCPU; CPPR, MFRR
 * and the EOI value are taken modulo their register width (CPPR/MFRR 8
 * bits, XIRR 32 bits) without a check.  One deliberate difference: QEMU
 * truncates the server number to an int (server 2^32 is vCPU 0); nesthv
 * compares all 64 bits, so such a number is H_PARAMETER.
 */
#include "hv/hv.h"
#include "ppc/hcall.h"

void hv_xics_update(Hv *hv, HvVcpu *v)
{
    v->cpu->irq_ext = v->icp.output;
    if (v->icp.output && v->state == HV_VCPU_IDLE)
        hv_vcpu_wake(hv, v);
}

/* H_CPPR(cppr): the calling vCPU's current processor priority. */
long hv_h_cppr(Hv *hv, CPUState *cpu)
{
    HvVcpu *v = hv_vcpu(hv, cpu);
    xics_icp_set_cppr(&v->icp, (uint8_t)cpu->gpr[4]);
    hv_xics_update(hv, v);
    return H_SUCCESS;
}

/* H_IPI(server, mfrr): request an IPI of priority mfrr at server (any vCPU, itself included). */
long hv_h_ipi(Hv *hv, CPUState *cpu)
{
    HvVcpu *target = hv_vcpu_by_id(hv, cpu->gpr[4]);
    if (!target)
        return H_PARAMETER;
    xics_icp_set_mfrr(&target->icp, (uint8_t)cpu->gpr[5]);
    hv_xics_update(hv, target);
    return H_SUCCESS;
}

/* H_XIRR: r4 = XIRR, accepting the presented interrupt. */
long hv_h_xirr(Hv *hv, CPUState *cpu)
{
    HvVcpu *v = hv_vcpu(hv, cpu);
    cpu->gpr[4] = xics_icp_accept(&v->icp);
    hv_xics_update(hv, v);
    return H_SUCCESS;
}

/* H_XIRR_X: as H_XIRR, and r5 = the timebase when it was accepted (QEMU: host ticks). */
long hv_h_xirr_x(Hv *hv, CPUState *cpu)
{
    long rc = hv_h_xirr(hv, cpu);
    cpu->gpr[5] = cpu_get_tb(cpu);
    return rc;
}

/* H_EOI(xirr): end of interrupt; CPPR <- xirr's CPPR. */
long hv_h_eoi(Hv *hv, CPUState *cpu)
{
    HvVcpu *v = hv_vcpu(hv, cpu);
    xics_icp_eoi(&v->icp, (uint32_t)cpu->gpr[4]);
    hv_xics_update(hv, v);
    return H_SUCCESS;
}

/* H_IPOLL(server): r4 = server's XIRR, r5 = its MFRR, without accepting anything. */
long hv_h_ipoll(Hv *hv, CPUState *cpu)
{
    HvVcpu *target = hv_vcpu_by_id(hv, cpu->gpr[4]);
    if (!target)
        return H_PARAMETER;
    cpu->gpr[4] = target->icp.xirr;
    cpu->gpr[5] = target->icp.mfrr;
    return H_SUCCESS;
}
