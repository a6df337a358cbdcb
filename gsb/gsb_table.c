/*
 * gsb_table.c - the element table as data: GSB_ELEMENTS (include/ppc/
 * gsb_ids.h) expanded into one const row per id and an id -> dense index
 * switch.  The ids are sparse (0x0000-0x0006, 0x0800-0x0804, 0x0C00-0x0C02,
 * 0x1000-0x1053, 0x2000-0x200E, 0x3000-0x303F, 0xF000-0xF003); the dense
 * index (row number) keys the bitmap and any per-id array a user keeps.
 *
 *     const GsbElemInfo *info = gsb_elem_info(GSB_ID_LPCR);
 *     info->size == 8, info->scope == GSB_SCOPE_THREAD, info->mask == GSB_MASK_LPCR
 */
#include "gsb.h"

#define GSB_ROW_(name_, id_, size_, scope_, access_, mask_) \
    [GSB_IDX_##name_] = {                                   \
        .id = (id_),                                        \
        .scope = GSB_SCOPE_##scope_,                        \
        .access = GSB_ACC_##access_,                        \
        .size = (size_),                                    \
        .mask = GSB_MASK_##mask_,                           \
        .name = #name_,                                     \
    },

static const GsbElemInfo gsb_table[GSB_IDX_COUNT] = { GSB_ELEMENTS(GSB_ROW_) };

#undef GSB_ROW_

int gsb_id_index(uint16_t id)
{
    switch (id) {
#define GSB_CASE_(name_, id_, size_, scope_, access_, mask_) \
    case (id_):                                              \
        return GSB_IDX_##name_;
        GSB_ELEMENTS(GSB_CASE_)
#undef GSB_CASE_
    default:
        return -1;
    }
}

const GsbElemInfo *gsb_elem_info_at(unsigned idx)
{
    return idx < GSB_IDX_COUNT ? &gsb_table[idx] : NULL;
}

const GsbElemInfo *gsb_elem_info(uint16_t id)
{
    int idx = gsb_id_index(id);
    return idx < 0 ? NULL : &gsb_table[idx];
}

const char *gsb_id_name(uint16_t id)
{
    const GsbElemInfo *info = gsb_elem_info(id);
    return info ? info->name : NULL;
}

size_t gsb_elem_space(uint16_t id)
{
    const GsbElemInfo *info = gsb_elem_info(id);
    if (!info || info->size == GSB_SIZE_ANY)
        return 0;
    return GSB_ELEM_HDR_SIZE + info->size;
}
