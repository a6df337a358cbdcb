/*
 * v2.c - PAPR nested API state rules (nest/v2.h states them with sources).
 */
#include "nest/v2.h"

#include "nest/nest_int.h"
#include "ppc/excp.h"
#include "ppc/hcall.h"
#include "ppc/hvgs.h"
#include "ppc/msr.h"
#include "ppc/radix_fmt.h"
#include "radix/radix.h"

/* Logical PVRs (PAPR "architected" processor versions; Linux asm/reg.h PVR_ARCH_*). */
#define LOGICAL_PVR_3_00   0x0F000005u /* POWER9 mode */
#define LOGICAL_PVR_3_10   0x0F000006u /* POWER10 mode */
#define LOGICAL_PVR_3_10P  0x0F000007u /* POWER11 mode */
#define PVR_VERSION(pvr)   ((pvr) >> 16)
#define PVR_VERSION_POWER9 0x004Eu
#define PVR_VERSION_POWER10 0x0080u

/* Sizes L0 accepts (nest/v2.h). */
#define PART_ROOT_MIN_SHIFT 8   /* RPDS >= 5: 2^(5+3) bytes */
#define PART_ROOT_MAX_SHIFT 28
#define PROC_TABLE_MIN_SHIFT PRTB_SIZE_BASE
#define PROC_TABLE_MAX_SHIFT 36

/* ---- capabilities ------------------------------------------------------------------ */

/* A POWER10 runs POWER9-mode guests too (QEMU 10: ppc_check_compat per mode). */
uint64_t nest_v2_caps_supported(uint32_t pvr)
{
    uint64_t caps = H_GUEST_CAP_POWER9;
    if (PVR_VERSION(pvr) == PVR_VERSION_POWER10) {
        caps |= H_GUEST_CAP_POWER10;
    }
    return caps;
}

static unsigned ibm_bit(uint64_t bit)
{
    return 63u - (unsigned)__builtin_ctzll(bit);
}

long nest_v2_caps_check(uint64_t supported, uint64_t caps, uint64_t *r4, uint64_t *r5)
{
    uint64_t bad = caps & ~supported;
    if (caps == 0) {
        /* QEMU 10: r5 = the bitmap index (IBM bit) of the newest processor mode offered. */
        *r4 = 1;
        *r5 = supported & H_GUEST_CAP_POWER11   ? ibm_bit(H_GUEST_CAP_POWER11)
              : supported & H_GUEST_CAP_POWER10 ? ibm_bit(H_GUEST_CAP_POWER10)
                                                : ibm_bit(H_GUEST_CAP_POWER9);
        return H_P2;
    }
    if (bad) {
        *r4 = 1;
        *r5 = ibm_bit(bad & -bad);
        return H_P2;
    }
    return H_SUCCESS;
}

uint32_t nest_v2_caps_logical_pvr(uint64_t caps)
{
    if (caps & H_GUEST_CAP_POWER11) {
        return LOGICAL_PVR_3_10P;
    }
    return caps & H_GUEST_CAP_POWER10 ? LOGICAL_PVR_3_10 : LOGICAL_PVR_3_00;
}

/* ---- values ------------------------------------------------------------------------- */

static bool pow2_in(uint64_t x, unsigned min_shift, unsigned max_shift)
{
    return x != 0 && (x & (x - 1)) == 0 && x >= (1ULL << min_shift) && x <= (1ULL << max_shift);
}

static GsbErr check_part_table(const GsbPartTable *pt)
{
    if (pt->addr == 0 && pt->ea_bits == 0 && pt->root_size == 0) {
        return GSB_OK; /* undefine it */
    }
    if (pt->ea_bits != RADIX_ADDR_BITS_52 || !pow2_in(pt->root_size, PART_ROOT_MIN_SHIFT, PART_ROOT_MAX_SHIFT)) {
        return GSB_ERR_VALUE;
    }
    if ((pt->addr & (pt->root_size - 1)) != 0 || (pt->addr & ~RADIX_RPDB) != 0) {
        return GSB_ERR_VALUE;
    }
    return GSB_OK;
}

static GsbErr check_proc_table(const GsbRegion *r)
{
    if (r->addr == 0 && r->size == 0) {
        return GSB_OK;
    }
    if (!pow2_in(r->size, PROC_TABLE_MIN_SHIFT, PROC_TABLE_MAX_SHIFT) || (r->addr & ~PATE1_PRTB) != 0) {
        return GSB_ERR_VALUE;
    }
    return GSB_OK;
}

static GsbErr check_run_buffer(const GsbRegion *r)
{
    if (r->size > H_GUEST_STATE_BUF_MAX || (r->size != 0 && r->addr + r->size < r->addr)) {
        return GSB_ERR_VALUE;
    }
    return GSB_OK;
}

GsbErr nest_v2_check_value(const GsbElem *e)
{
    GsbPartTable pt;
    GsbRegion r;
    uint32_t pvr;
    switch (e->id) {
    case GSB_ID_PARTITION_TABLE:
        return gsb_elem_part_table(e, &pt) ? check_part_table(&pt) : GSB_ERR_SIZE;
    case GSB_ID_PROCESS_TABLE:
        return gsb_elem_region(e, &r) ? check_proc_table(&r) : GSB_ERR_SIZE;
    case GSB_ID_RUN_INPUT:
    case GSB_ID_RUN_OUTPUT:
        return gsb_elem_region(e, &r) ? check_run_buffer(&r) : GSB_ERR_SIZE;
    case GSB_ID_LOGICAL_PVR:
        if (!gsb_elem_u32(e, &pvr)) {
            return GSB_ERR_SIZE;
        }
        return pvr == 0 || pvr == LOGICAL_PVR_3_00 || pvr == LOGICAL_PVR_3_10 || pvr == LOGICAL_PVR_3_10P
                   ? GSB_OK
                   : GSB_ERR_VALUE;
    default:
        return GSB_OK;
    }
}

GsbErr nest_v2_check_values(const GsbView *v, GsbResult *r)
{
    GsbIter it;
    GsbElem e;
    for (gsb_iter_init(&it, v); gsb_iter_next(&it, &e);) {
        GsbErr err = nest_v2_check_value(&e);
        if (err != GSB_OK) {
            *r = (GsbResult){ err, e.index, e.offset, e.id };
            return err;
        }
    }
    *r = (GsbResult){ GSB_OK, 0, 0, 0 };
    return GSB_OK;
}

/* ---- the thread store ------------------------------------------------------------------ */

void nest_v2_vcpu_init(NestV2Vcpu *v)
{
    *v = (NestV2Vcpu){ 0 };
    v->val[GSB_IDX_MSR].lo = MSR_SF;
}

uint64_t nest_v2_vcpu_state_size(void)
{
    return sizeof(NestV2Vcpu);
}

void nest_v2_thread_set(NestV2Vcpu *v, const GsbElem *e)
{
    int idx = gsb_id_index(e->id);
    if (idx < 0 || e->id == GSB_ID_NOP) {
        return;
    }
    GsbU128 *slot = &v->val[idx];
    switch (e->size) {
    case 4:
        slot->lo = nest_ld_be(e->val, 4);
        break;
    case 8:
        slot->lo = nest_ld_be(e->val, 8);
        break;
    case 16:
        slot->hi = nest_ld_be(e->val, 8);
        slot->lo = nest_ld_be(e->val + 8, 8);
        break;
    default:
        break; /* not a thread element size: validated away */
    }
}

void nest_v2_thread_get(const NestV2Vcpu *v, void *buf, size_t len, const GsbElem *e)
{
    int idx = gsb_id_index(e->id);
    if (idx < 0 || e->id == GSB_ID_NOP) {
        return;
    }
    const GsbU128 *slot = &v->val[idx];
    switch (e->size) {
    case 4:
        (void)gsb_write_u32(buf, len, e, (uint32_t)slot->lo);
        break;
    case 8:
        (void)gsb_write_u64(buf, len, e, slot->lo);
        break;
    case 16:
        (void)gsb_write_u128(buf, len, e, *slot);
        break;
    default:
        break;
    }
}

void nest_v2_guest_set(NestV2Guest *g, const GsbElem *e)
{
    uint64_t v64;
    uint32_t v32;
    switch (e->id) {
    case GSB_ID_LOGICAL_PVR:
        if (gsb_elem_u32(e, &v32)) {
            g->logical_pvr = v32;
        }
        break;
    case GSB_ID_TB_OFFSET:
        if (gsb_elem_u64(e, &v64)) {
            g->tb_offset = (int64_t)v64;
        }
        break;
    case GSB_ID_PARTITION_TABLE:
        (void)gsb_elem_part_table(e, &g->part);
        break;
    case GSB_ID_PROCESS_TABLE:
        (void)gsb_elem_region(e, &g->proc);
        break;
    default:
        break; /* NOP; read-only ones were refused by the validator */
    }
}

void nest_v2_guest_get(const NestV2Guest *g, void *buf, size_t len, const GsbElem *e)
{
    switch (e->id) {
    case GSB_ID_HOST_STATE_SIZE:
        (void)gsb_write_u64(buf, len, e, nest_v2_vcpu_state_size());
        break;
    case GSB_ID_RUN_OUTPUT_MIN_SIZE:
        (void)gsb_write_u64(buf, len, e, H_GUEST_RUN_OUTPUT_MIN_SIZE);
        break;
    case GSB_ID_LOGICAL_PVR:
        (void)gsb_write_u32(buf, len, e, g->logical_pvr);
        break;
    case GSB_ID_TB_OFFSET:
        (void)gsb_write_u64(buf, len, e, (uint64_t)g->tb_offset);
        break;
    case GSB_ID_PARTITION_TABLE:
        (void)gsb_write_part_table(buf, len, e, &g->part);
        break;
    case GSB_ID_PROCESS_TABLE:
        (void)gsb_write_region(buf, len, e, &g->proc);
        break;
    default:
        break;
    }
}

/* ---- partition table ---------------------------------------------------------------------- */

static unsigned log2_u64(uint64_t x)
{
    return 63u - (unsigned)__builtin_clzll(x);
}

bool nest_v2_pate(const NestV2Guest *g, uint64_t *dw0, uint64_t *dw1)
{
    if (g->part.root_size == 0) {
        *dw0 = *dw1 = 0;
        return false;
    }
    RadixRoot root = {
        .base = g->part.addr,
        .rts = (unsigned)g->part.ea_bits - RADIX_RTS_ADDR_BASE,
        .rpds = log2_u64(g->part.root_size) - 3,
    };
    *dw0 = PATE0_HR | radix_root_to_dw0(&root);
    *dw1 = 0;
    if (g->proc.size != 0) {
        *dw1 = PATE1_GR | (g->proc.addr & PATE1_PRTB) | ((uint64_t)(log2_u64(g->proc.size) - PRTB_SIZE_BASE) & PATE1_PRTS);
    }
    return true;
}

/* ---- running ----------------------------------------------------------------------------------- */

#define G(idx) (v->val[(idx)].lo)

void nest_v2_l2_state(const NestV2Vcpu *v, const NestV2Guest *g, const NestL1Ctx *ctx, NestL2State *out)
{
    *out = (NestL2State){ 0 };
    for (unsigned i = 0; i < PTREGS_NR_GPR; i++) {
        out->gpr[i] = G(GSB_IDX_GPR0 + i);
    }
    out->nip = G(GSB_IDX_NIA);
    out->msr = nest_l2_msr(G(GSB_IDX_MSR));
    out->ctr = G(GSB_IDX_CTR);
    out->lr = G(GSB_IDX_LR);
    out->xer = G(GSB_IDX_XER);
    out->cr = (uint32_t)G(GSB_IDX_CR);
    out->lpcr = nest_l2_lpcr(ctx->l1_lpcr, G(GSB_IDX_LPCR));
    out->pcr = 0; /* the logical PVR's compatibility mode: POWER9 is all nesthv runs */
    out->amor = G(GSB_IDX_AMOR);
    out->dpdes = G(GSB_IDX_DPDES);
    out->hfscr = nest_l2_hfscr(G(GSB_IDX_HFSCR), ctx->l1_hfscr_permitted);
    out->tb_offset = ctx->l1_tb_offset + g->tb_offset;
    out->hdec_expiry = G(GSB_IDX_HDEC_EXPIRY_TB) - (uint64_t)ctx->l1_tb_offset;
    out->dawr0 = G(GSB_IDX_DAWR0);
    out->dawrx0 = nest_l2_dawrx((uint32_t)G(GSB_IDX_DAWRX0));
    out->dawr1 = G(GSB_IDX_DAWR1);
    out->dawrx1 = nest_l2_dawrx((uint32_t)G(GSB_IDX_DAWRX1));
    out->ciabr = nest_l2_ciabr(G(GSB_IDX_CIABR));
    out->purr = G(GSB_IDX_PURR);
    out->spurr = G(GSB_IDX_SPURR);
    out->ic = G(GSB_IDX_IC);
    out->vtb = G(GSB_IDX_VTB);
    out->srr0 = G(GSB_IDX_SRR0);
    out->srr1 = G(GSB_IDX_SRR1);
    for (unsigned i = 0; i < HVGS_NR_SPRG; i++) {
        out->sprg[i] = G(GSB_IDX_SPRG0 + i);
    }
    out->pidr = (uint32_t)G(GSB_IDX_PIDR);
    out->cfar = G(GSB_IDX_CFAR);
    out->ppr = G(GSB_IDX_PPR);
}

#undef G
#define S(idx, x) (v->val[(idx)].lo = (x))

void nest_v2_store_back(NestV2Vcpu *v, const NestL2State *l2, const NestExit *x)
{
    for (unsigned i = 0; i < PTREGS_NR_GPR; i++) {
        S(GSB_IDX_GPR0 + i, l2->gpr[i]);
    }
    S(GSB_IDX_NIA, l2->nip);
    S(GSB_IDX_MSR, l2->msr);
    S(GSB_IDX_CTR, l2->ctr);
    S(GSB_IDX_LR, l2->lr);
    S(GSB_IDX_XER, l2->xer);
    S(GSB_IDX_CR, (uint32_t)l2->cr);
    S(GSB_IDX_DPDES, l2->dpdes);
    S(GSB_IDX_PURR, l2->purr);
    S(GSB_IDX_SPURR, l2->spurr);
    S(GSB_IDX_IC, l2->ic);
    S(GSB_IDX_VTB, l2->vtb);
    S(GSB_IDX_SRR0, l2->srr0);
    S(GSB_IDX_SRR1, l2->srr1);
    for (unsigned i = 0; i < HVGS_NR_SPRG; i++) {
        S(GSB_IDX_SPRG0 + i, l2->sprg[i]);
    }
    S(GSB_IDX_PIDR, (uint32_t)l2->pidr);
    S(GSB_IDX_CFAR, l2->cfar);
    S(GSB_IDX_PPR, l2->ppr);
    switch (x->vector) {
    case EXCP_HDSI:
        S(GSB_IDX_HDAR, x->hdar);
        S(GSB_IDX_HDSISR, (uint32_t)x->hdsisr);
        S(GSB_IDX_ASDR, x->asdr);
        break;
    case EXCP_HISI:
        /* HDAR is not set by an HISI: the output buffer repeats the last one (QEMU 10 too). */
        S(GSB_IDX_ASDR, x->asdr);
        break;
    case EXCP_HEAI:
        S(GSB_IDX_HEIR, x->heir);
        break;
    case EXCP_HFAC_UNAVAIL:
        S(GSB_IDX_HFSCR, (v->val[GSB_IDX_HFSCR].lo & ~HFSCR_IC_MASK) | (x->hfscr & HFSCR_IC_MASK));
        break;
    default:
        break;
    }
}

#undef S

unsigned nest_v2_exit_ids(uint32_t vector, uint16_t ids[16])
{
    unsigned n = 0;
    switch (vector) {
    case EXCP_SYSCALL:
        for (unsigned r = 3; r <= 12; r++) {
            ids[n++] = (uint16_t)GSB_ID_GPR(r);
        }
        break;
    case EXCP_HDSI:
        ids[n++] = GSB_ID_HDAR;
        ids[n++] = GSB_ID_HDSISR;
        ids[n++] = GSB_ID_ASDR;
        ids[n++] = GSB_ID_NIA;
        ids[n++] = GSB_ID_MSR;
        break;
    case EXCP_HISI:
        ids[n++] = GSB_ID_HDAR;
        ids[n++] = GSB_ID_ASDR;
        ids[n++] = GSB_ID_NIA;
        ids[n++] = GSB_ID_MSR;
        break;
    case EXCP_HEAI:
        ids[n++] = GSB_ID_HEIR;
        ids[n++] = GSB_ID_NIA;
        ids[n++] = GSB_ID_MSR;
        break;
    case EXCP_HFAC_UNAVAIL:
        ids[n++] = GSB_ID_HFSCR;
        ids[n++] = GSB_ID_NIA;
        ids[n++] = GSB_ID_MSR;
        break;
    default:
        break;
    }
    return n;
}

size_t nest_v2_output_size(uint32_t vector)
{
    uint16_t ids[16];
    unsigned n = nest_v2_exit_ids(vector, ids);
    size_t size = GSB_HDR_SIZE;
    for (unsigned i = 0; i < n; i++) {
        size += gsb_elem_space(ids[i]);
    }
    return size;
}

size_t nest_v2_fill_output(const NestV2Vcpu *v, uint32_t vector, uint8_t *out, size_t cap)
{
    uint16_t ids[16];
    unsigned n = nest_v2_exit_ids(vector, ids);
    GsbBuf b;
    if (gsb_init(&b, out, cap) != GSB_OK) {
        return 0;
    }
    for (unsigned i = 0; i < n; i++) {
        int idx = gsb_id_index(ids[i]);
        const GsbElemInfo *info = gsb_elem_info(ids[i]);
        GsbErr err = info->size == 4 ? gsb_put_u32(&b, ids[i], (uint32_t)v->val[idx].lo)
                                     : gsb_put_u64(&b, ids[i], v->val[idx].lo);
        if (err != GSB_OK) {
            return 0;
        }
    }
    return gsb_len(&b);
}
