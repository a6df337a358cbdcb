/*
 * rotate.c - fixed-point rotate and shift instructions (Power ISA v3.0B
 * Book I 3.3.14).  Encodings: cpu/insn-fixedpoint.decode.
 *
 * Rotates follow the ISA's ROTL32/ROTL64 and MASK(mb, me) definitions
 * (cpu/exec/fixedpoint.h); word rotates work on the low word duplicated into
 * both halves, so a wrapping mask (mb > me) lets copies of it into RA[0:31].
 * Word shifts take the shift count from RB[58:63] (a count of 32..63 gives
 * 0 or all sign bits), doubleword shifts from RB[57:63].  The algebraic
 * shifts set CA and CA32 (ISA 3.0) when the result is negative and one bits
 * were shifted out.
 */
#include "cpu/exec/exec.h"
#include "cpu/exec/fast.h"
#include "cpu/exec/fixedpoint.h"

#define RS (cpu->gpr[a->rs])
#define WORD_SHIFT_MASK  0x3Fu   /* RB[58:63] */
#define DWORD_SHIFT_MASK 0x7Fu   /* RB[57:63] */
#define WORD_MASK_OFFSET 32      /* M-form MB/ME count from bit 32 */

/* ---- rotate word ------------------------------------------------------------------ */

static inline uint64_t rlw_mask(const arg_M *a)
{
    return fx_mask((unsigned)a->mb + WORD_MASK_OFFSET, (unsigned)a->me + WORD_MASK_OFFSET);
}

void trans_RLWINM(CPUState *cpu, const arg_M *a)
{
    fx_set_reg_rc(cpu, a->ra, fx_rotl32(RS, (unsigned)a->n) & rlw_mask(a), a->rc);
}

void trans_RLWNM(CPUState *cpu, const arg_M *a)
{
    unsigned n = (unsigned)cpu->gpr[a->n] & 31;
    fx_set_reg_rc(cpu, a->ra, fx_rotl32(RS, n) & rlw_mask(a), a->rc);
}

void trans_RLWIMI(CPUState *cpu, const arg_M *a)
{
    uint64_t m = rlw_mask(a);
    uint64_t r = (fx_rotl32(RS, (unsigned)a->n) & m) | (cpu->gpr[a->ra] & ~m);
    fx_set_reg_rc(cpu, a->ra, r, a->rc);
}

/* ---- rotate doubleword ------------------------------------------------------------- */

void trans_RLDICL(CPUState *cpu, const arg_MD *a)
{
    fx_set_reg_rc(cpu, a->ra, fx_rotl64(RS, (unsigned)a->sh) & fx_mask((unsigned)a->m, 63), a->rc);
}

void trans_RLDICR(CPUState *cpu, const arg_MD *a)
{
    fx_set_reg_rc(cpu, a->ra, fx_rotl64(RS, (unsigned)a->sh) & fx_mask(0, (unsigned)a->m), a->rc);
}

void trans_RLDIC(CPUState *cpu, const arg_MD *a)
{
    uint64_t m = fx_mask((unsigned)a->m, 63 - (unsigned)a->sh);
    fx_set_reg_rc(cpu, a->ra, fx_rotl64(RS, (unsigned)a->sh) & m, a->rc);
}

void trans_RLDIMI(CPUState *cpu, const arg_MD *a)
{
    uint64_t m = fx_mask((unsigned)a->m, 63 - (unsigned)a->sh);
    uint64_t r = (fx_rotl64(RS, (unsigned)a->sh) & m) | (cpu->gpr[a->ra] & ~m);
    fx_set_reg_rc(cpu, a->ra, r, a->rc);
}

void trans_RLDCL(CPUState *cpu, const arg_MDS *a)
{
    unsigned n = (unsigned)cpu->gpr[a->rb] & 63;
    fx_set_reg_rc(cpu, a->ra, fx_rotl64(RS, n) & fx_mask((unsigned)a->m, 63), a->rc);
}

void trans_RLDCR(CPUState *cpu, const arg_MDS *a)
{
    unsigned n = (unsigned)cpu->gpr[a->rb] & 63;
    fx_set_reg_rc(cpu, a->ra, fx_rotl64(RS, n) & fx_mask(0, (unsigned)a->m), a->rc);
}

/* ---- shifts ------------------------------------------------------------------------ */

void trans_SLW(CPUState *cpu, const arg_X_srr *a)
{
    unsigned n = (unsigned)cpu->gpr[a->rb] & WORD_SHIFT_MASK;
    uint64_t r = n < FX_WORD_BITS ? (uint32_t)((uint32_t)RS << n) : 0;
    fx_set_reg_rc(cpu, a->ra, r, a->rc);
}

void trans_SRW(CPUState *cpu, const arg_X_srr *a)
{
    unsigned n = (unsigned)cpu->gpr[a->rb] & WORD_SHIFT_MASK;
    uint64_t r = n < FX_WORD_BITS ? (uint32_t)RS >> n : 0;
    fx_set_reg_rc(cpu, a->ra, r, a->rc);
}

void trans_SLD(CPUState *cpu, const arg_X_srr *a)
{
    unsigned n = (unsigned)cpu->gpr[a->rb] & DWORD_SHIFT_MASK;
    fx_set_reg_rc(cpu, a->ra, n < FX_DWORD_BITS ? RS << n : 0, a->rc);
}

void trans_SRD(CPUState *cpu, const arg_X_srr *a)
{
    unsigned n = (unsigned)cpu->gpr[a->rb] & DWORD_SHIFT_MASK;
    fx_set_reg_rc(cpu, a->ra, n < FX_DWORD_BITS ? RS >> n : 0, a->rc);
}

/* Algebraic shift of the low word by n (0..63); CA = negative and ones lost. */
static inline void do_sraw(CPUState *cpu, int ra, uint64_t rs, unsigned n, int rc)
{
    int32_t s = (int32_t)rs;
    unsigned sh = n < FX_WORD_BITS ? n : FX_WORD_BITS - 1;
    uint32_t lost = n < FX_WORD_BITS ? (uint32_t)s & ((1u << sh) - 1) : (uint32_t)s;
    cpu->ca = cpu->ca32 = s < 0 && lost != 0;
    fx_set_reg_rc(cpu, ra, (uint64_t)(int64_t)(s >> sh), rc);
}

/* ... of the doubleword by n (0..127). */
static inline void do_srad(CPUState *cpu, int ra, uint64_t rs, unsigned n, int rc)
{
    int64_t s = (int64_t)rs;
    unsigned sh = n < FX_DWORD_BITS ? n : FX_DWORD_BITS - 1;
    uint64_t lost = n < FX_DWORD_BITS ? rs & ((1ULL << sh) - 1) : rs;
    cpu->ca = cpu->ca32 = s < 0 && lost != 0;
    fx_set_reg_rc(cpu, ra, (uint64_t)(s >> sh), rc);
}

void trans_SRAW(CPUState *cpu, const arg_X_srr *a)
{
    do_sraw(cpu, a->ra, RS, (unsigned)cpu->gpr[a->rb] & WORD_SHIFT_MASK, a->rc);
}

void trans_SRAWI(CPUState *cpu, const arg_X_sh *a)
{
    do_sraw(cpu, a->ra, RS, (unsigned)a->sh, a->rc);
}

void trans_SRAD(CPUState *cpu, const arg_X_srr *a)
{
    do_srad(cpu, a->ra, RS, (unsigned)cpu->gpr[a->rb] & DWORD_SHIFT_MASK, a->rc);
}

void trans_SRADI(CPUState *cpu, const arg_X_sh *a)
{
    do_srad(cpu, a->ra, RS, (unsigned)a->sh, a->rc);
}

/* extswsli (ISA 3.0): RA <- EXTS(RS[32:63]) << SH. */
void trans_EXTSWSLI(CPUState *cpu, const arg_X_sh *a)
{
    uint64_t v = (uint64_t)(int64_t)(int32_t)RS;
    fx_set_reg_rc(cpu, a->ra, v << (unsigned)a->sh, a->rc);
}

#undef RS

/* ---- fast forms (cpu/exec/fast.h): Rc = 0, mask precomputed into aux ------------------- */

uint64_t exec_rlwinm_mask(int32_t mb, int32_t me)
{
    const arg_M a = { .mb = mb, .me = me };
    return rlw_mask(&a);
}

/* The mask trans_RLDICL/RLDICR/RLDIC use. */
uint64_t exec_rldic_mask(uint16_t id, int32_t sh, int32_t m)
{
    switch (id) {
    case INSN_RLDICL:
        return fx_mask((unsigned)m, 63);
    case INSN_RLDICR:
        return fx_mask(0, (unsigned)m);
    default:
        return fx_mask((unsigned)m, 63 - (unsigned)sh);
    }
}

void fast_RLWINM(CPUState *cpu, const DecodedInsn *d)
{
    const arg_M *a = &d->a.M;
    cpu->gpr[a->ra] = fx_rotl32(cpu->gpr[a->rs], (unsigned)a->n) & d->aux;
}

void fast_RLDIC_any(CPUState *cpu, const DecodedInsn *d)
{
    const arg_MD *a = &d->a.MD;
    cpu->gpr[a->ra] = fx_rotl64(cpu->gpr[a->rs], (unsigned)a->sh) & d->aux;
}
