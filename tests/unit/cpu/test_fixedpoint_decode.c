/*
 * test_fixedpoint_decode.c - cpu/insn-fixedpoint.decode against the GNU
 * assembler: every row below is a word assembled by
 * powerpc64le-linux-gnu-as (-mpower9) from the mnemonic beside it, and
 * must decode to the named pattern; the split and shifted fields (MD/MDS,
 * XS, DX) must come out right; reserved-bit forms must be illegal or not
 * exactly as on QEMU 7.2; and a few words run through cpu_run() end to end.
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
    { 0x3864fffe, INSN_ADDI, "addi 3,4,-2" },
    { 0x3c647fff, INSN_ADDIS, "addis 3,4,0x7fff" },
    { 0x30640005, INSN_ADDIC, "addic 3,4,5" },
    { 0x3464fffb, INSN_ADDIC_rc, "addic. 3,4,-5" },
    { 0x20640009, INSN_SUBFIC, "subfic 3,4,9" },
    { 0x4c7effc5, INSN_ADDPCIS, "addpcis 3,-3" },
    { 0x4ce00004, INSN_ADDPCIS, "lnia 7" },
    { 0x7c642a14, INSN_ADD, "add 3,4,5" },
    { 0x7c642e15, INSN_ADD, "addo. 3,4,5" },
    { 0x7c642815, INSN_ADDC, "addc. 3,4,5" },
    { 0x7c642d14, INSN_ADDE, "addeo 3,4,5" },
    { 0x7c6401d4, INSN_ADDME, "addme 3,4" },
    { 0x7c640595, INSN_ADDZE, "addzeo. 3,4" },
    { 0x7c642850, INSN_SUBF, "subf 3,4,5" },
    { 0x7c642c10, INSN_SUBFC, "subfco 3,4,5" },
    { 0x7c642911, INSN_SUBFE, "subfe. 3,4,5" },
    { 0x7c6401d0, INSN_SUBFME, "subfme 3,4" },
    { 0x7c640190, INSN_SUBFZE, "subfze 3,4" },
    { 0x7c6404d1, INSN_NEG, "nego. 3,4" },
    { 0x7c642954, INSN_ADDEX, "addex 3,4,5,0" },
    { 0x1c64fff9, INSN_MULLI, "mulli 3,4,-7" },
    { 0x7c642dd7, INSN_MULLW, "mullwo. 3,4,5" },
    { 0x7c642897, INSN_MULHW, "mulhw. 3,4,5" },
    { 0x7c642816, INSN_MULHWU, "mulhwu 3,4,5" },
    { 0x7c6429d2, INSN_MULLD, "mulld 3,4,5" },
    { 0x7c642892, INSN_MULHD, "mulhd 3,4,5" },
    { 0x7c642813, INSN_MULHDU, "mulhdu. 3,4,5" },
    { 0x106429b0, INSN_MADDHD, "maddhd 3,4,5,6" },
    { 0x106429b1, INSN_MADDHDU, "maddhdu 3,4,5,6" },
    { 0x106429b3, INSN_MADDLD, "maddld 3,4,5,6" },
    { 0x7c642bd6, INSN_DIVW, "divw 3,4,5" },
    { 0x7c642f97, INSN_DIVWU, "divwuo. 3,4,5" },
    { 0x7c642b56, INSN_DIVWE, "divwe 3,4,5" },
    { 0x7c642b16, INSN_DIVWEU, "divweu 3,4,5" },
    { 0x7c642bd2, INSN_DIVD, "divd 3,4,5" },
    { 0x7c642b92, INSN_DIVDU, "divdu 3,4,5" },
    { 0x7c642f52, INSN_DIVDE, "divdeo 3,4,5" },
    { 0x7c642b12, INSN_DIVDEU, "divdeu 3,4,5" },
    { 0x7c642e16, INSN_MODSW, "modsw 3,4,5" },
    { 0x7c642a16, INSN_MODUW, "moduw 3,4,5" },
    { 0x7c642e12, INSN_MODSD, "modsd 3,4,5" },
    { 0x7c642a12, INSN_MODUD, "modud 3,4,5" },
    { 0x7c6105e6, INSN_DARN, "darn 3,1" },
    { 0x2ea4fff7, INSN_CMPI, "cmpi 5,1,4,-9" },
    { 0x2b04ffff, INSN_CMPLI, "cmpli 6,0,4,0xffff" },
    { 0x7fa42800, INSN_CMP, "cmp 7,1,4,5" },
    { 0x7c842840, INSN_CMPL, "cmpl 1,0,4,5" },
    { 0x7d242980, INSN_CMPRB, "cmprb 2,1,4,5" },
    { 0x7d8429c0, INSN_CMPEQB, "cmpeqb 3,4,5" },
    { 0x7c740100, INSN_SETB, "setb 3,5" },
    { 0x7c642c5e, INSN_ISEL, "isel 3,4,5,17" },
    { 0x70838001, INSN_ANDI_rc, "andi. 3,4,0x8001" },
    { 0x7483ffff, INSN_ANDIS_rc, "andis. 3,4,0xffff" },
    { 0x60830001, INSN_ORI, "ori 3,4,1" },
    { 0x64830002, INSN_ORIS, "oris 3,4,2" },
    { 0x68830003, INSN_XORI, "xori 3,4,3" },
    { 0x6c830004, INSN_XORIS, "xoris 3,4,4" },
    { 0x7c832838, INSN_AND, "and 3,4,5" },
    { 0x7c832b79, INSN_OR, "or. 3,4,5" },
    { 0x7c832a78, INSN_XOR, "xor 3,4,5" },
    { 0x7c832bb8, INSN_NAND, "nand 3,4,5" },
    { 0x7c8328f8, INSN_NOR, "nor 3,4,5" },
    { 0x7c832a38, INSN_EQV, "eqv 3,4,5" },
    { 0x7c832878, INSN_ANDC, "andc 3,4,5" },
    { 0x7c832b38, INSN_ORC, "orc 3,4,5" },
    { 0x7c830774, INSN_EXTSB, "extsb 3,4" },
    { 0x7c830735, INSN_EXTSH, "extsh. 3,4" },
    { 0x7c8307b4, INSN_EXTSW, "extsw 3,4" },
    { 0x7c830034, INSN_CNTLZW, "cntlzw 3,4" },
    { 0x7c830074, INSN_CNTLZD, "cntlzd 3,4" },
    { 0x7c830435, INSN_CNTTZW, "cnttzw. 3,4" },
    { 0x7c830474, INSN_CNTTZD, "cnttzd 3,4" },
    { 0x7c8300f4, INSN_POPCNTB, "popcntb 3,4" },
    { 0x7c8302f4, INSN_POPCNTW, "popcntw 3,4" },
    { 0x7c8303f4, INSN_POPCNTD, "popcntd 3,4" },
    { 0x7c830134, INSN_PRTYW, "prtyw 3,4" },
    { 0x7c830174, INSN_PRTYD, "prtyd 3,4" },
    { 0x7c832bf8, INSN_CMPB, "cmpb 3,4,5" },
    { 0x7c8329f8, INSN_BPERMD, "bpermd 3,4,5" },
    { 0x5483298e, INSN_RLWINM, "rlwinm 3,4,5,6,7" },
    { 0x5c83298f, INSN_RLWNM, "rlwnm. 3,4,5,6,7" },
    { 0x5083f83c, INSN_RLWIMI, "rlwimi 3,4,31,0,30" },
    { 0x78832b62, INSN_RLDICL, "rldicl 3,4,37,45" },
    { 0x78830fa5, INSN_RLDICR, "rldicr. 3,4,1,62" },
    { 0x7883088a, INSN_RLDIC, "rldic 3,4,33,2" },
    { 0x7883f86e, INSN_RLDIMI, "rldimi 3,4,63,33" },
    { 0x78832a30, INSN_RLDCL, "rldcl 3,4,5,40" },
    { 0x788329d2, INSN_RLDCR, "rldcr 3,4,5,7" },
    { 0x7c832830, INSN_SLW, "slw 3,4,5" },
    { 0x7c832c30, INSN_SRW, "srw 3,4,5" },
    { 0x7c832e31, INSN_SRAW, "sraw. 3,4,5" },
    { 0x7c83fe70, INSN_SRAWI, "srawi 3,4,31" },
    { 0x7c832836, INSN_SLD, "sld 3,4,5" },
    { 0x7c832c36, INSN_SRD, "srd 3,4,5" },
    { 0x7c832e34, INSN_SRAD, "srad 3,4,5" },
    { 0x7c830e76, INSN_SRADI, "sradi 3,4,33" },
    { 0x7c832e75, INSN_SRADI, "sradi. 3,4,5" },
    { 0x7c8346f6, INSN_EXTSWSLI, "extswsli 3,4,40" },
    { 0x7c833ef5, INSN_EXTSWSLI, "extswsli. 3,4,7" },
    { 0x7c642894, INSN_ADDG6S, "addg6s 3,4,5" },
    { 0x7c830234, INSN_CDTBCD, "cdtbcd 3,4" },
    { 0x7c830274, INSN_CBCDTD, "cbcdtd 3,4" },
    { 0x7c832378, INSN_OR, "mr 3,4" },
    { 0x60000000, INSN_ORI, "nop" },
};

static void test_decode_when_assembled_by_gas_gives_the_pattern(void **state)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        DecodedInsn d;
        decode_insn(rows[i].word, &d);
        if (d.id != rows[i].id)
            fail_msg("%s (0x%08x): decoded as %s, expected %s", rows[i].text, rows[i].word,
                     insn_names[d.id], insn_names[rows[i].id]);
    }
}

static DecodedInsn dec(uint32_t word)
{
    DecodedInsn d;
    decode_insn(word, &d);
    return d;
}

static void test_decode_split_fields(void **state)
{
    DecodedInsn d = dec(0x78832b62);             /* rldicl 3,4,37,45 */
    assert_int_equal(d.a.MD.sh, 37);
    assert_int_equal(d.a.MD.m, 45);
    assert_int_equal(d.a.MD.rc, 0);
    d = dec(0x78830fa5);                         /* rldicr. 3,4,1,62 */
    assert_int_equal(d.a.MD.sh, 1);
    assert_int_equal(d.a.MD.m, 62);
    assert_int_equal(d.a.MD.rc, 1);
    d = dec(0x7883f86e);                         /* rldimi 3,4,63,33 */
    assert_int_equal(d.a.MD.sh, 63);
    assert_int_equal(d.a.MD.m, 33);
    d = dec(0x78832a30);                         /* rldcl 3,4,5,40 */
    assert_int_equal(d.a.MDS.rb, 5);
    assert_int_equal(d.a.MDS.m, 40);
    d = dec(0x7c830e76);                         /* sradi 3,4,33 */
    assert_int_equal(d.a.X_sh.sh, 33);
    d = dec(0x7c8346f6);                         /* extswsli 3,4,40 */
    assert_int_equal(d.a.X_sh.sh, 40);
    d = dec(0x4c7effc5);                         /* addpcis 3,-3 */
    assert_int_equal(d.a.DX.d, -3);
    d = dec(0x2ea4fff7);                         /* cmpi 5,1,4,-9 */
    assert_int_equal(d.a.D_cmp.bf, 5);
    assert_int_equal(d.a.D_cmp.l, 1);
    assert_int_equal(d.a.D_cmp.imm, -9);
    d = dec(0x2b04ffff);                         /* cmpli 6,0,4,0xffff */
    assert_int_equal(d.a.D_cmp.imm, 0xffff);
    d = dec(0x7c642c5e);                         /* isel 3,4,5,17 */
    assert_int_equal(d.a.A_isel.bc, 17);
    d = dec(0x7c740100);                         /* setb 3,5 */
    assert_int_equal(d.a.SETB.bfa, 5);
    d = dec(0x7c642e15);                         /* addo. 3,4,5 */
    assert_int_equal(d.a.XO.oe, 1);
    assert_int_equal(d.a.XO.rc, 1);
    d = dec(0x70838001);                        /* andi. 3,4,0x8001: UI not sign-extended */
    assert_int_equal(d.a.D_ui.ui, 0x8001);
}

/* Reserved bits: QEMU 7.2 checks some (illegal) and ignores others. */
static void test_decode_reserved_forms_follow_qemu(void **state)
{
    static const uint32_t illegal[] = {
        0x7c6428d0, 0x7c6429d4, 0x7c642c96, 0x7c642c92, 0x7c6400f5, 0x7c6428f4, 0x7c642e17,
        0x7c64295f, 0x7c6423f9, 0x7c6421f9, 0x7c6a0100, 0x7c602900, 0x7c600101, 0x7c2321c0,
        0x7c432180, 0x7c032181, 0x7c7c05e6, 0x7c600de6, 0x7c642b54,
    };
    static const uint32_t legal[] = {
        0x7c632000, 0x7c232001, 0x7c232041, 0x2c430005, 0x7c832774, 0x7c832034, 0x7c0321c1,
        0x7c642955, 0x7c642c95, 0x7c832a35,
    };
    for (size_t i = 0; i < sizeof(illegal) / sizeof(illegal[0]); i++) {
        if (dec(illegal[i]).id != INSN_INVALID)
            fail_msg("0x%08x should be illegal, decoded as %s", illegal[i],
                     insn_names[dec(illegal[i]).id]);
    }
    for (size_t i = 0; i < sizeof(legal) / sizeof(legal[0]); i++)
        assert_int_not_equal(dec(legal[i]).id, INSN_INVALID);
}

/* ---- end to end through the run loop -------------------------------------------------- */

#define RAM_SIZE (1u << 20)
#define PVR_P9 0x004e1200u
#define CODE 0x1000

typedef struct Fixture {
    uint8_t *ram;
    CPUState cpu;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof(*f));
    f->ram = calloc(1, RAM_SIZE);
    assert_int_equal(cpu_init(&f->cpu, f->ram, RAM_SIZE, PVR_P9), 0);
    f->cpu.msr = MSR_SF | MSR_ME | MSR_LE;
    cpu_mode_changed(&f->cpu);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    cpu_destroy(&f->cpu);
    free(f->ram);
    free(f);
    return 0;
}

static void run_words(Fixture *f, const uint32_t *words, size_t n)
{
    memcpy(f->ram + CODE, words, 4 * n);   /* host is little-endian, like the guest */
    f->cpu.nip = CODE;
    assert_int_equal(cpu_run(&f->cpu, n), CPU_EXIT_BUDGET);
}

static void test_run_addo_dot_sets_ov_so_and_cr0(void **state)
{
    Fixture *f = *state;
    static const uint32_t prog[] = { 0x7c642e15 };      /* addo. 3,4,5 */
    f->cpu.gpr[4] = 0x7fffffffffffffffULL;
    f->cpu.gpr[5] = 1;
    run_words(f, prog, 1);
    assert_int_equal(f->cpu.gpr[3], 0x8000000000000000ULL);
    assert_int_equal(f->cpu.ov, 1);
    assert_int_equal(f->cpu.ov32, 0);
    assert_int_equal(f->cpu.so, 1);
    assert_int_equal(cpu_get_crf(&f->cpu, 0), CRF_LT | CRF_SO);
}

static void test_run_in_32bit_mode_uses_low_word_carries(void **state)
{
    Fixture *f = *state;
    static const uint32_t prog[] = { 0x7c642c15 };      /* addco. 3,4,5 */
    f->cpu.msr = MSR_ME | MSR_LE;                       /* MSR[SF] = 0 */
    cpu_mode_changed(&f->cpu);
    f->cpu.gpr[4] = 0xffffffffULL;
    f->cpu.gpr[5] = 1;
    run_words(f, prog, 1);
    assert_int_equal(f->cpu.gpr[3], 0x100000000ULL);
    assert_int_equal(f->cpu.ca, 1);
    assert_int_equal(f->cpu.ca32, 1);
    assert_int_equal(cpu_get_crf(&f->cpu, 0), CRF_EQ);
}

static void test_run_priority_hint_sets_ppr(void **state)
{
    Fixture *f = *state;
    static const uint32_t prog[] = { 0x7c210b78, 0x7fffff78 };  /* or 1,1,1; or 31,31,31 */
    f->cpu.spr[SPR_PPR] = 4ULL << 50;
    run_words(f, prog, 1);
    assert_int_equal(f->cpu.spr[SPR_PPR], 2ULL << 50);
    f->cpu.msr |= MSR_PR;                               /* very low is privileged */
    cpu_mode_changed(&f->cpu);
    memcpy(f->ram + CODE, &prog[1], 4);
    f->cpu.nip = CODE;
    assert_int_equal(cpu_run(&f->cpu, 1), CPU_EXIT_BUDGET);
    assert_int_equal(f->cpu.spr[SPR_PPR], 2ULL << 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_when_assembled_by_gas_gives_the_pattern),
        cmocka_unit_test(test_decode_split_fields),
        cmocka_unit_test(test_decode_reserved_forms_follow_qemu),
        cmocka_unit_test_setup_teardown(test_run_addo_dot_sets_ov_so_and_cr0, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_in_32bit_mode_uses_low_word_carries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_priority_hint_sets_ppr, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
