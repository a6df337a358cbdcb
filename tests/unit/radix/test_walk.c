/*
 * test_walk.c - radix_walk() on hand-built trees: every page size, every
 * failure kind with its level and entry address, the shapes POWER9
 * rejects, ignored low bits (misaligned bases, RPN bits inside a large
 * page), and the dw0 / AP codecs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "testmem.h"

/* Fixed table addresses (naturally aligned). */
#define ROOT  0x10000ULL  /* 64 KiB, 13 bits */
#define PUD   0x20000ULL  /* 4 KiB, 9 bits: 1 GiB entries */
#define PMD   0x21000ULL  /* 4 KiB, 9 bits: 2 MiB entries */
#define PTE4  0x22000ULL  /* 4 KiB, 9 bits: 4 KiB pages */
#define PTE64 0x23000ULL  /* 256 B, 5 bits: 64 KiB pages */

#define EA    0x0000123456789ABCULL /* below 2^52 */
#define IDX0(ea) (((ea) >> 39) & 0x1FFF)
#define IDX1(ea) (((ea) >> 30) & 0x1FF)
#define IDX2(ea) (((ea) >> 21) & 0x1FF)
#define IDX3(ea) (((ea) >> 12) & 0x1FF)
#define IDX3_64K(ea) (((ea) >> 16) & 0x1F)
#define FLAGS (RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_RW | RADIX_PTE_EAA_READ)

static TestMem tm;
static const RadixRoot root = { ROOT, RADIX_RTS_52, RADIX_ROOT_NLS };

static int setup(void **state)
{
    tm_init(&tm);
    return 0;
}

static int teardown(void **state)
{
    tm_fini(&tm);
    return 0;
}

static uint64_t pde(uint64_t base, unsigned nls)
{
    return RADIX_PDE_V | base | nls;
}

static uint64_t leaf(uint64_t ra)
{
    return RADIX_PTE_V | RADIX_PTE_L | ra | FLAGS;
}

static radix_addr_t e0(void) { return ROOT + IDX0(EA) * 8; }
static radix_addr_t e1(void) { return PUD + IDX1(EA) * 8; }
static radix_addr_t e2(void) { return PMD + IDX2(EA) * 8; }
static radix_addr_t e3(void) { return PTE4 + IDX3(EA) * 8; }

/* Root -> PUD -> PMD (directories only). */
static void build_to_pmd(void)
{
    tm_put(&tm, e0(), pde(PUD, 9));
    tm_put(&tm, e1(), pde(PMD, 9));
}

static RadixWalk walk(uint64_t ea)
{
    RadixWalk w;
    radix_walk(&root, ea, tm_read, &tm, &w);
    return w;
}

static void expect_fail(RadixWalk w, RadixStatus st, unsigned level, radix_addr_t entry)
{
    assert_int_equal(w.status, st);
    assert_int_equal(w.level, level);
    assert_int_equal(w.entry_addr, entry);
}

static void expect_leaf(RadixWalk w, unsigned level, radix_addr_t entry, unsigned shift, uint64_t ra)
{
    assert_int_equal(w.status, RADIX_OK);
    assert_int_equal(w.level, level);
    assert_int_equal(w.entry_addr, entry);
    assert_int_equal(w.page_shift, shift);
    assert_int_equal(w.ra, ra);
    assert_int_equal(w.pte & RADIX_PTE_FLAGS, FLAGS);
}

/* ---- page sizes ---------------------------------------------------------------- */

static void test_walk_4k_leaf_translates(void **state)
{
    build_to_pmd();
    tm_put(&tm, e2(), pde(PTE4, 9));
    tm_put(&tm, e3(), leaf(0x7654321000ULL));
    expect_leaf(walk(EA), 3, e3(), 12, 0x7654321000ULL | (EA & 0xFFF));
}

static void test_walk_64k_leaf_translates(void **state)
{
    build_to_pmd();
    tm_put(&tm, e2(), pde(PTE64, 5));
    radix_addr_t e = PTE64 + IDX3_64K(EA) * 8;
    tm_put(&tm, e, leaf(0x7654320000ULL));
    expect_leaf(walk(EA), 3, e, 16, 0x7654320000ULL | (EA & 0xFFFF));
}

static void test_walk_2m_leaf_translates(void **state)
{
    build_to_pmd();
    tm_put(&tm, e2(), leaf(0x7654200000ULL));
    expect_leaf(walk(EA), 2, e2(), 21, 0x7654200000ULL | (EA & 0x1FFFFF));
}

static void test_walk_1g_leaf_translates(void **state)
{
    tm_put(&tm, e0(), pde(PUD, 9));
    tm_put(&tm, e1(), leaf(0x7640000000ULL));
    expect_leaf(walk(EA), 1, e1(), 30, 0x7640000000ULL | (EA & 0x3FFFFFFF));
}

/* RPN bits below a large page's size are ignored (as POWER9/QEMU). */
static void test_walk_large_leaf_ignores_low_rpn_bits(void **state)
{
    build_to_pmd();
    tm_put(&tm, e2(), leaf(0x7654200000ULL | 0x1FF000));
    expect_leaf(walk(EA), 2, e2(), 21, 0x7654200000ULL | (EA & 0x1FFFFF));
}

/* A directory base with bits below its table size: they are ignored. */
static void test_walk_misaligned_base_is_aligned_down(void **state)
{
    tm_put(&tm, e0(), pde(PUD | 0x100, 9));
    tm_put(&tm, e1(), pde(PMD | 0xF00, 9));
    tm_put(&tm, e2(), pde(PTE4 | 0x800, 9));
    tm_put(&tm, e3(), leaf(0x1000));
    expect_leaf(walk(EA), 3, e3(), 12, 0x1000 | (EA & 0xFFF));
    RadixRoot mis = { ROOT | 0x8000, RADIX_RTS_52, RADIX_ROOT_NLS };
    RadixWalk w;
    radix_walk(&mis, EA, tm_read, &tm, &w);
    assert_int_equal(w.status, RADIX_OK);
}

/* ---- not present at each level ----------------------------------------------- */

static void test_walk_invalid_entry_reports_level_and_address(void **state)
{
    expect_fail(walk(EA), RADIX_NOT_PRESENT, 0, e0());
    tm_put(&tm, e0(), pde(PUD, 9));
    expect_fail(walk(EA), RADIX_NOT_PRESENT, 1, e1());
    tm_put(&tm, e1(), pde(PMD, 9));
    expect_fail(walk(EA), RADIX_NOT_PRESENT, 2, e2());
    tm_put(&tm, e2(), pde(PTE4, 9));
    expect_fail(walk(EA), RADIX_NOT_PRESENT, 3, e3());
    /* An entry with only the leaf bit is still invalid; its value is reported. */
    tm_put(&tm, e3(), RADIX_PTE_L | 0x1000 | FLAGS);
    RadixWalk w = walk(EA);
    expect_fail(w, RADIX_NOT_PRESENT, 3, e3());
    assert_int_equal(w.pte, RADIX_PTE_L | 0x1000 | FLAGS);
}

/* ---- unreadable at each level --------------------------------------------------- */

static void test_walk_unreadable_entry_reports_level_and_address(void **state)
{
    build_to_pmd();
    tm_put(&tm, e2(), pde(PTE4, 9));
    tm_put(&tm, e3(), leaf(0x1000));
    radix_addr_t entries[4] = { e0(), e1(), e2(), e3() };
    for (unsigned l = 0; l < 4; l++) {
        tm.fail_read = entries[l];
        expect_fail(walk(EA), RADIX_UNREADABLE, l, entries[l]);
    }
    tm.fail_read = TM_NO_ADDR;
    assert_int_equal(walk(EA).status, RADIX_OK);
}

/* ---- shapes POWER9 does not walk --------------------------------------------------- */

static void test_walk_root_shape_must_be_52_bit_13(void **state)
{
    RadixWalk w;
    RadixRoot r = root;
    r.rts = 20; /* 51-bit tree */
    radix_walk(&r, EA, tm_read, &tm, &w);
    expect_fail(w, RADIX_BAD_CONFIG, 0, RADIX_NO_ENTRY);
    r = root;
    r.rpds = 12;
    radix_walk(&r, EA, tm_read, &tm, &w);
    expect_fail(w, RADIX_BAD_CONFIG, 0, RADIX_NO_ENTRY);
}

static void test_walk_ea_outside_tree_is_bad_config(void **state)
{
    expect_fail(walk(1ULL << 52), RADIX_BAD_CONFIG, 0, RADIX_NO_ENTRY);
}

static void test_walk_bad_nls_reports_table_level_and_its_pde(void **state)
{
    tm_put(&tm, e0(), pde(PUD, 8));
    expect_fail(walk(EA), RADIX_BAD_CONFIG, 1, e0());
    tm_put(&tm, e0(), pde(PUD, 9));
    tm_put(&tm, e1(), pde(PMD, 5));
    expect_fail(walk(EA), RADIX_BAD_CONFIG, 2, e1());
    tm_put(&tm, e1(), pde(PMD, 9));
    tm_put(&tm, e2(), pde(PTE4, 7));
    expect_fail(walk(EA), RADIX_BAD_CONFIG, 3, e2());
}

/* A directory at the last level would need a fifth level. */
static void test_walk_directory_below_last_level_is_bad_config(void **state)
{
    build_to_pmd();
    tm_put(&tm, e2(), pde(PTE4, 9));
    tm_put(&tm, e3(), pde(0x30000, 9));
    expect_fail(walk(EA), RADIX_BAD_CONFIG, 4, e3());
}

/* A leaf in the root would be a 512 GiB page: no such size. */
static void test_walk_leaf_in_root_is_bad_config(void **state)
{
    tm_put(&tm, e0(), leaf(0));
    expect_fail(walk(EA), RADIX_BAD_CONFIG, 0, e0());
}

/* ---- codecs ------------------------------------------------------------------------ */

static void test_root_dw0_round_trips(void **state)
{
    uint64_t dw0 = (2ULL << 61) | (5ULL << 5) | 0x0123456789AB0000ULL | 13;
    RadixRoot r;
    assert_true(radix_root_from_dw0(dw0, &r));
    assert_int_equal(r.rts, 21);
    assert_int_equal(r.rpds, 13);
    assert_int_equal(r.base, 0x0123456789AB0000ULL);
    assert_int_equal(radix_root_to_dw0(&r), dw0);
    assert_false(radix_root_from_dw0(dw0 & ~RADIX_RPDS, &r)); /* rpds 0 */
    assert_false(radix_root_from_dw0(0, &r));
    assert_true(radix_root_from_dw0(dw0 | PATE0_HR, &r));     /* HR is not part of the root */
}

static void test_ap_codes_match_page_sizes(void **state)
{
    assert_int_equal(radix_ap_to_shift(RADIX_AP_4K), 12);
    assert_int_equal(radix_ap_to_shift(RADIX_AP_64K), 16);
    assert_int_equal(radix_ap_to_shift(RADIX_AP_2M), 21);
    assert_int_equal(radix_ap_to_shift(RADIX_AP_1G), 30);
    for (unsigned ap = 0; ap < 8; ap++) {
        unsigned s = radix_ap_to_shift(ap);
        if (s)
            assert_int_equal(radix_shift_to_ap(s), ap);
        else
            assert_true(ap == 3 || ap == 4 || ap == 6 || ap == 7);
    }
}

static void test_level_rules_are_power9s(void **state)
{
    for (unsigned nls = 0; nls < 32; nls++) {
        assert_int_equal(radix_level_ok(0, nls), nls == 13);
        assert_int_equal(radix_level_ok(1, nls), nls == 9);
        assert_int_equal(radix_level_ok(2, nls), nls == 9);
        assert_int_equal(radix_level_ok(3, nls), nls == 9 || nls == 5);
        assert_false(radix_level_ok(4, nls));
    }
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_walk_4k_leaf_translates),
        T(test_walk_64k_leaf_translates),
        T(test_walk_2m_leaf_translates),
        T(test_walk_1g_leaf_translates),
        T(test_walk_large_leaf_ignores_low_rpn_bits),
        T(test_walk_misaligned_base_is_aligned_down),
        T(test_walk_invalid_entry_reports_level_and_address),
        T(test_walk_unreadable_entry_reports_level_and_address),
        T(test_walk_root_shape_must_be_52_bit_13),
        T(test_walk_ea_outside_tree_is_bad_config),
        T(test_walk_bad_nls_reports_table_level_and_its_pde),
        T(test_walk_directory_below_last_level_is_bad_config),
        T(test_walk_leaf_in_root_is_bad_config),
        T(test_root_dw0_round_trips),
        T(test_ap_codes_match_page_sizes),
        T(test_level_rules_are_power9s),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
