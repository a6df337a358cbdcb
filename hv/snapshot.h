/*
 * snapshot.h - save a running machine to a file and resume it later
 * (issue 5, "Migration of nested guests"; seed 003).
 *
 * What is saved (hv/snapshot_format.h has the container; section ids below):
 *   MACHINE  the machine configuration (RAM size, vCPUs and topology, CPU
 *            model, nested caps, clock, boot arguments, where the kernel,
 *            initrd and device tree went): a restore takes it from the file;
 *   L0       the machine clock and the scheduler (virtual time, instruction
 *            count, round-robin position), RTC offset, H_RANDOM state, the
 *            L1's process table (H_REGISTER_PROCESS_TABLE);
 *   VCPU     per vCPU: run state (stopped/running/idle, prod, wake-up time),
 *            its XICS presenter, VPA/SLB-shadow/DTL registrations, every
 *            architectural register (GPRs, NIP, MSR, CR, XER, LR, CTR, all
 *            SPRs), the interrupt inputs, and the time state (instruction
 *            count, virtual-clock adjustment, timebase offset, DEC, HDEC);
 *   RAM      every non-zero 4 KiB page of the L1's RAM -- nested guests'
 *            memory is inside it, and so are their partition and process
 *            tables and hypervisor state when the L1 is a hypervisor;
 *   NESTED_V1 the L1's H_SET_PARTITION_TABLE value;
 *   NESTED_V2 the v2 (H_GUEST_*) state L0 holds: capabilities, guests'
 *            guest-wide elements, every vCPU's thread elements (hv/snapshot_v2.h);
 *   STATS    --stats counters (optional: a reader may ignore it);
 *   L1_MAP   which pages L0's partition-scoped tree maps (optional): a
 *            restore maps them again before the run, so the L1 takes no
 *            demand fault the saving run did not (an L0-resolved fault
 *            costs its instruction's count once more, and the timebase
 *            counts instructions) -- the L1 runs on exactly as it would have.
 * Not saved: L0's shadow state -- partition-scoped tree, shadow trees and
 * shadow LPIDs, rmap, TLBs, decoded instructions -- which is rebuilt on
 * demand after a restore: as the talk explains, all nested state lives in
 * L1 memory except the partition-table pointer.  Rebuilding costs the
 * nested guests their shadow faults again, and each one its instruction's
 * count (cpu/cpu.c): after a restore, a nested guest's timebase can run
 * ahead of the saving run's by that many instructions.  Reservations (larx) are
 * dropped.  The console has no state in L0 (input is read from stdin when
 * the guest asks).
 *
 * A snapshot can only be taken while no vCPU runs an L2 (inside
 * H_ENTER_NESTED): hv_snapshot_ready() says when; the caller runs on to
 * the first instruction boundary where it holds (an L1 hypervisor
 * time-slices its guests with HDEC, so this comes soon).  Snapshots need
 * the deterministic clock (timebase = instructions).
 *
 * Restoring:
 *     HvSnapshot s;  hv_snapshot_open(path, &s, err, n);   read + validate EVERYTHING
 *     HvConfig cfg = ...;  hv_snapshot_config(&s, &cfg);    machine options from the file
 *     hv_init(&hv, &cfg, ...);  hv_snapshot_restore(&hv, &s, err, n);  hv_run(&hv);
 *     hv_snapshot_close(&s);
 * hv_snapshot_open() refuses a corrupt, truncated or inconsistent file
 * before anything is loaded; hv_snapshot_restore() then only fails for
 * lack of host memory.
 *
 * The v2 API's state lives in L0 (not in L1 memory like v1's): it has a
 * section of its own (hv/snapshot_v2.h); its shadow guests are rebuilt
 * like v1's.
 */
#ifndef NESTHV_HV_SNAPSHOT_H
#define NESTHV_HV_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/hv.h"
#include "hv/snapshot_format.h"

/* Section ids (never reuse a number; bump a section's version when its payload changes). */
enum {
    SNAP_SEC_MACHINE = 1,
    SNAP_SEC_L0 = 2,
    SNAP_SEC_VCPU = 3,       /* one per vCPU, in vCPU order */
    SNAP_SEC_RAM = 4,
    SNAP_SEC_NESTED_V1 = 5,
    SNAP_SEC_STATS = 6,
    SNAP_SEC_NESTED_V2 = 7,  /* the v2 (H_GUEST_*) guests L0 holds (hv/snapshot_v2.c, own version) */
    SNAP_SEC_L1_MAP = 8,     /* optional: the pages L0's partition-scoped tree maps for the L1 */
};

#define SNAP_BOOTARGS_MAX 4096

typedef struct HvSnapshot {
    uint8_t *data;           /* the whole file */
    size_t len;
    SnapFile file;           /* its sections (point into data) */
    MachineConfig mach;      /* decoded MACHINE section; bootargs points into `bootargs` */
    CpuClock clock;
    unsigned icount_shift;
    uint64_t fdt_addr;
    uint64_t insns;          /* instructions executed when it was taken */
    char bootargs[SNAP_BOOTARGS_MAX];
} HvSnapshot;

/* The machine can be saved at all (the deterministic clock); false with the reason. */
bool hv_snapshot_supported(const Hv *hv, char *why, size_t whylen);
/* Now: no vCPU is inside an L2 (a run of H_ENTER_NESTED or H_GUEST_RUN_VCPU). */
bool hv_snapshot_ready(const Hv *hv);
/* Save the machine to path (atomically: path.tmp then rename).  0, or -1 with a message. */
int hv_snapshot_save(Hv *hv, const char *path, char *err, size_t errlen);

/* Read and validate the whole file.  0, or -1 with a message (nothing to close then). */
int hv_snapshot_open(const char *path, HvSnapshot *s, char *err, size_t errlen);
/* The machine options of the snapshot into cfg (runtime options -- limits, trace -- are kept). */
void hv_snapshot_config(const HvSnapshot *s, HvConfig *cfg);
/* Load it into hv, freshly hv_init()ed with hv_snapshot_config()'s options.  0 or -1. */
int hv_snapshot_restore(Hv *hv, const HvSnapshot *s, char *err, size_t errlen);
void hv_snapshot_close(HvSnapshot *s);

/* Parse and check a snapshot held in memory (unit tests; hv_snapshot_open() reads the file and calls it). */
int hv_snapshot_parse(uint8_t *data, size_t len, HvSnapshot *s, char *err, size_t errlen);
/* Build the snapshot of hv in memory (unit tests; hv_snapshot_save() writes it). */
int hv_snapshot_build(Hv *hv, SnapBuf *out, char *err, size_t errlen);

#endif
