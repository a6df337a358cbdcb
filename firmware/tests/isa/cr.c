/*
 * cr.c - Condition Register instructions (Power ISA v3.0B Book I 2.5,
 * 3.3.16): the eight CR logical operations on every input combination,
 * mcrf, mtcrf/mtocrf, mfcr/mfocrf (one-hot and not), mcrxrx, and which
 * reserved bits make a word illegal (QEMU 7.2 decides: mcrf ignores bits
 * 6:10 of its extended opcode, the CR logical ops and mtcrf/mfcr check bit
 * 0 and bit 11).
 *
 * Each instruction runs as a generated word: run_word() loads CR and r4,
 * executes the word (which may use r3/r4), and returns CR; r3 comes back in
 * *r3.  An illegal word is reported as "ill".
 */
#include "fw.h"

#define INSN_BLR        0x4e800020u
#define OP19            (19u << 26)
#define OP31            (31u << 26)
#define XL(xo)          (OP19 | ((xo) << 1))
#define X31(xo)         (OP31 | ((xo) << 1))
#define BT(n)           ((unsigned)(n) << 21)
#define BA(n)           ((unsigned)(n) << 16)
#define BB(n)           ((unsigned)(n) << 11)
#define FXM(m)          ((unsigned)(m) << 12)
#define ONE_FIELD       (1u << 20)
#define R3              3u
#define R4              4u
#define BAD_CR          0xdeadbeefu

extern unsigned long run_word_asm(void *code, unsigned long cr, unsigned long r4, unsigned long *r3);
__asm__(
"    .text\n"
"    .globl run_word_asm\n"
"run_word_asm:\n"              /* r3 = code, r4 = CR, r5 = r4 value, r6 = &r3 out */
"    mflr  0\n"
"    std   0, 16(1)\n"
"    mfcr  7\n"
"    mtlr  3\n"
"    mtcrf 0xff, 4\n"
"    mr    4, 5\n"
"    li    3, 0x77\n"
"    blrl\n"
"    std   3, 0(6)\n"
"    mfcr  3\n"
"    mtcrf 0xff, 7\n"
"    ld    0, 16(1)\n"
"    mtlr  0\n"
"    blr\n");

static uint32_t code[2] __attribute__((aligned(16)));
static volatile int illegal;

static int on_trap(struct fw_trap *t)
{
    if (t->vec != FW_VEC_PROGRAM)
        return -1;
    illegal = 1;
    t->srr0 = t->lr;
    return 0;
}

static unsigned long run_word(uint32_t word, unsigned long cr, unsigned long r4, unsigned long *r3)
{
    unsigned long out3, crout;
    code[0] = word;
    code[1] = INSN_BLR;
    icache_sync(code, sizeof(code));
    illegal = 0;
    crout = run_word_asm(code, cr, r4, &out3);
    if (r3)
        *r3 = out3;
    return illegal ? BAD_CR : (crout & 0xffffffffu);
}

static const struct { const char *name; unsigned xo; } crops[] = {
    { "crand", 257 }, { "crnand", 225 }, { "cror", 449 }, { "crxor", 193 },
    { "crnor", 33 }, { "creqv", 289 }, { "crandc", 129 }, { "crorc", 417 },
};

static void test_cr_logical(void)
{
    unsigned i, a, b;
    test_begin("CR logical: BT = 31 from BA = 4, BB = 9");
    for (i = 0; i < sizeof(crops) / sizeof(crops[0]); i++) {
        printf("%-7s", crops[i].name);
        for (a = 0; a < 2; a++) {
            for (b = 0; b < 2; b++) {
                unsigned long cr = (a ? PPC_BIT32(4) : 0) | (b ? PPC_BIT32(9) : 0) | 0x20200a00u;
                unsigned long out = run_word(XL(crops[i].xo) | BT(31) | BA(4) | BB(9), cr, 0, 0);
                printf(" %d%d->%lu", a, b, out & 1);
                TEST_EQ(out & ~1ul, cr & ~1ul);          /* nothing else changes */
            }
        }
        printf("\n");
    }
    /* same bit as source and target */
    TEST_EQ(run_word(XL(193) | BT(5) | BA(5) | BB(5), 0xffffffffu, 0, 0), 0xfbffffffu); /* crclr */
}

static void test_mcrf(void)
{
    test_begin("mcrf");
    TEST_EQ(run_word(OP19 | BT(7 << 2) | BA(0 << 2), 0x9000000cu, 0, 0), 0x90000009u);
    TEST_EQ(run_word(OP19 | BT(0) | BA(7 << 2), 0x0000000cu, 0, 0), 0xc000000cu);
    /* bits 6:10 of the extended opcode are ignored by QEMU (still mcrf) */
    printf("mcrf xo=32:  %08lx\n", run_word(OP19 | BT(7 << 2) | BA(0) | (32u << 1), 0x50000000u, 0, 0));
    printf("mcrf xo=992: %08lx\n", run_word(OP19 | BT(7 << 2) | BA(0) | (992u << 1), 0x50000000u, 0, 0));
    printf("mcrf bit 0:  %08lx\n", run_word(OP19 | BT(7 << 2) | BA(0) | 1, 0x50000000u, 0, 0));
    printf("mcrf rsvd:   %08lx\n", run_word(OP19 | BT(7 << 2) | BA(0) | (3u << 21) | (3u << 16) | BB(31), 0x50000000u, 0, 0));
}

static void test_move_cr(void)
{
    unsigned long r3;
    test_begin("mtcrf, mtocrf, mfcr, mfocrf");
    TEST_EQ(run_word(X31(144) | (R4 << 21) | FXM(0xff), 0, 0x123456789abcdef0ul, 0), 0x9abcdef0u);
    TEST_EQ(run_word(X31(144) | (R4 << 21) | FXM(0x81), 0x11111111u, 0xfffffffful, 0), 0xf111111fu);
    TEST_EQ(run_word(X31(144) | (R4 << 21) | FXM(0), 0x11111111u, 0xfffffffful, 0), 0x11111111u);
    TEST_EQ(run_word(X31(144) | ONE_FIELD | (R4 << 21) | FXM(0x04), 0x11111111u, 0xfffffffful, 0), 0x11111f11u);
    printf("mtocrf fxm=0x81: %08lx\n", run_word(X31(144) | ONE_FIELD | (R4 << 21) | FXM(0x81), 0x11111111u, ~0ul, 0));
    printf("mtocrf fxm=0:    %08lx\n", run_word(X31(144) | ONE_FIELD | (R4 << 21) | FXM(0), 0x11111111u, ~0ul, 0));
    run_word(X31(19) | (R3 << 21), 0x87654321u, 0, &r3);
    TEST_EQ(r3, 0x87654321u);
    run_word(X31(19) | ONE_FIELD | (R3 << 21) | FXM(0x20), 0x87654321u, 0, &r3);
    TEST_EQ(r3, 0x00600000u);
    run_word(X31(19) | ONE_FIELD | (R3 << 21) | FXM(0x21), 0x87654321u, 0, &r3);
    printf("mfocrf fxm=0x21: r3=%lx\n", r3);
    run_word(X31(19) | ONE_FIELD | (R3 << 21) | FXM(0), 0x87654321u, 0, &r3);
    printf("mfocrf fxm=0:    r3=%lx\n", r3);
    printf("mtcrf bit 11:    %08lx\n", run_word(X31(144) | (R4 << 21) | FXM(0xff) | (1u << 11), 0, 1, 0));
    printf("mtcrf bit 0:     %08lx\n", run_word(X31(144) | (R4 << 21) | FXM(0xff) | 1, 0, 1, 0));
    printf("mfcr bit 11:     %08lx\n", run_word(X31(19) | (R3 << 21) | (1u << 11), 5, 0, 0));
    printf("mfcr rsvd 12:19: %08lx\n", run_word(X31(19) | (R3 << 21) | FXM(0xff), 5, 0, &r3));
}

static void test_mcrxrx(void)
{
    static const unsigned long xers[] = { 0, 0x40000000ul, 0x00080000ul, 0x20000000ul,
                                          0x00040000ul, 0xe00c0000ul };
    unsigned i;
    test_begin("mcrxrx: OV OV32 CA CA32");
    for (i = 0; i < sizeof(xers) / sizeof(xers[0]); i++) {
        unsigned long saved = mfspr(SPR_XER), cr;
        mtspr(SPR_XER, xers[i]);
        cr = run_word(X31(576) | BT(3 << 2), 0, 0, 0);
        mtspr(SPR_XER, saved);
        printf("xer=%08lx -> cr=%08lx\n", xers[i], cr);
    }
    printf("mcrxrx rsvd 21:22: %08lx\n", run_word(X31(576) | BT(3 << 2) | (3u << 21), 0, 0, 0));
    printf("mcrxrx rsvd 16:20: %08lx\n", run_word(X31(576) | BT(3 << 2) | BA(1), 0, 0, 0));
    printf("crand bit 0:       %08lx\n", run_word(XL(257) | BT(31) | 1, 0, 0, 0));
}

int main(void)
{
    fw_set_trap_handler(on_trap);
    test_cr_logical();
    test_mcrf();
    test_move_cr();
    test_mcrxrx();
    return test_report();
}
