/*
 * branch.c - Branch facility: b, bc, bclr, bcctr, bctar
 * (Power ISA v3.0B Book I 2.4).
 *
 * BO (Book I 2.4, figure 40) is decoded bit by bit, so every form works,
 * including the "a"/"t" hint bits (ignored) and the forms the ISA calls
 * reserved; QEMU 7.2 does the same.  In 32-bit mode (MSR[SF] = 0) branch
 * targets, LR and the CTR == 0 test use the low 32 bits; CTR itself is
 * decremented as a 64-bit register.
 *
 * As on QEMU 7.2 (and POWER hardware) a taken branch records its own
 * address in CFAR.  bcctr with BO[2] = 0 (decrement CTR) is an invalid form
 * in the ISA; 64-bit server processors, and QEMU for them, implement it as
 * "test and decrement": the CTR test uses CTR before it is decremented, and
 * a failing CTR test leaves CTR unchanged (the Spectre-v2 flush sequence of
 * Linux relies on the form being harmless).  bctar has no FSCR[TAR] check
 * on QEMU 7.2 (only mtspr/mfspr TAR have one), so none here either.
 */
#include "cpu/exec/exec.h"
#include "cpu/exec/fast.h"

/* BO bits, as values of the 5-bit field (BO[0] is its most significant bit). */
#define BO_IGNORE_CR   0x10     /* BO[0]: do not test the CR bit */
#define BO_CR_TRUE     0x08     /* BO[1]: branch if the CR bit is 1 */
#define BO_NO_CTR      0x04     /* BO[2]: do not decrement CTR */
#define BO_CTR_ZERO    0x02     /* BO[3]: branch if CTR = 0 (else CTR != 0) */

#define INSN_ALIGN_MASK (~3ULL)

static inline uint64_t mode_mask(const CPUState *cpu)
{
    return cpu_is_64bit(cpu) ? ~0ULL : 0xFFFFFFFFULL;
}

static inline bool cr_ok(const CPUState *cpu, unsigned bo, unsigned bi)
{
    return (bo & BO_IGNORE_CR) || cpu_get_crbit(cpu, bi) == ((bo & BO_CR_TRUE) != 0);
}

/* CTR = 0 test in the current mode. */
static inline bool ctr_zero(const CPUState *cpu)
{
    return (cpu->ctr & mode_mask(cpu)) == 0;
}

/* Decrement CTR (unless BO[2]) and test it. */
static inline bool ctr_ok(CPUState *cpu, unsigned bo)
{
    if (bo & BO_NO_CTR)
        return true;
    cpu->ctr--;
    return ctr_zero(cpu) == ((bo & BO_CTR_ZERO) != 0);
}

static inline void branch_to(CPUState *cpu, uint64_t target)
{
    cpu->spr[SPR_CFAR] = cpu->cia;
    cpu->nip = target & mode_mask(cpu) & INSN_ALIGN_MASK;
}

/* LR <- address of the next instruction (cpu->nip is already cia + 4, mode-masked). */
static inline void link(CPUState *cpu, int lk)
{
    if (lk)
        cpu->lr = cpu->nip;
}

void trans_B(CPUState *cpu, const arg_I *a)
{
    uint64_t target = (a->aa ? 0 : cpu->cia) + (uint64_t)(int64_t)a->li;
    link(cpu, a->lk);
    branch_to(cpu, target);
}

void trans_BC(CPUState *cpu, const arg_B *a)
{
    bool take = ctr_ok(cpu, a->bo) && cr_ok(cpu, a->bo, a->bi);
    uint64_t target = (a->aa ? 0 : cpu->cia) + (uint64_t)(int64_t)a->bd;
    link(cpu, a->lk);
    if (take)
        branch_to(cpu, target);
}

/* bclr and bctar: the target is read before LR is written (bclrl). */
static inline void do_bc_reg(CPUState *cpu, const arg_XL_bcreg *a, uint64_t target)
{
    bool take = ctr_ok(cpu, a->bo) && cr_ok(cpu, a->bo, a->bi);
    link(cpu, a->lk);
    if (take)
        branch_to(cpu, target);
}

void trans_BCLR(CPUState *cpu, const arg_XL_bcreg *a)
{
    do_bc_reg(cpu, a, cpu->lr);
}

void trans_BCTAR(CPUState *cpu, const arg_XL_bcreg *a)
{
    do_bc_reg(cpu, a, cpu->spr[SPR_TAR]);
}

void trans_BCCTR(CPUState *cpu, const arg_XL_bcreg *a)
{
    uint64_t target = cpu->ctr;
    bool take = true;
    if (!(a->bo & BO_NO_CTR)) {
        /* Invalid form: test CTR first, decrement only if the test passes. */
        take = ctr_zero(cpu) == ((a->bo & BO_CTR_ZERO) != 0);
        if (take)
            cpu->ctr--;
    }
    take = take && cr_ok(cpu, a->bo, a->bi);
    link(cpu, a->lk);
    if (take)
        branch_to(cpu, target);
}

/* ---- fast forms (cpu/exec/fast.h): bc with AA = 0, LK = 0 ---------------------------- */

/* BO[0] = 0, BO[2] = 1 (beq, bne ...): test one CR bit, leave CTR alone. */
void fast_BC_cr(CPUState *cpu, const DecodedInsn *d)
{
    const arg_B *a = &d->a.B;
    if (cr_ok(cpu, (unsigned)a->bo, (unsigned)a->bi))
        branch_to(cpu, cpu->cia + (uint64_t)(int64_t)a->bd);
}

/* BO[0] = 1, BO[2] = 0 (bdnz, bdz): decrement CTR and test it, ignore the CR. */
void fast_BC_ctr(CPUState *cpu, const DecodedInsn *d)
{
    const arg_B *a = &d->a.B;
    if (ctr_ok(cpu, (unsigned)a->bo))
        branch_to(cpu, cpu->cia + (uint64_t)(int64_t)a->bd);
}

insn_exec_fn exec_bc_fast_for(int32_t bo)
{
    bool ignore_cr = (bo & BO_IGNORE_CR) != 0, no_ctr = (bo & BO_NO_CTR) != 0;
    if (no_ctr && !ignore_cr)
        return fast_BC_cr;
    if (ignore_cr && !no_ctr)
        return fast_BC_ctr;
    return NULL;
}
