/*
 * storage_ctrl.c - storage control instructions (Power ISA v3.0B Book II
 * chapter 4, Book I 1.7): cache management (dcbz, dcbt, dcbtst, dcbst,
 * dcbf, icbi, and Book III's dcbi), synchronization (sync in all its L
 * forms, eieio, isync), wait, and cpabort.  Encodings:
 * cpu/insn-loadstore.decode.
 *
 * The emulated thread has no data cache and executes one instruction at a
 * time in program order, so the barriers and cache hints do nothing.  What
 * a program can see is which of them access storage, and so can fault --
 * here as on QEMU 7.2:
 *  - dcbz zeroes the aligned CPU_CACHE_BLOCK containing EA; it faults like a
 *    store at that block's address;
 *  - dcbst, dcbf and dcbi access EA like a one-byte load (dcbi then stores
 *    the byte back: it invalidates without writing back);
 *  - icbi accesses the start of EA's block like a load, then drops the
 *    decoded instructions of that page (cpu/icache.h), so code written
 *    there is decoded again;
 *  - dcbt and dcbtst never fault.
 *
 * wait (WC = 0) stops the thread until an interrupt: cpu_run() returns
 * CPU_EXIT_IDLE with NIP at the next instruction, and the owner of the
 * thread resumes it when an interrupt is due, as for H_CEDE.  QEMU 7.2
 * halts the vCPU the same way.
 */
#include "cpu/exec/loadstore.h"

#include "cpu/icache.h"

/* ---- cache management (Book II 4.3) ------------------------------------------------- */

void trans_DCBZ(CPUState *cpu, const arg_X_cache *a)
{
    (void)cpu_zero_block(cpu, ea_index(cpu, a->ra, a->rb), CPU_CACHE_BLOCK);
}

void trans_DCBT(CPUState *cpu, const arg_X_cache *a)
{
}

void trans_DCBTST(CPUState *cpu, const arg_X_cache *a)
{
}

/* A cache operation that the MMU treats as a load of EA: only its faults show. */
static void probe_as_load(CPUState *cpu, ea_t ea)
{
    gra_t gra;
    uint8_t *host;
    (void)cpu_xlate_data(cpu, ea, false, &gra, &host);
}

void trans_DCBST(CPUState *cpu, const arg_X_cache *a)
{
    probe_as_load(cpu, ea_index(cpu, a->ra, a->rb));
}

void trans_DCBF(CPUState *cpu, const arg_X_cache *a)
{
    probe_as_load(cpu, ea_index(cpu, a->ra, a->rb));
}

/* dcbi is privileged (Book III 4.4.1). */
void trans_DCBI(CPUState *cpu, const arg_X_cache *a)
{
    ea_t ea = ea_index(cpu, a->ra, a->rb);
    uint64_t byte;
    REQUIRE_SUPERVISOR(cpu);
    if (cpu_ld(cpu, ea, 1, &byte))
        (void)cpu_st(cpu, ea, 1, byte);
}

void trans_ICBI(CPUState *cpu, const arg_X_cache *a)
{
    ea_t ea = ea_index(cpu, a->ra, a->rb);
    ea_t block = cpu_ea(cpu, ea & ~(uint64_t)(CPU_CACHE_BLOCK - 1));
    gra_t gra;
    uint8_t *host;
    if (cpu_xlate_data(cpu, block, false, &gra, &host))
        icache_invalidate(cpu, (hra_t)(host - cpu->mem.ram));
}

/* ---- synchronization (Book II 4.6.3-4.6.4, Book I 1.7.1) --------------------------------- */

void trans_SYNC(CPUState *cpu, const arg_empty *a)
{
}

void trans_EIEIO(CPUState *cpu, const arg_empty *a)
{
}

void trans_ISYNC(CPUState *cpu, const arg_empty *a)
{
}

void trans_WAIT(CPUState *cpu, const arg_empty *a)
{
    cpu->exit_reason = CPU_EXIT_IDLE;
    cpu->end_block = true;
}

/* ---- copy-paste (Book II 4.4) ------------------------------------------------------------ */

void trans_CPABORT(CPUState *cpu, const arg_empty *a)
{
}
