/*
 * build.c - building radix trees: map, unmap, protect, destroy (radix.h).
 *
 * Every operation is a recursion over the tables a range touches.  A Tbl
 * names one table and where it sits (level, index bits, the span of one
 * entry).  Invariants of a tree the builder made: every non-root table has
 * at least one valid entry; the last-level table of a 2 MiB region is
 * 9-bit (4 KiB pages) or 5-bit (64 KiB pages).
 *
 * Failure atomicity: radix_map() checks the whole range before it writes,
 * and on an allocation failure unmaps what it had mapped.  radix_unmap()
 * and radix_protect() first split the large pages that straddle the range
 * boundaries (the only steps that allocate); after that only whole leaves
 * change.
 */
#include "radix.h"

/* One table of the tree. */
typedef struct Tbl {
    radix_addr_t base;    /* aligned to the table size */
    unsigned level;       /* 0 = root */
    unsigned nls;         /* index bits */
    unsigned entry_shift; /* one entry covers 2^entry_shift bytes of address */
} Tbl;

#define LAST_LEVEL 3

static uint64_t tbl_bytes(unsigned nls)
{
    return (uint64_t)RADIX_ENTRY_BYTES << nls;
}

static uint64_t span(const Tbl *t)
{
    return 1ULL << t->entry_shift;
}

static radix_addr_t entry_addr(const Tbl *t, uint64_t ea)
{
    return t->base + ((ea >> t->entry_shift) & ((1ULL << t->nls) - 1)) * RADIX_ENTRY_BYTES;
}

/* End of the entry containing a, clipped to hi. */
static uint64_t entry_end(const Tbl *t, uint64_t a, uint64_t hi)
{
    uint64_t end = (a | (span(t) - 1)) + 1;
    return end < hi ? end : hi;
}

static bool covers_entry(const Tbl *t, uint64_t a, uint64_t b)
{
    return (a & (span(t) - 1)) == 0 && b - a == span(t);
}

static int rd(const RadixMem *m, radix_addr_t addr, uint64_t *v)
{
    return m->read(m->opaque, addr, v) ? RADIX_E_IO : 0;
}

static int wr(const RadixMem *m, radix_addr_t addr, uint64_t v)
{
    return m->write(m->opaque, addr, v) ? RADIX_E_IO : 0;
}

static Tbl root_tbl(const RadixRoot *r)
{
    Tbl t = { r->base, 0, r->rpds, RADIX_ADDR_BITS_52 - r->rpds };
    t.base &= ~(tbl_bytes(t.nls) - 1);
    return t;
}

static bool root_ok(const RadixRoot *r)
{
    return r->rts == RADIX_RTS_52 && r->rpds == RADIX_ROOT_NLS;
}

/* The table the PDE e of t describes. */
static int child_of(const Tbl *t, uint64_t e, Tbl *c)
{
    c->level = t->level + 1;
    c->nls = (unsigned)(e & RADIX_PDE_NLS);
    if (!radix_level_ok(c->level, c->nls))
        return RADIX_E_BADTREE;
    c->base = (e & RADIX_PDE_NLB) & ~(tbl_bytes(c->nls) - 1);
    c->entry_shift = t->entry_shift - c->nls;
    return 0;
}

static uint64_t make_leaf(uint64_t ra, uint64_t flags)
{
    return RADIX_PTE_V | RADIX_PTE_L | (ra & RADIX_PTE_RPN) | (flags & RADIX_PTE_FLAGS);
}

static uint64_t make_pde(const Tbl *c)
{
    return RADIX_PDE_V | (c->base & RADIX_PDE_NLB) | c->nls;
}

static int alloc_tbl(const RadixMem *m, Tbl *c)
{
    return m->alloc_table(m->opaque, (unsigned)tbl_bytes(c->nls), &c->base) ? RADIX_E_NOMEM : 0;
}

/* Free t and every table below it (best effort: unreadable entries are skipped). */
static void free_subtree(const RadixMem *m, const Tbl *t)
{
    if (t->level < LAST_LEVEL) {
        for (uint64_t i = 0; i < (1ULL << t->nls); i++) {
            uint64_t e;
            Tbl c;
            if (rd(m, t->base + i * RADIX_ENTRY_BYTES, &e) == 0 && (e & RADIX_PDE_V) && !(e & RADIX_PTE_L) &&
                child_of(t, e, &c) == 0)
                free_subtree(m, &c);
        }
    }
    m->free_table(m->opaque, t->base, (unsigned)tbl_bytes(t->nls));
}

/* ---- map ----------------------------------------------------------------------- */

/* Can child table c hold pages of 2^page_shift (now or further down)? */
static bool shape_fits(const Tbl *c, unsigned page_shift)
{
    if (c->entry_shift < page_shift)
        return false;
    return c->level < LAST_LEVEL || c->entry_shift == page_shift;
}

/* Is [lo, hi) free for pages of 2^page_shift?  0, RADIX_E_EXISTS, _SHAPE, _BADTREE, _IO. */
static int check_free(const RadixMem *m, const Tbl *t, uint64_t lo, uint64_t hi, unsigned page_shift)
{
    for (uint64_t a = lo, b; a < hi; a = b) {
        uint64_t e;
        Tbl c;
        int rc;
        b = entry_end(t, a, hi);
        if ((rc = rd(m, entry_addr(t, a), &e)) != 0)
            return rc;
        if (!(e & RADIX_PDE_V))
            continue;
        if (e & RADIX_PTE_L)
            return RADIX_E_EXISTS;
        if ((rc = child_of(t, e, &c)) != 0)
            return rc;
        if (t->entry_shift == page_shift) /* a leaf goes here: the subtree must be empty */
            rc = check_free(m, &c, a & ~(span(t) - 1), (a & ~(span(t) - 1)) + span(t), c.entry_shift);
        else if (!shape_fits(&c, page_shift))
            rc = RADIX_E_SHAPE;
        else
            rc = check_free(m, &c, a, b, page_shift);
        if (rc)
            return rc;
    }
    return 0;
}

/* Index bits of a new table below t for pages of 2^page_shift. */
static unsigned new_child_nls(const Tbl *t, unsigned page_shift)
{
    if (t->level + 1 == LAST_LEVEL && page_shift == RADIX_SHIFT_64K)
        return RADIX_LAST_NLS_64K;
    return t->level + 1 == LAST_LEVEL ? RADIX_LAST_NLS_4K : RADIX_MID_NLS;
}

/* Map [lo, hi) (checked free) to lo + delta ... */
static int map_range(const RadixMem *m, const Tbl *t, uint64_t lo, uint64_t hi, uint64_t delta,
                     unsigned page_shift, uint64_t flags)
{
    for (uint64_t a = lo, b; a < hi; a = b) {
        radix_addr_t addr = entry_addr(t, a);
        uint64_t e;
        Tbl c;
        int rc;
        b = entry_end(t, a, hi);
        if ((rc = rd(m, addr, &e)) != 0)
            return rc;
        if (t->entry_shift == page_shift) {
            if ((e & RADIX_PDE_V) && child_of(t, e, &c) == 0)
                free_subtree(m, &c); /* an empty directory (check_free saw to that) */
            if ((rc = wr(m, addr, make_leaf(a + delta, flags))) != 0)
                return rc;
            continue;
        }
        if (!(e & RADIX_PDE_V)) {
            c = (Tbl){ 0, t->level + 1, new_child_nls(t, page_shift), 0 };
            c.entry_shift = t->entry_shift - c.nls;
            if ((rc = alloc_tbl(m, &c)) != 0)
                return rc;
            if ((rc = wr(m, addr, make_pde(&c))) != 0) {
                m->free_table(m->opaque, c.base, (unsigned)tbl_bytes(c.nls));
                return rc;
            }
        } else if ((rc = child_of(t, e, &c)) != 0) {
            return rc;
        }
        if ((rc = map_range(m, &c, a, b, delta, page_shift, flags)) != 0)
            return rc;
    }
    return 0;
}

/* ---- splitting large pages ----------------------------------------------------- */

/* Replace leaf e (at addr, in t) by a table of next-smaller leaves translating the same. */
static int split_leaf(const RadixMem *m, const Tbl *t, radix_addr_t addr, uint64_t e)
{
    Tbl c = { 0, t->level + 1, RADIX_MID_NLS, t->entry_shift - RADIX_MID_NLS };
    uint64_t ra = (e & RADIX_PTE_RPN) & ~(span(t) - 1);
    int rc;
    if ((rc = alloc_tbl(m, &c)) != 0)
        return rc;
    for (uint64_t i = 0; i < (1ULL << c.nls) && rc == 0; i++)
        rc = wr(m, c.base + i * RADIX_ENTRY_BYTES, make_leaf(ra + (i << c.entry_shift), e));
    if (rc == 0)
        rc = wr(m, addr, make_pde(&c));
    if (rc)
        m->free_table(m->opaque, c.base, (unsigned)tbl_bytes(c.nls));
    return rc;
}

/* Turn the 64 KiB-page table t (described by the PDE at parent_addr) into a 4 KiB-page table. */
static int reshape_64k(const RadixMem *m, const Tbl *t, radix_addr_t parent_addr)
{
    Tbl c = { 0, t->level, RADIX_LAST_NLS_4K, RADIX_SHIFT_4K };
    unsigned per = 1u << (RADIX_SHIFT_64K - RADIX_SHIFT_4K);
    int rc;
    if ((rc = alloc_tbl(m, &c)) != 0)
        return rc;
    for (uint64_t i = 0; i < (1ULL << t->nls) && rc == 0; i++) {
        uint64_t e;
        if ((rc = rd(m, t->base + i * RADIX_ENTRY_BYTES, &e)) != 0 || !(e & RADIX_PTE_V))
            continue;
        if (!(e & RADIX_PTE_L)) {
            rc = RADIX_E_BADTREE;
            break;
        }
        uint64_t ra = (e & RADIX_PTE_RPN) & ~((1ULL << RADIX_SHIFT_64K) - 1);
        for (unsigned j = 0; j < per && rc == 0; j++)
            rc = wr(m, c.base + (i * per + j) * RADIX_ENTRY_BYTES, make_leaf(ra + ((uint64_t)j << RADIX_SHIFT_4K), e));
    }
    if (rc == 0)
        rc = wr(m, parent_addr, make_pde(&c));
    if (rc) {
        m->free_table(m->opaque, c.base, (unsigned)tbl_bytes(c.nls));
        return rc;
    }
    m->free_table(m->opaque, t->base, (unsigned)tbl_bytes(t->nls));
    return 0;
}

/* Make sure no leaf straddles address x (4 KiB aligned). */
static int split_at(const RadixMem *m, const RadixRoot *r, uint64_t x)
{
    Tbl t = root_tbl(r);
    radix_addr_t parent_addr = RADIX_NO_ENTRY;
    for (;;) {
        radix_addr_t addr = entry_addr(&t, x);
        uint64_t e;
        int rc;
        if ((x & (span(&t) - 1)) == 0)
            return 0; /* x is an entry boundary here, so at every level below */
        if ((rc = rd(m, addr, &e)) != 0)
            return rc;
        if (!(e & RADIX_PDE_V))
            return 0;
        if (e & RADIX_PTE_L) {
            if (t.level == LAST_LEVEL)
                return reshape_64k(m, &t, parent_addr);
            if (t.level == 0)
                return RADIX_E_BADTREE;
            if ((rc = split_leaf(m, &t, addr, e)) != 0 || (rc = rd(m, addr, &e)) != 0)
                return rc;
        }
        Tbl c;
        if ((rc = child_of(&t, e, &c)) != 0)
            return rc;
        parent_addr = addr;
        t = c;
    }
}

/* ---- unmap and protect (whole leaves only, after split_at) ---------------------- */

static int table_is_empty(const RadixMem *m, const Tbl *t, bool *empty)
{
    *empty = false;
    for (uint64_t i = 0; i < (1ULL << t->nls); i++) {
        uint64_t e;
        int rc = rd(m, t->base + i * RADIX_ENTRY_BYTES, &e);
        if (rc || (e & RADIX_PDE_V))
            return rc;
    }
    *empty = true;
    return 0;
}

static int clear_range(const RadixMem *m, const Tbl *t, uint64_t lo, uint64_t hi)
{
    for (uint64_t a = lo, b; a < hi; a = b) {
        radix_addr_t addr = entry_addr(t, a);
        uint64_t e;
        Tbl c;
        bool empty = true;
        int rc;
        b = entry_end(t, a, hi);
        if ((rc = rd(m, addr, &e)) != 0)
            return rc;
        if (!(e & RADIX_PDE_V))
            continue;
        if (e & RADIX_PTE_L) {
            if (!covers_entry(t, a, b))
                return RADIX_E_BADTREE; /* split_at() failed to split it */
            if ((rc = wr(m, addr, 0)) != 0)
                return rc;
            continue;
        }
        if ((rc = child_of(t, e, &c)) != 0 || (rc = clear_range(m, &c, a, b)) != 0)
            return rc;
        if (!covers_entry(t, a, b) && (rc = table_is_empty(m, &c, &empty)) != 0)
            return rc;
        if (empty) {
            if ((rc = wr(m, addr, 0)) != 0)
                return rc;
            m->free_table(m->opaque, c.base, (unsigned)tbl_bytes(c.nls));
        }
    }
    return 0;
}

static int protect_range(const RadixMem *m, const Tbl *t, uint64_t lo, uint64_t hi, uint64_t clear, uint64_t set)
{
    for (uint64_t a = lo, b; a < hi; a = b) {
        radix_addr_t addr = entry_addr(t, a);
        uint64_t e;
        Tbl c;
        int rc;
        b = entry_end(t, a, hi);
        if ((rc = rd(m, addr, &e)) != 0)
            return rc;
        if (!(e & RADIX_PDE_V))
            continue;
        if (e & RADIX_PTE_L) {
            if (!covers_entry(t, a, b))
                return RADIX_E_BADTREE;
            if ((rc = wr(m, addr, (e & ~clear) | set)) != 0)
                return rc;
            continue;
        }
        if ((rc = child_of(t, e, &c)) != 0 || (rc = protect_range(m, &c, a, b, clear, set)) != 0)
            return rc;
    }
    return 0;
}

/* ---- public entry points ------------------------------------------------------- */

static bool range_ok(uint64_t ea, uint64_t size, unsigned page_shift)
{
    uint64_t mask = (1ULL << page_shift) - 1;
    uint64_t limit = 1ULL << RADIX_ADDR_BITS_52;
    return size != 0 && !(ea & mask) && !(size & mask) && ea < limit && size <= limit - ea;
}

static bool page_shift_ok(unsigned s)
{
    return s == RADIX_SHIFT_4K || s == RADIX_SHIFT_64K || s == RADIX_SHIFT_2M || s == RADIX_SHIFT_1G;
}

/* Split the large pages straddling either end of [ea, ea+size). */
static int split_ends(const RadixMem *m, const RadixRoot *r, uint64_t ea, uint64_t size)
{
    int rc = split_at(m, r, ea);
    if (rc == 0 && ea + size < (1ULL << RADIX_ADDR_BITS_52))
        rc = split_at(m, r, ea + size);
    return rc;
}

int radix_tree_create(const RadixMem *m, RadixRoot *out)
{
    Tbl t = { 0, 0, RADIX_ROOT_NLS, 0 };
    if (alloc_tbl(m, &t) != 0)
        return RADIX_E_NOMEM;
    *out = (RadixRoot){ t.base, RADIX_RTS_52, RADIX_ROOT_NLS };
    return 0;
}

int radix_map(const RadixMem *m, const RadixRoot *r, uint64_t ea, radix_addr_t ra, uint64_t size,
              unsigned page_shift, uint64_t pte_flags)
{
    Tbl t = root_tbl(r);
    int rc;
    if (!root_ok(r))
        return RADIX_E_BADTREE;
    if (!page_shift_ok(page_shift) || !range_ok(ea, size, page_shift) || (ra & ((1ULL << page_shift) - 1)) ||
        ra >= (1ULL << RADIX_RA_BITS) || size > (1ULL << RADIX_RA_BITS) - ra || (pte_flags & ~RADIX_PTE_FLAGS))
        return RADIX_E_INVAL;
    if ((rc = check_free(m, &t, ea, ea + size, page_shift)) != 0)
        return rc;
    rc = map_range(m, &t, ea, ea + size, ra - ea, page_shift, pte_flags);
    if (rc)
        (void)clear_range(m, &t, ea, ea + size); /* back out the part already mapped */
    return rc;
}

int radix_unmap(const RadixMem *m, const RadixRoot *r, uint64_t ea, uint64_t size)
{
    int rc;
    if (!root_ok(r))
        return RADIX_E_BADTREE;
    if (!range_ok(ea, size, RADIX_SHIFT_4K))
        return RADIX_E_INVAL;
    if ((rc = split_ends(m, r, ea, size)) != 0)
        return rc;
    Tbl t = root_tbl(r);
    return clear_range(m, &t, ea, ea + size);
}

int radix_protect(const RadixMem *m, const RadixRoot *r, uint64_t ea, uint64_t size, uint64_t clear_flags,
                  uint64_t set_flags)
{
    int rc;
    if (!root_ok(r))
        return RADIX_E_BADTREE;
    if (!range_ok(ea, size, RADIX_SHIFT_4K) || ((clear_flags | set_flags) & ~RADIX_PTE_FLAGS))
        return RADIX_E_INVAL;
    if ((rc = split_ends(m, r, ea, size)) != 0)
        return rc;
    Tbl t = root_tbl(r);
    return protect_range(m, &t, ea, ea + size, clear_flags, set_flags);
}

/*
 * RadixUsed: the 64 bits of a level's mask over the n entries of a table.
 * The first USED_SINGLE entries have a bit each (a guest's memory usually
 * starts at 0), the rest share the other bits evenly (a 52-bit root: 255
 * entries a bit; a 512-entry directory: 15).
 */
#define USED_BITS   64
#define USED_SINGLE 32

static uint64_t group_span(uint64_t n)
{
    return (n - USED_SINGLE + (USED_BITS - USED_SINGLE) - 1) / (USED_BITS - USED_SINGLE);
}

static unsigned group_of(uint64_t n, uint64_t i)
{
    if (n <= USED_BITS || i < USED_SINGLE)
        return (unsigned)i;
    return USED_SINGLE + (unsigned)((i - USED_SINGLE) / group_span(n));
}

/* The entries [*from, *to) of group g (empty past the end). */
static void group_entries(uint64_t n, unsigned g, uint64_t *from, uint64_t *to)
{
    if (n <= USED_BITS || g < USED_SINGLE) {
        *from = g;
        *to = g + 1;
    } else {
        *from = USED_SINGLE + (g - USED_SINGLE) * group_span(n);
        *to = *from + group_span(n);
    }
    *from = *from < n ? *from : n;
    *to = *to < n ? *to : n;
}

/* The bits of entries [first, last] of a table of n entries. */
static uint64_t group_bits(uint64_t n, uint64_t first, uint64_t last)
{
    unsigned lo = group_of(n, first), hi = group_of(n, last);
    uint64_t upto_hi = hi == USED_BITS - 1 ? ~0ULL : (1ULL << (hi + 1)) - 1;
    return upto_hi & ~((1ULL << lo) - 1);
}

void radix_used_add(const RadixRoot *r, RadixUsed *u, uint64_t ea, uint64_t size)
{
    Tbl t = root_tbl(r);
    uint64_t last = ea + (size - 1);
    if (!root_ok(r) || size == 0 || last < ea || (last >> RADIX_ADDR_BITS_52) != 0) {
        *u = radix_used_all(); /* not a range radix_map() takes: nothing to say */
        return;
    }
    /* Levels 0 .. LAST_LEVEL-1 hold directories: root, then RADIX_MID_NLS-bit tables. */
    for (unsigned level = 0; level < LAST_LEVEL; level++) {
        uint64_t n = 1ULL << t.nls, tbl_span_shift = t.entry_shift + t.nls;
        if (level > 0 && (ea >> tbl_span_shift) != (last >> tbl_span_shift))
            u->level[level] = ~0ULL; /* several tables at this level: every index */
        else
            u->level[level] |= group_bits(n, (ea >> t.entry_shift) & (n - 1), (last >> t.entry_shift) & (n - 1));
        t = (Tbl){ 0, level + 1, RADIX_MID_NLS, t.entry_shift - RADIX_MID_NLS };
    }
}

/* Free t and the tables below it, reading only the entries u allows at each level. */
static void free_used(const RadixMem *m, const Tbl *t, const RadixUsed *u)
{
    uint64_t n = 1ULL << t->nls;
    for (unsigned g = 0; t->level < LAST_LEVEL && g < USED_BITS; g++) {
        uint64_t from, to;
        if (!(u->level[t->level] >> g & 1))
            continue;
        group_entries(n, g, &from, &to);
        for (uint64_t i = from; i < to; i++) {
            uint64_t e;
            Tbl c;
            if (rd(m, t->base + i * RADIX_ENTRY_BYTES, &e) == 0 && (e & RADIX_PDE_V) && !(e & RADIX_PTE_L) &&
                child_of(t, e, &c) == 0)
                free_used(m, &c, u);
        }
    }
    m->free_table(m->opaque, t->base, (unsigned)tbl_bytes(t->nls));
}

void radix_tree_destroy_used(const RadixMem *m, const RadixRoot *r, const RadixUsed *u)
{
    Tbl t = root_tbl(r);
    if (!root_ok(r)) {
        free_subtree(m, &t); /* not a shape radix_used_add() describes */
        return;
    }
    free_used(m, &t, u);
}

void radix_tree_destroy(const RadixMem *m, const RadixRoot *r)
{
    Tbl t = root_tbl(r);
    free_subtree(m, &t);
}
