/*
 * mmu.h - the emulated translation hardware (Power ISA v3.0B Book III 6.7,
 * radix; the pseries guest is a partition with MSR[HV] = 0).
 *
 * mmu_xlate() maps an effective address to a guest real address and a host
 * pointer for one access, raising the architected interrupt when it cannot:
 *
 *   relocation off   EA bits 0:3 ignored (6.7.3); then partition scope.
 *   relocation on    hash mode (no radix process table registered; QEMU's
 *                    pseries starts there with an empty SLB): data/
 *                    instruction segment interrupt.  Radix:
 *                    1. EA bits 2:11 must be 0 (52-bit trees), quadrant 0
 *                       (PIDR) or 3 (PID 0) -- else a segment interrupt
 *                       (0x380 / 0x480); quadrants 1 and 2 are the
 *                       hypervisor's;
 *                    2. the process table (partition-table entry dw1) gives
 *                       the PID's root; misaligned table: BADCONFIG, PID
 *                       past its end: NOPTE;
 *                    3. radix_walk() of the process-scoped tree; failures
 *                       are DSI 0x300 (DAR, DSISR) / ISI 0x400 (SRR1) with
 *                       NOPTE or BADCONFIG;
 *                    4. permissions: EAA privileged vs MSR[PR], read/write/
 *                       execute, AMR/IAMR key 0 for supervisor access to
 *                       non-privileged pages, non-idempotent I/O never
 *                       executable -> PROTFAULT (DSI) / SRR1 0x10000000 (ISI);
 *                    5. R and C are set in the PTE by the hardware (R on any
 *                       access, C on a store), as QEMU 7.2 does;
 *                    6. partition scope of the resulting guest real address.
 *
 * Partition scope: every process-table entry, every PDE/PTE read, the R/C
 * write-back and the final real address go through mmu_partition_xlate().
 * Today it is L0's flat map of the partition's RAM: a table access outside
 * RAM reads as zero and a write there is dropped (what QEMU's pseries does:
 * unassigned memory), a data access or fetch there is a machine check (as in
 * real mode).  A partition-scoped radix tree inserts itself there: its
 * faults are HDSI/HISI exits to L0.
 *
 * The TLB (cpu/mem.h for data, MmuState.itlb for fetch) caches 4 KiB
 * granules of translations tagged by context (mmu/mmu_state.h); tlbie/
 * tlbiel (cpu/exec/mmu_ctrl.c) invalidate through mmu_tlbie().  There is no
 * page-walk cache: every miss reads the tables again, so RIC=1 has nothing
 * to do.
 */
#ifndef NESTHV_MMU_H
#define NESTHV_MMU_H

#include "cpu/cpu.h"
#include "ppc/radix_fmt.h"

typedef enum MmuAccess { MMU_READ = 0, MMU_WRITE = 1, MMU_EXEC = 2 } MmuAccess;

/* Real mode drops EA bits 0:3 (Book III 6.7.3). */
#define MMU_REAL_MODE_MASK 0x0FFFFFFFFFFFFFFFULL

/* Translate; on false the interrupt (or hypervisor exit) has been raised. */
bool mmu_xlate(CPUState *cpu, ea_t ea, MmuAccess acc, gra_t *gra, uint8_t **host);

/* What a partition-scoped access is for. */
typedef enum MmuPartKind {
    MMU_PART_ACCESS, /* the access itself (data or fetch) */
    MMU_PART_TABLE,  /* a process-table entry or PDE/PTE read */
    MMU_PART_UPDATE, /* the R/C write-back into a PTE */
} MmuPartKind;

/*
 * Partition-scoped translation of guest real address gra for an access at
 * ea.  True: *host is the host pointer, or NULL for a table access where
 * the partition has no memory (reads as zero, writes dropped).  False: the
 * interrupt or exit has been raised.
 */
bool mmu_partition_xlate(CPUState *cpu, gra_t gra, MmuAccess acc, MmuPartKind kind, ea_t ea, uint8_t **host);

/* ---- contexts and invalidation (mmu/tlb.c) --------------------------------- */

/* Context tag (low 12 bits of a TLB tag, bit 0 clear) for the current regime. */
uint32_t mmu_ctx_for(CPUState *cpu, bool insn);

/* Drop every translation the thread caches (both TLBs, the fetch page). */
void mmu_tlb_flush_all(CPUState *cpu);
/* Drop the fetch-side TLB (cpu_tlb_flush_all calls this). */
void mmu_itlb_flush(CPUState *cpu);

/* tlbie/tlbiel semantics (Book III 5.10.1); ric/prs/r/local from the instruction. */
typedef enum MmuTlbie { MMU_TLBIE_DONE, MMU_TLBIE_INVALID } MmuTlbie;
MmuTlbie mmu_tlbie(CPUState *cpu, uint64_t rb, uint64_t rs, unsigned ric, bool prs, bool radix, bool local);

/* ---- the partition-table entry (mmu/mmu.c) ---------------------------------- */

/*
 * Does the running partition translate with radix (its partition-table
 * entry's HR)?  This is what LPCR[HR] means for a guest; L0 keeps the two
 * equal from H_REGISTER_PROCESS_TABLE on, and before it the partition is in
 * hash mode whatever the reset value of LPCR says.
 */
static inline bool mmu_partition_radix(const CPUState *cpu)
{
    return (cpu->mmu.pate_dw0 & PATE0_HR) != 0;
}

/* Install the running partition's partition-table entry (L0 on H_REGISTER_PROCESS_TABLE); flushes. */
void mmu_set_partition_entry(CPUState *cpu, uint64_t dw0, uint64_t dw1);
void mmu_get_partition_entry(const CPUState *cpu, uint64_t *dw0, uint64_t *dw1);

#endif
