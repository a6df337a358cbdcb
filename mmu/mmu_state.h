/*
 * mmu_state.h - the translation state of one hardware thread, embedded in
 * CPUState as cpu->mmu (cpu/cpu.h includes this; mmu/mmu.h has the API).
 *
 * TLB contexts.  The software TLB (cpu/mem.h) tags each entry with the EA
 * page | a 12-bit context whose bit 0 is never set, so a context is an id
 * 1..MMU_CTX_IDS-1 shifted left by one.  An id names one translation
 * regime: (LPID, PID, MSR[PR], relocation, the AMR/IAMR key-0 bits that
 * restrict supervisor access).  Switching any of them -- mtspr PIDR, an
 * interrupt, rfid, mtspr AMR -- selects another id and flushes nothing;
 * entries of the old regime stay valid for when it comes back.  When the
 * ids run out, everything is flushed and numbering starts again.
 *
 * Threading: vCPU thread only, like the rest of CPUState.
 */
#ifndef NESTHV_MMU_STATE_H
#define NESTHV_MMU_STATE_H

#include <stdint.h>

#define MMU_CTX_IDS   2048u  /* ids 1..2047 fit tag bits 1..11 */
#define MMU_CTX_HASH  4096u  /* open-addressing index over the ids (power of two) */
#define MMU_ITLB_BITS 8
#define MMU_ITLB_SIZE (1u << MMU_ITLB_BITS)
#define MMU_PTLB_BITS 8
#define MMU_PTLB_SIZE (1u << MMU_PTLB_BITS)

/* Instruction-side translations: EA page -> host page, for the fetch slow path. */
typedef struct MmuItlbEntry {
    uint64_t tag;        /* EA page | insn context, or 1 (invalid) */
    uint8_t *host_page;  /* host pointer of the 4 KiB page */
    uint64_t gra_page;   /* guest real address of that page */
} MmuItlbEntry;

/*
 * Partition-scoped translations (mmu/xlate.c): a guest real granule of one
 * LPID -> host pointer, with the accesses the partition-scoped PTE allows.
 * Two direct-mapped sets: 4 KiB granules, and 2 MiB granules filled from
 * partition-scoped pages of 2 MiB or more.  Only TLB misses look here.
 */
typedef struct MmuPtlbEntry {
    uint64_t tag;   /* guest real address of the granule | LPID (below MMU_PTLB_LPIDS) */
    uint8_t *host;  /* host pointer of the granule's first byte */
    uint32_t perm;  /* accesses allowed without a fault: 1u << MmuAccess; 0 = invalid entry */
} MmuPtlbEntry;

#define MMU_PTLB_LPIDS 4096u /* LPIDs the cache tags (fit below a 4 KiB granule); others are not cached */

enum { MMU_PTLB_4K, MMU_PTLB_2M, MMU_PTLB_SETS };

typedef struct MmuState {
    /*
     * The running partition's partition-table entry, as the hardware caches
     * it.  With PTCR set (L0: hv/partition.c keeps the machine's one
     * partition table in host-real memory) it is loaded from the table entry
     * of `lpid` by mmu_set_partition() / mmu_partition_table_changed():
     * dw0 = HR | the partition-scoped tree, dw1 = PATE1_GR | process table |
     * PRTS (H_REGISTER_PROCESS_TABLE).  With PTCR = 0 (a bare thread, unit
     * tests) there is no table: mmu_set_partition_entry() sets it and the
     * partition scope is the identity over PhysMem.
     */
    uint64_t pate_dw0, pate_dw1;
    uint32_t lpid;                   /* LPIDR: the running partition (L0 runs its L1 as LPID 1) */
    uint32_t ctx_next;               /* ids handed out + 1 (0: none yet); id = scrambled count */
    uint64_t ctx_key[MMU_CTX_IDS];   /* regime of each id (mmu/tlb.c key layout); 0 = unused */
    uint16_t ctx_hash[MMU_CTX_HASH]; /* key hash -> id, 0 = empty slot */
    MmuItlbEntry itlb[MMU_ITLB_SIZE];
    MmuPtlbEntry ptlb[MMU_PTLB_SETS][MMU_PTLB_SIZE]; /* partition-scoped cache (above) */
    uint64_t stat_walks;             /* radix walks (TLB misses with relocation on) */
    uint64_t stat_part_walks;        /* partition-scoped walks (partition cache misses) */
    uint64_t stat_ctx_recycles;      /* times the context ids ran out */
} MmuState;

#endif
