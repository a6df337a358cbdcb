/*
 * ppr.h - Program Priority Register (SPR 896) thread-priority field and the
 * "or Rx,Rx,Rx" hints that set it (Power ISA v3.0B Book II 3.2 and 4.3,
 * Book III 4.3.x "Program Priority Register").
 */
#ifndef PPC_PPR_H
#define PPC_PPR_H
#include "ppc/bits.h"

#define PPR_PRI        PPC_BITMASK(11, 13)  /* thread priority */
#define PPR_PRI_SHIFT  (63 - 13)

/* Priority values in PPR[PRI]. */
#define PPR_PRI_VERY_LOW    1
#define PPR_PRI_LOW         2
#define PPR_PRI_MEDIUM_LOW  3
#define PPR_PRI_MEDIUM      4
#define PPR_PRI_MEDIUM_HIGH 5
#define PPR_PRI_HIGH        6
#define PPR_PRI_VERY_HIGH   7

/* The register number N of the hint "or N,N,N" that requests each priority. */
#define PPR_HINT_VERY_LOW    31   /* privileged */
#define PPR_HINT_LOW         1
#define PPR_HINT_MEDIUM_LOW  6
#define PPR_HINT_MEDIUM      2
#define PPR_HINT_MEDIUM_HIGH 5    /* privileged */
#define PPR_HINT_HIGH        3    /* privileged */
#define PPR_HINT_VERY_HIGH   7    /* hypervisor only */

#endif
