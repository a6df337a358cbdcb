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
 * With PTCR set (L0, hv/partition.c) it walks the partition-scoped radix
 * tree of LPIDR (partition-table entry dw0, tables in host-real memory =
 * PhysMem); what it finds is cached per granule (MmuState.ptlb), so only
 * misses walk.  A missing or insufficient translation is an HDSI (0xE00) /
 * HISI (0xE20) exit to L0, as POWER9 raises them (Book III 6.7.10.3, 7.5.16/17):
 *   HDAR = EA (HDSI only), ASDR = the guest real address translated -- of
 *   the access, or of the process-table entry / PDE / PTE being fetched;
 *   cause (HDSISR, or HSRR1 for HISI): NOPTE (no leaf), BADCONFIG (no radix
 *   partition-table entry, tree shape, address beyond 2^52), PROTFAULT
 *   (EAA forbids it; NOEXEC_OR_G for a fetch), ATOMIC_RC (R, or C for a
 *   store, clear: partition-scoped R/C are never set by the hardware),
 *   | PRTABLE_FAULT for a table-entry access, | ISSTORE for a store or the
 *   R/C write-back (HDSI).  A table-entry access is reported on the side of
 *   the access that needed it: HISI (cause in HSRR1, HSRR0 = the fetch
 *   address) for an instruction fetch, HDSI for data.
 *   A host-real address with nothing behind it is a machine check.
 * With PTCR = 0 (a bare thread: unit tests) partition scope is the identity
 * over PhysMem: a table access outside it reads as zero and a write there is
 * dropped, a data access or fetch there is a machine check.
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
 * ea.  True: *host is the host pointer, or (bare thread only) NULL for a
 * table access where there is no memory (reads as zero, writes dropped).
 * False: the exit to L0 (or machine check) has been raised.
 */
bool mmu_partition_xlate(CPUState *cpu, gra_t gra, MmuAccess acc, MmuPartKind kind, ea_t ea, uint8_t **host);

/* ---- contexts and invalidation (mmu/tlb.c) --------------------------------- */

/* Context tag (low 12 bits of a TLB tag, bit 0 clear) for the current regime. */
uint32_t mmu_ctx_for(CPUState *cpu, bool insn);

/* Drop every translation the thread caches (both TLBs, the fetch page). */
void mmu_tlb_flush_all(CPUState *cpu);
/* Drop the fetch-side TLB (cpu_tlb_flush_all calls this). */
void mmu_itlb_flush(CPUState *cpu);
/*
 * The partition-scoped cache (MmuState.ptlb) follows only L0's changes: a
 * guest's tlbie never drops it.  L0 drops it with the calls below.
 */
/* Every partition-scoped translation cached, of every LPID. */
void mmu_flush_partition_scope(CPUState *cpu);
/* Every translation of LPID lpid, partition-scoped ones included (L0 replaced its tree). */
void mmu_flush_lpid(CPUState *cpu, uint32_t lpid);
/*
 * L0 changed or dropped a partition-scoped translation whose host backing
 * was host-real [hra, hra + size): drop every translation of this thread
 * that leads into it -- data and fetch TLB, partition-scoped cache, fetch
 * page -- in every context and LPID (they all reached that memory through
 * some partition-scoped mapping).  Decoded instructions are keyed by host
 * page and stay valid while the memory keeps its contents.
 */
void mmu_flush_hra_range(CPUState *cpu, hra_t hra, uint64_t size);

/* tlbie/tlbiel semantics (Book III 5.10.1); ric/prs/r/local from the instruction. */
typedef enum MmuTlbie { MMU_TLBIE_DONE, MMU_TLBIE_INVALID } MmuTlbie;
MmuTlbie mmu_tlbie(CPUState *cpu, uint64_t rb, uint64_t rs, unsigned ric, bool prs, bool radix, bool local);

/* ---- the partition table (mmu/mmu.c) ---------------------------------------- */

/*
 * Does the running partition translate its effective addresses with radix?
 * LPCR[HR], as QEMU's ppc64_v3_radix(): L0 sets it on every vCPU with
 * H_REGISTER_PROCESS_TABLE's RADIX flag.  Before that the partition is in
 * hash mode (an empty SLB).  Partition scope is always L0's radix tree.
 */
static inline bool mmu_partition_radix(const CPUState *cpu)
{
    return (cpu->spr[SPR_LPCR] & LPCR_HR) != 0;
}

/*
 * L0: point the thread at the machine's partition table (PTCR) and run
 * partition lpid (LPIDR); loads that partition-table entry.  Translations
 * are tagged by LPID: switching flushes nothing.
 */
void mmu_set_partition(CPUState *cpu, uint64_t ptcr, uint32_t lpid);
/*
 * L0 rewrote partition-table entries in memory: reload the thread's copy
 * and drop every cached translation (what tlbie RIC=2 PRS=0 does on hardware).
 */
void mmu_partition_table_changed(CPUState *cpu);
/* Bare thread (PTCR = 0, no table in memory): set the entry itself; flushes. */
void mmu_set_partition_entry(CPUState *cpu, uint64_t dw0, uint64_t dw1);
/* The running partition's entry as the thread holds it. */
void mmu_get_partition_entry(const CPUState *cpu, uint64_t *dw0, uint64_t *dw1);

#endif
