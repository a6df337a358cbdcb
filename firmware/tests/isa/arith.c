/*
 * arith.c - fixed-point add/subtract instructions (Power ISA v3.0B Book I
 * 3.3.9): add, addc, adde, addme, addze, subf, subfc, subfe, subfme,
 * subfze, neg with their OE/Rc forms, addi, addis, addic, addic., subfic,
 * addpcis and addex.
 *
 * Covered: the results; CA and CA32 (carry out of bit 0 and out of the low
 * word, ISA 3.0); OV, OV32 and the sticky SO; CR0 with SO copied; the plain
 * forms leaving XER/CR alone; 32-bit mode (MSR[SF] = 0), where CA/OV take
 * the low-word values and CR0 compares the low word.
 * Output: see arith_harness.h.
 */
#include "arith_harness.h"

#define XER_CAS (XER_CA | XER_CA32)

/* ---- runners: every binary op in four forms, plus "o." in 32-bit mode ---- */
/* X(op, reads CA): ops that read CA are swept with CA = 0 and CA = 1. */
#define BIN_OPS(X) X(add, 0) X(addc, 0) X(adde, 1) X(subf, 0) X(subfc, 0) X(subfe, 1)
#define UN_OPS(X) X(addme, 1) X(addze, 1) X(subfme, 1) X(subfze, 1) X(neg, 0)

#define DEF_BIN(op, ca)                             \
    FX_DEF_RRR(op##_p, #op, M64)                \
    FX_DEF_RRR(op##_r, #op ".", M64)            \
    FX_DEF_RRR(op##_o, #op "o", M64)            \
    FX_DEF_RRR(op##_or, #op "o.", M64)          \
    FX_DEF_RRR(op##_or32, #op "o.", M32)
#define DEF_UN(op, ca)                              \
    FX_DEF_RR(op##_p, #op, M64)                 \
    FX_DEF_RR(op##_r, #op ".", M64)             \
    FX_DEF_RR(op##_o, #op "o", M64)             \
    FX_DEF_RR(op##_or, #op "o.", M64)           \
    FX_DEF_RR(op##_or32, #op "o.", M32)
BIN_OPS(DEF_BIN)
UN_OPS(DEF_UN)
FX_DEF_RRRX(addex_p, "addex", ",0", M64)
FX_DEF_RRRX(addex_32, "addex", ",0", M32)

typedef struct {
    const char *name;
    fx_rrr_fn fn[5];        /* plain, ".", "o", "o.", "o." in 32-bit mode */
    bool reads_ca;
} bin_op;

typedef struct {
    const char *name;
    fx_rr_fn fn[5];
    bool reads_ca;
} un_op;

#define BIN_ENTRY(op, ca) { #op, { op##_p, op##_r, op##_o, op##_or, op##_or32 }, ca },
#define UN_ENTRY(op, ca) { #op, { op##_p, op##_r, op##_o, op##_or, op##_or32 }, ca },
static const bin_op bin_ops[] = { BIN_OPS(BIN_ENTRY) };
static const un_op un_ops[] = { UN_OPS(UN_ENTRY) };
static const char *const form_suffix[5] = { "", ".", "o", "o.", "o." };

static void name_of(char *buf, size_t n, const char *op, int form)
{
    snprintf(buf, n, "%s%s%s", form == 4 ? "32:" : "", op, form_suffix[form]);
}

/* ---- sweeps ------------------------------------------------------------------ */

static void sweep_xo(void)
{
    char name[24];
    for (unsigned k = 0; k < sizeof(bin_ops) / sizeof(bin_ops[0]); k++) {
        const bin_op *op = &bin_ops[k];
        name_of(name, sizeof(name), op->name, 3);
        fx_sweep_rrr(name, op->fn[3], 0);
        if (op->reads_ca)
            fx_sweep_rrr(name, op->fn[3], XER_CAS);
    }
    for (unsigned k = 0; k < sizeof(un_ops) / sizeof(un_ops[0]); k++) {
        const un_op *op = &un_ops[k];
        name_of(name, sizeof(name), op->name, 3);
        fx_sweep_rr(name, op->fn[3], 0);
        if (op->reads_ca)
            fx_sweep_rr(name, op->fn[3], XER_CAS);
    }
    fx_sweep_rrr("addex", addex_p, 0);
    fx_sweep_rrr("addex", addex_p, XER_OV | XER_OV32);
}

/* Plain, Rc and OE forms with every flag preset (what they must not touch
 * stays set), "o." with SO preset (sticky, copied to CR0), and "o." in
 * 32-bit mode. */
static void sweep_forms(void)
{
    char name[24];
    for (unsigned k = 0; k < sizeof(bin_ops) / sizeof(bin_ops[0]); k++) {
        const bin_op *op = &bin_ops[k];
        for (int f = 0; f < 3; f++) {
            name_of(name, sizeof(name), op->name, f);
            fx_sweep_few_rrr(name, op->fn[f], XER_FLAGS);
        }
        name_of(name, sizeof(name), op->name, 3);
        fx_sweep_few_rrr(name, op->fn[3], XER_SO);
        name_of(name, sizeof(name), op->name, 4);
        fx_sweep_few_rrr(name, op->fn[4], 0);
        if (op->reads_ca)
            fx_sweep_few_rrr(name, op->fn[4], XER_CAS);
    }
    for (unsigned k = 0; k < sizeof(un_ops) / sizeof(un_ops[0]); k++) {
        const un_op *op = &un_ops[k];
        for (int f = 0; f < 3; f++) {
            name_of(name, sizeof(name), op->name, f);
            fx_sweep_few_rr(name, op->fn[f], XER_FLAGS);
        }
        name_of(name, sizeof(name), op->name, 3);
        fx_sweep_few_rr(name, op->fn[3], XER_SO);
        name_of(name, sizeof(name), op->name, 4);
        fx_sweep_few_rr(name, op->fn[4], 0);
        if (op->reads_ca)
            fx_sweep_few_rr(name, op->fn[4], XER_CAS);
    }
    fx_sweep_few_rrr("32:addex", addex_32, 0);
    fx_sweep_few_rrr("32:addex", addex_32, XER_OV | XER_OV32 | XER_SO);
}

/* Immediate forms: each immediate is a separate instruction. */
#define SWEEP_IMM(insn, imm, xin, mode, label)                                   \
    do {                                                                         \
        for (unsigned i = 0; i < FX_NVALS; i++) {                                \
            fx_res r = { .rt = FX_RT_INIT };                                     \
            FX_RUN_RI(&r, insn, imm, fx_vals[i], xin, mode);                     \
            fx_print(label insn "," imm, (int)i, -1, xin, &r);                   \
        }                                                                        \
    } while (0)

#define SWEEP_IMMS(insn, xin, mode, label)                                       \
    do {                                                                         \
        SWEEP_IMM(insn, "0", xin, mode, label);                                  \
        SWEEP_IMM(insn, "1", xin, mode, label);                                  \
        SWEEP_IMM(insn, "-1", xin, mode, label);                                 \
        SWEEP_IMM(insn, "0x7fff", xin, mode, label);                             \
        SWEEP_IMM(insn, "-0x8000", xin, mode, label);                            \
    } while (0)

static void sweep_imm(void)
{
    SWEEP_IMMS("addi", XER_FLAGS, M64, "");
    SWEEP_IMMS("addis", XER_FLAGS, M64, "");
    SWEEP_IMMS("addic", XER_SO, M64, "");
    SWEEP_IMMS("addic.", XER_SO, M64, "");
    SWEEP_IMMS("subfic", XER_SO, M64, "");
    SWEEP_IMMS("addic.", 0, M32, "32:");
    SWEEP_IMMS("subfic", 0, M32, "32:");
}

/* ---- known answers (worked out from the ISA) --------------------------------- */

static void known_add(void)
{
    fx_res r;
    r = fx_rrr(add_or, 0x7fffffffffffffffUL, 1, 0);      /* 64-bit overflow only */
    FX_CHECK("addo. max+1", &r, 0x8000000000000000UL, CR0_LT | CR0_SO, XER_SO | XER_OV);
    r = fx_rrr(add_or, 0x7fffffffUL, 1, 0);              /* low-word overflow only */
    FX_CHECK("addo. 0x7fffffff+1", &r, 0x80000000UL, CR0_GT, XER_OV32);
    r = fx_rrr(addc_or, ~0UL, 1, 0);                     /* carries out of both widths */
    FX_CHECK("addco. -1+1", &r, 0, CR0_EQ, XER_CA | XER_CA32);
    r = fx_rrr(addc_or, 0xffffffffUL, 1, 0);             /* low-word carry only */
    FX_CHECK("addco. 0xffffffff+1", &r, 0x100000000UL, CR0_GT, XER_CA32);
    r = fx_rrr(adde_or, ~0UL, 0, XER_CA);                /* carry in */
    FX_CHECK("addeo. -1+0+CA", &r, 0, CR0_EQ, XER_CA | XER_CA32);
    r = fx_rrr(add_p, 5, 7, XER_FLAGS);                  /* plain: XER and CR untouched */
    FX_CHECK("add 5+7", &r, 12, 0, XER_FLAGS);
    r = fx_rrr(add_r, 5, ~6UL, XER_SO);                  /* Rc: SO copied, OV untouched */
    FX_CHECK("add. 5+(-7)", &r, ~1UL, CR0_LT | CR0_SO, XER_SO);
    r = fx_rrr(add_o, 1, 2, XER_SO | XER_OV | XER_OV32); /* OE clears OV, keeps SO */
    FX_CHECK("addo 1+2", &r, 3, 0, XER_SO);
}

static void known_sub(void)
{
    fx_res r;
    r = fx_rrr(subfc_or, 1, 0, 0);                       /* 0 - 1 borrows */
    FX_CHECK("subfco. 0-1", &r, ~0UL, CR0_LT, 0);
    r = fx_rrr(subfc_or, 0, 1, 0);                       /* 1 - 0: no borrow = carry */
    FX_CHECK("subfco. 1-0", &r, 1, CR0_GT, XER_CA | XER_CA32);
    r = fx_rrr(subfc_or, 0x100000000UL, 0x100000000UL, 0);
    FX_CHECK("subfco. x-x", &r, 0, CR0_EQ, XER_CA | XER_CA32);
    r = fx_rrr(subf_or, 0x8000000000000000UL, 0, 0);     /* 0 - min overflows */
    FX_CHECK("subfo. 0-min", &r, 0x8000000000000000UL, CR0_LT | CR0_SO, XER_SO | XER_OV);
    r = fx_rrr(subfe_or, 1, 1, 0);                       /* ~1 + 1 + 0 = -1 */
    FX_CHECK("subfeo. 1-1-1", &r, ~0UL, CR0_LT, 0);
    r = fx_rrr(subfe_or, 1, 1, XER_CA);
    FX_CHECK("subfeo. 1-1", &r, 0, CR0_EQ, XER_CA | XER_CA32);
    r = fx_rr(neg_or, 0x8000000000000000UL, 0);
    FX_CHECK("nego. min", &r, 0x8000000000000000UL, CR0_LT | CR0_SO, XER_SO | XER_OV);
    r = fx_rr(neg_or, 0x80000000UL, 0);                  /* low-word minimum */
    FX_CHECK("nego. 0x80000000", &r, 0xffffffff80000000UL, CR0_LT, XER_OV32);
    r = fx_rr(neg_p, 1, XER_FLAGS);
    FX_CHECK("neg 1", &r, ~0UL, 0, XER_FLAGS);
}

static void known_extended(void)
{
    fx_res r;
    r = fx_rr(addme_or, 0, 0);                           /* 0 - 1 + 0 */
    FX_CHECK("addmeo. 0", &r, ~0UL, CR0_LT, 0);
    r = fx_rr(addme_or, 0, XER_CA);                      /* 0 - 1 + 1 */
    FX_CHECK("addmeo. 0 CA", &r, 0, CR0_EQ, XER_CA | XER_CA32);
    r = fx_rr(addze_or, 0x7fffffffffffffffUL, XER_CA);
    FX_CHECK("addzeo. max CA", &r, 0x8000000000000000UL, CR0_LT | CR0_SO,
             XER_SO | XER_OV | XER_CA32);
    r = fx_rr(subfme_or, 0, XER_CA);                     /* ~0 - 1 + 1 */
    FX_CHECK("subfmeo. 0 CA", &r, ~0UL, CR0_LT, XER_CA | XER_CA32);
    r = fx_rr(subfze_or, 0, 0);
    FX_CHECK("subfzeo. 0", &r, ~0UL, CR0_LT, 0);
    r = fx_rr(subfze_or, 0, XER_CA);
    FX_CHECK("subfzeo. 0 CA", &r, 0, CR0_EQ, XER_CA | XER_CA32);
    r = fx_rrr(addex_p, ~0UL, 0, XER_OV | XER_OV32);     /* carry goes to OV/OV32, not SO */
    FX_CHECK("addex -1+0+OV", &r, 0, 0, XER_OV | XER_OV32);
    r = fx_rrr(addex_p, 0xffffffffUL, 0, XER_OV);
    FX_CHECK("addex 0xffffffff+OV", &r, 0x100000000UL, 0, XER_OV32);
}

static void known_imm(void)
{
    fx_res r = { .rt = FX_RT_INIT };
    uint64_t v;
    FX_RUN_RI(&r, "addic.", "-1", 0, 0, M64);
    FX_CHECK("addic. 0,-1", &r, ~0UL, CR0_LT, 0);
    FX_RUN_RI(&r, "addic.", "1", ~0UL, XER_SO, M64);
    FX_CHECK("addic. -1,1", &r, 0, CR0_EQ | CR0_SO, XER_SO | XER_CA | XER_CA32);
    FX_RUN_RI(&r, "addic", "1", 0xffffffffUL, 0, M64);
    FX_CHECK("addic 0xffffffff,1", &r, 0x100000000UL, 0, XER_CA32);
    FX_RUN_RI(&r, "subfic", "5", 3, 0, M64);
    FX_CHECK("subfic 5-3", &r, 2, 0, XER_CA | XER_CA32);
    FX_RUN_RI(&r, "subfic", "5", 6, 0, M64);
    FX_CHECK("subfic 5-6", &r, ~0UL, 0, 0);
    FX_RUN_RI(&r, "addis", "-0x8000", 1, 0, M64);
    FX_CHECK("addis 1,-0x8000", &r, 0xffffffff80000001UL, 0, 0);
    FX_RUN_RI(&r, "addi", "-1", 0x100000000UL, 0, M64);
    FX_CHECK("addi 2^32,-1", &r, 0xffffffffUL, 0, 0);
    /* addi/addis with RA = 0 use the value 0, not r0. */
    __asm__ volatile("li 0,77\n\taddi %0,0,5" : "=r"(v) : : "r0");
    TEST_EQ(v, 5);
    __asm__ volatile("li 0,77\n\taddis %0,0,1" : "=r"(v) : : "r0");
    TEST_EQ(v, 0x10000);
}

/* addpcis RT,D: RT = NIA + (D << 16); printed relative to the instruction. */
#define ADDPCIS(d)                                                              \
    ({                                                                          \
        uint64_t rt_, here_;                                                    \
        __asm__ volatile("bcl 20,31,1f\n1:\tmflr %1\n\taddpcis %0," #d          \
                         : "=r"(rt_), "=r"(here_) : : "lr");                    \
        rt_ - (here_ + 4);                                                      \
    })

static void check_addpcis(void)
{
    uint64_t d0 = ADDPCIS(0), d1 = ADDPCIS(1), dm = ADDPCIS(-1);
    uint64_t dmax = ADDPCIS(0x7fff), dmin = ADDPCIS(-0x8000);
    printf("addpcis: %lx %lx %lx %lx %lx\n", d0, d1, dm, dmax, dmin);
    TEST_EQ(d0, 4);                                       /* NIA = CIA + 4 */
    TEST_EQ(d1, 4 + 0x10000);
    TEST_EQ(dm, 4 - 0x10000UL);
    TEST_EQ(dmax, 4 + 0x7fff0000UL);
    TEST_EQ(dmin, 4 - 0x80000000UL);
}

static void known_32bit(void)
{
    fx_res r;
    r = fx_rrr(add_or32, 0x7fffffffUL, 1, 0);            /* OV = OV32; CR0 from the low word */
    FX_CHECK("32:addo. 0x7fffffff+1", &r, 0x80000000UL, CR0_LT | CR0_SO,
             XER_SO | XER_OV | XER_OV32);
    r = fx_rrr(add_or32, 0x7fffffffffffffffUL, 1, 0);    /* no low-word overflow */
    FX_CHECK("32:addo. max+1", &r, 0x8000000000000000UL, CR0_EQ, 0);
    r = fx_rrr(addc_or32, 0xffffffffUL, 1, 0);           /* CA = carry out of the low word */
    FX_CHECK("32:addco. 0xffffffff+1", &r, 0x100000000UL, CR0_EQ, XER_CA | XER_CA32);
    r = fx_rrr(addc_or32, ~0UL - 0xffffffffUL, 0xffffffffUL + 1, 0);
    FX_CHECK("32:addco. high carry", &r, 0, CR0_EQ, 0);
    r = fx_rrr(subf_or32, 0x80000000UL, 0, 0);
    FX_CHECK("32:subfo. 0-0x80000000", &r, 0xffffffff80000000UL, CR0_LT | CR0_SO,
             XER_SO | XER_OV | XER_OV32);
    r = fx_rrr(subfc_or32, 1, 0x100000000UL, 0);         /* borrow in the low word */
    FX_CHECK("32:subfco. 2^32-1", &r, 0xffffffffUL, CR0_LT, 0);
    r = fx_rrr(addex_32, 0xffffffffUL, 0, XER_OV);
    FX_CHECK("32:addex", &r, 0x100000000UL, 0, XER_OV | XER_OV32);
}

int main(void)
{
    test_begin("isa/arith");
    known_add();
    known_sub();
    known_extended();
    known_imm();
    check_addpcis();
    known_32bit();
    sweep_xo();
    sweep_forms();
    sweep_imm();
    return test_report();
}
