/*
 * nested.h - nested virtualization, PAPR v1 API (KVM-HV style), in L0:
 * the L1 partition acts as a hypervisor and runs L2 guests through
 * H_SET_PARTITION_TABLE / H_ENTER_NESTED; L0 runs each L2 on the same
 * emulated thread under a shadow LPID of its own, with a shadow
 * partition-scoped tree that the freestanding core nest/ keeps (seed 003;
 * ../shared/reference/papr-nested.md).  hv/nested_v1.c wires nest/ to L0:
 *
 *   memory      nest's ops over L0: L1 memory through the L1 partition's
 *               tree (hv_read_guest/hv_write_guest), shadow tables from the
 *               host-real pool (hrm_alloc), L1 -> host translation with
 *               fault-in (hv_partition_gra_to_hra), shadow LPIDs from the
 *               machine's partition table (never 0 or the L1's), partition-
 *               table entries (hrm_set_pate + reload on the vCPUs running
 *               that LPID), flushes by LPID on every vCPU;
 *   hcalls      H_SET_PARTITION_TABLE, H_ENTER_NESTED, H_TLB_INVALIDATE,
 *               H_COPY_TOFROM_GUEST, H_RPT_INVALIDATE (nested type and the
 *               L1's own process scope) -- all H_FUNCTION without
 *               -M pseries,cap-nested-hv=on;
 *   the run     H_ENTER_NESTED saves the L1's registers in HvNestedVcpu,
 *               loads the L2 (LPIDR = shadow LPID, timebase offset, HDEC
 *               deadline) and returns to the run loop, which now runs the
 *               L2 on that vCPU.  Every exit of a vCPU in L2 goes to
 *               hv_nested_exit(): shadow faults nest can fix, L0's own
 *               preemption (budget) and idle resume the L2; everything
 *               else ends the run -- the L1 is restored with r3 = the
 *               vector and the L2's state written back (nest_enter_end);
 *   tlbie       an L1's partition-scoped tlbie/tlbiel (HEAI) is emulated
 *               as H_TLB_INVALIDATE once the L1 has a partition table.
 *
 * Threading: vCPU thread only, like the rest of L0 (one host thread runs
 * every vCPU); nest's locks are not needed (NestOps.lock = NULL).
 */
#ifndef NESTHV_HV_NESTED_H
#define NESTHV_HV_NESTED_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "nest/nest.h"

typedef struct Hv Hv;

/* The L1's registers while one of its vCPUs runs an L2 (what the L2 state replaces). */
typedef struct HvL1Regs {
    uint64_t gpr[32];
    uint64_t nip, msr, lr, ctr, xer;
    uint32_t cr;
    uint64_t lpcr, pcr, amor, hfscr, dawr0, dawrx0, ciabr, srr0, srr1, sprg[4], pidr, cfar, ppr, ic;
    int64_t tb_offset;
    bool irq_doorbell;
} HvL1Regs;

typedef struct HvNestedVcpu {
    bool in_l2;              /* the vCPU runs e.l2 (between H_ENTER_NESTED and its return) */
    NestEnter e;             /* the run: structures, L2 state, guest reference */
    HvL1Regs l1;             /* the L1 to restore */
} HvNestedVcpu;

/* L0-side counters (nest keeps the per-guest ones). */
typedef struct HvNestedStats {
    uint64_t set_partition_table, enter, tlb_invalidate, rpt_invalidate, copy_tofrom_guest;
    uint64_t tlbie_emulated;   /* L1 partition-scoped tlbie/tlbiel through HEAI */
    uint64_t l2_mchecks;       /* shadow faults on L1 addresses with no memory: machine check to the L2 */
    uint64_t l2_idle;          /* L2 waits (wait instruction) */
    uint64_t preemptions;      /* L0 turns that ended while an L2 ran (the L2 resumed later) */
} HvNestedStats;

typedef struct HvNested {
    Hv *hv;
    NestL1 l1;               /* the L1 partition's nested guests (one L1: the partition) */
    uint8_t *lpid_used;      /* machine LPIDs handed out as shadow LPIDs (1 byte each) */
    uint32_t nlpids;         /* entries of the machine's partition table */
    uint32_t lpid_next;      /* where the next search starts */
    uint32_t lpids_in_use;
    HvNestedVcpu *vcpus;     /* one per vCPU */
    HvNestedStats stats;
} HvNested;

/* Set up hv->nested if -M pseries,cap-nested-hv=on (after the partition and the vCPUs); 0 or -1. */
int hv_nested_init(Hv *hv, char *err, size_t errlen);
void hv_nested_destroy(Hv *hv);

/* Is this vCPU running an L2? */
bool hv_nested_in_l2(const Hv *hv, const CPUState *cpu);
/*
 * An exit of a vCPU running an L2 (hv_nested_in_l2): handled here -- the
 * L2 resumes or the L1 gets the exit; false for exits the caller handles
 * as for any vCPU (CPU_EXIT_HALT).
 */
bool hv_nested_exit(Hv *hv, CPUState *cpu, CpuExit exit);
/* An HEAI of the L1: true if it was a partition-scoped tlbie/tlbiel (emulated, or a program interrupt). */
bool hv_nested_heai(Hv *hv, CPUState *cpu);
/* Partition-wide LPCR change (H_SET_MODE ...) for a vCPU in an L2: it applies to the saved L1 LPCR. */
void hv_nested_set_l1_lpcr(Hv *hv, CPUState *cpu, uint64_t mask, uint64_t value);

/* Hypercalls (hv/hcall.c's private table; H_RPT_INVALIDATE in the PAPR one). */
long hv_h_set_partition_table(Hv *hv, CPUState *cpu);
long hv_h_enter_nested(Hv *hv, CPUState *cpu);
long hv_h_tlb_invalidate(Hv *hv, CPUState *cpu);
long hv_h_copy_tofrom_guest(Hv *hv, CPUState *cpu);
long hv_h_rpt_invalidate(Hv *hv, CPUState *cpu);
/* hv_h_enter_nested's answer when it switched the vCPU to the L2: r3 is not to be written. */
#define HV_HCALL_NO_RETURN ((long)0x7FFFFFFFFFFFFFFFLL)

/* --stats: per nested guest, and totals. */
void hv_nested_print_stats(Hv *hv, FILE *out);

#endif
