/*
 * gsb_build.c - appending elements to a Guest State Buffer in caller memory.
 *
 * Every put checks the id against the table (known, value size equal to the
 * table's) and the capacity before writing anything, then writes the element
 * and the new be32 count; a failed put leaves the buffer as it was.
 *
 *     uint8_t mem[0x100];
 *     GsbBuf b;
 *     gsb_init(&b, mem, sizeof(mem));          capacity 256, length 4
 *     gsb_put_u64(&b, GSB_ID_GPR(0), 0xdeadbeef);
 *     gsb_put_u128(&b, GSB_ID_VSR(0), (GsbU128){ .hi = 1, .lo = 2 });
 */
#include "gsb.h"
#include "gsb_be.h"

GsbErr gsb_init(GsbBuf *b, void *mem, size_t cap)
{
    if (!b || !mem)
        return GSB_ERR_ARG;
    b->data = mem;
    b->cap = cap;
    b->len = 0;
    b->count = 0;
    if (cap < GSB_HDR_SIZE)
        return GSB_ERR_NO_SPACE;
    gsb_reset(b);
    return GSB_OK;
}

void gsb_reset(GsbBuf *b)
{
    b->len = GSB_HDR_SIZE;
    b->count = 0;
    gsb_st32(b->data, 0);
}

/* Room for an element of this value size?  Checks the id/size rules first. */
static GsbErr gsb_put_check(const GsbBuf *b, uint16_t id, uint16_t size)
{
    const GsbElemInfo *info = gsb_elem_info(id);
    if (!info)
        return GSB_ERR_ID;
    if (info->size != GSB_SIZE_ANY && info->size != size)
        return GSB_ERR_SIZE;
    if (b->len > b->cap || b->cap - b->len < GSB_ELEM_HDR_SIZE + (size_t)size)
        return GSB_ERR_NO_SPACE;
    if (b->count == UINT32_MAX)
        return GSB_ERR_NO_SPACE;
    return GSB_OK;
}

/* Reserve an element after gsb_put_check passed; returns its value bytes. */
static uint8_t *gsb_put_reserve(GsbBuf *b, uint16_t id, uint16_t size)
{
    uint8_t *p = b->data + b->len;
    gsb_st16(p, id);
    gsb_st16(p + 2, size);
    b->len += GSB_ELEM_HDR_SIZE + size;
    b->count++;
    gsb_st32(b->data, b->count);
    return p + GSB_ELEM_HDR_SIZE;
}

GsbErr gsb_put(GsbBuf *b, uint16_t id, const void *val_be, uint16_t size)
{
    if (!b || !b->data || (size && !val_be))
        return GSB_ERR_ARG;
    GsbErr err = gsb_put_check(b, id, size);
    if (err != GSB_OK)
        return err;
    uint8_t *dst = gsb_put_reserve(b, id, size);
    const uint8_t *src = val_be;
    for (uint16_t i = 0; i < size; i++)
        dst[i] = src[i];
    return GSB_OK;
}

GsbErr gsb_put_u32(GsbBuf *b, uint16_t id, uint32_t v)
{
    uint8_t be[4];
    gsb_st32(be, v);
    return gsb_put(b, id, be, sizeof(be));
}

GsbErr gsb_put_u64(GsbBuf *b, uint16_t id, uint64_t v)
{
    uint8_t be[8];
    gsb_st64(be, v);
    return gsb_put(b, id, be, sizeof(be));
}

GsbErr gsb_put_u128(GsbBuf *b, uint16_t id, GsbU128 v)
{
    uint8_t be[GSB_VSR_SIZE];
    gsb_st64(be, v.hi);
    gsb_st64(be + 8, v.lo);
    return gsb_put(b, id, be, sizeof(be));
}

GsbErr gsb_put_part_table(GsbBuf *b, uint16_t id, const GsbPartTable *pt)
{
    uint8_t be[GSB_PART_TABLE_SIZE];
    if (!pt)
        return GSB_ERR_ARG;
    gsb_st64(be, pt->addr);
    gsb_st64(be + 8, pt->ea_bits);
    gsb_st64(be + 16, pt->root_size);
    return gsb_put(b, id, be, sizeof(be));
}

GsbErr gsb_put_region(GsbBuf *b, uint16_t id, const GsbRegion *r)
{
    uint8_t be[GSB_REGION_SIZE];
    if (!r)
        return GSB_ERR_ARG;
    gsb_st64(be, r->addr);
    gsb_st64(be + 8, r->size);
    return gsb_put(b, id, be, sizeof(be));
}
