/*
 * spr.h - the POWER9 Special Purpose Registers an emulated thread knows.
 *
 * One X-macro list, SPR_LIST(X), is the only place SPR numbers live; it feeds
 * the SPR_<NAME> constants, the mtspr/mfspr dispatch table (cpu/spr.c), trace
 * names and (later) the Guest State Buffer map.
 *
 *   X(NAME, number, read access, write access, width, kind)
 *
 * Access, for mfspr (read) and mtspr (write) by the guest:
 *   U  problem state and up (a kind may add a facility check, see below)
 *   P  privileged: supervisor only; problem state gets a privileged
 *      instruction program interrupt
 *   H  hypervisor: the guest (never in hypervisor state) gets
 *      cpu_raise_hv_priv() -- privileged program interrupt, or HEAI with
 *      LPCR[EVIRT] from supervisor state
 *   N  the number exists but not in this direction (e.g. PVR writes, TB
 *      writes at 268): privileged program interrupt in every state
 *   O  known to the emulator (hypervisor state it keeps in cpu->spr[]) but
 *      not implemented for guest access: behaves as an undefined SPR number
 * Width 32: the register holds bits 32:63 only (mtspr drops the high word,
 * mfspr returns it zero-extended).  Width 64: all bits.
 * Kind: how the value is kept (cpu/spr.c); G = plain cpu->spr[number].
 *
 * The set of numbers, their access and their widths are those a pseries
 * guest sees on QEMU 7.2 (-M pseries -cpu power9), measured by
 * firmware/tests/isa/spr_sweep.c; where QEMU differs from Power ISA v3.0B
 * Book III 5.4.4 the difference is noted at the entry.  Notably QEMU keeps
 * DSISR, PIDR, the PMCs and VRSAVE as 64-bit registers, and has no DSCR
 * problem-state alias (3), PPR32 (898), PSSCR (823/855) or HEIR for a guest.
 */
#ifndef PPC_SPR_H
#define PPC_SPR_H

#define SPR_ACCESS_N 0
#define SPR_ACCESS_U 1
#define SPR_ACCESS_P 2
#define SPR_ACCESS_H 3
#define SPR_ACCESS_O 4

#define SPR_NUM 1024            /* SPR numbers are 10 bits */

#define SPR_LIST(X) \
    X(XER,      1,    U, U, 64, XER)      /* split fields in CPUState */ \
    X(LR,       8,    U, U, 64, LR)       \
    X(CTR,      9,    U, U, 64, CTR)      \
    X(AMR_U,    13,   U, U, 64, AMR_U)    /* writes masked by UAMOR (PR) / AMOR (sv); QEMU reads 0 (bug) */ \
    X(DSCR,     17,   P, P, 64, G)        \
    X(DSISR,    18,   P, P, 64, G)        /* ISA: 32 bits; QEMU keeps 64 */ \
    X(DAR,      19,   P, P, 64, G)        \
    X(DEC,      22,   P, P, 64, DEC)      \
    X(SRR0,     26,   P, P, 64, G)        \
    X(SRR1,     27,   P, P, 64, G)        \
    X(CFAR,     28,   P, P, 64, G)        /* set by taken branches and rfid */ \
    X(AMR,      29,   P, P, 64, PIDR)     /* kind PIDR: key 0 is part of the TLB context */ \
    X(ACOP,     31,   P, P, 64, G)        \
    X(PIDR,     48,   P, P, 64, PIDR)     /* ISA: 32 bits; QEMU keeps 64 */ \
    X(IAMR,     61,   P, P, 64, PIDR)     /* kind PIDR: key 0 is part of the TLB context */ \
    X(TFHAR,    128,  U, U, 64, TM)       \
    X(TFIAR,    129,  U, U, 64, TM)       \
    X(TEXASR,   130,  U, U, 64, TM)       \
    X(TEXASRU,  131,  U, U, 32, TM_UPPER) /* upper half of TEXASR */ \
    X(CTRL_RD,  136,  U, N, 64, CTRL_RD)  /* reads CTRL */ \
    X(TIDR,     144,  P, P, 64, G)        \
    X(CTRL,     152,  N, P, 64, G)        /* ISA: 32 bits; QEMU keeps 64 */ \
    X(FSCR,     153,  P, P, 64, G)        \
    X(UAMOR,    157,  P, P, 64, G)        \
    X(PSPB,     159,  P, P, 32, G)        \
    X(DPDES,    176,  P, H, 64, G)        \
    X(DAWR0,    180,  H, H, 64, G)        \
    X(RPR,      186,  H, H, 64, G)        \
    X(CIABR,    187,  H, H, 64, G)        \
    X(DAWRX0,   188,  H, H, 32, G)        \
    X(HFSCR,    190,  H, H, 64, G)        \
    X(VRSAVE,   256,  U, U, 64, G)        /* ISA: 32 bits; QEMU keeps 64 */ \
    X(SPRG3_U,  259,  U, N, 64, SPRG3_U)  /* reads SPRG3 */ \
    X(TB,       268,  U, N, 64, TB)       \
    X(TBU,      269,  U, N, 32, TBU)      \
    X(SPRG0,    272,  P, P, 64, G)        \
    X(SPRG1,    273,  P, P, 64, G)        \
    X(SPRG2,    274,  P, P, 64, G)        \
    X(SPRG3,    275,  P, P, 64, G)        \
    X(EAR,      282,  P, P, 64, G)        \
    X(TBL_W,    284,  U, H, 64, TB)       /* QEMU reads the TB here, and lets the OS write it (a bug) */ \
    X(TBU_W,    285,  U, H, 32, TBU)      /* idem for TBU */ \
    X(TBU40,    286,  H, H, 64, G)        \
    X(PVR,      287,  P, N, 32, G)        \
    X(HSPRG0,   304,  H, H, 64, G)        \
    X(HSPRG1,   305,  H, H, 64, G)        \
    X(HDSISR,   306,  H, H, 32, G)        \
    X(HDAR,     307,  H, H, 64, G)        \
    X(SPURR,    308,  U, H, 64, PURR)     \
    X(PURR,     309,  U, H, 64, PURR)     \
    X(HDEC,     310,  H, H, 64, G)        \
    X(HRMOR,    313,  H, H, 64, G)        \
    X(HSRR0,    314,  H, H, 64, G)        \
    X(HSRR1,    315,  H, H, 64, G)        \
    X(IMPL_316, 316,  H, H, 64, G)        /* hypervisor SPR QEMU 7.2 registers */ \
    X(TFMR,     317,  H, H, 64, G)        \
    X(LPCR,     318,  H, H, 64, G)        \
    X(LPIDR,    319,  H, H, 32, G)        \
    X(HMER,     336,  H, H, 64, G)        \
    X(HMEER,    337,  H, H, 64, G)        \
    X(PCR,      338,  H, H, 64, G)        \
    X(HEIR,     339,  O, O, 32, G)        \
    X(AMOR,     349,  H, H, 64, G)        \
    X(TIR,      446,  P, N, 32, G)        \
    X(PTCR,     464,  H, H, 64, G)        \
    X(USIER,    768,  U, U, 64, PMU_B)    /* problem-state aliases: SPR number + 16 */ \
    X(UMMCR2,   769,  U, U, 64, PMU_A)    \
    X(UMMCRA,   770,  U, U, 64, PMU_B)    \
    X(UPMC1,    771,  U, U, 64, PMU_A)    \
    X(UPMC2,    772,  U, U, 64, PMU_A)    \
    X(UPMC3,    773,  U, U, 64, PMU_A)    \
    X(UPMC4,    774,  U, U, 64, PMU_A)    \
    X(UPMC5,    775,  U, U, 64, PMU_A56)  \
    X(UPMC6,    776,  U, U, 64, PMU_A56)  \
    X(UMMCR0,   779,  U, U, 64, PMU_A)    \
    X(USIAR,    780,  U, U, 64, PMU_B)    \
    X(USDAR,    781,  U, U, 64, PMU_B)    \
    X(UMMCR1,   782,  U, U, 64, PMU_B)    \
    X(SIER,     784,  P, P, 64, G)        \
    X(MMCR2,    785,  P, P, 64, G)        \
    X(MMCRA,    786,  P, P, 64, G)        \
    X(PMC1,     787,  P, P, 64, G)        /* ISA: 32 bits; QEMU keeps 64 */ \
    X(PMC2,     788,  P, P, 64, G)        \
    X(PMC3,     789,  P, P, 64, G)        \
    X(PMC4,     790,  P, P, 64, G)        \
    X(PMC5,     791,  P, P, 64, G)        \
    X(PMC6,     792,  P, P, 64, G)        \
    X(MMCR0,    795,  P, P, 64, G)        \
    X(SIAR,     796,  P, P, 64, G)        \
    X(SDAR,     797,  P, P, 64, G)        \
    X(MMCR1,    798,  P, P, 64, G)        \
    X(BESCRS,   800,  U, U, 64, EBB)      /* QEMU: plain registers, no set/reset */ \
    X(BESCRSU,  801,  U, U, 32, EBB_UPPER) /* upper half of BESCRS */ \
    X(BESCRR,   802,  U, U, 64, EBB)      \
    X(BESCRRU,  803,  U, U, 32, EBB_UPPER) /* upper half of BESCRR */ \
    X(EBBHR,    804,  U, U, 64, EBB)      \
    X(EBBRR,    805,  U, U, 64, EBB)      \
    X(BESCR,    806,  U, U, 64, EBB)      \
    X(TAR,      815,  U, U, 64, TAR)      \
    X(ASDR,     816,  H, H, 64, G)        \
    X(IC,       848,  P, H, 64, G)        \
    X(VTB,      849,  P, H, 64, TB)       /* counts like the TB (QEMU) */        \
    X(MMCRC,    851,  H, H, 64, G)        \
    X(SPMC1,    888,  P, P, 64, G)        /* 888..895: implementation SPRs QEMU gives the OS */ \
    X(SPMC2,    889,  P, P, 64, G)        \
    X(IMPL_890, 890,  P, P, 64, G)        \
    X(IMPL_892, 892,  P, P, 64, G)        \
    X(IMPL_893, 893,  P, P, 64, G)        \
    X(MMCRS,    894,  P, P, 64, G)        \
    X(WORT,     895,  P, P, 64, G)        \
    X(PPR,      896,  U, U, 64, G)        \
    X(TSCR,     921,  H, H, 64, G)        \
    X(HID0,     1008, H, H, 64, G)        \
    X(PIR,      1023, P, N, 32, PIR)

#define SPR_ENUM_(name, num, r, w, width, kind) SPR_##name = num,
enum { SPR_LIST(SPR_ENUM_) };
#undef SPR_ENUM_

/*
 * SPR numbers with no register: mfspr/mtspr of them are no-ops in every
 * state (Power ISA 2.07 reserved them for no-op use; QEMU 7.2 does the same).
 */
#define SPR_NOP_FIRST 808
#define SPR_NOP_LAST  811

#endif
