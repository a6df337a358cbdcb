/*
 * test_loadstore_decode.c - cpu/insn-loadstore.decode against the GNU
 * assembler: every row below is a word assembled by powerpc64le-linux-gnu-as
 * (-mpower9, big-endian object so that lmw/lswi assemble) from the mnemonic
 * beside it, and must decode to the named pattern; the displacement, pair
 * and count fields must come out right; and the reserved-bit forms must be
 * illegal or not exactly as on QEMU 7.2 (firmware/tests/isa/{ldst,string,
 * cache,atomic}.c measure them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/cpu.h"

typedef struct {
    uint32_t word;
    uint16_t id;
    const char *text;
} DecodeRow;

/* Generated with the GNU assembler (see the file header). */
static const DecodeRow rows[] = {
    { 0x8864fff8, INSN_LBZ, "lbz 3,-8(4)" },
    { 0x8c640008, INSN_LBZU, "lbzu 3,8(4)" },
    { 0xa0647ffe, INSN_LHZ, "lhz 3,0x7ffe(4)" },
    { 0xa464fffe, INSN_LHZU, "lhzu 3,-2(4)" },
    { 0xa8640006, INSN_LHA, "lha 3,6(4)" },
    { 0xac64fffa, INSN_LHAU, "lhau 3,-6(4)" },
    { 0x8064fffc, INSN_LWZ, "lwz 3,-4(4)" },
    { 0x84640004, INSN_LWZU, "lwzu 3,4(4)" },
    { 0xe864fff8, INSN_LD, "ld 3,-8(4)" },
    { 0xe8640009, INSN_LDU, "ldu 3,8(4)" },
    { 0xe864fff6, INSN_LWA, "lwa 3,-12(4)" },
    { 0x7c6428ae, INSN_LBZX, "lbzx 3,4,5" },
    { 0x7c6428ee, INSN_LBZUX, "lbzux 3,4,5" },
    { 0x7c642a2e, INSN_LHZX, "lhzx 3,4,5" },
    { 0x7c642a6e, INSN_LHZUX, "lhzux 3,4,5" },
    { 0x7c642aae, INSN_LHAX, "lhax 3,4,5" },
    { 0x7c642aee, INSN_LHAUX, "lhaux 3,4,5" },
    { 0x7c64282e, INSN_LWZX, "lwzx 3,4,5" },
    { 0x7c64286e, INSN_LWZUX, "lwzux 3,4,5" },
    { 0x7c642aaa, INSN_LWAX, "lwax 3,4,5" },
    { 0x7c642aea, INSN_LWAUX, "lwaux 3,4,5" },
    { 0x7c64282a, INSN_LDX, "ldx 3,4,5" },
    { 0x7c64286a, INSN_LDUX, "ldux 3,4,5" },
    { 0x9864ffff, INSN_STB, "stb 3,-1(4)" },
    { 0x9c640001, INSN_STBU, "stbu 3,1(4)" },
    { 0xb0640002, INSN_STH, "sth 3,2(4)" },
    { 0xb464fffe, INSN_STHU, "sthu 3,-2(4)" },
    { 0x90640004, INSN_STW, "stw 3,4(4)" },
    { 0x9464fffc, INSN_STWU, "stwu 3,-4(4)" },
    { 0xf8640010, INSN_STD, "std 3,16(4)" },
    { 0xf864fff1, INSN_STDU, "stdu 3,-16(4)" },
    { 0x7c6429ae, INSN_STBX, "stbx 3,4,5" },
    { 0x7c6429ee, INSN_STBUX, "stbux 3,4,5" },
    { 0x7c642b2e, INSN_STHX, "sthx 3,4,5" },
    { 0x7c642b6e, INSN_STHUX, "sthux 3,4,5" },
    { 0x7c64292e, INSN_STWX, "stwx 3,4,5" },
    { 0x7c64296e, INSN_STWUX, "stwux 3,4,5" },
    { 0x7c64292a, INSN_STDX, "stdx 3,4,5" },
    { 0x7c64296a, INSN_STDUX, "stdux 3,4,5" },
    { 0xe0c4ffe0, INSN_LQ, "lq 6,-32(4)" },
    { 0xf8c40032, INSN_STQ, "stq 6,48(4)" },
    { 0x7c642e2c, INSN_LHBRX, "lhbrx 3,4,5" },
    { 0x7c642c2c, INSN_LWBRX, "lwbrx 3,4,5" },
    { 0x7c642c28, INSN_LDBRX, "ldbrx 3,4,5" },
    { 0x7c642f2c, INSN_STHBRX, "sthbrx 3,4,5" },
    { 0x7c642d2c, INSN_STWBRX, "stwbrx 3,4,5" },
    { 0x7c642d28, INSN_STDBRX, "stdbrx 3,4,5" },
    { 0xbb44fff8, INSN_LMW, "lmw 26,-8(4)" },
    { 0xbf840008, INSN_STMW, "stmw 28,8(4)" },
    { 0x7ca43caa, INSN_LSWI, "lswi 5,4,7" },
    { 0x7ca4342a, INSN_LSWX, "lswx 5,4,6" },
    { 0x7ca405aa, INSN_STSWI, "stswi 5,4,0" },
    { 0x7ca4352a, INSN_STSWX, "stswx 5,4,6" },
    { 0x7c642868, INSN_LBARX, "lbarx 3,4,5" },
    { 0x7c6428e9, INSN_LHARX, "lharx 3,4,5,1" },
    { 0x7c642828, INSN_LWARX, "lwarx 3,4,5" },
    { 0x7c6428a9, INSN_LDARX, "ldarx 3,4,5,1" },
    { 0x7cc42a28, INSN_LQARX, "lqarx 6,4,5" },
    { 0x7c642d6d, INSN_STBCX, "stbcx. 3,4,5" },
    { 0x7c642dad, INSN_STHCX, "sthcx. 3,4,5" },
    { 0x7c64292d, INSN_STWCX, "stwcx. 3,4,5" },
    { 0x7c6429ad, INSN_STDCX, "stdcx. 3,4,5" },
    { 0x7cc4296d, INSN_STQCX, "stqcx. 6,4,5" },
    { 0x7c64c48c, INSN_LWAT, "lwat 3,4,24" },
    { 0x7c6444cc, INSN_LDAT, "ldat 3,4,8" },
    { 0x7c640d8c, INSN_STWAT, "stwat 3,4,1" },
    { 0x7c64c5cc, INSN_STDAT, "stdat 3,4,24" },
    { 0x7c042fec, INSN_DCBZ, "dcbz 4,5" },
    { 0x7c0428ac, INSN_DCBF, "dcbf 4,5" },
    { 0x7c2428ac, INSN_DCBF, "dcbfl 4,5" },
    { 0x7c04286c, INSN_DCBST, "dcbst 4,5" },
    { 0x7c042a2c, INSN_DCBT, "dcbt 4,5" },
    { 0x7e042a2c, INSN_DCBT, "dcbt 4,5,16" },
    { 0x7c0429ec, INSN_DCBTST, "dcbtst 4,5" },
    { 0x7c042fac, INSN_ICBI, "icbi 4,5" },
    { 0x7c042bac, INSN_DCBI, "dcbi 4,5" },
    { 0x7c0004ac, INSN_SYNC, "sync" },
    { 0x7c2004ac, INSN_SYNC, "lwsync" },
    { 0x7c4004ac, INSN_SYNC, "ptesync" },
    { 0x7c0006ac, INSN_EIEIO, "eieio" },
    { 0x4c00012c, INSN_ISYNC, "isync" },
    { 0x7c00003c, INSN_WAIT, "wait" },
    { 0x7c00068c, INSN_CPABORT, "cpabort" },
};

static void test_loadstore_decode_when_assembled_matches_pattern(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        DecodedInsn d;
        decode_insn(rows[i].word, &d);
        if (d.id != rows[i].id)
            fail_msg("%s (%08x): decoded as %s", rows[i].text, rows[i].word, insn_names[d.id]);
    }
}

static DecodedInsn decode(uint32_t word)
{
    DecodedInsn d;
    decode_insn(word, &d);
    return d;
}

static void test_loadstore_decode_when_fields_extracted_are_exact(void **state)
{
    (void)state;
    DecodedInsn d = decode(0x8864fff8);             /* lbz 3,-8(4) */
    assert_int_equal(d.a.D_mem.rt, 3);
    assert_int_equal(d.a.D_mem.ra, 4);
    assert_int_equal(d.a.D_mem.d, -8);
    d = decode(0xa0647ffe);                         /* lhz 3,0x7ffe(4) */
    assert_int_equal(d.a.D_mem.d, 0x7ffe);
    d = decode(0xe864fff8);                         /* ld 3,-8(4): DS */
    assert_int_equal(d.id, INSN_LD);
    assert_int_equal(d.a.D_mem.d, -8);
    d = decode(0xe864fff6);                         /* lwa 3,-12(4) */
    assert_int_equal(d.id, INSN_LWA);
    assert_int_equal(d.a.D_mem.d, -12);
    d = decode(0xe0c4ffe0);                         /* lq 6,-32(4): DQ, pair */
    assert_int_equal(d.a.D_pair.rtp, 3);
    assert_int_equal(d.a.D_pair.ra, 4);
    assert_int_equal(d.a.D_pair.d, -32);
    d = decode(0xf8c40032);                         /* stq 6,48(4) */
    assert_int_equal(d.id, INSN_STQ);
    assert_int_equal(d.a.D_pair.rtp, 3);
    assert_int_equal(d.a.D_pair.d, 48);
    d = decode(0x7ca43caa);                         /* lswi 5,4,7 */
    assert_int_equal(d.a.X_str.rt, 5);
    assert_int_equal(d.a.X_str.ra, 4);
    assert_int_equal(d.a.X_str.nb, 7);
    d = decode(0x7c64c48c);                         /* lwat 3,4,24 */
    assert_int_equal(d.id, INSN_LWAT);
    assert_int_equal(d.a.X_amo.fc, 24);
    d = decode(0x7cc42a28);                         /* lqarx 6,4,5 */
    assert_int_equal(d.a.X_pair.rtp, 3);
    assert_int_equal(d.a.X_pair.rb, 5);
}

typedef struct {
    uint32_t word;
    bool illegal;
    const char *text;
} FormRow;

/* Reserved-bit forms, as QEMU 7.2 runs them (illegal = program interrupt). */
static const FormRow forms[] = {
    { 0x7c6428af, false, "lbzx rc=1" },
    { 0x7c6429af, false, "stbx rc=1" },
    { 0x7c642c2d, true,  "lwbrx rc=1" },
    { 0x7c642d2d, false, "stwbrx rc=1" },
    { 0xe8640003, true,  "opcode 58 xo=3" },
    { 0xf8640003, true,  "opcode 62 xo=3" },
    { 0xe0c4ffe5, false, "lq dq bits 28:31 = 5" },
    { 0xe0e40000, true,  "lq rt odd" },
    { 0xf8e40002, true,  "stq rs odd" },
    { 0x7c642829, false, "lwarx eh=1" },
    { 0x7c64292c, false, "stwcx rc=0" },
    { 0x7ce4296d, true,  "stqcx. rs odd" },
    { 0x7ca43cab, true,  "lswi rc=1" },
    { 0x7c64c48d, true,  "lwat rc=1" },
    { 0x7c242fec, false, "dcbz rt=1 (dcbzl)" },
    { 0x7c442fec, true,  "dcbz rt=2" },
    { 0x7c4428ac, true,  "dcbf l=2" },
    { 0x7c24286c, true,  "dcbst rt=1" },
    { 0x7e042a2c, false, "dcbt th=16" },
    { 0x7c042a2d, true,  "dcbt rc=1" },
    { 0x7c242fac, true,  "icbi rt=1" },
    { 0x7c04282c, true,  "icbt" },
    { 0x7c6004ac, false, "sync l=3" },
    { 0x7c8004ac, true,  "sync bit 8" },
    { 0x7e0006ac, false, "eieio bit 6" },
    { 0x7d0006ac, true,  "eieio bit 7" },
    { 0x4c20012c, true,  "isync rt" },
    { 0x7c03003c, false, "wait pl=3" },
    { 0x7c20003c, true,  "wait wc=1" },
    { 0x7c04003c, true,  "wait ra=4" },
    { 0x7c00068d, true,  "cpabort rc=1" },
    { 0x7c002e0c, true,  "copy" },
};

static void test_loadstore_decode_when_reserved_bits_set_matches_qemu(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        DecodedInsn d = decode(forms[i].word);
        if ((d.id == INSN_INVALID) != forms[i].illegal)
            fail_msg("%s (%08x): decoded as %s", forms[i].text, forms[i].word,
                     insn_names[d.id]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loadstore_decode_when_assembled_matches_pattern),
        cmocka_unit_test(test_loadstore_decode_when_fields_extracted_are_exact),
        cmocka_unit_test(test_loadstore_decode_when_reserved_bits_set_matches_qemu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
