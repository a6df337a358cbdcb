/*
 * mem.h - guest loads and stores as instruction handlers see them.
 *
 * Fast path: one software-TLB probe (tag = EA page | MMU context, slot
 * indexed by EA page ^ context id) and a
 * memcpy from the host pointer, byte-swapped for big-endian accesses.  The
 * TLB only ever holds pages that are fully inside one 4 KiB page of host
 * memory, so the fast path is taken when the access does not cross a page.
 * Everything else (misses, page-crossing accesses, faults, stores to pages
 * that hold decoded instructions) goes to the out-of-line slow path in
 * cpu/mem.c.
 *
 * Contract: every function returns true on success.  On false an interrupt
 * (DSI, alignment, machine check ...) or a hypervisor exit has already been
 * raised; the handler must return without changing any more state.
 */
#ifndef NESTHV_CPU_MEM_H
#define NESTHV_CPU_MEM_H

#include <string.h>

#include "cpu/cpu.h"

bool cpu_ld_slow(CPUState *cpu, ea_t ea, unsigned size, bool big_endian, uint64_t *out) NESTHV_COLD;
bool cpu_st_slow(CPUState *cpu, ea_t ea, unsigned size, bool big_endian, uint64_t val) NESTHV_COLD;

static inline uint64_t mem_load_host(const uint8_t *p, unsigned size, bool big_endian)
{
    switch (size) {
    case 1:
        return *p;
    case 2: {
        uint16_t v;
        memcpy(&v, p, 2);
        return big_endian ? __builtin_bswap16(v) : v;
    }
    case 4: {
        uint32_t v;
        memcpy(&v, p, 4);
        return big_endian ? __builtin_bswap32(v) : v;
    }
    default: {
        uint64_t v;
        memcpy(&v, p, 8);
        return big_endian ? __builtin_bswap64(v) : v;
    }
    }
}

static inline void mem_store_host(uint8_t *p, unsigned size, bool big_endian, uint64_t val)
{
    switch (size) {
    case 1:
        *p = (uint8_t)val;
        break;
    case 2: {
        uint16_t v = big_endian ? __builtin_bswap16((uint16_t)val) : (uint16_t)val;
        memcpy(p, &v, 2);
        break;
    }
    case 4: {
        uint32_t v = big_endian ? __builtin_bswap32((uint32_t)val) : (uint32_t)val;
        memcpy(p, &v, 4);
        break;
    }
    default: {
        uint64_t v = big_endian ? __builtin_bswap64(val) : val;
        memcpy(p, &v, 8);
        break;
    }
    }
}

/*
 * The slot of (ea, context): the context id (ctx >> 1) is mixed into the
 * index so that the same EA in two translation contexts (two processes,
 * problem and supervisor state) does not compete for one entry.
 */
static inline TlbEntry *cpu_tlb_slot(TlbEntry *tlb, ea_t ea, uint32_t ctx)
{
    return &tlb[((ea >> CPU_PAGE_BITS) ^ (ctx >> 1)) & (TLB_SIZE - 1)];
}

static inline bool cpu_tlb_hit(const TlbEntry *e, ea_t ea, unsigned size, uint32_t ctx)
{
    return e->tag == ((ea & CPU_PAGE_MASK) | ctx) && (ea & ~CPU_PAGE_MASK) + size <= CPU_PAGE_SIZE;
}

/* Load size bytes (1, 2, 4, 8) zero-extended, in the given byte order. */
static inline bool cpu_ld_bo(CPUState *cpu, ea_t ea, unsigned size, bool big_endian, uint64_t *out)
{
    const TlbEntry *e = cpu_tlb_slot(cpu->tlb_read, ea, cpu->mmu_ctx_data);
    if (likely(cpu_tlb_hit(e, ea, size, cpu->mmu_ctx_data))) {
        *out = mem_load_host((const uint8_t *)(e->addend + ea), size, big_endian);
        return true;
    }
    return cpu_ld_slow(cpu, ea, size, big_endian, out);
}

static inline bool cpu_st_bo(CPUState *cpu, ea_t ea, unsigned size, bool big_endian, uint64_t val)
{
    const TlbEntry *e = cpu_tlb_slot(cpu->tlb_write, ea, cpu->mmu_ctx_data);
    if (likely(cpu_tlb_hit(e, ea, size, cpu->mmu_ctx_data))) {
        mem_store_host((uint8_t *)(e->addend + ea), size, big_endian, val);
        return true;
    }
    return cpu_st_slow(cpu, ea, size, big_endian, val);
}

/* The program's byte order: big-endian unless MSR[LE]. */
static inline bool cpu_big_endian(const CPUState *cpu) { return !(cpu->msr & MSR_LE); }

static inline bool cpu_ld(CPUState *cpu, ea_t ea, unsigned size, uint64_t *out)
{
    return cpu_ld_bo(cpu, ea, size, cpu_big_endian(cpu), out);
}

static inline bool cpu_st(CPUState *cpu, ea_t ea, unsigned size, uint64_t val)
{
    return cpu_st_bo(cpu, ea, size, cpu_big_endian(cpu), val);
}

/* Byte-reversed forms (lwbrx ...): the opposite of the program's byte order. */
static inline bool cpu_ld_rev(CPUState *cpu, ea_t ea, unsigned size, uint64_t *out)
{
    return cpu_ld_bo(cpu, ea, size, !cpu_big_endian(cpu), out);
}

static inline bool cpu_st_rev(CPUState *cpu, ea_t ea, unsigned size, uint64_t val)
{
    return cpu_st_bo(cpu, ea, size, !cpu_big_endian(cpu), val);
}

/*
 * Translate ea for a data access and return the guest real address without
 * touching memory (larx/stcx. reservations, dcbz, icbi).  Raises the fault
 * and returns false like the accessors.
 */
bool cpu_xlate_data(CPUState *cpu, ea_t ea, bool is_store, gra_t *gra, uint8_t **host);

/* Zero a naturally aligned block (dcbz): size bytes at ea rounded down. */
bool cpu_zero_block(CPUState *cpu, ea_t ea, unsigned size);

/* Drop every TLB entry (context switch of the MMU tables, tlbie of everything). */
void cpu_tlb_flush_all(CPUState *cpu);
/* Drop write entries only (a page became a code page). */
void cpu_tlb_flush_write(CPUState *cpu);

#endif
