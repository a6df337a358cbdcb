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

/* Instruction-side translations: EA page -> host page, for the fetch slow path. */
typedef struct MmuItlbEntry {
    uint64_t tag;        /* EA page | insn context, or 1 (invalid) */
    uint8_t *host_page;  /* host pointer of the 4 KiB page */
    uint64_t gra_page;   /* guest real address of that page */
} MmuItlbEntry;

typedef struct MmuState {
    /*
     * The partition-table entry of the running partition, as L0 holds it
     * for a pseries guest (there is no partition table in memory yet):
     * dw0 = PATE0_HR when the partition uses radix (its partition scope is
     * L0's flat mapping of its RAM for now); dw1 = PATE1_GR | process
     * table base | PRTS, installed by H_REGISTER_PROCESS_TABLE.
     */
    uint64_t pate_dw0, pate_dw1;
    uint32_t lpid;                   /* LPID of the running partition (0: the L1) */
    uint32_t ctx_next;               /* ids handed out + 1 (0: none yet); id = scrambled count */
    uint64_t ctx_key[MMU_CTX_IDS];   /* regime of each id (mmu/tlb.c key layout); 0 = unused */
    uint16_t ctx_hash[MMU_CTX_HASH]; /* key hash -> id, 0 = empty slot */
    MmuItlbEntry itlb[MMU_ITLB_SIZE];
    uint64_t stat_walks;             /* radix walks (TLB misses with relocation on) */
    uint64_t stat_ctx_recycles;      /* times the context ids ran out */
} MmuState;

#endif
