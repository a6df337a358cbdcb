/*
 * excp.h - interrupt vectors and SRR1/DSISR cause bits
 * (Power ISA v3.0B Book III 7.5 "Interrupt Definitions").
 */
#ifndef PPC_EXCP_H
#define PPC_EXCP_H
#include "ppc/bits.h"

/* Vector offsets */
#define EXCP_RESET      0x100
#define EXCP_MCHECK     0x200
#define EXCP_DSI        0x300
#define EXCP_DSEG       0x380
#define EXCP_ISI        0x400
#define EXCP_ISEG       0x480
#define EXCP_EXTERNAL   0x500
#define EXCP_ALIGN      0x600
#define EXCP_PROGRAM    0x700
#define EXCP_FPU        0x800
#define EXCP_DECR       0x900
#define EXCP_HDECR      0x980
#define EXCP_DOORBELL   0xA00
#define EXCP_SYSCALL    0xC00   /* sc 0 to the OS; sc 1 to the hypervisor (hcall) */
#define EXCP_TRACE      0xD00
#define EXCP_HDSI       0xE00
#define EXCP_HISI       0xE20
#define EXCP_HEAI       0xE40   /* hypervisor emulation assistance */
#define EXCP_HMI        0xE60
#define EXCP_HDOORBELL  0xE80
#define EXCP_HVIRT      0xEA0
#define EXCP_PERFM      0xF00
#define EXCP_VMX_UNAVAIL 0xF20
#define EXCP_VSX_UNAVAIL 0xF40
#define EXCP_FAC_UNAVAIL 0xF60
#define EXCP_HFAC_UNAVAIL 0xF80
#define EXCP_SOFTPATCH  0x1500
#define EXCP_SCV        0x17000 /* + 0x20 * LEV (system call vectored) */

/* AIL relocation (Book III 7.5, LPCR[AIL]) */
#define AIL_OFFSET_2    0x18000ULL
#define AIL_OFFSET_3    0xC000000000004000ULL

/* SRR1 bits 33:36 and 42:47 are interrupt specific; the rest come from the MSR. */
#define SRR1_MSR_KEEP   (~(PPC_BITMASK(33, 36) | PPC_BITMASK(42, 47)))

/* Program interrupt causes in SRR1 */
#define SRR1_PROG_FP      PPC_BIT(43)  /* floating-point enabled exception */
#define SRR1_PROG_ILLEGAL PPC_BIT(44)  /* illegal instruction */
#define SRR1_PROG_PRIV    PPC_BIT(45)  /* privileged instruction */
#define SRR1_PROG_TRAP    PPC_BIT(46)  /* trap */
#define SRR1_PROG_NEXT    PPC_BIT(47)  /* SRR0 holds the next instruction */

/* ISI causes in SRR1 (same bit positions as DSISR) */
#define SRR1_ISI_NOPTE    PPC_BIT(33)
#define SRR1_ISI_NOEXEC   PPC_BIT(35)
#define SRR1_ISI_PROT     PPC_BIT(36)

/* Trace interrupt: SRR1 bit 33 reports an instruction-completion trace (POWER8/9). */
#define SRR1_TRACE        PPC_BIT(33)

/*
 * Machine check causes, POWER9 encoding (implementation specific), for an
 * access to a real address with nothing behind it -- exactly what QEMU
 * 10.0 reports there (QEMU 7.2 raises no machine check at all, see
 * firmware/tests/isa/ldst_mcheck.c):
 * SRR1[42] = load/store, DAR valid.  A load also sets DSISR[57] ("real
 * address error on load" in Linux's P9 decoding); a store sets
 * SRR1[36,43:45] = 0b1101 and leaves DSISR alone; an instruction fetch sets
 * SRR1[36,43:45] = 0b1011 and leaves DAR and DSISR alone.
 */
#define SRR1_MC_LOADSTORE     PPC_BIT(42)
#define SRR1_MC_STORE         (PPC_BIT(36) | PPC_BIT(43) | PPC_BIT(45))
#define SRR1_MC_IFETCH        (PPC_BIT(36) | PPC_BIT(44) | PPC_BIT(45))
#define DSISR_MC_LOAD         0x00000040U   /* DSISR[57] */

/* Wake-reason / other */
#define SRR1_WAKE_DEC     (0x6ULL << (63 - 45))

/* DSISR / HDSISR cause bits (32-bit register, ISA bit numbers 32..63) */
#define DSISR_NOPTE         0x40000000U
#define DSISR_NOEXEC_OR_G   0x10000000U
#define DSISR_PROTFAULT     0x08000000U
#define DSISR_ISSTORE       0x02000000U
#define DSISR_DABRMATCH     0x00400000U
#define DSISR_BADCONFIG     0x00080000U   /* a.k.a. UNSUPP_MMU */
#define DSISR_PRTABLE_FAULT 0x00020000U
#define DSISR_ATOMIC_RC     0x00040000U

#endif
