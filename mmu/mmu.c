/*
 * mmu.c - the running partition's partition-table entry (see mmu.h and
 * mmu_state.h).  Hardware reads it from the partition table PTCR points
 * to; for a pseries guest L0 holds it (QEMU's spapr does the same), and
 * H_REGISTER_PROCESS_TABLE (hv/mmu_hcalls.c) installs it here.
 */
#include "mmu/mmu.h"

void mmu_set_partition_entry(CPUState *cpu, uint64_t dw0, uint64_t dw1)
{
    cpu->mmu.pate_dw0 = dw0;
    cpu->mmu.pate_dw1 = dw1;
    mmu_tlb_flush_all(cpu); /* every cached translation came from the old entry */
}

void mmu_get_partition_entry(const CPUState *cpu, uint64_t *dw0, uint64_t *dw1)
{
    *dw0 = cpu->mmu.pate_dw0;
    *dw1 = cpu->mmu.pate_dw1;
}
