/*
 * fuzz_gsb.c - libFuzzer target for gsb/: arbitrary bytes are an L1's
 * Guest State Buffer.  Parse and validate them for every kind of request,
 * then check the library's promises; any broken promise is __builtin_trap().
 *
 *   - no read outside the input (libFuzzer hands us an exact-size heap copy,
 *     so ASan reports any over-read), no UB (UBSan), bounded time;
 *   - a failed parse/validate names an element inside the buffer;
 *   - validate OK implies parse OK with the same view, and every element
 *     passes gsb_check_elem for that request;
 *   - validate and parse agree on structural errors (same error, same index);
 *   - the first bad element really is the first: all before it pass;
 *   - parse -> rebuild with gsb_put gives back the same bytes;
 *   - in-place typed writes keep the buffer parseable;
 *   - the input read as builder commands never overflows the capacity and
 *     always yields a buffer that parses with the same count.
 *
 * Build and run: make fuzz (FUZZ_SECONDS=60), make fuzz-smoke (10 s).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gsb/gsb.h"

#define CHECK(cond)                \
    do {                           \
        if (!(cond))               \
            __builtin_trap();      \
    } while (0)

static const GsbOp ops[] = {
    GSB_OP_GET_THREAD, GSB_OP_GET_GUEST, GSB_OP_GET_HOST,  GSB_OP_SET_THREAD,
    GSB_OP_SET_GUEST,  GSB_OP_SET_HOST,  GSB_OP_RUN_INPUT,
};

static bool structural(GsbErr err)
{
    return err == GSB_ERR_ID || err == GSB_ERR_SIZE || err == GSB_ERR_TRUNCATED ||
           err == GSB_ERR_BUF_SHORT;
}

static void check_result(const GsbResult *r, size_t len)
{
    CHECK(r->err != GSB_OK);
    CHECK(r->offset <= len);
    CHECK(gsb_err_hcall(r->err, GSB_OP_SET_THREAD) < 0);
}

/* Rebuild a parsed buffer element by element: the same bytes must come out. */
static void check_rebuild(const GsbView *v)
{
    uint8_t *mem = malloc(v->len);
    GsbBuf b;
    GsbIter it;
    GsbElem e;
    CHECK(gsb_init(&b, mem, v->len) == GSB_OK);
    for (gsb_iter_init(&it, v); gsb_iter_next(&it, &e);)
        CHECK(gsb_put(&b, e.id, e.val, e.size) == GSB_OK);
    CHECK(gsb_count(&b) == v->count);
    CHECK(gsb_len(&b) == v->len);
    CHECK(memcmp(mem, v->data, v->len) == 0);
    free(mem);
}

/* Typed reads and in-place writes of every element, then parse again. */
static void check_access(const GsbView *v)
{
    uint8_t *mem = malloc(v->len);
    memcpy(mem, v->data, v->len);
    GsbIter it;
    GsbElem e;
    uint32_t n = 0;
    for (gsb_iter_init(&it, v); gsb_iter_next(&it, &e); n++) {
        uint32_t w;
        uint64_t d;
        GsbU128 q;
        GsbPartTable pt;
        GsbRegion rg;
        GsbElem first;
        CHECK(e.index == n);
        CHECK(gsb_find(v, e.id, &first) && first.index <= e.index);
        if (gsb_elem_u32(&e, &w))
            CHECK(gsb_write_u32(mem, v->len, &e, ~w) == GSB_OK);
        if (gsb_elem_u64(&e, &d))
            CHECK(gsb_write_u64(mem, v->len, &e, ~d) == GSB_OK);
        if (gsb_elem_u128(&e, &q))
            CHECK(gsb_write_u128(mem, v->len, &e, q) == GSB_OK);
        if (gsb_elem_part_table(&e, &pt))
            CHECK(gsb_write_part_table(mem, v->len, &e, &pt) == GSB_OK);
        if (gsb_elem_region(&e, &rg))
            CHECK(gsb_write_region(mem, v->len, &e, &rg) == GSB_OK);
    }
    CHECK(n == v->count);
    GsbView v2;
    CHECK(gsb_parse(mem, v->len, &v2, NULL) == GSB_OK);
    CHECK(v2.count == v->count && v2.len == v->len);
    free(mem);
}

static uint16_t be16_at(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* Everything before the first bad element passes: the buffer cut there, with
 * its count lowered to the bad element's index, validates. */
static void check_prefix(const uint8_t *data, const GsbResult *r, GsbOp op)
{
    if (r->err == GSB_ERR_BUF_SHORT)
        return;
    uint8_t *p = malloc(r->offset);
    memcpy(p, data, r->offset);
    p[0] = (uint8_t)(r->index >> 24);
    p[1] = (uint8_t)(r->index >> 16);
    p[2] = (uint8_t)(r->index >> 8);
    p[3] = (uint8_t)r->index;
    GsbView v;
    CHECK(gsb_validate(p, r->offset, op, &v, NULL) == GSB_OK);
    CHECK(v.len == r->offset && v.count == r->index);
    free(p);
}

/* A rule of op failed: the element's header is in the buffer and breaks it. */
static void check_rule_error(const uint8_t *data, size_t len, GsbOp op, const GsbResult *r)
{
    static const uint8_t zeros[0x10000];
    CHECK(len - r->offset >= GSB_ELEM_HDR_SIZE);
    uint16_t id = be16_at(data + r->offset);
    uint16_t size = be16_at(data + r->offset + 2);
    const uint8_t *val = zeros; /* scope/access/size do not look at the value */
    CHECK(id == r->id);
    if (r->err == GSB_ERR_VALUE) {
        CHECK(len - r->offset - GSB_ELEM_HDR_SIZE >= size);
        val = data + r->offset + GSB_ELEM_HDR_SIZE;
    }
    CHECK(gsb_check_elem(gsb_elem_info(id), op, val, size) == r->err);
}

static void check_validate(const uint8_t *data, size_t len, GsbOp op, GsbErr perr,
                           const GsbResult *pres, const GsbView *pv)
{
    GsbView v;
    GsbResult r;
    GsbErr err = gsb_validate(data, len, op, &v, &r);
    CHECK(err == r.err);
    if (err == GSB_OK) {
        CHECK(perr == GSB_OK && v.len == pv->len && v.count == pv->count);
        GsbIter it;
        GsbElem e;
        for (gsb_iter_init(&it, &v); gsb_iter_next(&it, &e);)
            CHECK(gsb_check_elem(gsb_elem_info(e.id), op, e.val, e.size) == GSB_OK);
        return;
    }
    check_result(&r, len);
    check_prefix(data, &r, op);
    if (structural(err))
        CHECK(perr == err && pres->index == r.index && pres->offset == r.offset);
    else
        check_rule_error(data, len, op, &r);
}

static void fuzz_read(const uint8_t *data, size_t len)
{
    GsbView pv;
    GsbResult pres;
    GsbErr perr = gsb_parse(data, len, &pv, &pres);
    CHECK(perr == pres.err);
    if (perr == GSB_OK) {
        CHECK(pv.data == data && pv.len <= len && pv.len >= GSB_HDR_SIZE);
        check_rebuild(&pv);
        check_access(&pv);
    } else {
        check_result(&pres, len);
        CHECK(structural(perr));
    }
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        check_validate(data, len, ops[i], perr, &pres, &pv);
}

/* The input as builder commands: [cap:1] then ([id:2][size:1] value...)*. */
static void fuzz_build(const uint8_t *data, size_t len)
{
    if (len < 1)
        return;
    size_t cap = data[0];
    uint8_t *mem = malloc(cap ? cap : 1);
    GsbBuf b;
    GsbBitmap seen = { { 0 } };
    if (gsb_init(&b, mem, cap) != GSB_OK) {
        CHECK(cap < GSB_HDR_SIZE);
        free(mem);
        return;
    }
    for (size_t pos = 1; len - pos >= 3;) {
        uint16_t id = (uint16_t)(data[pos] << 8 | data[pos + 1]);
        uint16_t size = data[pos + 2];
        pos += 3;
        if (size > len - pos)
            size = (uint16_t)(len - pos);
        size_t before = gsb_len(&b);
        GsbErr err = gsb_put(&b, id, data + pos, size);
        pos += size;
        CHECK(gsb_len(&b) <= gsb_capacity(&b));
        CHECK(err == GSB_OK ? gsb_len(&b) == before + 4 + size : gsb_len(&b) == before);
        if (err == GSB_OK)
            CHECK(gsb_bitmap_set(&seen, id) && gsb_bitmap_test(&seen, id));
    }
    GsbView v;
    CHECK(gsb_parse(mem, gsb_len(&b), &v, NULL) == GSB_OK);
    CHECK(v.count == gsb_count(&b) && v.len == gsb_len(&b));
    unsigned pos = 0, n = 0;
    uint16_t id;
    GsbElem e;
    while (gsb_bitmap_next(&seen, &pos, &id)) {
        CHECK(gsb_find(&v, id, &e));
        n++;
    }
    CHECK(n == gsb_bitmap_count(&seen) && n <= v.count);
    free(mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read(data, size);
    fuzz_build(data, size);
    return 0;
}
