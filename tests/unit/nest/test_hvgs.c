/*
 * test_hvgs.c - nest/hvgs.c: the hv_guest_state / pt_regs codec byte for
 * byte in both byte orders and both versions (offsets written out here
 * independently of include/ppc/hvgs.h), the version/size/vcpu/TM checks,
 * the L2 state rules (LPCR, MSR, HFSCR, DAWRX, CIABR, timebase, HDEC) and
 * the write-back per exit vector.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nest/hvgs.h"
#include "nest/nest_int.h"
#include "ppc/excp.h"
#include "ppc/hcall.h"
#include "ppc/lpcr.h"
#include "ppc/msr.h"

/* The layout as papr-nested.md states it: {offset, bytes}. */
static const struct {
    unsigned off, bytes;
} layout[] = {
    { 0, 8 },   { 8, 4 },   { 12, 4 },  { 16, 8 },  { 24, 8 },  { 32, 8 },  { 40, 8 },  { 48, 8 },
    { 56, 8 },  { 64, 8 },  { 72, 8 },  { 80, 8 },  { 88, 8 },  { 96, 8 },  { 104, 8 }, { 112, 8 },
    { 120, 8 }, { 128, 8 }, { 136, 8 }, { 144, 8 }, { 152, 8 }, { 160, 8 }, { 168, 8 }, { 176, 8 },
    { 184, 8 }, { 192, 8 }, { 200, 8 }, { 208, 8 }, { 216, 8 }, { 224, 8 }, { 232, 8 }, { 240, 8 },
};
#define NFIELDS_V1 30
#define NFIELDS_V2 32

static void put(uint8_t *p, unsigned bytes, uint64_t v, bool be)
{
    for (unsigned i = 0; i < bytes; i++) {
        unsigned shift = be ? 8 * (bytes - 1 - i) : 8 * i;
        p[i] = (uint8_t)(v >> shift);
    }
}

/* A distinctive value for field i (fits its width; version set separately). */
static uint64_t field_value(unsigned i)
{
    uint64_t v = 0x0102030405060708ULL * (i + 1) ^ ((uint64_t)i << 56);
    return layout[i].bytes == 4 ? v & 0xFFFFFFFFu : v;
}

/* The decoded struct's fields in layout order. */
static void fields_of(const NestHvgs *h, uint64_t *out)
{
    const uint64_t v[] = { h->version, h->lpid, h->vcpu_token, h->lpcr, h->pcr, h->amor, h->dpdes, h->hfscr,
                           (uint64_t)h->tb_offset, h->dawr0, h->dawrx0, h->ciabr, h->hdec_expiry, h->purr,
                           h->spurr, h->ic, h->vtb, h->hdar, h->hdsisr, h->heir, h->asdr, h->srr0, h->srr1,
                           h->sprg[0], h->sprg[1], h->sprg[2], h->sprg[3], h->pidr, h->cfar, h->ppr, h->dawr1,
                           h->dawrx1 };
    memcpy(out, v, sizeof v);
}

static void build(uint8_t *buf, unsigned version, bool be)
{
    unsigned n = version == 1 ? NFIELDS_V1 : NFIELDS_V2;
    memset(buf, 0xEE, HVGS_SIZE_MAX);
    for (unsigned i = 0; i < n; i++) {
        put(buf + layout[i].off, layout[i].bytes, i == 0 ? version : field_value(i), be);
    }
}

static void check_codec(unsigned version, bool be)
{
    uint8_t buf[HVGS_SIZE_MAX + 8], out[HVGS_SIZE_MAX + 8];
    NestHvgs h;
    uint64_t got[NFIELDS_V2];
    size_t size = version == 1 ? 232 : 248;
    unsigned n = version == 1 ? NFIELDS_V1 : NFIELDS_V2;

    build(buf, version, be);
    assert_int_equal(nest_hvgs_size(version), size);
    assert_int_equal(nest_hvgs_decode(buf, size, be, &h), H_SUCCESS);
    fields_of(&h, got);
    assert_int_equal(got[0], version);
    for (unsigned i = 1; i < n; i++) {
        assert_int_equal(got[i], field_value(i));
    }
    for (unsigned i = n; i < NFIELDS_V2; i++) {
        assert_int_equal(got[i], 0); /* version 1: dawr1/dawrx1 not read */
    }
    memset(out, 0xEE, sizeof out);
    nest_hvgs_encode(&h, be, out);
    assert_memory_equal(out, buf, size);
    for (size_t i = size; i < sizeof out; i++) {
        assert_int_equal(out[i], 0xEE); /* nothing beyond the version's size */
    }
}

static void test_hvgs_codec_v1_v2_both_orders_byte_exact(void **state)
{
    (void)state;
    check_codec(1, true);
    check_codec(1, false);
    check_codec(2, true);
    check_codec(2, false);
}

static void test_hvgs_u32_fields_follow_byte_order(void **state)
{
    (void)state;
    uint8_t buf[HVGS_SIZE_MAX];
    NestHvgs h;
    build(buf, 2, true);
    put(buf + 8, 4, 0x00000007, true);
    put(buf + 12, 4, 0x00000003, true);
    assert_int_equal(nest_hvgs_decode(buf, sizeof buf, true, &h), H_SUCCESS);
    assert_int_equal(h.lpid, 7);
    assert_int_equal(h.vcpu_token, 3);
    /* The same bytes read little-endian are other numbers: version 2 BE is 2 << 56 LE. */
    assert_int_equal(nest_hvgs_decode(buf, sizeof buf, false, &h), H_P2);
}

static void test_hvgs_version_rules(void **state)
{
    (void)state;
    uint8_t buf[HVGS_SIZE_MAX];
    NestHvgs h;
    for (int be = 0; be < 2; be++) {
        build(buf, 2, be);
        put(buf, 8, 3, be);
        assert_int_equal(nest_hvgs_decode(buf, sizeof buf, be, &h), H_P2);
        put(buf, 8, ~0ULL, be);
        assert_int_equal(nest_hvgs_decode(buf, sizeof buf, be, &h), H_P2);
        put(buf, 8, 0, be);
        assert_int_equal(nest_hvgs_decode(buf, sizeof buf, be, &h), H_PARAMETER);
        put(buf, 8, 2, be);
        assert_int_equal(nest_hvgs_decode(buf, 247, be, &h), H_PARAMETER); /* short */
        assert_int_equal(nest_hvgs_decode(buf, 7, be, &h), H_PARAMETER);
        put(buf, 8, 1, be);
        assert_int_equal(nest_hvgs_decode(buf, 232, be, &h), H_SUCCESS);
        assert_int_equal(nest_hvgs_decode(buf, 231, be, &h), H_PARAMETER);
    }
    assert_int_equal(nest_hvgs_size(0), 0);
    assert_int_equal(nest_hvgs_size(3), 0);
}

static void test_ptregs_codec_both_orders(void **state)
{
    (void)state;
    uint8_t buf[PTREGS_SIZE], out[PTREGS_SIZE];
    NestPtRegs r;
    for (int be = 0; be < 2; be++) {
        for (unsigned i = 0; i < 44; i++) {
            put(buf + 8 * i, 8, 0x1111111111111111ULL * (i % 15 + 1) + i, be);
        }
        nest_ptregs_decode(buf, be, &r);
        for (unsigned i = 0; i < 32; i++) {
            assert_int_equal(r.gpr[i], 0x1111111111111111ULL * (i % 15 + 1) + i);
        }
        const uint64_t tail[] = { r.nip, r.msr, r.orig_gpr3, r.ctr, r.link, r.xer,
                                  r.ccr, r.softe, r.trap, r.dar, r.dsisr, r.result };
        for (unsigned i = 0; i < 12; i++) {
            assert_int_equal(tail[i], 0x1111111111111111ULL * ((32 + i) % 15 + 1) + 32 + i);
        }
        nest_ptregs_encode(&r, be, out);
        assert_memory_equal(out, buf, PTREGS_SIZE);
    }
}

static NestL1Ctx ctx_default(void)
{
    return (NestL1Ctx){ .big_endian = false, .l1_msr = MSR_SF | MSR_LE, .l1_lpcr = 0,
                        .l1_tb_offset = 0, .l1_hfscr_permitted = ~0ULL,
                        .max_vcpu_token = NEST_DEFAULT_MAX_VCPU_TOKEN };
}

static void test_hvgs_validate_vcpu_token_and_tm(void **state)
{
    (void)state;
    NestHvgs h = { .version = 2, .lpid = 1 };
    NestPtRegs r = { .msr = MSR_SF };
    NestL1Ctx c = ctx_default();
    h.vcpu_token = NEST_DEFAULT_MAX_VCPU_TOKEN - 1;
    assert_int_equal(nest_hvgs_validate(&h, &r, &c), H_SUCCESS);
    h.vcpu_token = NEST_DEFAULT_MAX_VCPU_TOKEN;
    assert_int_equal(nest_hvgs_validate(&h, &r, &c), H_PARAMETER);
    h.vcpu_token = 0;
    /* TM: the L2 may be in a transaction only if the L1 called suspended. */
    r.msr = MSR_SF | MSR_TS_SUSPENDED;
    assert_int_equal(nest_hvgs_validate(&h, &r, &c), H_BAD_MODE);
    c.l1_msr |= MSR_TS_SUSPENDED;
    assert_int_equal(nest_hvgs_validate(&h, &r, &c), H_SUCCESS);
    r.msr = MSR_SF;
    assert_int_equal(nest_hvgs_validate(&h, &r, &c), H_BAD_MODE);
    c.l1_msr = MSR_SF | MSR_TS_TRANSACTIONAL;
    assert_int_equal(nest_hvgs_validate(&h, &r, &c), H_BAD_MODE);
}

static void test_l2_lpcr_rules(void **state)
{
    (void)state;
    const uint64_t choice = LPCR_DPFD | LPCR_ILE | LPCR_AIL | LPCR_LD | LPCR_MER | LPCR_TC;
    const uint64_t forced = LPCR_HR | LPCR_UPRT | LPCR_GTSE | LPCR_HVICE | LPCR_HDICE;
    /* L1 asks for everything: gets its choice bits, the forced ones, never LPES; the rest from L1's LPCR (0). */
    assert_int_equal(nest_l2_lpcr(0, ~0ULL), choice | forced);
    /* Nothing asked, L1 LPCR all ones: only non-choice bits come from the L1, minus LPES. */
    assert_int_equal(nest_l2_lpcr(~0ULL, 0), ~choice & ~LPCR_LPES);
    assert_int_equal(nest_l2_lpcr(LPCR_LPES | LPCR_EVIRT, LPCR_LPES), forced | LPCR_EVIRT);
    assert_int_equal(nest_l2_lpcr(0, LPCR_ILE | LPCR_HEIC), forced | LPCR_ILE);
}

static void test_l2_msr_hfscr_dawrx_ciabr_rules(void **state)
{
    (void)state;
    assert_int_equal(nest_l2_msr(MSR_HV | MSR_SF | MSR_PR), MSR_SF | MSR_PR | MSR_ME);
    assert_int_equal(nest_l2_msr(0), MSR_ME);
    /* HFSCR: the cause byte always kept; facilities only those the L1 may grant. */
    assert_int_equal(nest_l2_hfscr(~0ULL, 0x0F), HFSCR_IC_MASK | 0x0F);
    assert_int_equal(nest_l2_hfscr(0x0500000000000003ULL, 0x1), 0x0500000000000001ULL);
    assert_int_equal(nest_l2_dawrx(DAWRX_HYP | DAWRX_PRIV | DAWRX_PRO | 0x3F0), DAWRX_PRIV | DAWRX_PRO | 0x3F0);
    assert_int_equal(nest_l2_ciabr(0x1000 | CIABR_PRIV_HYPER), 0x1000);
    assert_int_equal(nest_l2_ciabr(0x1000 | 2), 0x1002); /* privileged match stays */
    assert_int_equal(nest_l2_ciabr(0x1000 | 1), 0x1001); /* problem-state match stays */
}

static void test_l2_state_derive_and_timebase(void **state)
{
    (void)state;
    NestHvgs h = { .version = 1, .lpid = 5, .lpcr = LPCR_ILE, .pcr = 0x12, .amor = 0xF0, .dpdes = 1,
                   .hfscr = 0x07, .tb_offset = -1000, .dawr0 = 0x4000, .dawrx0 = DAWRX_HYP | DAWRX_PRO,
                   .ciabr = 0x8000 | CIABR_PRIV_HYPER, .hdec_expiry = 50000, .purr = 11, .spurr = 12, .ic = 13,
                   .vtb = 14, .srr0 = 15, .srr1 = 16, .sprg = { 17, 18, 19, 20 }, .pidr = 21, .cfar = 22,
                   .ppr = 23 };
    NestPtRegs r = { .nip = 0x100, .msr = MSR_HV | MSR_SF | MSR_LE, .ctr = 3, .link = 4, .xer = 5, .ccr = 6 };
    for (int i = 0; i < 32; i++) {
        r.gpr[i] = 100 + i;
    }
    NestL1Ctx c = ctx_default();
    c.l1_tb_offset = 300;
    c.l1_hfscr_permitted = 0x3;
    NestL2State l2;
    nest_l2_state_derive(&h, &r, &c, &l2);
    assert_int_equal(l2.msr, MSR_SF | MSR_LE | MSR_ME);
    assert_int_equal(l2.nip, 0x100);
    assert_int_equal(l2.gpr[31], 131);
    assert_int_equal(l2.lr, 4);
    assert_int_equal(l2.cr, 6);
    assert_int_equal(l2.tb_offset, 300 - 1000);
    assert_int_equal(l2.hdec_expiry, 50000 - 300); /* in L0 timebase */
    assert_int_equal(nest_l2_hdec(&l2, 49000), 700);
    assert_int_equal(nest_l2_hdec(&l2, 50000), -300);
    assert_int_equal(l2.hfscr, 0x03);
    assert_int_equal(l2.dawrx0, DAWRX_PRO);
    assert_int_equal(l2.ciabr, 0x8000);
    assert_int_equal(l2.amor, 0xF0);
    assert_int_equal(l2.pcr, 0x12);
    assert_int_equal(l2.sprg[3], 20);
    assert_int_equal(l2.ppr, 23);
    assert_true(l2.lpcr & LPCR_ILE);
    assert_true(l2.lpcr & LPCR_HR);
}

static void test_l2_writeback_per_vector(void **state)
{
    (void)state;
    const NestHvgs in = { .version = 2, .lpid = 5, .lpcr = 0xAA, .pcr = 0xBB, .hfscr = 0x0000000000000007ULL,
                          .hdar = 1, .hdsisr = 2, .heir = 3, .asdr = 4 };
    const NestPtRegs rin = { .orig_gpr3 = 0x77, .softe = 1, .trap = 0xC00, .dar = 0x99, .dsisr = 0x88,
                             .result = 0x66 };
    NestL2State l2 = { .nip = 0x2000, .msr = MSR_SF, .ctr = 7, .lr = 8, .xer = 9, .cr = 10, .lpcr = 0xFFFF,
                       .hfscr = 0x1200000000000003ULL, .dpdes = 1, .purr = 2, .spurr = 3, .ic = 4, .vtb = 5,
                       .srr0 = 6, .srr1 = 7, .sprg = { 8, 9, 10, 11 }, .pidr = 12, .cfar = 13, .ppr = 14 };
    l2.gpr[3] = 0x33;
    const uint32_t vectors[] = { EXCP_HDSI, EXCP_HISI, EXCP_HEAI, EXCP_HFAC_UNAVAIL, EXCP_SYSCALL, EXCP_HDECR };
    for (unsigned v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
        NestHvgs h = in;
        NestPtRegs r = rin;
        NestExit x = { vectors[v], 0x1111, 0x2222, 0x3333, 0x4444, 0x2A00000000000003ULL };
        nest_l2_writeback(&l2, &x, &h, &r);
        /* always */
        assert_int_equal(h.dpdes, 1);
        assert_int_equal(h.vtb, 5);
        assert_int_equal(h.srr1, 7);
        assert_int_equal(h.sprg[2], 10);
        assert_int_equal(h.ppr, 14);
        assert_int_equal(r.nip, 0x2000);
        assert_int_equal(r.gpr[3], 0x33);
        assert_int_equal(r.link, 8);
        assert_int_equal(r.ccr, 10);
        /* as the L1 gave them */
        assert_int_equal(h.lpcr, 0xAA);
        assert_int_equal(h.pcr, 0xBB);
        assert_int_equal(r.orig_gpr3, 0x77);
        assert_int_equal(r.trap, 0xC00);
        assert_int_equal(r.result, 0x66);
        /* per vector */
        assert_int_equal(h.hdar, vectors[v] == EXCP_HDSI ? 0x1111 : 1);
        assert_int_equal(h.hdsisr, vectors[v] == EXCP_HDSI ? 0x2222 : 2);
        assert_int_equal(h.asdr, vectors[v] == EXCP_HDSI || vectors[v] == EXCP_HISI ? 0x3333 : 4);
        assert_int_equal(h.heir, vectors[v] == EXCP_HEAI ? 0x4444 : 3);
        assert_int_equal(h.hfscr, vectors[v] == EXCP_HFAC_UNAVAIL ? 0x2A00000000000007ULL : 7);
    }
}

/* nest_int.h's whole-field loads and stores: every size, both orders, any alignment, byte-exact. */
static void test_byte_order_helpers_any_alignment(void **state)
{
    static const unsigned sizes[] = { 1, 2, 3, 4, 5, 8 };
    const uint64_t v = 0x0123456789ABCDEFULL;
    for (unsigned k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        unsigned n = sizes[k];
        uint64_t want_v = n == 8 ? v : v & ((1ULL << (8 * n)) - 1);
        for (unsigned off = 0; off < 8; off++) {
            for (int be = 0; be < 2; be++) {
                uint8_t buf[24], want[24];
                memset(buf, 0xEE, sizeof buf);
                memcpy(want, buf, sizeof want);
                for (unsigned i = 0; i < n; i++) /* byte i of the field: big-endian = most significant first */
                    want[off + i] = (uint8_t)(want_v >> (8 * (be ? n - 1 - i : i)));
                nest_st(buf + off, n, v, be);
                assert_memory_equal(buf, want, sizeof buf); /* no byte outside the field written */
                assert_int_equal(nest_ld(buf + off, n, be), want_v);
                assert_int_equal(be ? nest_ld_be(buf + off, n) : nest_ld_le(buf + off, n), want_v);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hvgs_codec_v1_v2_both_orders_byte_exact),
        cmocka_unit_test(test_hvgs_u32_fields_follow_byte_order),
        cmocka_unit_test(test_hvgs_version_rules),
        cmocka_unit_test(test_ptregs_codec_both_orders),
        cmocka_unit_test(test_hvgs_validate_vcpu_token_and_tm),
        cmocka_unit_test(test_l2_lpcr_rules),
        cmocka_unit_test(test_l2_msr_hfscr_dawrx_ciabr_rules),
        cmocka_unit_test(test_l2_state_derive_and_timebase),
        cmocka_unit_test(test_l2_writeback_per_vector),
        cmocka_unit_test(test_byte_order_helpers_any_alignment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
