/*
 * radix_fmt.h - radix translation table formats (Power ISA v3.0B Book III
 * 6.7.6 partition table, 6.7.7 process table, 6.7.10 radix tree entries,
 * 5.10.1 tlbie/tlbiel operands), shared by host and firmware.
 *
 * Every table entry is a big-endian doubleword in memory, whatever the
 * endianness of the CPU reading it; the values here are the host-order
 * value of that doubleword after the byte swap (radix/radix.h: the read
 * callback swaps).  Bit numbers are the ISA's (PPC_BIT(0) = MSB).
 *
 *     uint64_t pde = RADIX_PDE_V | next_table | RADIX_NLS_9;
 *     uint64_t pte = RADIX_PTE_V | RADIX_PTE_L | (ra & RADIX_PTE_RPN) |
 *                    RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_RW;
 */
#ifndef PPC_RADIX_FMT_H
#define PPC_RADIX_FMT_H
#include "ppc/bits.h"

/* ---- Partition Table Control Register (Book III 6.7.6.1) --------------- */
#define PTCR_PATB           PPC_BITMASK(4, 51)  /* partition table base */
#define PTCR_PATS           PPC_BITMASK(59, 63) /* table size = 2^(PATS+12) bytes */
#define PATE_SIZE           16                  /* bytes per partition-table entry */

/* ---- Partition-table entry doubleword 0: the partition-scoped root ------ */
#define PATE0_HR            PPC_BIT(0)          /* host (partition) uses radix */
#define RADIX_RTS1          PPC_BITMASK(1, 2)   /* radix tree size, high 2 bits */
#define RADIX_RTS1_SHIFT    (63 - 2)
#define RADIX_RPDB          PPC_BITMASK(4, 55)  /* root page directory base */
#define RADIX_RTS2          PPC_BITMASK(56, 58) /* radix tree size, low 3 bits */
#define RADIX_RTS2_SHIFT    (63 - 58)
#define RADIX_RPDS          PPC_BITMASK(59, 63) /* root directory index bits */
#define RADIX_RTS_ADDR_BASE 31                  /* address bits = RTS + 31 */

/* ---- Partition-table entry doubleword 1: the process table -------------- */
#define PATE1_GR            PPC_BIT(0)          /* guest (process scope) uses radix */
#define PATE1_PRTB          PPC_BITMASK(4, 51)  /* process table base */
#define PATE1_PRTS          PPC_BITMASK(59, 63) /* table size = 2^(PRTS+12) bytes */
#define PRTB_SIZE_BASE      12

/* ---- Process-table entry: dw0 is a root like PATE dw0 (without HR) ------ */
#define PRTE_SIZE           16                  /* bytes per process-table entry */

/* ---- Page directory entry (non-leaf) ------------------------------------ */
#define RADIX_PDE_V         PPC_BIT(0)          /* valid */
#define RADIX_PDE_L         PPC_BIT(1)          /* leaf: 0 in a PDE */
#define RADIX_PDE_NLB       PPC_BITMASK(4, 55)  /* next level base */
#define RADIX_PDE_NLS       PPC_BITMASK(59, 63) /* next level index bits */

/* ---- Page table entry (leaf, at any level below the root) --------------- */
#define RADIX_PTE_V         PPC_BIT(0)
#define RADIX_PTE_L         PPC_BIT(1)
#define RADIX_PTE_SW0       PPC_BIT(2)          /* software */
#define RADIX_PTE_RPN       PPC_BITMASK(7, 51)  /* real page number (0x01FFFFFFFFFFF000) */
#define RADIX_PTE_SW1       PPC_BITMASK(52, 54) /* software (0xE00) */
#define RADIX_PTE_R         PPC_BIT(55)         /* reference (0x100) */
#define RADIX_PTE_C         PPC_BIT(56)         /* change (0x80) */
#define RADIX_PTE_ATT       PPC_BITMASK(58, 59) /* attributes (0x30) */
#define RADIX_PTE_ATT_NORMAL       0x00ULL
#define RADIX_PTE_ATT_SAO          0x10ULL      /* strong access ordering */
#define RADIX_PTE_ATT_NON_IDEMPOTENT 0x20ULL    /* non-idempotent I/O: never executable */
#define RADIX_PTE_ATT_TOLERANT     0x30ULL      /* tolerant I/O */
#define RADIX_PTE_EAA       PPC_BITMASK(60, 63) /* encoded access authority */
#define RADIX_PTE_EAA_PRIV  PPC_BIT(60)         /* privileged: no problem-state access */
#define RADIX_PTE_EAA_READ  PPC_BIT(61)         /* read */
#define RADIX_PTE_EAA_RW    PPC_BIT(62)         /* read and write */
#define RADIX_PTE_EAA_EXEC  PPC_BIT(63)         /* execute */
#define RADIX_PTE_SW        (RADIX_PTE_SW0 | RADIX_PTE_SW1)
/* The bits a caller chooses in a leaf (everything but V, L and RPN). */
#define RADIX_PTE_FLAGS     (RADIX_PTE_SW | RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_ATT | RADIX_PTE_EAA)

/* ---- Shapes: index bits per level (Linux's; all POWER9 accepts) --------- */
#define RADIX_ADDR_BITS_52  52                  /* effective/guest real space of a 52-bit tree */
#define RADIX_RTS_52        (RADIX_ADDR_BITS_52 - RADIX_RTS_ADDR_BASE)  /* 21 */
#define RADIX_ROOT_NLS      13                  /* level 0: 8192 entries of 512 GiB */
#define RADIX_MID_NLS       9                   /* levels 1, 2: 512 entries of 1 GiB / 2 MiB */
#define RADIX_LAST_NLS_4K   9                   /* level 3: 512 4 KiB pages */
#define RADIX_LAST_NLS_64K  5                   /* level 3:  32 64 KiB pages */
#define RADIX_MIN_NLS       5                   /* smallest directory the ISA allows */
#define RADIX_ENTRY_BYTES   8
/* Page sizes (log2 bytes) */
#define RADIX_SHIFT_4K      12
#define RADIX_SHIFT_64K     16
#define RADIX_SHIFT_2M      21
#define RADIX_SHIFT_1G      30
#define RADIX_RA_BITS       57                  /* RPN bits 7:51: real addresses below 2^57 */

/* ---- Effective-address form (Book III 6.7.3, radix) --------------------- */
#define RADIX_EA_QUADRANT   PPC_BITMASK(0, 1)   /* 0: PIDR, 3: PID 0; 1, 2: hypervisor only */
#define RADIX_EA_QUADRANT_SHIFT 62
#define RADIX_EA_Q0         0
#define RADIX_EA_Q3         3
#define RADIX_EA_RESERVED_52 PPC_BITMASK(2, 11) /* must be 0 for a 52-bit tree */
#define RADIX_EA_OFFSET     PPC_BITMASK(2, 63)  /* what the tree translates */

/* ---- tlbie / tlbiel operands (Book III 5.10.1) -------------------------- */
#define TLBIE_RB_EPN        PPC_BITMASK(0, 51)  /* effective page number */
#define TLBIE_RB_SET        PPC_BITMASK(40, 51) /* tlbiel: congruence class */
#define TLBIE_RB_SET_SHIFT  (63 - 51)
#define TLBIE_RB_IS         PPC_BITMASK(52, 53) /* invalidation selector */
#define TLBIE_RB_IS_SHIFT   (63 - 53)
#define TLBIE_RB_AP         PPC_BITMASK(56, 58) /* actual page size */
#define TLBIE_RB_AP_SHIFT   (63 - 58)
#define TLBIE_RS_PID        PPC_BITMASK(0, 31)
#define TLBIE_RS_PID_SHIFT  32
#define TLBIE_RS_LPID       PPC_BITMASK(32, 63)
/* IS values */
#define TLBIE_IS_VA         0                   /* one page */
#define TLBIE_IS_PID        1                   /* a PID (tlbiel: a set of it) */
#define TLBIE_IS_LPID       2                   /* an LPID */
#define TLBIE_IS_ALL        3                   /* everything */
/* RIC values */
#define TLBIE_RIC_TLB       0                   /* TLB entries */
#define TLBIE_RIC_PWC       1                   /* page walk cache */
#define TLBIE_RIC_ALL       2                   /* both, and cached table entries */
#define TLBIE_RIC_GRP       3                   /* reserved form */
/* AP encodings of the radix page sizes */
#define RADIX_AP_4K         0
#define RADIX_AP_2M         1
#define RADIX_AP_1G         2
#define RADIX_AP_64K        5

/* ---- H_REGISTER_PROCESS_TABLE flags (PAPR; Linux hvcall.h PROC_TABLE_*) -- */
#define PROC_TABLE_FLAGS_MASK 0x1FULL
#define PROC_TABLE_MODIFY   0x10                /* else: keep the current registration */
#define PROC_TABLE_REGISTER 0x08                /* with MODIFY: register, else deregister */
#define PROC_TABLE_RADIX    0x04                /* radix process table */
#define PROC_TABLE_HPT_PT   0x02                /* hash with segment tables */
#define PROC_TABLE_GTSE     0x01                /* guest translation shootdown (tlbie) */
#define PROC_TABLE_NEW      (PROC_TABLE_MODIFY | PROC_TABLE_REGISTER)
#define PROC_TABLE_MAX_SIZE 24                  /* table_size: 2^(size+12) bytes at most */

#endif
