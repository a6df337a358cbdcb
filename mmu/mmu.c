/*
 * mmu.c - effective -> real translation for the emulated thread (see mmu.h).
 */
#include "mmu/mmu.h"

#define CTX_RELOC 0x2u
#define CTX_PR    0x4u

uint32_t mmu_ctx_for(const CPUState *cpu, bool insn)
{
    uint64_t reloc = insn ? MSR_IR : MSR_DR;
    uint32_t ctx = 0;
    if (cpu->msr & reloc)
        ctx |= CTX_RELOC;
    if (cpu->msr & MSR_PR)
        ctx |= CTX_PR;
    return ctx;
}

static bool mmu_real(CPUState *cpu, ea_t ea, MmuAccess acc, gra_t *gra, uint8_t **host)
{
    gra_t ra = ea & MMU_REAL_MODE_MASK;
    if (ra >= cpu->mem.ram_size) {
        cpu_raise_machine_check(cpu, ea, acc == MMU_EXEC    ? CPU_MC_FETCH
                                         : acc == MMU_WRITE ? CPU_MC_STORE
                                                            : CPU_MC_LOAD);
        return false;
    }
    *gra = ra;
    *host = cpu->mem.ram + ra;
    return true;
}

bool mmu_xlate(CPUState *cpu, ea_t ea, MmuAccess acc, gra_t *gra, uint8_t **host)
{
    uint64_t reloc = acc == MMU_EXEC ? MSR_IR : MSR_DR;
    if (!(cpu->msr & reloc))
        return mmu_real(cpu, ea, acc, gra, host);
    /* No process table yet: no segment translates (see the header comment). */
    if (acc == MMU_EXEC)
        cpu_interrupt(cpu, EXCP_ISEG, cpu->nip, 0);
    else {
        cpu->spr[SPR_DAR] = ea;
        cpu_interrupt(cpu, EXCP_DSEG, cpu->cia, 0);
    }
    return false;
}
