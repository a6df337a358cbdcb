/*
 * nest.h - the nested-virtualization core (v1, KVM-HV style): each L2 guest
 * of an L1 hypervisor runs as a shadow guest of this hypervisor (L0) with
 * its own shadow LPID and a shadow partition-scoped tree that collapses the
 * L1's tree for the L2 and L0's tree for the L1 (seed 003; Linux
 * arch/powerpc/kvm/book3s_hv_nested.c).
 *
 * FREESTANDING: compiled into L0 (host) and into the reference L1
 * hypervisor (ppc64le firmware).  No libc beyond <stdint.h>, <stddef.h>,
 * <stdbool.h>; no globals; memory, allocation, locks, the partition table
 * and TLB flushes are reached only through NestOps.
 *
 * Levels and spaces in names: l1_lpid (the L1's number for its guest, its
 * partition-table index), shadow_lpid (L0's LPID the L2 runs under), n_gpa
 * (an L2 guest real address), l1_gra (an L1 guest real address), hra (L0
 * host real address).  A nested guest is `ng`.
 *
 * Lifecycle (hv/ side):
 *     NestL1 l1;  nest_l1_init(&l1, &ops, partition);         per L1 partition
 *     H_SET_PARTITION_TABLE  -> nest_set_partition_table(&l1, r4)
 *     H_ENTER_NESTED         -> nest_enter_begin(&l1, &ctx, r4, r5, &e) ... run
 *                               e.l2 under e.ng->shadow_lpid; HDSI/HISI ->
 *                               nest_fault(e.ng, &in, &out) ... nest_enter_end()
 *     H_TLB_INVALIDATE       -> nest_tlb_invalidate(&l1, r4, r5, r6)
 *     H_RPT_INVALIDATE       -> nest_rpt_invalidate(&l1, r4, type, sizes, start, end)
 *     H_COPY_TOFROM_GUEST    -> nest_copy_tofrom_guest(&l1, r4, r5, r6, r7, r8, r9)
 *     L0 unmaps/moves L1 RAM -> nest_invalidate_l1_range(&l1, l1_gra, size)
 *     partition reset        -> nest_l1_destroy(&l1)
 *
 * LOCKS (Linux's scheme; the code is single-threaded today, the rules are
 * written so that one L1 can run vCPUs on several host threads):
 *   l1->mmu_lock (short, a spinlock in spirit; Linux kvm->mmu_lock) protects
 *     the guest table, every ng->refcnt, the rmap of the L1, the contents of
 *     every shadow tree, l1->invalidate_seq and l1->ptcr.
 *   ng->tlb_lock (a mutex in spirit; Linux gp->tlb_lock) serialises the page
 *     faults and tlbies of one nested guest: a fault's L1 walk and its
 *     shadow insert are atomic with respect to H_TLB_INVALIDATE; it protects
 *     the cached partition-table entry.  ng->shadow_root is written with
 *     both locks held, read with either.
 *   Order: tlb_lock before mmu_lock.  Ops that may run under mmu_lock (so
 *   must not sleep; Linux: no GFP_KERNEL under a spinlock): read_table,
 *   write_table, alloc_table, free_table (the shadow-tree builder), free,
 *   set_pate, flush.  Never under mmu_lock: read_l1, write_l1, alloc,
 *   l1_gra_to_hra, alloc_shadow_lpid, free_shadow_lpid (tlb_lock at most).
 *   L0 invalidation (nest_invalidate_l1_range) takes mmu_lock only; a fault
 *   racing with it notices through invalidate_seq and retries.  L0 may call
 *   it from inside l1_gra_to_hra (the fault then holds tlb_lock only).
 */
#ifndef NESTHV_NEST_H
#define NESTHV_NEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nest/hvgs.h"
#include "ppc/excp.h"
#include "radix/radix.h"

typedef uint64_t ea_t;  /* effective address */
typedef uint64_t gra_t; /* guest real address (level in the name: l1_gra, n_gpa) */
typedef uint64_t hra_t; /* host real address: L0's machine memory */

typedef struct NestL1 NestL1;
typedef struct NestGuest NestGuest;

/* ---- locks ---------------------------------------------------------------------- */

typedef enum NestLockKind {
    NEST_LOCK_MMU, /* NestL1.mmu_lock: short critical sections, no sleeping callbacks */
    NEST_LOCK_TLB, /* NestGuest.tlb_lock: held across a whole fault or tlbie */
} NestLockKind;

typedef struct NestLock {
    NestLockKind kind;
    unsigned held;  /* nest's record, checked on entry to *_locked functions */
    uintptr_t impl; /* L0's: e.g. a lazily created mutex (0 when the lock is created) */
} NestLock;

/* ---- the ops table ----------------------------------------------------------------- */

/* What nest asks L0 to flush in the translation caches of one shadow LPID. */
typedef enum NestFlushScope {
    /* Every TLB entry, page-walk-cache entry and cached partition-table
     * entry of the LPID (tlbie IS=2 RIC=2). */
    NEST_FLUSH_LPID,
    /* Translations derived from the partition-scoped page [n_gpa,
     * n_gpa + 2^page_shift) of the LPID -- including combined EA->host
     * entries -- and the LPID's page-walk cache (the builder frees tables
     * that became empty; L0 may reuse them after this flush). */
    NEST_FLUSH_PAGE,
} NestFlushScope;

/* L0's translation of an L1 guest real address. */
typedef struct NestL0Map {
    hra_t hra;           /* host real address of l1_gra itself */
    unsigned page_shift; /* size of L0's page containing it: 12, 16, 21 or 30 */
    uint64_t pte_flags;  /* L0's permissions and attributes: RADIX_PTE_EAA_* | RADIX_PTE_ATT */
} NestL0Map;

/* l1_gra_to_hra results */
enum {
    NEST_L0_OK = 0,
    NEST_L0_NOT_RAM = 1,  /* no memory there (emulated I/O or nothing) */
    NEST_L0_READONLY = 2, /* a store to memory L0 keeps read-only (e.g. a ROM) */
    NEST_L0_NOMEM = 3,    /* L0 could not back the page */
};

typedef struct NestOps {
    /* L1 guest real memory, byte-exact copies; 0 ok, non-zero: not (all) L1 RAM. */
    int (*read_l1)(void *opaque, gra_t l1_gra, void *buf, size_t len);
    int (*write_l1)(void *opaque, gra_t l1_gra, const void *buf, size_t len);
    /* One 8-byte entry of a shadow table in host real memory (host-order value,
     * stored big-endian); 0 ok. */
    int (*read_table)(void *opaque, hra_t hra, uint64_t *val);
    int (*write_table)(void *opaque, hra_t hra, uint64_t val);
    /* A zeroed shadow table of size_bytes, aligned to its size, in host real memory; 0 ok. */
    int (*alloc_table)(void *opaque, unsigned size_bytes, hra_t *out);
    void (*free_table)(void *opaque, hra_t hra, unsigned size_bytes);
    /* nest's bookkeeping objects (guests, rmap entries, tables of pointers): zeroed; NULL = none. */
    void *(*alloc)(void *opaque, size_t size);
    void (*free)(void *opaque, void *p, size_t size);
    /* Translate through L0's partition-scoped tree for the L1, faulting the page
     * in if needed; writing: make it writable and set C, else set R.  NEST_L0_*. */
    int (*l1_gra_to_hra)(void *opaque, gra_t l1_gra, bool writing, NestL0Map *out);
    /* Shadow LPIDs: any value L0 can tag translations with (not bound to 12 bits); 0 ok. */
    int (*alloc_shadow_lpid)(void *opaque, uint32_t *shadow_lpid);
    void (*free_shadow_lpid)(void *opaque, uint32_t shadow_lpid);
    /* Write L0's partition-table entry for a shadow LPID (0, 0 clears it). */
    void (*set_pate)(void *opaque, uint32_t shadow_lpid, uint64_t dw0, uint64_t dw1);
    void (*flush)(void *opaque, uint32_t shadow_lpid, NestFlushScope scope, gra_t n_gpa, unsigned page_shift);
    /* Optional (NULL: single-threaded L0). */
    void (*lock)(void *opaque, NestLock *l);
    void (*unlock)(void *opaque, NestLock *l);
} NestOps;

/* ---- rmap: L1 page -> the shadow PTEs that map it ------------------------------------ */

/*
 * One entry per shadow PTE nest inserted, keyed by the L1 guest real
 * address of the first byte that PTE maps.  The entry word (Linux's layout
 * for lpid and n_gpa; the page shift is nesthv's addition):
 *   bits 63..52  l1_lpid of the nested guest (the L1's table has at most 4096)
 *   bits 51..12  n_gpa >> 12: the first L2 guest real page the shadow PTE maps
 *   bits  5..0   page shift of the shadow PTE (12, 16, 21, 30)
 * Bit 0 is not Linux's "single entry" flag: entries are always list nodes
 * (an L1 page backing several nested guests, or several n_gpa of one, has
 * several nodes with the same key), kept in a hash table per L1 whose
 * buckets hold two chains: by key (invalidation) and by (guest, n_gpa)
 * (insertion), so neither operation scans the other guests' entries.
 * An entry can outlive its PTE (the L1 unmapped it with H_TLB_INVALIDATE):
 * using it then removes at most a PTE that needs no removal (one refault);
 * a guest's entries at the n_gpa of a shadow PTE it gets later, or whose
 * range contains that PTE, are pruned then (inserting the PTE replaced
 * theirs), so a guest has at most one entry per n_gpa; all entries of a
 * guest go when its shadow tree is dropped.
 */
#define NEST_RMAP_LPID_MASK  0xFFF0000000000000ULL
#define NEST_RMAP_LPID_SHIFT 52
#define NEST_RMAP_GPA_MASK   0x000FFFFFFFFFF000ULL
#define NEST_RMAP_SHIFT_MASK 0x000000000000003FULL

typedef struct NestRmapNode {
    struct NestRmapNode *hnext, **hpprev;/* chain by key: the bucket of l1_gra */
    struct NestRmapNode *nnext, **npprev;/* chain by PTE: the bucket of (ng, n_gpa) */
    NestGuest *ng;                       /* whose shadow tree holds the PTE (not looked up by lpid:
                                            a guest removed from the table may still be running) */
    struct NestRmapNode *gnext, **gpprev;/* the nested guest's list */
    gra_t l1_gra;                        /* key: L1 guest real address of the PTE's first byte */
    uint64_t word;                       /* NEST_RMAP_* */
} NestRmapNode;

typedef struct NestRmapBucket {
    NestRmapNode *by_key;   /* entries whose l1_gra hashes here */
    NestRmapNode *by_pte;   /* entries whose (ng, n_gpa) hashes here */
} NestRmapBucket;

typedef struct NestRmap {
    NestRmapBucket *buckets; /* nbuckets buckets (ops->alloc); NULL until the first entry */
    unsigned order;          /* nbuckets = 1 << order */
    uint64_t count;          /* entries */
} NestRmap;

/* ---- nested guests -------------------------------------------------------------------- */

/* Exit reasons counted per guest (index: nest_exit_index()). */
enum {
    NEST_EXIT_HCALL, NEST_EXIT_HDEC, NEST_EXIT_HDSI, NEST_EXIT_HISI, NEST_EXIT_HEAI,
    NEST_EXIT_HDOORBELL, NEST_EXIT_HVIRT, NEST_EXIT_HFAC, NEST_EXIT_EXTERNAL, NEST_EXIT_OTHER,
    NEST_EXIT_NR
};

typedef struct NestGuestStats {
    uint64_t entries;              /* H_ENTER_NESTED runs */
    uint64_t exits[NEST_EXIT_NR];  /* exits to the L1, by reason */
    uint64_t shadow_faults;        /* resolved by inserting a shadow PTE */
    uint64_t reflected_faults;     /* HDSI/HISI handed to the L1 */
    uint64_t fault_retries;        /* an L0 invalidation raced with the fault */
    uint64_t rmap_invalidations;   /* shadow PTEs removed because L0 changed an L1 page */
    uint64_t tlbie_pages;          /* shadow PTEs removed by H_TLB_INVALIDATE IS=0 / ranges */
    uint64_t tlbie_flushes;        /* whole shadow trees dropped (RIC=0/2, IS=2/3) */
} NestGuestStats;

struct NestGuest {
    NestL1 *l1;               /* the L1 hypervisor this guest belongs to (immutable) */
    uint32_t l1_lpid;         /* the L1's lpid for it, 1 .. 2^(PATS+8)-1 (immutable) */
    uint32_t shadow_lpid;     /* L0's LPID it runs under (immutable) */
    int refcnt;               /* lock: l1->mmu_lock; the table holds one reference */
    NestLock tlb_lock;        /* serialises this guest's faults and tlbies */
    bool pate_valid;          /* lock: tlb_lock; l1_pate0/1 hold the L1's entry */
    uint64_t direct_pate0;    /* lock: tlb_lock; NestL1.direct: the entry hv/ gave (nest_guest_set_direct_pate) */
    uint64_t direct_pate1;
    uint64_t l1_pate0;        /* lock: tlb_lock; the L1's partition-table dw0 (its tree for the L2) */
    uint64_t l1_pate1;        /* lock: tlb_lock; dw1 (the L2's process table, L2 real) */
    RadixRoot shadow_root;    /* written under tlb_lock + mmu_lock; tree contents: mmu_lock */
    RadixUsed shadow_used;    /* with shadow_root; mmu_lock: radix_used_add() of every map into it,
                                 so that radix_tree_destroy_used() reads only what may exist */
    NestRmapNode *rmap_list;  /* lock: l1->mmu_lock; this guest's rmap entries */
    NestGuestStats stats;     /* faults, tlbie counters: tlb_lock; rmap_invalidations: l1->mmu_lock;
                                 entries/exits: the vCPU thread between enter_begin and enter_end */
    NestGuest *next_free;     /* private to the thread releasing a batch of guests */
};

/* Totals of an L1, including guests that no longer exist. */
typedef struct NestL1Stats {
    uint64_t guests_created, guests_dropped;
    uint64_t create_races;    /* "someone else beat us to it" */
    uint64_t rmap_entries_max;
    NestGuestStats dropped;   /* counters of guests that were dropped */
} NestL1Stats;

struct NestL1 {
    const NestOps *ops;       /* immutable */
    void *opaque;             /* passed to every op (L0: the L1 partition) */
    NestLock mmu_lock;
    uint64_t ptcr;            /* lock: mmu_lock; H_SET_PARTITION_TABLE value, 0 = none */
    NestGuest **guests;       /* lock: mmu_lock; nguests_max slots indexed by l1_lpid */
    uint32_t nguests_max;     /* lock: mmu_lock; 2^(PATS+8) of the table the array was sized for */
    NestRmap rmap;            /* lock: mmu_lock */
    uint64_t invalidate_seq;  /* lock: mmu_lock; bumped by every L0 invalidation */
    bool rc_by_hardware;      /* immutable after init: R/C missing in the L1's PTE for its guest
                                 is set by "hardware" (nest writes the L1's PTE, as QEMU 7.2 does)
                                 instead of reflected with HDSISR ATOMIC_RC (POWER9, the default) */
    NestL1Stats stats;        /* lock: mmu_lock */
    /*
     * PAPR nested API (v2) guests: no L1 partition table -- the guest table
     * has a fixed size (nest_l1_open_direct), guests live until removed
     * (a RIC=2 flush re-reads the entry but never deletes the guest), and
     * each guest's partition-table entry is what hv/ set from its
     * guest-wide state (elements 0x0005 / 0x0006).  Immutable after open.
     */
    bool direct;
    /* Another guest table of the same L1 (its v2 guests beside its v1 ones): every
     * nest_invalidate_l1_range() of this one also invalidates that one.  Set once by hv/. */
    NestL1 *also_invalidate;
};

/* The L1's partition table holds at most 2^NEST_MAX_LPID_BITS entries (PATS <= 4). */
#define NEST_MAX_LPID_BITS 12

void nest_l1_init(NestL1 *l1, const NestOps *ops, void *opaque);
/* Drop every guest, free every rmap entry and table (the L1 is gone or reset; no vCPU of it
 * may still hold a guest reference, i.e. be inside H_ENTER_NESTED). */
void nest_l1_destroy(NestL1 *l1);

/* Make l1 a direct (v2) table of nslots guests (ids 1 .. nslots-1); H_SUCCESS or H_NO_MEM. */
long nest_l1_open_direct(NestL1 *l1, uint32_t nslots);
/*
 * A direct guest's partition-table entry (dw0 = its partition-scoped tree in
 * L1 memory, dw1 = its process table; 0, 0: none).  A changed tree drops the
 * shadow tree.  Takes ng->tlb_lock.
 */
void nest_guest_set_direct_pate(NestGuest *ng, uint64_t dw0, uint64_t dw1);

/* H_SET_PARTITION_TABLE: H_SUCCESS or H_PARAMETER.  Any change (0 included) drops all guests. */
long nest_set_partition_table(NestL1 *l1, uint64_t ptcr);

/*
 * A reference to the nested guest l1_lpid, created (shadow LPID, empty
 * shadow tree) if create and absent.  NULL with *rc = H_PARAMETER (lpid 0 or
 * beyond the L1's partition table), H_NOT_AVAILABLE (no table), H_NO_MEM,
 * or H_SUCCESS when !create and absent.  Two vCPUs creating the same guest
 * at once both get the same one.
 */
NestGuest *nest_guest_get(NestL1 *l1, uint32_t l1_lpid, bool create, long *rc);
void nest_guest_put(NestGuest *ng);
/* Remove the guest from the table (it is freed when the last reference goes). */
void nest_guest_remove(NestGuest *ng);
/* Remove every guest of the L1 (H_SET_PARTITION_TABLE(0)). */
void nest_drop_all(NestL1 *l1);
/* Number of guests in the table (tests, stats). */
unsigned nest_guest_count(NestL1 *l1);
/* Re-read the L1's partition-table entry for the guest; caller holds ng->tlb_lock. */
void nest_guest_update_pate_locked(NestGuest *ng);
/* Per-guest exit counters: the index for a vector. */
unsigned nest_exit_index(uint32_t vector);
/* Counters of every guest the L1 has and had, summed (for --stats). */
void nest_l1_stats_sum(NestL1 *l1, NestGuestStats *out);

/* ---- H_ENTER_NESTED ------------------------------------------------------------------ */

typedef struct NestEnter {
    gra_t hv_ptr, regs_ptr;   /* where the structures are in L1 memory */
    bool big_endian;
    NestHvgs hv;              /* as read (the write-back starts from it) */
    NestPtRegs regs;
    NestL2State l2;           /* what to run: hv/ loads it, runs, stores it back */
    NestGuest *ng;            /* referenced until nest_enter_end() */
} NestEnter;

/*
 * Read and validate both structures from L1 memory, find or create the
 * guest, derive the L2 state.  H_SUCCESS (e->ng referenced), or:
 * H_NOT_AVAILABLE (no partition table), H_PARAMETER (unreadable or short
 * buffers, version 0, vcpu_token, lpid 0 or beyond the table), H_P2
 * (version > 2), H_BAD_MODE (TM), H_NO_MEM.  The order of the checks is
 * Linux's.
 */
long nest_enter_begin(NestL1 *l1, const NestL1Ctx *ctx, gra_t hv_ptr, gra_t regs_ptr, NestEnter *e);
/* Write back per the exit and drop the reference.  H_SUCCESS (r3 = x->vector), H_AUTHORITY (write failed). */
long nest_enter_end(NestL1 *l1, NestEnter *e, const NestExit *x);

/* ---- shadow page fault --------------------------------------------------------------- */

typedef enum NestFaultResult {
    NEST_RESUME,  /* the shadow tree now translates it (or a retry is due): resume the L2 */
    NEST_REFLECT, /* the L1 must handle it: exit to the L1 with out->vector and values */
    NEST_ERROR,   /* neither: out->error says why (hv decides: MMIO, machine check, ...) */
} NestFaultResult;

typedef enum NestFaultError {
    NEST_ERR_NONE = 0,
    NEST_ERR_NOT_RAM,    /* the L1 maps the L2 page to l1_gra where L0 has no memory */
    NEST_ERR_READONLY,   /* a store to an L1 page L0 keeps read-only */
    NEST_ERR_NOMEM,      /* no table page / rmap entry / L0 page */
    NEST_ERR_BAD_ACCESS, /* the input is not a partition-scoped fault */
} NestFaultError;

/* A hypervisor storage interrupt taken while the L2 ran under its shadow LPID. */
typedef struct NestFaultIn {
    uint32_t vector; /* EXCP_HDSI or EXCP_HISI */
    ea_t ea;         /* HDAR (HDSI) or the instruction address (HISI) */
    uint64_t cause;  /* HDSISR (HDSI) or the cause bits of HSRR1 (HISI): DSISR_* positions */
    uint64_t asdr;   /* ASDR: the L2 guest real address */
} NestFaultIn;

typedef struct NestFaultOut {
    NestFaultError error;
    uint32_t vector;      /* NEST_REFLECT: EXCP_HDSI or EXCP_HISI */
    uint64_t hdar;        /* NEST_REFLECT, HDSI */
    uint64_t hdsisr;      /* NEST_REFLECT, HDSI */
    uint64_t srr1_cause;  /* NEST_REFLECT, HISI: OR into the msr written back (SRR1 bits 33..36, 42..47) */
    uint64_t asdr;        /* NEST_REFLECT */
    gra_t n_gpa;          /* the L2 guest real address handled */
    gra_t l1_gra;         /* NEST_ERROR NOT_RAM/READONLY: the L1 address the L1 maps it to */
} NestFaultOut;

/* The msr to write back for a reflected HISI: HSRR1 with the cause bits replaced. */
static inline uint64_t nest_hisi_msr(uint64_t hsrr1, uint64_t srr1_cause)
{
    return (hsrr1 & SRR1_MSR_KEEP) | srr1_cause;
}

/* Handle one HDSI/HISI of the nested guest (takes ng->tlb_lock). */
NestFaultResult nest_fault(NestGuest *ng, const NestFaultIn *in, NestFaultOut *out);
NestFaultResult nest_fault_locked(NestGuest *ng, const NestFaultIn *in, NestFaultOut *out);

/* ---- invalidation ------------------------------------------------------------------------ */

/*
 * L0 changed its translation of [l1_gra, l1_gra + size) (unmap, move,
 * protect): remove every shadow PTE that maps any of it, flush their
 * shadow LPIDs.  Call after L0's own tree no longer gives the old host
 * address (faults in flight then retry).  Takes mmu_lock.
 */
void nest_invalidate_l1_range(NestL1 *l1, gra_t l1_gra, uint64_t size);

/* A tlbie's operands, decoded once (the only place that knows the fields). */
typedef struct NestTlbie {
    unsigned ric, prs, r; /* from the instruction image */
    unsigned is, ap;      /* from RB */
    uint64_t epn_addr;    /* RB's EPN as an address (RB & TLBIE_RB_EPN) */
    uint32_t lpid;        /* RS low word */
} NestTlbie;
void nest_tlbie_decode(uint32_t insn, uint64_t rs, uint64_t rb, NestTlbie *out);
/* H_SUCCESS or H_PARAMETER by the reference's rules (R=0, PRS=1, RIC=3, IS=1, IS=0 && RIC!=0, bad AP). */
long nest_tlbie_check(const NestTlbie *t);
/* H_TLB_INVALIDATE(r4 = instruction image, r5 = RS (lpid), r6 = RB); also the emulated tlbie. */
long nest_tlb_invalidate(NestL1 *l1, uint32_t insn, uint64_t rs, uint64_t rb);
long nest_tlbie(NestL1 *l1, const NestTlbie *t);
/* H_RPT_INVALIDATE with H_RPTI_TYPE_NESTED (target checked by the caller): Linux's rules. */
long nest_rpt_invalidate(NestL1 *l1, uint32_t l1_lpid, uint64_t type, uint64_t pg_sizes, uint64_t start,
                         uint64_t end);
/* Drop a guest's whole shadow tree (and its rmap entries) and flush its LPID; caller holds tlb_lock. */
void nest_guest_flush_locked(NestGuest *ng);

/* ---- H_COPY_TOFROM_GUEST --------------------------------------------------------------------- */

/*
 * Copy n bytes between L1 memory (to or from, the other 0) and the L2's
 * process-scoped space of PID pid at eaddr (the process-table entry pid;
 * pid 0 is the L2 kernel's quadrant-3 tree).  Translation only (no
 * permission or R/C checks: the L1 hypervisor has authority over its
 * guest).  H_SUCCESS, H_PARAMETER (both buffers, eaddr bits 0:11, unknown
 * lpid), H_NO_MEM (n over 4 MiB), H_NOT_FOUND (a translation or an access
 * failed; bytes before the failing page may have been copied).
 */
long nest_copy_tofrom_guest(NestL1 *l1, uint32_t l1_lpid, uint64_t pid, ea_t eaddr, gra_t to, gra_t from,
                            uint64_t n);

/* ---- software walks, for H_COPY_TOFROM_GUEST and tests ------------------------------------ */

/* L2 guest real -> L1 guest real through the L1's tree for the guest (cached entry: hold tlb_lock). */
void nest_walk_l1(NestGuest *ng, gra_t n_gpa, RadixWalk *w);
/* Shadow tree walk (host real tables): what the hardware finds for n_gpa (hold mmu_lock or tlb_lock). */
void nest_walk_shadow(NestGuest *ng, gra_t n_gpa, RadixWalk *w);

#endif
