/*
 * fast.c - choose a specialized handler for a decoded slot (see fast.h).
 * Only forms whose general handler has no other effect are specialized:
 * Rc = 0 (no CR0), OE = 0 (no XER), "or N,N,N" stays with trans_OR (its
 * priority hints), bc only without AA/LK, loads and stores only with RA != 0
 * and valid update forms.
 */
#include "cpu/exec/fast.h"

static void specialize_x_srr(DecodedInsn *d)
{
    const arg_X_srr *a = &d->a.X_srr;
    if (a->rc)
        return;
    switch (d->id) {
    case INSN_OR:
        if (a->rs == a->rb && a->rs == a->ra)
            return; /* a priority hint or a no-op: trans_OR */
        d->fn = a->rs == a->rb ? fast_MR : fast_OR;
        break;
    case INSN_XOR:
        d->fn = fast_XOR;
        break;
    case INSN_AND:
        d->fn = fast_AND;
        break;
    default:
        break;
    }
}

/* D/DS-form load or store with RA != 0: the displacement goes to aux. */
static void specialize_d_mem(DecodedInsn *d, insn_exec_fn fn)
{
    const arg_D_mem *a = &d->a.D_mem;
    if (a->ra == 0)
        return; /* RA|0 = 0: the general handler */
    if (d->id == INSN_LWZU && a->ra == a->rt)
        return; /* invalid form: its program interrupt */
    d->aux = (uint64_t)(int64_t)a->d;
    d->fn = fn;
}

static void specialize_x_mem(DecodedInsn *d, insn_exec_fn fn)
{
    if (d->a.X_mem.ra != 0)
        d->fn = fn;
}

void exec_specialize(DecodedInsn *d)
{
    switch (d->id) {
    case INSN_LBZ:
        specialize_d_mem(d, fast_LBZ);
        break;
    case INSN_LWZ:
        specialize_d_mem(d, fast_LWZ);
        break;
    case INSN_LD:
        specialize_d_mem(d, fast_LD);
        break;
    case INSN_LWZU:
        specialize_d_mem(d, fast_LWZU);
        break;
    case INSN_STW:
        specialize_d_mem(d, fast_STW);
        break;
    case INSN_STD:
        specialize_d_mem(d, fast_STD);
        break;
    case INSN_STWU:
        specialize_d_mem(d, fast_STWU);
        break;
    case INSN_LWZX:
        specialize_x_mem(d, fast_LWZX);
        break;
    case INSN_LDX:
        specialize_x_mem(d, fast_LDX);
        break;
    case INSN_STWX:
        specialize_x_mem(d, fast_STWX);
        break;
    case INSN_STDX:
        specialize_x_mem(d, fast_STDX);
        break;
    case INSN_OR:
    case INSN_XOR:
    case INSN_AND:
        specialize_x_srr(d);
        break;
    case INSN_ADD:
        if (!d->a.XO.oe && !d->a.XO.rc)
            d->fn = fast_ADD;
        break;
    case INSN_ADDI:
        d->aux = (uint64_t)(int64_t)d->a.D_si.si;
        d->fn = d->a.D_si.ra ? fast_ADDI : fast_LI;
        break;
    case INSN_RLWINM:
        if (!d->a.M.rc) {
            d->aux = exec_rlwinm_mask(d->a.M.mb, d->a.M.me);
            d->fn = fast_RLWINM;
        }
        break;
    case INSN_RLDICL:
    case INSN_RLDICR:
    case INSN_RLDIC:
        if (!d->a.MD.rc) {
            d->aux = exec_rldic_mask(d->id, d->a.MD.sh, d->a.MD.m);
            d->fn = fast_RLDIC_any;
        }
        break;
    case INSN_BC:
        if (!d->a.B.aa && !d->a.B.lk) {
            insn_exec_fn fn = exec_bc_fast_for(d->a.B.bo);
            if (fn)
                d->fn = fn;
        }
        break;
    default:
        break;
    }
}
