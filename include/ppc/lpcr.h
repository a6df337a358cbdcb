/*
 * lpcr.h - Logical Partitioning Control Register bits (Power ISA v3.0B Book III 2.2).
 */
#ifndef PPC_LPCR_H
#define PPC_LPCR_H
#include "ppc/bits.h"

#define LPCR_DPFD   PPC_BITMASK(9, 11)    /* default prefetch depth */
#define LPCR_VRMASD PPC_BITMASK(12, 16)
#define LPCR_ILE    PPC_BIT(38)   /* interrupts little-endian */
#define LPCR_AIL    PPC_BITMASK(39, 40)
#define LPCR_AIL_SHIFT (63 - 40)
#define LPCR_UPRT   PPC_BIT(41)   /* use process table */
#define LPCR_EVIRT  PPC_BIT(42)   /* enhanced virtualisation: HEAI for HV-privileged ops */
#define LPCR_HR     PPC_BIT(43)   /* host radix */
#define LPCR_ONL    PPC_BIT(45)
#define LPCR_LD     PPC_BIT(46)   /* large decrementer */
#define LPCR_PECE   PPC_BITMASK(47, 51)
#define LPCR_MER    PPC_BIT(52)   /* mediated external request */
#define LPCR_GTSE   PPC_BIT(53)   /* guest translation shootdown enable */
#define LPCR_TC     PPC_BIT(54)
#define LPCR_HEIC   PPC_BIT(59)
#define LPCR_LPES   PPC_BIT(60)
#define LPCR_HVICE  PPC_BIT(62)
#define LPCR_HDICE  PPC_BIT(63)

#endif
