/*
 * copy.c - H_COPY_TOFROM_GUEST: the L1 reads or writes its L2's memory
 * through the L2's own process-scoped translation (Linux
 * kvmhv_copy_tofrom_guest_nested(); QEMU 7.2 lacks the hcall).
 *
 * Everything is a software walk through the ops: the L2's process table
 * (dw1 of the L1's partition-table entry for the guest) and its trees are
 * in L2 real memory, each L2 real address goes through the L1's tree for
 * the guest to an L1 real address, and L1 memory is read with read_l1.
 * The copy goes in pieces that never cross a 4 KiB page of either space,
 * through a small bounce buffer (no allocation).
 */
#include "nest/nest_int.h"
#include "ppc/hcall.h"

#define COPY_CHUNK   256                        /* bounce buffer */
#define COPY_EA_BAD  PPC_BITMASK(0, 11)         /* eaddr must be within a 52-bit tree */
#define PAGE_4K      (1ULL << RADIX_SHIFT_4K)
/* Longest copy: L0's time per hcall stays bounded (Linux's limit is its kmalloc maximum). */
#define COPY_MAX     (4ULL << 20)

/* L2 real -> L1 real; 0 ok. Caller holds tlb_lock (the cached PATE). */
static int l2_to_l1(NestGuest *ng, gra_t n_gpa, gra_t *l1_gra)
{
    RadixWalk w;
    nest_walk_l1(ng, n_gpa, &w);
    if (w.status != RADIX_OK) {
        return -1;
    }
    *l1_gra = w.ra;
    return 0;
}

/* A big-endian table entry in L2 real memory (process table, process-scoped tree). */
static int l2_read_entry(void *opaque, radix_addr_t n_gpa, uint64_t *val)
{
    NestGuest *ng = opaque;
    gra_t l1_gra;
    if (l2_to_l1(ng, n_gpa, &l1_gra) != 0) {
        return -1;
    }
    return nest_read_l1_be64(ng->l1, l1_gra, val);
}

/* L2 effective address (PID pid's tree) -> L1 real address; 0 ok. */
static int ea_to_l1(NestGuest *ng, uint64_t pid, ea_t ea, gra_t *l1_gra)
{
    uint64_t prtb = ng->l1_pate1 & PATE1_PRTB;
    uint64_t prt_bytes = 1ULL << ((ng->l1_pate1 & PATE1_PRTS) + PRTB_SIZE_BASE);
    uint64_t prte0;
    RadixRoot root;
    RadixWalk w;

    if (!(ng->l1_pate1 & PATE1_GR) || pid >= prt_bytes / PRTE_SIZE) {
        return -1;
    }
    if (l2_read_entry(ng, prtb + pid * PRTE_SIZE, &prte0) != 0 || !radix_root_from_dw0(prte0, &root)) {
        return -1;
    }
    radix_walk(&root, ea, l2_read_entry, ng, &w);
    if (w.status != RADIX_OK) {
        return -1;
    }
    return l2_to_l1(ng, w.ra, l1_gra);
}

static int copy_l1(NestL1 *l1, gra_t dst, gra_t src, uint64_t len)
{
    uint8_t buf[COPY_CHUNK];
    while (len) {
        size_t n = len < sizeof buf ? (size_t)len : sizeof buf;
        if (l1->ops->read_l1(l1->opaque, src, buf, n) != 0 || l1->ops->write_l1(l1->opaque, dst, buf, n) != 0) {
            return -1;
        }
        src += n;
        dst += n;
        len -= n;
    }
    return 0;
}

static long copy_locked(NestGuest *ng, uint64_t pid, ea_t eaddr, gra_t to, gra_t from, uint64_t n)
{
    bool load = to != 0;
    while (n) {
        uint64_t chunk = PAGE_4K - (eaddr & (PAGE_4K - 1));
        gra_t l2_mem, other = load ? to : from;
        if (chunk > n) {
            chunk = n;
        }
        if (ea_to_l1(ng, pid, eaddr, &l2_mem) != 0) {
            return H_NOT_FOUND;
        }
        if (copy_l1(ng->l1, load ? other : l2_mem, load ? l2_mem : other, chunk) != 0) {
            return H_NOT_FOUND;
        }
        eaddr += chunk;
        n -= chunk;
        if (load) {
            to += chunk;
        } else {
            from += chunk;
        }
    }
    return H_SUCCESS;
}

long nest_copy_tofrom_guest(NestL1 *l1, uint32_t l1_lpid, uint64_t pid, ea_t eaddr, gra_t to, gra_t from,
                            uint64_t n)
{
    long rc;
    if (to && from) {
        return H_PARAMETER; /* one of them says the direction */
    }
    if (eaddr & COPY_EA_BAD) {
        return H_PARAMETER;
    }
    if (n > COPY_MAX) {
        return H_NO_MEM; /* what Linux answers when it cannot allocate the bounce buffer */
    }
    NestGuest *ng = nest_guest_get(l1, l1_lpid, false, &rc);
    if (!ng) {
        return H_PARAMETER;
    }
    nest_lock(l1, &ng->tlb_lock);
    if (!ng->pate_valid) {
        nest_guest_update_pate_locked(ng);
    }
    rc = copy_locked(ng, pid, eaddr, to, from, n);
    nest_unlock(l1, &ng->tlb_lock);
    nest_guest_put(ng);
    return rc;
}
