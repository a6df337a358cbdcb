/*
 * spr.h - the POWER9 Special Purpose Registers an emulated thread knows.
 *
 * One X-macro list, SPR_LIST(X), is the only place SPR numbers live; it feeds
 * the SPR_<NAME> constants, mtspr/mfspr privilege and width checks
 * (cpu/spr.c), trace names and (later) the Guest State Buffer map.
 *
 *   X(NAME, number, read access, write access, width in bits)
 *
 * Access levels: U = problem state and up, P = privileged (supervisor) and
 * up, H = hypervisor only, N = no access through this number (the other
 * direction of a split read/write pair, e.g. TB is read at 268 but written
 * as TBL 284).  Width 32 means the register holds 32 bits: mfspr returns
 * them zero-extended and mtspr drops the high word.
 * Source: Power ISA v3.0B Book III 5.4.4 (SPR tables) and Book II 5, 6.
 */
#ifndef PPC_SPR_H
#define PPC_SPR_H

#define SPR_ACCESS_N 0
#define SPR_ACCESS_U 1
#define SPR_ACCESS_P 2
#define SPR_ACCESS_H 3

#define SPR_LIST(X) \
    X(XER,      1,   U, U, 64) \
    X(DSCR_U,   3,   U, U, 64) \
    X(LR,       8,   U, U, 64) \
    X(CTR,      9,   U, U, 64) \
    X(AMR_U,    13,  U, U, 64) \
    X(DSCR,     17,  P, P, 64) \
    X(DSISR,    18,  P, P, 32) \
    X(DAR,      19,  P, P, 64) \
    X(DEC,      22,  P, P, 64) \
    X(SRR0,     26,  P, P, 64) \
    X(SRR1,     27,  P, P, 64) \
    X(CFAR,     28,  P, P, 64) \
    X(AMR,      29,  P, P, 64) \
    X(PIDR,     48,  P, P, 32) \
    X(IAMR,     61,  P, P, 64) \
    X(TFHAR,    128, U, U, 64) \
    X(TFIAR,    129, U, U, 64) \
    X(TEXASR,   130, U, U, 64) \
    X(TEXASRU,  131, U, U, 32) \
    X(CTRL_RD,  136, U, N, 32) \
    X(CTRL,     152, N, P, 32) \
    X(FSCR,     153, P, P, 64) \
    X(UAMOR,    157, P, P, 64) \
    X(PSPB,     159, P, P, 32) \
    X(DPDES,    176, P, H, 64) \
    X(DAWR0,    180, H, H, 64) \
    X(DAWR1,    181, H, H, 64) \
    X(RPR,      186, H, H, 64) \
    X(CIABR,    187, H, H, 64) \
    X(DAWRX0,   188, H, H, 32) \
    X(DAWRX1,   189, H, H, 32) \
    X(HFSCR,    190, H, H, 64) \
    X(VRSAVE,   256, U, U, 32) \
    X(SPRG3_U,  259, U, N, 64) \
    X(TB,       268, U, N, 64) \
    X(TBU,      269, U, N, 32) \
    X(SPRG0,    272, P, P, 64) \
    X(SPRG1,    273, P, P, 64) \
    X(SPRG2,    274, P, P, 64) \
    X(SPRG3,    275, P, P, 64) \
    X(TBL_W,    284, N, H, 32) \
    X(TBU_W,    285, N, H, 32) \
    X(TBU40,    286, N, H, 64) \
    X(PVR,      287, P, N, 32) \
    X(HSPRG0,   304, H, H, 64) \
    X(HSPRG1,   305, H, H, 64) \
    X(HDSISR,   306, H, H, 32) \
    X(HDAR,     307, H, H, 64) \
    X(SPURR,    308, P, H, 64) \
    X(PURR,     309, P, H, 64) \
    X(HDEC,     310, H, H, 64) \
    X(HRMOR,    313, H, H, 64) \
    X(HSRR0,    314, H, H, 64) \
    X(HSRR1,    315, H, H, 64) \
    X(LPCR,     318, H, H, 64) \
    X(LPIDR,    319, H, H, 32) \
    X(HMER,     336, H, H, 64) \
    X(HMEER,    337, H, H, 64) \
    X(PCR,      338, H, H, 64) \
    X(HEIR,     339, H, H, 32) \
    X(AMOR,     349, H, H, 64) \
    X(IC,       350, P, H, 64) \
    X(VTB,      351, P, H, 64) \
    X(TIR,      446, P, N, 32) \
    X(PTCR,     464, H, H, 64) \
    X(UMMCR2,   769, U, U, 64) \
    X(UMMCRA,   770, U, U, 64) \
    X(UPMC1,    771, U, U, 32) \
    X(UPMC2,    772, U, U, 32) \
    X(UPMC3,    773, U, U, 32) \
    X(UPMC4,    774, U, U, 32) \
    X(UPMC5,    775, U, U, 32) \
    X(UPMC6,    776, U, U, 32) \
    X(UMMCR0,   779, U, U, 64) \
    X(USIAR,    780, U, U, 64) \
    X(USDAR,    781, U, U, 64) \
    X(UMMCR1,   782, U, U, 64) \
    X(SIER,     784, P, P, 64) \
    X(MMCR2,    785, P, P, 64) \
    X(MMCRA,    786, P, P, 64) \
    X(PMC1,     787, P, P, 32) \
    X(PMC2,     788, P, P, 32) \
    X(PMC3,     789, P, P, 32) \
    X(PMC4,     790, P, P, 32) \
    X(PMC5,     791, P, P, 32) \
    X(PMC6,     792, P, P, 32) \
    X(MMCR0,    795, P, P, 64) \
    X(SIAR,     796, P, P, 64) \
    X(SDAR,     797, P, P, 64) \
    X(MMCR1,    798, P, P, 64) \
    X(BESCRS,   800, U, U, 64) \
    X(BESCRSU,  801, U, U, 32) \
    X(BESCRR,   802, U, U, 64) \
    X(BESCRRU,  803, U, U, 32) \
    X(EBBHR,    804, U, U, 64) \
    X(EBBRR,    805, U, U, 64) \
    X(BESCR,    806, U, U, 64) \
    X(TAR,      815, U, U, 64) \
    X(ASDR,     816, H, H, 64) \
    X(PSSCR,    823, P, P, 64) \
    X(PSSCR_HV, 855, H, H, 64) \
    X(PPR,      896, U, U, 64) \
    X(PPR32,    898, U, U, 32) \
    X(PIR,      1023, P, N, 32)

#define SPR_ENUM_(name, num, r, w, width) SPR_##name = num,
enum { SPR_LIST(SPR_ENUM_) };
#undef SPR_ENUM_

#endif
