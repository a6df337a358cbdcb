/*
 * mmu_hcalls.c - L0's MMU hypercalls for a pseries partition:
 * H_REGISTER_PROCESS_TABLE (PAPR 14.5.4.x, "ibm,arch-vec-5" radix; Linux
 * pseries_lpar_register_process_table()).
 *
 * L0 holds the partition-table entry of the partition (there is no
 * partition table in memory for it yet) and hands it to every vCPU's MMU
 * (mmu_set_partition_entry), as QEMU's spapr keeps patb_entry:
 *   dw0 = PATE0_HR when the partition translates with radix;
 *   dw1 = PATE1_GR | process table base | size (radix), or the hash-table
 *         value QEMU stores for a hash registration.
 * LPCR[UPRT], [HR] and [GTSE] follow the flags on every vCPU.
 *
 * Arguments are checked exactly as QEMU 7.2's h_register_process_table
 * does (firmware/tests/mmu/hcall.c compares the answers):
 *   flags beyond 0x1F                       -> H_PARAMETER
 *   register radix: base & 0xFFF, base>>60  -> H_P2; page_size != 0 -> H_P3;
 *                   table_size > 24         -> H_P4
 *   register hash with segment tables       -> H_PARAMETER
 *   register hash: base >> 38 -> H_P2; page_size & ~7 -> H_P3; size > 24 -> H_P4
 *   keep (MODIFY = 0) with RADIX unlike the current registration -> H_PARAMETER
 *   deregister: the entry keeps only its GR bit
 * The base is not checked against the partition's memory (QEMU does not
 * either): a table that is misaligned or outside RAM shows up at
 * translation time, as a BADCONFIG storage interrupt.
 *
 * Hash.  nesthv has no hashed page table.  A hash registration is answered
 * like QEMU does (H_SUCCESS) and leaves the partition in hash mode, which
 * nesthv implements as a hash MMU with an empty SLB: every relocated access
 * takes a segment interrupt -- exactly what a guest sees on QEMU before it
 * loads its SLB, and the state the partition boots in.  The SLB
 * instructions themselves are not implemented (illegal instruction).
 */
#include "hv/hv.h"
#include "mmu/mmu.h"
#include "ppc/hcall.h"
#include "ppc/radix_fmt.h"

#define HASH_BASE_BITS   38   /* hash registration: base < 2^38 */
#define HASH_BASE_SHIFT  25   /* ... stored at bit 25 of the entry */
#define HASH_PS_MASK     0x7ULL
#define HASH_PS_SHIFT    5
#define RADIX_BASE_LOW   0xFFFULL
#define RADIX_BASE_BITS  60   /* radix registration: base < 2^60 */

typedef struct PateUpdate {
    uint64_t dw0, dw1, lpcr;
} PateUpdate;

static void install(CPUState *cpu, void *arg)
{
    const PateUpdate *u = arg;
    const uint64_t mask = LPCR_UPRT | LPCR_HR | LPCR_GTSE;
    cpu->spr[SPR_LPCR] = (cpu->spr[SPR_LPCR] & ~mask) | (u->lpcr & mask);
    mmu_set_partition_entry(cpu, u->dw0, u->dw1);
    cpu_mode_changed(cpu);
}

/* The new dw1 for a registration (MODIFY | REGISTER), or an H_* error. */
static long registered_entry(uint64_t flags, uint64_t base, uint64_t page_size, uint64_t table_size,
                             uint64_t *dw1)
{
    if (flags & PROC_TABLE_RADIX) {
        if ((base & RADIX_BASE_LOW) || (base >> RADIX_BASE_BITS))
            return H_P2;
        if (page_size)
            return H_P3;
        if (table_size > PROC_TABLE_MAX_SIZE)
            return H_P4;
        *dw1 = PATE1_GR | base | table_size;
        return H_SUCCESS;
    }
    if (flags & PROC_TABLE_HPT_PT) /* hash with segment tables: QEMU has no such mode either */
        return H_PARAMETER;
    if (base >> HASH_BASE_BITS)
        return H_P2;
    if (page_size & ~HASH_PS_MASK)
        return H_P3;
    if (table_size > PROC_TABLE_MAX_SIZE)
        return H_P4;
    *dw1 = (base << HASH_BASE_SHIFT) | (page_size << HASH_PS_SHIFT) | table_size;
    return H_SUCCESS;
}

/* H_REGISTER_PROCESS_TABLE(flags, base, page_size, table_size) */
long hv_h_register_process_table(Hv *hv, CPUState *cpu)
{
    uint64_t flags = cpu->gpr[4], base = cpu->gpr[5], page_size = cpu->gpr[6], table_size = cpu->gpr[7];
    uint64_t cur_dw0, cur_dw1, dw1;
    mmu_get_partition_entry(cpu, &cur_dw0, &cur_dw1);
    if (flags & ~PROC_TABLE_FLAGS_MASK)
        return H_PARAMETER;
    if (!(flags & PROC_TABLE_MODIFY)) {
        if (!(flags & PROC_TABLE_RADIX) != !(cur_dw1 & PATE1_GR))
            return H_PARAMETER; /* "keep" with the other translation mode */
        dw1 = cur_dw1;
    } else if (flags & PROC_TABLE_REGISTER) {
        long rc = registered_entry(flags, base, page_size, table_size, &dw1);
        if (rc != H_SUCCESS)
            return rc;
    } else {
        dw1 = cur_dw1 & PATE1_GR; /* deregister */
    }
    PateUpdate u = { (flags & PROC_TABLE_RADIX) ? PATE0_HR : 0, dw1, 0 };
    if (flags & PROC_TABLE_RADIX)
        u.lpcr |= LPCR_UPRT | LPCR_HR;
    else if (flags & PROC_TABLE_HPT_PT)
        u.lpcr |= LPCR_UPRT;
    if (flags & PROC_TABLE_GTSE)
        u.lpcr |= LPCR_GTSE;
    hv_for_each_vcpu(hv, install, &u);
    hv_trace(hv, HV_TRACE_MMU, "process table: pate dw0=0x%llx dw1=0x%llx lpcr+=0x%llx", (unsigned long long)u.dw0,
             (unsigned long long)u.dw1, (unsigned long long)u.lpcr);
    return H_SUCCESS;
}
