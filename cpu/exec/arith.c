/*
 * arith.c - fixed-point arithmetic instructions (Power ISA v3.0B Book I
 * 3.3.9): add/subtract with carries and overflow, addpcis, addex, multiply,
 * multiply-add, divide, modulo, darn.  Encodings: cpu/insn-fixedpoint.decode.
 *
 * Every add and subtract goes through do_add(): subtract-from is
 * ~RA + RB + 1, the extended forms add CA instead of 1, the "minus one" and
 * "zero" forms use -1 and 0 for RB.  CA/CA32 and OV/OV32 follow from the
 * operands and the 64-bit sum (cpu/exec/fixedpoint.h); in 32-bit mode CA and
 * OV take their low-word values, as the ISA says and QEMU 7.2 does.
 *
 * Multiply and divide overflow (OE=1) is width-specific, not mode-specific:
 * OV and OV32 are both set to "the result does not fit" in the operation's
 * width, as QEMU 7.2 does (mulldo in 32-bit mode still checks 64 bits).
 * Results the ISA leaves undefined (division by zero, quotient too large,
 * high word of mulhw ...) are those of QEMU 7.2: see the fx_div* helpers.
 */
#include "cpu/exec/exec.h"
#include "cpu/exec/fast.h"
#include "cpu/exec/fixedpoint.h"

/* ---- XER and CR0 updates ------------------------------------------------------ */

/* CA and CA32 of r = x + y + c. */
static inline void set_ca(CPUState *cpu, uint64_t x, uint64_t y, uint64_t r)
{
    unsigned c32 = fx_carry32(x, y, r);
    cpu->ca32 = (uint8_t)c32;
    cpu->ca = (uint8_t)(cpu_is_64bit(cpu) ? fx_carry64(x, y, r) : c32);
}

/* OV, OV32 and SO of r = x + y + c (OE=1). */
static inline void set_ov_add(CPUState *cpu, uint64_t x, uint64_t y, uint64_t r)
{
    unsigned o32 = fx_ovf32(x, y, r);
    cpu->ov32 = (uint8_t)o32;
    cpu->ov = (uint8_t)(cpu_is_64bit(cpu) ? fx_ovf64(x, y, r) : o32);
    cpu->so |= cpu->ov;
}

/* OV = OV32 = ovf, SO |= ovf: multiply and divide with OE=1. */
static inline void set_ov(CPUState *cpu, bool ovf)
{
    cpu->ov = cpu->ov32 = ovf;
    cpu->so |= ovf;
}

/* ---- add and subtract ----------------------------------------------------------- */

/* RT <- x + y + c; CA/CA32 if with_ca; OV/OV32/SO if OE; CR0 if Rc. */
static inline void do_add(CPUState *cpu, const arg_XO *a, uint64_t x, uint64_t y, unsigned c,
                          bool with_ca)
{
    uint64_t r = x + y + c;
    if (with_ca)
        set_ca(cpu, x, y, r);
    if (a->oe)
        set_ov_add(cpu, x, y, r);
    fx_set_reg_rc(cpu, a->rt, r, a->rc);
}

void trans_ADD(CPUState *cpu, const arg_XO *a)
{
    do_add(cpu, a, cpu->gpr[a->ra], cpu->gpr[a->rb], 0, false);
}

void trans_ADDC(CPUState *cpu, const arg_XO *a)
{
    do_add(cpu, a, cpu->gpr[a->ra], cpu->gpr[a->rb], 0, true);
}

void trans_ADDE(CPUState *cpu, const arg_XO *a)
{
    do_add(cpu, a, cpu->gpr[a->ra], cpu->gpr[a->rb], cpu->ca, true);
}

void trans_ADDME(CPUState *cpu, const arg_XO *a)
{
    do_add(cpu, a, cpu->gpr[a->ra], ~0ULL, cpu->ca, true);
}

void trans_ADDZE(CPUState *cpu, const arg_XO *a)
{
    do_add(cpu, a, cpu->gpr[a->ra], 0, cpu->ca, true);
}

void trans_SUBF(CPUState *cpu, const arg_XO *a)
{
    do_add(cpu, a, ~cpu->gpr[a->ra], cpu->gpr[a->rb], 1, false);
}

void trans_SUBFC(CPUState *cpu, const arg_XO *a)
{
    do_add(cpu, a, ~cpu->gpr[a->ra], cpu->gpr[a->rb], 1, true);
}

void trans_SUBFE(CPUState *cpu, const arg_XO *a)
{
    do_add(cpu, a, ~cpu->gpr[a->ra], cpu->gpr[a->rb], cpu->ca, true);
}

void trans_SUBFME(CPUState *cpu, const arg_XO *a)
{
    do_add(cpu, a, ~cpu->gpr[a->ra], ~0ULL, cpu->ca, true);
}

void trans_SUBFZE(CPUState *cpu, const arg_XO *a)
{
    do_add(cpu, a, ~cpu->gpr[a->ra], 0, cpu->ca, true);
}

/* neg: ~RA + 1; overflows only for the most negative number. */
void trans_NEG(CPUState *cpu, const arg_XO *a)
{
    do_add(cpu, a, ~cpu->gpr[a->ra], 0, 1, false);
}

/* ---- immediate forms ------------------------------------------------------------ */

void trans_ADDI(CPUState *cpu, const arg_D_si *a)
{
    cpu->gpr[a->rt] = reg_or_zero(cpu, a->ra) + (uint64_t)(int64_t)a->si;
}

void trans_ADDIS(CPUState *cpu, const arg_D_si *a)
{
    cpu->gpr[a->rt] = reg_or_zero(cpu, a->ra) + ((uint64_t)(int64_t)a->si << 16);
}

static inline void do_addic(CPUState *cpu, const arg_D_si *a, bool rc)
{
    uint64_t x = cpu->gpr[a->ra], y = (uint64_t)(int64_t)a->si;
    uint64_t r = x + y;
    set_ca(cpu, x, y, r);
    fx_set_reg_rc(cpu, a->rt, r, rc);
}

void trans_ADDIC(CPUState *cpu, const arg_D_si *a)
{
    do_addic(cpu, a, false);
}

void trans_ADDIC_rc(CPUState *cpu, const arg_D_si *a)
{
    do_addic(cpu, a, true);
}

void trans_SUBFIC(CPUState *cpu, const arg_D_si *a)
{
    uint64_t x = ~cpu->gpr[a->ra], y = (uint64_t)(int64_t)a->si;
    uint64_t r = x + y + 1;
    set_ca(cpu, x, y, r);
    cpu->gpr[a->rt] = r;
}

/* addpcis (ISA 3.0): RT <- NIA + (D || 0x0000). */
void trans_ADDPCIS(CPUState *cpu, const arg_DX *a)
{
    cpu->gpr[a->rt] = cpu->nip + ((uint64_t)(int64_t)a->d << 16);
}

/*
 * addex (ISA 3.0, CY=0): RT <- RA + RB + OV, with the carry out going to
 * OV/OV32 instead of CA/CA32 (same widths as CA); SO is not touched.
 */
void trans_ADDEX(CPUState *cpu, const arg_X_trr *a)
{
    uint64_t x = cpu->gpr[a->ra], y = cpu->gpr[a->rb];
    uint64_t r = x + y + cpu->ov;
    unsigned c32 = fx_carry32(x, y, r);
    cpu->ov32 = (uint8_t)c32;
    cpu->ov = (uint8_t)(cpu_is_64bit(cpu) ? fx_carry64(x, y, r) : c32);
    cpu->gpr[a->rt] = r;
}

/* ---- multiply ------------------------------------------------------------------- */

void trans_MULLI(CPUState *cpu, const arg_D_si *a)
{
    cpu->gpr[a->rt] = cpu->gpr[a->ra] * (uint64_t)(int64_t)a->si;
}

/* mullw: the full 64-bit product of the sign-extended low words (as QEMU). */
void trans_MULLW(CPUState *cpu, const arg_XO *a)
{
    int64_t p = (int64_t)(int32_t)cpu->gpr[a->ra] * (int32_t)cpu->gpr[a->rb];
    if (a->oe)
        set_ov(cpu, p != (int32_t)p);
    fx_set_reg_rc(cpu, a->rt, (uint64_t)p, a->rc);
}

/* mulhw/mulhwu: high word of the low-word product; RT[0:31] = 0 (as QEMU). */
void trans_MULHW(CPUState *cpu, const arg_XO *a)
{
    int64_t p = (int64_t)(int32_t)cpu->gpr[a->ra] * (int32_t)cpu->gpr[a->rb];
    fx_set_reg_rc(cpu, a->rt, (uint64_t)p >> FX_WORD_BITS, a->rc);
}

void trans_MULHWU(CPUState *cpu, const arg_XO *a)
{
    uint64_t p = (cpu->gpr[a->ra] & FX_LOW32) * (cpu->gpr[a->rb] & FX_LOW32);
    fx_set_reg_rc(cpu, a->rt, p >> FX_WORD_BITS, a->rc);
}

void trans_MULLD(CPUState *cpu, const arg_XO *a)
{
    uint64_t x = cpu->gpr[a->ra], y = cpu->gpr[a->rb];
    if (a->oe)
        set_ov(cpu, fx_mul64_ovf(x, y));
    fx_set_reg_rc(cpu, a->rt, x * y, a->rc);
}

void trans_MULHD(CPUState *cpu, const arg_XO *a)
{
    fx_set_reg_rc(cpu, a->rt, fx_mulhs64(cpu->gpr[a->ra], cpu->gpr[a->rb]), a->rc);
}

void trans_MULHDU(CPUState *cpu, const arg_XO *a)
{
    fx_set_reg_rc(cpu, a->rt, fx_mulhu64(cpu->gpr[a->ra], cpu->gpr[a->rb]), a->rc);
}

/* maddhd/maddhdu/maddld (ISA 3.0): the 128-bit RA * RB + RC, high or low half. */
void trans_MADDHD(CPUState *cpu, const arg_VA_gpr *a)
{
    __int128 s = (__int128)(int64_t)cpu->gpr[a->ra] * (int64_t)cpu->gpr[a->rb]
               + (int64_t)cpu->gpr[a->rc];
    cpu->gpr[a->rt] = (uint64_t)((unsigned __int128)s >> 64);
}

void trans_MADDHDU(CPUState *cpu, const arg_VA_gpr *a)
{
    unsigned __int128 s = (unsigned __int128)cpu->gpr[a->ra] * cpu->gpr[a->rb] + cpu->gpr[a->rc];
    cpu->gpr[a->rt] = (uint64_t)(s >> 64);
}

void trans_MADDLD(CPUState *cpu, const arg_VA_gpr *a)
{
    cpu->gpr[a->rt] = cpu->gpr[a->ra] * cpu->gpr[a->rb] + cpu->gpr[a->rc];
}

/* ---- divide and modulo ------------------------------------------------------------ */

typedef uint64_t (*div_fn)(uint64_t ra, uint64_t rb, bool *ovf);

static inline void do_div(CPUState *cpu, const arg_XO *a, div_fn div)
{
    bool ovf;
    uint64_t q = div(cpu->gpr[a->ra], cpu->gpr[a->rb], &ovf);
    if (a->oe)
        set_ov(cpu, ovf);
    fx_set_reg_rc(cpu, a->rt, q, a->rc);
}

void trans_DIVW(CPUState *cpu, const arg_XO *a)   { do_div(cpu, a, fx_divw); }
void trans_DIVWU(CPUState *cpu, const arg_XO *a)  { do_div(cpu, a, fx_divwu); }
void trans_DIVWE(CPUState *cpu, const arg_XO *a)  { do_div(cpu, a, fx_divwe); }
void trans_DIVWEU(CPUState *cpu, const arg_XO *a) { do_div(cpu, a, fx_divweu); }
void trans_DIVD(CPUState *cpu, const arg_XO *a)   { do_div(cpu, a, fx_divd); }
void trans_DIVDU(CPUState *cpu, const arg_XO *a)  { do_div(cpu, a, fx_divdu); }
void trans_DIVDE(CPUState *cpu, const arg_XO *a)  { do_div(cpu, a, fx_divde); }
void trans_DIVDEU(CPUState *cpu, const arg_XO *a) { do_div(cpu, a, fx_divdeu); }

void trans_MODSW(CPUState *cpu, const arg_X_trr *a)
{
    cpu->gpr[a->rt] = fx_modsw(cpu->gpr[a->ra], cpu->gpr[a->rb]);
}

void trans_MODUW(CPUState *cpu, const arg_X_trr *a)
{
    cpu->gpr[a->rt] = fx_moduw(cpu->gpr[a->ra], cpu->gpr[a->rb]);
}

void trans_MODSD(CPUState *cpu, const arg_X_trr *a)
{
    cpu->gpr[a->rt] = fx_modsd(cpu->gpr[a->ra], cpu->gpr[a->rb]);
}

void trans_MODUD(CPUState *cpu, const arg_X_trr *a)
{
    cpu->gpr[a->rt] = fx_modud(cpu->gpr[a->ra], cpu->gpr[a->rb]);
}

/* ---- darn (ISA 3.0, Book I 3.3.9) ---------------------------------------------------
 * Deliver A Random Number.  nesthv is deterministic: the "random" number is
 * a hash (splitmix64 finaliser) of the instruction count, so a run repeats
 * exactly; programs only rely on it not being the error value all-ones.
 * L=0: 32-bit number, zero-extended; L=1 (conditioned) and L=2 (raw):
 * 64 bits; L=3 is reserved and returns the error value, as on QEMU 7.2.
 */
#define DARN_L_CRN32    0
#define DARN_L_RESERVED 3
#define DARN_ERROR      (~0ULL)

static uint64_t darn_hash(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

void trans_DARN(CPUState *cpu, const arg_DARN *a)
{
    uint64_t v = darn_hash(cpu->icount);
    if (a->l == DARN_L_RESERVED)
        v = DARN_ERROR;
    else if (a->l == DARN_L_CRN32)
        v &= FX_LOW32;
    else if (v == DARN_ERROR)
        v--;                    /* never report a failure */
    cpu->gpr[a->rt] = v;
}

/* ---- fast forms (cpu/exec/fast.h) -------------------------------------------------------- */

/* add: OE = 0, Rc = 0, so do_add() only writes RT. */
void fast_ADD(CPUState *cpu, const DecodedInsn *d)
{
    const arg_XO *a = &d->a.XO;
    cpu->gpr[a->rt] = cpu->gpr[a->ra] + cpu->gpr[a->rb];
}

/* addi with RA = 0 (li); aux = SI sign-extended. */
void fast_LI(CPUState *cpu, const DecodedInsn *d)
{
    cpu->gpr[d->a.D_si.rt] = d->aux;
}

void fast_ADDI(CPUState *cpu, const DecodedInsn *d)
{
    cpu->gpr[d->a.D_si.rt] = cpu->gpr[d->a.D_si.ra] + d->aux;
}
