/*
 * rmap.c - the reverse map of one L1: L1 guest real page -> the shadow
 * PTEs (nested guest, n_gpa, size) that map it, so that a change L0 makes
 * to an L1 page reaches every nested translation built on it (seed 003
 * "Partition Scoped Invalidation"; Linux kvmhv_insert_nest_rmap() and
 * kvmhv_remove_nest_rmap_range()).  Entry format: nest.h, NEST_RMAP_*.
 *
 * Storage: a hash table (ops->alloc, grown by doubling, never under
 * mmu_lock) whose buckets head two doubly linked chains: by key, for
 * invalidation, and by (guest, n_gpa), for insertion -- thousands of
 * guests sharing one L1 page make one key's chain long, and insertion
 * never walks it.  Each node is also on its guest's list so that dropping
 * a guest costs its own entries only; every removal is O(1).  A key is the
 * L1 address of the first byte a shadow PTE maps; a shadow PTE maps at
 * most a naturally aligned 1 GiB, so the entries overlapping [a, b) have a
 * key in [a, b) or at a rounded down to 64 KiB, 2 MiB or 1 GiB (and the
 * same holds for n_gpa).
 *
 * All functions here: caller holds l1->mmu_lock.  ops->free may run under
 * it (it must not sleep), ops->alloc never does (nest_rmap_prepare()).
 */
#include "nest/nest_int.h"

#define RMAP_KEY_SHIFT   RADIX_SHIFT_4K
#define RMAP_MIN_ORDER   8         /* 256 buckets to start with */
#define RMAP_MAX_ORDER   24
#define RMAP_LOAD        2         /* grow past 2 entries per bucket */
#define RMAP_HASH_MUL    0x9E3779B97F4A7C15ULL /* 2^64 / golden ratio (Fibonacci hashing) */

static const unsigned big_page_shifts[] = { RADIX_SHIFT_64K, RADIX_SHIFT_2M, RADIX_SHIFT_1G };

static unsigned hash_of(unsigned order, uint64_t x)
{
    return (unsigned)((x * RMAP_HASH_MUL) >> (64 - order));
}

static NestRmapBucket *key_bucket(NestRmap *r, gra_t l1_gra)
{
    return &r->buckets[hash_of(r->order, l1_gra >> RMAP_KEY_SHIFT)];
}

static NestRmapBucket *pte_bucket(NestRmap *r, const NestGuest *ng, gra_t n_gpa)
{
    return &r->buckets[hash_of(r->order, (n_gpa >> RMAP_KEY_SHIFT) ^ (uint64_t)(uintptr_t)ng)];
}

static size_t buckets_bytes(unsigned order)
{
    return sizeof(NestRmapBucket) << order;
}

/* ---- the three lists of a node ------------------------------------------------------------ */

static void link_key(NestRmapNode **head, NestRmapNode *n)
{
    n->hnext = *head;
    n->hpprev = head;
    if (*head) {
        (*head)->hpprev = &n->hnext;
    }
    *head = n;
}

static void link_pte(NestRmapNode **head, NestRmapNode *n)
{
    n->nnext = *head;
    n->npprev = head;
    if (*head) {
        (*head)->npprev = &n->nnext;
    }
    *head = n;
}

static void link_guest(NestGuest *ng, NestRmapNode *n)
{
    n->gnext = ng->rmap_list;
    n->gpprev = &ng->rmap_list;
    if (ng->rmap_list) {
        ng->rmap_list->gpprev = &n->gnext;
    }
    ng->rmap_list = n;
}

/* Take n off every list and free it. */
static void remove_node(NestL1 *l1, NestRmapNode *n)
{
    *n->hpprev = n->hnext;
    if (n->hnext) {
        n->hnext->hpprev = n->hpprev;
    }
    *n->npprev = n->nnext;
    if (n->nnext) {
        n->nnext->npprev = n->npprev;
    }
    *n->gpprev = n->gnext;
    if (n->gnext) {
        n->gnext->gpprev = n->gpprev;
    }
    l1->rmap.count--;
    l1->ops->free(l1->opaque, n, sizeof(*n));
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
    NestRmapBucket *old = r->buckets;
    unsigned old_order = r->order;
    r->buckets = p->buckets;
    r->order = p->order;
    /* Every node is on exactly one chain by key: move each to both new chains. */
    for (unsigned i = 0; old && i < (1u << old_order); i++) {
        NestRmapNode *n = old[i].by_key;
        while (n) {
            NestRmapNode *next = n->hnext;
            link_key(&key_bucket(r, n->l1_gra)->by_key, n);
            link_pte(&pte_bucket(r, n->ng, nest_rmap_gpa(n->word))->by_pte, n);
            n = next;
        }
    }
    p->buckets = old;
    p->order = old_order;
}

/* ---- entries ------------------------------------------------------------------------------ */

/*
 * Prune ng's entries at base whose range contains n_gpa (the PTE just
 * inserted there replaced theirs); true if one of them is (word, l1_gra)
 * itself, which stays.
 */
static bool prune_replaced(NestL1 *l1, NestGuest *ng, gra_t base, gra_t n_gpa, uint64_t word, gra_t l1_gra)
{
    bool present = false;
    NestRmapNode *n = pte_bucket(&l1->rmap, ng, base)->by_pte;
    while (n) {
        NestRmapNode *next = n->nnext;
        if (n->ng == ng && nest_rmap_gpa(n->word) == base &&
            n_gpa - base < (1ULL << nest_rmap_shift(n->word))) {
            if (n->word == word && n->l1_gra == l1_gra) {
                present = true; /* the same PTE recorded before */
            } else {
                remove_node(l1, n);
            }
        }
        n = next;
    }
    return present;
}

void nest_rmap_add_locked(NestGuest *ng, NestRmapPrep *p, gra_t l1_gra, gra_t n_gpa, unsigned page_shift)
{
    NestL1 *l1 = ng->l1;
    NestRmap *r = &l1->rmap;
    uint64_t word = nest_rmap_word(ng->l1_lpid, n_gpa, page_shift);

    NEST_ASSERT_HELD(&l1->mmu_lock);
    maybe_grow_locked(r, p);
    NEST_BUG_ON(!r->buckets); /* nest_rmap_prepare() guarantees a table */

    /* Entries at n_gpa itself, then those of larger pages containing it. */
    bool present = prune_replaced(l1, ng, n_gpa, n_gpa, word, l1_gra);
    gra_t done = n_gpa;
    for (unsigned i = 0; i < sizeof big_page_shifts / sizeof big_page_shifts[0]; i++) {
        gra_t base = n_gpa & ~((1ULL << big_page_shifts[i]) - 1);
        if (base < done) {
            present |= prune_replaced(l1, ng, base, n_gpa, word, l1_gra);
            done = base;
        }
    }
    if (present) {
        return;
    }
    NestRmapNode *n = p->node;
    p->node = NULL;
    n->ng = ng;
    n->l1_gra = l1_gra;
    n->word = word;
    link_key(&key_bucket(r, l1_gra)->by_key, n);
    link_pte(&pte_bucket(r, ng, n_gpa)->by_pte, n);
    link_guest(ng, n);
    r->count++;
    if (r->count > l1->stats.rmap_entries_max) {
        l1->stats.rmap_entries_max = r->count;
    }
}

void nest_rmap_drop_guest_locked(NestGuest *ng)
{
    NestL1 *l1 = ng->l1;

    NEST_ASSERT_HELD(&l1->mmu_lock);
    while (ng->rmap_list) {
        remove_node(l1, ng->rmap_list);
    }
}

/* Remove the entries of a chain by key with key `key` (or any: any_key) whose range overlaps [lo, hi). */
static void invalidate_chain(NestL1 *l1, NestRmapNode *n, bool any_key, gra_t key, gra_t lo, gra_t hi)
{
    while (n) {
        NestRmapNode *next = n->hnext;
        uint64_t size = 1ULL << nest_rmap_shift(n->word);
        if ((any_key || n->l1_gra == key) && n->l1_gra < hi && n->l1_gra + size > lo) {
            NestGuest *ng = n->ng;
            ng->stats.rmap_invalidations += nest_shadow_remove_locked(ng, nest_rmap_gpa(n->word), size);
            remove_node(l1, n);
        }
        n = next;
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
            invalidate_chain(l1, r->buckets[b].by_key, true, 0, l1_gra, hi);
        }
        return;
    }
    for (gra_t key = lo; key < hi; key += 1ULL << RMAP_KEY_SHIFT) {
        invalidate_chain(l1, key_bucket(r, key)->by_key, false, key, l1_gra, hi);
    }
    /* Large shadow pages that start below the range. */
    gra_t done = lo;
    for (unsigned i = 0; i < sizeof big_page_shifts / sizeof big_page_shifts[0]; i++) {
        gra_t key = l1_gra & ~((1ULL << big_page_shifts[i]) - 1);
        if (key < done) {
            invalidate_chain(l1, key_bucket(r, key)->by_key, false, key, l1_gra, hi);
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
