/*
 * mmu.c - the running partition's partition-table entry (see mmu.h and
 * mmu_state.h).  The hardware reads it from the partition table PTCR points
 * to (Book III 6.7.6): 2^(PATS+12) bytes of 16-byte entries indexed by
 * LPID, big-endian, in host-real memory.  The thread keeps a copy of its
 * partition's entry, reloaded when L0 switches partitions or says it
 * rewrote the table (the hardware equivalent: tlbie RIC=2 PRS=0).
 *
 * A bare thread (PTCR = 0: unit tests of the MMU and the CPU) has no table;
 * mmu_set_partition_entry() gives it its entry directly.
 */
#include "mmu/mmu.h"

#include <string.h>

#define PATB_SIZE_BASE 12 /* partition table: 2^(PATS+12) bytes */

/* Entry lpid of the table PTCR points to; zero if it is outside the table or the memory. */
static void read_pate(const CPUState *cpu, uint64_t ptcr, uint32_t lpid, uint64_t *dw0, uint64_t *dw1)
{
    uint64_t base = ptcr & PTCR_PATB;
    uint64_t table_size = 1ULL << ((ptcr & PTCR_PATS) + PATB_SIZE_BASE);
    uint64_t off = (uint64_t)lpid * PATE_SIZE, v[2];
    *dw0 = *dw1 = 0;
    if (off >= table_size || base > cpu->mem.ram_size || cpu->mem.ram_size - base < off + PATE_SIZE)
        return;
    memcpy(v, cpu->mem.ram + base + off, sizeof(v));
    *dw0 = __builtin_bswap64(v[0]);
    *dw1 = __builtin_bswap64(v[1]);
}

void mmu_set_partition(CPUState *cpu, uint64_t ptcr, uint32_t lpid)
{
    cpu->spr[SPR_PTCR] = ptcr;
    cpu->spr[SPR_LPIDR] = lpid;
    cpu->mmu.lpid = lpid;
    read_pate(cpu, ptcr, lpid, &cpu->mmu.pate_dw0, &cpu->mmu.pate_dw1);
    cpu_mode_changed(cpu); /* contexts are per LPID */
}

void mmu_partition_table_changed(CPUState *cpu)
{
    read_pate(cpu, cpu->spr[SPR_PTCR], cpu->mmu.lpid, &cpu->mmu.pate_dw0, &cpu->mmu.pate_dw1);
    mmu_tlb_flush_all(cpu); /* every cached translation may come from the old entry */
    mmu_flush_partition_scope(cpu);
}

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
