/*
 * nest_int.h - helpers shared by the nest/ sources (not part of the API):
 * byte order, lock wrappers with held-checks, the shadow-tree memory
 * adaptor, the rmap and shadow-tree primitives.
 */
#ifndef NESTHV_NEST_INT_H
#define NESTHV_NEST_INT_H

#include "nest/nest.h"

/* A broken invariant (never guest input): stop here. */
#define NEST_BUG_ON(cond)           \
    do {                            \
        if (cond) {                 \
            __builtin_trap();       \
        }                           \
    } while (0)

#define NEST_MUST_CHECK __attribute__((warn_unused_result))

/* ---- byte order: explicit, whatever the host is ------------------------------------- */

/*
 * Unaligned 8- and 4-byte accesses without memcpy (freestanding: no libc to
 * call; GCC's may_alias + aligned(1) types compile to plain loads/stores on
 * x86-64 and ppc64le) and a byte swap where the host order differs.  The
 * codecs (hv_guest_state, pt_regs, guest state buffers) are mostly 8-byte
 * fields: a byte-at-a-time loop there was a measurable part of an
 * H_ENTER_NESTED round trip.
 */
typedef uint64_t nest_unaligned_u64 __attribute__((may_alias, aligned(1)));
typedef uint32_t nest_unaligned_u32 __attribute__((may_alias, aligned(1)));

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define NEST_HOST_BE 1
#else
#define NEST_HOST_BE 0
#endif

static inline uint64_t nest_order64(uint64_t v, bool big_endian)
{
    return big_endian != NEST_HOST_BE ? __builtin_bswap64(v) : v;
}

static inline uint32_t nest_order32(uint32_t v, bool big_endian)
{
    return big_endian != NEST_HOST_BE ? __builtin_bswap32(v) : v;
}

/* `bytes` (1..8) at p in the given byte order. */
static inline uint64_t nest_ld(const uint8_t *p, unsigned bytes, bool big_endian)
{
    if (bytes == 8) {
        return nest_order64(*(const nest_unaligned_u64 *)p, big_endian);
    }
    if (bytes == 4) {
        return nest_order32(*(const nest_unaligned_u32 *)p, big_endian);
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++) {
        v = v << 8 | p[big_endian ? i : bytes - 1 - i];
    }
    return v;
}

static inline void nest_st(uint8_t *p, unsigned bytes, uint64_t v, bool big_endian)
{
    if (bytes == 8) {
        *(nest_unaligned_u64 *)p = nest_order64(v, big_endian);
        return;
    }
    if (bytes == 4) {
        *(nest_unaligned_u32 *)p = nest_order32((uint32_t)v, big_endian);
        return;
    }
    for (unsigned i = 0; i < bytes; i++) {
        p[big_endian ? bytes - 1 - i : i] = (uint8_t)v;
        v >>= 8;
    }
}

static inline uint64_t nest_ld_be(const uint8_t *p, unsigned bytes)
{
    return nest_ld(p, bytes, true);
}

static inline uint64_t nest_ld_le(const uint8_t *p, unsigned bytes)
{
    return nest_ld(p, bytes, false);
}

static inline void nest_st_be(uint8_t *p, unsigned bytes, uint64_t v)
{
    nest_st(p, bytes, v, true);
}

static inline void nest_st_le(uint8_t *p, unsigned bytes, uint64_t v)
{
    nest_st(p, bytes, v, false);
}

/* Big-endian doubleword of L1 memory (partition tables, radix entries); 0 ok. */
NEST_MUST_CHECK static inline int nest_read_l1_be64(NestL1 *l1, gra_t l1_gra, uint64_t *val)
{
    uint8_t b[8];
    if (l1->ops->read_l1(l1->opaque, l1_gra, b, sizeof b) != 0) {
        return -1;
    }
    *val = nest_ld_be(b, 8);
    return 0;
}

/* ---- locks --------------------------------------------------------------------------- */

static inline void nest_lock(NestL1 *l1, NestLock *l)
{
    if (l1->ops->lock) {
        l1->ops->lock(l1->opaque, l);
    }
    NEST_BUG_ON(l->held);
    l->held = 1;
}

static inline void nest_unlock(NestL1 *l1, NestLock *l)
{
    NEST_BUG_ON(!l->held);
    l->held = 0;
    if (l1->ops->unlock) {
        l1->ops->unlock(l1->opaque, l);
    }
}

#define NEST_ASSERT_HELD(l) NEST_BUG_ON(!(l)->held)

/* ---- the shadow tree: host real tables through the ops ---------------------------------- */

/* RadixMem whose opaque is the NestL1. */
void nest_shadow_mem(NestL1 *l1, RadixMem *m);
/* Page shift a not-present entry at this level of a builder-shaped tree stands for. */
unsigned nest_level_span_shift(unsigned level);
/*
 * Remove every shadow leaf that overlaps [n_gpa, n_gpa + size) -- whole
 * leaves, never a split -- and flush each.  Returns the number removed.
 * Caller holds l1->mmu_lock.
 */
unsigned nest_shadow_remove_locked(NestGuest *ng, gra_t n_gpa, uint64_t size);

/* ---- the guest table ---------------------------------------------------------------------- */

/* Caller holds mmu_lock. */
NestGuest *nest_guest_find_locked(NestL1 *l1, uint32_t l1_lpid);

/* ---- rmap (rmap.c); caller holds l1->mmu_lock for all of these ------------------------------ */

static inline uint64_t nest_rmap_word(uint32_t l1_lpid, gra_t n_gpa, unsigned page_shift)
{
    return ((uint64_t)l1_lpid << NEST_RMAP_LPID_SHIFT & NEST_RMAP_LPID_MASK) | (n_gpa & NEST_RMAP_GPA_MASK) |
           (page_shift & NEST_RMAP_SHIFT_MASK);
}
static inline uint32_t nest_rmap_lpid(uint64_t w)
{
    return (uint32_t)((w & NEST_RMAP_LPID_MASK) >> NEST_RMAP_LPID_SHIFT);
}
static inline gra_t nest_rmap_gpa(uint64_t w)
{
    return w & NEST_RMAP_GPA_MASK;
}
static inline unsigned nest_rmap_shift(uint64_t w)
{
    return (unsigned)(w & NEST_RMAP_SHIFT_MASK);
}

/* What adding one entry may need, allocated before taking mmu_lock. */
typedef struct NestRmapPrep {
    NestRmapNode *node;      /* the new entry (NULL once used) */
    NestRmapBucket *buckets; /* a bigger hash table if growth looked due; after the add:
                                whichever table is left over, freed by nest_rmap_finish() */
    unsigned order;          /* of buckets */
} NestRmapPrep;
/* Before mmu_lock: 0, or -1 (no memory). */
NEST_MUST_CHECK int nest_rmap_prepare(NestL1 *l1, NestRmapPrep *p);
/* After mmu_lock is released: free what was not used. */
void nest_rmap_finish(NestL1 *l1, NestRmapPrep *p);
/*
 * Record that ng's shadow PTE [n_gpa, +2^shift) maps the L1 range starting
 * at l1_gra, just inserted (or upgraded in place).  Uses p->node unless an
 * identical entry exists; prunes ng's other entries whose range overlaps
 * the PTE's (inserting it replaced their PTEs).  O(1): looks only at the
 * entries of ng at n_gpa and at n_gpa rounded down to each larger page size.
 */
void nest_rmap_add_locked(NestGuest *ng, NestRmapPrep *p, gra_t l1_gra, gra_t n_gpa, unsigned page_shift);
/* Free every entry of the guest. */
void nest_rmap_drop_guest_locked(NestGuest *ng);
/* Remove every entry whose L1 range overlaps [l1_gra, +size), and its shadow PTE. */
void nest_rmap_invalidate_locked(NestL1 *l1, gra_t l1_gra, uint64_t size);
/* Free the hash table itself (no entries left). */
void nest_rmap_fini_locked(NestL1 *l1);

/* Fold a guest's counters into the L1's totals. */
void nest_stats_fold(NestGuestStats *into, const NestGuestStats *from);

#endif
