/*
 * logic.c - fixed-point logical instructions (Power ISA v3.0B Book I
 * 3.3.13) and the BCD assist instructions (3.3.15): andi., andis., ori,
 * oris, xori, xoris, and, or, xor, nand, nor, eqv, andc, orc, extsb, extsh,
 * extsw, cntlzw, cntlzd, cnttzw, cnttzd, popcntb, popcntw, popcntd, prtyw,
 * prtyd, cmpb, bpermd, cdtbcd, cbcdtd, addg6s; the "or Rx,Rx,Rx" thread
 * priority hints (they set PPR[PRI], Book II 3.2); darn (3.3.9).
 *
 * Record forms are run in 64-bit and 32-bit mode (CR0 compares the low
 * word when MSR[SF] = 0).  darn is random, so only its error-value rules
 * are printed.  Output: see arith_harness.h.
 */
#include "arith_harness.h"

/* Binary ops with an Rc form: plain, "." and "." in 32-bit mode. */
#define RC2_OPS(X) X(and) X(or) X(xor) X(nand) X(nor) X(eqv) X(andc) X(orc)
/* Unary ops with an Rc form. */
#define RC1_OPS(X) X(extsb) X(extsh) X(extsw) X(cntlzw) X(cntlzd) X(cnttzw) X(cnttzd)
/* Ops without one. */
#define NORC2_OPS(X) X(cmpb) X(bpermd) X(addg6s)
#define NORC1_OPS(X) X(popcntb) X(popcntw) X(popcntd) X(prtyw) X(prtyd) X(cdtbcd) X(cbcdtd)

#define DEF_RC2(op)                                                            \
    FX_DEF_RRR(op##_p, #op, M64)                                               \
    FX_DEF_RRR(op##_r, #op ".", M64)                                           \
    FX_DEF_RRR(op##_r32, #op ".", M32)
#define DEF_RC1(op)                                                            \
    FX_DEF_RR(op##_p, #op, M64)                                                \
    FX_DEF_RR(op##_r, #op ".", M64)                                            \
    FX_DEF_RR(op##_r32, #op ".", M32)
#define DEF_NORC2(op) FX_DEF_RRR(op##_p, #op, M64)
#define DEF_NORC1(op) FX_DEF_RR(op##_p, #op, M64)
RC2_OPS(DEF_RC2)
RC1_OPS(DEF_RC1)
NORC2_OPS(DEF_NORC2)
NORC1_OPS(DEF_NORC1)

typedef struct {
    const char *name, *name_r, *name_r32;
    fx_rrr_fn p, r, r32;
} rc2_op;

typedef struct {
    const char *name, *name_r, *name_r32;
    fx_rr_fn p, r, r32;
} rc1_op;

#define RC_ENTRY(op) { #op, #op ".", "32:" #op ".", op##_p, op##_r, op##_r32 },
#define NORC_ENTRY(op) { #op, op##_p },
static const rc2_op rc2_ops[] = { RC2_OPS(RC_ENTRY) };
static const rc1_op rc1_ops[] = { RC1_OPS(RC_ENTRY) };
static const fx_rrr_op norc2_ops[] = { NORC2_OPS(NORC_ENTRY) };
static const fx_rr_op norc1_ops[] = { NORC1_OPS(NORC_ENTRY) };
#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* Operands for the BCD conversions: valid and invalid digits, canonical and
 * non-canonical declets, data in the ignored high bits of each word. */
static const uint64_t bcd_vals[] = {
    0x0000000000000000UL, 0x0000000000123456UL, 0x0000000000999999UL,
    0x0000000000000aaaUL, 0x0000000000fedcbaUL, 0x00000000000fffffUL,
    0x0000000000028e56UL, 0x000000000003fcffUL, 0x00000000000ffc00UL,
    0xffffffffffffffffUL, 0x1234567890abcdefUL, 0x00987654ff123456UL,
};

/* ---- sweeps ---------------------------------------------------------------------- */

static void sweep_regs(void)
{
    for (unsigned k = 0; k < COUNT(rc2_ops); k++) {
        fx_sweep_rrr(rc2_ops[k].name_r, rc2_ops[k].r, 0);
        fx_sweep_few_rrr(rc2_ops[k].name, rc2_ops[k].p, XER_FLAGS);
        fx_sweep_few_rrr(rc2_ops[k].name_r, rc2_ops[k].r, XER_SO);
        fx_sweep_few_rrr(rc2_ops[k].name_r32, rc2_ops[k].r32, 0);
    }
    for (unsigned k = 0; k < COUNT(rc1_ops); k++) {
        fx_sweep_rr(rc1_ops[k].name_r, rc1_ops[k].r, 0);
        fx_sweep_few_rr(rc1_ops[k].name, rc1_ops[k].p, XER_FLAGS);
        fx_sweep_few_rr(rc1_ops[k].name_r, rc1_ops[k].r, XER_SO);
        fx_sweep_few_rr(rc1_ops[k].name_r32, rc1_ops[k].r32, 0);
    }
    for (unsigned k = 0; k < COUNT(norc2_ops); k++)
        fx_sweep_rrr(norc2_ops[k].name, norc2_ops[k].fn, XER_FLAGS);
    for (unsigned k = 0; k < COUNT(norc1_ops); k++)
        fx_sweep_rr(norc1_ops[k].name, norc1_ops[k].fn, XER_FLAGS);
}

static void sweep_bcd(void)
{
    for (unsigned i = 0; i < COUNT(bcd_vals); i++) {
        fx_res d = fx_rr(cdtbcd_p, bcd_vals[i], 0), b = fx_rr(cbcdtd_p, bcd_vals[i], 0);
        printf("bcd %016lx: cdtbcd %016lx cbcdtd %016lx\n", bcd_vals[i], d.rt, b.rt);
    }
}

#define SWEEP_IMM(insn, imm, xin, mode, label)                                 \
    do {                                                                       \
        for (unsigned i = 0; i < FX_NVALS; i++) {                              \
            fx_res r = { .rt = FX_RT_INIT };                                   \
            FX_RUN_RI(&r, insn, imm, fx_vals[i], xin, mode);                   \
            fx_print(label insn "," imm, (int)i, -1, xin, &r);                 \
        }                                                                      \
    } while (0)

#define SWEEP_UIMMS(insn, xin, mode, label)                                    \
    do {                                                                       \
        SWEEP_IMM(insn, "0", xin, mode, label);                                \
        SWEEP_IMM(insn, "1", xin, mode, label);                                \
        SWEEP_IMM(insn, "0x8000", xin, mode, label);                           \
        SWEEP_IMM(insn, "0xffff", xin, mode, label);                           \
        SWEEP_IMM(insn, "0x1234", xin, mode, label);                           \
    } while (0)

static void sweep_imm(void)
{
    SWEEP_UIMMS("andi.", XER_SO, M64, "");
    SWEEP_UIMMS("andis.", XER_SO, M64, "");
    SWEEP_UIMMS("ori", XER_FLAGS, M64, "");
    SWEEP_UIMMS("oris", XER_FLAGS, M64, "");
    SWEEP_UIMMS("xori", XER_FLAGS, M64, "");
    SWEEP_UIMMS("xoris", XER_FLAGS, M64, "");
    SWEEP_UIMMS("andi.", 0, M32, "32:");
    SWEEP_UIMMS("andis.", 0, M32, "32:");
}

/* ---- known answers ------------------------------------------------------------------ */

static void known_logical(void)
{
    fx_res r = { .rt = FX_RT_INIT };
    r = fx_rrr(and_r, 0xff00ff00ff00ff00UL, 0x0f0f0f0f0f0f0f0fUL, XER_SO);
    FX_CHECK("and.", &r, 0x0f000f000f000f00UL, CR0_GT | CR0_SO, XER_SO);
    r = fx_rrr(or_r, 0x8000000000000000UL, 1, 0);
    FX_CHECK("or.", &r, 0x8000000000000001UL, CR0_LT, 0);
    r = fx_rrr(or_r32, 0x8000000000000000UL, 1, 0);           /* CR0 sees the low word */
    FX_CHECK("32:or.", &r, 0x8000000000000001UL, CR0_GT, 0);
    r = fx_rrr(xor_r, 0x123456789abcdef0UL, 0x123456789abcdef0UL, 0);
    FX_CHECK("xor.", &r, 0, CR0_EQ, 0);
    r = fx_rrr(nand_p, 0, 0, XER_FLAGS);
    FX_CHECK("nand", &r, ~0UL, 0, XER_FLAGS);
    r = fx_rrr(nor_r, 0xf0UL, 0x0fUL, 0);
    FX_CHECK("nor.", &r, ~0xffUL, CR0_LT, 0);
    r = fx_rrr(eqv_r, 5, 5, 0);
    FX_CHECK("eqv.", &r, ~0UL, CR0_LT, 0);
    r = fx_rrr(andc_r, 0xffUL, 0x0fUL, 0);
    FX_CHECK("andc.", &r, 0xf0UL, CR0_GT, 0);
    r = fx_rrr(orc_r32, 0, 0xffffffff00000000UL, 0);          /* ~RB low word = -1 */
    FX_CHECK("32:orc.", &r, 0x00000000ffffffffUL, CR0_LT, 0);
    FX_RUN_RI(&r, "andi.", "0x8000", ~0UL, 0, M64);
    FX_CHECK("andi.", &r, 0x8000, CR0_GT, 0);
    FX_RUN_RI(&r, "andis.", "0x8000", ~0UL, 0, M64);          /* positive in 64 bits ... */
    FX_CHECK("andis.", &r, 0x80000000UL, CR0_GT, 0);
    FX_RUN_RI(&r, "andis.", "0x8000", ~0UL, 0, M32);          /* ... negative in 32 */
    FX_CHECK("32:andis.", &r, 0x80000000UL, CR0_LT, 0);
    FX_RUN_RI(&r, "oris", "0xffff", 1, XER_FLAGS, M64);       /* UI is not sign-extended */
    FX_CHECK("oris", &r, 0xffff0001UL, 0, XER_FLAGS);
    FX_RUN_RI(&r, "xoris", "0x8000", 0x80000000UL, 0, M64);
    FX_CHECK("xoris", &r, 0, 0, 0);
    FX_RUN_RI(&r, "xori", "0xffff", ~0UL, 0, M64);
    FX_CHECK("xori", &r, ~0xffffUL, 0, 0);
}

static void known_unary(void)
{
    fx_res r;
    r = fx_rr(extsb_r, 0x1234567890abcd80UL, 0);
    FX_CHECK("extsb.", &r, 0xffffffffffffff80UL, CR0_LT, 0);
    r = fx_rr(extsh_r, 0xffffffffffff7fffUL, 0);
    FX_CHECK("extsh.", &r, 0x7fffUL, CR0_GT, 0);
    r = fx_rr(extsw_r, 0x80000000UL, 0);
    FX_CHECK("extsw.", &r, 0xffffffff80000000UL, CR0_LT, 0);
    r = fx_rr(cntlzw_r, 0x100000000UL, 0);                    /* low word 0 */
    FX_CHECK("cntlzw.", &r, 32, CR0_GT, 0);
    r = fx_rr(cntlzw_p, 1, 0);
    FX_CHECK("cntlzw", &r, 31, 0, 0);
    r = fx_rr(cntlzd_r, 0, 0);
    FX_CHECK("cntlzd.", &r, 64, CR0_GT, 0);
    r = fx_rr(cntlzd_p, 0x0000800000000000UL, 0);
    FX_CHECK("cntlzd", &r, 16, 0, 0);
    r = fx_rr(cnttzw_p, 0x100000000UL, 0);
    FX_CHECK("cnttzw", &r, 32, 0, 0);
    r = fx_rr(cnttzw_p, 0x80000000UL, 0);
    FX_CHECK("cnttzw", &r, 31, 0, 0);
    r = fx_rr(cnttzd_r, 0x8000000000000000UL, 0);
    FX_CHECK("cnttzd.", &r, 63, CR0_GT, 0);
    r = fx_rr(cnttzd_p, 0, 0);
    FX_CHECK("cnttzd", &r, 64, 0, 0);
    r = fx_rr(popcntb_p, 0x00ff01030700f0f1UL, 0);
    FX_CHECK("popcntb", &r, 0x0008010203000405UL, 0, 0);
    r = fx_rr(popcntw_p, 0xffffffff00000001UL, 0);
    FX_CHECK("popcntw", &r, 0x0000002000000001UL, 0, 0);
    r = fx_rr(popcntd_p, ~0UL, 0);
    FX_CHECK("popcntd", &r, 64, 0, 0);
    r = fx_rr(prtyw_p, 0x0101010001000000UL, 0);              /* 3 and 1 low bits set */
    FX_CHECK("prtyw", &r, 0x0000000100000001UL, 0, 0);
    r = fx_rr(prtyd_p, 0x0101010001000000UL, 0);              /* 4 in all */
    FX_CHECK("prtyd", &r, 0, 0, 0);
    r = fx_rr(prtyd_p, 0xfefefefefefefeffUL, 0);              /* only bit 63 counts */
    FX_CHECK("prtyd", &r, 1, 0, 0);
}

static void known_permute(void)
{
    fx_res r;
    r = fx_rrr(cmpb_p, 0x1122334455667788UL, 0x1122004455007788UL, 0);
    FX_CHECK("cmpb", &r, 0xffff00ffff00ffffUL, 0, 0);
    r = fx_rrr(bpermd_p, 0x0001020304050607UL, 0xa000000000000000UL, 0);
    FX_CHECK("bpermd 0..7", &r, 0xa0, 0, 0);
    r = fx_rrr(bpermd_p, 0x40ff000000000000UL, 0x8000000000000000UL, 0);  /* >= 64 gives 0 */
    FX_CHECK("bpermd >=64", &r, 0x3f, 0, 0);
    r = fx_rrr(bpermd_p, 0x3f3f3f3f3f3f3f3fUL, 1, 0);         /* bit 63 eight times */
    FX_CHECK("bpermd 63", &r, 0xff, 0, 0);
    r = fx_rrr(addg6s_p, 0, 0, 0);
    FX_CHECK("addg6s 0+0", &r, 0x6666666666666666UL, 0, 0);
    r = fx_rrr(addg6s_p, 0x0f, 1, 0);                          /* carry out of digit 0 only */
    FX_CHECK("addg6s f+1", &r, 0x6666666666666660UL, 0, 0);
    r = fx_rrr(addg6s_p, ~0UL, 1, 0);                          /* carries everywhere */
    FX_CHECK("addg6s -1+1", &r, 0, 0, 0);
    r = fx_rr(cbcdtd_p, 0x0000000000123456UL, 0);              /* 123 -> 0x0a3, 456 -> 0x256 */
    FX_CHECK("cbcdtd", &r, 0x28e56, 0, 0);
    r = fx_rr(cdtbcd_p, 0x0000000000028e56UL, 0);
    FX_CHECK("cdtbcd", &r, 0x123456, 0, 0);
    r = fx_rr(cbcdtd_p, 0x0099999900999999UL, 0);              /* 999 -> 0x0ff, both words */
    FX_CHECK("cbcdtd 999", &r, 0x0003fcff0003fcffUL, 0, 0);
    r = fx_rr(cdtbcd_p, 0x00000000000fffffUL, 0);              /* non-canonical 999s */
    FX_CHECK("cdtbcd 3ff", &r, 0x999999, 0, 0);
}

/* ---- thread priority hints: "or N,N,N" sets PPR[PRI] --------------------------------- */

#define PPR_PRI_SHIFT 50
#define PPR_MEDIUM (4UL << PPR_PRI_SHIFT)

#define HINT(n)                                                                \
    ({                                                                         \
        __asm__ volatile("or " #n "," #n "," #n : : : "memory");               \
        mfspr(SPR_PPR) >> PPR_PRI_SHIFT;                                       \
    })

static void check_priority_hints(void)
{
    uint64_t p[12];
    uint64_t keep = mfspr(SPR_PPR);
    mtspr(SPR_PPR, PPR_MEDIUM);
    p[0] = mfspr(SPR_PPR) >> PPR_PRI_SHIFT;
    p[1] = HINT(1);         /* low */
    p[2] = HINT(6);         /* medium low */
    p[3] = HINT(2);         /* medium */
    p[4] = HINT(31);        /* very low (privileged) */
    p[5] = HINT(5);         /* medium high (privileged) */
    p[6] = HINT(3);         /* high (privileged) */
    p[7] = HINT(7);         /* very high: hypervisor only, ignored */
    p[8] = HINT(27);        /* yield: no priority change */
    p[9] = HINT(26);        /* miso */
    p[10] = HINT(29);       /* mdoio */
    p[11] = HINT(30);       /* mdoom */
    printf("ppr:");
    for (unsigned i = 0; i < COUNT(p); i++)
        printf(" %lx", p[i]);
    printf("\n");
    static const uint64_t expect[] = { 4, 2, 3, 4, 1, 5, 6, 6, 6, 6, 6, 6 };
    for (unsigned i = 0; i < COUNT(p); i++)
        TEST_EQ(p[i], expect[i]);
    mtspr(SPR_PPR, keep);
}

/* "mr. N,N" is "or. N,N,N": an ordinary record-form or. */
static void check_mr_dot(void)
{
    uint64_t v = 0x8000000000000000UL, cr;
    __asm__ volatile("mtcrf 0xff,%2\n\tmr. %0,%0\n\tmfcr %1" : "+r"(v), "=r"(cr) : "r"(0UL)
                     : "cr0");
    TEST_EQ(v, 0x8000000000000000UL);
    TEST_EQ(cr, CR0_LT);
}

/* ---- darn: random, so only the error-value rules are checked -------------------- */

#define DARN(l)                                                                \
    ({                                                                         \
        uint64_t v_;                                                           \
        __asm__ volatile("darn %0," #l : "=r"(v_));                            \
        v_;                                                                    \
    })

static void check_darn(void)
{
    int ok32 = 1, ok64 = 1;
    for (int i = 0; i < 64; i++) {
        uint64_t w = DARN(0), c = DARN(1), raw = DARN(2);
        ok32 &= (w >> 32) == 0;                             /* 32-bit CRN, zero-extended */
        ok64 &= c != ~0UL && raw != ~0UL;                   /* all-ones means "failed" */
    }
    printf("darn: 32-bit %s, 64-bit %s, L=3 %016lx\n", ok32 ? "ok" : "bad", ok64 ? "ok" : "bad",
           DARN(3));
    TEST_ASSERT(ok32);
    TEST_ASSERT(ok64);
    TEST_EQ(DARN(3), ~0UL);                                 /* reserved L: error value (QEMU) */
}

int main(void)
{
    test_begin("isa/logic");
    known_logical();
    known_unary();
    known_permute();
    check_priority_hints();
    check_mr_dot();
    check_darn();
    sweep_regs();
    sweep_bcd();
    sweep_imm();
    return test_report();
}
