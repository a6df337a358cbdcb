/*
 * invalidate.c - removing shadow translations: (a) L0 changed an L1 page
 * (through the rmap), (b) the L1 invalidated a partition-scoped
 * translation of its guest (H_TLB_INVALIDATE, an emulated tlbie,
 * H_RPT_INVALIDATE of the nested type), (c) a whole shadow tree dropped.
 *
 * H_TLB_INVALIDATE rules (papr-nested.md; Linux kvmhv_emulate_priv_tlbie()):
 *   H_PARAMETER for R=0 (radix only), PRS=1 (process scope is the guest's
 *   own business), RIC=3, IS=1 (partition scope has no PID), IS=0 with
 *   RIC!=0, and IS=0 with an AP that is no radix page size.  An lpid the
 *   L1 has no guest for is a successful no-op (Linux: the L1 flushes lpids
 *   it has not entered yet).  IS=0: the shadow PTEs covering the page go.
 *   IS=2 (one lpid) / IS=3 (all): RIC=0 drops the shadow tree, RIC=1
 *   nothing (nest caches no directory of the L1), RIC=2 drops it and
 *   re-reads the L1's partition-table entry, deleting the guest if it is
 *   now 0.
 */
#include "nest/nest_int.h"
#include "ppc/hcall.h"

/* ---- (a) L0 changed an L1 page ---------------------------------------------------------- */

void nest_invalidate_l1_range(NestL1 *l1, gra_t l1_gra, uint64_t size)
{
    nest_lock(l1, &l1->mmu_lock);
    l1->invalidate_seq++; /* faults that translated before this retry */
    nest_rmap_invalidate_locked(l1, l1_gra, size);
    nest_unlock(l1, &l1->mmu_lock);
    if (l1->also_invalidate) {
        nest_invalidate_l1_range(l1->also_invalidate, l1_gra, size);
    }
}

/* ---- (c) a whole shadow tree --------------------------------------------------------------- */

void nest_guest_flush_locked(NestGuest *ng)
{
    NestL1 *l1 = ng->l1;
    RadixMem m;
    RadixRoot fresh;

    NEST_ASSERT_HELD(&ng->tlb_lock);
    nest_shadow_mem(l1, &m);
    nest_lock(l1, &l1->mmu_lock);
    nest_rmap_drop_guest_locked(ng);
    if (radix_tree_create(&m, &fresh) == 0) {
        /* Point L0's entry at an empty tree, flush, then free the old one. */
        RadixRoot old = ng->shadow_root;
        RadixUsed old_used = ng->shadow_used;
        ng->shadow_root = fresh;
        ng->shadow_used = (RadixUsed){ { 0 } };
        l1->ops->set_pate(l1->opaque, ng->shadow_lpid, PATE0_HR | radix_root_to_dw0(&fresh), ng->l1_pate1);
        l1->ops->flush(l1->opaque, ng->shadow_lpid, NEST_FLUSH_LPID, 0, 0);
        radix_tree_destroy_used(&m, &old, &old_used);
    } else {
        /* No page for a new root: empty the tree in place (needs no allocation). */
        nest_shadow_remove_locked(ng, 0, 1ULL << RADIX_ADDR_BITS_52);
        l1->ops->flush(l1->opaque, ng->shadow_lpid, NEST_FLUSH_LPID, 0, 0);
    }
    ng->stats.tlbie_flushes++;
    nest_unlock(l1, &l1->mmu_lock);
}

/* Remove the shadow PTEs covering [n_gpa, +size) of one guest. */
static void remove_range(NestGuest *ng, gra_t n_gpa, uint64_t size)
{
    NestL1 *l1 = ng->l1;
    nest_lock(l1, &ng->tlb_lock);
    nest_lock(l1, &l1->mmu_lock);
    ng->stats.tlbie_pages += nest_shadow_remove_locked(ng, n_gpa, size);
    nest_unlock(l1, &l1->mmu_lock);
    nest_unlock(l1, &ng->tlb_lock);
}

/* IS=2 for one guest (Linux kvmhv_emulate_tlbie_lpid()). */
static void tlbie_lpid(NestGuest *ng, unsigned ric)
{
    bool gone = false;
    nest_lock(ng->l1, &ng->tlb_lock);
    switch (ric) {
    case TLBIE_RIC_TLB:
        nest_guest_flush_locked(ng);
        break;
    case TLBIE_RIC_PWC:
        break; /* no cached directories of the L1's tree */
    case TLBIE_RIC_ALL:
        nest_guest_flush_locked(ng);
        nest_guest_update_pate_locked(ng);
        gone = !ng->pate_valid && !ng->l1->direct; /* v2 guests live until H_GUEST_DELETE */
        break;
    default:
        break;
    }
    nest_unlock(ng->l1, &ng->tlb_lock);
    if (gone) {
        nest_guest_remove(ng);
    }
}

/* IS=3: every guest of the L1, one reference at a time. */
static void tlbie_all(NestL1 *l1, unsigned ric)
{
    for (uint32_t lpid = 1;; lpid++) {
        nest_lock(l1, &l1->mmu_lock);
        if (lpid >= l1->nguests_max) {
            nest_unlock(l1, &l1->mmu_lock);
            return;
        }
        NestGuest *ng = l1->guests[lpid];
        if (ng) {
            ng->refcnt++;
        }
        nest_unlock(l1, &l1->mmu_lock);
        if (ng) {
            tlbie_lpid(ng, ric);
            nest_guest_put(ng);
        }
    }
}

/* ---- (b) tlbie from the L1 -------------------------------------------------------------------- */

void nest_tlbie_decode(uint32_t insn, uint64_t rs, uint64_t rb, NestTlbie *out)
{
    out->ric = (insn & TLBIE_INSN_RIC) >> TLBIE_INSN_RIC_SHIFT;
    out->prs = (insn & TLBIE_INSN_PRS) != 0;
    out->r = (insn & TLBIE_INSN_R) != 0;
    out->is = (unsigned)((rb & TLBIE_RB_IS) >> TLBIE_RB_IS_SHIFT);
    out->ap = (unsigned)((rb & TLBIE_RB_AP) >> TLBIE_RB_AP_SHIFT);
    out->epn_addr = rb & TLBIE_RB_EPN;
    out->lpid = (uint32_t)(rs & TLBIE_RS_LPID);
}

long nest_tlbie_check(const NestTlbie *t)
{
    if (!t->r || t->prs || t->ric == TLBIE_RIC_GRP || t->is == TLBIE_IS_PID ||
        (t->is == TLBIE_IS_VA && t->ric != TLBIE_RIC_TLB)) {
        return H_PARAMETER;
    }
    if (t->is == TLBIE_IS_VA && radix_ap_to_shift(t->ap) == 0) {
        return H_PARAMETER;
    }
    return H_SUCCESS;
}

long nest_tlbie(NestL1 *l1, const NestTlbie *t)
{
    long rc = nest_tlbie_check(t);
    if (rc != H_SUCCESS) {
        return rc;
    }
    if (t->is == TLBIE_IS_ALL) {
        tlbie_all(l1, t->ric);
        return H_SUCCESS;
    }
    NestGuest *ng = nest_guest_get(l1, t->lpid, false, &rc);
    if (!ng) {
        return H_SUCCESS; /* no such guest: nothing cached */
    }
    if (t->is == TLBIE_IS_VA) {
        unsigned shift = radix_ap_to_shift(t->ap);
        remove_range(ng, t->epn_addr & ~((1ULL << shift) - 1), 1ULL << shift);
    } else {
        tlbie_lpid(ng, t->ric);
    }
    nest_guest_put(ng);
    return H_SUCCESS;
}

long nest_tlb_invalidate(NestL1 *l1, uint32_t insn, uint64_t rs, uint64_t rb)
{
    NestTlbie t;
    nest_tlbie_decode(insn, rs, rb, &t);
    return nest_tlbie(l1, &t);
}

/* ---- H_RPT_INVALIDATE, nested type (Linux do_h_rpt_invalidate_pat()) ------------------------- */

static const struct {
    uint64_t rpti;
    unsigned shift;
} rpti_sizes[] = {
    { H_RPTI_PAGE_4K, RADIX_SHIFT_4K },
    { H_RPTI_PAGE_64K, RADIX_SHIFT_64K },
    { H_RPTI_PAGE_2M, RADIX_SHIFT_2M },
    { H_RPTI_PAGE_1G, RADIX_SHIFT_1G },
};

static long rpt_ranges(NestGuest *ng, uint64_t pg_sizes, uint64_t start, uint64_t end)
{
    long rc = H_P4; /* no page size Linux knows */
    for (unsigned i = 0; i < sizeof rpti_sizes / sizeof rpti_sizes[0]; i++) {
        if (!(pg_sizes & rpti_sizes[i].rpti)) {
            continue;
        }
        unsigned shift = rpti_sizes[i].shift;
        uint64_t size = 1ULL << shift;
        if (((end - start) >> shift) > H_RPTI_RANGE_PAGE_CEILING) {
            tlbie_lpid(ng, TLBIE_RIC_TLB); /* also an end below start: the L1's problem, not a loop */
            return H_SUCCESS;
        }
        /* Pages from start up to end (at least one), counted so that no address wraps. */
        uint64_t pages = end > start ? (end - start + size - 1) >> shift : 1;
        for (uint64_t k = 0, addr = start; k < pages; k++, addr += size) {
            remove_range(ng, addr & ~(size - 1), size);
        }
        rc = H_SUCCESS;
    }
    return rc;
}

long nest_rpt_invalidate(NestL1 *l1, uint32_t l1_lpid, uint64_t type, uint64_t pg_sizes, uint64_t start,
                         uint64_t end)
{
    long rc;
    NestGuest *ng = nest_guest_get(l1, l1_lpid, false, &rc);
    if (!ng) {
        return H_SUCCESS; /* Linux: the L1 flushes lpids before entering them */
    }
    rc = H_SUCCESS;
    if ((type & H_RPTI_TYPE_NESTED_ALL) == H_RPTI_TYPE_NESTED_ALL) {
        tlbie_lpid(ng, TLBIE_RIC_ALL);
    } else if (start == 0 && end == ~0ULL) {
        tlbie_lpid(ng, TLBIE_RIC_TLB);
    } else if (type & H_RPTI_TYPE_TLB) {
        rc = rpt_ranges(ng, pg_sizes, start, end);
    }
    nest_guest_put(ng);
    return rc;
}
