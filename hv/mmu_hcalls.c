/*
 * mmu_hcalls.c - L0's MMU hypercalls for a pseries partition:
 * H_REGISTER_PROCESS_TABLE (PAPR 14.5.4.x, "ibm,arch-vec-5" radix; Linux
 * pseries_lpar_register_process_table()).
 *
 * The registration is dw1 of the partition's entry in the machine's
 * partition table (hv/partition.h; dw0 is L0's partition-scoped tree):
 *   dw1 = PATE1_GR | process table base | size (radix), or the hash-table
 *         value QEMU stores for a hash registration (as QEMU's patb_entry).
 * Every vCPU reloads the entry.  LPCR[UPRT], [HR] and [GTSE] follow the
 * flags on every vCPU; LPCR[HR] is what makes the MMU translate effective
 * addresses with radix (mmu_partition_radix()), as on QEMU.
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

#define LPCR_MMU_MODE    (LPCR_UPRT | LPCR_HR | LPCR_GTSE)

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
    uint64_t cur_dw1 = hv_partition_process_table(&hv->part), dw1, lpcr = 0;
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
    if (flags & PROC_TABLE_RADIX)
        lpcr |= LPCR_UPRT | LPCR_HR;
    else if (flags & PROC_TABLE_HPT_PT)
        lpcr |= LPCR_UPRT;
    if (flags & PROC_TABLE_GTSE)
        lpcr |= LPCR_GTSE;
    hv_set_lpcr_all(hv, LPCR_MMU_MODE, lpcr);
    hv_partition_set_process_table(&hv->part, dw1); /* every vCPU reloads it and flushes */
    hv_trace(hv, HV_TRACE_MMU, "process table: pate dw1=0x%llx lpcr+=0x%llx", (unsigned long long)dw1,
             (unsigned long long)lpcr);
    return H_SUCCESS;
}
