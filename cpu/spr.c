/*
 * spr.c - mtspr/mfspr machinery (Power ISA v3.0B Book III 5.4.4, Book I
 * 3.3.17) and the XER accessors.
 *
 * The dispatch table is SPR_LIST (include/ppc/spr.h) laid out by number at
 * compile time.  An access first passes the privilege check of its
 * direction, then the switch on the entry's kind does the work: most SPRs
 * are plain storage in cpu->spr[], the rest are computed (XER, TB, DEC),
 * aliased (problem-state PMU and CTRL/SPRG3 read numbers) or guarded by a
 * facility (TM by MSR[TM]; EBB, TAR by FSCR; PMU by MMCR0[PMCC]).
 *
 * Which numbers exist, who may access them and what an undefined number
 * does follow QEMU 7.2's pseries POWER9, the oracle for what a guest sees
 * (firmware/tests/isa/spr_sweep.c records all 1024 numbers in both states):
 *   - undefined number with bit 0x10 set (spr[0] = 1, the privileged half):
 *     problem state -> privileged program interrupt, supervisor -> no-op;
 *   - undefined number in the problem-state half: problem state, or
 *     supervisor mfspr of 0/4/5/6 or mtspr of 0 -> hypervisor-emulation
 *     class (a pseries guest sees a privileged program interrupt);
 *     otherwise a no-op.  ISA 2.07 numbers 808..811 are no-ops always.
 */
#include "cpu/spr.h"

#include "cpu/mem.h"
#include "ppc/fscr.h"

#define SPR_PRIV_HALF  0x10     /* spr[0] of the instruction field: privileged numbers */
#define PMU_ALIAS_OFFSET 16     /* problem-state PMU numbers are the supervisor ones - 16 */
#define UPPER_SHIFT    32
#define LOW32          0xFFFFFFFFULL

/* PMCC values (MMCR0[44:45]) */
#define PMCC_RO        0        /* problem state: read only */
#define PMCC_NONE      1        /* problem state: facility unavailable */
#define PMCC_RW        2        /* problem state: read/write */
#define PMCC_RW_NO56   3        /* ... but PMC5/PMC6 unavailable */

/* Problem-state writes of MMCR0 and MMCR2 reach these bits only (QEMU 7.2;
   ISA 3.1 10.4.4, 10.4.6): MMCR0 FC, PMAE, PMAO; MMCR2 FCnP0 of each PMC. */
#define MMCR0_PR_WRITABLE (MMCR0_FC | MMCR0_PMAO | MMCR0_PMAE)
#define MMCR2_PR_WRITABLE (PPC_BIT(1) | PPC_BIT(10) | PPC_BIT(19) | PPC_BIT(28) | \
                           PPC_BIT(37) | PPC_BIT(46))

/* XER fields (Book I 3.2.2) */
#define XER_SO_BIT     31
#define XER_OV_BIT     30
#define XER_CA_BIT     29
#define XER_OV32_BIT   19
#define XER_CA32_BIT   18
#define XER_BC_MASK    0x7FULL
#define XER_FLAGS      ((1ULL << XER_SO_BIT) | (1ULL << XER_OV_BIT) | (1ULL << XER_CA_BIT) | \
                        (1ULL << XER_OV32_BIT) | (1ULL << XER_CA32_BIT))
/* Implemented XER bits: QEMU 7.2 keeps bits 32:63 and drops the high word. */
#define XER_IMPL       LOW32

#define SPR_DESC_(name, num, r, w, wd, k) \
    [num] = { SPR_ACCESS_##r != SPR_ACCESS_O, SPR_ACCESS_##r, SPR_ACCESS_##w, wd, SPR_KIND_##k },
const SprDesc spr_table[SPR_NUM] = { SPR_LIST(SPR_DESC_) };
#undef SPR_DESC_

/* ---- XER ------------------------------------------------------------------ */

uint64_t cpu_read_xer(const CPUState *cpu)
{
    return ((uint64_t)cpu->so << XER_SO_BIT) | ((uint64_t)cpu->ov << XER_OV_BIT) |
           ((uint64_t)cpu->ca << XER_CA_BIT) | ((uint64_t)cpu->ov32 << XER_OV32_BIT) |
           ((uint64_t)cpu->ca32 << XER_CA32_BIT) | cpu->xer_bc | cpu->xer_rest;
}

void cpu_write_xer(CPUState *cpu, uint64_t v)
{
    v &= XER_IMPL;
    cpu->so = (v >> XER_SO_BIT) & 1;
    cpu->ov = (v >> XER_OV_BIT) & 1;
    cpu->ca = (v >> XER_CA_BIT) & 1;
    cpu->ov32 = (v >> XER_OV32_BIT) & 1;
    cpu->ca32 = (v >> XER_CA32_BIT) & 1;
    cpu->xer_bc = v & XER_BC_MASK;
    cpu->xer_rest = v & ~(XER_FLAGS | XER_BC_MASK);
}

/* ---- access checks ---------------------------------------------------------- */

/* Undefined SPR number (see the file comment); true if the access is a no-op. */
static NESTHV_COLD bool spr_undefined(CPUState *cpu, unsigned sprn, bool is_write)
{
    if (sprn >= SPR_NOP_FIRST && sprn <= SPR_NOP_LAST)
        return true;
    if (sprn & SPR_PRIV_HALF) {
        if (!cpu_is_pr(cpu))
            return true;
        cpu_raise_priv(cpu);
        return false;
    }
    if (cpu_is_pr(cpu) || sprn == 0 || (!is_write && sprn >= 4 && sprn <= 6)) {
        cpu_raise_hv_priv(cpu);
        return false;
    }
    return true;
}

/* Privilege check of one direction; false if an interrupt was raised. */
static inline bool spr_access_ok(CPUState *cpu, unsigned access)
{
    switch (access) {
    case SPR_ACCESS_U:
        return true;
    case SPR_ACCESS_P:
        if (likely(!cpu_is_pr(cpu)))
            return true;
        cpu_raise_priv(cpu);
        return false;
    case SPR_ACCESS_H:
        cpu_raise_hv_priv(cpu);
        return false;
    default:                    /* N: the number has no register in this direction */
        cpu_raise_priv(cpu);
        return false;
    }
}

/* Problem-state facility guard of FSCR (Book III 6.2.9); false if it raised. */
static bool fscr_ok(CPUState *cpu, uint64_t bit, unsigned cause)
{
    if (!cpu_is_pr(cpu) || (cpu->spr[SPR_FSCR] & bit))
        return true;
    cpu_raise_fscr_unavailable(cpu, cause);
    return false;
}

/* TM SPRs need MSR[TM] in every state (QEMU: facility unavailable, IC = TM). */
static bool tm_ok(CPUState *cpu)
{
    if (cpu->msr & MSR_TM)
        return true;
    cpu_raise_fscr_unavailable(cpu, FSCR_IC_TM);
    return false;
}

static unsigned pmcc(const CPUState *cpu)
{
    return (unsigned)((cpu->spr[SPR_MMCR0] & MMCR0_PMCC) >> MMCR0_PMCC_SHIFT);
}

/*
 * Problem-state access to the PMU aliases (Book III 9.4.4, as QEMU 7.2):
 * group B is read-only; group A follows MMCR0[PMCC]: 00 read-only,
 * 01 unavailable, 10 read/write, 11 read/write except PMC5/6 (unavailable).
 */
static bool pmu_ok(CPUState *cpu, unsigned kind, bool is_write)
{
    if (!cpu_is_pr(cpu))
        return true;
    unsigned cc = pmcc(cpu);
    if (kind != SPR_KIND_PMU_B &&
        (cc == PMCC_NONE || (cc == PMCC_RW_NO56 && kind == SPR_KIND_PMU_A56))) {
        cpu_raise_fscr_unavailable(cpu, FSCR_IC_PM);
        return false;
    }
    if (is_write && (kind == SPR_KIND_PMU_B || cc == PMCC_RO)) {
        cpu_raise_priv(cpu);
        return false;
    }
    return true;
}

/*
 * The facility an SPR belongs to must be available (TM, PMU, EBB, TAR);
 * raises the facility-unavailable or privileged interrupt otherwise.  One
 * check for both directions, before the data moves.
 */
static bool spr_facility_ok(CPUState *cpu, unsigned kind, bool is_write)
{
    switch (kind) {
    case SPR_KIND_TM:
    case SPR_KIND_TM_UPPER:
        return tm_ok(cpu);
    case SPR_KIND_PMU_A:
    case SPR_KIND_PMU_A56:
    case SPR_KIND_PMU_B:
        return pmu_ok(cpu, kind, is_write);
    case SPR_KIND_EBB:
    case SPR_KIND_EBB_UPPER:
        return fscr_ok(cpu, FSCR_EBB, FSCR_IC_EBB);
    case SPR_KIND_TAR:
        return fscr_ok(cpu, FSCR_TAR, FSCR_IC_TAR);
    default:
        return true;
    }
}

/* ---- mfspr ------------------------------------------------------------------ */

static void spr_read_kind(CPUState *cpu, const SprDesc *d, unsigned sprn, uint64_t *out)
{
    switch (d->kind) {
    case SPR_KIND_XER:      *out = cpu_read_xer(cpu); return;
    case SPR_KIND_LR:       *out = cpu->lr; return;
    case SPR_KIND_CTR:      *out = cpu->ctr; return;
    case SPR_KIND_AMR_U:    *out = cpu->spr[SPR_AMR]; return;
    case SPR_KIND_DEC:      *out = cpu_get_dec(cpu); return;
    case SPR_KIND_CTRL_RD:  *out = cpu->spr[SPR_CTRL]; return;
    case SPR_KIND_SPRG3_U:  *out = cpu->spr[SPR_SPRG3]; return;
    case SPR_KIND_TB:
    case SPR_KIND_PURR:     *out = cpu_get_tb(cpu); return;
    case SPR_KIND_TBU:      *out = cpu_get_tb(cpu) >> UPPER_SHIFT; return;
    case SPR_KIND_PIR:      *out = (uint64_t)cpu->cpu_index; return;
    case SPR_KIND_TM_UPPER:
    case SPR_KIND_EBB_UPPER:
        *out = cpu->spr[sprn - 1] >> UPPER_SHIFT;
        return;
    case SPR_KIND_PMU_A:
    case SPR_KIND_PMU_A56:
    case SPR_KIND_PMU_B:
        *out = cpu->spr[sprn + PMU_ALIAS_OFFSET];
        return;
    default:
        break;
    }
    *out = cpu->spr[sprn];
}

bool cpu_mfspr(CPUState *cpu, unsigned sprn, uint64_t *out)
{
    const SprDesc *d = &spr_table[sprn];
    if (unlikely(!d->defined)) {
        spr_undefined(cpu, sprn, false);
        return false;
    }
    if (!spr_access_ok(cpu, d->read) || !spr_facility_ok(cpu, d->kind, false))
        return false;
    spr_read_kind(cpu, d, sprn, out);
    return true;
}

/* ---- mtspr ------------------------------------------------------------------ */

static void set_upper(CPUState *cpu, unsigned sprn, uint64_t v)
{
    cpu->spr[sprn] = (v << UPPER_SHIFT) | (cpu->spr[sprn] & LOW32);
}

static void spr_write_kind(CPUState *cpu, const SprDesc *d, unsigned sprn, uint64_t v)
{
    switch (d->kind) {
    case SPR_KIND_XER:      cpu_write_xer(cpu, v); return;
    case SPR_KIND_LR:       cpu->lr = v; return;
    case SPR_KIND_CTR:      cpu->ctr = v; return;
    case SPR_KIND_DEC:      cpu_set_dec(cpu, v); return;
    case SPR_KIND_AMR_U: {
        /* Book III 5.4.4 / QEMU: problem state writes the UAMOR bits, supervisor the AMOR bits. */
        uint64_t mask = cpu_is_pr(cpu) ? cpu->spr[SPR_UAMOR] : cpu->spr[SPR_AMOR];
        cpu->spr[SPR_AMR] = (cpu->spr[SPR_AMR] & ~mask) | (v & mask);
        cpu_mode_changed(cpu); /* AMR key 0 is part of the TLB context (mmu/tlb.c) */
        return;
    }
    case SPR_KIND_PIDR:
        /* PIDR, AMR, IAMR: a new TLB context (mmu/tlb.c), no flush. */
        cpu->spr[sprn] = v;
        cpu_mode_changed(cpu);
        return;
    case SPR_KIND_TM_UPPER:
    case SPR_KIND_EBB_UPPER:
        set_upper(cpu, sprn - 1, v);
        return;
    case SPR_KIND_PMU_A:
    case SPR_KIND_PMU_A56:
    case SPR_KIND_PMU_B:
        if (sprn == SPR_UMMCR0 && cpu_is_pr(cpu))
            v = (v & MMCR0_PR_WRITABLE) | (cpu->spr[SPR_MMCR0] & ~MMCR0_PR_WRITABLE);
        if (sprn == SPR_UMMCR2 && cpu_is_pr(cpu))
            v = (v & MMCR2_PR_WRITABLE) | (cpu->spr[SPR_MMCR2] & ~MMCR2_PR_WRITABLE);
        cpu->spr[sprn + PMU_ALIAS_OFFSET] = v;
        return;
    default:
        break;
    }
    cpu->spr[sprn] = d->width == 32 ? (v & LOW32) : v;
}

bool cpu_mtspr(CPUState *cpu, unsigned sprn, uint64_t val)
{
    const SprDesc *d = &spr_table[sprn];
    if (unlikely(!d->defined)) {
        spr_undefined(cpu, sprn, true);
        return false;
    }
    if (!spr_access_ok(cpu, d->write) || !spr_facility_ok(cpu, d->kind, true))
        return false;
    spr_write_kind(cpu, d, sprn, val);
    return true;
}
