/*
 * muldiv.c - fixed-point multiply, multiply-add, divide and modulo
 * instructions (Power ISA v3.0B Book I 3.3.9): mulli, mullw, mulhw, mulhwu,
 * mulld, mulhd, mulhdu, maddhd, maddhdu, maddld, divw, divwu, divwe,
 * divweu, divd, divdu, divde, divdeu, modsw, moduw, modsd, modud, with their
 * OE/Rc forms, in 64-bit and 32-bit mode.
 *
 * The ISA leaves some results undefined (division by zero or overflow, the
 * high word of mulhw/divw ...).  The sweeps print them anyway: nesthv gives
 * QEMU 7.2's values bit for bit.  The known-answer checks only assert what
 * the ISA defines.
 *
 * QEMU 7.2 bugs (muldiv.qemu-diff, docs/conformance.md), where nesthv
 * follows the ISA and the lines differ:
 *   - divde[o] reports no overflow when |RA| < |RB| but the quotient still
 *     does not fit in 64 bits (e.g. RA = 1, RB = 2: 2^64 / 2 = 2^63);
 *     nesthv sets OV/OV32/SO there, as the ISA requires;
 *   - the reserved opcode 4 VA-form extended opcode 50 runs as maddld on
 *     QEMU; nesthv raises an illegal-instruction interrupt.
 *
 * Output: see arith_harness.h.
 */
#include "arith_harness.h"

/* Ops with an OE form: plain, "o", "o." and "o." in 32-bit mode. */
#define OE_OPS(X)                                                              \
    X(mullw) X(mulld) X(divw) X(divwu) X(divwe) X(divweu)                      \
    X(divd) X(divdu) X(divde) X(divdeu)
/* Ops without: plain, "." and "." in 32-bit mode. */
#define NOOE_OPS(X) X(mulhw) X(mulhwu) X(mulhd) X(mulhdu)

#define DEF_OE(op)                                                             \
    FX_DEF_RRR(op##_p, #op, M64)                                               \
    FX_DEF_RRR(op##_o, #op "o", M64)                                           \
    FX_DEF_RRR(op##_full, #op "o.", M64)                                       \
    FX_DEF_RRR(op##_full32, #op "o.", M32)
#define DEF_NOOE(op)                                                           \
    FX_DEF_RRR(op##_p, #op, M64)                                               \
    FX_DEF_RRR(op##_full, #op ".", M64)                                        \
    FX_DEF_RRR(op##_full32, #op ".", M32)
OE_OPS(DEF_OE)
NOOE_OPS(DEF_NOOE)

#define MOD_OPS(X) X(modsw) X(moduw) X(modsd) X(modud)
#define DEF_MOD(op)                                                            \
    FX_DEF_RRR(op##_p, #op, M64)                                               \
    FX_DEF_RRR(op##_32, #op, M32)
MOD_OPS(DEF_MOD)

typedef struct {
    const char *name, *name_o, *name_full;
    fx_rrr_fn plain, o, full, full32;
} muldiv_op;

#define OE_ENTRY(op) { #op, #op "o", #op "o.", op##_p, op##_o, op##_full, op##_full32 },
#define NOOE_ENTRY(op) { #op, #op ".", #op ".", op##_p, op##_full, op##_full, op##_full32 },
static const muldiv_op ops[] = { OE_OPS(OE_ENTRY) NOOE_OPS(NOOE_ENTRY) };
#define NOPS (sizeof(ops) / sizeof(ops[0]))

#define MOD_ENTRY(op) { #op, op##_p },
static const fx_rrr_op mod_ops[] = { MOD_OPS(MOD_ENTRY) };
#define MOD32_ENTRY(op) { "32:" #op, op##_32 },
static const fx_rrr_op mod32_ops[] = { MOD_OPS(MOD32_ENTRY) };
#define NMOD (sizeof(mod_ops) / sizeof(mod_ops[0]))

/* maddhd/maddhdu/maddld RT,RA,RB,RC: RT is written, RC read. */
#define DEF_MADD(fn, insn)                                                     \
    static void __attribute__((noinline)) fn(uint64_t a, uint64_t b, uint64_t c, fx_res *r) \
    {                                                                          \
        uint64_t rt = r->rt, cr, xer, msr, tmp;                                \
        __asm__ volatile(FX_PRE insn " %[rt],%[ra],%[rb],%[rc]" FX_POST       \
                         : FX_OUTS(rt)                                         \
                         : [ra] "r"(a), [rb] "r"(b), [rc] "r"(c), [xin] "r"(0UL), \
                           [zero] "r"(0UL)                                     \
                         : FX_CLOBBERS);                                       \
        r->rt = rt;                                                            \
        r->cr = cr;                                                            \
        r->xer = xer;                                                          \
    }
DEF_MADD(maddhd_p, "maddhd")
DEF_MADD(maddhdu_p, "maddhdu")
DEF_MADD(maddld_p, "maddld")

typedef void (*madd_fn)(uint64_t a, uint64_t b, uint64_t c, fx_res *r);

/* ---- sweeps ----------------------------------------------------------------- */

static void sweep_muldiv(void)
{
    char name[24];
    for (unsigned k = 0; k < NOPS; k++)
        fx_sweep_rrr(ops[k].name_full, ops[k].full, 0);
    for (unsigned k = 0; k < NMOD; k++)
        fx_sweep_rrr(mod_ops[k].name, mod_ops[k].fn, XER_FLAGS);
    for (unsigned k = 0; k < NOPS; k++) {
        fx_sweep_few_rrr(ops[k].name, ops[k].plain, XER_FLAGS);
        fx_sweep_few_rrr(ops[k].name_o, ops[k].o, XER_FLAGS);
        fx_sweep_few_rrr(ops[k].name_full, ops[k].full, XER_SO);
        snprintf(name, sizeof(name), "32:%s", ops[k].name_full);
        fx_sweep_few_rrr(name, ops[k].full32, 0);
    }
    for (unsigned k = 0; k < NMOD; k++)
        fx_sweep_few_rrr(mod32_ops[k].name, mod32_ops[k].fn, 0);
}

/* Multiply-add: RA over fx_vals, RB over fx_few, RC over three values. */
static const uint64_t madd_c[] = { 0, 0xffffffffffffffffUL, 0x8000000000000000UL };

static void sweep_madd_one(const char *name, madd_fn fn)
{
    for (unsigned i = 0; i < FX_NVALS; i++) {
        for (unsigned j = 0; j < FX_NFEW; j++) {
            for (unsigned k = 0; k < sizeof(madd_c) / sizeof(madd_c[0]); k++) {
                fx_res r = { .rt = FX_RT_INIT };
                fn(fx_vals[i], fx_vals[fx_few[j]], madd_c[k], &r);
                printf("%-9s %2u %2u c%u: %016lx %08lx %08lx\n", name, i, fx_few[j], k, r.rt,
                       r.cr, r.xer);
            }
        }
    }
}

/*
 * Opcode 4 VA-form extended opcode 50 sits between maddhdu (49) and maddld
 * (51) and is reserved: an illegal instruction.  QEMU 7.2 runs it as
 * maddld (its decode table ignores the low bit), so this line differs
 * there (muldiv.qemu-diff).
 */
static uint64_t va50_vec, va50_srr1;

static int on_va50_trap(struct fw_trap *t)
{
    if (va50_vec)
        return -1;
    va50_vec = t->vec;
    va50_srr1 = t->srr1;
    fw_trap_skip(t);
    return 0;
}

static void check_va_reserved(void)
{
    fw_trap_fn prev = fw_set_trap_handler(on_va50_trap);
    uint64_t rt = 1;
    /* maddld with XO 51 -> 50: "0x10642972" = RT 3, RA 4, RB 5, RC 5. */
    __asm__ volatile("li 3,1\n\tli 4,3\n\tli 5,4\n\t.long 0x10642972\n\tmr %0,3"
                     : "=r"(rt) : : "r3", "r4", "r5");
    fw_set_trap_handler(prev);
    if (!va50_vec)
        printf("va-form xo 50: executed (r3 = %lx)\n", rt);
    else if (va50_vec == FW_VEC_PROGRAM && (va50_srr1 & FW_SRR1_PROGRAM_ILLEGAL))
        printf("va-form xo 50: illegal (r3 = %lx)\n", rt);
    else
        printf("va-form xo 50: interrupt 0x%lx srr1 0x%lx\n", va50_vec, va50_srr1);
}

static void sweep_madd(void)
{
    sweep_madd_one("maddhd", maddhd_p);
    sweep_madd_one("maddhdu", maddhdu_p);
    sweep_madd_one("maddld", maddld_p);
}

#define SWEEP_MULLI(imm)                                                       \
    do {                                                                       \
        for (unsigned i = 0; i < FX_NVALS; i++) {                              \
            fx_res r = { .rt = FX_RT_INIT };                                   \
            FX_RUN_RI(&r, "mulli", imm, fx_vals[i], XER_FLAGS, M64);           \
            fx_print("mulli," imm, (int)i, -1, XER_FLAGS, &r);                 \
        }                                                                      \
    } while (0)

static void sweep_mulli(void)
{
    SWEEP_MULLI("0");
    SWEEP_MULLI("1");
    SWEEP_MULLI("-1");
    SWEEP_MULLI("3");
    SWEEP_MULLI("0x7fff");
    SWEEP_MULLI("-0x8000");
}

/* ---- known answers -------------------------------------------------------------- */

#define LOW32(x) ((x) & 0xffffffffUL)
#define OVS (XER_SO | XER_OV | XER_OV32)

static void known_mul(void)
{
    fx_res r;
    fx_res m = { .rt = FX_RT_INIT };
    r = fx_rrr(mullw_full, 0x7fffffffUL, 2, 0);              /* 64-bit product, OV: not 32 bits */
    FX_CHECK("mullwo. 0x7fffffff*2", &r, 0xfffffffeUL, CR0_GT | CR0_SO, OVS);
    r = fx_rrr(mullw_full, 0x1234567800000003UL, 0xffffffff00000002UL, 0);  /* high words ignored */
    FX_CHECK("mullwo. 3*2", &r, 6, CR0_GT, 0);
    r = fx_rrr(mullw_full, ~0UL, 0x7fffffffUL, 0);           /* -1 * max fits */
    FX_CHECK("mullwo. -1*max", &r, 0xffffffff80000001UL, CR0_LT, 0);
    r = fx_rrr(mulhw_full, 0x80000000UL, 0x80000000UL, 0);   /* 2^62: high word 2^30 */
    TEST_EQ(LOW32(r.rt), 0x40000000);
    r = fx_rrr(mulhw_full, ~0UL, ~0UL, 0);                   /* (-1)(-1) = 1: high word 0 */
    TEST_EQ(LOW32(r.rt), 0);
    r = fx_rrr(mulhwu_full, 0xffffffffUL, 0xffffffffUL, 0);  /* 0xfffffffe00000001 */
    TEST_EQ(LOW32(r.rt), 0xfffffffe);
    r = fx_rrr(mulld_full, 0x8000000000000000UL, ~0UL, 0);   /* min * -1 overflows */
    FX_CHECK("mulldo. min*-1", &r, 0x8000000000000000UL, CR0_LT | CR0_SO, OVS);
    r = fx_rrr(mulld_full, 0x100000000UL, 0x7fffffffUL, 0);  /* fits */
    FX_CHECK("mulldo. 2^32*max32", &r, 0x7fffffff00000000UL, CR0_GT, 0);
    r = fx_rrr(mulhd_full, ~0UL, ~0UL, 0);
    FX_CHECK("mulhd. -1*-1", &r, 0, CR0_EQ, 0);
    r = fx_rrr(mulhd_full, 0x8000000000000000UL, 2, 0);      /* -2^64: high -1 */
    FX_CHECK("mulhd. min*2", &r, ~0UL, CR0_LT, 0);
    r = fx_rrr(mulhdu_full, ~0UL, ~0UL, 0);                  /* 2^128 - 2^65 + 1 */
    FX_CHECK("mulhdu. -1*-1", &r, 0xfffffffffffffffeUL, CR0_LT, 0);
    maddhd_p(~0UL, 1, ~0UL, &m);                             /* -1 - 1 = -2: high -1 */
    TEST_EQ(m.rt, ~0UL);
    maddhdu_p(~0UL, 2, 1, &m);                               /* 2^65 - 1: high 1 */
    TEST_EQ(m.rt, 1);
    maddld_p(3, 4, 5, &m);
    TEST_EQ(m.rt, 17);
    maddld_p(0x100000000UL, 0x100000000UL, ~0UL, &m);        /* 2^64 - 1 wraps */
    TEST_EQ(m.rt, ~0UL);
}

static void known_div(void)
{
    fx_res r;
    r = fx_rrr(divw_full, 7, ~1UL, 0);                       /* 7 / -2 = -3 (truncates) */
    TEST_EQ(LOW32(r.rt), 0xfffffffd);
    TEST_EQ(r.xer, 0);
    r = fx_rrr(divw_full, 5, 0, 0);                          /* by zero: OV */
    TEST_EQ(r.xer, OVS);
    r = fx_rrr(divw_full, 0x80000000UL, ~0UL, 0);            /* min / -1: OV */
    TEST_EQ(r.xer, OVS);
    r = fx_rrr(divwu_full, 0xffffffffUL, 2, 0);
    TEST_EQ(LOW32(r.rt), 0x7fffffff);
    TEST_EQ(r.xer, 0);
    r = fx_rrr(divwu_full, 0xffffffffUL, 0, 0);
    TEST_EQ(r.xer, OVS);
    r = fx_rrr(divd_full, ~6UL, 2, 0);                       /* -7 / 2 = -3 */
    FX_CHECK("divdo. -7/2", &r, ~2UL, CR0_LT, 0);
    r = fx_rrr(divd_full, 0x8000000000000000UL, ~0UL, 0);
    TEST_EQ(r.xer, OVS);
    r = fx_rrr(divdu_full, ~0UL, 2, 0);
    FX_CHECK("divduo. -1/2", &r, 0x7fffffffffffffffUL, CR0_GT, 0);
    r = fx_rrr(divdu_full, 1, 0, 0);
    TEST_EQ(r.xer, OVS);
}

static void known_dive(void)
{
    fx_res r;
    r = fx_rrr(divwe_full, 1, 3, 0);                         /* 2^32 / 3 */
    TEST_EQ(LOW32(r.rt), 0x55555555);
    TEST_EQ(r.xer, 0);
    r = fx_rrr(divwe_full, ~0UL, 3, 0);                      /* -2^32 / 3 */
    TEST_EQ(LOW32(r.rt), 0xaaaaaaab);
    TEST_EQ(r.xer, 0);
    r = fx_rrr(divwe_full, 1, 2, 0);                         /* 2^31 does not fit */
    TEST_EQ(r.xer, OVS);
    r = fx_rrr(divweu_full, 1, 2, 0);                        /* 2^31 fits unsigned */
    TEST_EQ(LOW32(r.rt), 0x80000000);
    TEST_EQ(r.xer, 0);
    r = fx_rrr(divweu_full, 3, 2, 0);                        /* 1.5 * 2^32 does not */
    TEST_EQ(r.xer, OVS);
    r = fx_rrr(divdeu_full, 1, 2, 0);                        /* 2^64 / 2 = 2^63 */
    FX_CHECK("divdeuo. 1/2", &r, 0x8000000000000000UL, CR0_LT, 0);
    r = fx_rrr(divdeu_full, 2, 2, 0);                        /* RA >= RB overflows */
    TEST_EQ(r.xer, OVS);
    r = fx_rrr(divde_full, 1, 3, 0);
    FX_CHECK("divdeo. 1/3", &r, 0x5555555555555555UL, CR0_GT, 0);
    r = fx_rrr(divde_full, ~0UL, 2, 0);                      /* -2^64 / 2 = -2^63 fits */
    FX_CHECK("divdeo. -1/2", &r, 0x8000000000000000UL, CR0_LT, 0);
    r = fx_rrr(divde_full, 5, 0, 0);
    TEST_EQ(r.xer, OVS);
}

static void known_mod(void)
{
    fx_res r;
    r = fx_rrr(modsw_p, ~6UL, 2, 0);                         /* -7 % 2 = -1 */
    FX_CHECK("modsw -7%2", &r, ~0UL, 0, 0);
    r = fx_rrr(moduw_p, 0x12345678ffffffffUL, 10, XER_FLAGS); /* 4294967295 % 10 */
    FX_CHECK("moduw", &r, 5, 0, XER_FLAGS);
    r = fx_rrr(modsd_p, ~6UL, 3, 0);
    FX_CHECK("modsd -7%3", &r, ~0UL, 0, 0);
    r = fx_rrr(modud_p, 100, 7, 0);
    FX_CHECK("modud 100%7", &r, 2, 0, 0);
}

static void known_32bit(void)
{
    fx_res r;
    r = fx_rrr(mullw_full32, 0x10000, 0x10000, 0);           /* 2^32: CR0 sees 0 */
    FX_CHECK("32:mullwo. 2^16*2^16", &r, 0x100000000UL, CR0_EQ | CR0_SO, OVS);
    r = fx_rrr(mulld_full32, 0x100000000UL, 0x100000000UL, 0); /* OV still 64-bit */
    FX_CHECK("32:mulldo. 2^32*2^32", &r, 0, CR0_EQ | CR0_SO, OVS);
    r = fx_rrr(divd_full32, 0x300000000UL, 3, 0);            /* low word 0 */
    FX_CHECK("32:divdo.", &r, 0x100000000UL, CR0_EQ, 0);
    r = fx_rrr(divw_full32, ~5UL, 3, 0);                     /* -6 / 3 = -2: CR0 LT */
    TEST_EQ(LOW32(r.rt), 0xfffffffe);
    TEST_EQ(r.cr, CR0_LT);
}

int main(void)
{
    test_begin("isa/muldiv");
    known_mul();
    known_div();
    known_dive();
    known_mod();
    known_32bit();
    check_va_reserved();
    sweep_muldiv();
    sweep_madd();
    sweep_mulli();
    return test_report();
}
