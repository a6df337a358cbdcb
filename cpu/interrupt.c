/*
 * interrupt.c - interrupt delivery (Power ISA v3.0B Book III 7).
 *
 * Interrupts that target the guest OS are delivered here exactly as the
 * hardware does: SRR0/SRR1 saved, MSR rewritten (SF set, LE from LPCR[ILE],
 * relocation from LPCR[AIL]), execution continues at the vector.  Those that
 * target the hypervisor go to L0 via cpu_hv_exit(): hardware would save
 * HSRR0/HSRR1 and enter HV real mode; here L0 is C code, so the run loop
 * ends with the exit reason and the guest state is left as the hardware
 * would leave it for the hypervisor to inspect and resume.
 */
#include "cpu/cpu.h"

#include "cpu/icache.h"
#include "ppc/hfscr.h"

/*
 * New MSR for an interrupt taken by the guest OS (Book III 7.5): HV and ME
 * are kept, SF is set, LE comes from LPCR[ILE], everything else is cleared.
 * A machine check also clears ME.
 */
static uint64_t interrupt_msr(const CPUState *cpu, uint32_t vector)
{
    uint64_t msr = (cpu->msr & (MSR_HV | MSR_ME)) | MSR_SF;
    if (cpu->spr[SPR_LPCR] & LPCR_ILE)
        msr |= MSR_LE;
    if (vector == EXCP_MCHECK)
        msr &= ~MSR_ME;
    return msr;
}

/*
 * LPCR[AIL] = 2 or 3 relocates interrupts taken with MSR[IR] = MSR[DR] = 1,
 * except system reset and machine check (Book III 7.5, "AIL").
 */
static uint64_t ail_offset(const CPUState *cpu, uint32_t vector)
{
    uint64_t ail = (cpu->spr[SPR_LPCR] & LPCR_AIL) >> LPCR_AIL_SHIFT;
    if (vector == EXCP_RESET || vector == EXCP_MCHECK)
        return 0;
    if ((cpu->msr & (MSR_IR | MSR_DR)) != (MSR_IR | MSR_DR))
        return 0;
    return ail == 3 ? AIL_OFFSET_3 : ail == 2 ? AIL_OFFSET_2 : 0;
}

void cpu_interrupt(CPUState *cpu, uint32_t vector, uint64_t srr0, uint64_t srr1_cause)
{
    uint64_t offset = ail_offset(cpu, vector);
    uint64_t new_msr = interrupt_msr(cpu, vector);
    if (offset)
        new_msr |= MSR_IR | MSR_DR;
    cpu->spr[SPR_SRR0] = srr0;
    cpu->spr[SPR_SRR1] = (cpu->msr & SRR1_MSR_KEEP) | srr1_cause;
    cpu->msr = new_msr;
    cpu->nip = vector + offset;
    cpu->resv_addr = RESV_NONE; /* an interrupt loses the reservation (as QEMU does) */
    cpu->stat_excp++;
    cpu_mode_changed(cpu);
    if (cpu->on_interrupt)
        cpu->on_interrupt(cpu, vector);
}

void cpu_raise_program(CPUState *cpu, uint64_t srr1_cause)
{
    cpu_interrupt(cpu, EXCP_PROGRAM, cpu->cia, srr1_cause);
}

void cpu_raise_priv(CPUState *cpu)
{
    cpu_raise_program(cpu, SRR1_PROG_PRIV);
}

void cpu_raise_dsi(CPUState *cpu, ea_t dar, uint32_t dsisr)
{
    cpu->spr[SPR_DAR] = dar;
    cpu->spr[SPR_DSISR] = dsisr;
    cpu_interrupt(cpu, EXCP_DSI, cpu->cia, 0);
}

/* An instruction fault is raised before the instruction runs: SRR0 = the fetch address. */
void cpu_raise_isi(CPUState *cpu, uint64_t srr1_cause)
{
    cpu_interrupt(cpu, EXCP_ISI, cpu->nip, srr1_cause);
}

void cpu_raise_alignment(CPUState *cpu, ea_t dar)
{
    cpu->spr[SPR_DAR] = dar;
    cpu_interrupt(cpu, EXCP_ALIGN, cpu->cia, 0);
}

/*
 * Access to a real address with nothing behind it, reported as QEMU 10.0
 * does on POWER9 (causes: include/ppc/excp.h).  A load sets
 * DAR and DSISR, a store only DAR; an instruction fetch sets SRR0 = the
 * fetch address and neither.
 */
void cpu_raise_machine_check(CPUState *cpu, ea_t dar, CpuMcAccess access)
{
    bool is_fetch = access == CPU_MC_FETCH;
    if (!(cpu->msr & MSR_ME)) {
        /* Book III 7.5.2: a machine check with MSR[ME] = 0 is a checkstop. */
        cpu_halt(cpu, "checkstop: machine check with MSR[ME]=0 at 0x%016llx (%s address 0x%016llx)",
                 (unsigned long long)(is_fetch ? cpu->nip : cpu->cia), is_fetch ? "fetch" : "data",
                 (unsigned long long)dar);
        return;
    }
    if (is_fetch) {
        cpu_interrupt(cpu, EXCP_MCHECK, cpu->nip, SRR1_MC_IFETCH);
        return;
    }
    cpu->spr[SPR_DAR] = dar;
    if (access == CPU_MC_LOAD) {
        cpu->spr[SPR_DSISR] = DSISR_MC_LOAD;
        cpu_interrupt(cpu, EXCP_MCHECK, cpu->cia, SRR1_MC_LOADSTORE);
    } else {
        cpu_interrupt(cpu, EXCP_MCHECK, cpu->cia, SRR1_MC_LOADSTORE | SRR1_MC_STORE);
    }
}

void cpu_raise_facility_unavailable(CPUState *cpu, uint32_t vector)
{
    cpu_interrupt(cpu, vector, cpu->cia, 0);
}

/* Facility unavailable (0xF60): FSCR[IC] (bits 0:7) names the facility. */
void cpu_raise_fscr_unavailable(CPUState *cpu, unsigned fscr_cause)
{
    cpu->spr[SPR_FSCR] = (cpu->spr[SPR_FSCR] & ~PPC_BITMASK(0, 7)) | ((uint64_t)fscr_cause << 56);
    cpu_interrupt(cpu, EXCP_FAC_UNAVAIL, cpu->cia, 0);
}

void cpu_hv_exit(CPUState *cpu, CpuExit reason, uint32_t vector, uint64_t hsrr0, uint64_t hsrr1_cause)
{
    cpu->spr[SPR_HSRR0] = hsrr0;
    cpu->spr[SPR_HSRR1] = (cpu->msr & SRR1_MSR_KEEP) | hsrr1_cause;
    cpu->nip = hsrr0;
    cpu->exit_reason = reason;
    cpu->exit_vector = vector;
    cpu->end_block = true;
}

const DecodedInsn *cpu_current_insn(const CPUState *cpu)
{
    return &cpu->fetch_page->insn[(cpu->cia >> 2) & (ICACHE_INSNS_PER_PAGE - 1)];
}

void cpu_raise_heai(CPUState *cpu)
{
    cpu->spr[SPR_HEIR] = cpu_current_insn(cpu)->raw;
    cpu_hv_exit(cpu, CPU_EXIT_HEAI, EXCP_HEAI, cpu->cia, 0);
}

/* Hypervisor facility unavailable (0xF80): HFSCR[IC] names the facility (HSRR0 = the instruction). */
void cpu_raise_hfac(CPUState *cpu, unsigned hfscr_cause)
{
    cpu->spr[SPR_HFSCR] = (cpu->spr[SPR_HFSCR] & ~HFSCR_IC_MASK) | ((uint64_t)hfscr_cause << HFSCR_IC_SHIFT);
    cpu_hv_exit(cpu, CPU_EXIT_HFAC, EXCP_HFAC_UNAVAIL, cpu->cia, 0);
}

void cpu_raise_hv_priv(CPUState *cpu)
{
    if (cpu_is_pr(cpu))
        cpu_raise_priv(cpu);
    else if (cpu->spr[SPR_LPCR] & LPCR_EVIRT)
        cpu_raise_heai(cpu);
    else
        cpu_raise_priv(cpu);
}

/*
 * Block boundary: deliver the highest-priority pending interrupt that the
 * current MSR allows.  All three are masked by MSR[EE] (a pseries partition
 * runs with LPCR[LPES0] = 1: external interrupts go to the OS).  The
 * external line is level-sensitive (up until the interrupt controller
 * drops it: H_XIRR accept, H_CPPR masking), so is the decrementer (while
 * DEC is negative, Book III 9.4); the doorbell exception is cleared when
 * its interrupt is taken (Book III 7.5, "Directed Privileged Doorbell").
 * Order: external, decrementer, doorbell (Book III 7.8, "Ordering of
 * interrupts").
 */
void cpu_check_interrupts(CPUState *cpu)
{
    /*
     * Interrupts to the hypervisor are not masked by MSR[EE] in a guest
     * (MSR[HV] = 0): the HDEC deadline L0 set for an L2, and the external
     * interrupt while LPCR[LPES] = 0 (an L2 runs; its L1's interrupt).
     */
    if (unlikely(cpu->hdec_expiry != UINT64_MAX) && cpu_hdec_pending(cpu)) {
        cpu_hv_exit(cpu, CPU_EXIT_HDEC, EXCP_HDECR, cpu->nip, 0);
        return;
    }
    if (unlikely(cpu->irq_ext && !(cpu->spr[SPR_LPCR] & LPCR_LPES))) {
        /* With LPCR[HVICE] (POWER9, what L0 gives an L2) it is a hypervisor virtualization interrupt. */
        if (cpu->spr[SPR_LPCR] & LPCR_HVICE)
            cpu_hv_exit(cpu, CPU_EXIT_HVIRT, EXCP_HVIRT, cpu->nip, 0);
        else
            cpu_hv_exit(cpu, CPU_EXIT_HEXT, EXCP_EXTERNAL, cpu->nip, 0);
        return;
    }
    if (!(cpu->msr & MSR_EE))
        return;
    if (cpu->irq_ext) {
        cpu_interrupt(cpu, EXCP_EXTERNAL, cpu->nip, 0);
    } else if (cpu_dec_pending(cpu)) {
        cpu_interrupt(cpu, EXCP_DECR, cpu->nip, 0);
    } else if (cpu->irq_doorbell) {
        cpu->irq_doorbell = false;
        cpu_interrupt(cpu, EXCP_DOORBELL, cpu->nip, 0);
    }
}

bool cpu_interrupt_pending(CPUState *cpu)
{
    return cpu->irq_ext || cpu->irq_doorbell || cpu_dec_pending(cpu) || cpu_hdec_pending(cpu);
}

/*
 * MSR bits a POWER9 thread implements for a guest (QEMU 7.2's msr_mask for
 * POWER9, measured by firmware/tests/isa/msr.c): everything else -- TS, S,
 * reserved bits -- reads as 0 whatever rfid/mtmsrd write.
 */
#define MSR_IMPLEMENTED (MSR_SF | MSR_HV | MSR_TM | MSR_VEC | MSR_VSX | MSR_EE | MSR_PR | \
                         MSR_FP | MSR_ME | MSR_FE0 | MSR_SE | MSR_BE | MSR_FE1 | MSR_IR | \
                         MSR_DR | MSR_PMM | MSR_RI | MSR_LE)

/*
 * MSR writes by the guest (rfid, mtmsrd): only implemented bits, MSR[HV]
 * never changes, and MSR[ME] once set stays set -- a partition cannot mask
 * machine checks (ISA: a non-hypervisor rfid leaves ME alone; QEMU 7.2 lets
 * rfid clear it, see docs/conformance.md).  MSR[PR] = 1 forces EE, IR and
 * DR to 1 (Book III 4.2.1; QEMU does the same).
 */
void cpu_write_msr(CPUState *cpu, uint64_t new_msr)
{
    new_msr &= MSR_IMPLEMENTED;
    new_msr = (new_msr & ~MSR_HV) | (cpu->msr & MSR_HV);
    new_msr |= cpu->msr & MSR_ME;
    if (new_msr & MSR_PR)
        new_msr |= MSR_EE | MSR_IR | MSR_DR;
    cpu->msr = new_msr;
    cpu_mode_changed(cpu);
}
