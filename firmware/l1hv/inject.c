/*
 * inject.c - the interrupts of H_GUEST_RUN_VCPU's run flags (external,
 * privileged doorbell, system reset) delivered by l1hv itself into a
 * vCPU's state, where the hypervisor above us does not do it (v1 has no
 * run flags): what the hardware does at the interrupt (Book III 7.5;
 * cpu/interrupt.c) and in hv/nested_v2.c's inject() order -- doorbell
 * pending in DPDES (taken when the vCPU enables MSR[EE]), external only
 * with MSR[EE] set (there is no LPCR[MER] in the state to leave it
 * pending), system reset always.
 */
#include "fw.h"
#include "l1hv.h"
#include "ppc/lpcr.h"

static void deliver(const L1hvIrqRegs *r, uint32_t vector)
{
    uint64_t msr = *r->msr, offset = 0, ail = (r->lpcr & LPCR_AIL) >> LPCR_AIL_SHIFT;
    if (vector != EXCP_RESET && (msr & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR))
        offset = ail == 3 ? AIL_OFFSET_3 : ail == 2 ? AIL_OFFSET_2 : 0;
    *r->srr0 = *r->nip;
    *r->srr1 = msr & SRR1_MSR_KEEP;
    *r->msr = (msr & MSR_ME) | MSR_SF | ((r->lpcr & LPCR_ILE) ? MSR_LE : 0) | (offset ? MSR_IR | MSR_DR : 0);
    *r->nip = vector + offset;
}

void l1hv_inject(const L1hvIrqRegs *r, uint64_t flags)
{
    if (flags & H_GUEST_RUN_PRIV_DOORBELL)
        *r->dpdes |= 1; /* thread 0's bit: every vCPU we run is alone in its core */
    if ((flags & H_GUEST_RUN_EXT_INTERRUPT) && (*r->msr & MSR_EE))
        deliver(r, EXCP_EXTERNAL);
    if (flags & H_GUEST_RUN_SYSTEM_RESET)
        deliver(r, EXCP_RESET);
}
