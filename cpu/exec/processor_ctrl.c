/*
 * processor_ctrl.c - system call, interrupt return, MSR and SPR moves, and
 * the trap instructions.
 *
 * Power ISA v3.0B Book III 3.3 (sc, scv, rfid, rfscv, hrfid), 4.4 (mtmsr,
 * mtmsrd, mfmsr), 5.4.4 (mtspr, mfspr; the table is cpu/spr.c), Book II
 * 5.2 (mftb), Book I 3.3.11 (tw, twi, td, tdi).
 *
 * Behaviour a pseries guest can observe follows QEMU 7.2 (the oracle):
 *   - sc LEV=1 is a hypercall: it leaves cpu_run() with CPU_EXIT_HCALL and
 *     HSRR0 = the next instruction.  From problem state too: L0 answers
 *     H_PRIVILEGE when HSRR1[PR] is set (QEMU's spapr does the same).  Any
 *     other LEV is a system call to the guest OS (QEMU: only 1 is special).
 *   - scv needs FSCR[SCV] (else facility unavailable, IC = SCV), then
 *     enters 0x17000 + 0x20 * LEV with LR = next instruction, CTR = MSR.
 *   - mtmsrd L=0 leaves HV, S, ME and LE alone; mtmsr L=0 writes the low
 *     word only, minus ME and LE; L=1 of either writes EE and RI only.
 *   - mftb (opcode 371) is mfspr with another extended opcode: any SPR.
 * Every MSR write goes through cpu_write_msr() (implemented bits, HV and
 * ME rules, PR forcing EE/IR/DR), which ends the block.
 */
#include "cpu/exec/exec.h"
#include "cpu/spr.h"
#include "ppc/fscr.h"

/* scv vectors (Book III 7.5.x "System Call Vectored") */
#define SCV_VECTOR_BASE     0x17000ULL
#define SCV_VECTOR_STRIDE   0x20ULL
#define SCV_AIL3_BASE       0xC000000000003000ULL
#define AIL_MODE_3          3
#define AIL_RESERVED        1

/* MSR bits mtmsrd (L=0) cannot change, and those mtmsr (L=0) cannot. */
#define MTMSRD_KEEP  (MSR_HV | MSR_S | MSR_ME | MSR_LE)
#define MTMSR_KEEP   (PPC_BITMASK(0, 31) | MSR_ME | MSR_LE)
#define MTMSR_L1_BITS (MSR_EE | MSR_RI)

/* ---- system call (Book III 3.3.1) ------------------------------------------- */

#define SC_LEV_HCALL 1

void trans_SC(CPUState *cpu, const arg_SC *a)
{
    if (a->lev == SC_LEV_HCALL) {
        cpu_hv_exit(cpu, CPU_EXIT_HCALL, EXCP_SYSCALL, cpu->nip, 0);
        return;
    }
    cpu_interrupt(cpu, EXCP_SYSCALL, cpu->nip, 0);
}

/*
 * scv (ISA 3.0): SRR0/SRR1 are not used; LR <- next instruction, CTR <- MSR
 * (with the interrupt-specific bits clear).  The new MSR keeps EE and RI.
 * LPCR[AIL] applies when MSR[IR] = MSR[DR] = 1: AIL=2 sets IR/DR without
 * moving the vector, AIL=3 moves it to 0xC000_0000_0000_3000.
 */
void trans_SCV(CPUState *cpu, const arg_SC *a)
{
    if (!(cpu->spr[SPR_FSCR] & FSCR_SCV)) {
        cpu_raise_fscr_unavailable(cpu, FSCR_IC_SCV);
        return;
    }
    uint64_t old = cpu->msr;
    uint64_t msr = (old & (MSR_HV | MSR_ME | MSR_EE | MSR_RI)) | MSR_SF;
    uint64_t vec = SCV_VECTOR_BASE + (uint64_t)a->lev * SCV_VECTOR_STRIDE;
    uint64_t ail = (cpu->spr[SPR_LPCR] & LPCR_AIL) >> LPCR_AIL_SHIFT;
    if (cpu->spr[SPR_LPCR] & LPCR_ILE)
        msr |= MSR_LE;
    if ((old & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR) && ail > AIL_RESERVED) {
        msr |= MSR_IR | MSR_DR;
        if (ail == AIL_MODE_3)
            vec = vec - SCV_VECTOR_BASE + SCV_AIL3_BASE;
    }
    cpu->lr = cpu->nip;
    cpu->ctr = old & SRR1_MSR_KEEP;
    cpu->msr = msr;
    cpu->nip = vec;
    cpu->resv_addr = RESV_NONE;
    cpu->stat_excp++;
    cpu_mode_changed(cpu);
}

/* ---- interrupt return (Book III 3.3.2) ------------------------------------- */

static void do_rfi(CPUState *cpu, uint64_t nip, uint64_t msr)
{
    cpu->spr[SPR_CFAR] = cpu->cia;
    cpu_write_msr(cpu, msr);
    if (!(cpu->msr & MSR_SF))
        nip = (uint32_t)nip;
    cpu->nip = nip & ~3ULL;
    cpu->resv_addr = RESV_NONE;
}

void trans_RFID(CPUState *cpu, const arg_empty *a)
{
    REQUIRE_SUPERVISOR(cpu);
    do_rfi(cpu, cpu->spr[SPR_SRR0], cpu->spr[SPR_SRR1]);
}

void trans_RFSCV(CPUState *cpu, const arg_empty *a)
{
    REQUIRE_SUPERVISOR(cpu);
    do_rfi(cpu, cpu->lr, cpu->ctr);
}

void trans_HRFID(CPUState *cpu, const arg_empty *a)
{
    REQUIRE_HYPERVISOR(cpu);
}

/* ---- MSR (Book III 4.4) -------------------------------------------------------- */

/* L=1: only EE and RI change, the translation context does not. */
static void msr_write_ee_ri(CPUState *cpu, uint64_t rs)
{
    cpu->msr = (cpu->msr & ~MTMSR_L1_BITS) | (rs & MTMSR_L1_BITS);
    cpu->end_block = true;  /* EE may unmask a pending interrupt */
}

void trans_MTMSRD(CPUState *cpu, const arg_X_msr *a)
{
    REQUIRE_SUPERVISOR(cpu);
    uint64_t rs = cpu->gpr[a->rs];
    if (a->l) {
        msr_write_ee_ri(cpu, rs);
        return;
    }
    cpu_write_msr(cpu, (rs & ~MTMSRD_KEEP) | (cpu->msr & MTMSRD_KEEP));
}

void trans_MTMSR(CPUState *cpu, const arg_X_msr *a)
{
    REQUIRE_SUPERVISOR(cpu);
    uint64_t rs = cpu->gpr[a->rs];
    if (a->l) {
        msr_write_ee_ri(cpu, rs);
        return;
    }
    cpu_write_msr(cpu, (rs & ~MTMSR_KEEP) | (cpu->msr & MTMSR_KEEP));
}

void trans_MFMSR(CPUState *cpu, const arg_X_rt *a)
{
    REQUIRE_SUPERVISOR(cpu);
    cpu->gpr[a->rt] = cpu->msr;
}

/* ---- SPR moves (Book III 5.4.4) ---------------------------------------------- */

void trans_MFSPR(CPUState *cpu, const arg_X_spr *a)
{
    uint64_t v;
    if (cpu_mfspr(cpu, (unsigned)a->spr, &v))
        cpu->gpr[a->rt] = v;
}

void trans_MTSPR(CPUState *cpu, const arg_X_spr *a)
{
    cpu_mtspr(cpu, (unsigned)a->spr, cpu->gpr[a->rt]);
}

/* mftb: the old opcode of mfspr 268/269; QEMU accepts any SPR number here. */
void trans_MFTB(CPUState *cpu, const arg_X_spr *a)
{
    trans_MFSPR(cpu, a);
}

/* ---- trap (Book I 3.3.11) ------------------------------------------------------ */

/* TO bits, as values of the 5-bit field */
#define TO_LT   0x10
#define TO_GT   0x08
#define TO_EQ   0x04
#define TO_LTU  0x02
#define TO_GTU  0x01

static inline bool trap_cond(unsigned to, int64_t a, int64_t b)
{
    return ((to & TO_LT) && a < b) || ((to & TO_GT) && a > b) || ((to & TO_EQ) && a == b) ||
           ((to & TO_LTU) && (uint64_t)a < (uint64_t)b) ||
           ((to & TO_GTU) && (uint64_t)a > (uint64_t)b);
}

static inline void do_trap(CPUState *cpu, bool cond)
{
    if (cond)
        cpu_raise_program(cpu, SRR1_PROG_TRAP);
}

/* Word traps compare the low words: sign-extended for the signed tests and
   zero-extended for the unsigned ones keep the same order. */
static inline bool trap_cond_w(unsigned to, uint64_t a, uint64_t b)
{
    return trap_cond(to & (TO_LT | TO_GT | TO_EQ), (int32_t)a, (int32_t)b) ||
           trap_cond(to & (TO_LTU | TO_GTU), (int64_t)(uint32_t)a, (int64_t)(uint32_t)b);
}

void trans_TW(CPUState *cpu, const arg_TRAP *a)
{
    do_trap(cpu, trap_cond_w(a->to, cpu->gpr[a->ra], cpu->gpr[a->rb]));
}

void trans_TWI(CPUState *cpu, const arg_D_trap *a)
{
    do_trap(cpu, trap_cond_w(a->to, cpu->gpr[a->ra], (uint64_t)(int64_t)a->si));
}

void trans_TD(CPUState *cpu, const arg_TRAP *a)
{
    do_trap(cpu, trap_cond(a->to, (int64_t)cpu->gpr[a->ra], (int64_t)cpu->gpr[a->rb]));
}

void trans_TDI(CPUState *cpu, const arg_D_trap *a)
{
    do_trap(cpu, trap_cond(a->to, (int64_t)cpu->gpr[a->ra], a->si));
}
