/*
 * test_gsb_table.c - the element table (include/ppc/gsb_ids.h GSB_ELEMENTS,
 * gsb/gsb_table.c) against an independent transcription of seed 004 (the
 * PAPR table in Linux Documentation/powerpc/kvm-nested.rst) plus the ids the
 * reference adds from Linux (host-wide counters, DPDES); the three documented
 * deviations (HEIR size, PPR and HDEC-expiry access) are checked explicitly.
 * Also: the id -> dense index map over all 65536 ids, names, masks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gsb/gsb.h"

enum { T = GSB_SCOPE_THREAD, G = GSB_SCOPE_GUEST, H = GSB_SCOPE_HOST, TG = T | G };
enum { R = GSB_ACC_R, W = GSB_ACC_W, RW = GSB_ACC_RW };
#define ANY GSB_SIZE_ANY

/* One row of the seed's table: ids first..last, size, scope, access. */
typedef struct SeedRow {
    uint16_t first, last;
    uint32_t size;
    unsigned scope, access;
} SeedRow;

/* Seed 004, row by row, as printed (access "T" of 0x1020 kept as 0 here). */
static const SeedRow seed_rows[] = {
    { 0x0000, 0x0000, ANY,  TG, RW }, /* NOP: size blank, "TG" */
    { 0x0001, 0x0001, 0x08, G,  R  },
    { 0x0002, 0x0002, 0x08, G,  R  },
    { 0x0003, 0x0003, 0x04, G,  RW },
    { 0x0004, 0x0004, 0x08, G,  RW },
    { 0x0005, 0x0005, 0x18, G,  RW },
    { 0x0006, 0x0006, 0x10, G,  RW },
    { 0x0C00, 0x0C00, 0x10, T,  RW },
    { 0x0C01, 0x0C01, 0x10, T,  RW },
    { 0x0C02, 0x0C02, 0x08, T,  RW },
    { 0x1000, 0x101F, 0x08, T,  RW }, /* GPR 0-31 */
    { 0x1020, 0x1020, 0x08, T,  0  }, /* HDEC expiry TB: access column "T" */
    { 0x1021, 0x1039, 0x08, T,  RW }, /* NIA .. SPRG3 */
    { 0x103A, 0x103A, 0x08, T,  W  }, /* PPR */
    { 0x103B, 0x1052, 0x08, T,  RW }, /* MMCR0 .. CTRL */
    { 0x2000, 0x200E, 0x04, T,  RW }, /* CR .. PSPB */
    { 0x3000, 0x303F, 0x10, T,  RW }, /* VSR 0-63 */
    { 0xF000, 0xF000, 0x08, T,  R  }, /* HDAR */
    { 0xF001, 0xF001, 0x04, T,  R  }, /* HDSISR */
    { 0xF002, 0xF002, 0x04, T,  R  }, /* HEIR */
    { 0xF003, 0xF003, 0x08, T,  R  }, /* ASDR */
};

/* ../shared/reference/papr-nested.md: ids the seed's table predates (Linux). */
static const SeedRow reference_rows[] = {
    { 0x0800, 0x0804, 0x08, H, R  }, /* L0 heap / page-table counters, host-wide */
    { 0x1053, 0x1053, 0x08, T, RW }, /* DPDES */
};

/* Where the table deliberately differs from the seed (see gsb_ids.h). */
typedef struct Deviation {
    uint16_t id;
    uint32_t size;
    unsigned scope, access;
} Deviation;

static const Deviation deviations[] = {
    { GSB_ID_NOP,            ANY, GSB_SCOPE_ANY, RW }, /* also valid host-wide */
    { GSB_ID_HDEC_EXPIRY_TB, 8,   T,             RW }, /* "T" is a typo */
    { GSB_ID_PPR,            8,   T,             RW }, /* Linux L1 reads it back */
    { GSB_ID_HEIR,           8,   T,             R  }, /* Linux: BE64; ISA 3.1 */
};

static const Deviation *deviation(uint16_t id)
{
    for (size_t i = 0; i < sizeof(deviations) / sizeof(deviations[0]); i++) {
        if (deviations[i].id == id)
            return &deviations[i];
    }
    return NULL;
}

static void check_row(const SeedRow *row)
{
    for (uint32_t id = row->first; id <= row->last; id++) {
        const GsbElemInfo *info = gsb_elem_info((uint16_t)id);
        const Deviation *dev = deviation((uint16_t)id);
        uint32_t size = dev ? dev->size : row->size;
        unsigned scope = dev ? dev->scope : row->scope;
        unsigned access = dev ? dev->access : row->access;
        if (!info)
            fail_msg("id 0x%04x of the seed is missing", id);
        if (info->size != size || info->scope != scope || info->access != access)
            fail_msg("id 0x%04x (%s): size %u scope %u access %u, want %u %u %u", id,
                     info->name, info->size, info->scope, info->access, size, scope, access);
    }
}

static void test_table_when_seed_rows_expect_every_id_with_seed_size(void **state)
{
    for (size_t i = 0; i < sizeof(seed_rows) / sizeof(seed_rows[0]); i++)
        check_row(&seed_rows[i]);
    for (size_t i = 0; i < sizeof(reference_rows) / sizeof(reference_rows[0]); i++)
        check_row(&reference_rows[i]);
}

static void test_table_when_deviations_expect_documented_values(void **state)
{
    assert_int_equal(gsb_elem_info(GSB_ID_HEIR)->size, 8);
    assert_int_equal(gsb_elem_info(GSB_ID_PPR)->access, GSB_ACC_RW);
    assert_int_equal(gsb_elem_info(GSB_ID_HDEC_EXPIRY_TB)->access, GSB_ACC_RW);
    assert_int_equal(gsb_elem_info(GSB_ID_NOP)->size, GSB_SIZE_ANY);
    assert_int_equal(gsb_elem_info(GSB_ID_NOP)->scope, GSB_SCOPE_ANY);
}

static bool in_rows(const SeedRow *rows, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++) {
        if (id >= rows[i].first && id <= rows[i].last)
            return true;
    }
    return false;
}

/* Every id of the 16-bit space: known exactly when the seed/reference list it. */
static void test_index_when_all_ids_expect_dense_and_only_listed(void **state)
{
    unsigned known = 0;
    for (uint32_t id = 0; id <= 0xFFFF; id++) {
        bool listed = in_rows(seed_rows, sizeof(seed_rows) / sizeof(seed_rows[0]), id) ||
                      in_rows(reference_rows, sizeof(reference_rows) / sizeof(reference_rows[0]), id);
        int idx = gsb_id_index((uint16_t)id);
        if (listed != (idx >= 0))
            fail_msg("id 0x%04x: listed %d, index %d", id, listed, idx);
        if (idx < 0) {
            assert_null(gsb_elem_info((uint16_t)id));
            assert_null(gsb_id_name((uint16_t)id));
            assert_int_equal(gsb_elem_space((uint16_t)id), 0);
            continue;
        }
        assert_int_equal(idx, known); /* ascending ids get consecutive indices */
        assert_int_equal(gsb_elem_info_at((unsigned)idx)->id, id);
        known++;
    }
    assert_int_equal(known, GSB_IDX_COUNT);
    assert_int_equal(GSB_IDX_COUNT, 7 + 5 + 3 + 0x54 + 15 + 64 + 4);
    assert_null(gsb_elem_info_at(GSB_IDX_COUNT));
}

static void test_ids_when_named_expect_seed_numbers(void **state)
{
    assert_int_equal(GSB_ID_PARTITION_TABLE, 0x0005);
    assert_int_equal(GSB_ID_PROCESS_TABLE, 0x0006);
    assert_int_equal(GSB_ID_L0_GUEST_PGTABLE_RECLAIM, 0x0804);
    assert_int_equal(GSB_ID_RUN_INPUT, 0x0C00);
    assert_int_equal(GSB_ID_RUN_OUTPUT, 0x0C01);
    assert_int_equal(GSB_ID_GPR(31), 0x101F);
    assert_int_equal(GSB_ID_LPCR, 0x102C);
    assert_int_equal(GSB_ID_SPRG(3), 0x1039);
    assert_int_equal(GSB_ID_MMCR(3), 0x103E);
    assert_int_equal(GSB_ID_SIER3, 0x1042);
    assert_int_equal(GSB_ID_CTRL, 0x1052);
    assert_int_equal(GSB_ID_DPDES, 0x1053);
    assert_int_equal(GSB_ID_CR, 0x2000);
    assert_int_equal(GSB_ID_PMC(1), 0x2007);
    assert_int_equal(GSB_ID_PMC(6), 0x200C);
    assert_int_equal(GSB_ID_PSPB, 0x200E);
    assert_int_equal(GSB_ID_VSR(63), 0x303F);
    assert_int_equal(GSB_ID_ASDR, 0xF003);
}

static void test_names_when_listed_expect_unique_and_matching(void **state)
{
    assert_string_equal(gsb_id_name(GSB_ID_GPR(3)), "GPR3");
    assert_string_equal(gsb_id_name(GSB_ID_VSR(63)), "VSR63");
    assert_string_equal(gsb_id_name(GSB_ID_HEIR), "HEIR");
    assert_string_equal(gsb_id_name(GSB_ID_NOP), "NOP");
    for (unsigned i = 0; i < GSB_IDX_COUNT; i++) {
        const char *a = gsb_elem_info_at(i)->name;
        assert_non_null(a);
        for (unsigned j = i + 1; j < GSB_IDX_COUNT; j++)
            assert_string_not_equal(a, gsb_elem_info_at(j)->name);
    }
}

/* Linux kvmppc_gsid_mask(): LPCR and MSR only; masks only on 4/8-byte values. */
static void test_masks_when_lpcr_msr_expect_linux_masks(void **state)
{
    assert_int_equal(gsb_elem_info(GSB_ID_LPCR)->mask,
                     LPCR_DPFD | LPCR_ILE | LPCR_AIL | LPCR_LD | LPCR_MER | LPCR_GTSE);
    assert_int_equal(gsb_elem_info(GSB_ID_MSR)->mask, ~(MSR_HV | MSR_S | MSR_ME));
    for (unsigned i = 0; i < GSB_IDX_COUNT; i++) {
        const GsbElemInfo *info = gsb_elem_info_at(i);
        if (info->id == GSB_ID_LPCR || info->id == GSB_ID_MSR)
            continue;
        assert_int_equal(info->mask, GSB_MASK_ALL);
    }
}

static void test_space_when_fixed_size_expect_header_plus_value(void **state)
{
    assert_int_equal(gsb_elem_space(GSB_ID_PARTITION_TABLE), 28);
    assert_int_equal(gsb_elem_space(GSB_ID_PROCESS_TABLE), 20);
    assert_int_equal(gsb_elem_space(GSB_ID_RUN_INPUT), 20);
    assert_int_equal(gsb_elem_space(GSB_ID_GPR(0)), 12);
    assert_int_equal(gsb_elem_space(GSB_ID_CR), 8);
    assert_int_equal(gsb_elem_space(GSB_ID_VSR(0)), 20);
    assert_int_equal(gsb_elem_space(GSB_ID_NOP), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_when_seed_rows_expect_every_id_with_seed_size),
        cmocka_unit_test(test_table_when_deviations_expect_documented_values),
        cmocka_unit_test(test_index_when_all_ids_expect_dense_and_only_listed),
        cmocka_unit_test(test_ids_when_named_expect_seed_numbers),
        cmocka_unit_test(test_names_when_listed_expect_unique_and_matching),
        cmocka_unit_test(test_masks_when_lpcr_msr_expect_linux_masks),
        cmocka_unit_test(test_space_when_fixed_size_expect_header_plus_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
