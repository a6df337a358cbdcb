/*
 * guest.c - the nested-guest table of one L1 (Linux kvmhv_get_nested()
 * and friends): H_SET_PARTITION_TABLE, lookup/creation with the
 * "someone else beat us to it" race handled, reference counting, the
 * cached partition-table entry, release; and the shadow-tree helpers every
 * other file uses.
 *
 * Table: l1->guests[l1_lpid], sized 2^(PATS+8) when the L1 registers its
 * partition table (at most 4096 slots: PATS <= 4, as Linux allows), so
 * any lpid the L1's table can hold works, at any number of L1s -- the
 * shadow LPIDs come from L0 and are not bound to 12 bits.
 *
 * Lifetime: the table holds one reference; every nest_guest_get() one
 * more.  Removal takes the guest out of the table and drops the table's
 * reference; the last nest_guest_put() releases it (shadow tree, rmap
 * entries, shadow LPID, L0 partition-table entry).
 */
#include "nest/nest_int.h"
#include "ppc/excp.h"
#include "ppc/hcall.h"

/* ---- shadow-tree memory adaptor ----------------------------------------------------- */

static int shadow_read(void *opaque, radix_addr_t hra, uint64_t *val)
{
    NestL1 *l1 = opaque;
    return l1->ops->read_table(l1->opaque, hra, val);
}

static int shadow_write(void *opaque, radix_addr_t hra, uint64_t val)
{
    NestL1 *l1 = opaque;
    return l1->ops->write_table(l1->opaque, hra, val);
}

static int shadow_alloc(void *opaque, unsigned size_bytes, radix_addr_t *out)
{
    NestL1 *l1 = opaque;
    return l1->ops->alloc_table(l1->opaque, size_bytes, out);
}

static void shadow_free(void *opaque, radix_addr_t hra, unsigned size_bytes)
{
    NestL1 *l1 = opaque;
    l1->ops->free_table(l1->opaque, hra, size_bytes);
}

void nest_shadow_mem(NestL1 *l1, RadixMem *m)
{
    *m = (RadixMem){ l1, shadow_read, shadow_write, shadow_alloc, shadow_free };
}

/* Builder shape (radix/radix.h): root 13 bits, then 9, 9, 9|5. */
unsigned nest_level_span_shift(unsigned level)
{
    switch (level) {
    case 0:
        return RADIX_ADDR_BITS_52 - RADIX_ROOT_NLS; /* 39: 512 GiB */
    case 1:
        return RADIX_SHIFT_1G;
    case 2:
        return RADIX_SHIFT_2M;
    default:
        return RADIX_SHIFT_4K;
    }
}

void nest_walk_shadow(NestGuest *ng, gra_t n_gpa, RadixWalk *w)
{
    radix_walk(&ng->shadow_root, n_gpa, shadow_read, ng->l1, w);
}

unsigned nest_shadow_remove_locked(NestGuest *ng, gra_t n_gpa, uint64_t size)
{
    NestL1 *l1 = ng->l1;
    RadixMem m;
    unsigned removed = 0;
    uint64_t end = n_gpa + size;

    NEST_ASSERT_HELD(&l1->mmu_lock);
    nest_shadow_mem(l1, &m);
    for (uint64_t a = n_gpa; a < end && a < (1ULL << RADIX_ADDR_BITS_52);) {
        RadixWalk w;
        nest_walk_shadow(ng, a, &w);
        if (w.status == RADIX_OK) {
            uint64_t page = 1ULL << w.page_shift;
            uint64_t base = a & ~(page - 1);
            /* Whole leaves only: nothing was split, so no allocation. */
            NEST_BUG_ON(radix_unmap(&m, &ng->shadow_root, base, page) != 0);
            l1->ops->flush(l1->opaque, ng->shadow_lpid, NEST_FLUSH_PAGE, base, w.page_shift);
            removed++;
            a = base + page;
        } else {
            /* Only nest writes this tree: anything but "absent" is a broken invariant. */
            NEST_BUG_ON(w.status != RADIX_NOT_PRESENT);
            uint64_t span = 1ULL << nest_level_span_shift(w.level);
            a = (a & ~(span - 1)) + span;
        }
    }
    return removed;
}

/* ---- L1 ------------------------------------------------------------------------------ */

void nest_l1_init(NestL1 *l1, const NestOps *ops, void *opaque)
{
    *l1 = (NestL1){ 0 };
    l1->ops = ops;
    l1->opaque = opaque;
    l1->mmu_lock.kind = NEST_LOCK_MMU;
}

static void free_table_array(NestL1 *l1, NestGuest **arr, uint32_t n)
{
    if (arr) {
        l1->ops->free(l1->opaque, arr, n * sizeof(*arr));
    }
}

long nest_l1_open_direct(NestL1 *l1, uint32_t nslots)
{
    NestGuest **arr = l1->ops->alloc(l1->opaque, nslots * sizeof(*arr));
    if (!arr) {
        return H_NO_MEM;
    }
    nest_lock(l1, &l1->mmu_lock);
    NEST_BUG_ON(l1->guests != NULL);
    l1->guests = arr;
    l1->nguests_max = nslots;
    l1->direct = true;
    nest_unlock(l1, &l1->mmu_lock);
    return H_SUCCESS;
}

void nest_guest_set_direct_pate(NestGuest *ng, uint64_t dw0, uint64_t dw1)
{
    NestL1 *l1 = ng->l1;
    nest_lock(l1, &ng->tlb_lock);
    bool new_tree = dw0 != ng->direct_pate0 && ng->direct_pate0 != 0;
    bool new_prtb = dw1 != ng->direct_pate1;
    if (new_tree) {
        nest_guest_flush_locked(ng); /* another tree: nothing shadowed from the old one stays */
    }
    ng->direct_pate0 = dw0;
    ng->direct_pate1 = dw1;
    nest_guest_update_pate_locked(ng);
    if (new_prtb && !new_tree) {
        /* Another process table: the L2's cached process-scoped translations go (RIC=2 PRS=1 in spirit). */
        l1->ops->flush(l1->opaque, ng->shadow_lpid, NEST_FLUSH_LPID, 0, 0);
    }
    nest_unlock(l1, &ng->tlb_lock);
}

void nest_l1_destroy(NestL1 *l1)
{
    nest_drop_all(l1);
    nest_lock(l1, &l1->mmu_lock);
    NestGuest **arr = l1->guests;
    uint32_t n = l1->nguests_max;
    l1->guests = NULL;
    l1->nguests_max = 0;
    l1->ptcr = 0;
    nest_rmap_fini_locked(l1);
    nest_unlock(l1, &l1->mmu_lock);
    free_table_array(l1, arr, n);
}

/* Entries of the partition table a PTCR describes: 2^(PATS+12) bytes / 16. */
static uint32_t ptcr_entries(uint64_t ptcr)
{
    unsigned pats = (unsigned)(ptcr & PTCR_PATS);
    return pats + 8 > NEST_MAX_LPID_BITS ? 0 : 1U << (pats + 8);
}

/*
 * Take every guest out of the table (caller holds mmu_lock); those whose
 * last reference that was are chained on *freelist, released after unlock.
 */
static void remove_all_locked(NestGuest **arr, uint32_t n, NestGuest **freelist)
{
    for (uint32_t i = 0; i < n; i++) {
        NestGuest *ng = arr[i];
        if (!ng) {
            continue;
        }
        arr[i] = NULL;
        if (--ng->refcnt == 0) {
            ng->next_free = *freelist;
            *freelist = ng;
        }
    }
}

static void release_guest(NestGuest *ng);

static void release_chain(NestGuest *head)
{
    while (head) {
        NestGuest *next = head->next_free;
        release_guest(head);
        head = next;
    }
}

long nest_set_partition_table(NestL1 *l1, uint64_t ptcr)
{
    NestGuest **arr = NULL;
    uint32_t n = 0;
    if (ptcr != 0) {
        uint8_t probe[PATE_SIZE];
        n = ptcr_entries(ptcr);
        if (n == 0) {
            return H_PARAMETER; /* over 4096 guests (Linux: KVM_MAX_NESTED_GUESTS_SHIFT) */
        }
        if (l1->ops->read_l1(l1->opaque, ptcr & PTCR_PATB, probe, sizeof probe) != 0) {
            return H_PARAMETER; /* table base outside L1 memory (Linux checks the base) */
        }
        arr = l1->ops->alloc(l1->opaque, n * sizeof(*arr));
        if (!arr) {
            return H_NO_MEM;
        }
    }

    nest_lock(l1, &l1->mmu_lock);
    if (ptcr == l1->ptcr) {
        nest_unlock(l1, &l1->mmu_lock);
        free_table_array(l1, arr, n);
        return H_SUCCESS; /* the same table again: the guests stay */
    }
    NestGuest **old = l1->guests;
    uint32_t old_n = l1->nguests_max;
    NestGuest *freelist = NULL;
    if (old) {
        remove_all_locked(old, old_n, &freelist);
    }
    l1->guests = arr;
    l1->nguests_max = n;
    l1->ptcr = ptcr;
    nest_unlock(l1, &l1->mmu_lock);

    release_chain(freelist);
    free_table_array(l1, old, old_n);
    return H_SUCCESS;
}

void nest_drop_all(NestL1 *l1)
{
    nest_lock(l1, &l1->mmu_lock);
    NestGuest *freelist = NULL;
    if (l1->guests) {
        remove_all_locked(l1->guests, l1->nguests_max, &freelist);
    }
    nest_unlock(l1, &l1->mmu_lock);
    release_chain(freelist);
}

unsigned nest_guest_count(NestL1 *l1)
{
    unsigned count = 0;
    nest_lock(l1, &l1->mmu_lock);
    for (uint32_t i = 0; i < l1->nguests_max; i++) {
        count += l1->guests[i] != NULL;
    }
    nest_unlock(l1, &l1->mmu_lock);
    return count;
}

/* ---- guests ----------------------------------------------------------------------------------- */

NestGuest *nest_guest_find_locked(NestL1 *l1, uint32_t l1_lpid)
{
    NEST_ASSERT_HELD(&l1->mmu_lock);
    return l1_lpid < l1->nguests_max ? l1->guests[l1_lpid] : NULL;
}

/* A new guest, in no table yet (Linux kvmhv_alloc_nested()); NULL: no memory / LPID. */
static NestGuest *alloc_guest(NestL1 *l1, uint32_t l1_lpid)
{
    RadixMem m;
    NestGuest *ng = l1->ops->alloc(l1->opaque, sizeof(*ng));
    if (!ng) {
        return NULL;
    }
    ng->l1 = l1;
    ng->l1_lpid = l1_lpid;
    ng->tlb_lock.kind = NEST_LOCK_TLB;
    nest_shadow_mem(l1, &m);
    if (radix_tree_create(&m, &ng->shadow_root) != 0) {
        goto out_free;
    }
    if (l1->ops->alloc_shadow_lpid(l1->opaque, &ng->shadow_lpid) != 0) {
        goto out_tree;
    }
    return ng;

out_tree:
    radix_tree_destroy(&m, &ng->shadow_root);
out_free:
    l1->ops->free(l1->opaque, ng, sizeof(*ng));
    return NULL;
}

/* Free what an unpublished guest owns (alloc_guest() undone). */
static void discard_guest(NestGuest *ng)
{
    NestL1 *l1 = ng->l1;
    RadixMem m;

    l1->ops->set_pate(l1->opaque, ng->shadow_lpid, 0, 0);
    l1->ops->flush(l1->opaque, ng->shadow_lpid, NEST_FLUSH_LPID, 0, 0);
    nest_shadow_mem(l1, &m);
    radix_tree_destroy_used(&m, &ng->shadow_root, &ng->shadow_used);
    l1->ops->free_shadow_lpid(l1->opaque, ng->shadow_lpid);
    l1->ops->free(l1->opaque, ng, sizeof(*ng));
}

/* Free everything a guest owns (Linux kvmhv_release_nested()); no one can reach it any more. */
static void release_guest(NestGuest *ng)
{
    NestL1 *l1 = ng->l1;

    nest_lock(l1, &l1->mmu_lock);
    nest_rmap_drop_guest_locked(ng);
    nest_stats_fold(&l1->stats.dropped, &ng->stats);
    l1->stats.guests_dropped++;
    nest_unlock(l1, &l1->mmu_lock);
    discard_guest(ng);
}

NestGuest *nest_guest_get(NestL1 *l1, uint32_t l1_lpid, bool create, long *rc)
{
    NestGuest *ng, *newng;

    /* Step 1: look it up. */
    nest_lock(l1, &l1->mmu_lock);
    if (l1->ptcr == 0 && !l1->direct) {
        nest_unlock(l1, &l1->mmu_lock);
        *rc = H_NOT_AVAILABLE;
        return NULL;
    }
    if (l1_lpid == 0 || l1_lpid >= l1->nguests_max) {
        nest_unlock(l1, &l1->mmu_lock);
        *rc = H_PARAMETER;
        return NULL;
    }
    ng = l1->guests[l1_lpid];
    if (ng) {
        ng->refcnt++;
    }
    nest_unlock(l1, &l1->mmu_lock);
    *rc = H_SUCCESS;
    if (ng || !create) {
        return ng;
    }

    /* Step 2: build one without the lock (allocation may sleep), then publish it. */
    newng = alloc_guest(l1, l1_lpid);
    if (!newng) {
        *rc = H_NO_MEM;
        return NULL;
    }
    nest_lock(l1, &l1->mmu_lock);
    if (l1_lpid >= l1->nguests_max) {
        /* The L1 replaced its partition table meanwhile. */
        long why = l1->ptcr == 0 ? H_NOT_AVAILABLE : H_PARAMETER;
        nest_unlock(l1, &l1->mmu_lock);
        discard_guest(newng);
        *rc = why;
        return NULL;
    }
    ng = l1->guests[l1_lpid];
    if (!ng) {
        l1->guests[l1_lpid] = newng;
        newng->refcnt = 1; /* the table's */
        l1->stats.guests_created++;
        ng = newng;
        newng = NULL;
    } else {
        /* Someone else beat us to it: another vCPU of this L1 entering the same guest. */
        l1->stats.create_races++;
    }
    ng->refcnt++;
    nest_unlock(l1, &l1->mmu_lock);
    if (newng) {
        discard_guest(newng); /* the loser of the race */
    }
    return ng;
}

void nest_guest_put(NestGuest *ng)
{
    NestL1 *l1 = ng->l1;
    nest_lock(l1, &l1->mmu_lock);
    int ref = --ng->refcnt;
    nest_unlock(l1, &l1->mmu_lock);
    NEST_BUG_ON(ref < 0);
    if (ref == 0) {
        release_guest(ng);
    }
}

void nest_guest_remove(NestGuest *ng)
{
    NestL1 *l1 = ng->l1;
    nest_lock(l1, &l1->mmu_lock);
    /* Another remover may have been first (Linux kvmhv_remove_nested()). */
    if (nest_guest_find_locked(l1, ng->l1_lpid) == ng) {
        l1->guests[ng->l1_lpid] = NULL;
        ng->refcnt--;
    }
    int ref = ng->refcnt;
    nest_unlock(l1, &l1->mmu_lock);
    if (ref == 0) {
        release_guest(ng);
    }
}

void nest_guest_update_pate_locked(NestGuest *ng)
{
    NestL1 *l1 = ng->l1;
    uint64_t dw0 = 0, dw1 = 0;

    NEST_ASSERT_HELD(&ng->tlb_lock);
    nest_lock(l1, &l1->mmu_lock);
    uint64_t ptcr = l1->ptcr;
    nest_unlock(l1, &l1->mmu_lock);
    if (l1->direct) {
        dw0 = ng->direct_pate0;
        dw1 = ng->direct_pate1;
    } else if (ng->l1_lpid < ptcr_entries(ptcr) && ptcr != 0) {
        gra_t addr = (ptcr & PTCR_PATB) + (uint64_t)ng->l1_lpid * PATE_SIZE;
        if (nest_read_l1_be64(l1, addr, &dw0) != 0 || nest_read_l1_be64(l1, addr + 8, &dw1) != 0) {
            dw0 = dw1 = 0; /* unreadable: as if empty (Linux) */
        }
    }
    ng->l1_pate0 = dw0;
    ng->l1_pate1 = dw1;
    ng->pate_valid = dw0 != 0;
    /* L0's entry for the shadow LPID: our tree, the L2's own process table. */
    nest_lock(l1, &l1->mmu_lock);
    l1->ops->set_pate(l1->opaque, ng->shadow_lpid, PATE0_HR | radix_root_to_dw0(&ng->shadow_root), dw1);
    nest_unlock(l1, &l1->mmu_lock);
}

unsigned nest_exit_index(uint32_t vector)
{
    switch (vector) {
    case EXCP_SYSCALL:
        return NEST_EXIT_HCALL;
    case EXCP_HDECR:
        return NEST_EXIT_HDEC;
    case EXCP_HDSI:
        return NEST_EXIT_HDSI;
    case EXCP_HISI:
        return NEST_EXIT_HISI;
    case EXCP_HEAI:
        return NEST_EXIT_HEAI;
    case EXCP_HDOORBELL:
        return NEST_EXIT_HDOORBELL;
    case EXCP_HVIRT:
        return NEST_EXIT_HVIRT;
    case EXCP_HFAC_UNAVAIL:
        return NEST_EXIT_HFAC;
    case EXCP_EXTERNAL:
        return NEST_EXIT_EXTERNAL;
    default:
        return NEST_EXIT_OTHER;
    }
}

void nest_l1_stats_sum(NestL1 *l1, NestGuestStats *out)
{
    *out = (NestGuestStats){ 0 };
    nest_lock(l1, &l1->mmu_lock);
    nest_stats_fold(out, &l1->stats.dropped);
    for (uint32_t i = 0; i < l1->nguests_max; i++) {
        if (l1->guests[i]) {
            nest_stats_fold(out, &l1->guests[i]->stats);
        }
    }
    nest_unlock(l1, &l1->mmu_lock);
}

void nest_stats_fold(NestGuestStats *into, const NestGuestStats *from)
{
    into->entries += from->entries;
    for (unsigned i = 0; i < NEST_EXIT_NR; i++) {
        into->exits[i] += from->exits[i];
    }
    into->shadow_faults += from->shadow_faults;
    into->reflected_faults += from->reflected_faults;
    into->fault_retries += from->fault_retries;
    into->rmap_invalidations += from->rmap_invalidations;
    into->tlbie_pages += from->tlbie_pages;
    into->tlbie_flushes += from->tlbie_flushes;
}
