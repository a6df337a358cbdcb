/*
 * mem.c - slow paths of guest loads and stores (see mem.h).
 *
 * A miss translates the page with mmu_xlate(), refills the TLB slot and
 * completes the access.  An access that crosses a page boundary is split
 * into bytes after both pages have been translated, so a fault on the
 * second page leaves memory untouched.
 */
#include "cpu/mem.h"

#include "cpu/icache.h"
#include "mmu/mmu.h"

static hra_t host_to_hra(const CPUState *cpu, const uint8_t *host)
{
    return (hra_t)(host - cpu->mem.ram);
}

static void tlb_fill(CPUState *cpu, TlbEntry *tlb, ea_t ea, uint8_t *host)
{
    TlbEntry *e = cpu_tlb_slot(tlb, ea, cpu->mmu_ctx_data);
    e->tag = (ea & CPU_PAGE_MASK) | cpu->mmu_ctx_data;
    e->addend = (uintptr_t)host - (uintptr_t)ea;
}

static bool crosses_page(ea_t ea, unsigned size)
{
    return (ea & ~CPU_PAGE_MASK) + size > CPU_PAGE_SIZE;
}

/* Translate the (up to two) pages an access touches; host[i] points at byte i. */
static bool xlate_span(CPUState *cpu, ea_t ea, unsigned size, MmuAccess acc, uint8_t *host[8])
{
    gra_t gra;
    uint8_t *first, *second = NULL;
    ea_t ea2 = cpu_ea(cpu, (ea & CPU_PAGE_MASK) + CPU_PAGE_SIZE);
    if (!mmu_xlate(cpu, ea, acc, &gra, &first))
        return false;
    if (crosses_page(ea, size) && !mmu_xlate(cpu, ea2, acc, &gra, &second))
        return false;
    for (unsigned i = 0; i < size; i++) {
        uint64_t off = (ea & ~CPU_PAGE_MASK) + i;
        host[i] = off < CPU_PAGE_SIZE ? first + i : second + (off - CPU_PAGE_SIZE);
    }
    return true;
}

bool cpu_ld_slow(CPUState *cpu, ea_t ea, unsigned size, bool big_endian, uint64_t *out)
{
    uint8_t *host[8];
    if (!xlate_span(cpu, ea, size, MMU_READ, host))
        return false;
    if (!crosses_page(ea, size)) {
        tlb_fill(cpu, cpu->tlb_read, ea, host[0]);
        *out = mem_load_host(host[0], size, big_endian);
        return true;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        unsigned shift = big_endian ? 8 * (size - 1 - i) : 8 * i;
        v |= (uint64_t)*host[i] << shift;
    }
    *out = v;
    return true;
}

/* A store to a page with decoded instructions retires them first. */
static void store_hits_code(CPUState *cpu, uint8_t *host)
{
    hra_t hra = host_to_hra(cpu, host);
    if (icache_page_has_code(cpu->icache, hra))
        icache_invalidate(cpu, hra);
}

bool cpu_st_slow(CPUState *cpu, ea_t ea, unsigned size, bool big_endian, uint64_t val)
{
    uint8_t *host[8];
    if (!xlate_span(cpu, ea, size, MMU_WRITE, host))
        return false;
    if (!crosses_page(ea, size)) {
        hra_t hra = host_to_hra(cpu, host[0]);
        if (icache_page_has_code(cpu->icache, hra))
            icache_invalidate(cpu, hra);
        else
            tlb_fill(cpu, cpu->tlb_write, ea, host[0]);
        mem_store_host(host[0], size, big_endian, val);
        return true;
    }
    store_hits_code(cpu, host[0]);
    store_hits_code(cpu, host[size - 1]);
    for (unsigned i = 0; i < size; i++) {
        unsigned shift = big_endian ? 8 * (size - 1 - i) : 8 * i;
        *host[i] = (uint8_t)(val >> shift);
    }
    return true;
}

bool cpu_xlate_data(CPUState *cpu, ea_t ea, bool is_store, gra_t *gra, uint8_t **host)
{
    if (!mmu_xlate(cpu, ea, is_store ? MMU_WRITE : MMU_READ, gra, host))
        return false;
    if (is_store)
        store_hits_code(cpu, *host);
    return true;
}

bool cpu_zero_block(CPUState *cpu, ea_t ea, unsigned size)
{
    gra_t gra;
    uint8_t *host;
    ea_t base = cpu_ea(cpu, ea & ~(uint64_t)(size - 1));
    if (!cpu_xlate_data(cpu, base, true, &gra, &host))
        return false;
    memset(host, 0, size);
    return true;
}

static void tlb_clear(TlbEntry *tlb)
{
    for (unsigned i = 0; i < TLB_SIZE; i++)
        tlb[i].tag = TLB_INVALID_TAG;
}

void cpu_tlb_flush_write(CPUState *cpu)
{
    tlb_clear(cpu->tlb_write);
}

void cpu_tlb_flush_all(CPUState *cpu)
{
    tlb_clear(cpu->tlb_read);
    tlb_clear(cpu->tlb_write);
    mmu_itlb_flush(cpu);
    cpu->fetch_tag = TLB_INVALID_TAG;
}
