/*
 * logical.c - fixed-point compare (Power ISA v3.0B Book I 3.3.10), isel
 * (3.3.12), setb, logical, sign-extension, count and permute instructions
 * (3.3.13) and the BCD assist instructions (3.3.15).  Encodings:
 * cpu/insn-fixedpoint.decode.
 *
 * Compares with L=0 compare the low words (sign- or zero-extended); with
 * L=1 the doublewords, in either computation mode.  Record forms set CR0
 * through cpu_set_cr0(), which compares the low word in 32-bit mode.
 *
 * "or Rx,Rx,Rx" (Rc=0) with the same register three times is a thread
 * priority hint (Book II 3.2): some numbers set PPR[PRI], the others
 * (miso, yield, mdoio, mdoom ...) are no-ops.  Like QEMU 7.2: the
 * privileged priorities are ignored in problem state, and "very high"
 * (hypervisor only) is always ignored since the thread never runs in
 * hypervisor state.
 */
#include "cpu/exec/exec.h"
#include "cpu/exec/fast.h"
#include "cpu/exec/fixedpoint.h"
#include "ppc/ppr.h"

/* ---- compare ------------------------------------------------------------------ */

static inline unsigned cmp_signed(int64_t x, int64_t y)
{
    return x < y ? CRF_LT : x > y ? CRF_GT : CRF_EQ;
}

static inline unsigned cmp_unsigned(uint64_t x, uint64_t y)
{
    return x < y ? CRF_LT : x > y ? CRF_GT : CRF_EQ;
}

/* CR field BF <- comparison result || XER[SO]. */
static inline void set_crf_cmp(CPUState *cpu, int bf, unsigned c)
{
    cpu_set_crf(cpu, (unsigned)bf, c | cpu->so);
}

static inline void do_cmp(CPUState *cpu, int bf, int l, uint64_t x, uint64_t y)
{
    if (!l) {
        x = (uint64_t)(int64_t)(int32_t)x;
        y = (uint64_t)(int64_t)(int32_t)y;
    }
    set_crf_cmp(cpu, bf, cmp_signed((int64_t)x, (int64_t)y));
}

static inline void do_cmpl(CPUState *cpu, int bf, int l, uint64_t x, uint64_t y)
{
    if (!l) {
        x &= FX_LOW32;
        y &= FX_LOW32;
    }
    set_crf_cmp(cpu, bf, cmp_unsigned(x, y));
}

void trans_CMP(CPUState *cpu, const arg_X_cmp *a)
{
    do_cmp(cpu, a->bf, a->l, cpu->gpr[a->ra], cpu->gpr[a->rb]);
}

void trans_CMPI(CPUState *cpu, const arg_D_cmp *a)
{
    do_cmp(cpu, a->bf, a->l, cpu->gpr[a->ra], (uint64_t)(int64_t)a->imm);
}

void trans_CMPL(CPUState *cpu, const arg_X_cmp *a)
{
    do_cmpl(cpu, a->bf, a->l, cpu->gpr[a->ra], cpu->gpr[a->rb]);
}

void trans_CMPLI(CPUState *cpu, const arg_D_cmp *a)
{
    do_cmpl(cpu, a->bf, a->l, cpu->gpr[a->ra], (uint64_t)a->imm);
}

/* cmprb (ISA 3.0): is the low byte of RA inside RB's byte range(s)?  CR = 0 || in || 00. */
static inline bool byte_in_range(unsigned v, uint64_t range)
{
    unsigned lo = range & 0xFF, hi = (range >> 8) & 0xFF;
    return lo <= v && v <= hi;
}

void trans_CMPRB(CPUState *cpu, const arg_X_cmp *a)
{
    unsigned v = cpu->gpr[a->ra] & 0xFF;
    uint64_t rb = cpu->gpr[a->rb];
    bool in = byte_in_range(v, rb) || (a->l && byte_in_range(v, rb >> 16));
    cpu_set_crf(cpu, (unsigned)a->bf, in ? CRF_GT : 0);
}

/* cmpeqb (ISA 3.0): does any byte of RB equal the low byte of RA?  CR = 0 || match || 00. */
void trans_CMPEQB(CPUState *cpu, const arg_X_cmp *a)
{
    bool match = fx_any_byte_eq(cpu->gpr[a->ra], cpu->gpr[a->rb]);
    cpu_set_crf(cpu, (unsigned)a->bf, match ? CRF_GT : 0);
}

/* setb (ISA 3.0): RT <- -1 if CR[BFA].LT, else 1 if CR[BFA].GT, else 0. */
void trans_SETB(CPUState *cpu, const arg_SETB *a)
{
    unsigned f = cpu_get_crf(cpu, (unsigned)a->bfa);
    cpu->gpr[a->rt] = (f & CRF_LT) ? ~0ULL : (f & CRF_GT) ? 1 : 0;
}

/* isel: RT <- CR[BC] ? (RA|0) : (RB). */
void trans_ISEL(CPUState *cpu, const arg_A_isel *a)
{
    cpu->gpr[a->rt] = cpu_get_crbit(cpu, (unsigned)a->bc) ? reg_or_zero(cpu, a->ra)
                                                           : cpu->gpr[a->rb];
}

/* ---- logical with an immediate ------------------------------------------------------ */

void trans_ANDI_rc(CPUState *cpu, const arg_D_ui *a)
{
    fx_set_reg_rc(cpu, a->ra, cpu->gpr[a->rs] & (uint64_t)a->ui, 1);
}

void trans_ANDIS_rc(CPUState *cpu, const arg_D_ui *a)
{
    fx_set_reg_rc(cpu, a->ra, cpu->gpr[a->rs] & ((uint64_t)a->ui << 16), 1);
}

void trans_ORI(CPUState *cpu, const arg_D_ui *a)
{
    cpu->gpr[a->ra] = cpu->gpr[a->rs] | (uint64_t)a->ui;
}

void trans_ORIS(CPUState *cpu, const arg_D_ui *a)
{
    cpu->gpr[a->ra] = cpu->gpr[a->rs] | ((uint64_t)a->ui << 16);
}

void trans_XORI(CPUState *cpu, const arg_D_ui *a)
{
    cpu->gpr[a->ra] = cpu->gpr[a->rs] ^ (uint64_t)a->ui;
}

void trans_XORIS(CPUState *cpu, const arg_D_ui *a)
{
    cpu->gpr[a->ra] = cpu->gpr[a->rs] ^ ((uint64_t)a->ui << 16);
}

/* ---- logical, register forms --------------------------------------------------------- */

#define RS (cpu->gpr[a->rs])
#define RB (cpu->gpr[a->rb])

void trans_AND(CPUState *cpu, const arg_X_srr *a)  { fx_set_reg_rc(cpu, a->ra, RS & RB, a->rc); }
void trans_XOR(CPUState *cpu, const arg_X_srr *a)  { fx_set_reg_rc(cpu, a->ra, RS ^ RB, a->rc); }
void trans_NAND(CPUState *cpu, const arg_X_srr *a) { fx_set_reg_rc(cpu, a->ra, ~(RS & RB), a->rc); }
void trans_NOR(CPUState *cpu, const arg_X_srr *a)  { fx_set_reg_rc(cpu, a->ra, ~(RS | RB), a->rc); }
void trans_EQV(CPUState *cpu, const arg_X_srr *a)  { fx_set_reg_rc(cpu, a->ra, ~(RS ^ RB), a->rc); }
void trans_ANDC(CPUState *cpu, const arg_X_srr *a) { fx_set_reg_rc(cpu, a->ra, RS & ~RB, a->rc); }
void trans_ORC(CPUState *cpu, const arg_X_srr *a)  { fx_set_reg_rc(cpu, a->ra, RS | ~RB, a->rc); }

/* "or N,N,N": set PPR[PRI] for the priority hints (see the file header). */
static NESTHV_COLD void or_hint(CPUState *cpu, int n)
{
    unsigned pri;
    switch (n) {
    case PPR_HINT_LOW:         pri = PPR_PRI_LOW; break;
    case PPR_HINT_MEDIUM_LOW:  pri = PPR_PRI_MEDIUM_LOW; break;
    case PPR_HINT_MEDIUM:      pri = PPR_PRI_MEDIUM; break;
    case PPR_HINT_VERY_LOW:    pri = PPR_PRI_VERY_LOW; break;
    case PPR_HINT_MEDIUM_HIGH: pri = PPR_PRI_MEDIUM_HIGH; break;
    case PPR_HINT_HIGH:        pri = PPR_PRI_HIGH; break;
    default:                   return;  /* very high (HV only), yield, miso ...: no-ops */
    }
    if (cpu_is_pr(cpu) && (pri == PPR_PRI_VERY_LOW || pri > PPR_PRI_MEDIUM))
        return;
    cpu->spr[SPR_PPR] = (cpu->spr[SPR_PPR] & ~PPR_PRI) | ((uint64_t)pri << PPR_PRI_SHIFT);
}

void trans_OR(CPUState *cpu, const arg_X_srr *a)
{
    if (unlikely(a->rs == a->rb && a->rs == a->ra && !a->rc)) {
        or_hint(cpu, a->rs);
        return;
    }
    fx_set_reg_rc(cpu, a->ra, RS | RB, a->rc);
}

/* ---- sign extension, counts, parity ------------------------------------------------------ */

void trans_EXTSB(CPUState *cpu, const arg_X_srr *a)
{
    fx_set_reg_rc(cpu, a->ra, (uint64_t)(int64_t)(int8_t)RS, a->rc);
}

void trans_EXTSH(CPUState *cpu, const arg_X_srr *a)
{
    fx_set_reg_rc(cpu, a->ra, (uint64_t)(int64_t)(int16_t)RS, a->rc);
}

void trans_EXTSW(CPUState *cpu, const arg_X_srr *a)
{
    fx_set_reg_rc(cpu, a->ra, (uint64_t)(int64_t)(int32_t)RS, a->rc);
}

void trans_CNTLZW(CPUState *cpu, const arg_X_srr *a)
{
    uint32_t x = (uint32_t)RS;
    fx_set_reg_rc(cpu, a->ra, x ? (uint64_t)__builtin_clz(x) : FX_WORD_BITS, a->rc);
}

void trans_CNTLZD(CPUState *cpu, const arg_X_srr *a)
{
    uint64_t x = RS;
    fx_set_reg_rc(cpu, a->ra, x ? (uint64_t)__builtin_clzll(x) : FX_DWORD_BITS, a->rc);
}

void trans_CNTTZW(CPUState *cpu, const arg_X_srr *a)
{
    uint32_t x = (uint32_t)RS;
    fx_set_reg_rc(cpu, a->ra, x ? (uint64_t)__builtin_ctz(x) : FX_WORD_BITS, a->rc);
}

void trans_CNTTZD(CPUState *cpu, const arg_X_srr *a)
{
    uint64_t x = RS;
    fx_set_reg_rc(cpu, a->ra, x ? (uint64_t)__builtin_ctzll(x) : FX_DWORD_BITS, a->rc);
}

void trans_POPCNTB(CPUState *cpu, const arg_X_srr *a) { cpu->gpr[a->ra] = fx_popcnt_bytes(RS); }
void trans_POPCNTW(CPUState *cpu, const arg_X_srr *a) { cpu->gpr[a->ra] = fx_popcnt_words(RS); }
void trans_POPCNTD(CPUState *cpu, const arg_X_srr *a) { cpu->gpr[a->ra] = (uint64_t)__builtin_popcountll(RS); }
void trans_PRTYW(CPUState *cpu, const arg_X_srr *a)   { cpu->gpr[a->ra] = fx_parity_words(RS); }
void trans_PRTYD(CPUState *cpu, const arg_X_srr *a)   { cpu->gpr[a->ra] = fx_parity_dword(RS); }
void trans_CMPB(CPUState *cpu, const arg_X_srr *a)    { cpu->gpr[a->ra] = fx_cmpb(RS, RB); }
void trans_BPERMD(CPUState *cpu, const arg_X_srr *a)  { cpu->gpr[a->ra] = fx_bpermd(RS, RB); }

/* ---- BCD assist (Book I 3.3.15) --------------------------------------------------------
 * cdtbcd / cbcdtd convert each word independently: the low 20 bits (two
 * declets) <-> the low 24 bits (six BCD digits); the rest of the word is 0.
 */
#define DECLET_BITS 10
#define DECLET_MASK 0x3FFu
#define BCD3_BITS   12
#define BCD3_MASK   0xFFFu

static uint64_t cdtbcd_word(uint64_t w)
{
    uint64_t hi = fx_dpd_to_bcd((w >> DECLET_BITS) & DECLET_MASK);
    return (hi << BCD3_BITS) | fx_dpd_to_bcd(w & DECLET_MASK);
}

/*
 * BCD digits above 9 are undefined (ISA); QEMU 7.2 (matching POWER9, its
 * authors say) uses digit & 9, and so do we.
 */
static unsigned bcd3_fix(unsigned bcd)
{
    for (unsigned sh = 0; sh < BCD3_BITS; sh += 4) {
        if (((bcd >> sh) & 0xF) > 9)
            bcd &= ~(0x6u << sh);
    }
    return bcd;
}

static uint64_t cbcdtd_word(uint64_t w)
{
    uint64_t hi = fx_bcd_to_dpd(bcd3_fix((w >> BCD3_BITS) & BCD3_MASK));
    return (hi << DECLET_BITS) | fx_bcd_to_dpd(bcd3_fix(w & BCD3_MASK));
}

void trans_CDTBCD(CPUState *cpu, const arg_X_srr *a)
{
    uint64_t rs = RS;
    cpu->gpr[a->ra] = (cdtbcd_word(rs >> FX_WORD_BITS) << FX_WORD_BITS) | cdtbcd_word(rs);
}

void trans_CBCDTD(CPUState *cpu, const arg_X_srr *a)
{
    uint64_t rs = RS;
    cpu->gpr[a->ra] = (cbcdtd_word(rs >> FX_WORD_BITS) << FX_WORD_BITS) | cbcdtd_word(rs);
}

/*
 * addg6s: 6 in every BCD digit position of RA + RB that produced no carry
 * out of its nibble, 0 in the others.
 */
#define NIBBLE_LOW_BITS 0x1111111111111111ULL
#define SIXES           0x6666666666666666ULL

void trans_ADDG6S(CPUState *cpu, const arg_X_trr *a)
{
    uint64_t x = cpu->gpr[a->ra], y = cpu->gpr[a->rb], s = x + y;
    uint64_t carries = ((x ^ y ^ s) >> 4) | ((uint64_t)fx_carry64(x, y, s) << 60);
    carries &= NIBBLE_LOW_BITS;             /* carry out of nibble i in its low bit */
    cpu->gpr[a->rt] = ~(carries * 0xF) & SIXES;
}

#undef RS
#undef RB

/* ---- fast forms (cpu/exec/fast.h): Rc = 0, not the hints ------------------------------- */

void fast_OR(CPUState *cpu, const DecodedInsn *d)
{
    const arg_X_srr *a = &d->a.X_srr;
    cpu->gpr[a->ra] = cpu->gpr[a->rs] | cpu->gpr[a->rb];
}

void fast_MR(CPUState *cpu, const DecodedInsn *d)
{
    const arg_X_srr *a = &d->a.X_srr;
    cpu->gpr[a->ra] = cpu->gpr[a->rs];
}

void fast_XOR(CPUState *cpu, const DecodedInsn *d)
{
    const arg_X_srr *a = &d->a.X_srr;
    cpu->gpr[a->ra] = cpu->gpr[a->rs] ^ cpu->gpr[a->rb];
}

void fast_AND(CPUState *cpu, const DecodedInsn *d)
{
    const arg_X_srr *a = &d->a.X_srr;
    cpu->gpr[a->ra] = cpu->gpr[a->rs] & cpu->gpr[a->rb];
}
