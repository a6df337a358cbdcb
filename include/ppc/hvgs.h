/*
 * hvgs.h - the nested-virtualization v1 interface (Linux KVM-HV "nested",
 * as QEMU 7.2 also implements it): the layouts of struct hv_guest_state
 * and struct pt_regs that H_ENTER_NESTED reads from and writes back to L1
 * memory, the register fields its sanitising rules name, and the operand
 * encodings of H_TLB_INVALIDATE and H_RPT_INVALIDATE (nested type).
 * Shared by host and firmware (L1 hypervisors fill these structures).
 *
 * Both structures are in the L1's own byte order (Linux L0 byte-swaps when
 * the L1's MSR[LE] differs from its own); fields are packed, no padding.
 * Offsets are in bytes from the start of the structure.
 *
 *     uint64_t v = load_l1_u64(hv_ptr + HVGS_OFF_VERSION);
 *     size_t n = v == 1 ? HVGS_SIZE_V1 : HVGS_SIZE_V2;
 */
#ifndef PPC_HVGS_H
#define PPC_HVGS_H
#include "ppc/bits.h"

/* ---- struct hv_guest_state (Linux arch/powerpc/include/asm/hvcall.h) ---- */
#define HVGS_VERSION_1        1           /* ends after ppr */
#define HVGS_VERSION_2        2           /* adds dawr1, dawrx1 */
#define HVGS_VERSION_MAX      HVGS_VERSION_2
#define HVGS_SIZE_V1          232
#define HVGS_SIZE_V2          248
#define HVGS_SIZE_MAX         HVGS_SIZE_V2
#define HVGS_NR_SPRG          4

/* X(field, offset, bytes, first version): the whole layout, in order. */
#define HVGS_FIELDS(X)                        \
    X(version,     0,   8, 1)                 \
    X(lpid,        8,   4, 1)                 \
    X(vcpu_token,  12,  4, 1)                 \
    X(lpcr,        16,  8, 1)                 \
    X(pcr,         24,  8, 1)                 \
    X(amor,        32,  8, 1)                 \
    X(dpdes,       40,  8, 1)                 \
    X(hfscr,       48,  8, 1)                 \
    X(tb_offset,   56,  8, 1)                 \
    X(dawr0,       64,  8, 1)                 \
    X(dawrx0,      72,  8, 1)                 \
    X(ciabr,       80,  8, 1)                 \
    X(hdec_expiry, 88,  8, 1)                 \
    X(purr,        96,  8, 1)                 \
    X(spurr,       104, 8, 1)                 \
    X(ic,          112, 8, 1)                 \
    X(vtb,         120, 8, 1)                 \
    X(hdar,        128, 8, 1)                 \
    X(hdsisr,      136, 8, 1)                 \
    X(heir,        144, 8, 1)                 \
    X(asdr,        152, 8, 1)                 \
    X(srr0,        160, 8, 1)                 \
    X(srr1,        168, 8, 1)                 \
    X(sprg[0],     176, 8, 1)                 \
    X(sprg[1],     184, 8, 1)                 \
    X(sprg[2],     192, 8, 1)                 \
    X(sprg[3],     200, 8, 1)                 \
    X(pidr,        208, 8, 1)                 \
    X(cfar,        216, 8, 1)                 \
    X(ppr,         224, 8, 1)                 \
    X(dawr1,       232, 8, 2)                 \
    X(dawrx1,      240, 8, 2)

#define HVGS_OFF_VERSION      0
#define HVGS_OFF_LPID         8
#define HVGS_OFF_VCPU_TOKEN   12
#define HVGS_OFF_HDEC_EXPIRY  88

/* ---- struct pt_regs as H_ENTER_NESTED passes it (r5), all doublewords -- */
#define PTREGS_NR_GPR         32
#define PTREGS_SIZE           352
/* X(field, offset) after gpr[0..31] at 0..255 */
#define PTREGS_FIELDS(X)                      \
    X(nip,       256)                         \
    X(msr,       264)                         \
    X(orig_gpr3, 272)                         \
    X(ctr,       280)                         \
    X(link,      288)                         \
    X(xer,       296)                         \
    X(ccr,       304)                         \
    X(softe,     312)                         \
    X(trap,      320)                         \
    X(dar,       328)                         \
    X(dsisr,     336)                         \
    X(result,    344)
#define PTREGS_OFF_GPR(n)     ((n) * 8)

/* ---- register fields the H_ENTER_NESTED sanitising rules name ----------- */
/* HFSCR[IC] (bits 0:7): interrupt cause, same place as FSCR[IC]. */
#define HFSCR_IC_MASK         PPC_BITMASK(0, 7)
/* DAWRX (Book III 9.4): privilege match bits HYP/PRIV/PRO. */
#define DAWRX_HYP             PPC_BIT(61)
#define DAWRX_PRIV            PPC_BIT(62)
#define DAWRX_PRO             PPC_BIT(63)
/* CIABR (Book III 9.3): PRIV field, 0b11 = match in hypervisor state. */
#define CIABR_PRIV            PPC_BITMASK(62, 63)
#define CIABR_PRIV_HYPER      PPC_BITMASK(62, 63)
/* MSR[TS] states (Book III 4.2.1; MSR_TS in ppc/msr.h is the field). */
#define MSR_TS_SUSPENDED      PPC_BIT(30)
#define MSR_TS_TRANSACTIONAL  PPC_BIT(29)

/* ---- H_TLB_INVALIDATE r4: the image of a tlbie instruction (X form) ----- */
/* tlbie RB,RS,RIC,PRS,R: RIC in bits 12:13, PRS bit 14, R bit 15 of the word. */
#define TLBIE_INSN_BASE       0x7C000264U   /* primary opcode 31, XO 306, every field 0 */
#define TLBIE_INSN_RIC        0x000C0000U
#define TLBIE_INSN_RIC_SHIFT  18
#define TLBIE_INSN_PRS        0x00020000U
#define TLBIE_INSN_R          0x00010000U
/* RB fields: ppc/radix_fmt.h (TLBIE_RB_IS, TLBIE_RB_AP, TLBIE_RB_EPN). */
/* r5 = RS image: the lpid is its low word (TLBIE_RS_LPID). */

/* ---- H_RPT_INVALIDATE (0x448) operands (Linux hvcall.h H_RPTI_*) -------- */
#define H_RPTI_TYPE_NESTED    0x0001ULL   /* partition scope of a nested guest */
#define H_RPTI_TYPE_TLB       0x0002ULL
#define H_RPTI_TYPE_PWC       0x0004ULL
#define H_RPTI_TYPE_PRT       0x0008ULL   /* process-table caching (NESTED clear) */
#define H_RPTI_TYPE_PAT       0x0008ULL   /* partition-table caching (NESTED set) */
#define H_RPTI_TYPE_NESTED_ALL (H_RPTI_TYPE_TLB | H_RPTI_TYPE_PWC | H_RPTI_TYPE_PAT)
#define H_RPTI_TARGET_CMMU    0x01ULL
#define H_RPTI_TARGET_CMMU_LOCAL 0x02ULL
#define H_RPTI_TARGET_NMMU    0x04ULL
#define H_RPTI_PAGE_4K        0x01ULL
#define H_RPTI_PAGE_64K       0x02ULL
#define H_RPTI_PAGE_2M        0x04ULL
#define H_RPTI_PAGE_1G        0x08ULL
#define H_RPTI_PAGE_ALL       (~0ULL)
/* Linux: a range over this many pages becomes a whole-lpid flush. */
#define H_RPTI_RANGE_PAGE_CEILING 33

#endif
