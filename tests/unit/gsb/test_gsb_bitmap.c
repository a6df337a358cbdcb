/*
 * test_gsb_bitmap.c - the id bitmap (gsb/gsb_bitmap.c): Linux KUnit
 * test_gs_bitmap (set/test/clear every id of every range, iterate a copy and
 * compare), plus NOP (which Linux's iterator cannot return), unknown ids,
 * fill/count, and word boundaries of the dense index.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gsb/gsb.h"

static const struct { uint16_t first, last; } ranges[] = {
    { 0x0000, 0x0006 }, { 0x0800, 0x0804 }, { 0x0C00, 0x0C02 }, { 0x1000, 0x1053 },
    { 0x2000, 0x200E }, { 0x3000, 0x303F }, { 0xF000, 0xF003 },
};

/* KUnit test_gs_bitmap, over every range (Linux starts at 0x0001). */
static void test_bitmap_when_every_range_expect_set_test_clear_iterate(void **state)
{
    GsbBitmap bm = { { 0 } }, bm1 = { { 0 } }, bm2 = { { 0 } };
    unsigned i = 0;
    for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
        for (uint32_t id = ranges[r].first; id <= ranges[r].last; id++, i++) {
            assert_true(gsb_bitmap_set(&bm, (uint16_t)id));
            assert_true(gsb_bitmap_set(&bm1, (uint16_t)id));
            assert_true(gsb_bitmap_test(&bm, (uint16_t)id));
            assert_true(gsb_bitmap_clear(&bm, (uint16_t)id));
            assert_false(gsb_bitmap_test(&bm, (uint16_t)id));
        }
    }
    assert_int_equal(i, GSB_IDX_COUNT);
    assert_int_equal(gsb_bitmap_count(&bm), 0);
    unsigned j = 0, pos = 0;
    uint16_t id, prev = 0;
    while (gsb_bitmap_next(&bm1, &pos, &id)) {
        if (j)
            assert_true(id > prev); /* ascending id order */
        prev = id;
        assert_true(gsb_bitmap_set(&bm2, id));
        j++;
    }
    assert_int_equal(i, j);
    assert_memory_equal(&bm1, &bm2, sizeof(bm1));
    assert_false(gsb_bitmap_next(&bm1, &pos, &id)); /* stays at the end */
}

static void test_bitmap_when_unknown_id_expect_false_unchanged(void **state)
{
    GsbBitmap bm;
    gsb_bitmap_zero(&bm);
    static const uint16_t bad[] = { 0x0007, 0x0805, 0x0C03, 0x1054, 0x200F, 0x3040, 0xF004, 0xFFFF };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(gsb_bitmap_set(&bm, bad[i]));
        assert_false(gsb_bitmap_test(&bm, bad[i]));
        assert_false(gsb_bitmap_clear(&bm, bad[i]));
    }
    assert_int_equal(gsb_bitmap_count(&bm), 0);
    gsb_bitmap_fill(&bm);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(gsb_bitmap_test(&bm, bad[i]));
}

static void test_bitmap_when_fill_expect_every_id_in_table_order(void **state)
{
    GsbBitmap bm;
    gsb_bitmap_fill(&bm);
    assert_int_equal(gsb_bitmap_count(&bm), GSB_IDX_COUNT);
    unsigned pos = 0, n = 0;
    uint16_t id;
    while (gsb_bitmap_next(&bm, &pos, &id)) {
        assert_int_equal(id, gsb_elem_info_at(n)->id);
        n++;
    }
    assert_int_equal(n, GSB_IDX_COUNT);
    /* no bit beyond the last index is set */
    unsigned last = GSB_IDX_COUNT - 1;
    assert_int_equal(bm.w[last / 64] >> (last % 64), 1);
    gsb_bitmap_zero(&bm);
    assert_int_equal(gsb_bitmap_count(&bm), 0);
    pos = 0;
    assert_false(gsb_bitmap_next(&bm, &pos, &id));
}

/* Ids whose dense index sits at word edges: 63, 64, 127, 128, the last. */
static void test_bitmap_when_word_edges_expect_exact_bits(void **state)
{
    static const unsigned edges[] = { 0, 63, 64, 127, 128, GSB_IDX_COUNT - 1 };
    for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
        GsbBitmap bm = { { 0 } };
        uint16_t id = gsb_elem_info_at(edges[i])->id;
        assert_true(gsb_bitmap_set(&bm, id));
        assert_int_equal(gsb_bitmap_count(&bm), 1);
        assert_int_equal(bm.w[edges[i] / 64], 1ull << (edges[i] % 64));
        unsigned pos = 0;
        uint16_t got;
        assert_true(gsb_bitmap_next(&bm, &pos, &got));
        assert_int_equal(got, id);
        assert_int_equal(pos, edges[i] + 1);
        assert_false(gsb_bitmap_next(&bm, &pos, &got));
    }
}

/* Resuming from a position in the middle; a position past the end. */
static void test_bitmap_when_resume_expect_next_after_pos(void **state)
{
    GsbBitmap bm = { { 0 } };
    gsb_bitmap_set(&bm, GSB_ID_NOP);
    gsb_bitmap_set(&bm, GSB_ID_LPCR);
    gsb_bitmap_set(&bm, GSB_ID_VSR(63));
    unsigned pos = (unsigned)gsb_id_index(GSB_ID_LPCR);
    uint16_t id;
    assert_true(gsb_bitmap_next(&bm, &pos, &id));
    assert_int_equal(id, GSB_ID_LPCR);
    assert_true(gsb_bitmap_next(&bm, &pos, &id));
    assert_int_equal(id, GSB_ID_VSR(63));
    assert_false(gsb_bitmap_next(&bm, &pos, &id));
    pos = 100000;
    assert_false(gsb_bitmap_next(&bm, &pos, &id));
    pos = 0;
    assert_true(gsb_bitmap_next(&bm, &pos, &id));
    assert_int_equal(id, GSB_ID_NOP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bitmap_when_every_range_expect_set_test_clear_iterate),
        cmocka_unit_test(test_bitmap_when_unknown_id_expect_false_unchanged),
        cmocka_unit_test(test_bitmap_when_fill_expect_every_id_in_table_order),
        cmocka_unit_test(test_bitmap_when_word_edges_expect_exact_bits),
        cmocka_unit_test(test_bitmap_when_resume_expect_next_after_pos),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
