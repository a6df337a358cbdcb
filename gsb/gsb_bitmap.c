/*
 * gsb_bitmap.c - a set of element ids, one bit per known id.
 *
 * Ids are sparse (0x0000 .. 0xF003 with large reserved gaps), so the bit is
 * the id's dense index in the element table: GSB_IDX_COUNT bits in all.
 * An L1 keeps such sets for "valid" (cached copy current) and "dirty"
 * (must be sent before the next run); L0 for what a buffer named.
 *
 *     GsbBitmap dirty = { 0 };
 *     gsb_bitmap_set(&dirty, GSB_ID_LPCR);
 *     unsigned pos = 0;
 *     uint16_t id;
 *     while (gsb_bitmap_next(&dirty, &pos, &id))
 *         send(id);
 */
#include "gsb.h"

#define GSB_WORD_BITS 64u

void gsb_bitmap_zero(GsbBitmap *bm)
{
    for (unsigned i = 0; i < GSB_BITMAP_WORDS; i++)
        bm->w[i] = 0;
}

void gsb_bitmap_fill(GsbBitmap *bm)
{
    for (unsigned i = 0; i < GSB_BITMAP_WORDS; i++) {
        unsigned left = GSB_IDX_COUNT - i * GSB_WORD_BITS;
        bm->w[i] = left >= GSB_WORD_BITS ? ~0ull : (1ull << left) - 1;
    }
}

bool gsb_bitmap_set(GsbBitmap *bm, uint16_t id)
{
    int idx = gsb_id_index(id);
    if (idx < 0)
        return false;
    bm->w[idx / GSB_WORD_BITS] |= 1ull << (idx % GSB_WORD_BITS);
    return true;
}

bool gsb_bitmap_clear(GsbBitmap *bm, uint16_t id)
{
    int idx = gsb_id_index(id);
    if (idx < 0)
        return false;
    bm->w[idx / GSB_WORD_BITS] &= ~(1ull << (idx % GSB_WORD_BITS));
    return true;
}

bool gsb_bitmap_test(const GsbBitmap *bm, uint16_t id)
{
    int idx = gsb_id_index(id);
    return idx >= 0 && (bm->w[idx / GSB_WORD_BITS] >> (idx % GSB_WORD_BITS)) & 1;
}

unsigned gsb_bitmap_count(const GsbBitmap *bm)
{
    unsigned n = 0;
    for (unsigned i = 0; i < GSB_BITMAP_WORDS; i++)
        n += (unsigned)__builtin_popcountll(bm->w[i]);
    return n;
}

bool gsb_bitmap_next(const GsbBitmap *bm, unsigned *pos, uint16_t *id)
{
    for (unsigned idx = *pos; idx < GSB_IDX_COUNT;) {
        uint64_t w = bm->w[idx / GSB_WORD_BITS] >> (idx % GSB_WORD_BITS);
        if (w) {
            idx += (unsigned)__builtin_ctzll(w);
            if (idx >= GSB_IDX_COUNT)
                break;
            *id = gsb_elem_info_at(idx)->id;
            *pos = idx + 1;
            return true;
        }
        idx = (idx / GSB_WORD_BITS + 1) * GSB_WORD_BITS;
    }
    *pos = GSB_IDX_COUNT;
    return false;
}
