/*
 * test_gsb_parse.c - reading hostile Guest State Buffers (gsb/gsb_parse.c):
 * the header count against the elements present, sizes against the table,
 * unknown ids, truncated / oversized / count-mismatched buffers (every
 * prefix of a valid buffer, in exact-size heap copies so ASan sees any
 * over-read), iteration, lookup, typed reads and in-place writes for GET.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gsb_test.h"

/* Parse the first len bytes of r from an exact-size copy, kept in *copy
 * (the view points into it; free it after the last use of the view). */
static GsbErr parse_copy(const Raw *r, size_t len, GsbView *v, GsbResult *res, uint8_t **copy)
{
    *copy = dup_exact(r->b, len);
    return gsb_parse(*copy, len, v, res);
}

/* The same, for checks that only look at the result. */
static GsbErr parse_exact(const Raw *r, size_t len, GsbView *v, GsbResult *res)
{
    uint8_t *p;
    GsbErr err = parse_copy(r, len, v, res, &p);
    free(p);
    return err;
}

static void test_parse_when_empty_expect_ok_zero_elements(void **state)
{
    Raw r;
    raw_init(&r, 0);
    GsbView v;
    GsbResult res;
    assert_int_equal(parse_exact(&r, r.n, &v, &res), GSB_OK);
    assert_int_equal(res.err, GSB_OK);
    assert_int_equal(v.count, 0);
    assert_int_equal(v.len, 4);
}

static void test_parse_when_shorter_than_header_expect_buf_short(void **state)
{
    Raw r;
    raw_init(&r, 0);
    GsbView v;
    GsbResult res;
    for (size_t n = 0; n < 4; n++) {
        assert_int_equal(parse_exact(&r, n, &v, &res), GSB_ERR_BUF_SHORT);
        assert_int_equal(res.index, 0);
    }
    assert_int_equal(gsb_parse(NULL, 0, &v, &res), GSB_ERR_BUF_SHORT);
    assert_int_equal(gsb_parse(NULL, 8, &v, &res), GSB_ERR_ARG);
    assert_int_equal(gsb_parse(r.b, 4, NULL, &res), GSB_ERR_ARG);
}

/* Linux passes its capacity as the length: bytes after the counted elements are ignored. */
static void test_parse_when_oversized_expect_trailing_bytes_ignored(void **state)
{
    Raw r;
    raw_init(&r, 2);
    raw_u64(&r, GSB_ID_GPR(1), 1);
    raw_u32(&r, GSB_ID_CR, 2);
    size_t used = r.n;
    raw_elem(&r, 0xBEEF, 200, 0xEE); /* garbage that would be an error if counted */
    r.b[used + 2] = 0xFF;               /* ... claiming more than the buffer holds */
    GsbView v;
    GsbResult res;
    uint8_t *p;
    assert_int_equal(parse_copy(&r, r.n, &v, &res, &p), GSB_OK);
    assert_int_equal(v.count, 2);
    assert_int_equal(v.len, used);
    GsbElem e;
    assert_false(gsb_find(&v, 0xBEEF, &e));
    free(p);
}

/* The header counts more elements than the buffer holds. */
static void test_parse_when_count_exceeds_elements_expect_truncated_at_missing(void **state)
{
    Raw r;
    raw_init(&r, 3);
    raw_u64(&r, GSB_ID_GPR(1), 1);
    raw_u32(&r, GSB_ID_CR, 2);
    GsbView v;
    GsbResult res;
    assert_int_equal(parse_exact(&r, r.n, &v, &res), GSB_ERR_TRUNCATED);
    assert_int_equal(res.index, 2);
    assert_int_equal(res.offset, r.n);
    assert_int_equal(res.id, 0);

    raw_init(&r, 0xFFFFFFFFu);
    raw_u64(&r, GSB_ID_NIA, 0);
    assert_int_equal(parse_exact(&r, r.n, &v, &res), GSB_ERR_TRUNCATED);
    assert_int_equal(res.index, 1);
}

/* A hostile count of NOPs: bounded by the buffer, not by the count. */
static void test_parse_when_huge_count_of_empty_nops_expect_bounded(void **state)
{
    Raw r;
    raw_init(&r, 0xFFFFFFFFu);
    for (unsigned i = 0; i < 1000; i++)
        raw_elem(&r, GSB_ID_NOP, 0, 0);
    GsbView v;
    GsbResult res;
    assert_int_equal(parse_exact(&r, r.n, &v, &res), GSB_ERR_TRUNCATED);
    assert_int_equal(res.index, 1000);
    assert_int_equal(res.offset, r.n);
}

static void test_parse_when_value_runs_past_end_expect_truncated_with_id(void **state)
{
    Raw r;
    raw_init(&r, 2);
    raw_u32(&r, GSB_ID_CR, 2);
    size_t at = r.n;
    raw_u64(&r, GSB_ID_LR, 0x1234);
    GsbView v;
    GsbResult res;
    for (size_t cut = 1; cut < 12; cut++) {
        assert_int_equal(parse_exact(&r, r.n - cut, &v, &res), GSB_ERR_TRUNCATED);
        assert_int_equal(res.index, 1);
        assert_int_equal(res.offset, at);
        assert_int_equal(res.id, cut > 8 ? 0 : GSB_ID_LR); /* < 4 header bytes: no id */
    }
}

static void test_parse_when_unknown_id_expect_id_error_with_index(void **state)
{
    static const uint16_t reserved[] = { 0x0007, 0x07FF, 0x0805, 0x0BFF, 0x0C03, 0x0FFF,
                                         0x1054, 0x1FFF, 0x200F, 0x2FFF, 0x3040, 0xEFFF,
                                         0xF004, 0xFFFF };
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
        Raw r;
        raw_init(&r, 3);
        raw_u64(&r, GSB_ID_GPR(2), 0);
        size_t at = r.n;
        raw_u64(&r, reserved[i], 0);
        raw_u64(&r, GSB_ID_GPR(3), 0);
        GsbView v;
        GsbResult res;
        assert_int_equal(parse_exact(&r, r.n, &v, &res), GSB_ERR_ID);
        assert_int_equal(res.index, 1);
        assert_int_equal(res.offset, at);
        assert_int_equal(res.id, reserved[i]);
    }
}

static void test_parse_when_size_differs_from_table_expect_size_error(void **state)
{
    static const struct { uint16_t id, size; } bad[] = {
        { GSB_ID_GPR(0), 4 },  { GSB_ID_GPR(0), 16 }, { GSB_ID_CR, 8 },
        { GSB_ID_VSR(5), 8 },  { GSB_ID_PARTITION_TABLE, 16 }, { GSB_ID_RUN_INPUT, 24 },
        { GSB_ID_HEIR, 4 },    { GSB_ID_HDSISR, 8 }, { GSB_ID_LOGICAL_PVR, 8 },
        { GSB_ID_MSR, 0 },     { GSB_ID_MSR, 0xFFFF },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        Raw r;
        raw_init(&r, 2);
        raw_u32(&r, GSB_ID_CR, 0);
        raw_elem(&r, bad[i].id, bad[i].size > 64 ? 0 : bad[i].size, 0);
        if (bad[i].size > 64) { /* claim more than is there: size wins over the end */
            r.b[r.n - 2] = (uint8_t)(bad[i].size >> 8);
            r.b[r.n - 1] = (uint8_t)bad[i].size;
        }
        GsbView v;
        GsbResult res;
        assert_int_equal(parse_exact(&r, r.n, &v, &res), GSB_ERR_SIZE);
        assert_int_equal(res.index, 1);
        assert_int_equal(res.offset, 12);
        assert_int_equal(res.id, bad[i].id);
    }
}

static void test_parse_when_nop_any_size_expect_skipped(void **state)
{
    Raw r;
    raw_init(&r, 4);
    raw_elem(&r, GSB_ID_NOP, 0, 0);
    raw_elem(&r, GSB_ID_NOP, 100, 0x55);
    raw_u64(&r, GSB_ID_CTR, 0x77);
    raw_elem(&r, GSB_ID_NOP, 3, 0x66);
    GsbView v;
    GsbResult res;
    uint8_t *p;
    assert_int_equal(parse_copy(&r, r.n, &v, &res, &p), GSB_OK);
    uint64_t ctr = 0;
    assert_true(gsb_find_u64(&v, GSB_ID_CTR, &ctr));
    assert_int_equal(ctr, 0x77);
    GsbElem e;
    assert_true(gsb_find(&v, GSB_ID_NOP, &e));
    assert_int_equal(e.size, 0);
    assert_int_equal(e.index, 0);
    free(p);
}

/* Every prefix of a valid buffer fails cleanly; the full one parses. */
static void test_parse_when_every_prefix_expect_error_never_overread(void **state)
{
    uint8_t mem[512];
    GsbBuf b;
    gsb_init(&b, mem, sizeof(mem));
    GsbPartTable pt = { 1, 52, 4096 };
    gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, &pt);
    gsb_put_u32(&b, GSB_ID_CR, 3);
    gsb_put(&b, GSB_ID_NOP, "xyz", 3);
    gsb_put_u128(&b, GSB_ID_VSR(63), (GsbU128){ 7, 8 });
    gsb_put_u64(&b, GSB_ID_ASDR, 9);
    for (size_t n = 0; n < gsb_len(&b); n++) {
        uint8_t *p = dup_exact(mem, n);
        GsbView v;
        GsbResult res;
        GsbErr err = gsb_parse(p, n, &v, &res);
        free(p);
        assert_true(err == GSB_ERR_BUF_SHORT || err == GSB_ERR_TRUNCATED);
        assert_int_equal(res.err, err);
        assert_true(res.offset <= n);
    }
    uint8_t *p = dup_exact(mem, gsb_len(&b));
    GsbView v;
    assert_int_equal(gsb_parse(p, gsb_len(&b), &v, NULL), GSB_OK);
    assert_int_equal(v.count, 5);
    free(p);
}

static void test_iter_when_elements_expect_order_index_offset(void **state)
{
    Raw r;
    raw_init(&r, 3);
    raw_u64(&r, GSB_ID_NIA, 0x10);
    raw_u32(&r, GSB_ID_DSISR, 0x20);
    raw_u64(&r, GSB_ID_NIA, 0x30);
    GsbView v;
    assert_int_equal(gsb_parse(r.b, r.n, &v, NULL), GSB_OK);
    static const struct { uint16_t id, size; size_t off; } want[] = {
        { GSB_ID_NIA, 8, 4 }, { GSB_ID_DSISR, 4, 16 }, { GSB_ID_NIA, 8, 24 },
    };
    GsbIter it;
    GsbElem e;
    unsigned i = 0;
    for (gsb_iter_init(&it, &v); gsb_iter_next(&it, &e); i++) {
        assert_int_equal(e.id, want[i].id);
        assert_int_equal(e.size, want[i].size);
        assert_int_equal(e.offset, want[i].off);
        assert_int_equal(e.index, i);
        assert_ptr_equal(e.val, r.b + want[i].off + 4);
    }
    assert_int_equal(i, 3);
    assert_false(gsb_iter_next(&it, &e)); /* stays at the end */
    uint64_t nia = 0;
    assert_true(gsb_find_u64(&v, GSB_ID_NIA, &nia));
    assert_int_equal(nia, 0x10); /* first occurrence */
    assert_false(gsb_find_u64(&v, GSB_ID_LR, &nia));
}

/* A view made by hand that claims more than its length: iteration stops. */
static void test_iter_when_view_lies_expect_no_overread(void **state)
{
    Raw r;
    raw_init(&r, 2);
    raw_u64(&r, GSB_ID_NIA, 0x10);
    raw_u64(&r, GSB_ID_LR, 0x20);
    uint8_t *p = dup_exact(r.b, 20);
    GsbView v = { .data = p, .len = 20, .count = 2 };
    GsbIter it;
    GsbElem e;
    gsb_iter_init(&it, &v);
    assert_true(gsb_iter_next(&it, &e));
    assert_false(gsb_iter_next(&it, &e)); /* the value of #2 would pass len */
    v.len = 22;
    gsb_iter_init(&it, &v);
    free(p);
    p = dup_exact(r.b, 22);
    v.data = p;
    assert_true(gsb_iter_next(&it, &e));
    assert_false(gsb_iter_next(&it, &e));
    free(p);
}

static void test_elem_when_size_mismatch_expect_false_out_unchanged(void **state)
{
    Raw r;
    raw_init(&r, 1);
    raw_u64(&r, GSB_ID_LR, 0x1122334455667788ull);
    GsbView v;
    GsbElem e;
    assert_int_equal(gsb_parse(r.b, r.n, &v, NULL), GSB_OK);
    assert_true(gsb_find(&v, GSB_ID_LR, &e));
    uint32_t w = 5;
    GsbU128 q = { 5, 5 };
    GsbPartTable pt = { 5, 5, 5 };
    GsbRegion rg = { 5, 5 };
    assert_false(gsb_elem_u32(&e, &w));
    assert_false(gsb_elem_u128(&e, &q));
    assert_false(gsb_elem_part_table(&e, &pt));
    assert_false(gsb_elem_region(&e, &rg));
    assert_int_equal(w, 5);
    assert_int_equal(q.hi, 5);
    assert_int_equal(pt.addr, 5);
    assert_int_equal(rg.addr, 5);
    assert_false(gsb_find_u32(&v, GSB_ID_LR, &w));
    assert_false(gsb_find_u128(&v, GSB_ID_LR, &q));
}

/* GET: the L1 sends ids and sizes; L0 fills the values in place. */
static void test_write_when_get_request_expect_values_filled(void **state)
{
    uint8_t mem[128];
    GsbBuf b;
    gsb_init(&b, mem, sizeof(mem));
    gsb_put_u64(&b, GSB_ID_HDAR, 0);
    gsb_put_u32(&b, GSB_ID_HDSISR, 0);
    gsb_put_u128(&b, GSB_ID_VSR(2), (GsbU128){ 0, 0 });
    GsbPartTable pt0 = { 0, 0, 0 };
    GsbRegion rg0 = { 0, 0 };
    gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, &pt0);
    gsb_put_region(&b, GSB_ID_RUN_OUTPUT, &rg0);
    size_t len = gsb_len(&b);

    GsbView v;
    GsbIter it;
    GsbElem e;
    GsbPartTable pt = { 0x10000, 52, 0x10000 };
    GsbRegion rg = { 0x20000, 0x1000 };
    assert_int_equal(gsb_parse(mem, len, &v, NULL), GSB_OK);
    for (gsb_iter_init(&it, &v); gsb_iter_next(&it, &e);) {
        GsbErr err = GSB_ERR_ARG;
        switch (e.id) {
        case GSB_ID_HDAR:
            err = gsb_write_u64(mem, len, &e, 0xc000000000001234ull);
            assert_int_equal(gsb_write_u32(mem, len, &e, 1), GSB_ERR_SIZE);
            break;
        case GSB_ID_HDSISR:
            err = gsb_write_u32(mem, len, &e, 0x42000000);
            assert_int_equal(gsb_write_u64(mem, len, &e, 1), GSB_ERR_SIZE);
            break;
        case GSB_ID_VSR(2):
            err = gsb_write_u128(mem, len, &e, (GsbU128){ 0xAAAA, 0xBBBB });
            break;
        case GSB_ID_PARTITION_TABLE:
            err = gsb_write_part_table(mem, len, &e, &pt);
            break;
        case GSB_ID_RUN_OUTPUT:
            err = gsb_write_region(mem, len, &e, &rg);
            assert_int_equal(gsb_write_region(mem, len - 1, &e, &rg), GSB_ERR_ARG);
            break;
        }
        assert_int_equal(err, GSB_OK);
    }
    assert_int_equal(gsb_parse(mem, len, &v, NULL), GSB_OK);
    uint64_t hdar = 0;
    uint32_t hdsisr = 0;
    GsbU128 q;
    GsbPartTable pt2;
    GsbRegion rg2;
    assert_true(gsb_find_u64(&v, GSB_ID_HDAR, &hdar));
    assert_true(gsb_find_u32(&v, GSB_ID_HDSISR, &hdsisr));
    assert_true(gsb_find_u128(&v, GSB_ID_VSR(2), &q));
    assert_true(gsb_find(&v, GSB_ID_PARTITION_TABLE, &e) && gsb_elem_part_table(&e, &pt2));
    assert_true(gsb_find(&v, GSB_ID_RUN_OUTPUT, &e) && gsb_elem_region(&e, &rg2));
    assert_int_equal(hdar, 0xc000000000001234ull);
    assert_int_equal(hdsisr, 0x42000000);
    assert_int_equal(q.hi, 0xAAAA);
    assert_int_equal(q.lo, 0xBBBB);
    assert_memory_equal(&pt2, &pt, sizeof(pt));
    assert_memory_equal(&rg2, &rg, sizeof(rg));
}

static void test_write_when_elem_outside_buffer_expect_arg(void **state)
{
    uint8_t mem[16] = { 0 };
    GsbElem e = { .id = GSB_ID_NIA, .size = 8, .val = mem + 8, .index = 0, .offset = 4 };
    assert_int_equal(gsb_write_u64(mem, sizeof(mem), &e, 1), GSB_OK);
    e.offset = 5;
    assert_int_equal(gsb_write_u64(mem, sizeof(mem), &e, 1), GSB_ERR_ARG);
    e.offset = SIZE_MAX - 2;
    assert_int_equal(gsb_write_u64(mem, sizeof(mem), &e, 1), GSB_ERR_ARG);
    assert_int_equal(gsb_write_u64(NULL, sizeof(mem), &e, 1), GSB_ERR_ARG);
    assert_int_equal(gsb_write_part_table(mem, sizeof(mem), &e, NULL), GSB_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_when_empty_expect_ok_zero_elements),
        cmocka_unit_test(test_parse_when_shorter_than_header_expect_buf_short),
        cmocka_unit_test(test_parse_when_oversized_expect_trailing_bytes_ignored),
        cmocka_unit_test(test_parse_when_count_exceeds_elements_expect_truncated_at_missing),
        cmocka_unit_test(test_parse_when_huge_count_of_empty_nops_expect_bounded),
        cmocka_unit_test(test_parse_when_value_runs_past_end_expect_truncated_with_id),
        cmocka_unit_test(test_parse_when_unknown_id_expect_id_error_with_index),
        cmocka_unit_test(test_parse_when_size_differs_from_table_expect_size_error),
        cmocka_unit_test(test_parse_when_nop_any_size_expect_skipped),
        cmocka_unit_test(test_parse_when_every_prefix_expect_error_never_overread),
        cmocka_unit_test(test_iter_when_elements_expect_order_index_offset),
        cmocka_unit_test(test_iter_when_view_lies_expect_no_overread),
        cmocka_unit_test(test_elem_when_size_mismatch_expect_false_out_unchanged),
        cmocka_unit_test(test_write_when_get_request_expect_values_filled),
        cmocka_unit_test(test_write_when_elem_outside_buffer_expect_arg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
