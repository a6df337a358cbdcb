/*
 * test_build.c - the radix builder (radix_map/unmap/protect/destroy):
 * directed cases for every page size, every error, splits of large pages,
 * rollback on allocation failure; then randomized map/unmap/protect
 * sequences checked against a reference model, a sorted list of the pages
 * the tree must hold (including the splits the builder promises).  After
 * each check the tree is walked independently of the builder: every leaf
 * must be a model page, every non-root table non-empty and live, and the
 * allocator must agree on the number of tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "testmem.h"

#define K4  0x1000ULL
#define K64 0x10000ULL
#define M2  0x200000ULL
#define G1  0x40000000ULL
#define RW  (RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW)

static TestMem tm;
static RadixMem m;
static RadixRoot root;

/* ---- the reference model ------------------------------------------------------ */

typedef struct MPage {
    uint64_t ea;
    unsigned shift;
    uint64_t ra;
    uint64_t flags;
} MPage;

static MPage *model;
static size_t nmodel, capmodel;

static uint64_t psize(const MPage *p) { return 1ULL << p->shift; }

/* Index of the first page ending after x. */
static size_t model_lower(uint64_t x)
{
    size_t lo = 0, hi = nmodel;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (model[mid].ea + psize(&model[mid]) <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void model_replace(size_t at, size_t remove, const MPage *add, size_t nadd)
{
    if (nmodel - remove + nadd > capmodel) {
        capmodel = (nmodel - remove + nadd) * 2 + 64;
        model = realloc(model, capmodel * sizeof(*model));
    }
    if (nmodel - at - remove)
        memmove(&model[at + nadd], &model[at + remove], (nmodel - at - remove) * sizeof(*model));
    if (nadd)
        memcpy(&model[at], add, nadd * sizeof(*model));
    nmodel = nmodel - remove + nadd;
}

static bool model_overlaps(uint64_t lo, uint64_t hi)
{
    size_t i = model_lower(lo);
    return i < nmodel && model[i].ea < hi;
}

/* Small-page size (12 or 16) already used in the 2 MiB region of x, or 0. */
static unsigned model_region_shift(uint64_t x)
{
    uint64_t r = x & ~(M2 - 1);
    for (size_t i = model_lower(r); i < nmodel && model[i].ea < r + M2; i++)
        if (model[i].shift < 21)
            return model[i].shift;
    return 0;
}

/* The builder's split policy: 1G -> 2M, 2M -> 4K, 64K -> the whole region's 64K pages as 4K. */
static void model_split_at(uint64_t x)
{
    for (;;) {
        size_t i = model_lower(x);
        if (i >= nmodel || model[i].ea >= x)
            return;
        MPage p = model[i];
        if (p.shift == 30 || p.shift == 21) {
            unsigned cs = p.shift == 30 ? 21 : 12;
            MPage sub[512];
            for (unsigned k = 0; k < 512; k++)
                sub[k] = (MPage){ p.ea + ((uint64_t)k << cs), cs, p.ra + ((uint64_t)k << cs), p.flags };
            model_replace(i, 1, sub, 512);
            continue;
        }
        /* 64K: every 64K page of the 2 MiB region becomes 16 4K pages. */
        uint64_t r = p.ea & ~(M2 - 1);
        size_t first = model_lower(r), last = first;
        while (last < nmodel && model[last].ea < r + M2)
            last++;
        MPage *sub = malloc((last - first) * 16 * sizeof(*sub));
        size_t n = 0;
        for (size_t j = first; j < last; j++)
            for (unsigned k = 0; k < 16; k++)
                sub[n++] = (MPage){ model[j].ea + k * K4, 12, model[j].ra + k * K4, model[j].flags };
        model_replace(first, last - first, sub, n);
        free(sub);
    }
}

static int model_map(uint64_t ea, uint64_t ra, uint64_t size, unsigned shift, uint64_t flags, bool *either)
{
    bool exists = model_overlaps(ea, ea + size), shape = false;
    if (shift < 21)
        for (uint64_t r = ea & ~(M2 - 1); r < ea + size; r += M2) {
            unsigned s = model_region_shift(r);
            shape |= s && s != shift;
        }
    *either = exists && shape;
    if (exists)
        return RADIX_E_EXISTS;
    if (shape)
        return RADIX_E_SHAPE;
    size_t at = model_lower(ea), n = size >> shift;
    MPage *add = malloc(n * sizeof(*add));
    for (size_t k = 0; k < n; k++)
        add[k] = (MPage){ ea + (k << shift), shift, ra + (k << shift), flags };
    model_replace(at, 0, add, n);
    free(add);
    return 0;
}

static void model_split_ends(uint64_t lo, uint64_t hi)
{
    model_split_at(lo);
    if (hi < (1ULL << 52))
        model_split_at(hi);
}

static void model_unmap(uint64_t lo, uint64_t hi)
{
    model_split_ends(lo, hi);
    size_t a = model_lower(lo), b = a;
    while (b < nmodel && model[b].ea < hi)
        b++;
    model_replace(a, b - a, NULL, 0);
}

static void model_protect(uint64_t lo, uint64_t hi, uint64_t clear, uint64_t set)
{
    model_split_ends(lo, hi);
    for (size_t i = model_lower(lo); i < nmodel && model[i].ea < hi; i++)
        model[i].flags = (model[i].flags & ~clear) | set;
}

/* ---- independent tree checker ------------------------------------------------- */

typedef struct Check {
    size_t next;       /* next model page expected */
    unsigned tables;   /* tables reached, root included */
    bool translations_only;
} Check;

static void check_leaf(Check *c, uint64_t ea, unsigned shift, uint64_t e)
{
    uint64_t ra = e & RADIX_PTE_RPN;
    if (c->translations_only) {
        /* Page sizes may differ after a failed split; each 4K of the leaf must match the model. */
        for (uint64_t off = 0; off < (1ULL << shift); off += (shift > 21 ? M2 : K4)) {
            size_t i = model_lower(ea + off);
            assert_true(i < nmodel && model[i].ea <= ea + off);
            assert_int_equal(model[i].ra + (ea + off - model[i].ea), ra + off);
            assert_int_equal(model[i].flags, e & RADIX_PTE_FLAGS);
        }
        return;
    }
    assert_true(c->next < nmodel);
    const MPage *p = &model[c->next++];
    assert_int_equal(p->ea, ea);
    assert_int_equal(p->shift, shift);
    assert_int_equal(p->ra, ra);
    assert_int_equal(p->flags, e & RADIX_PTE_FLAGS);
}

static void check_table(Check *c, radix_addr_t base, unsigned level, unsigned nls, unsigned entry_shift, uint64_t ea0)
{
    unsigned valid = 0;
    c->tables++;
    assert_int_equal(base & ((8ULL << nls) - 1), 0);
    assert_int_equal(tm.live[base / TM_GRAIN], nls + 3);
    for (uint64_t i = 0; i < (1ULL << nls); i++) {
        uint64_t e = tm_get(&tm, base + i * 8), ea = ea0 + (i << entry_shift);
        if (!(e & RADIX_PTE_V)) {
            assert_int_equal(e, 0);
            continue;
        }
        valid++;
        if (e & RADIX_PTE_L) {
            assert_true(level > 0);
            assert_int_equal(e & ~(RADIX_PTE_V | RADIX_PTE_L | RADIX_PTE_RPN | RADIX_PTE_FLAGS), 0);
            assert_int_equal((e & RADIX_PTE_RPN) & ((1ULL << entry_shift) - 1), 0);
            check_leaf(c, ea, entry_shift, e);
            continue;
        }
        unsigned cn = (unsigned)(e & RADIX_PDE_NLS);
        assert_true(level < 3);
        assert_true(cn == 9 || (level == 2 && cn == 5));
        check_table(c, e & RADIX_PDE_NLB, level + 1, cn, entry_shift - cn, ea);
    }
    if (level > 0)
        assert_true(valid > 0); /* emptied tables are freed */
}

static void check_tree_mode(bool translations_only)
{
    Check c = { 0, 0, translations_only };
    check_table(&c, root.base, 0, 13, 39, 0);
    if (!translations_only)
        assert_int_equal(c.next, nmodel);
    assert_int_equal(c.tables, tm.live_tables);
    assert_int_equal(tm.bad_frees, 0);
}

static void check_tree(void) { check_tree_mode(false); }

/* radix_walk agrees with the model at x. */
static void check_walk(uint64_t x)
{
    RadixWalk w;
    size_t i = model_lower(x);
    radix_walk(&root, x, tm_read, &tm, &w);
    if (i < nmodel && model[i].ea <= x) {
        assert_int_equal(w.status, RADIX_OK);
        assert_int_equal(w.ra, model[i].ra + (x - model[i].ea));
        assert_int_equal(w.pte & RADIX_PTE_FLAGS, model[i].flags);
        assert_int_equal(w.page_shift, model[i].shift);
    } else {
        assert_int_equal(w.status, RADIX_NOT_PRESENT);
    }
}

/* ---- fixtures ----------------------------------------------------------------- */

static int setup(void **state)
{
    tm_init(&tm);
    m = tm_radix_mem(&tm);
    nmodel = 0;
    assert_int_equal(radix_tree_create(&m, &root), 0);
    return 0;
}

static int teardown(void **state)
{
    radix_tree_destroy(&m, &root);
    assert_int_equal(tm.live_tables, 0);
    assert_int_equal(tm.bad_frees, 0);
    tm_fini(&tm);
    free(model);
    model = NULL;
    nmodel = capmodel = 0;
    return 0;
}

/* Builder call and model update together; the results must agree. */
static void map(uint64_t ea, uint64_t ra, uint64_t size, unsigned shift, uint64_t flags)
{
    bool either;
    int want = model_map(ea, ra, size, shift, flags, &either);
    int got = radix_map(&m, &root, ea, ra, size, shift, flags);
    if (either)
        assert_true(got == RADIX_E_EXISTS || got == RADIX_E_SHAPE);
    else
        assert_int_equal(got, want);
}

static void unmap(uint64_t ea, uint64_t size)
{
    model_unmap(ea, ea + size);
    assert_int_equal(radix_unmap(&m, &root, ea, size), 0);
}

static void protect(uint64_t ea, uint64_t size, uint64_t clear, uint64_t set)
{
    model_protect(ea, ea + size, clear, set);
    assert_int_equal(radix_protect(&m, &root, ea, size, clear, set), 0);
}

/* ---- directed tests ------------------------------------------------------------- */

static void test_create_makes_empty_52_bit_root(void **state)
{
    assert_int_equal(root.rts, 21);
    assert_int_equal(root.rpds, 13);
    assert_int_equal(root.base & 0xFFFF, 0);
    assert_int_equal(tm.live_tables, 1);
    check_tree();
}

static void test_map_each_page_size_walks_back(void **state)
{
    map(0x10000000, 0x80000000, 4 * K4, 12, RW);
    map(0x10200000, 0x90000000, 4 * K64, 16, RW | RADIX_PTE_EAA_EXEC);
    map(0x10400000, 0xA0000000, 2 * M2, 21, RADIX_PTE_EAA_PRIV | RADIX_PTE_EAA_READ);
    map(0x40000000, 0xC0000000, G1, 30, RW | RADIX_PTE_ATT_NON_IDEMPOTENT);
    map(0xFFFFFFFFFF000ULL, 0x1000, K4, 12, RW); /* last page of the 52-bit space */
    check_tree();
    /* 4K: root, PUD, PMD, PTE; 64K: +1 table; 2M: none; 1G: none; top page: +3 */
    assert_int_equal(tm.live_tables, 1 + 3 + 1 + 3);
    for (size_t i = 0; i < nmodel; i++) {
        check_walk(model[i].ea);
        check_walk(model[i].ea + psize(&model[i]) - 8);
    }
    check_walk(0x10004000);
}

static void test_map_rejects_bad_arguments(void **state)
{
    assert_int_equal(radix_map(&m, &root, 0x1000, 0, 0, 12, RW), RADIX_E_INVAL);          /* size 0 */
    assert_int_equal(radix_map(&m, &root, 0x1800, 0, K4, 12, RW), RADIX_E_INVAL);         /* ea */
    assert_int_equal(radix_map(&m, &root, 0x1000, 0x800, K4, 12, RW), RADIX_E_INVAL);     /* ra */
    assert_int_equal(radix_map(&m, &root, 0x10000, 0, K4, 16, RW), RADIX_E_INVAL);        /* size */
    assert_int_equal(radix_map(&m, &root, 0x1000, 0, K4, 13, RW), RADIX_E_INVAL);         /* page size */
    assert_int_equal(radix_map(&m, &root, 0x1000, 0, K4, 12, RADIX_PTE_V), RADIX_E_INVAL); /* flags */
    assert_int_equal(radix_map(&m, &root, 0x1000, 0x1000, K4, 12, RADIX_PTE_RPN), RADIX_E_INVAL);
    assert_int_equal(radix_map(&m, &root, 1ULL << 52, 0, K4, 12, RW), RADIX_E_INVAL);    /* outside */
    assert_int_equal(radix_map(&m, &root, (1ULL << 52) - K4, 0, 2 * K4, 12, RW), RADIX_E_INVAL);
    assert_int_equal(radix_map(&m, &root, 0, 1ULL << 57, K4, 12, RW), RADIX_E_INVAL);    /* RA too big */
    assert_int_equal(radix_map(&m, &root, 0, (1ULL << 57) - K4, 2 * K4, 12, RW), RADIX_E_INVAL);
    assert_int_equal(radix_unmap(&m, &root, 0x800, K4), RADIX_E_INVAL);
    assert_int_equal(radix_unmap(&m, &root, 0, 0), RADIX_E_INVAL);
    assert_int_equal(radix_protect(&m, &root, 0, K4, RADIX_PTE_V, 0), RADIX_E_INVAL);
    assert_int_equal(radix_protect(&m, &root, 0, K4, 0, RADIX_PTE_RPN), RADIX_E_INVAL);
    RadixRoot bad = root;
    bad.rpds = 12;
    assert_int_equal(radix_map(&m, &bad, 0, 0, K4, 12, RW), RADIX_E_BADTREE);
    assert_int_equal(tm.live_tables, 1);
    check_tree();
}

static void test_map_over_mapped_range_fails_unchanged(void **state)
{
    map(0x200000, 0x1000000, M2, 21, RW);
    map(0x40000000, 0x2000000, 16 * K4, 12, RW);
    unsigned tables = tm.live_tables;
    assert_int_equal(radix_map(&m, &root, 0x3FF000, 0, 2 * K4, 12, RW), RADIX_E_EXISTS);
    assert_int_equal(radix_map(&m, &root, 0x40000000, 0, G1, 30, RW), RADIX_E_EXISTS);
    assert_int_equal(radix_map(&m, &root, 0x40000000, 0, M2, 21, RW), RADIX_E_EXISTS);
    assert_int_equal(radix_map(&m, &root, 0x4000F000, 0, 2 * K4, 12, RW), RADIX_E_EXISTS);
    assert_int_equal(radix_map(&m, &root, 0, 0, G1, 30, RW), RADIX_E_EXISTS);
    assert_int_equal(tm.live_tables, tables);
    check_tree();
}

static void test_map_mixing_4k_and_64k_in_a_region_is_shape_error(void **state)
{
    map(0x200000, 0x1000000, K4, 12, RW);
    map(0x400000, 0x2000000, K64, 16, RW);
    assert_int_equal(radix_map(&m, &root, 0x210000, 0, K64, 16, RW), RADIX_E_SHAPE);
    assert_int_equal(radix_map(&m, &root, 0x401000, 0, K4, 12, RW), RADIX_E_SHAPE);
    /* Once the region is empty again its table is gone and either size is fine. */
    unmap(0x200000, M2);
    map(0x210000, 0x3000000, K64, 16, RW);
    check_tree();
}

static void test_map_rolls_back_on_allocation_failure(void **state)
{
    map(0x10000000, 0x1000, 8 * K4, 12, RW);
    check_tree();
    for (int k = 0; k < 4; k++) {
        unsigned tables = tm.live_tables;
        tm.fail_alloc_at = (int)tm.allocs + k;
        /* Spans two 1 GiB regions: needs a PMD and a PTE table in each. */
        int rc = radix_map(&m, &root, 0x7FFFF000ULL, 0x100000, 2 * K4, 12, RW);
        assert_int_equal(rc, RADIX_E_NOMEM);
        assert_int_equal(tm.live_tables, tables);
        check_tree();
    }
    tm.fail_alloc_at = -1;
    map(0x7FFFF000ULL, 0x100000, 2 * K4, 12, RW);
    check_tree();
}

static void test_map_reports_io_errors(void **state)
{
    tm.fail_write = root.base + 8 * 5;
    assert_int_equal(radix_map(&m, &root, 5ULL << 39, 0, K4, 12, RW), RADIX_E_IO);
    tm.fail_write = TM_NO_ADDR;
    assert_int_equal(tm.live_tables, 1);
    tm.fail_read = root.base;
    assert_int_equal(radix_map(&m, &root, 0, 0, K4, 12, RW), RADIX_E_IO);
    assert_int_equal(radix_unmap(&m, &root, 0, K4), RADIX_E_IO);
    tm.fail_read = TM_NO_ADDR;
    check_tree();
}

static void test_unmap_frees_emptied_tables(void **state)
{
    map(0x10000000, 0x1000, 3 * K4, 12, RW);
    map(0x10200000, 0x2000000, 3 * K64, 16, RW);
    assert_int_equal(tm.live_tables, 5);
    unmap(0x10001000, K4);
    assert_int_equal(tm.live_tables, 5);
    unmap(0x10000000, 0x400000);
    assert_int_equal(tm.live_tables, 1);
    unmap(0, 1ULL << 52); /* everything, from nothing */
    check_tree();
}

static void test_unmap_inside_1g_page_splits_it(void **state)
{
    map(G1, 0x100000000ULL, G1, 30, RW);
    unmap(G1 + 5 * M2 + 7 * K4, K4);
    check_tree();
    check_walk(G1);                     /* 2M page */
    check_walk(G1 + 5 * M2);            /* 4K page */
    check_walk(G1 + 5 * M2 + 7 * K4);   /* hole */
    check_walk(G1 + 5 * M2 + 8 * K4);
    check_walk(2 * G1 - 8);
    assert_int_equal(tm.live_tables, 1 + 1 + 1 + 1);
}

static void test_unmap_inside_64k_page_reshapes_table(void **state)
{
    map(0x600000, 0x7000000, 32 * K64, 16, RW);
    unmap(0x600000 + 3 * K64 + K4, 2 * K4);
    check_tree();
    check_walk(0x600000);
    check_walk(0x600000 + 3 * K64 + K4);
    check_walk(0x600000 + 3 * K64 + 3 * K4);
    /* The region now holds 4K pages: 64K maps there are a shape error. */
    assert_int_equal(radix_map(&m, &root, 0x600000 + 3 * K64, 0, K64, 16, RW), RADIX_E_SHAPE);
    map(0x600000 + 3 * K64 + K4, 0x100000, K4, 12, RW);
    check_tree();
}

static void test_protect_changes_flags_and_splits_at_edges(void **state)
{
    map(0, 0x80000000, G1, 30, RW | RADIX_PTE_EAA_EXEC);
    protect(M2 + K4, 3 * K4, RADIX_PTE_EAA_RW | RADIX_PTE_C, RADIX_PTE_SW0);
    check_tree();
    check_walk(M2);
    check_walk(M2 + K4);
    check_walk(M2 + 4 * K4);
    protect(0, G1, RADIX_PTE_EAA_EXEC, RADIX_PTE_ATT_TOLERANT);
    check_tree();
    protect(2 * G1, G1, 0, RADIX_PTE_EAA_PRIV); /* nothing mapped: no-op */
    check_tree();
}

static void test_split_failure_keeps_translations(void **state)
{
    /* The unmap needs three splits: 1G -> 2M and 2M -> 4K at the start, a 64K table reshape at the end. */
    uint64_t lo = 3 * M2 + K4, hi = G1 + K64 + K4;
    for (int k = 0; k < 3; k++) {
        unmap(0, 2 * G1);
        map(0, 0x80000000, G1, 30, RW);
        map(G1, 0x40000000, 512 * K64, 16, RW);
        tm.fail_alloc_at = (int)tm.allocs + k;
        assert_int_equal(radix_unmap(&m, &root, lo, hi - lo), RADIX_E_NOMEM);
        tm.fail_alloc_at = -1;
        check_tree_mode(true);
    }
    unmap(lo, hi - lo);
    check_tree();
}

static void test_destroy_frees_everything(void **state)
{
    map(0x10000000, 0x1000, 100 * K4, 12, RW);
    map(0x30000000, 0x1000000, 100 * K64, 16, RW);
    map(3 * G1, 0x40000000, G1, 30, RW);
    unmap(3 * G1 + K4, K4);
    assert_true(tm.live_tables > 5);
    /* teardown destroys and checks that nothing is left */
}

/* ---- randomized ------------------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint64_t rnd_below(uint64_t n)
{
    return n ? rnd() % n : 0;
}

#define WIN_BASE 0x7FF00000000ULL /* 1 GiB aligned, inside the 52-bit space */
#define WIN_SIZE (4 * G1)

static uint64_t rnd_flags(void)
{
    return rnd() & RADIX_PTE_FLAGS;
}

static void random_map(void)
{
    static const unsigned shifts[] = { 12, 12, 12, 12, 16, 16, 16, 21, 21, 30 };
    unsigned s = shifts[rnd_below(10)];
    uint64_t n = s == 12 ? 1 + rnd_below(64) : s == 16 ? 1 + rnd_below(16) : s == 21 ? 1 + rnd_below(4) : 1;
    uint64_t size = n << s;
    uint64_t ea = WIN_BASE + (rnd_below(((WIN_SIZE - size) >> s) + 1) << s);
    uint64_t ra = rnd_below(1ULL << (40 - s)) << s;
    map(ea, ra, size, s, rnd_flags());
}

static void random_range(uint64_t *ea, uint64_t *size)
{
    uint64_t r = rnd_below(10);
    uint64_t max = r < 5 ? 64 * K4 : r < 8 ? 2 * M2 : 2 * G1;
    *size = (1 + rnd_below(max / K4)) * K4;
    *ea = WIN_BASE + rnd_below((WIN_SIZE - *size) / K4 + 1) * K4;
}

static void run_random(uint64_t seed, unsigned ops)
{
    rng_state = seed;
    for (unsigned i = 0; i < ops; i++) {
        uint64_t r = rnd_below(100), ea, size;
        if (r < 50) {
            random_map();
        } else if (r < 75) {
            random_range(&ea, &size);
            unmap(ea, size);
        } else {
            random_range(&ea, &size);
            uint64_t clear = rnd_flags(), set = rnd_flags();
            protect(ea, size, clear, set);
        }
        for (int k = 0; k < 8; k++)
            check_walk(WIN_BASE + rnd_below(WIN_SIZE / 8) * 8);
        if (nmodel)
            check_walk(model[rnd_below(nmodel)].ea);
        if (i % 16 == 15)
            check_tree();
    }
    check_tree();
    unmap(WIN_BASE, WIN_SIZE);
    assert_int_equal(tm.live_tables, 1);
    check_tree();
}

static void test_random_sequences_match_model_seed1(void **state) { run_random(0x9E3779B97F4A7C15ULL, 3000); }
static void test_random_sequences_match_model_seed2(void **state) { run_random(0xD1B54A32D192ED03ULL, 3000); }
static void test_random_sequences_match_model_seed3(void **state) { run_random(0x0123456789ABCDEFULL, 3000); }

/* Random maps with random allocation failures: every failure leaves the tree as it was. */
static void test_random_allocation_failures_roll_back(void **state)
{
    rng_state = 0xA5A5A5A5DEADBEEFULL;
    for (unsigned i = 0; i < 400; i++) {
        tm.fail_alloc_at = rnd_below(2) ? (int)(tm.allocs + rnd_below(4)) : -1;
        uint64_t before = tm.live_tables;
        unsigned s = rnd_below(2) ? 12 : 16;
        uint64_t size = (1 + rnd_below(8)) << s;
        uint64_t ea = WIN_BASE + (rnd_below((WIN_SIZE - size) >> s) << s);
        bool either;
        MPage *saved = malloc((nmodel + 1) * sizeof(*saved));
        size_t nsaved = nmodel;
        if (nmodel)
            memcpy(saved, model, nmodel * sizeof(*saved));
        int want = model_map(ea, 0x1000000, size, s, RW, &either);
        int got = radix_map(&m, &root, ea, 0x1000000, size, s, RW);
        if (got == RADIX_E_NOMEM) {
            if (nsaved)
                memcpy(model, saved, nsaved * sizeof(*saved)); /* the model "succeeded": undo it */
            nmodel = nsaved;
            assert_int_equal(tm.live_tables, before);
        } else if (either) {
            assert_true(got == RADIX_E_EXISTS || got == RADIX_E_SHAPE);
        } else {
            assert_int_equal(got, want);
        }
        free(saved);
        tm.fail_alloc_at = -1;
        if (i % 8 == 7)
            check_tree();
    }
    check_tree();
}

/* ---- destroying with RadixUsed ---------------------------------------------------------- */

#define E1 (1ULL << 39) /* the span of one root entry of a 52-bit tree */

static unsigned root_reads, all_reads;

static int counting_read(void *opaque, radix_addr_t a, uint64_t *v)
{
    if (a >= root.base && a < root.base + (8ULL << RADIX_ROOT_NLS))
        root_reads++;
    all_reads++;
    return tm_read(opaque, a, v);
}

static RadixUsed used_of(uint64_t ea, uint64_t size)
{
    RadixUsed u = { { 0 } };
    radix_used_add(&root, &u, ea, size);
    return u;
}

static void assert_used(RadixUsed u, uint64_t l0, uint64_t l1, uint64_t l2)
{
    assert_int_equal(u.level[0], l0);
    assert_int_equal(u.level[1], l1);
    assert_int_equal(u.level[2], l2);
}

static void test_used_add_marks_indexes_per_level(void **state)
{
    const uint64_t top = 1ULL << RADIX_ADDR_BITS_52;
    assert_used(used_of(0, K4), 1, 1, 1);
    assert_used(used_of(0x10000000, K4), 1, 1, 1ULL << 38);         /* level 2 index 128: 32 + 96 / 15 */
    assert_used(used_of(31 * G1, 2 * G1), 1, 3ULL << 31, ~0ULL);    /* level 1 indexes 31, 32 */
    assert_used(used_of(640 * E1 + G1, G1), 1ULL << 34, 2, ~0ULL);  /* root 640: 32 + 608 / 255 */
    assert_used(used_of(top - K4, K4), 1ULL << 63, 1ULL << 63, 1ULL << 63);
    assert_used(used_of(E1 - K4, 2 * K4), 3, ~0ULL, ~0ULL);         /* two level-1 and level-2 tables */
    /* not a range radix_map() takes: everything */
    assert_used(used_of(top, K4), ~0ULL, ~0ULL, ~0ULL);
    assert_used(used_of(top - K4, 2 * K4), ~0ULL, ~0ULL, ~0ULL);
    assert_used(used_of(0, 0), ~0ULL, ~0ULL, ~0ULL);
    assert_used(used_of(~0ULL - K4 + 1, 2 * K4), ~0ULL, ~0ULL, ~0ULL); /* wraps */
    /* it accumulates */
    RadixUsed u = used_of(0, K4);
    radix_used_add(&root, &u, 0x10000000, K4);
    assert_used(u, 1, 1, 1 | 1ULL << 38);
}

/* Tables in three far-apart places: destroying with their RadixUsed frees all, reading few entries. */
static void test_destroy_used_reads_only_used_entries(void **state)
{
    static const uint64_t eas[] = { 0x10000000, 640 * E1 + 7 * G1, (1ULL << RADIX_ADDR_BITS_52) - G1 };
    RadixUsed u = { { 0 } };
    for (unsigned i = 0; i < 3; i++) {
        radix_used_add(&root, &u, eas[i], 4 * K4);
        map(eas[i], 0x1000, 4 * K4, 12, RW);
        radix_used_add(&root, &u, eas[i] + M2, M2);
        map(eas[i] + M2, 0x200000, M2, 21, RW);
    }
    assert_used(u, 1 | 1ULL << 34 | 1ULL << 63, 1 | 1ULL << 7 | 1ULL << 63, 1 | 2 | 1ULL << 38);
    assert_int_equal(tm.live_tables, 1 + 3 + 3 + 3); /* root, 3 x (level 1, level 2, a 4K table) */
    RadixMem counting = m;
    counting.read = counting_read;
    root_reads = all_reads = 0;
    radix_tree_destroy_used(&counting, &root, &u);
    assert_int_equal(root_reads, 1 + 255 + 255);
    assert_int_equal(all_reads, root_reads + 3 * (1 + 1 + 15) + 3 * (1 + 1 + 15));
    assert_int_equal(tm.live_tables, 0);
    assert_int_equal(tm.bad_frees, 0);
    /* the plain destroy reads every entry of every directory */
    assert_int_equal(radix_tree_create(&m, &root), 0);
    map(0, 0x1000, K4, 12, RW);
    root_reads = all_reads = 0;
    radix_tree_destroy(&counting, &root);
    assert_int_equal(root_reads, 8192);
    assert_int_equal(all_reads, 8192 + 512 + 512);
    assert_int_equal(tm.live_tables, 0);
    assert_int_equal(radix_tree_create(&m, &root), 0); /* for teardown */
    nmodel = 0;
}

/* Random maps, unmaps and protects (which split large pages) anywhere, each map's range added: no leak. */
static void test_destroy_used_random_frees_everything(void **state)
{
    static const unsigned shifts[] = { 12, 16, 21, 30 };
    for (uint64_t seed = 1; seed <= 20; seed++) {
        RadixUsed u = { { 0 } };
        rng_state = seed * 0x9E3779B97F4A7C15ULL;
        for (unsigned i = 0; i < 300; i++) {
            unsigned s = shifts[rnd_below(4)];
            uint64_t size = (1 + rnd_below(4)) << s;
            uint64_t space = rnd_below(2) ? 40 * E1 : 1ULL << RADIX_ADDR_BITS_52; /* single bits, or any */
            uint64_t ea = rnd_below((space - size) >> s) << s;
            uint64_t r = rnd_below(8);
            uint64_t part = ea + rnd_below(size / K4) * K4; /* inside a page: splits it */
            if (r == 0) {
                (void)radix_unmap(&m, &root, part, K4);
            } else if (r == 1) {
                (void)radix_protect(&m, &root, part, K4, RADIX_PTE_C, 0);
            } else {
                radix_used_add(&root, &u, ea, size);
                (void)radix_map(&m, &root, ea, rnd_below(1ULL << (40 - s)) << s, size, s, RW);
            }
        }
        radix_tree_destroy_used(&m, &root, &u);
        assert_int_equal(tm.live_tables, 0);
        assert_int_equal(tm.bad_frees, 0);
        assert_int_equal(radix_tree_create(&m, &root), 0);
    }
    nmodel = 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_create_makes_empty_52_bit_root),
        T(test_map_each_page_size_walks_back),
        T(test_map_rejects_bad_arguments),
        T(test_map_over_mapped_range_fails_unchanged),
        T(test_map_mixing_4k_and_64k_in_a_region_is_shape_error),
        T(test_map_rolls_back_on_allocation_failure),
        T(test_map_reports_io_errors),
        T(test_unmap_frees_emptied_tables),
        T(test_unmap_inside_1g_page_splits_it),
        T(test_unmap_inside_64k_page_reshapes_table),
        T(test_protect_changes_flags_and_splits_at_edges),
        T(test_split_failure_keeps_translations),
        T(test_destroy_frees_everything),
        T(test_random_sequences_match_model_seed1),
        T(test_random_sequences_match_model_seed2),
        T(test_random_sequences_match_model_seed3),
        T(test_random_allocation_failures_roll_back),
        T(test_used_add_marks_indexes_per_level),
        T(test_destroy_used_reads_only_used_entries),
        T(test_destroy_used_random_frees_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
