/*
 * cr.c - Condition Register instructions: the CR logical operations and
 * mcrf (Power ISA v3.0B Book I 2.5), mtcrf/mtocrf, mfcr/mfocrf and mcrxrx
 * (Book I 3.3.16).
 *
 * The one-field forms mtocrf/mfocrf with an FXM that is not one-hot are
 * undefined in the ISA; QEMU 7.2 leaves CR (mtocrf) and RT (mfocrf)
 * unchanged, and so do we.  mfocrf with a valid FXM clears the other fields
 * of RT (QEMU; the ISA leaves them undefined).
 */
#include "cpu/exec/exec.h"

#define CRF_MASK    0xFu

/* ---- CR logical (Book I 2.5.1) ------------------------------------------------ */

#define CR_LOGICAL(NAME, expr)                                            \
    void trans_##NAME(CPUState *cpu, const arg_XL_crlog *a)               \
    {                                                                     \
        unsigned x = cpu_get_crbit(cpu, a->ba);                           \
        unsigned y = cpu_get_crbit(cpu, a->bb);                           \
        cpu_set_crbit(cpu, a->bt, (expr) & 1u);                           \
    }

CR_LOGICAL(CRAND,  x & y)
CR_LOGICAL(CRNAND, ~(x & y))
CR_LOGICAL(CROR,   x | y)
CR_LOGICAL(CRXOR,  x ^ y)
CR_LOGICAL(CRNOR,  ~(x | y))
CR_LOGICAL(CREQV,  ~(x ^ y))
CR_LOGICAL(CRANDC, x & ~y)
CR_LOGICAL(CRORC,  x | ~y)

void trans_MCRF(CPUState *cpu, const arg_MCRF *a)
{
    cpu_set_crf(cpu, a->bf, cpu_get_crf(cpu, a->bfa));
}

/* ---- move to/from CR (Book I 3.3.16) ------------------------------------------ */

/* CR bit mask of the fields selected by FXM (FXM bit 7 selects CR0): spread
   each FXM bit to the low bit of its nibble, then fill the nibble. */
static inline uint32_t fxm_mask(unsigned fxm)
{
    uint32_t x = fxm & 0xFFu;
    x = (x | (x << 12)) & 0x000F000Fu;
    x = (x | (x << 6)) & 0x03030303u;
    x = (x | (x << 3)) & 0x11111111u;
    return x * CRF_MASK;
}

static inline bool one_hot(unsigned fxm)
{
    return fxm && !(fxm & (fxm - 1));
}

void trans_MTCRF(CPUState *cpu, const arg_MTCRF *a)
{
    if (a->one && !one_hot(a->fxm))
        return;
    uint32_t mask = fxm_mask(a->fxm);
    cpu->cr = (cpu->cr & ~mask) | ((uint32_t)cpu->gpr[a->rs] & mask);
}

void trans_MFCR(CPUState *cpu, const arg_MFCR *a)
{
    if (!a->one) {
        cpu->gpr[a->rt] = cpu->cr;
        return;
    }
    if (one_hot(a->fxm))
        cpu->gpr[a->rt] = cpu->cr & fxm_mask(a->fxm);
}

/* mcrxrx (ISA 3.0): CR field BF <- OV || OV32 || CA || CA32. */
void trans_MCRXRX(CPUState *cpu, const arg_MCRXRX *a)
{
    cpu_set_crf(cpu, a->bf, (cpu->ov << 3) | (cpu->ov32 << 2) | (cpu->ca << 1) | cpu->ca32);
}
