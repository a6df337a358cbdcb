/*
 * test_property.c - the nested MMU as a whole, on random sequences:
 *   L1 map / unmap / protect of its guests' partition-scoped trees (with the
 *   H_TLB_INVALIDATE a correct L1 issues when it removes rights), lpid
 *   flushes, guest deletion and re-creation;
 *   L0 page moves and dirty-tracking write protection of L1 pages (with
 *   nest_invalidate_l1_range, as L0 does);
 *   L2 accesses (load, store, fetch, table-walk read) run by a model of the
 *   hardware: TLB, then the shadow tree, else an HDSI/HISI into nest_fault();
 *   reflections are checked against the L1's tree and the L1 fixes some.
 * After every step, every shadow leaf and every TLB entry must equal the
 * composition of the L1's tree and L0's tree -- never stale, never more
 * permissive -- and every shadow leaf must have its rmap entry.
 *
 * Seeds with bit 1 set run the QEMU 7.2 R/C policy (NestL1.rc_by_hardware).
 * NEST_PROPERTY_STEPS=n (default 4000 per seed, 5 fixed seeds) changes the length,
 * NEST_PROPERTY_SEED=s runs one other seed instead.
 */
#include "nest_fake.h"

#define NGUESTS   3
#define L2_SPACE  (8 * MiB)           /* n_gpa range per guest: small pages below 4M, 2M pages above */
#define DATA_LO   (16 * MiB)          /* L1 pages the L1 gives its guests */
#define DATA_HI   (40 * MiB)
#define SHARED_N  32

typedef struct Model {
    uint32_t lpid;
    RadixRoot root;   /* the L1's tree for it (kept while deleted) */
    bool entry;       /* the L1's partition-table entry is set */
} Model;

typedef struct Stats {
    uint64_t steps, l1_map, l1_unmap, l1_protect, l1_flush, l1_delete, l1_recreate;
    uint64_t l0_move, l0_wprotect, accesses, hits, faults, resolved, reflected, l1_fixes, retries;
    uint64_t checks, leaves_checked, leaves_big, tlb_checked, rmap_invalidations;
} Stats;

typedef struct P {
    Fake *f;
    Model g[NGUESTS];
    uint64_t rng;
    uint64_t shared[SHARED_N]; /* L1 4K pages handed out more than once */
    uint64_t recent[64][2];    /* L1 pages recently given to guests: base, size (L0 ops aim there) */
    unsigned nrecent;
    Stats s;
} P;

static uint64_t rnd(P *p)
{
    p->rng ^= p->rng << 13;
    p->rng ^= p->rng >> 7;
    p->rng ^= p->rng << 17;
    return p->rng;
}

static uint64_t below(P *p, uint64_t n)
{
    return rnd(p) % n;
}

static bool chance(P *p, unsigned percent)
{
    return below(p, 100) < percent;
}

static NestGuest *find_guest(P *p, int i)
{
    long rc;
    return nest_guest_get(&p->f->l1, p->g[i].lpid, false, &rc);
}

/* ---- composition checks ------------------------------------------------------------------------- */

static bool may(uint64_t pte, int kind) /* kind: 0 read, 1 write, 2 exec */
{
    switch (kind) {
    case 0:
        return pte & (RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW);
    case 1:
        return pte & RADIX_PTE_EAA_RW;
    default:
        return (pte & RADIX_PTE_EAA_EXEC) && (pte & RADIX_PTE_ATT) != RADIX_PTE_ATT_NON_IDEMPOTENT;
    }
}

static void l1_walk(P *p, int i, uint64_t n_gpa, RadixWalk *w)
{
    radix_walk(&p->g[i].root, n_gpa, l1mem_read, p->f, w);
}

/* The shadow (or TLB) translation n_gpa -> hra with pte must be the composition, at most as permissive. */
static void check_one(P *p, int i, uint64_t n_gpa, uint64_t hra, uint64_t pte)
{
    RadixWalk w1, w0;
    l1_walk(p, i, n_gpa, &w1);
    if (w1.status != RADIX_OK) {
        fail_msg("guest %d n_gpa %#llx: shadow maps it, the L1 does not (stale)", i, (unsigned long long)n_gpa);
    }
    fake_l0_walk(p->f, w1.ra, &w0);
    if (w0.status != RADIX_OK || w0.ra != hra) {
        fail_msg("guest %d n_gpa %#llx: shadow hra %#llx, L1 %#llx -> L0 %#llx (stale)", i,
                 (unsigned long long)n_gpa, (unsigned long long)hra, (unsigned long long)w1.ra,
                 (unsigned long long)(w0.status == RADIX_OK ? w0.ra : ~0ULL));
    }
    for (int kind = 0; kind < 3; kind++) {
        if (may(pte, kind) && !(may(w1.pte, kind) && may(w0.pte, kind))) {
            fail_msg("guest %d n_gpa %#llx: shadow allows access %d, L1 %#llx L0 %#llx", i,
                     (unsigned long long)n_gpa, kind, (unsigned long long)w1.pte, (unsigned long long)w0.pte);
        }
    }
    assert_false((pte & RADIX_PTE_R) && !(w1.pte & RADIX_PTE_R));
    assert_false((pte & RADIX_PTE_C) && !(w1.pte & RADIX_PTE_C));
    assert_false((pte & RADIX_PTE_EAA_RW) && !(pte & RADIX_PTE_C)); /* write only with C */
}

/* Is there an rmap entry for this leaf? */
static bool rmap_has(P *p, NestGuest *ng, uint64_t l1_key, uint64_t n_base, unsigned shift)
{
    NestRmap *r = &p->f->l1.rmap;
    if (!r->buckets) {
        return false;
    }
    uint64_t word = nest_rmap_word(ng->l1_lpid, n_base, shift);
    for (unsigned b = 0; b < (1u << r->order); b++) {
        for (NestRmapNode *n = r->buckets[b].by_key; n; n = n->hnext) {
            if (n->ng == ng && n->l1_gra == l1_key && n->word == word) {
                return true;
            }
        }
    }
    return false;
}

static void check_leaf(P *p, int i, NestGuest *ng, uint64_t n_base, unsigned shift, uint64_t pte)
{
    uint64_t size = 1ULL << shift;
    uint64_t base_hra = pte & RADIX_PTE_RPN & ~(size - 1);
    for (uint64_t off = 0; off < size; off += 0x1000) { /* every 4K piece */
        check_one(p, i, n_base + off, base_hra + off, pte);
    }
    RadixWalk w1;
    l1_walk(p, i, n_base, &w1);
    if (!rmap_has(p, ng, w1.ra & ~(size - 1), n_base, shift)) {
        fail_msg("guest %d leaf %#llx/%u has no rmap entry", i, (unsigned long long)n_base, shift);
    }
    p->s.leaves_checked++;
    p->s.leaves_big += shift > 12;
}

/* Every leaf of the shadow tree below L2_SPACE (a table scan, not walks). */
static void scan(P *p, int i, NestGuest *ng, uint64_t table, unsigned level, unsigned nls, uint64_t ea_base,
                 unsigned ea_bits)
{
    unsigned entry_shift = ea_bits - nls;
    for (uint64_t idx = 0; idx < (1ULL << nls); idx++) {
        uint64_t ea = ea_base + (idx << entry_shift), e = 0;
        if (ea >= L2_SPACE) {
            break;
        }
        assert_int_equal(fake_table_read(p->f, table + idx * 8, &e), 0);
        if (!(e & RADIX_PDE_V)) {
            continue;
        }
        if (e & RADIX_PTE_L) {
            check_leaf(p, i, ng, ea, entry_shift, e);
        } else {
            scan(p, i, ng, e & RADIX_PDE_NLB, level + 1, (unsigned)(e & RADIX_PDE_NLS), ea, entry_shift);
        }
    }
}

static void check_all(P *p)
{
    for (int i = 0; i < NGUESTS; i++) {
        NestGuest *ng = find_guest(p, i);
        if (!ng) {
            continue;
        }
        scan(p, i, ng, ng->shadow_root.base, 0, ng->shadow_root.rpds, 0, RADIX_ADDR_BITS_52);
        /* TLB entries of this guest. */
        for (unsigned k = 0; k < FAKE_TLB_SIZE; k++) {
            FakeTlbEntry *e = &p->f->tlb[k];
            if (e->valid && e->lpid == ng->shadow_lpid) {
                check_one(p, i, e->n_page, e->hra, e->pte);
                p->s.tlb_checked++;
            }
        }
        nest_guest_put(ng);
    }
    /* No TLB entry may outlive its guest (shadow LPIDs are never reused by the fake). */
    for (unsigned k = 0; k < FAKE_TLB_SIZE; k++) {
        FakeTlbEntry *e = &p->f->tlb[k];
        if (!e->valid) {
            continue;
        }
        bool known = false;
        for (int i = 0; i < NGUESTS; i++) {
            NestGuest *ng = find_guest(p, i);
            if (ng) {
                known |= ng->shadow_lpid == e->lpid;
                nest_guest_put(ng);
            }
        }
        assert_true(known);
    }
    p->s.checks++;
}

/* ---- the L1 ------------------------------------------------------------------------------------------ */

static const unsigned l1_shifts[] = { 12, 12, 12, 16, 21 };

static uint64_t random_flags(P *p)
{
    uint64_t f = 0;
    f |= chance(p, 90) ? RADIX_PTE_R : 0;
    f |= chance(p, 70) ? RADIX_PTE_C : 0;
    f |= chance(p, 70) ? RADIX_PTE_EAA_READ : 0;
    f |= chance(p, 60) ? RADIX_PTE_EAA_RW : 0;
    f |= chance(p, 40) ? RADIX_PTE_EAA_EXEC : 0;
    f |= chance(p, 5) ? RADIX_PTE_ATT_NON_IDEMPOTENT : chance(p, 5) ? RADIX_PTE_ATT_TOLERANT : 0;
    return f;
}

/* What a correct L1 issues after removing rights: the page, or (sometimes) the whole lpid / everything. */
static void tlbie_page(P *p, int i, uint64_t n_base, unsigned shift)
{
    uint64_t rb = n_base | (uint64_t)radix_shift_to_ap(shift) << TLBIE_RB_AP_SHIFT;
    unsigned pick = (unsigned)below(p, 10);
    if (pick == 0) {
        rb = (uint64_t)TLBIE_IS_LPID << TLBIE_RB_IS_SHIFT;
    } else if (pick == 1) {
        rb = (uint64_t)TLBIE_IS_ALL << TLBIE_RB_IS_SHIFT;
    }
    assert_int_equal(nest_tlb_invalidate(&p->f->l1, TLBIE_INSN_R, p->g[i].lpid, rb), H_SUCCESS);
}

static void l1_map_at(P *p, int i, uint64_t n_gpa, unsigned shift, uint64_t flags)
{
    RadixMem m = fake_l1_mem(p->f);
    uint64_t size = 1ULL << shift, l1;
    if (shift == 12 && chance(p, 25)) {
        l1 = p->shared[below(p, SHARED_N)];
    } else if (shift == 21 && chance(p, 50)) {
        l1 = DATA_LO + below(p, 3) * 8 * MiB; /* where L0 uses 2M pages too (fake_l0_shift) */
    } else {
        l1 = DATA_LO + (below(p, (DATA_HI - DATA_LO) >> shift) << shift);
    }
    int rc = radix_map(&m, &p->g[i].root, n_gpa & ~(size - 1), l1, size, shift, flags);
    assert_true(rc == 0 || rc == RADIX_E_EXISTS || rc == RADIX_E_SHAPE);
    if (rc == 0) {
        p->recent[p->nrecent % 64][0] = l1;
        p->recent[p->nrecent % 64][1] = size;
        p->nrecent++;
        p->s.l1_map++;
    }
}

static void l1_map(P *p)
{
    int i = (int)below(p, NGUESTS);
    unsigned shift = l1_shifts[below(p, 5)];
    uint64_t half = L2_SPACE / 2;
    l1_map_at(p, i, (shift == 21 ? half : 0) + below(p, half), shift, random_flags(p));
}

static void l1_unmap_at(P *p, int i, uint64_t n_gpa)
{
    RadixMem m = fake_l1_mem(p->f);
    RadixWalk w;
    l1_walk(p, i, n_gpa, &w);
    if (w.status != RADIX_OK) {
        return;
    }
    uint64_t size = 1ULL << w.page_shift, n_base = n_gpa & ~(size - 1);
    assert_int_equal(radix_unmap(&m, &p->g[i].root, n_base, size), 0);
    tlbie_page(p, i, n_base, w.page_shift);
    p->s.l1_unmap++;
}

static void l1_protect_at(P *p, int i, uint64_t n_gpa, uint64_t set)
{
    RadixMem m = fake_l1_mem(p->f);
    RadixWalk w;
    l1_walk(p, i, n_gpa, &w);
    if (w.status != RADIX_OK) {
        return;
    }
    uint64_t size = 1ULL << w.page_shift, n_base = n_gpa & ~(size - 1);
    uint64_t old = w.pte & RADIX_PTE_FLAGS;
    assert_int_equal(radix_protect(&m, &p->g[i].root, n_base, size, RADIX_PTE_FLAGS, set), 0);
    if ((old & ~set) || ((old ^ set) & RADIX_PTE_ATT)) {
        tlbie_page(p, i, n_base, w.page_shift); /* rights, R/C or the storage attributes changed */
    }
    p->s.l1_protect++;
}

static void l1_flush(P *p)
{
    unsigned ric = (unsigned)below(p, 3), is = chance(p, 70) ? TLBIE_IS_LPID : TLBIE_IS_ALL;
    int i = (int)below(p, NGUESTS);
    uint32_t insn = ric << TLBIE_INSN_RIC_SHIFT | TLBIE_INSN_R;
    assert_int_equal(nest_tlb_invalidate(&p->f->l1, insn, p->g[i].lpid, (uint64_t)is << TLBIE_RB_IS_SHIFT),
                     H_SUCCESS);
    p->s.l1_flush++;
}

static void l1_set_entry(P *p, int i, bool on)
{
    uint64_t a = FAKE_PTAB + p->g[i].lpid * PATE_SIZE;
    l1_st64(p->f, a, on ? PATE0_HR | radix_root_to_dw0(&p->g[i].root) : 0);
    p->g[i].entry = on;
}

static void l1_delete_or_recreate(P *p)
{
    int i = (int)below(p, NGUESTS);
    if (p->g[i].entry) {
        l1_set_entry(p, i, false);
        uint32_t insn = TLBIE_RIC_ALL << TLBIE_INSN_RIC_SHIFT | TLBIE_INSN_R;
        assert_int_equal(nest_tlb_invalidate(&p->f->l1, insn, p->g[i].lpid,
                                             (uint64_t)TLBIE_IS_LPID << TLBIE_RB_IS_SHIFT), H_SUCCESS);
        NestGuest *ng = find_guest(p, i);
        assert_null(ng); /* deleted */
        p->s.l1_delete++;
    } else {
        l1_set_entry(p, i, true);
        p->s.l1_recreate++;
    }
}

/* ---- L0 ---------------------------------------------------------------------------------------------- */

static uint64_t random_l1_page(P *p)
{
    /* Pages guests use, other guest data, sometimes the L1's own tables (nest reads them through L0). */
    if (p->nrecent && chance(p, 60)) {
        const uint64_t *r = p->recent[below(p, p->nrecent < 64 ? p->nrecent : 64)];
        return r[0] + (below(p, r[1] >> 12) << 12);
    }
    if (chance(p, 80)) {
        return DATA_LO + (below(p, (DATA_HI - DATA_LO) >> 12) << 12);
    }
    return FAKE_L1_TABLES + (below(p, 4 * MiB >> 12) << 12);
}

static void l0_move(P *p)
{
    Fake *f = p->f;
    RadixMem m = fake_host_mem(f);
    RadixWalk w;
    uint64_t l1 = random_l1_page(p), nhra;
    fake_l0_walk(f, l1, &w);
    if (w.status != RADIX_OK) {
        return;
    }
    uint64_t size = 1ULL << w.page_shift, base = l1 & ~(size - 1), old = w.pte & RADIX_PTE_RPN & ~(size - 1);
    if (frame_alloc(f, w.page_shift, &nhra) != 0) {
        return;
    }
    memcpy(f->host + nhra, f->host + old, size);
    assert_int_equal(radix_unmap(&m, &f->l0_root, base, size), 0);
    assert_int_equal(radix_map(&m, &f->l0_root, base, nhra, size, w.page_shift, w.pte & RADIX_PTE_FLAGS), 0);
    nest_invalidate_l1_range(&f->l1, base, size);
    frame_free(f, old, w.page_shift); /* poisoned */
    p->s.l0_move++;
}

static void l0_write_protect(P *p)
{
    Fake *f = p->f;
    RadixMem m = fake_host_mem(f);
    RadixWalk w;
    uint64_t l1 = random_l1_page(p);
    fake_l0_walk(f, l1, &w);
    if (w.status != RADIX_OK || !(w.pte & RADIX_PTE_EAA_RW)) {
        return;
    }
    uint64_t size = 1ULL << w.page_shift, base = l1 & ~(size - 1);
    if (chance(p, 50)) {
        size = 0x1000; /* only one 4K piece: L0 splits its large page */
        base = l1;
    }
    assert_int_equal(radix_protect(&m, &f->l0_root, base, size, RADIX_PTE_EAA_RW | RADIX_PTE_C, 0), 0);
    nest_invalidate_l1_range(&f->l1, base, size);
    p->s.l0_wprotect++;
}

/* ---- the hardware running an L2 ------------------------------------------------------------------------ */

enum { ACC_LOAD, ACC_STORE, ACC_FETCH, ACC_WALK };

/* 0: the access completes; else the cause of the HDSI/HISI. */
static uint64_t hw_try(P *p, NestGuest *ng, uint64_t n_gpa, int acc)
{
    Fake *f = p->f;
    int kind = acc == ACC_STORE ? 1 : acc == ACC_FETCH ? 2 : 0;
    uint64_t n_page = n_gpa & ~0xFFFULL;
    for (unsigned k = 0; k < FAKE_TLB_SIZE; k++) {
        FakeTlbEntry *e = &f->tlb[k];
        if (e->valid && e->lpid == ng->shadow_lpid && e->n_page == n_page && may(e->pte, kind) &&
            (kind != 1 || (e->pte & RADIX_PTE_C))) {
            return 0;
        }
    }
    RadixWalk w;
    nest_walk_shadow(ng, n_gpa, &w);
    if (w.status != RADIX_OK) {
        assert_int_equal(w.status, RADIX_NOT_PRESENT);
        return DSISR_NOPTE;
    }
    if (!may(w.pte, kind)) {
        return kind == 2 ? DSISR_NOEXEC_OR_G : DSISR_PROTFAULT;
    }
    if (!(w.pte & RADIX_PTE_R) || (kind == 1 && !(w.pte & RADIX_PTE_C))) {
        return DSISR_ATOMIC_RC; /* this machine faults on R/C updates (POWER9) */
    }
    FakeTlbEntry *e = &f->tlb[f->tlb_next++ % FAKE_TLB_SIZE];
    *e = (FakeTlbEntry){ true, ng->shadow_lpid, n_page, w.ra & ~0xFFFULL, w.pte };
    return 0;
}

/* What the L1's tree says about the access: 0, or the cause the L1 must see. */
static uint64_t l1_expect(P *p, int i, uint64_t n_gpa, int acc)
{
    RadixWalk w;
    int kind = acc == ACC_STORE ? 1 : acc == ACC_FETCH ? 2 : 0;
    l1_walk(p, i, n_gpa, &w);
    if (w.status != RADIX_OK) {
        return DSISR_NOPTE;
    }
    if (!may(w.pte, kind)) {
        return kind == 2 ? DSISR_NOEXEC_OR_G : DSISR_PROTFAULT;
    }
    if (!(w.pte & RADIX_PTE_R) || (kind == 1 && !(w.pte & RADIX_PTE_C))) {
        return p->f->l1.rc_by_hardware ? 0 : DSISR_ATOMIC_RC;
    }
    return 0;
}

/* The L1 handles a reflected fault the way a hypervisor would (sometimes). */
static void l1_fix(P *p, int i, uint64_t n_gpa, int acc, uint64_t cause)
{
    RadixWalk w;
    if (!chance(p, 70)) {
        return;
    }
    p->s.l1_fixes++;
    if (cause == DSISR_NOPTE) {
        l1_map_at(p, i, n_gpa, n_gpa >= L2_SPACE / 2 ? 21 : 12, L1_ALL);
        return;
    }
    l1_walk(p, i, n_gpa, &w);
    uint64_t set = w.pte & RADIX_PTE_FLAGS;
    if (cause == DSISR_ATOMIC_RC) {
        set |= RADIX_PTE_R | (acc == ACC_STORE ? RADIX_PTE_C : 0);
    } else {
        set |= acc == ACC_STORE ? RADIX_PTE_EAA_RW : acc == ACC_FETCH ? RADIX_PTE_EAA_EXEC : RADIX_PTE_EAA_READ;
        set &= acc == ACC_FETCH ? ~RADIX_PTE_ATT : ~0ULL;
    }
    l1_protect_at(p, i, n_gpa, set);
}

static void l2_access(P *p)
{
    int i = (int)below(p, NGUESTS);
    if (!p->g[i].entry) {
        return;
    }
    long rc;
    NestGuest *ng = nest_guest_get(&p->f->l1, p->g[i].lpid, true, &rc); /* H_ENTER_NESTED */
    assert_non_null(ng);
    uint64_t n_gpa = below(p, L2_SPACE) & ~7ULL;
    int acc = (int)below(p, 4);
    p->s.accesses++;
    for (int tries = 0;; tries++) {
        assert_true(tries < 8); /* forward progress */
        uint64_t cause = hw_try(p, ng, n_gpa, acc);
        if (cause == 0) {
            p->s.hits++;
            break;
        }
        p->s.faults++;
        NestFaultIn in = { acc == ACC_FETCH ? EXCP_HISI : EXCP_HDSI, 0xC000000000000000ULL | n_gpa,
                           cause | (acc == ACC_STORE ? DSISR_ISSTORE : 0) | (acc == ACC_WALK ? DSISR_PRTABLE_FAULT : 0),
                           n_gpa };
        if (acc == ACC_WALK) {
            in.asdr = n_gpa & ~7ULL; /* the entry being fetched */
            in.ea = 0xC000000000123450ULL;
        }
        NestFaultOut out;
        NestFaultResult r = nest_fault(ng, &in, &out);
        assert_int_not_equal(r, NEST_ERROR);
        if (r == NEST_RESUME) {
            p->s.resolved++;
            continue;
        }
        /* Reflected: exactly what the L1's tree says. */
        uint64_t want = l1_expect(p, i, n_gpa, acc);
        assert_int_not_equal(want, 0);
        if (acc == ACC_FETCH) {
            assert_int_equal(out.srr1_cause, want);
        } else {
            uint64_t extra = (acc == ACC_STORE ? DSISR_ISSTORE : 0) | (acc == ACC_WALK ? DSISR_PRTABLE_FAULT : 0);
            assert_int_equal(out.hdsisr, want | extra);
            assert_int_equal(out.hdar, in.ea);
        }
        assert_int_equal(out.asdr, in.asdr);
        p->s.reflected++;
        l1_fix(p, i, n_gpa, acc, want);
        if (l1_expect(p, i, n_gpa, acc) != 0) {
            break; /* the L1 did not fix it: it would deliver something to its guest */
        }
    }
    nest_guest_put(ng);
}

/* ---- the run ----------------------------------------------------------------------------------------------- */

static void step(P *p)
{
    unsigned op = (unsigned)below(p, 100);
    if (op < 22) {
        l1_map(p);
    } else if (op < 30) {
        l1_unmap_at(p, (int)below(p, NGUESTS), below(p, chance(p, 80) ? L2_SPACE / 2 : L2_SPACE));
    } else if (op < 38) {
        l1_protect_at(p, (int)below(p, NGUESTS), below(p, chance(p, 80) ? L2_SPACE / 2 : L2_SPACE),
                      random_flags(p));
    } else if (op < 45) {
        l0_move(p);
    } else if (op < 49) {
        l0_write_protect(p);
    } else if (op < 50) {
        l1_flush(p);
    } else if (op < 51) {
        l1_delete_or_recreate(p);
    } else {
        l2_access(p);
    }
    p->s.steps++;
    check_all(p);
}

static void run_seed(uint64_t seed, uint64_t steps, Stats *total)
{
    P p = { 0 };
    p.f = fake_new();
    p.rng = seed;
    p.f->l1.rc_by_hardware = seed & 2; /* half the seeds: the QEMU 7.2 R/C policy */
    fake_register_ptab(p.f);
    const uint32_t lpids[NGUESTS] = { 1, 2, 4095 };
    for (int i = 0; i < NGUESTS; i++) {
        p.g[i].lpid = lpids[i];
        p.g[i].root = fake_l1_guest(p.f, lpids[i], 0);
        p.g[i].entry = true;
    }
    for (int k = 0; k < SHARED_N; k++) {
        p.shared[k] = DATA_LO + (below(&p, (DATA_HI - DATA_LO) >> 12) << 12);
    }
    for (uint64_t n = 0; n < steps; n++) {
        step(&p);
    }
    for (int i = 0; i < NGUESTS; i++) {
        NestGuest *ng = find_guest(&p, i);
        if (ng) {
            p.s.retries += ng->stats.fault_retries;
            p.s.rmap_invalidations += ng->stats.rmap_invalidations;
            nest_guest_put(ng);
        }
    }
    p.s.retries += p.f->l1.stats.dropped.fault_retries;
    p.s.rmap_invalidations += p.f->l1.stats.dropped.rmap_invalidations;
    uint64_t *t = (uint64_t *)total, *s = (uint64_t *)&p.s;
    for (size_t k = 0; k < sizeof(Stats) / sizeof(uint64_t); k++) {
        t[k] += s[k];
    }
    fprintf(stderr,
            "  seed %#llx: %llu steps; rmap invalidations %llu, shadow faults %llu, reflected %llu; "
            "rmap entries max %llu\n",
            (unsigned long long)seed, (unsigned long long)steps,
            (unsigned long long)p.s.rmap_invalidations,
            (unsigned long long)p.s.resolved, (unsigned long long)p.s.reflected,
            (unsigned long long)p.f->l1.stats.rmap_entries_max);
    fake_free_all(p.f);
}

static void test_property_shadow_equals_composition(void **state)
{
    (void)state;
    const char *env = getenv("NEST_PROPERTY_STEPS");
    uint64_t steps = env ? strtoull(env, NULL, 0) : 4000;
    const uint64_t seeds[] = { 0x9E3779B97F4A7C15ULL, 0x1234567ULL, 0xDEADBEEFCAFEULL, 42, 0x5EED5EED5EEDULL };
    const char *seed_env = getenv("NEST_PROPERTY_SEED");
    Stats t = { 0 };
    if (seed_env) {
        run_seed(strtoull(seed_env, NULL, 0) | 1, steps, &t);
    } else {
        for (unsigned k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
            run_seed(seeds[k], steps, &t);
        }
    }
    fprintf(stderr,
            "property: %llu steps (%llu L1 map, %llu unmap, %llu protect, %llu flush, %llu delete, %llu re-create; "
            "%llu L0 moves, %llu L0 write-protects; %llu L2 accesses: %llu hits, %llu faults -> %llu resolved, "
            "%llu reflected, %llu L1 fixes, %llu retries); %llu rmap invalidations; %llu full checks, %llu leaves (%llu > 4K), "
            "%llu TLB entries checked\n",
            (unsigned long long)t.steps, (unsigned long long)t.l1_map, (unsigned long long)t.l1_unmap,
            (unsigned long long)t.l1_protect, (unsigned long long)t.l1_flush, (unsigned long long)t.l1_delete,
            (unsigned long long)t.l1_recreate, (unsigned long long)t.l0_move, (unsigned long long)t.l0_wprotect,
            (unsigned long long)t.accesses, (unsigned long long)t.hits, (unsigned long long)t.faults,
            (unsigned long long)t.resolved, (unsigned long long)t.reflected, (unsigned long long)t.l1_fixes,
            (unsigned long long)t.retries, (unsigned long long)t.rmap_invalidations, (unsigned long long)t.checks, (unsigned long long)t.leaves_checked, (unsigned long long)t.leaves_big,
            (unsigned long long)t.tlb_checked);
    assert_true(t.hits > 0 && t.reflected > 0 && t.l0_move > 0 && t.resolved > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_property_shadow_equals_composition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
