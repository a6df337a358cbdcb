/*
 * nested.h - nested virtualization in L0: the PAPR v1 API (KVM-HV style),
 * and the PAPR nested API "v2" (H_GUEST_*, hv/nested_v2.h).  v1:
 * the L1 partition acts as a hypervisor and runs L2 guests through
 * H_SET_PARTITION_TABLE / H_ENTER_NESTED; L0 runs each L2 on the same
 * emulated thread under a shadow LPID of its own, with a shadow
 * partition-scoped tree that the freestanding core nest/ keeps (seed 003;
 * ../shared/reference/papr-nested.md).  L0 wires nest/ to itself:
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
 *               -M pseries,cap-nested-hv=on (the two invalidations also
 *               answer an L1 that negotiated v2);
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
 * v2 (hv/nested_v2.h): explicit guests and vCPUs whose state L0 keeps; its
 * guests are a second, direct nest table (HvNested.l1v2) of the same L1,
 * run through the same switch and exits.  Both APIs may be on at once.
 *
 * Files: hv/nested_run.c (nest's ops, setup, switching a vCPU into an L2
 * and back, exits and shadow faults -- shared by both APIs), hv/nested_v1.c
 * (v1 hypercalls, tlbie emulation, --stats), hv/nested_v2.c (v2).
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

/* SPRs a v2 run switches beyond NestL2State (hv/nested_v2.c's table; capacity). */
#define HV_V2_MAX_CPU_SPRS 32

/* A v2 run (H_GUEST_RUN_VCPU) in progress on a vCPU. */
typedef struct HvV2Run {
    bool active;             /* this run is a v2 one: its exit goes to hv_nested_v2_leave() */
    uint32_t guest_id, vcpu_id;
    uint64_t l1_sprs[HV_V2_MAX_CPU_SPRS]; /* the L1's values of the switched SPRs */
    uint64_t l1_dec_expiry;  /* L1 timebase at which the L1's DEC expires */
} HvV2Run;

typedef struct HvNestedVcpu {
    bool in_l2;              /* the vCPU runs e.l2 (between H_ENTER_NESTED / H_GUEST_RUN_VCPU and the exit) */
    NestEnter e;             /* the run: structures, L2 state, guest reference (v2: e.l2, e.ng only) */
    HvL1Regs l1;             /* the L1 to restore */
    HvV2Run v2;
} HvNestedVcpu;

/* L0-side counters (nest keeps the per-guest ones). */
typedef struct HvNestedStats {
    uint64_t set_partition_table, enter, tlb_invalidate, rpt_invalidate, copy_tofrom_guest;
    uint64_t tlbie_emulated;   /* L1 partition-scoped tlbie/tlbiel through HEAI */
    uint64_t l2_mchecks;       /* shadow faults on L1 addresses with no memory: machine check to the L2 */
    uint64_t l2_idle;          /* L2 waits (wait instruction) */
    uint64_t preemptions;      /* L0 turns that ended while an L2 ran (the L2 resumed later) */
} HvNestedStats;

/*
 * L0's host memory for nested state (host-wide elements 0x0800-0x0804):
 * nest's bookkeeping and v2 vCPU/guest state (heap), shadow tables (page
 * tables), with high-water marks; bytes.
 */
typedef struct HvNestedMem {
    uint64_t heap, heap_max;
    uint64_t pgtable, pgtable_max;
    uint64_t pgtable_reclaimed; /* shadow-table bytes freed, in total */
} HvNestedMem;

typedef struct HvNestedV2 HvNestedV2;

typedef struct HvNested {
    Hv *hv;
    bool v1;                 /* -M pseries,cap-nested-hv=on: the v1 hypercalls answer */
    NestL1 l1;               /* the L1 partition's nested guests (one L1: the partition) */
    NestL1 l1v2;             /* its v2 guests (direct table indexed by guest id), with cap-nested-papr */
    HvNestedV2 *v2;          /* v2 state (hv/nested_v2.c), NULL without cap-nested-papr */
    HvNestedMem mem;
    uint8_t *lpid_used;      /* machine LPIDs handed out as shadow LPIDs (1 byte each) */
    uint32_t nlpids;         /* entries of the machine's partition table */
    uint32_t lpid_next;      /* where the next search starts */
    uint32_t lpids_in_use;
    HvNestedVcpu *vcpus;     /* one per vCPU */
    HvNestedStats stats;
} HvNested;

/* Set up hv->nested if -M pseries,cap-nested-hv=on or cap-nested-papr=on (after the partition and the vCPUs); 0 or -1. */
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

/* v2 hypercalls (hv/nested_v2.c); H_FUNCTION without cap-nested-papr. */
long hv_h_guest_get_capabilities(Hv *hv, CPUState *cpu);
long hv_h_guest_set_capabilities(Hv *hv, CPUState *cpu);
long hv_h_guest_create(Hv *hv, CPUState *cpu);
long hv_h_guest_create_vcpu(Hv *hv, CPUState *cpu);
long hv_h_guest_get_state(Hv *hv, CPUState *cpu);
long hv_h_guest_set_state(Hv *hv, CPUState *cpu);
long hv_h_guest_run_vcpu(Hv *hv, CPUState *cpu);
long hv_h_guest_delete(Hv *hv, CPUState *cpu);

/* --stats: per nested guest, and totals. */
void hv_nested_print_stats(Hv *hv, FILE *out);

#endif
