/*
 * test_gsb_build.c - building Guest State Buffers (gsb/gsb_build.c): the
 * Linux KUnit cases of arch/powerpc/kvm/test-guest-state-buffer.c as listed
 * in ../shared/reference/papr-nested.md, byte for byte, and the builder's
 * checks (capacity, unknown id, size against the table, failed puts change
 * nothing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gsb_test.h"

/* KUnit test_creating_buffer: 0x100 bytes -> capacity 256, length 4. */
static void test_init_when_0x100_bytes_expect_capacity_256_length_4(void **state)
{
    uint8_t mem[0x100];
    GsbBuf b;
    memset(mem, 0xAA, sizeof(mem));
    assert_int_equal(gsb_init(&b, mem, sizeof(mem)), GSB_OK);
    assert_int_equal(gsb_capacity(&b), 256);
    assert_int_equal(gsb_len(&b), 4);
    assert_int_equal(gsb_count(&b), 0);
    static const uint8_t empty[4] = { 0, 0, 0, 0 };
    assert_memory_equal(mem, empty, 4);
    assert_int_equal(mem[4], 0xAA); /* nothing past the header touched */
}

static void test_init_when_smaller_than_header_expect_no_space(void **state)
{
    uint8_t mem[3];
    GsbBuf b;
    assert_int_equal(gsb_init(&b, mem, sizeof(mem)), GSB_ERR_NO_SPACE);
    assert_int_equal(gsb_init(NULL, mem, sizeof(mem)), GSB_ERR_ARG);
    assert_int_equal(gsb_init(&b, NULL, 16), GSB_ERR_ARG);
}

/* KUnit test_adding_element: GPR0 (raw put), GPR1 (u64), VSR0 {1, 2} -> 3 elements. */
static const uint8_t three_elems[] = {
    0x00, 0x00, 0x00, 0x03,                         /* count 3 */
    0x10, 0x00, 0x00, 0x08,                         /* GPR0, 8 */
    0x00, 0x00, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef,
    0x10, 0x01, 0x00, 0x08,                         /* GPR1, 8 */
    0x00, 0x00, 0x00, 0x00, 0xca, 0xfe, 0xf0, 0x0d,
    0x30, 0x00, 0x00, 0x10,                         /* VSR0, 16 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* doubleword 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, /* doubleword 1 */
};

static void test_put_when_gpr0_gpr1_vsr0_expect_three_elements(void **state)
{
    uint8_t mem[0x1000];
    GsbBuf b;
    assert_int_equal(gsb_init(&b, mem, sizeof(mem)), GSB_OK);
    static const uint8_t deadbeef_be[8] = { 0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef };
    assert_int_equal(gsb_put(&b, GSB_ID_GPR(0), deadbeef_be, 8), GSB_OK);
    assert_int_equal(gsb_put_u64(&b, GSB_ID_GPR(1), 0xcafef00d), GSB_OK);
    assert_int_equal(gsb_put_u128(&b, GSB_ID_VSR(0), (GsbU128){ .hi = 1, .lo = 2 }), GSB_OK);
    assert_int_equal(gsb_len(&b), sizeof(three_elems));
    assert_memory_equal(mem, three_elems, sizeof(three_elems));

    GsbView v;
    assert_int_equal(gsb_parse(mem, gsb_len(&b), &v, NULL), GSB_OK);
    GsbIter it;
    GsbElem e;
    unsigned i = 0;
    for (gsb_iter_init(&it, &v); gsb_iter_next(&it, &e); i++) {
        uint64_t u;
        GsbU128 q;
        switch (i) {
        case 0:
            assert_int_equal(e.id, GSB_ID_GPR(0));
            assert_int_equal(e.size, 8);
            assert_true(gsb_elem_u64(&e, &u));
            assert_int_equal(u, 0xdeadbeef);
            break;
        case 1:
            assert_int_equal(e.id, GSB_ID_GPR(1));
            assert_true(gsb_elem_u64(&e, &u));
            assert_int_equal(u, 0xcafef00d);
            break;
        case 2:
            assert_int_equal(e.id, GSB_ID_VSR(0));
            assert_int_equal(e.size, 16);
            assert_true(gsb_elem_u128(&e, &q));
            assert_int_equal(q.hi, 1);
            assert_int_equal(q.lo, 2);
            break;
        }
    }
    assert_int_equal(i, 3);

    gsb_reset(&b);
    assert_int_equal(gsb_count(&b), 0);
    assert_int_equal(gsb_len(&b), 4);
    assert_int_equal(mem[3], 0);
}

/* KUnit test_gs_parsing: GPR0 = 0xdeadbeef, parse, look it up. */
static void test_parse_when_gpr0_put_expect_lookup_deadbeef(void **state)
{
    uint8_t mem[0x1000];
    GsbBuf b;
    gsb_init(&b, mem, sizeof(mem));
    assert_int_equal(gsb_put_u64(&b, GSB_ID_GPR(0), 0xdeadbeefull), GSB_OK);
    GsbView v;
    assert_int_equal(gsb_parse(mem, sizeof(mem), &v, NULL), GSB_OK); /* whole capacity */
    uint64_t u = 0;
    assert_true(gsb_find_u64(&v, GSB_ID_GPR(0), &u));
    assert_int_equal(u, 0xdeadbeefull);
}

/*
 * KUnit test_gs_msg: PARTITION_TABLE, PROCESS_TABLE, RUN_INPUT, GPR0, CR need
 * 88 bytes of elements.  (The Linux test puts its process table under the
 * PARTITION_TABLE id, which its size check rejects; that mistake is checked
 * here too: GSB_ERR_SIZE, buffer unchanged.)
 */
static const uint8_t msg88[4 + 88] = {
    0x00, 0x00, 0x00, 0x05,
    0x00, 0x05, 0x00, 0x18,                         /* PARTITION_TABLE, 24 */
    0x00, 0x00, 0x00, 0x00, 0x01, 0x23, 0x40, 0x00, /* address */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x34, /* 52 EA bits */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, /* root size 64 KiB */
    0x00, 0x06, 0x00, 0x10,                         /* PROCESS_TABLE, 16 */
    0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
    0x0c, 0x00, 0x00, 0x10,                         /* RUN_INPUT, 16 */
    0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
    0x10, 0x00, 0x00, 0x08,                         /* GPR0, 8 */
    0x00, 0x00, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef,
    0x20, 0x00, 0x00, 0x04,                         /* CR, 4 */
    0x00, 0x00, 0x00, 0x01,
};

static void test_msg_when_five_elements_expect_88_bytes(void **state)
{
    static const uint16_t ids[] = { GSB_ID_PARTITION_TABLE, GSB_ID_PROCESS_TABLE,
                                    GSB_ID_RUN_INPUT, GSB_ID_GPR(0), GSB_ID_CR };
    size_t need = 0;
    for (size_t i = 0; i < 5; i++)
        need += gsb_elem_space(ids[i]);
    assert_int_equal(need, 88);

    uint8_t mem[4 + 88];
    GsbBuf b;
    gsb_init(&b, mem, sizeof(mem));
    GsbPartTable pt = { .addr = 0x1234000, .ea_bits = 52, .root_size = 0x10000 };
    GsbRegion prt = { .addr = 0x2000000, .size = 0x1000 };
    GsbRegion in = { .addr = 0x3000000, .size = 0x100 };
    assert_int_equal(gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, &pt), GSB_OK);
    size_t before = gsb_len(&b);
    assert_int_equal(gsb_put_region(&b, GSB_ID_PARTITION_TABLE, &prt), GSB_ERR_SIZE);
    assert_int_equal(gsb_len(&b), before);
    assert_int_equal(gsb_count(&b), 1);
    assert_int_equal(gsb_put_region(&b, GSB_ID_PROCESS_TABLE, &prt), GSB_OK);
    assert_int_equal(gsb_put_region(&b, GSB_ID_RUN_INPUT, &in), GSB_OK);
    assert_int_equal(gsb_put_u64(&b, GSB_ID_GPR(0), 0xdeadbeef), GSB_OK);
    assert_int_equal(gsb_put_u32(&b, GSB_ID_CR, 0x1), GSB_OK);
    assert_int_equal(gsb_len(&b), sizeof(msg88));
    assert_memory_equal(mem, msg88, sizeof(msg88));
    assert_int_equal(gsb_put_u32(&b, GSB_ID_CR, 0x1), GSB_ERR_NO_SPACE); /* full */

    GsbView v;
    GsbElem e;
    assert_int_equal(gsb_parse(mem, sizeof(mem), &v, NULL), GSB_OK);
    uint64_t a = 0;
    uint32_t c = 0;
    assert_true(gsb_find_u64(&v, GSB_ID_GPR(0), &a));
    assert_true(gsb_find_u32(&v, GSB_ID_CR, &c));
    assert_int_equal(a, 0xdeadbeef);
    assert_int_equal(c, 0x1);
    GsbPartTable pt2;
    GsbRegion r2;
    assert_true(gsb_find(&v, GSB_ID_PARTITION_TABLE, &e) && gsb_elem_part_table(&e, &pt2));
    assert_memory_equal(&pt2, &pt, sizeof(pt));
    assert_true(gsb_find(&v, GSB_ID_PROCESS_TABLE, &e) && gsb_elem_region(&e, &r2));
    assert_memory_equal(&r2, &prt, sizeof(prt));
}

/* KUnit test_gs_hostwide_msg: the five host-wide counters round-trip. */
static void test_hostwide_when_five_counters_expect_round_trip(void **state)
{
    static const uint64_t vals[5] = { 0xdeadbeef, ~0ull, 0xff, 0xffffff, 0xdeadbeef };
    uint8_t mem[4 + 5 * 12];
    GsbBuf b;
    gsb_init(&b, mem, sizeof(mem));
    for (unsigned i = 0; i < 5; i++)
        assert_int_equal(gsb_put_u64(&b, GSB_ID_L0_GUEST_HEAP + i, vals[i]), GSB_OK);
    assert_int_equal(gsb_len(&b), sizeof(mem));

    GsbView v;
    GsbResult r;
    assert_int_equal(gsb_validate(mem, sizeof(mem), GSB_OP_GET_HOST, &v, &r), GSB_OK);
    for (unsigned i = 0; i < 5; i++) {
        uint64_t u = 0;
        assert_true(gsb_find_u64(&v, GSB_ID_L0_GUEST_HEAP + i, &u));
        assert_int_equal(u, vals[i]);
    }
}

static void test_put_when_exactly_fits_expect_ok_then_no_space_unchanged(void **state)
{
    uint8_t mem[4 + 12 + 7];
    uint8_t copy[sizeof(mem)];
    GsbBuf b;
    gsb_init(&b, mem, sizeof(mem));
    assert_int_equal(gsb_put_u64(&b, GSB_ID_NIA, 0x100), GSB_OK);
    memcpy(copy, mem, sizeof(mem));
    /* 7 bytes left: a CR (8) does not fit, nor anything else but an empty NOP. */
    assert_int_equal(gsb_put_u32(&b, GSB_ID_CR, 1), GSB_ERR_NO_SPACE);
    assert_int_equal(gsb_put_u64(&b, GSB_ID_LR, 1), GSB_ERR_NO_SPACE);
    assert_memory_equal(mem, copy, sizeof(mem));
    assert_int_equal(gsb_len(&b), 16);
    assert_int_equal(gsb_count(&b), 1);
    static const uint8_t three[3] = { 1, 2, 3 };
    assert_int_equal(gsb_put(&b, GSB_ID_NOP, three, 3), GSB_OK); /* 4 + 3 = 7 */
    assert_int_equal(gsb_len(&b), sizeof(mem));
    assert_int_equal(gsb_put(&b, GSB_ID_NOP, NULL, 0), GSB_ERR_NO_SPACE);
    assert_int_equal(gsb_count(&b), 2);
}

static void test_put_when_bad_id_or_size_expect_error_unchanged(void **state)
{
    uint8_t mem[64];
    GsbBuf b;
    gsb_init(&b, mem, sizeof(mem));
    static const uint8_t z[32];
    assert_int_equal(gsb_put(&b, 0x0007, z, 8), GSB_ERR_ID);
    assert_int_equal(gsb_put(&b, 0x1054, z, 8), GSB_ERR_ID);
    assert_int_equal(gsb_put(&b, 0xFFFF, z, 8), GSB_ERR_ID);
    assert_int_equal(gsb_put(&b, GSB_ID_GPR(0), z, 4), GSB_ERR_SIZE);
    assert_int_equal(gsb_put_u32(&b, GSB_ID_MSR, 0), GSB_ERR_SIZE);
    assert_int_equal(gsb_put_u64(&b, GSB_ID_CR, 0), GSB_ERR_SIZE);
    assert_int_equal(gsb_put_u64(&b, GSB_ID_VSR(1), 0), GSB_ERR_SIZE);
    assert_int_equal(gsb_put_u64(&b, GSB_ID_HDSISR, 0), GSB_ERR_SIZE);
    assert_int_equal(gsb_put_u32(&b, GSB_ID_HEIR, 0), GSB_ERR_SIZE); /* HEIR is 8 */
    assert_int_equal(gsb_put(&b, GSB_ID_GPR(0), NULL, 8), GSB_ERR_ARG);
    assert_int_equal(gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, NULL), GSB_ERR_ARG);
    assert_int_equal(gsb_put_region(&b, GSB_ID_RUN_OUTPUT, NULL), GSB_ERR_ARG);
    assert_int_equal(gsb_count(&b), 0);
    assert_int_equal(gsb_len(&b), 4);
    assert_int_equal(mem[3], 0);
}

/* Values go out big-endian whatever the host order; the count is be32. */
static void test_put_when_typed_expect_big_endian_bytes(void **state)
{
    uint8_t mem[64];
    GsbBuf b;
    gsb_init(&b, mem, sizeof(mem));
    assert_int_equal(gsb_put_u32(&b, GSB_ID_PIDR, 0x01020304), GSB_OK);
    assert_int_equal(gsb_put_u64(&b, GSB_ID_HEIR, 0x0600000038600001ull), GSB_OK);
    static const uint8_t want[] = {
        0, 0, 0, 2,
        0x20, 0x01, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04,
        0xf0, 0x02, 0x00, 0x08, 0x06, 0x00, 0x00, 0x00, 0x38, 0x60, 0x00, 0x01,
    };
    assert_memory_equal(mem, want, sizeof(want));
}

static void test_put_when_many_expect_count_tracks_header(void **state)
{
    static uint8_t mem[4 + 256 * 12];
    GsbBuf b;
    gsb_init(&b, mem, sizeof(mem));
    for (unsigned i = 0; i < 256; i++)
        assert_int_equal(gsb_put_u64(&b, GSB_ID_GPR(i % 32), i), GSB_OK);
    assert_int_equal(gsb_count(&b), 256);
    static const uint8_t hdr[4] = { 0, 0, 1, 0 };
    assert_memory_equal(mem, hdr, 4);
    assert_int_equal(gsb_put_u64(&b, GSB_ID_GPR(0), 0), GSB_ERR_NO_SPACE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_when_0x100_bytes_expect_capacity_256_length_4),
        cmocka_unit_test(test_init_when_smaller_than_header_expect_no_space),
        cmocka_unit_test(test_put_when_gpr0_gpr1_vsr0_expect_three_elements),
        cmocka_unit_test(test_parse_when_gpr0_put_expect_lookup_deadbeef),
        cmocka_unit_test(test_msg_when_five_elements_expect_88_bytes),
        cmocka_unit_test(test_hostwide_when_five_counters_expect_round_trip),
        cmocka_unit_test(test_put_when_exactly_fits_expect_ok_then_no_space_unchanged),
        cmocka_unit_test(test_put_when_bad_id_or_size_expect_error_unchanged),
        cmocka_unit_test(test_put_when_typed_expect_big_endian_bytes),
        cmocka_unit_test(test_put_when_many_expect_count_tracks_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
