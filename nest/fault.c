/*
 * fault.c - a partition-scoped fault (HDSI/HISI) of an L2 running under its
 * shadow LPID: reflect it to the L1 when the L1's own tree for the L2 does
 * not allow the access, otherwise build the missing shadow PTE from the
 * L1's PTE and L0's translation of the L1 page (papr-nested.md "nested
 * page fault handling"; Linux __kvmhv_nested_page_fault()).
 *
 * Invariant (the property test checks it after every step): every shadow
 * leaf maps n_gpa to the host page that L0's tree gives for the L1 page
 * that the L1's tree gives for n_gpa, with at most the permissions of
 * both, R only if the L1 PTE has R, and write permission and C only after
 * a store that found C in the L1 PTE (so a store to a shadow page without
 * C always faults, whether the MMU faults or sets C on R/C updates).
 *
 * R/C missing in the L1's PTE: reflected with ATOMIC_RC (POWER9 UM
 * 4.10.13.1), or -- l1->rc_by_hardware, QEMU 7.2's behaviour -- set in the
 * L1's PTE in L1 memory and the fault resolved.
 *
 * Shadow page size = min(L1 page, L0 page).  64 KiB and 4 KiB pages cannot
 * share a 2 MiB region of the builder's tree: a 64 KiB page meeting a
 * region of 4 KiB pages goes in as the 4 KiB piece that faulted; a 4 KiB
 * page meeting a region of 64 KiB pages empties the region first (it is
 * only a cache).  So a mixed region settles on 4 KiB pages, no ping-pong.
 */
#include "nest/nest_int.h"
#include "ppc/excp.h"

/* ASDR as Linux reads it: the guest real page (bits 0:3 and the page offset are not part of it). */
#define NEST_ASDR_PAGE_MASK  0x0FFFFFFFFFFFF000ULL
#define NEST_PAGE_OFFSET_4K  ((1ULL << RADIX_SHIFT_4K) - 1)

/* The access that faulted. */
typedef struct NestAccess {
    bool store;      /* a store (never for a table walk or a fetch) */
    bool exec;       /* an instruction fetch (not its table walk) */
    bool table_walk; /* the L2's process-scoped walk fetching an entry (HDSISR/SRR1 PRTABLE_FAULT) */
    gra_t n_gpa;
} NestAccess;

static void classify(const NestFaultIn *in, NestAccess *a)
{
    a->table_walk = (in->cause & DSISR_PRTABLE_FAULT) != 0;
    a->store = in->vector == EXCP_HDSI && (in->cause & DSISR_ISSTORE) && !a->table_walk;
    a->exec = in->vector == EXCP_HISI && !a->table_walk;
    /* Step 1 of the reference: n_gpa from ASDR, plus the EA's page offset unless a table walk. */
    a->n_gpa = in->asdr & NEST_ASDR_PAGE_MASK;
    if (!a->table_walk) {
        a->n_gpa |= in->ea & NEST_PAGE_OFFSET_4K;
    }
}

/* Hand the fault to the L1 with `cause` (DSISR_* bits) and ASDR asdr. */
static NestFaultResult reflect(NestGuest *ng, const NestFaultIn *in, uint64_t cause, uint64_t asdr,
                               NestFaultOut *out)
{
    uint64_t kept = in->cause & (DSISR_ISSTORE | DSISR_PRTABLE_FAULT);
    out->vector = in->vector;
    out->asdr = asdr;
    if (in->vector == EXCP_HDSI) {
        out->hdar = in->ea;
        out->hdsisr = kept | cause;
    } else {
        out->srr1_cause = (kept & DSISR_PRTABLE_FAULT) | cause;
    }
    ng->stats.reflected_faults++;
    return NEST_REFLECT;
}

static NestFaultResult fail(NestFaultOut *out, NestFaultError err)
{
    out->error = err;
    return NEST_ERROR;
}

/* ---- the L1's tree ------------------------------------------------------------------------ */

static int l1_read_entry(void *opaque, radix_addr_t l1_gra, uint64_t *val)
{
    return nest_read_l1_be64(opaque, l1_gra, val);
}

void nest_walk_l1(NestGuest *ng, gra_t n_gpa, RadixWalk *w)
{
    RadixRoot root;
    if (!(ng->l1_pate0 & PATE0_HR) || !radix_root_from_dw0(ng->l1_pate0, &root)) {
        *w = (RadixWalk){ .status = RADIX_BAD_CONFIG, .entry_addr = RADIX_NO_ENTRY };
        return;
    }
    radix_walk(&root, n_gpa, l1_read_entry, ng->l1, w);
}

/* Partition-scoped permissions (EAA privilege bit ignored, as the ISA and QEMU do). */
static bool pte_may_read(uint64_t pte)
{
    return (pte & (RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW)) != 0;
}

static bool pte_may_write(uint64_t pte)
{
    return (pte & RADIX_PTE_EAA_RW) != 0;
}

/* Execute needs EXEC and storage that is not guarded (non-idempotent I/O). */
static bool pte_may_exec(uint64_t pte)
{
    return (pte & RADIX_PTE_EAA_EXEC) && (pte & RADIX_PTE_ATT) != RADIX_PTE_ATT_NON_IDEMPOTENT;
}

/* Step 3: the cause to reflect for the L1's PTE, or 0 if it allows the access. */
static uint64_t l1_denies(const NestAccess *a, uint64_t pte)
{
    if (a->exec) {
        if (!pte_may_exec(pte)) {
            return DSISR_NOEXEC_OR_G;
        }
    } else if (a->store ? !pte_may_write(pte) : !pte_may_read(pte)) {
        return DSISR_PROTFAULT;
    }
    if (!(pte & RADIX_PTE_R) || (a->store && !(pte & RADIX_PTE_C))) {
        return DSISR_ATOMIC_RC; /* the L1 sets them (POWER9 UM 4.10.13.1: R/C updates fault) */
    }
    return 0;
}

/*
 * The R/C update the hardware would do in the L1's PTE (l1->rc_by_hardware):
 * write it back to L1 memory; 0, or PRTABLE_FAULT if the entry cannot be
 * written.  (A multi-threaded L0 needs a compare-and-swap op here.)
 */
static uint64_t set_l1_rc(NestGuest *ng, const NestAccess *a, RadixWalk *w)
{
    uint8_t b[RADIX_ENTRY_BYTES];
    w->pte |= RADIX_PTE_R | (a->store ? RADIX_PTE_C : 0);
    nest_st_be(b, sizeof b, w->pte);
    if (ng->l1->ops->write_l1(ng->l1->opaque, w->entry_addr, b, sizeof b) != 0) {
        return DSISR_PRTABLE_FAULT;
    }
    return 0;
}

/* ---- the shadow PTE ---------------------------------------------------------------------------- */

/* Of two ATT values, the more restrictive: guarded > tolerant I/O > SAO > normal. */
static uint64_t att_combine(uint64_t a, uint64_t b)
{
    static const uint64_t order[] = { RADIX_PTE_ATT_NON_IDEMPOTENT, RADIX_PTE_ATT_TOLERANT, RADIX_PTE_ATT_SAO };
    a &= RADIX_PTE_ATT;
    b &= RADIX_PTE_ATT;
    for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (a == order[i] || b == order[i]) {
            return order[i];
        }
    }
    return RADIX_PTE_ATT_NORMAL;
}

/* Step 5's flags: intersection of L1 and L0, write and C only for a store. */
static uint64_t shadow_flags(const NestAccess *a, uint64_t l1_pte, uint64_t l0_flags)
{
    uint64_t f = RADIX_PTE_R | att_combine(l1_pte, l0_flags);
    if (pte_may_read(l1_pte) && pte_may_read(l0_flags)) {
        f |= RADIX_PTE_EAA_READ;
    }
    if (a->store && pte_may_write(l1_pte) && pte_may_write(l0_flags)) {
        f |= RADIX_PTE_EAA_RW | RADIX_PTE_C;
    }
    if ((l1_pte & RADIX_PTE_EAA_EXEC) && (l0_flags & RADIX_PTE_EAA_EXEC)) {
        f |= RADIX_PTE_EAA_EXEC;
    }
    return f;
}

/* What to insert: the page of 2^shift bytes around n_gpa -> l1_gra -> hra (exact addresses). */
typedef struct NestShadowPte {
    gra_t n_gpa;
    gra_t l1_gra;
    hra_t hra;
    unsigned shift;
    uint64_t flags;
} NestShadowPte;

static uint64_t page_base(uint64_t a, unsigned shift)
{
    return a & ~((1ULL << shift) - 1);
}

static int map_one(NestGuest *ng, const RadixMem *m, const NestShadowPte *s, unsigned shift)
{
    /* The only radix_map() into a shadow tree: destroying it reads only the root entries used. */
    radix_used_add(&ng->shadow_root, &ng->shadow_used, page_base(s->n_gpa, shift), 1ULL << shift);
    return radix_map(m, &ng->shadow_root, page_base(s->n_gpa, shift), page_base(s->hra, shift), 1ULL << shift,
                     shift, s->flags);
}

/*
 * If the shadow leaf at s is s's page (same size and host page, same ATT)
 * and s only adds to its flags (permissions, R, C) -- a store after a load,
 * an access the L1 or L0 has allowed since -- give the leaf s's flags in
 * place: true.  No flush: a translation cached with fewer permissions only
 * makes the access walk again (nesthv's MMU re-walks on a permission miss
 * before raising a fault -- mmu/xlate.c part_xlate(), cpu/mem.h's separate
 * read and write TLBs -- as POWER9 does; Linux kvmppc_create_pte() updates
 * such a PTE without a flush too), and the rmap entry stays valid.
 */
static bool shadow_upgrade_locked(NestGuest *ng, const RadixMem *m, const NestShadowPte *s)
{
    RadixWalk w;
    nest_walk_shadow(ng, s->n_gpa, &w);
    if (w.status != RADIX_OK || w.page_shift != s->shift ||
        page_base(w.pte & RADIX_PTE_RPN, s->shift) != page_base(s->hra, s->shift)) {
        return false;
    }
    uint64_t old = w.pte & RADIX_PTE_FLAGS;
    if ((old & ~s->flags) != 0 || (old & RADIX_PTE_ATT) != (s->flags & RADIX_PTE_ATT)) {
        return false; /* it takes something away: replace the leaf (and flush) */
    }
    return old == s->flags || m->write(m->opaque, w.entry_addr, (w.pte & ~RADIX_PTE_FLAGS) | s->flags) == 0;
}

/*
 * Map s, replacing whatever overlaps it (or upgrading the same page in
 * place); the page size used (s->shift, or 4 KiB in a region already
 * holding 4 KiB pages), or a RADIX_E_* code.  Caller holds mmu_lock.
 */
static int shadow_map_locked(NestGuest *ng, const NestShadowPte *s)
{
    RadixMem m;
    nest_shadow_mem(ng->l1, &m);
    if (shadow_upgrade_locked(ng, &m, s)) {
        return (int)s->shift;
    }
    nest_shadow_remove_locked(ng, page_base(s->n_gpa, s->shift), 1ULL << s->shift);
    int rc = map_one(ng, &m, s, s->shift);
    if (rc == RADIX_E_SHAPE && s->shift == RADIX_SHIFT_64K) {
        /* A 2 MiB region of 4 KiB pages: a 4 KiB piece of the 64 KiB page is as good. */
        rc = map_one(ng, &m, s, RADIX_SHIFT_4K);
        return rc == 0 ? (int)RADIX_SHIFT_4K : rc;
    }
    if (rc == RADIX_E_SHAPE) {
        /* A 4 KiB page in a region of 64 KiB pages: empty the region (a cache) and retry. */
        nest_shadow_remove_locked(ng, page_base(s->n_gpa, RADIX_SHIFT_2M), 1ULL << RADIX_SHIFT_2M);
        rc = map_one(ng, &m, s, s->shift);
    }
    return rc == 0 ? (int)s->shift : rc;
}

/* Step 6: insert and record the rmap entry, unless L0 invalidated meanwhile. */
static NestFaultResult shadow_insert(NestGuest *ng, const NestShadowPte *s, uint64_t seq, NestFaultOut *out)
{
    NestL1 *l1 = ng->l1;
    NestRmapPrep prep;
    NestFaultResult r = NEST_RESUME;

    if (nest_rmap_prepare(l1, &prep) != 0) {
        return fail(out, NEST_ERR_NOMEM);
    }
    nest_lock(l1, &l1->mmu_lock);
    if (l1->invalidate_seq != seq) {
        ng->stats.fault_retries++; /* hra may be stale: let the L2 fault again */
    } else {
        int rc = shadow_map_locked(ng, s);
        if (rc > 0) {
            unsigned shift = (unsigned)rc;
            nest_rmap_add_locked(ng, &prep, page_base(s->l1_gra, shift), page_base(s->n_gpa, shift), shift);
            ng->stats.shadow_faults++;
        } else {
            NEST_BUG_ON(rc != RADIX_E_NOMEM);
            r = fail(out, NEST_ERR_NOMEM);
        }
    }
    nest_unlock(l1, &l1->mmu_lock);
    nest_rmap_finish(l1, &prep);
    return r;
}

/* ---- the fault ----------------------------------------------------------------------------------- */

NestFaultResult nest_fault_locked(NestGuest *ng, const NestFaultIn *in, NestFaultOut *out)
{
    NestL1 *l1 = ng->l1;
    NestAccess a;
    RadixWalk w;
    NestL0Map l0;

    NEST_ASSERT_HELD(&ng->tlb_lock);
    *out = (NestFaultOut){ 0 };
    if (in->vector != EXCP_HDSI && in->vector != EXCP_HISI) {
        return fail(out, NEST_ERR_BAD_ACCESS);
    }

    /* 1. The access, and the L2 guest real address it needs. */
    classify(in, &a);
    out->n_gpa = a.n_gpa;

    /* 2. Walk the L1's partition-scoped tree for this guest (in L1 memory). */
    if (!ng->pate_valid) {
        nest_guest_update_pate_locked(ng);
        if (!ng->pate_valid) {
            return reflect(ng, in, DSISR_NOPTE, in->asdr, out); /* the L1 has no tree for it */
        }
    }
    nest_walk_l1(ng, a.n_gpa, &w);
    switch (w.status) {
    case RADIX_OK:
        break;
    case RADIX_NOT_PRESENT:
        return reflect(ng, in, DSISR_NOPTE, in->asdr, out);
    case RADIX_BAD_CONFIG:
        return reflect(ng, in, DSISR_BADCONFIG, in->asdr, out);
    case RADIX_UNREADABLE:
        return reflect(ng, in, DSISR_PRTABLE_FAULT, w.entry_addr, out); /* ASDR: the L1 entry */
    }

    /* 3. The L1's permissions and R/C. */
    uint64_t cause = l1_denies(&a, w.pte);
    if (cause == DSISR_ATOMIC_RC && l1->rc_by_hardware) {
        cause = set_l1_rc(ng, &a, &w);
    }
    if (cause) {
        return reflect(ng, in, cause, in->asdr, out);
    }

    /* 4. L0's translation of the L1 page (may fault it in; sets L0's R, and C for a store). */
    nest_lock(l1, &l1->mmu_lock);
    uint64_t seq = l1->invalidate_seq;
    nest_unlock(l1, &l1->mmu_lock);
    out->l1_gra = w.ra;
    switch (l1->ops->l1_gra_to_hra(l1->opaque, w.ra, a.store, &l0)) {
    case NEST_L0_OK:
        break;
    case NEST_L0_NOT_RAM:
        return fail(out, NEST_ERR_NOT_RAM);
    case NEST_L0_READONLY:
        return fail(out, NEST_ERR_READONLY);
    default:
        return fail(out, NEST_ERR_NOMEM);
    }
    if (a.store && !pte_may_write(l0.pte_flags)) {
        return fail(out, NEST_ERR_READONLY);
    }

    /* 5. The shadow PTE: smaller page, intersected permissions, R/C rules. */
    NestShadowPte s = { a.n_gpa, w.ra, l0.hra, w.page_shift < l0.page_shift ? w.page_shift : l0.page_shift,
                        shadow_flags(&a, w.pte, l0.pte_flags) };

    /* 6. Insert it into the shadow tree and record the rmap entry. */
    return shadow_insert(ng, &s, seq, out);
}

NestFaultResult nest_fault(NestGuest *ng, const NestFaultIn *in, NestFaultOut *out)
{
    nest_lock(ng->l1, &ng->tlb_lock);
    NestFaultResult r = nest_fault_locked(ng, in, out);
    nest_unlock(ng->l1, &ng->tlb_lock);
    return r;
}
