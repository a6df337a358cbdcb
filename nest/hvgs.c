/*
 * hvgs.c - the hv_guest_state / pt_regs codec and the L2 state rules of
 * H_ENTER_NESTED (nest/hvgs.h states them with their sources).
 *
 * The codec is driven by the layout tables of include/ppc/hvgs.h (X-macros):
 * one line per field there, no offsets here.
 */
#include "nest/hvgs.h"

#include "nest/nest_int.h"
#include "ppc/excp.h"
#include "ppc/hcall.h"
#include "ppc/lpcr.h"
#include "ppc/msr.h"

/* ---- byte order (nest_int.h: whole-field loads and stores, swapped as needed) ---- */

static inline uint64_t ld_n(const uint8_t *p, unsigned bytes, bool be)
{
    return nest_ld(p, bytes, be);
}

static inline void st_n(uint8_t *p, unsigned bytes, uint64_t v, bool be)
{
    nest_st(p, bytes, v, be);
}

/* ---- hv_guest_state -------------------------------------------------------- */

size_t nest_hvgs_size(uint64_t version)
{
    switch (version) {
    case HVGS_VERSION_1:
        return HVGS_SIZE_V1;
    case HVGS_VERSION_2:
        return HVGS_SIZE_V2;
    default:
        return 0;
    }
}

uint64_t nest_hvgs_peek_version(const uint8_t *buf, bool big_endian)
{
    return ld_n(buf + HVGS_OFF_VERSION, 8, big_endian);
}

long nest_hvgs_decode(const uint8_t *buf, size_t len, bool big_endian, NestHvgs *out)
{
    if (len < sizeof(uint64_t)) {
        return H_PARAMETER;
    }
    uint64_t version = nest_hvgs_peek_version(buf, big_endian);
    if (version > HVGS_VERSION_MAX) {
        return H_P2; /* Linux's rule; QEMU 7.2: H_PARAMETER */
    }
    size_t size = nest_hvgs_size(version);
    if (size == 0 || len < size) {
        return H_PARAMETER;
    }
    *out = (NestHvgs){ 0 };
#define X(field, off, bytes, ver)                                     \
    if (version >= (ver)) {                                           \
        out->field = (__typeof__(out->field))ld_n(buf + (off), (bytes), big_endian); \
    }
    HVGS_FIELDS(X)
#undef X
    return H_SUCCESS;
}

void nest_hvgs_encode(const NestHvgs *hv, bool big_endian, uint8_t *buf)
{
#define X(field, off, bytes, ver)                                     \
    if (hv->version >= (ver)) {                                       \
        st_n(buf + (off), (bytes), (uint64_t)hv->field, big_endian);  \
    }
    HVGS_FIELDS(X)
#undef X
}

/* ---- pt_regs -------------------------------------------------------------- */

void nest_ptregs_decode(const uint8_t *buf, bool big_endian, NestPtRegs *out)
{
    for (unsigned i = 0; i < PTREGS_NR_GPR; i++) {
        out->gpr[i] = ld_n(buf + PTREGS_OFF_GPR(i), 8, big_endian);
    }
#define X(field, off) out->field = ld_n(buf + (off), 8, big_endian);
    PTREGS_FIELDS(X)
#undef X
}

void nest_ptregs_encode(const NestPtRegs *regs, bool big_endian, uint8_t *buf)
{
    for (unsigned i = 0; i < PTREGS_NR_GPR; i++) {
        st_n(buf + PTREGS_OFF_GPR(i), 8, regs->gpr[i], big_endian);
    }
#define X(field, off) st_n(buf + (off), 8, regs->field, big_endian);
    PTREGS_FIELDS(X)
#undef X
}

/* ---- validation ------------------------------------------------------------ */

/*
 * Linux kvmhv_enter_nested_guest(): the L2 may enter in a transaction only
 * if the L1 made the hcall suspended (and then must); a transactional L1
 * is refused.  nesthv implements no TM, so in practice TS is always 0.
 */
static long check_tm(uint64_t l1_msr, uint64_t l2_msr)
{
    uint64_t l1_ts = l1_msr & MSR_TS;
    if (l1_ts == MSR_TS_TRANSACTIONAL) {
        return H_BAD_MODE;
    }
    if (l1_ts == MSR_TS_SUSPENDED) {
        return (l2_msr & MSR_TS) ? H_SUCCESS : H_BAD_MODE;
    }
    return (l2_msr & MSR_TS) ? H_BAD_MODE : H_SUCCESS;
}

long nest_hvgs_validate(const NestHvgs *hv, const NestPtRegs *regs, const NestL1Ctx *ctx)
{
    if (hv->vcpu_token >= ctx->max_vcpu_token) {
        return H_PARAMETER;
    }
    return check_tm(ctx->l1_msr, regs->msr);
}

/* ---- the L2 state rules ---------------------------------------------------------- */

/* LPCR bits the L1 chooses for its L2; the rest come from the L1's own LPCR. */
#define NEST_LPCR_L1_CHOICE (LPCR_DPFD | LPCR_ILE | LPCR_AIL | LPCR_LD | LPCR_MER | LPCR_TC)
/* Always on for an L2: radix host, process table, tlbie, HV virtualisation and HDEC interrupts. */
#define NEST_LPCR_L2_FORCED (LPCR_HR | LPCR_UPRT | LPCR_GTSE | LPCR_HVICE | LPCR_HDICE)

uint64_t nest_l2_lpcr(uint64_t l1_lpcr, uint64_t hv_lpcr)
{
    uint64_t lpcr = (l1_lpcr & ~NEST_LPCR_L1_CHOICE) | (hv_lpcr & NEST_LPCR_L1_CHOICE);
    return (lpcr | NEST_LPCR_L2_FORCED) & ~LPCR_LPES;
}

uint64_t nest_l2_msr(uint64_t msr)
{
    return (msr | MSR_ME) & ~MSR_HV;
}

uint64_t nest_l2_hfscr(uint64_t hv_hfscr, uint64_t l1_permitted)
{
    return hv_hfscr & (HFSCR_IC_MASK | l1_permitted);
}

uint64_t nest_l2_dawrx(uint64_t dawrx)
{
    return dawrx & ~DAWRX_HYP;
}

uint64_t nest_l2_ciabr(uint64_t ciabr)
{
    return (ciabr & CIABR_PRIV) == CIABR_PRIV_HYPER ? ciabr & ~CIABR_PRIV : ciabr;
}

void nest_l2_state_derive(const NestHvgs *hv, const NestPtRegs *regs, const NestL1Ctx *ctx, NestL2State *out)
{
    *out = (NestL2State){ 0 };
    for (unsigned i = 0; i < PTREGS_NR_GPR; i++) {
        out->gpr[i] = regs->gpr[i];
    }
    out->nip = regs->nip;
    out->msr = nest_l2_msr(regs->msr);
    out->ctr = regs->ctr;
    out->lr = regs->link;
    out->xer = regs->xer;
    out->cr = regs->ccr;

    out->lpcr = nest_l2_lpcr(ctx->l1_lpcr, hv->lpcr);
    out->pcr = hv->pcr;
    out->amor = hv->amor;
    out->dpdes = hv->dpdes;
    out->hfscr = nest_l2_hfscr(hv->hfscr, ctx->l1_hfscr_permitted);
    out->tb_offset = ctx->l1_tb_offset + hv->tb_offset;
    out->hdec_expiry = hv->hdec_expiry - (uint64_t)ctx->l1_tb_offset;
    out->dawr0 = hv->dawr0;
    out->dawrx0 = nest_l2_dawrx(hv->dawrx0);
    out->dawr1 = hv->dawr1;
    out->dawrx1 = nest_l2_dawrx(hv->dawrx1);
    out->ciabr = nest_l2_ciabr(hv->ciabr);
    out->purr = hv->purr;
    out->spurr = hv->spurr;
    out->ic = hv->ic;
    out->vtb = hv->vtb;
    out->srr0 = hv->srr0;
    out->srr1 = hv->srr1;
    for (unsigned i = 0; i < HVGS_NR_SPRG; i++) {
        out->sprg[i] = hv->sprg[i];
    }
    out->pidr = hv->pidr;
    out->cfar = hv->cfar;
    out->ppr = hv->ppr;
}

int64_t nest_l2_hdec(const NestL2State *l2, uint64_t l0_tb_now)
{
    return (int64_t)(l2->hdec_expiry - l0_tb_now);
}

void nest_l2_writeback(const NestL2State *l2, const NestExit *x, NestHvgs *hv, NestPtRegs *regs)
{
    hv->dpdes = l2->dpdes;
    hv->purr = l2->purr;
    hv->spurr = l2->spurr;
    hv->ic = l2->ic;
    hv->vtb = l2->vtb;
    hv->srr0 = l2->srr0;
    hv->srr1 = l2->srr1;
    for (unsigned i = 0; i < HVGS_NR_SPRG; i++) {
        hv->sprg[i] = l2->sprg[i];
    }
    hv->pidr = l2->pidr;
    hv->cfar = l2->cfar;
    hv->ppr = l2->ppr;
    switch (x->vector) {
    case EXCP_HDSI:
        hv->hdar = x->hdar;
        hv->hdsisr = x->hdsisr;
        hv->asdr = x->asdr;
        break;
    case EXCP_HISI:
        hv->asdr = x->asdr;
        break;
    case EXCP_HEAI:
        hv->heir = x->heir;
        break;
    case EXCP_HFAC_UNAVAIL:
        hv->hfscr = (hv->hfscr & ~HFSCR_IC_MASK) | (x->hfscr & HFSCR_IC_MASK);
        break;
    default:
        break;
    }

    for (unsigned i = 0; i < PTREGS_NR_GPR; i++) {
        regs->gpr[i] = l2->gpr[i];
    }
    regs->nip = l2->nip;
    regs->msr = l2->msr;
    regs->ctr = l2->ctr;
    regs->link = l2->lr;
    regs->xer = l2->xer;
    regs->ccr = l2->cr;
}
