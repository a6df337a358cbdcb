/*
 * icache.c - decoded-instruction cache (see icache.h for the design).
 */
#include "cpu/icache.h"

#include <stdlib.h>

#include "cpu/exec/fast.h"
#include "cpu/mem.h"

#define ICACHE_BUCKETS 4096

struct ICache {
    DecodedPage *bucket[ICACHE_BUCKETS];
    DecodedPage *retired;   /* invalidated, may still be executing this instruction */
    DecodedPage *free_list; /* ready for reuse */
    uint8_t *code_map;      /* per real page: number of decoded variants (LE/BE) */
    uint64_t npages;
    unsigned users;         /* threads sharing this cache */
    uint64_t code_epoch;    /* bumped when a page becomes code */
    uint64_t retire_epoch;  /* bumped when pages are retired */
};

static void exec_decode_lazily(CPUState *cpu, const DecodedInsn *d);

ICache *icache_new(uint64_t ram_size)
{
    ICache *ic = calloc(1, sizeof(*ic));
    if (!ic)
        return NULL;
    ic->npages = (ram_size + CPU_PAGE_SIZE - 1) >> CPU_PAGE_BITS;
    ic->code_map = calloc(ic->npages ? ic->npages : 1, 1);
    if (!ic->code_map) {
        free(ic);
        return NULL;
    }
    ic->users = 1;
    return ic;
}

/* Bump an epoch; the acting thread stays caught up only if it already was. */
static void bump_epoch(uint64_t *epoch, uint64_t *seen)
{
    if (*seen == (*epoch)++)
        *seen = *epoch;
}

ICache *icache_share(ICache *ic)
{
    ic->users++;
    return ic;
}

void icache_sync(CPUState *cpu)
{
    ICache *ic = cpu->icache;
    if (unlikely(cpu->icache_code_seen != ic->code_epoch)) {
        cpu_tlb_flush_write(cpu);
        cpu->icache_code_seen = ic->code_epoch;
    }
    if (unlikely(cpu->icache_retire_seen != ic->retire_epoch)) {
        cpu->fetch_tag = TLB_INVALID_TAG;
        cpu->icache_retire_seen = ic->retire_epoch;
    }
}

static void free_chain(DecodedPage *p)
{
    while (p) {
        DecodedPage *next = p->next;
        free(p);
        p = next;
    }
}

void icache_free(ICache *ic)
{
    if (!ic || --ic->users > 0)
        return;
    for (unsigned i = 0; i < ICACHE_BUCKETS; i++)
        free_chain(ic->bucket[i]);
    free_chain(ic->retired);
    free_chain(ic->free_list);
    free(ic->code_map);
    free(ic);
}

static unsigned bucket_of(uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ULL;
    return (unsigned)(h >> 52) & (ICACHE_BUCKETS - 1);
}

static DecodedPage *page_alloc(ICache *ic, uint64_t key)
{
    DecodedPage *p = ic->free_list;
    if (p)
        ic->free_list = p->next;
    else
        p = malloc(sizeof(*p));
    if (!p)
        abort(); /* host out of memory: nothing sensible to do */
    p->key = key;
    for (unsigned i = 0; i < ICACHE_INSNS_PER_PAGE; i++) {
        p->insn[i].fn = exec_decode_lazily;
        p->insn[i].id = INSN_INVALID;
    }
    return p;
}

DecodedPage *icache_get(CPUState *cpu, hra_t hra, bool little_endian)
{
    ICache *ic = cpu->icache;
    uint64_t key = (hra & CPU_PAGE_MASK) | (little_endian ? 1 : 0);
    unsigned b = bucket_of(key);
    for (DecodedPage *p = ic->bucket[b]; p; p = p->next)
        if (p->key == key)
            return p;
    DecodedPage *p = page_alloc(ic, key);
    p->next = ic->bucket[b];
    ic->bucket[b] = p;
    uint64_t pn = hra >> CPU_PAGE_BITS;
    if (pn < ic->npages && ic->code_map[pn]++ == 0) {
        cpu_tlb_flush_write(cpu); /* stores to this page must now see the slow path */
        bump_epoch(&ic->code_epoch, &cpu->icache_code_seen); /* ... and those of the other threads */
    }
    return p;
}

bool icache_page_has_code(const ICache *ic, hra_t hra)
{
    uint64_t pn = hra >> CPU_PAGE_BITS;
    return pn < ic->npages && ic->code_map[pn] != 0;
}

static void retire_key(CPUState *cpu, uint64_t key)
{
    ICache *ic = cpu->icache;
    DecodedPage **pp = &ic->bucket[bucket_of(key)];
    while (*pp) {
        DecodedPage *p = *pp;
        if (p->key != key) {
            pp = &p->next;
            continue;
        }
        *pp = p->next;
        p->next = ic->retired;
        ic->retired = p;
        if (cpu->fetch_page == p)
            cpu->fetch_tag = TLB_INVALID_TAG;
        bump_epoch(&ic->retire_epoch, &cpu->icache_retire_seen); /* other threads refetch */
        cpu->end_block = true;
        return;
    }
}

void icache_invalidate(CPUState *cpu, hra_t hra)
{
    ICache *ic = cpu->icache;
    uint64_t pn = hra >> CPU_PAGE_BITS;
    if (pn >= ic->npages || !ic->code_map[pn])
        return;
    retire_key(cpu, hra & CPU_PAGE_MASK);
    retire_key(cpu, (hra & CPU_PAGE_MASK) | 1);
    ic->code_map[pn] = 0;
}

void icache_reclaim(ICache *ic)
{
    while (ic->retired) {
        DecodedPage *p = ic->retired;
        ic->retired = p->next;
        p->next = ic->free_list;
        ic->free_list = p;
    }
}

void icache_flush(CPUState *cpu)
{
    ICache *ic = cpu->icache;
    for (unsigned i = 0; i < ICACHE_BUCKETS; i++) {
        DecodedPage *p = ic->bucket[i];
        ic->bucket[i] = NULL;
        while (p) {
            DecodedPage *next = p->next;
            p->next = ic->retired;
            ic->retired = p;
            p = next;
        }
    }
    for (uint64_t i = 0; i < ic->npages; i++)
        if (ic->code_map[i]) /* reading leaves untouched pages of a large machine unallocated */
            ic->code_map[i] = 0;
    cpu->fetch_tag = TLB_INVALID_TAG;
    bump_epoch(&ic->retire_epoch, &cpu->icache_retire_seen);
    cpu->end_block = true;
}

/*
 * First execution of a slot: read the word from guest memory in the page's
 * byte order, decode it into the slot, then run it.  The slot belongs to
 * cpu->fetch_page, whose key holds its host-real page.  The common forms of the
 * hottest instructions get a specialized handler (cpu/exec/fast.h).
 */
static void exec_decode_lazily(CPUState *cpu, const DecodedInsn *d)
{
    DecodedInsn *slot = (DecodedInsn *)d;
    DecodedPage *page = cpu->fetch_page;
    size_t idx = (size_t)(slot - page->insn);
    const uint8_t *p = cpu->mem.ram + (page->key & CPU_PAGE_MASK) + idx * 4;
    uint32_t raw = (uint32_t)mem_load_host(p, 4, !(page->key & 1));
    decode_insn(raw, slot);
    exec_specialize(slot);
    slot->fn(cpu, slot);
}
