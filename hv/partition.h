/*
 * partition.h - L0's host-real memory and the partitions it backs
 * (docs/architecture-memory.md has the whole design).
 *
 * Host-real memory (Hrm).  L0 owns one host-real address space: a single
 * MAP_NORESERVE mapping, so a page costs host memory only once something
 * touches it.  It is what the emulated hardware calls real memory (every
 * vCPU's PhysMem), and holds:
 *
 *   hra 0        128 KiB  never used (a zero host-real address is a bug)
 *   HRM_PATB     128 KiB  the machine's one partition table (PTCR; PATS = 5,
 *                         LPIDs 0..8191: the L1 and its nested guests' shadow
 *                         LPIDs), big-endian 16-byte entries
 *   HRM_POOL     ...      L0's page pool: partition-scoped radix tables (and,
 *                         later, nested shadow tables) and the pages L0
 *                         moves partition memory to; sized RAM/4 + 256 MiB
 *   1 GiB aligned         each partition's RAM backing, contiguous, so the
 *                         boot loaders can write a flat buffer
 *
 * Partitions (HvPartition).  LPID n's entry: dw0 = HR | its partition-
 * scoped tree (52-bit, in the pool), dw1 = its process table (the value
 * H_REGISTER_PROCESS_TABLE installs).  The tree starts empty and L0 fills
 * it on demand: every HDSI/HISI exit at a guest real address inside RAM
 * maps the page that contains it -- the largest of 1 GiB, 2 MiB, 4 KiB
 * that is aligned, all RAM, not mapped in part, and holds no page L0 ever
 * unmapped or moved -- at its backing, with R, C and read/write/execute
 * (the hardware never sets partition-scoped R/C: a PTE without them
 * faults).  A fault anywhere else is what the guest saw with no memory
 * there: a machine check (QEMU 8.1+/POWER9 causes), or for a process-table
 * entry / PDE fetched from there a DSI/ISI as if it read zeros (BADCONFIG
 * for the process-table entry, NOPTE for a directory), as QEMU's
 * unassigned memory reads.
 *
 * Unmap and move (one 4 KiB page; faults in that 2 MiB region map 4 KiB
 * pages from then on): the tree loses the translation, every vCPU drops
 * what it derived from it (TLBs, partition-scoped cache, fetch page), the
 * nested core drops its shadow PTEs (nest_invalidate_l1_range).  Unmap
 * drops the mapping, never the data: a later access faults it in again
 * with the same contents.  Move copies the page into a pool page, retires
 * its decoded instructions, gives the old backing back (pool page freed,
 * home page returned to the host with MADV_DONTNEED) and maps the new one
 * if the page was mapped.
 *
 * L0's own accesses to guest memory (hcalls, RTAS, VPA, nested structures)
 * go through the same translation, page by page, faulting pages in:
 * hv_partition_read()/write().  Writes retire decoded instructions of the
 * pages they change.
 *
 * Threading: vCPU thread only; L0 acts while no vCPU of the machine is in
 * cpu_run() (all share one host thread).
 *
 *     Hrm m;  hrm_init(&m, ram_size, err, sizeof err);
 *     HvPartition p;  hv_partition_init(&p, &m, 1, ram_size, err, sizeof err);
 *     p.for_each_cpu = ...;  mmu_set_partition(cpu, m.ptcr, p.lpid);
 *     cpu_run(cpu, n) == CPU_EXIT_HDSI  ->  hv_partition_fault(&p, cpu);
 */
#ifndef NESTHV_HV_PARTITION_H
#define NESTHV_HV_PARTITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "nest/nest.h"
#include "radix/radix.h"

/* ---- host-real memory ------------------------------------------------------------------ */

#define HRM_PATB       0x20000ULL        /* partition table: host real 128 KiB (aligned to its size) ... */
#define HRM_PATS       5                 /* ... 2^(5+12) = 128 KiB: LPIDs 0..8191 (nested shadow LPIDs) */
#define HRM_POOL       0x40000ULL        /* the pool starts here */
#define HRM_RAM_ALIGN  (1ULL << 30)      /* partition RAM is 1 GiB aligned: 1 GiB pages fit */
#define HRM_MIN_ORDER  8                 /* pool blocks: 256 bytes ... */
#define HRM_MAX_ORDER  16                /* ... 64 KiB, naturally aligned */

typedef struct Hrm {
    uint8_t *base;       /* host pointer of host-real address 0 */
    uint64_t size;       /* bytes of host-real space */
    uint64_t ptcr;       /* PTCR naming the partition table */
    hra_t pool_end;      /* the pool is [HRM_POOL, pool_end) */
    hra_t pool_bump;     /* pool space from here on was never handed out */
    hra_t free_list[HRM_MAX_ORDER + 1]; /* freed blocks by order, linked through their first doubleword (0: end) */
    uint64_t pool_in_use;/* bytes handed out and not freed */
    uint64_t pool_peak;  /* most pool_in_use ever */
    hra_t ram_next;      /* the next partition's RAM backing goes here */
} Hrm;

/* Map host-real memory for partitions totalling ram_total bytes of RAM (each rounded up to 1 GiB). */
int hrm_init(Hrm *m, uint64_t ram_total, char *err, size_t errlen) NESTHV_MUST_CHECK;
void hrm_destroy(Hrm *m);
/* A zeroed block of size bytes (a power of two, 256 .. 64 KiB) aligned to its size; 0 ok, -ENOMEM. */
int hrm_alloc(Hrm *m, uint64_t size, hra_t *out) NESTHV_MUST_CHECK;
void hrm_free(Hrm *m, hra_t hra, uint64_t size);
static inline uint8_t *hrm_ptr(const Hrm *m, hra_t hra) { return m->base + hra; }
/* The partition-table entry of lpid (host-order values). */
void hrm_set_pate(Hrm *m, uint32_t lpid, uint64_t dw0, uint64_t dw1);
void hrm_get_pate(const Hrm *m, uint32_t lpid, uint64_t *dw0, uint64_t *dw1);

/* ---- partitions -------------------------------------------------------------------------- */

/* Pages that left their home in the RAM backing: guest real page -> host real page. */
typedef struct HvMoved {
    uint64_t *key;       /* gra page | 1; 0 = empty slot (open addressing) */
    hra_t *hra;
    size_t cap, count;
} HvMoved;

typedef struct HvPartStats {
    uint64_t faults;     /* HDSI/HISI exits handled */
    uint64_t mapped[3];  /* pages mapped on demand: 4 KiB, 2 MiB, 1 GiB */
    uint64_t not_ram;    /* faults outside RAM, handed to the guest */
    uint64_t unmaps, moves;
} HvPartStats;

typedef struct HvPartition {
    Hrm *hrm;            /* the machine's host-real memory */
    uint32_t lpid;
    uint64_t ram_size;   /* guest real [0, ram_size) is RAM */
    hra_t ram_hra;       /* home backing: page g lives at ram_hra + g unless moved */
    RadixRoot tree;      /* the partition-scoped tree (in the pool) */
    RadixMem tmem;       /* the builder's access to it */
    uint8_t *small;      /* per 2 MiB of RAM: 1 once L0 unmapped or moved a page there */
    HvMoved moved;
    /* The vCPUs that may run the partition: TLB shootdown, decoded-code retirement. */
    void (*for_each_cpu)(void *opaque, void (*fn)(CPUState *cpu, void *arg), void *arg);
    void *cpus;          /* for_each_cpu's opaque */
    NestL1 *nest;        /* this partition's nested guests (nest_invalidate_l1_range), or NULL */
    HvPartStats stats;
} HvPartition;

/* Reserve RAM backing and an empty tree; write the partition-table entry (dw1 = 0). */
int hv_partition_init(HvPartition *p, Hrm *m, uint32_t lpid, uint64_t ram_size, char *err, size_t errlen)
    NESTHV_MUST_CHECK;
void hv_partition_destroy(HvPartition *p);
/* The RAM backing as one flat buffer: valid for the boot loaders, before L0 moves any page. */
static inline uint8_t *hv_partition_boot_ram(const HvPartition *p) { return hrm_ptr(p->hrm, p->ram_hra); }

/* Partition-table dw1 (the process table); setting it reloads every vCPU's entry and flushes. */
uint64_t hv_partition_process_table(const HvPartition *p);
void hv_partition_set_process_table(HvPartition *p, uint64_t dw1);

typedef enum HvFaultResult {
    HV_FAULT_RESUME,     /* L0 mapped the page: the guest retries */
    HV_FAULT_GUEST,      /* no memory there: the guest got a machine check or DSI/ISI */
    HV_FAULT_FATAL,      /* L0 cannot back the page (pool exhausted) or its tree is broken: cpu halted */
} HvFaultResult;
/* Handle cpu's HDSI/HISI exit (HDAR, HDSISR or HSRR1, ASDR). */
HvFaultResult hv_partition_fault(HvPartition *p, CPUState *cpu);

/*
 * L0's translation of guest real gra, faulting the page in (nest's
 * l1_gra_to_hra): NEST_L0_OK with the host-real address, the size and
 * permissions of L0's page; NEST_L0_NOT_RAM; NEST_L0_NOMEM.  Pages are
 * always mapped with R, C and read/write/execute, so `writing` changes
 * nothing.
 */
int hv_partition_gra_to_hra(HvPartition *p, gra_t gra, bool writing, NestL0Map *out);

/* Unmap the 4 KiB page at gra (contents kept: the next access faults it in again).  0, -EINVAL, -ENOMEM. */
int hv_partition_unmap_page(HvPartition *p, gra_t gra) NESTHV_MUST_CHECK;
/* Move the 4 KiB page at gra to a new pool page, contents kept; *new_hra (if not NULL) = where.  0, -EINVAL, -ENOMEM. */
int hv_partition_move_page(HvPartition *p, gra_t gra, hra_t *new_hra) NESTHV_MUST_CHECK;

/* Snapshots: the host-real address of the 4 KiB page containing gra (in RAM) as it is now -- its
 * home or where L0 moved it -- without mapping it (hv/snapshot.c reads RAM without side effects). */
hra_t hv_partition_page_backing(const HvPartition *p, gra_t gra);

/* Snapshots: fn(arg, first address, page shift) for every page the tree maps, in address order.  A
 * restore maps the same pages again before the machine runs, so the L1 takes no extra demand faults
 * (each costs its instruction's count once more: the timebase would drift from the saving run's). */
void hv_partition_for_each_mapping(const HvPartition *p, void (*fn)(void *arg, gra_t gra, unsigned shift), void *arg);

/* L0 access to guest real [gra, gra+len): 0, -EFAULT (not all RAM), -ENOMEM (cannot back a page). */
int hv_partition_read(HvPartition *p, gra_t gra, void *buf, size_t len) NESTHV_MUST_CHECK;
int hv_partition_write(HvPartition *p, gra_t gra, const void *buf, size_t len) NESTHV_MUST_CHECK;

void hv_partition_print_stats(const HvPartition *p, FILE *out);

#endif
