/*
 * snapshot_v2.h - the nested v2 (H_GUEST_*) section of a machine snapshot
 * (hv/snapshot.h): the state L0 holds for the L1's v2 guests.
 *
 * Saved (SNAP_SEC_NESTED_V2, version 1): whether the L1 set capabilities
 * and which; the v2 counters; per guest (by id): its guest-wide elements
 * (logical PVR, timebase offset, partition table 0x0005, process table
 * 0x0006); per vCPU (by id): every thread element (NestV2Vcpu, as the GSB
 * table indexes them; the table size is recorded and must match) and its
 * run count.
 * Rebuilt, not saved (seed 003): each guest's shadow guest -- shadow LPID,
 * shadow tree, rmap -- is created again in HvNested.l1v2 with the
 * partition-table entry its elements give; nobody runs (a snapshot is never
 * taken inside H_GUEST_RUN_VCPU: hv_snapshot_ready()).
 */
#ifndef NESTHV_HV_SNAPSHOT_V2_H
#define NESTHV_HV_SNAPSHOT_V2_H

#include "hv/hv.h"
#include "hv/snapshot_format.h"

/* Append the section if the machine has v2 state (cap-nested-papr). */
void hv_snapshot_v2_save(SnapWriter *w, Hv *hv);
/* Check the section (hv NULL) or load it into a fresh machine.  0 or -1 with a message. */
int hv_snapshot_v2_load(const SnapSection *sec, const MachineConfig *m, Hv *hv, char *err, size_t errlen);

#endif
