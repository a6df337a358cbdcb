/*
 * snapshot_ram.h - the RAM section of a machine snapshot (hv/snapshot.h):
 * every non-zero 4 KiB page of the L1's RAM, as runs of consecutive pages.
 *
 * Payload: u64 page size (4096), u64 number of runs, then per run u64 first
 * guest real address, u64 pages, the bytes.  Runs are in ascending address
 * order and do not overlap.
 *
 * Saving reads RAM without side effects (no page is faulted in or mapped:
 * hv_partition_page_backing()).  Pages the host never populated read as
 * zero and are skipped without being touched: /proc/self/pagemap says which
 * (neither present nor swapped), so a 64 GiB guest that touched 100 MiB
 * costs a 100 MiB scan; without /proc every page is scanned.
 */
#ifndef NESTHV_HV_SNAPSHOT_RAM_H
#define NESTHV_HV_SNAPSHOT_RAM_H

#include "hv/hv.h"
#include "hv/snapshot_format.h"

struct HvSnapshot;

void hv_snapshot_ram_save(SnapWriter *w, const Hv *hv);
/* Check the section (hv NULL) or copy it into a fresh machine's RAM.  0 or -1 with a message. */
int hv_snapshot_ram_load(const struct HvSnapshot *s, Hv *hv, char *err, size_t errlen);

#endif
