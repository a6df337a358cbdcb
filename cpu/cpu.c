/*
 * cpu.c - lifecycle and run loop of the emulated hardware thread.
 *
 * cpu_run() alternates two things until an exit or the instruction budget:
 *   1. at a block boundary: recycle retired decoded pages, deliver a pending
 *      interrupt (decrementer ...), and size the next block so that it stops
 *      exactly when the next timer event is due (deterministic timebase);
 *   2. run_block(): fetch through the current decoded page and call each
 *      instruction's handler until the block ends (budget, or a handler set
 *      end_block because it changed something interrupts depend on).
 * Single-step and branch trace (MSR[SE]/[BE]) run one-instruction blocks.
 */
#include "cpu/cpu.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/icache.h"
#include "cpu/mem.h"
#include "ppc/hfscr.h"
#include "mmu/mmu.h"

/* Host-clock mode re-reads the clock at least this often. */
#define HOST_CLOCK_BLOCK 4096

static void init_thread(CPUState *cpu, uint8_t *ram, uint64_t ram_size, uint32_t pvr, ICache *icache)
{
    memset(cpu, 0, sizeof(*cpu));
    cpu->mem.ram = ram;
    cpu->mem.ram_size = ram_size;
    cpu->icache = icache;
    cpu->resv_addr = RESV_NONE;
    cpu->spr[SPR_PVR] = pvr;
    /* HR, UPRT, GTSE come with H_REGISTER_PROCESS_TABLE, as on QEMU; LPES: external interrupts go to the OS. */
    cpu->spr[SPR_LPCR] = LPCR_LD | LPCR_LPES;
    cpu->hdec_expiry = UINT64_MAX;
    cpu->spr[SPR_HFSCR] = HFSCR_ALL_FACILITIES; /* L0 grants the partition every facility */
    cpu_timebase_reset(cpu);
    cpu_tlb_flush_all(cpu);
    cpu_mode_changed(cpu);
}

int cpu_init(CPUState *cpu, uint8_t *ram, uint64_t ram_size, uint32_t pvr)
{
    ICache *icache = icache_new(ram_size);
    if (!icache)
        return -1;
    init_thread(cpu, ram, ram_size, pvr, icache);
    return 0;
}

int cpu_init_sibling(CPUState *cpu, CPUState *first)
{
    init_thread(cpu, first->mem.ram, first->mem.ram_size, (uint32_t)first->spr[SPR_PVR],
                icache_share(first->icache));
    icache_sync(cpu);
    return 0;
}

void cpu_for_each_cpu(CPUState *cpu, void (*fn)(CPUState *target, void *arg), void *arg)
{
    if (cpu->for_each_cpu)
        cpu->for_each_cpu(cpu, fn, arg);
    else
        fn(cpu, arg);
}

void cpu_destroy(CPUState *cpu)
{
    icache_free(cpu->icache);
    cpu->icache = NULL;
}

void cpu_halt(CPUState *cpu, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cpu->halt_msg, sizeof(cpu->halt_msg), fmt, ap);
    va_end(ap);
    cpu->halted = true;
    cpu->exit_reason = CPU_EXIT_HALT;
    cpu->end_block = true;
}

void cpu_mode_changed(CPUState *cpu)
{
    cpu->mmu_ctx_data = mmu_ctx_for(cpu, false);
    cpu->mmu_ctx_insn = mmu_ctx_for(cpu, true);
    cpu->fetch_tag = TLB_INVALID_TAG; /* LE, IR or PR may have changed */
    cpu->end_block = true;
}

/* Point fetch_page at the decoded page for cpu->nip; false if the fetch faulted. */
static bool fetch_refill(CPUState *cpu)
{
    gra_t gra;
    uint8_t *host;
    if (cpu->nip & 3) {
        /* Branch targets ignore the low two bits (Book I 2.4). */
        cpu->nip &= ~3ULL;
    }
    if (!mmu_xlate(cpu, cpu->nip, MMU_EXEC, &gra, &host))
        return false;
    cpu->fetch_page = icache_get(cpu, (hra_t)(host - cpu->mem.ram), (cpu->msr & MSR_LE) != 0);
    cpu->fetch_tag = (cpu->nip & CPU_PAGE_MASK) | cpu->mmu_ctx_insn;
    return true;
}

/*
 * Execute up to limit instructions (at least one); the hot loop of the emulator.
 *
 * The outer loop finds the decoded slot of nip, checking that nip is in the
 * page of fetch_tag in the current fetch context (refilling it if not).  The
 * inner loop (run_straight) then runs the straight-line code from there: as
 * long as the handler leaves nip at the next word, the block goes on,
 * fetch_tag is unchanged (a mode change, TLB flush or store to this code
 * page resets it) and the page and the budget have room, the next slot is
 * simply d + 1.  cpu->icount is exact whenever a handler runs (the timebase
 * and darn read it); handlers never write it.
 */
static inline __attribute__((always_inline)) void run_straight(CPUState *cpu, const DecodedInsn *d,
                                                               const DecodedInsn *d_end, uint64_t nip,
                                                               uint64_t nip_mask)
{
    uint64_t tag = cpu->fetch_tag;
    uint64_t icount = cpu->icount; /* handlers never write it: keep it in a register */
    for (;;) {
        uint64_t next = (nip + 4) & nip_mask;
        cpu->cia = nip;
        cpu->nip = next;
        cpu->icount = ++icount;
        d->fn(cpu, d);
        if (cpu->end_block)
            return;
        nip = cpu->nip;
        if (++d == d_end || nip != next || cpu->fetch_tag != tag)
            return;
    }
}

static void run_block(CPUState *cpu, uint64_t limit)
{
    uint64_t stop = cpu->icount + (limit ? limit : 1);
    bool sf = (cpu->msr & MSR_SF) != 0;
    cpu->end_block = false;
    do {
        uint64_t nip = cpu->nip;
        if (unlikely(((nip & CPU_PAGE_MASK) | cpu->mmu_ctx_insn) != cpu->fetch_tag)) {
            if (!fetch_refill(cpu)) {
                cpu->icount++; /* the faulting fetch counts, so a fault loop still ends */
                continue;
            }
            nip = cpu->nip;
        }
        uint64_t slot = (nip >> 2) & (ICACHE_INSNS_PER_PAGE - 1);
        uint64_t run = ICACHE_INSNS_PER_PAGE - slot; /* slots to the end of the page */
        if (run > stop - cpu->icount)
            run = stop - cpu->icount;
        const DecodedInsn *d = &cpu->fetch_page->insn[slot];
        /* Two copies: the usual 64-bit mode one needs no address wrap. */
        if (likely(sf))
            run_straight(cpu, d, d + run, nip, ~0ULL);
        else
            run_straight(cpu, d, d + run, nip, 0xFFFFFFFFULL);
    } while (cpu->icount < stop && !cpu->end_block);
}

static bool is_branch(uint16_t id)
{
    switch (id) {
    case INSN_B:
    case INSN_BC:
    case INSN_BCLR:
    case INSN_BCCTR:
    case INSN_BCTAR:
        return true;
    default:
        return false;
    }
}

/*
 * One instruction under MSR[SE]/[BE] (Book III 7.5.15): after it completes
 * without an interrupt, a trace interrupt reports SIAR = its address and
 * SRR0 = the next instruction.  rfid/mtmsrd that change SE are not traced.
 */
static void run_traced(CPUState *cpu)
{
    uint64_t msr_before = cpu->msr;
    uint64_t excp_before = cpu->stat_excp;
    run_block(cpu, 1);
    if (cpu->exit_reason != CPU_EXIT_BUDGET || cpu->stat_excp != excp_before)
        return;
    if ((msr_before ^ cpu->msr) & (MSR_SE | MSR_BE))
        return;
    const DecodedInsn *d = &cpu->fetch_page->insn[(cpu->cia >> 2) & (ICACHE_INSNS_PER_PAGE - 1)];
    bool trace = (msr_before & MSR_SE) || ((msr_before & MSR_BE) && is_branch(d->id));
    if (!trace)
        return;
    cpu->spr[SPR_SIAR] = cpu->cia;
    cpu_interrupt(cpu, EXCP_TRACE, cpu->nip, SRR1_TRACE);
}

/*
 * Size the next block so it ends when the decrementer goes negative (or the
 * hypervisor decrementer of an L2 expires).  A DEC
 * that is already negative needs no deadline: it is delivered as soon as
 * MSR[EE] allows, and enabling EE ends the block.
 */
static uint64_t block_limit(CPUState *cpu, uint64_t remaining)
{
    uint64_t limit = remaining;
    uint64_t to_dec = cpu_insns_until_dec(cpu);
    if (to_dec && to_dec < limit)
        limit = to_dec;
    if (unlikely(cpu->hdec_expiry != UINT64_MAX)) {
        uint64_t to_hdec = cpu_insns_until_hdec(cpu);
        if (to_hdec && to_hdec < limit)
            limit = to_hdec;
    }
    if (cpu->clock == CPU_CLOCK_HOST && limit > HOST_CLOCK_BLOCK)
        limit = HOST_CLOCK_BLOCK;
    return limit;
}

CpuExit cpu_run(CPUState *cpu, uint64_t max_insns)
{
    uint64_t end = cpu->icount + max_insns;
    cpu->exit_reason = CPU_EXIT_BUDGET;
    if (cpu->halted) {
        cpu->exit_reason = CPU_EXIT_HALT;
        return CPU_EXIT_HALT;
    }
    icache_sync(cpu); /* other threads may have changed code pages */
    while (cpu->icount < end) {
        icache_reclaim(cpu->icache);
        cpu_check_interrupts(cpu);
        if (cpu->exit_reason != CPU_EXIT_BUDGET)
            break;
        if (cpu->msr & (MSR_SE | MSR_BE))
            run_traced(cpu);
        else
            run_block(cpu, block_limit(cpu, end - cpu->icount));
        if (cpu->exit_reason != CPU_EXIT_BUDGET)
            break;
    }
    icache_reclaim(cpu->icache);
    cpu->stat_exits[cpu->exit_reason]++;
    return cpu->exit_reason;
}
