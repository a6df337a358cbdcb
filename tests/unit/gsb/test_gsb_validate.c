/*
 * test_gsb_validate.c - validating a buffer for an operation (gsb_validate,
 * gsb_check_elem) and the one GsbErr -> H_* mapping (gsb_err_hcall): every
 * element of the table in every kind of request against rules written out
 * independently here from the seed (guest-wide 0x0001-0x0006, host-wide
 * 0x0800-0x0804, read-only 0x0001/0x0002/0x08xx/0xF0xx), every error with
 * its index and offset, the first bad element winning, the order of checks
 * inside one element, and the LPCR/MSR masks bit by bit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gsb_test.h"
#include "ppc/hcall.h"

static const GsbOp all_ops[] = {
    GSB_OP_GET_THREAD, GSB_OP_GET_GUEST, GSB_OP_GET_HOST,  GSB_OP_SET_THREAD,
    GSB_OP_SET_GUEST,  GSB_OP_SET_HOST,  GSB_OP_RUN_INPUT,
};
#define N_OPS (sizeof(all_ops) / sizeof(all_ops[0]))

static GsbErr validate_exact(const Raw *r, GsbOp op, GsbResult *res)
{
    uint8_t *p = dup_exact(r->b, r->n);
    GsbView v;
    GsbErr err = gsb_validate(p, r->n, op, &v, res);
    free(p);
    return err;
}

/* The rules, from the seed's table rather than from gsb_ids.h. */
static GsbErr expected(uint16_t id, GsbOp op)
{
    bool guest = id >= 0x0001 && id <= 0x0006;
    bool host = id >= 0x0800 && id <= 0x0804;
    bool read_only = id == 0x0001 || id == 0x0002 || host || (id >= 0xF000 && id <= 0xF003);
    if (id == 0x0000)
        return GSB_OK;
    if ((op & GSB_OP_HOST) ? !host : (op & GSB_OP_GUEST) ? !guest : (guest || host))
        return GSB_ERR_SCOPE;
    if ((op & GSB_OP_SET) && read_only)
        return GSB_ERR_ACCESS;
    return GSB_OK;
}

/* Every id of the table, alone, zero value, in every request kind. */
static void test_validate_when_each_element_each_op_expect_seed_rules(void **state)
{
    for (unsigned i = 0; i < GSB_IDX_COUNT; i++) {
        const GsbElemInfo *info = gsb_elem_info_at(i);
        uint16_t size = info->size == GSB_SIZE_ANY ? 0 : (uint16_t)info->size;
        for (unsigned o = 0; o < N_OPS; o++) {
            Raw r;
            raw_init(&r, 1);
            raw_elem(&r, info->id, size, 0);
            GsbResult res;
            GsbErr err = validate_exact(&r, all_ops[o], &res);
            if (err != expected(info->id, all_ops[o]))
                fail_msg("%s in op %d: %s", info->name, all_ops[o], gsb_err_name(err));
            if (err != GSB_OK) {
                assert_int_equal(res.index, 0);
                assert_int_equal(res.offset, 4);
                assert_int_equal(res.id, info->id);
            }
        }
    }
}

/* Where each error is reported: index and byte offset of the first bad element. */
typedef struct Case {
    const char *what;
    GsbOp op;
    GsbErr err;
    int64_t hcall;
} Case;

/* Three good thread elements, then the bad one at index 3 / offset 4+12+8+20. */
static void build_with_bad_fourth(Raw *r, void (*bad)(Raw *))
{
    raw_init(r, 5);
    raw_u64(r, GSB_ID_GPR(3), 1);
    raw_u32(r, GSB_ID_CR, 2);
    raw_elem(r, GSB_ID_VSR(0), 16, 3);
    bad(r);
    raw_u64(r, GSB_ID_GPR(4), 4);
}

static void bad_unknown(Raw *r) { raw_u64(r, 0x1054, 0); }
static void bad_size(Raw *r) { raw_elem(r, GSB_ID_GPR(5), 4, 0); }
static void bad_lpcr(Raw *r) { raw_u64(r, GSB_ID_LPCR, LPCR_HR); }
static void bad_msr(Raw *r) { raw_u64(r, GSB_ID_MSR, MSR_SF | MSR_ME); }
static void bad_guest(Raw *r) { raw_u64(r, GSB_ID_TB_OFFSET, 0); }
static void bad_host(Raw *r) { raw_u64(r, GSB_ID_L0_GUEST_HEAP, 0); }
static void bad_ro(Raw *r) { raw_u64(r, GSB_ID_HDAR, 0); }

static void check_case(void (*bad)(Raw *), GsbOp op, GsbErr want, int64_t hcall)
{
    Raw r;
    build_with_bad_fourth(&r, bad);
    GsbResult res;
    assert_int_equal(validate_exact(&r, op, &res), want);
    assert_int_equal(res.err, want);
    assert_int_equal(res.index, 3);
    assert_int_equal(res.offset, 4 + 12 + 8 + 20);
    assert_int_equal(gsb_err_hcall(res.err, op), hcall);
}

static void test_validate_when_bad_fourth_expect_index_3_and_code(void **state)
{
    check_case(bad_unknown, GSB_OP_SET_THREAD, GSB_ERR_ID, H_INVALID_ELEMENT_ID);
    check_case(bad_unknown, GSB_OP_GET_THREAD, GSB_ERR_ID, H_INVALID_ELEMENT_ID);
    check_case(bad_size, GSB_OP_SET_THREAD, GSB_ERR_SIZE, H_INVALID_ELEMENT_SIZE);
    check_case(bad_size, GSB_OP_GET_THREAD, GSB_ERR_SIZE, H_INVALID_ELEMENT_SIZE);
    check_case(bad_size, GSB_OP_RUN_INPUT, GSB_ERR_SIZE, H_INVALID_ELEMENT_SIZE);
    check_case(bad_lpcr, GSB_OP_SET_THREAD, GSB_ERR_VALUE, H_INVALID_ELEMENT_VALUE);
    check_case(bad_lpcr, GSB_OP_RUN_INPUT, GSB_ERR_VALUE, H_INVALID_ELEMENT_VALUE);
    check_case(bad_msr, GSB_OP_SET_THREAD, GSB_ERR_VALUE, H_INVALID_ELEMENT_VALUE);
    check_case(bad_guest, GSB_OP_SET_THREAD, GSB_ERR_SCOPE, H_INVALID_ELEMENT_ID);
    check_case(bad_guest, GSB_OP_GET_THREAD, GSB_ERR_SCOPE, H_INVALID_ELEMENT_ID);
    check_case(bad_guest, GSB_OP_RUN_INPUT, GSB_ERR_SCOPE, H_INVALID_ELEMENT_ID);
    check_case(bad_host, GSB_OP_GET_THREAD, GSB_ERR_SCOPE, H_INVALID_ELEMENT_ID);
    check_case(bad_ro, GSB_OP_SET_THREAD, GSB_ERR_ACCESS, H_INVALID_ELEMENT_ID);
    check_case(bad_ro, GSB_OP_RUN_INPUT, GSB_ERR_ACCESS, H_INVALID_ELEMENT_ID);
}

/* The first bad element wins, whatever kind of error comes later. */
static void test_validate_when_several_bad_expect_first(void **state)
{
    Raw r;
    raw_init(&r, 4);
    raw_u64(&r, GSB_ID_NIA, 0);
    raw_u64(&r, GSB_ID_TB_OFFSET, 0);  /* #1: guest-wide in a thread request */
    raw_u64(&r, 0x5555, 0);            /* #2: unknown */
    raw_elem(&r, GSB_ID_CR, 8, 0);     /* #3: wrong size */
    GsbResult res;
    assert_int_equal(validate_exact(&r, GSB_OP_SET_THREAD, &res), GSB_ERR_SCOPE);
    assert_int_equal(res.index, 1);
    assert_int_equal(res.offset, 16);
    assert_int_equal(res.id, GSB_ID_TB_OFFSET);
    /* gsb_parse does not know the scope: it stops at the unknown id. */
    GsbView v;
    assert_int_equal(gsb_parse(r.b, r.n, &v, &res), GSB_ERR_ID);
    assert_int_equal(res.index, 2);
}

/* Inside one element: id (unknown/scope/access), then size, then the end, then value. */
static void test_validate_when_one_element_breaks_several_rules_expect_order(void **state)
{
    Raw r;
    GsbResult res;
    raw_init(&r, 1);
    raw_elem(&r, GSB_ID_GPR(0), 4, 0);          /* wrong size AND wrong scope */
    assert_int_equal(validate_exact(&r, GSB_OP_SET_GUEST, &res), GSB_ERR_SCOPE);
    raw_init(&r, 1);
    raw_elem(&r, GSB_ID_HDAR, 4, 0);            /* wrong size AND read-only */
    assert_int_equal(validate_exact(&r, GSB_OP_SET_THREAD, &res), GSB_ERR_ACCESS);
    raw_init(&r, 1);
    raw_elem(&r, GSB_ID_LPCR, 4, 0xFF);         /* wrong size AND bad value */
    assert_int_equal(validate_exact(&r, GSB_OP_SET_THREAD, &res), GSB_ERR_SIZE);
    raw_init(&r, 1);
    raw_u64(&r, GSB_ID_LPCR, LPCR_HR);          /* bad value, but cut short */
    r.n -= 1;
    assert_int_equal(validate_exact(&r, GSB_OP_SET_THREAD, &res), GSB_ERR_TRUNCATED);
    assert_int_equal(res.id, GSB_ID_LPCR);
    raw_init(&r, 1);
    raw_elem(&r, 0x3040, 16, 0);                /* unknown: nothing else matters */
    assert_int_equal(validate_exact(&r, GSB_OP_GET_HOST, &res), GSB_ERR_ID);
}

/* GET: the L1's values are placeholders; masks apply to SET only. */
static void test_validate_when_get_with_masked_bits_expect_ok(void **state)
{
    Raw r;
    raw_init(&r, 2);
    raw_u64(&r, GSB_ID_LPCR, ~0ull);
    raw_u64(&r, GSB_ID_MSR, ~0ull);
    GsbResult res;
    assert_int_equal(validate_exact(&r, GSB_OP_GET_THREAD, &res), GSB_OK);
    assert_int_equal(validate_exact(&r, GSB_OP_SET_THREAD, &res), GSB_ERR_VALUE);
    assert_int_equal(res.index, 0);
}

/* Linux kvmppc_gsid_mask(): LPCR: DPFD|ILE|AIL|LD|MER|GTSE; MSR: all but HV, S, ME. */
static void test_validate_when_each_lpcr_msr_bit_expect_mask(void **state)
{
    /* ISA bit numbers; DPFD as include/ppc/lpcr.h defines it. */
    const uint64_t lpcr_ok = LPCR_DPFD | PPC_BIT(38) | PPC_BITMASK(39, 40) | PPC_BIT(46) |
                             PPC_BIT(52) | PPC_BIT(53);
    const uint64_t msr_bad = PPC_BIT(3) | PPC_BIT(41) | PPC_BIT(51);
    for (unsigned bit = 0; bit < 64; bit++) {
        Raw r;
        GsbResult res;
        raw_init(&r, 1);
        raw_u64(&r, GSB_ID_LPCR, PPC_BIT(bit));
        GsbErr want = (PPC_BIT(bit) & lpcr_ok) ? GSB_OK : GSB_ERR_VALUE;
        assert_int_equal(validate_exact(&r, GSB_OP_SET_THREAD, &res), want);
        raw_init(&r, 1);
        raw_u64(&r, GSB_ID_MSR, PPC_BIT(bit));
        want = (PPC_BIT(bit) & msr_bad) ? GSB_ERR_VALUE : GSB_OK;
        assert_int_equal(validate_exact(&r, GSB_OP_RUN_INPUT, &res), want);
    }
    Raw r;
    GsbResult res;
    raw_init(&r, 2);
    raw_u64(&r, GSB_ID_LPCR, lpcr_ok);
    raw_u64(&r, GSB_ID_MSR, ~msr_bad);
    assert_int_equal(validate_exact(&r, GSB_OP_SET_THREAD, &res), GSB_OK);
}

/* The per-element rules on rows the table does not have (W-only, 32-bit mask). */
static void test_check_elem_when_synthetic_rows_expect_rules(void **state)
{
    const GsbElemInfo wo = { .id = 0x1234, .scope = GSB_SCOPE_THREAD, .access = GSB_ACC_W,
                             .size = 4, .mask = 0x0000FF00, .name = "WO" };
    static const uint8_t ok[4] = { 0, 0, 0x12, 0 };
    static const uint8_t bad[4] = { 0, 0, 0x12, 1 };
    assert_int_equal(gsb_check_elem(&wo, GSB_OP_GET_THREAD, ok, 4), GSB_ERR_ACCESS);
    assert_int_equal(gsb_check_elem(&wo, GSB_OP_SET_THREAD, ok, 4), GSB_OK);
    assert_int_equal(gsb_check_elem(&wo, GSB_OP_SET_THREAD, bad, 4), GSB_ERR_VALUE);
    assert_int_equal(gsb_check_elem(&wo, GSB_OP_SET_GUEST, ok, 4), GSB_ERR_SCOPE);
    assert_int_equal(gsb_check_elem(&wo, GSB_OP_SET_THREAD, ok, 2), GSB_ERR_SIZE);
    assert_int_equal(gsb_check_elem(NULL, GSB_OP_SET_THREAD, ok, 4), GSB_ERR_ARG);
    assert_int_equal(gsb_check_elem(&wo, GSB_OP_SET_THREAD, NULL, 4), GSB_ERR_ARG);
    assert_int_equal(gsb_check_elem(&wo, (GsbOp)(GSB_OP_GUEST | GSB_OP_HOST), ok, 4),
                     GSB_ERR_ARG);
}

/* Requests PAPR cannot make: both wide flags, RUN other than a thread SET, stray bits. */
static void test_validate_when_impossible_op_expect_arg_parameter(void **state)
{
    static const unsigned bad_ops[] = {
        GSB_OP_GUEST | GSB_OP_HOST, GSB_OP_SET | GSB_OP_GUEST | GSB_OP_HOST, GSB_OP_RUN,
        GSB_OP_RUN | GSB_OP_SET | GSB_OP_GUEST, GSB_OP_RUN | GSB_OP_SET | GSB_OP_HOST, 0x10,
        0x80000000u,
    };
    Raw r;
    raw_init(&r, 0);
    for (size_t i = 0; i < sizeof(bad_ops) / sizeof(bad_ops[0]); i++) {
        GsbResult res;
        assert_int_equal(validate_exact(&r, (GsbOp)bad_ops[i], &res), GSB_ERR_ARG);
        assert_int_equal(gsb_err_hcall(res.err, (GsbOp)bad_ops[i]), H_PARAMETER);
    }
}

/* Buffer-level errors: the size argument for GET/SET_STATE, the buffer codes for RUN. */
static void test_validate_when_buffer_short_expect_buffer_codes(void **state)
{
    Raw r;
    GsbResult res;
    raw_init(&r, 2);
    raw_u64(&r, GSB_ID_GPR(1), 0);
    assert_int_equal(validate_exact(&r, GSB_OP_SET_THREAD, &res), GSB_ERR_TRUNCATED);
    assert_int_equal(res.index, 1);
    assert_int_equal(gsb_err_hcall(res.err, GSB_OP_SET_THREAD), H_P5);
    assert_int_equal(gsb_err_hcall(res.err, GSB_OP_GET_GUEST), H_P5);
    assert_int_equal(gsb_err_hcall(res.err, GSB_OP_RUN_INPUT), H_INPUT_BUFFER_TOO_SMALL);
    r.n = 3;
    assert_int_equal(validate_exact(&r, GSB_OP_RUN_INPUT, &res), GSB_ERR_BUF_SHORT);
    assert_int_equal(gsb_err_hcall(res.err, GSB_OP_RUN_INPUT), H_INPUT_BUFFER_TOO_SMALL);
    assert_int_equal(gsb_err_hcall(GSB_ERR_NO_SPACE, GSB_OP_RUN_INPUT), H_OUTPUT_BUFFER_TOO_SMALL);
}

static void test_err_hcall_when_each_error_expect_papr_code(void **state)
{
    static const struct { GsbErr err; int64_t get, set, run; } map[] = {
        { GSB_OK,            H_SUCCESS, H_SUCCESS, H_SUCCESS },
        { GSB_ERR_ARG,       H_PARAMETER, H_PARAMETER, H_PARAMETER },
        { GSB_ERR_NO_SPACE,  H_P5, H_P5, H_OUTPUT_BUFFER_TOO_SMALL },
        { GSB_ERR_BUF_SHORT, H_P5, H_P5, H_INPUT_BUFFER_TOO_SMALL },
        { GSB_ERR_TRUNCATED, H_P5, H_P5, H_INPUT_BUFFER_TOO_SMALL },
        { GSB_ERR_ID,        H_INVALID_ELEMENT_ID, H_INVALID_ELEMENT_ID, H_INVALID_ELEMENT_ID },
        { GSB_ERR_SCOPE,     H_INVALID_ELEMENT_ID, H_INVALID_ELEMENT_ID, H_INVALID_ELEMENT_ID },
        { GSB_ERR_ACCESS,    H_INVALID_ELEMENT_ID, H_INVALID_ELEMENT_ID, H_INVALID_ELEMENT_ID },
        { GSB_ERR_SIZE,      H_INVALID_ELEMENT_SIZE, H_INVALID_ELEMENT_SIZE, H_INVALID_ELEMENT_SIZE },
        { GSB_ERR_VALUE,     H_INVALID_ELEMENT_VALUE, H_INVALID_ELEMENT_VALUE, H_INVALID_ELEMENT_VALUE },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        assert_int_equal(gsb_err_hcall(map[i].err, GSB_OP_GET_GUEST), map[i].get);
        assert_int_equal(gsb_err_hcall(map[i].err, GSB_OP_SET_THREAD), map[i].set);
        assert_int_equal(gsb_err_hcall(map[i].err, GSB_OP_RUN_INPUT), map[i].run);
        assert_non_null(gsb_err_name(map[i].err));
        assert_string_not_equal(gsb_err_name(map[i].err), "?");
    }
    assert_int_equal(gsb_err_hcall((GsbErr)99, GSB_OP_SET_THREAD), H_PARAMETER);
}

/* A realistic run input buffer (what Linux's kvmhv_nestedv2_flush_vcpu sends). */
static void test_validate_when_linux_run_input_expect_ok(void **state)
{
    uint8_t mem[1024];
    GsbBuf b;
    gsb_init(&b, mem, sizeof(mem));
    for (unsigned i = 0; i < 32; i++)
        gsb_put_u64(&b, GSB_ID_GPR(i), i);
    gsb_put_u64(&b, GSB_ID_MSR, MSR_SF | MSR_EE | MSR_IR | MSR_DR | MSR_RI | MSR_LE);
    gsb_put_u64(&b, GSB_ID_LPCR, LPCR_ILE | LPCR_AIL | LPCR_LD | LPCR_GTSE);
    gsb_put_u32(&b, GSB_ID_CR, 0x80000000);
    gsb_put_u128(&b, GSB_ID_VSR(40), (GsbU128){ 1, 2 });
    gsb_put_u64(&b, GSB_ID_HDEC_EXPIRY_TB, 0x123456789);
    gsb_put_u64(&b, GSB_ID_DEC_EXPIRY_TB, 0x123456000);
    gsb_put(&b, GSB_ID_NOP, NULL, 0);
    GsbView v;
    GsbResult res;
    assert_int_equal(gsb_validate(mem, sizeof(mem), GSB_OP_RUN_INPUT, &v, &res), GSB_OK);
    assert_int_equal(v.count, 39);
    assert_int_equal(v.len, gsb_len(&b));
    assert_int_equal(gsb_validate(mem, sizeof(mem), GSB_OP_SET_GUEST, &v, &res), GSB_ERR_SCOPE);
    assert_int_equal(res.index, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validate_when_each_element_each_op_expect_seed_rules),
        cmocka_unit_test(test_validate_when_bad_fourth_expect_index_3_and_code),
        cmocka_unit_test(test_validate_when_several_bad_expect_first),
        cmocka_unit_test(test_validate_when_one_element_breaks_several_rules_expect_order),
        cmocka_unit_test(test_validate_when_get_with_masked_bits_expect_ok),
        cmocka_unit_test(test_validate_when_each_lpcr_msr_bit_expect_mask),
        cmocka_unit_test(test_check_elem_when_synthetic_rows_expect_rules),
        cmocka_unit_test(test_validate_when_impossible_op_expect_arg_parameter),
        cmocka_unit_test(test_validate_when_buffer_short_expect_buffer_codes),
        cmocka_unit_test(test_err_hcall_when_each_error_expect_papr_code),
        cmocka_unit_test(test_validate_when_linux_run_input_expect_ok),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
