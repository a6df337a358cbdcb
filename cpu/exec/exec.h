/*
 * exec.h - what every instruction handler needs.
 *
 * Handlers are `void trans_NAME(CPUState *cpu, const arg_X *a)`, declared by
 * the generated decode.h from the cpu/insn-<chapter>.decode files.  When a handler runs,
 * cpu->cia is its address and cpu->nip already points past it; a branch
 * writes cpu->nip.  A handler that raises an interrupt returns immediately
 * without changing any more state.  Privilege checks come first and cite
 * the ISA section that requires them.
 */
#ifndef NESTHV_CPU_EXEC_H
#define NESTHV_CPU_EXEC_H

#include "cpu/cpu.h"
#include "cpu/mem.h"

/* Privileged instruction (Book III 2.3): problem state gets a privileged program interrupt. */
#define REQUIRE_SUPERVISOR(cpu)       \
    do {                              \
        if (cpu_is_pr(cpu)) {         \
            cpu_raise_priv(cpu);      \
            return;                   \
        }                             \
    } while (0)

/*
 * Hypervisor-privileged instruction: the emulated thread never runs in
 * hypervisor state, so this always raises (HEAI with LPCR[EVIRT], else a
 * privileged program interrupt; Book III 2.3, 7.5.17).
 */
#define REQUIRE_HYPERVISOR(cpu)       \
    do {                              \
        cpu_raise_hv_priv(cpu);       \
        return;                       \
    } while (0)

/* rA|0 addressing: register 0 reads as zero in base-address position. */
static inline uint64_t reg_or_zero(const CPUState *cpu, int r)
{
    return r ? cpu->gpr[r] : 0;
}

static inline bool cpu_is_64bit(const CPUState *cpu) { return (cpu->msr & MSR_SF) != 0; }

#endif
