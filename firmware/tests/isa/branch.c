/*
 * branch.c - the branch instructions (Power ISA v3.0B Book I 2.4): every BO
 * value of bc, bclr, bctar and bcctr against CR bit set/clear and CTR 1/2
 * (taken?, CTR after), LR of the LK forms (bclrl branches to the old LR),
 * CFAR (address of the last taken branch),
 * the bcctr "decrement CTR" form (invalid in the ISA; test-and-decrement on
 * QEMU 7.2 as on POWER processors), reserved bits, and 32-bit mode
 * (MSR[SF] = 0: CTR tested on its low word, targets and LR truncated).
 *
 * Branches run as generated code: the snippet saves the caller's LR in
 * r11, branches to code[TAKEN] or falls through, reports r3 = 1 if taken
 * and r5 = LR after the branch, and returns.  run() calls it with blrl so
 * that CTR stays free.
 */
#include "fw.h"

#define INSN_BLR        0x4e800020u
#define INSN_NOP        0x60000000u
#define INSN_LI3(v)     (0x38600000u | (v))
#define INSN_MFLR(r)    (0x7c0802a6u | ((r) << 21))
#define INSN_MTLR(r)    (0x7c0803a6u | ((r) << 21))
#define INSN_MTCTR(r)   (0x7c0903a6u | ((r) << 21))
#define INSN_ADDI(rt, ra, d) (0x38000000u | ((rt) << 21) | ((ra) << 16) | ((d) & 0xffffu))
#define INSN_B(off)     (0x48000000u | ((off) & 0x03fffffcu))
#define INSN_BCL_NEXT   0x429f0005u                 /* bcl 20, 31, .+4 */
#define INSN_BC(bo, bi, bd) ((16u << 26) | ((bo) << 21) | ((bi) << 16) | ((bd) & 0xfffcu))
#define INSN_XL(bo, bi, xo) ((19u << 26) | ((bo) << 21) | ((bi) << 16) | ((xo) << 1))
#define XO_BCLR         16
#define XO_BCCTR        528
#define XO_BCTAR        560
#define LK              1u
#define AA              2u
#define BI_EQ0          2
#define CR_EQ0          0x20000000ul
#define NOT_RUN         0xbadul
#define R5 5u
#define R11 11u
#define R12 12u
/* snippet layout */
#define AT_BRANCH       5
#define AT_TAKEN        8
#define AT_JOIN         9
#define CODE_WORDS      12

struct result { unsigned long taken, ctr, lr; };

extern void call_snippet_asm(void *code, unsigned long ctr, unsigned long cr, struct result *out);
__asm__(
"    .text\n"
"    .globl call_snippet_asm\n"
"call_snippet_asm:\n"          /* r3 = code, r4 = CTR, r5 = CR, r6 = out */
"    mflr  0\n"
"    std   0, 16(1)\n"
"    mfcr  7\n"
"    mtctr 4\n"
"    mtcrf 0xff, 5\n"
"    mtlr  3\n"
"    li    3, 0x77\n"
"    li    5, 0\n"
"    blrl\n"
"    std   3, 0(6)\n"
"    mfctr 3\n"
"    std   3, 8(6)\n"
"    std   5, 16(6)\n"
"    mtcrf 0xff, 7\n"
"    ld    0, 16(1)\n"
"    mtlr  0\n"
"    blr\n");

static uint32_t code[CODE_WORDS] __attribute__((aligned(64)));
static volatile int illegal;

static int on_trap(struct fw_trap *t)
{
    if (t->vec != FW_VEC_PROGRAM)
        return -1;
    illegal = 1;
    t->srr0 = (unsigned long)&code[AT_JOIN];   /* finish the snippet */
    return 0;
}

/* Build the snippet around `branch`; `setup` loads r12 = &code[AT_TAKEN] into LR/CTR/nothing. */
static void build(uint32_t branch, uint32_t setup)
{
    code[0] = INSN_MFLR(R11);
    code[1] = INSN_BCL_NEXT;
    code[2] = INSN_MFLR(R12);
    code[3] = INSN_ADDI(R12, R12, (AT_TAKEN - 2) * 4);
    code[4] = setup;
    code[AT_BRANCH] = branch;
    code[6] = INSN_LI3(0);
    code[7] = INSN_B((AT_JOIN - 7) * 4);
    code[AT_TAKEN] = INSN_LI3(1);
    code[AT_JOIN] = INSN_MFLR(R5);
    code[10] = INSN_MTLR(R11);
    code[11] = INSN_BLR;
    icache_sync(code, sizeof(code));
}

static struct result run(unsigned long ctr, unsigned long cr)
{
    struct result r;
    illegal = 0;
    call_snippet_asm(code, ctr, cr, &r);
    if (illegal)
        r.taken = NOT_RUN;
    return r;
}

static unsigned long rel(unsigned long addr) { return addr - (unsigned long)code; }

static void sweep_bo(const char *name, uint32_t (*insn)(unsigned bo), uint32_t setup, int ctr_target)
{
    unsigned bo, eq;
    unsigned long ctr;
    test_begin(name);
    for (bo = 0; bo < 32; bo++) {
        printf("%s BO=%2u:", name, bo);
        for (eq = 0; eq < 2; eq++) {
            for (ctr = 1; ctr <= 2; ctr++) {
                struct result r;
                build(insn(bo), setup);
                r = run(ctr, eq ? CR_EQ0 : 0);
                if (ctr_target)         /* CTR is the target: report it relative to the code */
                    printf(" %lu/%lx", r.taken, rel(r.ctr));
                else
                    printf(" %lu/%lu", r.taken, r.ctr);
                if (ctr_target)
                    break;
            }
        }
        printf("\n");
    }
}

static uint32_t mk_bc(unsigned bo)    { return INSN_BC(bo, BI_EQ0, (AT_TAKEN - AT_BRANCH) * 4); }
static uint32_t mk_bclr(unsigned bo)  { return INSN_XL(bo, BI_EQ0, XO_BCLR); }
static uint32_t mk_bctar(unsigned bo) { return INSN_XL(bo, BI_EQ0, XO_BCTAR); }
static uint32_t mk_bcctr(unsigned bo) { return INSN_XL(bo, BI_EQ0, XO_BCCTR); }

static void test_link_and_cfar(void)
{
    struct result r;
    test_begin("LK forms, CFAR, absolute and reserved-bit forms");
    build(INSN_BC(20, 0, (AT_TAKEN - AT_BRANCH) * 4) | LK, INSN_NOP);     /* bcl always */
    r = run(1, 0);
    TEST_EQ(r.taken, 1);
    TEST_EQ(rel(r.lr), (AT_BRANCH + 1) * 4);
    TEST_EQ(mfspr(SPR_CFAR) != 0, 1);
    build(INSN_XL(20, 0, XO_BCLR) | LK, INSN_MTLR(R12));                  /* bclrl: old LR */
    r = run(1, 0);
    TEST_EQ(r.taken, 1);
    TEST_EQ(rel(r.lr), (AT_BRANCH + 1) * 4);
    build(INSN_XL(20, 0, XO_BCCTR) | LK, INSN_MTCTR(R12));                /* bctrl */
    r = run(1, 0);
    TEST_EQ(r.taken, 1);
    TEST_EQ(rel(r.lr), (AT_BRANCH + 1) * 4);
    mtspr(SPR_TAR, (unsigned long)&code[AT_TAKEN]);
    build(INSN_XL(20, 0, XO_BCTAR) | LK, INSN_NOP);                       /* bctarl */
    r = run(1, 0);
    TEST_EQ(r.taken, 1);
    TEST_EQ(rel(r.lr), (AT_BRANCH + 1) * 4);
    /* bcl not taken still writes LR */
    build(INSN_BC(4, BI_EQ0, (AT_TAKEN - AT_BRANCH) * 4) | LK, INSN_NOP);
    r = run(1, CR_EQ0);
    TEST_EQ(r.taken, 0);
    TEST_EQ(rel(r.lr), (AT_BRANCH + 1) * 4);
    /* the low two bits of an LR/CTR target are ignored */
    build(INSN_XL(20, 0, XO_BCLR), INSN_MTLR(R12));
    code[3] = INSN_ADDI(R12, R12, (AT_TAKEN - 2) * 4 + 3);
    icache_sync(code, sizeof(code));
    TEST_EQ(run(1, 0).taken, 1);
    /* reserved bits: bclr/bcctr ignore 11:15 (BH too); bctar checks 13:15 */
    build(INSN_XL(20, 0, XO_BCLR) | (7u << 13) | (3u << 11), INSN_MTLR(R12));
    printf("bclr bits 11:15 set:  %lx\n", run(1, 0).taken);
    build(INSN_XL(20, 0, XO_BCCTR) | (7u << 13), INSN_MTCTR(R12));
    printf("bcctr bits 13:15 set: %lx\n", run(1, 0).taken);
    mtspr(SPR_TAR, (unsigned long)&code[AT_TAKEN]);
    build(INSN_XL(20, 0, XO_BCTAR) | (1u << 13), INSN_NOP);
    printf("bctar bit 13 set:     %lx\n", run(1, 0).taken);
    build(INSN_XL(20, 0, XO_BCTAR) | (3u << 11), INSN_NOP);
    printf("bctar BH=3:           %lx\n", run(1, 0).taken);
}

/* ---- 32-bit mode: run a snippet with MSR[SF] = 0 through rfid, back by sc 0 ---- */

extern unsigned long run32(unsigned long ctr, unsigned long lr, void *code);
extern char run32_recover[], snip32_bdz[], snip32_bclr[], snip32_bl[];
__asm__(
"    .text\n"
"    .globl run32, run32_recover, snip32_bdz, snip32_bclr, snip32_bl\n"
"run32:\n"                      /* r3 = CTR, r4 = LR for the snippet, r5 = snippet */
"    mflr  12\n"
"    mtctr 3\n"
"    mfmsr 6\n"
"    rldicl 6, 6, 1, 1\n"       /* clear MSR[SF] */
"    mtsrr1 6\n"
"    mtsrr0 5\n"
"    mtlr  4\n"
"    li    3, 0\n"
"    rfid\n"
"run32_recover:\n"
"    mtlr  12\n"
"    blr\n"
"snip32_bdz:  bdz 1f\n  li 3, 0\n  sc 0\n1: li 3, 1\n  sc 0\n"
"snip32_bclr: blr\n"
"snip32_bl:   bl 1f\n1: mflr 3\n sc 0\n");

static unsigned long kmsr;
static struct fw_trap last32;

static int on_sc(struct fw_trap *t)
{
    last32 = *t;
    t->srr0 = (unsigned long)run32_recover;
    t->srr1 = kmsr;
    return 0;
}

static void test_32bit(void)
{
    unsigned long r;
    fw_trap_fn prev;

    test_begin("32-bit mode");
    kmsr = mfmsr();
    prev = fw_set_trap_handler(on_sc);
    r = run32(0x100000001ul, 0, snip32_bdz);       /* CTR-1 = 0x1_00000000: low word 0 */
    TEST_EQ(r, 1);
    TEST_EQ(last32.ctr, 0x100000000ul);
    r = run32(2, 0, snip32_bdz);
    TEST_EQ(r, 0);
    /* blr to an LR with high bits: the target is truncated */
    run32(0, 0xfedc000000000000ul | ((unsigned long)snip32_bdz + 8), snip32_bclr);
    TEST_EQ(last32.vec, FW_VEC_SYSCALL);
    TEST_EQ(last32.srr0, (unsigned long)snip32_bdz + 12);
    r = run32(0, 0, snip32_bl);
    TEST_EQ(r, (unsigned long)snip32_bl + 4);
    fw_set_trap_handler(prev);
}

int main(void)
{
    fw_set_trap_handler(on_trap);
    sweep_bo("bc", mk_bc, INSN_NOP, 0);
    sweep_bo("bclr", mk_bclr, INSN_MTLR(R12), 0);
    mtspr(SPR_TAR, 0);
    sweep_bo("bcctr", mk_bcctr, INSN_MTCTR(R12), 1);
    test_link_and_cfar();
    test_32bit();
    /* bctar last: TAR must point at the snippet's taken label */
    {
        unsigned bo, eq;
        unsigned long ctr;
        test_begin("bctar");
        for (bo = 0; bo < 32; bo++) {
            printf("bctar BO=%2u:", bo);
            for (eq = 0; eq < 2; eq++)
                for (ctr = 1; ctr <= 2; ctr++) {
                    struct result r;
                    build(mk_bctar(bo), INSN_NOP);
                    mtspr(SPR_TAR, (unsigned long)&code[AT_TAKEN]);
                    r = run(ctr, eq ? CR_EQ0 : 0);
                    printf(" %lu/%lu", r.taken, r.ctr);
                }
            printf("\n");
        }
    }
    return test_report();
}
