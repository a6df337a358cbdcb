/*
 * enter.c - H_ENTER_NESTED around the pure codec of hvgs.c: read both
 * structures from L1 memory, check them in Linux's order, find or create
 * the nested guest, derive the L2 state; at the exit write back and drop
 * the reference (Linux kvmhv_enter_nested_guest() minus the run itself,
 * which is hv/'s).
 */
#include "nest/nest_int.h"
#include "ppc/hcall.h"
#include "ppc/msr.h"

long nest_enter_begin(NestL1 *l1, const NestL1Ctx *ctx, gra_t hv_ptr, gra_t regs_ptr, NestEnter *e)
{
    uint8_t hvbuf[HVGS_SIZE_MAX], regsbuf[PTREGS_SIZE];
    const NestOps *ops = l1->ops;
    long rc;

    *e = (NestEnter){ 0 };
    e->hv_ptr = hv_ptr;
    e->regs_ptr = regs_ptr;
    e->big_endian = ctx->big_endian;

    nest_lock(l1, &l1->mmu_lock);
    bool have_table = l1->ptcr != 0;
    nest_unlock(l1, &l1->mmu_lock);
    if (!have_table) {
        return H_NOT_AVAILABLE;
    }
    if ((ctx->l1_msr & MSR_TS) == MSR_TS_TRANSACTIONAL) {
        return H_BAD_MODE;
    }

    /* The version says how much to read. */
    if (ops->read_l1(l1->opaque, hv_ptr, hvbuf, sizeof(uint64_t)) != 0) {
        return H_PARAMETER;
    }
    size_t size = nest_hvgs_size(nest_hvgs_peek_version(hvbuf, e->big_endian));
    if (size != 0 && (ops->read_l1(l1->opaque, hv_ptr, hvbuf, size) != 0 ||
                      ops->read_l1(l1->opaque, regs_ptr, regsbuf, sizeof regsbuf) != 0)) {
        return H_PARAMETER;
    }
    rc = nest_hvgs_decode(hvbuf, size ? size : sizeof(uint64_t), e->big_endian, &e->hv);
    if (rc != H_SUCCESS) {
        return rc;
    }
    nest_ptregs_decode(regsbuf, e->big_endian, &e->regs);
    rc = nest_hvgs_validate(&e->hv, &e->regs, ctx);
    if (rc != H_SUCCESS) {
        return rc;
    }

    /* Translate the lpid: the guest is created on first use. */
    NestGuest *ng = nest_guest_get(l1, e->hv.lpid, true, &rc);
    if (!ng) {
        return rc;
    }
    if (!ng->pate_valid) {
        nest_lock(l1, &ng->tlb_lock);
        nest_guest_update_pate_locked(ng);
        nest_unlock(l1, &ng->tlb_lock);
    }
    e->ng = ng;
    nest_l2_state_derive(&e->hv, &e->regs, ctx, &e->l2);
    e->l2.lpid = ng->shadow_lpid;
    ng->stats.entries++;
    return H_SUCCESS;
}

long nest_enter_end(NestL1 *l1, NestEnter *e, const NestExit *x)
{
    uint8_t hvbuf[HVGS_SIZE_MAX], regsbuf[PTREGS_SIZE];
    long rc = H_SUCCESS;

    NEST_BUG_ON(!e->ng);
    e->ng->stats.exits[nest_exit_index(x->vector)]++;
    nest_l2_writeback(&e->l2, x, &e->hv, &e->regs);
    nest_hvgs_encode(&e->hv, e->big_endian, hvbuf);
    nest_ptregs_encode(&e->regs, e->big_endian, regsbuf);
    if (l1->ops->write_l1(l1->opaque, e->hv_ptr, hvbuf, nest_hvgs_size(e->hv.version)) != 0 ||
        l1->ops->write_l1(l1->opaque, e->regs_ptr, regsbuf, sizeof regsbuf) != 0) {
        rc = H_AUTHORITY; /* Linux: the L1 moved the buffers away during the run */
    }
    nest_guest_put(e->ng);
    e->ng = NULL;
    return rc;
}
