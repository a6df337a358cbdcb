/*
 * mmu_ctrl.c - TLB management instructions (Power ISA v3.0B Book III
 * 5.10.1): tlbie, tlbiel, tlbsync.  Encodings: cpu/insn-mmu.decode; what
 * an invalidation drops: mmu_tlbie() in mmu/tlb.c.
 *
 * Privilege, for a guest (MSR[HV] = 0), as the ISA and QEMU 7.2 have it:
 *  - problem state: privileged-instruction program interrupt;
 *  - partition-scoped (PRS = 0) with radix translation (LPCR[HR]: the
 *    partition's radix mode, mmu_partition_radix()) is hypervisor
 *    privileged: HEAI, which L0 emulates for an L1 hypervisor that
 *    registered a partition table (hv/nested_v1.c) and otherwise turns into
 *    the privileged program interrupt a pseries guest sees on QEMU;
 *  - the broadcast forms (tlbie, tlbsync) with LPCR[GTSE] = 0 are hypervisor
 *    privileged: cpu_raise_hv_priv() -- HEAI with LPCR[EVIRT], else a
 *    privileged program interrupt, which is what a pseries guest sees;
 *  - tlbiel with PRS = 1 is always allowed in supervisor state.
 * Invalid radix forms (mmu_tlbie) are illegal instructions: HEAI, which L0
 * turns into the program interrupt QEMU gives.
 *
 * The emulated machine has one thread and no page-walk cache, so tlbie and
 * tlbiel act the same, and tlbsync (the wait for other threads) and
 * ptesync order nothing: when the instruction completes, no stale
 * translation can be used.
 */
#include "cpu/exec/exec.h"
#include "mmu/mmu.h"

static void do_tlbie(CPUState *cpu, const arg_X_tlbie *a, bool local)
{
    REQUIRE_SUPERVISOR(cpu);
    if (!a->prs && mmu_partition_radix(cpu)) {
        cpu_raise_heai(cpu); /* hypervisor privileged: L0 emulates it for an L1 hypervisor (hv/nested.h) */
        return;
    }
    if (!local && !(cpu->spr[SPR_LPCR] & LPCR_GTSE)) {
        cpu_raise_hv_priv(cpu);
        return;
    }
    /* A 32-bit tlbie is the pre-ISA-3.0 form: RB[32:63] only, no radix operands. */
    bool radix = a->r && (local || cpu_is_64bit(cpu));
    if (mmu_tlbie(cpu, cpu->gpr[a->rb], cpu->gpr[a->rs], (unsigned)a->ric, a->prs, radix, local) ==
        MMU_TLBIE_INVALID)
        cpu_raise_heai(cpu);
}

void trans_TLBIE(CPUState *cpu, const arg_X_tlbie *a)
{
    do_tlbie(cpu, a, false);
}

void trans_TLBIEL(CPUState *cpu, const arg_X_tlbie *a)
{
    do_tlbie(cpu, a, true);
}

/* tlbsync: supervisor when LPCR[GTSE] = 1, else hypervisor privileged. */
void trans_TLBSYNC(CPUState *cpu, const arg_empty *a)
{
    REQUIRE_SUPERVISOR(cpu);
    if (!(cpu->spr[SPR_LPCR] & LPCR_GTSE))
        cpu_raise_hv_priv(cpu);
}
