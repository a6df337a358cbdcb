/*
 * icache.h - the decoded-instruction cache.
 *
 * Each 4 KiB page of host-real memory (an offset into the machine RAM that
 * backs every partition) that has been executed gets a
 * DecodedPage: 1024 DecodedInsn slots, filled lazily (a slot starts with a
 * handler that decodes the word in place, then runs it).  A page is keyed by
 * its host-real page address and the byte order it was fetched in (MSR[LE]).
 *
 * Coherence: a byte map marks real pages that have decoded code.  While a
 * page is marked, the write TLB never caches it, so every store to it takes
 * the slow path, which retires the decoded page (and icbi does the same).
 * Retired pages are not freed at once -- the store that retired them may be
 * running from one -- but recycled at the next block boundary.
 *
 * SMP: the threads of a machine share one cache (icache_share()).  Two
 * epochs tell a thread what others did while it was not running: a page
 * became code (its write TLB may cache that page: flush it) or pages were
 * retired (its fetch_page may be one: refetch).  icache_sync() catches a
 * thread up; cpu_run() calls it on entry, so between entries the running
 * thread is the only one touching the cache.
 */
#ifndef NESTHV_CPU_ICACHE_H
#define NESTHV_CPU_ICACHE_H

#include "cpu/cpu.h"

#define ICACHE_INSNS_PER_PAGE (CPU_PAGE_SIZE / 4)

struct DecodedPage {
    uint64_t key;          /* host-real page address | 1 if fetched little-endian */
    DecodedPage *next;     /* hash chain, or retired/free list */
    DecodedInsn insn[ICACHE_INSNS_PER_PAGE];
};

ICache *icache_new(uint64_t ram_size);
/* One more user of ic (another thread of the machine); icache_free() drops one. */
ICache *icache_share(ICache *ic);
void icache_free(ICache *ic);
/* Catch cpu up with what other threads did to the shared cache (see above). */
void icache_sync(CPUState *cpu);
/* Decoded page for host-real page hra (any offset) in the given byte order; never NULL. */
DecodedPage *icache_get(CPUState *cpu, hra_t hra, bool little_endian);
/* Does host-real page hra hold decoded code? */
bool icache_page_has_code(const ICache *ic, hra_t hra);
/* Retire the decoded pages of host-real page hra (a store or icbi touched it). */
void icache_invalidate(CPUState *cpu, hra_t hra);
/* Recycle retired pages; call only between instructions. */
void icache_reclaim(ICache *ic);
/* Drop everything (e.g. after loading a new image). */
void icache_flush(CPUState *cpu);

#endif
