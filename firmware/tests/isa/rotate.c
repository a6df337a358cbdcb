/*
 * rotate.c - fixed-point rotate and shift instructions (Power ISA v3.0B
 * Book I 3.3.14): rlwinm, rlwnm, rlwimi, rldicl, rldicr, rldic, rldimi,
 * rldcl, rldcr, slw, srw, sraw, srawi, sld, srd, srad, sradi, extswsli,
 * with their Rc forms and CA/CA32 for the algebraic shifts.
 *
 * Covered: word rotates duplicating the low word into both halves (visible
 * through wrapping masks, mb > me); the insert forms keeping RA outside the
 * mask (RA starts as 0xa5a5...); shift counts of 32..63 (words) and 64..127
 * (doublewords) and the ignored high bits of RB; CA/CA32 set only for
 * negative operands that lose one bits; CR0 in 32-bit mode.
 * Output: see arith_harness.h.
 */
#include "arith_harness.h"

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* Shift amounts (RB) for the register shifts and rotates. */
static const uint64_t shifts[] = {
    0, 1, 4, 31, 32, 33, 63, 64, 65, 127, 128, 0x8000000000000021UL,
};

/* ---- register shifts: "." forms over fx_vals x shifts ------------------------ */
#define SHIFT_OPS(X) X(slw) X(srw) X(sraw) X(sld) X(srd) X(srad)
#define DEF_SHIFT(op)                                                          \
    FX_DEF_RRR(op##_p, #op, M64)                                               \
    FX_DEF_RRR(op##_r, #op ".", M64)                                           \
    FX_DEF_RRR(op##_r32, #op ".", M32)
SHIFT_OPS(DEF_SHIFT)

typedef struct {
    const char *name, *name_r, *name_r32;
    fx_rrr_fn p, r, r32;
} shift_op;
#define SHIFT_ENTRY(op) { #op, #op ".", "32:" #op ".", op##_p, op##_r, op##_r32 },
static const shift_op shift_ops[] = { SHIFT_OPS(SHIFT_ENTRY) };

static void sweep_shift_one(const char *name, fx_rrr_fn fn, uint64_t xin, bool few)
{
    for (unsigned i = 0; i < (few ? FX_NFEW : FX_NVALS); i++) {
        unsigned vi = few ? fx_few[i] : i;
        for (unsigned j = 0; j < COUNT(shifts); j++) {
            fx_res r = { .rt = FX_RT_INIT };
            fn(fx_vals[vi], shifts[j], xin, &r);
            printf("%-9s %2u s%-2u x%08lx: %016lx %08lx %08lx\n", name, vi, j, xin, r.rt, r.cr,
                   r.xer);
        }
    }
}

static void sweep_shifts(void)
{
    for (unsigned k = 0; k < COUNT(shift_ops); k++) {
        const shift_op *op = &shift_ops[k];
        sweep_shift_one(op->name_r, op->r, XER_CA | XER_CA32, false);
        sweep_shift_one(op->name, op->p, XER_FLAGS, true);
        sweep_shift_one(op->name_r, op->r, XER_SO, true);
        sweep_shift_one(op->name_r32, op->r32, XER_CA | XER_CA32, true);
    }
}

/* ---- immediate forms: one instruction per operand list ----------------------- */
#define SWEEP_IMM(insn, imm, xin, mode, label)                                 \
    do {                                                                       \
        for (unsigned i = 0; i < FX_NVALS; i++) {                              \
            fx_res r = { .rt = FX_RT_INIT };                                   \
            FX_RUN_RI(&r, insn, imm, fx_vals[i], xin, mode);                   \
            fx_print(label insn "," imm, (int)i, -1, xin, &r);                 \
        }                                                                      \
    } while (0)

#define M64I(insn, imm) SWEEP_IMM(insn, imm, XER_SO, M64, "")

/* rlwinm/rlwimi: SH,MB,ME, including wrapping masks and the common idioms. */
#define RLW_IMMS(insn)                                                         \
    do {                                                                       \
        M64I(insn, "0,0,31");                                                  \
        M64I(insn, "8,0,31");        /* rotlwi */                              \
        M64I(insn, "31,0,31");                                                 \
        M64I(insn, "4,0,27");        /* slwi 4 */                              \
        M64I(insn, "28,4,31");       /* srwi 4 */                              \
        M64I(insn, "16,8,15");                                                 \
        M64I(insn, "0,24,7");        /* wraps: high word gets the low word */  \
        M64I(insn, "16,31,0");       /* wraps, two bits */                     \
        M64I(insn, "1,1,0");         /* wraps: everything */                   \
        M64I(insn, "0,31,31");                                                 \
    } while (0)

/* rldicl/rldicr/rldic/rldimi: SH,MB (or ME). */
#define RLD_IMMS(insn)                                                         \
    do {                                                                       \
        M64I(insn, "0,0");                                                     \
        M64I(insn, "1,0");                                                     \
        M64I(insn, "63,0");                                                    \
        M64I(insn, "0,32");                                                    \
        M64I(insn, "32,32");                                                   \
        M64I(insn, "0,63");                                                    \
        M64I(insn, "16,48");                                                   \
        M64I(insn, "48,8");                                                    \
        M64I(insn, "60,4");                                                    \
        M64I(insn, "33,31");                                                   \
    } while (0)

#define SH5_IMMS(insn, xin)                                                    \
    do {                                                                       \
        SWEEP_IMM(insn, "0", xin, M64, "");                                    \
        SWEEP_IMM(insn, "1", xin, M64, "");                                    \
        SWEEP_IMM(insn, "4", xin, M64, "");                                    \
        SWEEP_IMM(insn, "31", xin, M64, "");                                   \
    } while (0)

#define SH6_IMMS(insn, xin)                                                    \
    do {                                                                       \
        SH5_IMMS(insn, xin);                                                   \
        SWEEP_IMM(insn, "32", xin, M64, "");                                   \
        SWEEP_IMM(insn, "33", xin, M64, "");                                   \
        SWEEP_IMM(insn, "63", xin, M64, "");                                   \
    } while (0)

static void sweep_imm(void)
{
    RLW_IMMS("rlwinm.");
    RLW_IMMS("rlwimi.");
    RLD_IMMS("rldicl.");
    RLD_IMMS("rldicr.");
    RLD_IMMS("rldic.");
    RLD_IMMS("rldimi.");
    SH5_IMMS("srawi.", XER_CA | XER_CA32);
    SH6_IMMS("sradi.", XER_CA | XER_CA32);
    SH6_IMMS("extswsli.", XER_FLAGS);
    SWEEP_IMM("rlwinm.", "0,0,31", 0, M32, "32:");
    SWEEP_IMM("rlwinm.", "0,24,7", 0, M32, "32:");
    SWEEP_IMM("rldicl.", "32,0", 0, M32, "32:");
    SWEEP_IMM("srawi.", "4", XER_CA, M32, "32:");
    SWEEP_IMM("sradi.", "33", XER_CA, M32, "32:");
    SWEEP_IMM("extswsli.", "32", 0, M32, "32:");
}

/* ---- rotates by register: RB from the shift table ---------------------------- */
FX_DEF_RRRX(rlwnm_a, "rlwnm.", ",0,31", M64)
FX_DEF_RRRX(rlwnm_b, "rlwnm.", ",24,7", M64)
FX_DEF_RRRX(rlwnm_c, "rlwnm.", ",16,23", M64)
FX_DEF_RRRX(rldcl_a, "rldcl.", ",0", M64)
FX_DEF_RRRX(rldcl_b, "rldcl.", ",40", M64)
FX_DEF_RRRX(rldcr_a, "rldcr.", ",63", M64)
FX_DEF_RRRX(rldcr_b, "rldcr.", ",7", M64)

static const fx_rrr_op rot_ops[] = {
    { "rlwnm.,0,31", rlwnm_a }, { "rlwnm.,24,7", rlwnm_b }, { "rlwnm.,16,23", rlwnm_c },
    { "rldcl.,0", rldcl_a },    { "rldcl.,40", rldcl_b },   { "rldcr.,63", rldcr_a },
    { "rldcr.,7", rldcr_b },
};

static void sweep_rotates(void)
{
    for (unsigned k = 0; k < COUNT(rot_ops); k++)
        sweep_shift_one(rot_ops[k].name, rot_ops[k].fn, XER_SO, false);
}

/* ---- known answers ------------------------------------------------------------------ */

static void known_rotates(void)
{
    fx_res r = { .rt = FX_RT_INIT };
    FX_RUN_RI(&r, "rlwinm", "8,0,31", 0xffffffff12345678UL, 0, M64);
    FX_CHECK("rotlwi 8", &r, 0x34567812UL, 0, 0);
    FX_RUN_RI(&r, "rlwinm", "0,24,7", 0x00000000aabbccddUL, 0, M64);  /* MASK(56, 39) */
    FX_CHECK("rlwinm wrap", &r, 0xaabbccddaa0000ddUL, 0, 0);
    FX_RUN_RI(&r, "rlwinm.", "0,0,31", 0x80000000UL, 0, M64);         /* positive in 64 bits */
    FX_CHECK("rlwinm.", &r, 0x80000000UL, CR0_GT, 0);
    FX_RUN_RI(&r, "rlwinm.", "0,0,31", 0x80000000UL, 0, M32);         /* negative in 32 */
    FX_CHECK("32:rlwinm.", &r, 0x80000000UL, CR0_LT, 0);
    r.rt = FX_RT_INIT;
    FX_RUN_RI(&r, "rlwimi", "16,8,15", 0x12345678UL, 0, M64);         /* inserts bits 40:47 */
    FX_CHECK("rlwimi", &r, 0xa5a5a5a5a578a5a5UL, 0, 0);
    FX_RUN_RI(&r, "rldicl", "0,32", ~0UL, 0, M64);                     /* clrldi 32 */
    FX_CHECK("rldicl 0,32", &r, 0xffffffffUL, 0, 0);
    FX_RUN_RI(&r, "rldicr", "0,31", ~0UL, 0, M64);                     /* clrrdi 32 */
    FX_CHECK("rldicr 0,31", &r, 0xffffffff00000000UL, 0, 0);
    FX_RUN_RI(&r, "rldicl", "60,4", 0x123456789abcdef0UL, 0, M64);     /* srdi 4 */
    FX_CHECK("rldicl 60,4", &r, 0x0123456789abcdefUL, 0, 0);
    FX_RUN_RI(&r, "rldic", "8,8", ~0UL, 0, M64);                       /* MASK(8, 55) */
    FX_CHECK("rldic 8,8", &r, 0x00ffffffffffff00UL, 0, 0);
    r.rt = FX_RT_INIT;
    FX_RUN_RI(&r, "rldimi", "16,32", 0x1234UL, 0, M64);                /* MASK(32, 47) */
    FX_CHECK("rldimi", &r, 0xa5a5a5a51234a5a5UL, 0, 0);
    r = fx_rrr(rldcl_a, 0x8000000000000001UL, 65, 0);                  /* count 65 & 63 = 1 */
    FX_CHECK("rldcl. 65", &r, 3, CR0_GT, 0);
    r = fx_rrr(rlwnm_a, 0x80000001UL, 0x21, 0);                        /* count 33 & 31 = 1 */
    FX_CHECK("rlwnm. 33", &r, 3, CR0_GT, 0);
}

static void known_shifts(void)
{
    fx_res r = { .rt = FX_RT_INIT };
    r = fx_rrr(slw_p, 1, 31, 0);
    FX_CHECK("slw 31", &r, 0x80000000UL, 0, 0);
    r = fx_rrr(slw_p, 1, 32, 0);
    FX_CHECK("slw 32", &r, 0, 0, 0);
    r = fx_rrr(slw_p, 0xffffffff00000001UL, 0x40, 0);                  /* RB[58] = 0: count 0 */
    FX_CHECK("slw 64", &r, 1, 0, 0);
    r = fx_rrr(srw_p, 0xffffffff80000000UL, 31, 0);
    FX_CHECK("srw 31", &r, 1, 0, 0);
    r = fx_rrr(sraw_p, 0x80000000UL, 31, XER_CA | XER_CA32);           /* no one bits lost */
    FX_CHECK("sraw 31", &r, ~0UL, 0, 0);
    r = fx_rrr(sraw_p, ~0UL, 1, 0);
    FX_CHECK("sraw -1,1", &r, ~0UL, 0, XER_CA | XER_CA32);
    r = fx_rrr(sraw_p, 0x80000001UL, 33, 0);                           /* count >= 32 */
    FX_CHECK("sraw 33", &r, ~0UL, 0, XER_CA | XER_CA32);
    r = fx_rrr(sraw_p, 0xffffffff7fffffffUL, 40, XER_CA);              /* positive low word */
    FX_CHECK("sraw pos 40", &r, 0, 0, 0);
    r = fx_rrr(srad_p, ~4UL, 1, 0);                                     /* -5 >> 1 = -3 */
    FX_CHECK("srad -5,1", &r, ~2UL, 0, XER_CA | XER_CA32);
    r = fx_rrr(srad_p, 0x8000000000000000UL, 64, 0);
    FX_CHECK("srad 64", &r, ~0UL, 0, XER_CA | XER_CA32);
    r = fx_rrr(srad_r, 0x7fffffffffffffffUL, 127, 0);
    FX_CHECK("srad. 127", &r, 0, CR0_EQ, 0);
    r = fx_rrr(sld_p, 1, 63, 0);
    FX_CHECK("sld 63", &r, 0x8000000000000000UL, 0, 0);
    r = fx_rrr(sld_p, 1, 64, 0);
    FX_CHECK("sld 64", &r, 0, 0, 0);
    r = fx_rrr(sld_p, 1, 128, 0);                                       /* RB[57:63] = 0 */
    FX_CHECK("sld 128", &r, 1, 0, 0);
    r = fx_rrr(srd_r, ~0UL, 1, 0);
    FX_CHECK("srd. 1", &r, 0x7fffffffffffffffUL, CR0_GT, 0);
    FX_RUN_RI(&r, "sradi", "63", 0x8000000000000000UL, XER_CA, M64);
    FX_CHECK("sradi 63", &r, ~0UL, 0, 0);
    FX_RUN_RI(&r, "srawi", "4", 0xfffffff1UL, 0, M64);                  /* -15 >> 4 = -1, lost 1 */
    FX_CHECK("srawi 4", &r, ~0UL, 0, XER_CA | XER_CA32);
    FX_RUN_RI(&r, "extswsli.", "1", 0x80000000UL, 0, M64);
    FX_CHECK("extswsli. 1", &r, 0xffffffff00000000UL, CR0_LT, 0);
    FX_RUN_RI(&r, "extswsli.", "32", 0x80000000UL, 0, M32);             /* low word 0 */
    FX_CHECK("32:extswsli. 32", &r, 0x8000000000000000UL, CR0_EQ, 0);
}

int main(void)
{
    test_begin("isa/rotate");
    known_rotates();
    known_shifts();
    sweep_shifts();
    sweep_rotates();
    sweep_imm();
    return test_report();
}
