/*
 * gsb_parse.c - reading a Guest State Buffer an L1 (or the L0) wrote:
 * the bounded walk shared by gsb_parse and gsb_validate, iteration, lookup,
 * typed reads, and in-place value writes for GET.
 *
 * The walk trusts nothing in the buffer: the count comes from the header
 * but every element header and value is checked to lie inside [0, len)
 * before it is read, so a hostile count costs at most len / 4 steps.  pos
 * never exceeds len, so "len - pos" never wraps.
 *
 *     GsbView v;
 *     GsbResult r;
 *     if (gsb_parse(out_buf, out_len, &v, &r) == GSB_OK)
 *         gsb_find_u64(&v, GSB_ID_NIA, &nia);
 */
#include "gsb.h"
#include "gsb_be.h"

#define GSB_OP_FLAGS (GSB_OP_SET | GSB_OP_GUEST | GSB_OP_HOST | GSB_OP_RUN)

static void gsb_result(GsbResult *r, GsbErr err, uint32_t index, size_t offset, uint16_t id)
{
    if (!r)
        return;
    r->err = err;
    r->index = index;
    r->offset = offset;
    r->id = id;
}

/* Is op a request PAPR can make?  (Not both wide flags; RUN is a thread SET.) */
static bool gsb_op_valid(GsbOp op)
{
    if (op & ~GSB_OP_FLAGS)
        return false;
    if ((op & GSB_OP_GUEST) && (op & GSB_OP_HOST))
        return false;
    if (op & GSB_OP_RUN)
        return op == GSB_OP_RUN_INPUT;
    return true;
}

static unsigned gsb_op_scope(GsbOp op)
{
    if (op & GSB_OP_HOST)
        return GSB_SCOPE_HOST;
    if (op & GSB_OP_GUEST)
        return GSB_SCOPE_GUEST;
    return GSB_SCOPE_THREAD;
}

static GsbErr gsb_check_size(const GsbElemInfo *info, uint16_t size)
{
    if (info->size != GSB_SIZE_ANY && info->size != size)
        return GSB_ERR_SIZE;
    return GSB_OK;
}

/* Rules that need only the element header: scope, access, size. */
static GsbErr gsb_check_header(const GsbElemInfo *info, GsbOp op, uint16_t size)
{
    if (!(info->scope & gsb_op_scope(op)))
        return GSB_ERR_SCOPE;
    if (!(info->access & ((op & GSB_OP_SET) ? GSB_ACC_W : GSB_ACC_R)))
        return GSB_ERR_ACCESS;
    return gsb_check_size(info, size);
}

/* SET: no bit outside the element's mask (4- and 8-byte values carry one). */
static GsbErr gsb_check_value(const GsbElemInfo *info, GsbOp op, const uint8_t *val,
                              uint16_t size)
{
    if (!(op & GSB_OP_SET))
        return GSB_OK;
    if (size == 4 && (gsb_ld32(val) & ~(uint32_t)info->mask))
        return GSB_ERR_VALUE;
    if (size == 8 && (gsb_ld64(val) & ~info->mask))
        return GSB_ERR_VALUE;
    return GSB_OK;
}

GsbErr gsb_check_elem(const GsbElemInfo *info, GsbOp op, const uint8_t *val, uint16_t size)
{
    if (!info || !gsb_op_valid(op) || (size && !val))
        return GSB_ERR_ARG;
    GsbErr err = gsb_check_header(info, op, size);
    return err != GSB_OK ? err : gsb_check_value(info, op, val, size);
}

/*
 * The element whose header is at pos (inside the buffer): its rules in the
 * documented order, then *next = the offset after it.  op NULL = structure
 * only (gsb_parse).
 */
static GsbErr gsb_scan_elem(const uint8_t *p, size_t len, size_t pos, const GsbOp *op,
                            size_t *next)
{
    uint16_t id = gsb_ld16(p + pos);
    uint16_t size = gsb_ld16(p + pos + 2);
    const GsbElemInfo *info = gsb_elem_info(id);
    if (!info)
        return GSB_ERR_ID;
    GsbErr err = op ? gsb_check_header(info, *op, size) : gsb_check_size(info, size);
    if (err != GSB_OK)
        return err;
    if (len - pos - GSB_ELEM_HDR_SIZE < size)
        return GSB_ERR_TRUNCATED;
    if (op) {
        err = gsb_check_value(info, *op, p + pos + GSB_ELEM_HDR_SIZE, size);
        if (err != GSB_OK)
            return err;
    }
    *next = pos + GSB_ELEM_HDR_SIZE + size;
    return GSB_OK;
}

/* The walk behind gsb_parse (op NULL) and gsb_validate. */
static GsbErr gsb_scan(const void *buf, size_t len, const GsbOp *op, GsbView *v, GsbResult *r)
{
    const uint8_t *p = buf;
    gsb_result(r, GSB_OK, 0, 0, 0);
    if ((!p && len) || !v || (op && !gsb_op_valid(*op))) {
        gsb_result(r, GSB_ERR_ARG, 0, 0, 0);
        return GSB_ERR_ARG;
    }
    if (len < GSB_HDR_SIZE) {
        gsb_result(r, GSB_ERR_BUF_SHORT, 0, 0, 0);
        return GSB_ERR_BUF_SHORT;
    }
    uint32_t count = gsb_ld32(p);
    size_t pos = GSB_HDR_SIZE;
    for (uint32_t i = 0; i < count; i++) {
        if (len - pos < GSB_ELEM_HDR_SIZE) {
            gsb_result(r, GSB_ERR_TRUNCATED, i, pos, 0);
            return GSB_ERR_TRUNCATED;
        }
        GsbErr err = gsb_scan_elem(p, len, pos, op, &pos);
        if (err != GSB_OK) {
            gsb_result(r, err, i, pos, gsb_ld16(p + pos));
            return err;
        }
    }
    v->data = p;
    v->len = pos;
    v->count = count;
    return GSB_OK;
}

GsbErr gsb_parse(const void *buf, size_t len, GsbView *v, GsbResult *r)
{
    return gsb_scan(buf, len, NULL, v, r);
}

GsbErr gsb_validate(const void *buf, size_t len, GsbOp op, GsbView *v, GsbResult *r)
{
    return gsb_scan(buf, len, &op, v, r);
}

/* ---- iteration and lookup ---------------------------------------------- */

void gsb_iter_init(GsbIter *it, const GsbView *v)
{
    it->v = v;
    it->pos = GSB_HDR_SIZE;
    it->index = 0;
}

bool gsb_iter_next(GsbIter *it, GsbElem *e)
{
    const GsbView *v = it->v;
    if (!v || it->index >= v->count || it->pos > v->len ||
        v->len - it->pos < GSB_ELEM_HDR_SIZE)
        return false;
    const uint8_t *p = v->data + it->pos;
    uint16_t size = gsb_ld16(p + 2);
    if (v->len - it->pos - GSB_ELEM_HDR_SIZE < size)
        return false; /* a hand-made view that lies; never read past it */
    e->id = gsb_ld16(p);
    e->size = size;
    e->val = p + GSB_ELEM_HDR_SIZE;
    e->index = it->index;
    e->offset = it->pos;
    it->pos += GSB_ELEM_HDR_SIZE + size;
    it->index++;
    return true;
}

bool gsb_find(const GsbView *v, uint16_t id, GsbElem *e)
{
    GsbIter it;
    for (gsb_iter_init(&it, v); gsb_iter_next(&it, e);) {
        if (e->id == id)
            return true;
    }
    return false;
}

/* ---- typed reads ------------------------------------------------------- */

bool gsb_elem_u32(const GsbElem *e, uint32_t *out)
{
    if (e->size != 4)
        return false;
    *out = gsb_ld32(e->val);
    return true;
}

bool gsb_elem_u64(const GsbElem *e, uint64_t *out)
{
    if (e->size != 8)
        return false;
    *out = gsb_ld64(e->val);
    return true;
}

bool gsb_elem_u128(const GsbElem *e, GsbU128 *out)
{
    if (e->size != GSB_VSR_SIZE)
        return false;
    out->hi = gsb_ld64(e->val);
    out->lo = gsb_ld64(e->val + 8);
    return true;
}

bool gsb_elem_part_table(const GsbElem *e, GsbPartTable *out)
{
    if (e->size != GSB_PART_TABLE_SIZE)
        return false;
    out->addr = gsb_ld64(e->val);
    out->ea_bits = gsb_ld64(e->val + 8);
    out->root_size = gsb_ld64(e->val + 16);
    return true;
}

bool gsb_elem_region(const GsbElem *e, GsbRegion *out)
{
    if (e->size != GSB_REGION_SIZE)
        return false;
    out->addr = gsb_ld64(e->val);
    out->size = gsb_ld64(e->val + 8);
    return true;
}

bool gsb_find_u32(const GsbView *v, uint16_t id, uint32_t *out)
{
    GsbElem e;
    return gsb_find(v, id, &e) && gsb_elem_u32(&e, out);
}

bool gsb_find_u64(const GsbView *v, uint16_t id, uint64_t *out)
{
    GsbElem e;
    return gsb_find(v, id, &e) && gsb_elem_u64(&e, out);
}

bool gsb_find_u128(const GsbView *v, uint16_t id, GsbU128 *out)
{
    GsbElem e;
    return gsb_find(v, id, &e) && gsb_elem_u128(&e, out);
}

/* ---- in-place writes (GET) --------------------------------------------- */

/* The value bytes of e inside buf[0..len), if e has this size. */
static GsbErr gsb_value_at(void *buf, size_t len, const GsbElem *e, uint16_t size,
                           uint8_t **val)
{
    if (!buf || !e || e->offset > len || len - e->offset < GSB_ELEM_HDR_SIZE ||
        len - e->offset - GSB_ELEM_HDR_SIZE < e->size)
        return GSB_ERR_ARG;
    if (e->size != size)
        return GSB_ERR_SIZE;
    *val = (uint8_t *)buf + e->offset + GSB_ELEM_HDR_SIZE;
    return GSB_OK;
}

GsbErr gsb_write_u32(void *buf, size_t len, const GsbElem *e, uint32_t v)
{
    uint8_t *p;
    GsbErr err = gsb_value_at(buf, len, e, 4, &p);
    if (err == GSB_OK)
        gsb_st32(p, v);
    return err;
}

GsbErr gsb_write_u64(void *buf, size_t len, const GsbElem *e, uint64_t v)
{
    uint8_t *p;
    GsbErr err = gsb_value_at(buf, len, e, 8, &p);
    if (err == GSB_OK)
        gsb_st64(p, v);
    return err;
}

GsbErr gsb_write_u128(void *buf, size_t len, const GsbElem *e, GsbU128 v)
{
    uint8_t *p;
    GsbErr err = gsb_value_at(buf, len, e, GSB_VSR_SIZE, &p);
    if (err == GSB_OK) {
        gsb_st64(p, v.hi);
        gsb_st64(p + 8, v.lo);
    }
    return err;
}

GsbErr gsb_write_part_table(void *buf, size_t len, const GsbElem *e, const GsbPartTable *pt)
{
    uint8_t *p;
    GsbErr err = pt ? gsb_value_at(buf, len, e, GSB_PART_TABLE_SIZE, &p) : GSB_ERR_ARG;
    if (err == GSB_OK) {
        gsb_st64(p, pt->addr);
        gsb_st64(p + 8, pt->ea_bits);
        gsb_st64(p + 16, pt->root_size);
    }
    return err;
}

GsbErr gsb_write_region(void *buf, size_t len, const GsbElem *e, const GsbRegion *r)
{
    uint8_t *p;
    GsbErr err = r ? gsb_value_at(buf, len, e, GSB_REGION_SIZE, &p) : GSB_ERR_ARG;
    if (err == GSB_OK) {
        gsb_st64(p, r->addr);
        gsb_st64(p + 8, r->size);
    }
    return err;
}
