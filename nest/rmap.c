/*
 * rmap.c - the reverse map of one L1: L1 guest real page -> the shadow
 * PTEs (nested guest, n_gpa, size) that map it, so that a change L0 makes
 * to an L1 page reaches every nested translation built on it (seed 003
 * "Partition Scoped Invalidation"; Linux kvmhv_insert_nest_rmap() and
 * kvmhv_remove_nest_rmap_range()).  Entry format: nest.h, NEST_RMAP_*.
 *
 * Storage: a hash table of chains (ops->alloc, grown by doubling, never
 * under mmu_lock), each node also on its guest's list so that dropping a
 * guest costs its own entries only.  A key is the L1 address of the first
 * byte a shadow PTE maps; a shadow PTE maps at most a naturally aligned
 * 1 GiB, so the entries overlapping [a, b) have a key in [a, b) or at
 * a rounded down to 64 KiB, 2 MiB or 1 GiB.
 *
 * All functions here: caller holds l1->mmu_lock.  ops->free may run under
 * it (it must not sleep), ops->alloc never does (nest_rmap_prepare()).
 */
#include "nest/nest_int.h"

#define RMAP_KEY_SHIFT   RADIX_SHIFT_4K
#define RMAP_MIN_ORDER   8         /* 256 chains to start with */
#define RMAP_MAX_ORDER   24
#define RMAP_LOAD        2         /* grow past 2 entries per chain */
#define RMAP_HASH_MUL    0x9E3779B97F4A7C15ULL /* 2^64 / golden ratio (Fibonacci hashing) */

static const unsigned big_page_shifts[] = { RADIX_SHIFT_64K, RADIX_SHIFT_2M, RADIX_SHIFT_1G };

static unsigned bucket_of(unsigned order, gra_t key)
{
    return (unsigned)(((key >> RMAP_KEY_SHIFT) * RMAP_HASH_MUL) >> (64 - order));
}

static size_t buckets_bytes(unsigned order)
{
    return sizeof(NestRmapNode *) << order;
}

/* ---- preparing outside the lock -------------------------------------------------------- */

int nest_rmap_prepare(NestL1 *l1, NestRmapPrep *p)
{
    *p = (NestRmapPrep){ 0 };
    p->node = l1->ops->alloc(l1->opaque, sizeof(*p->node));
    if (!p->node) {
        return -1;
    }
    /* An unlocked peek: growth is an optimisation, except for the first table. */
    NestRmap *r = &l1->rmap;
    unsigned want = 0;
    if (!r->buckets) {
        want = RMAP_MIN_ORDER;
    } else if (r->count + 1 > ((uint64_t)RMAP_LOAD << r->order) && r->order < RMAP_MAX_ORDER) {
        want = r->order + 1;
    }
    if (want) {
        p->buckets = l1->ops->alloc(l1->opaque, buckets_bytes(want));
        p->order = p->buckets ? want : 0;
        if (!p->buckets && !r->buckets) {
            l1->ops->free(l1->opaque, p->node, sizeof(*p->node));
            p->node = NULL;
            return -1;
        }
    }
    return 0;
}

void nest_rmap_finish(NestL1 *l1, NestRmapPrep *p)
{
    if (p->node) {
        l1->ops->free(l1->opaque, p->node, sizeof(*p->node));
    }
    if (p->buckets) {
        l1->ops->free(l1->opaque, p->buckets, buckets_bytes(p->order));
    }
    *p = (NestRmapPrep){ 0 };
}

/* Install p's bigger table if it is still bigger; p then holds the old one. */
static void maybe_grow_locked(NestRmap *r, NestRmapPrep *p)
{
    if (!p->buckets || (r->buckets && p->order <= r->order)) {
        return;
    }
    NestRmapNode **nb = p->buckets;
    for (unsigned i = 0; r->buckets && i < (1u << r->order); i++) {
        NestRmapNode *n = r->buckets[i];
        while (n) {
            NestRmapNode *next = n->hnext;
            unsigned b = bucket_of(p->order, n->l1_gra);
            n->hnext = nb[b];
            nb[b] = n;
            n = next;
        }
    }
    p->buckets = r->buckets;
    unsigned old_order = r->order;
    r->buckets = nb;
    r->order = p->order;
    p->order = old_order;
}

/* ---- entries ------------------------------------------------------------------------------ */

static void unlink_guest(NestRmapNode *n)
{
    *n->gpprev = n->gnext;
    if (n->gnext) {
        n->gnext->gpprev = n->gpprev;
    }
}

static void free_node(NestL1 *l1, NestRmapNode *n)
{
    l1->rmap.count--;
    l1->ops->free(l1->opaque, n, sizeof(*n));
}

/* Does ng's shadow tree still hold this entry's PTE, mapping hra? */
static bool entry_live(const NestRmapNode *n, hra_t hra)
{
    RadixWalk w;
    unsigned shift = nest_rmap_shift(n->word);
    uint64_t mask = ~((1ULL << shift) - 1);
    nest_walk_shadow(n->ng, nest_rmap_gpa(n->word), &w);
    return w.status == RADIX_OK && w.page_shift == shift && ((w.pte & RADIX_PTE_RPN) & mask) == (hra & mask);
}

void nest_rmap_add_locked(NestGuest *ng, NestRmapPrep *p, gra_t l1_gra, hra_t hra, gra_t n_gpa,
                          unsigned page_shift)
{
    NestL1 *l1 = ng->l1;
    NestRmap *r = &l1->rmap;
    uint64_t word = nest_rmap_word(ng->l1_lpid, n_gpa, page_shift);

    NEST_ASSERT_HELD(&l1->mmu_lock);
    maybe_grow_locked(r, p);
    NEST_BUG_ON(!r->buckets); /* nest_rmap_prepare() guarantees a table */

    NestRmapNode **pp = &r->buckets[bucket_of(r->order, l1_gra)];
    bool present = false;
    while (*pp) {
        NestRmapNode *n = *pp;
        if (n->l1_gra == l1_gra) {
            if (n->ng == ng && n->word == word) {
                present = true;          /* the same PTE recorded before */
            } else if (!entry_live(n, hra)) {
                *pp = n->hnext;          /* stale: its PTE is gone or maps elsewhere */
                unlink_guest(n);
                free_node(l1, n);
                continue;
            }
        }
        pp = &n->hnext;
    }
    if (present) {
        return;
    }
    NestRmapNode *n = p->node;
    p->node = NULL;
    n->ng = ng;
    n->l1_gra = l1_gra;
    n->word = word;
    unsigned b = bucket_of(r->order, l1_gra);
    n->hnext = r->buckets[b];
    r->buckets[b] = n;
    n->gnext = ng->rmap_list;
    n->gpprev = &ng->rmap_list;
    if (ng->rmap_list) {
        ng->rmap_list->gpprev = &n->gnext;
    }
    ng->rmap_list = n;
    r->count++;
    if (r->count > l1->stats.rmap_entries_max) {
        l1->stats.rmap_entries_max = r->count;
    }
}

void nest_rmap_drop_guest_locked(NestGuest *ng)
{
    NestL1 *l1 = ng->l1;
    NestRmap *r = &l1->rmap;

    NEST_ASSERT_HELD(&l1->mmu_lock);
    while (ng->rmap_list) {
        NestRmapNode *n = ng->rmap_list;
        NestRmapNode **pp = &r->buckets[bucket_of(r->order, n->l1_gra)];
        while (*pp != n) {
            NEST_BUG_ON(!*pp);
            pp = &(*pp)->hnext;
        }
        *pp = n->hnext;
        unlink_guest(n);
        free_node(l1, n);
    }
}

/* Remove the entries of one chain whose key passes `want` and whose range overlaps [lo, hi). */
static void invalidate_chain(NestL1 *l1, NestRmapNode **pp, bool any_key, gra_t key, gra_t lo, gra_t hi)
{
    while (*pp) {
        NestRmapNode *n = *pp;
        uint64_t size = 1ULL << nest_rmap_shift(n->word);
        if ((any_key || n->l1_gra == key) && n->l1_gra < hi && n->l1_gra + size > lo) {
            *pp = n->hnext;
            NestGuest *ng = n->ng;
            ng->stats.rmap_invalidations += nest_shadow_remove_locked(ng, nest_rmap_gpa(n->word), size);
            unlink_guest(n);
            free_node(l1, n);
            continue;
        }
        pp = &n->hnext;
    }
}

void nest_rmap_invalidate_locked(NestL1 *l1, gra_t l1_gra, uint64_t size)
{
    NestRmap *r = &l1->rmap;
    gra_t lo = l1_gra & ~((1ULL << RMAP_KEY_SHIFT) - 1);
    gra_t hi = l1_gra + size < l1_gra ? ~0ULL : l1_gra + size;

    NEST_ASSERT_HELD(&l1->mmu_lock);
    if (!r->buckets || size == 0) {
        return;
    }
    if ((size >> RMAP_KEY_SHIFT) > r->count) {
        /* Fewer entries than pages in the range: look at every entry. */
        for (unsigned b = 0; b < (1u << r->order); b++) {
            invalidate_chain(l1, &r->buckets[b], true, 0, l1_gra, hi);
        }
        return;
    }
    for (gra_t key = lo; key < hi; key += 1ULL << RMAP_KEY_SHIFT) {
        invalidate_chain(l1, &r->buckets[bucket_of(r->order, key)], false, key, l1_gra, hi);
    }
    /* Large shadow pages that start below the range. */
    gra_t done = lo;
    for (unsigned i = 0; i < sizeof big_page_shifts / sizeof big_page_shifts[0]; i++) {
        gra_t key = l1_gra & ~((1ULL << big_page_shifts[i]) - 1);
        if (key < done) {
            invalidate_chain(l1, &r->buckets[bucket_of(r->order, key)], false, key, l1_gra, hi);
            done = key;
        }
    }
}

void nest_rmap_fini_locked(NestL1 *l1)
{
    NestRmap *r = &l1->rmap;
    NEST_ASSERT_HELD(&l1->mmu_lock);
    NEST_BUG_ON(r->count != 0);
    if (r->buckets) {
        l1->ops->free(l1->opaque, r->buckets, buckets_bytes(r->order));
    }
    *r = (NestRmap){ 0 };
}
