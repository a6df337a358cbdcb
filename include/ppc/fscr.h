/*
 * fscr.h - Facility Status and Control Register (Power ISA v3.0B Book III
 * 6.2.9) and the performance-monitor MMCR0 bits that gate problem-state
 * access to PMU SPRs (Book III 9.4.4).  Shared by host and firmware.
 */
#ifndef PPC_FSCR_H
#define PPC_FSCR_H
#include "ppc/bits.h"

/* FSCR[IC] (bits 0:7): the facility behind the last facility-unavailable interrupt. */
#define FSCR_IC_MASK    PPC_BITMASK(0, 7)
#define FSCR_IC_SHIFT   (63 - 7)
#define FSCR_IC_DSCR    2       /* problem-state DSCR access */
#define FSCR_IC_PM      3       /* performance monitor SPRs */
#define FSCR_IC_BHRB    4
#define FSCR_IC_TM      5       /* transactional memory */
#define FSCR_IC_EBB     7       /* event-based branch */
#define FSCR_IC_TAR     8       /* target address register */
#define FSCR_IC_MSGP    9
#define FSCR_IC_SCV     12      /* scv instruction */

/* Facility enable bits. */
#define FSCR_SCV        PPC_BIT(51)
#define FSCR_MSGP       PPC_BIT(52)
#define FSCR_TAR        PPC_BIT(55)
#define FSCR_EBB        PPC_BIT(56)
#define FSCR_TM         PPC_BIT(58)
#define FSCR_PM         PPC_BIT(60)
#define FSCR_DSCR       PPC_BIT(61)

/* MMCR0 */
#define MMCR0_FC        PPC_BIT(32)     /* freeze counters */
#define MMCR0_PMAE      PPC_BIT(37)     /* performance monitor alert enable */
#define MMCR0_PMCC      PPC_BITMASK(44, 45) /* problem-state access control */
#define MMCR0_PMCC_SHIFT (63 - 45)
#define MMCR0_PMAO      PPC_BIT(56)     /* alert occurred */

#endif
