/*
 * msr.h - Machine State Register bits (Power ISA v3.0B Book III 4.2.1).
 */
#ifndef PPC_MSR_H
#define PPC_MSR_H
#include "ppc/bits.h"

#define MSR_SF   PPC_BIT(0)   /* 64-bit mode */
#define MSR_HV   PPC_BIT(3)   /* hypervisor state */
#define MSR_TS   PPC_BITMASK(29, 30) /* transaction state (TM) */
#define MSR_TM   PPC_BIT(31)
#define MSR_VEC  PPC_BIT(38)  /* VMX available */
#define MSR_VSX  PPC_BIT(40)  /* VSX available */
#define MSR_S    PPC_BIT(41)  /* secure */
#define MSR_EE   PPC_BIT(48)  /* external interrupt enable */
#define MSR_PR   PPC_BIT(49)  /* problem state */
#define MSR_FP   PPC_BIT(50)  /* floating point available */
#define MSR_ME   PPC_BIT(51)  /* machine check enable */
#define MSR_FE0  PPC_BIT(52)
#define MSR_SE   PPC_BIT(53)  /* single-step trace */
#define MSR_BE   PPC_BIT(54)  /* branch trace */
#define MSR_FE1  PPC_BIT(55)
#define MSR_IR   PPC_BIT(58)  /* instruction relocate */
#define MSR_DR   PPC_BIT(59)  /* data relocate */
#define MSR_PMM  PPC_BIT(61)
#define MSR_RI   PPC_BIT(62)  /* recoverable interrupt */
#define MSR_LE   PPC_BIT(63)  /* little-endian mode */

#endif
