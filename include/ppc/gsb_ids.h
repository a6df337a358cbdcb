/*
 * gsb_ids.h - the Guest State Buffer element table of the PAPR nested API
 * ("v2": H_GUEST_GET_STATE / H_GUEST_SET_STATE / H_GUEST_RUN_VCPU buffers).
 *
 * Shared by host and firmware (macros and enums only).  GSB_ELEMENTS is the
 * ONE place element ids live: every id with its value size, scope, access
 * and settable-value mask.  gsb/ expands it into the id enum, the dense
 * index enum, the id -> index switch, the name table and the validator's
 * rules; nothing else may repeat an id number.
 *
 * Sources: the element table of Linux Documentation/powerpc/kvm-nested.rst
 * (seed 004, taken from PAPR), completed from Linux
 * arch/powerpc/include/asm/guest-state-buffer.h (host-wide counters
 * 0x0800-0x0804, DPDES 0x1053) and kvmppc_gsid_mask() (the LPCR and MSR
 * masks).  Where the sources disagree the table follows the L1 that exists
 * (Linux), and says why:
 *  - HEIR (0xF002) is 8 bytes, not the seed's 4: Linux's L1 types it BE64
 *    (kvmppc_gsid_type) and rejects any other size when it parses the
 *    H_GUEST_RUN_VCPU output buffer, and reads it as a 64-bit instruction
 *    image (vcpu->arch.emul_inst = kvmppc_gse_get_u64()); ISA v3.1 HEIR is
 *    64 bits (prefix word in 0:31 for prefixed instructions).  A 4-byte HEIR
 *    would make every HEA exit (0xE40) unparseable for a Linux L1.
 *    (QEMU hw/ppc/spapr_nested.c uses 4 bytes.)
 *  - PPR (0x103A) is RW, not the seed's "W": Linux's L1 reads it back with
 *    H_GUEST_GET_STATE (kvmppc_get_ppr -> cached reload), which a write-only
 *    element would fail; QEMU (hw/ppc/spapr_nested.c) also treats it as RW.
 *  - HDEC expiry TB (0x1020) is RW: the seed's access column reads "T", an
 *    obvious typo; Linux sends it in every run input buffer.
 *  - NOP (0x0000) has any size, an ignored value, and is valid in every
 *    scope (seed: "TG"; Linux: "without a value and any length").
 *
 * Scope: where an element may appear.  THREAD = per vCPU (the default
 * H_GUEST_{GET,SET}_STATE and the H_GUEST_RUN_VCPU input buffer); GUEST =
 * guest-wide flag; HOST = host-wide flag (GET only).  Access: R may be read
 * (GET), W may be written (SET).  Mask: the bits an L1 may set; a SET whose
 * value has another bit set is H_INVALID_ELEMENT_VALUE (Linux's L1 clears
 * them itself in kvmppc_gse_put_u64()).
 *
 *     #define MY_ROW(name, id, size, scope, access, mask) ...
 *     GSB_ELEMENTS(MY_ROW)
 */
#ifndef PPC_GSB_IDS_H
#define PPC_GSB_IDS_H

#include "ppc/lpcr.h"
#include "ppc/msr.h"

/* Buffer layout (all big-endian): be32 element count, then elements of
 * be16 id, be16 value size, value bytes.  No padding, no alignment. */
#define GSB_HDR_SIZE        4u
#define GSB_ELEM_HDR_SIZE   4u

/* Value sizes of the structured elements. */
#define GSB_PART_TABLE_SIZE 24u /* be64 address, be64 EA bits, be64 root dir size */
#define GSB_REGION_SIZE     16u /* be64 address, be64 size (process table, run buffers) */
#define GSB_VSR_SIZE        16u /* VSR doubleword 0 (ISA bits 0:63) first */
#define GSB_SIZE_ANY        0xFFFFFFFFu /* NOP: any size */

/* Scopes (a bit set: the kinds of request an element may appear in). */
#define GSB_SCOPE_THREAD 0x1u
#define GSB_SCOPE_GUEST  0x2u
#define GSB_SCOPE_HOST   0x4u
#define GSB_SCOPE_ANY    (GSB_SCOPE_THREAD | GSB_SCOPE_GUEST | GSB_SCOPE_HOST)

/* Access (a bit set). */
#define GSB_ACC_R  0x1u
#define GSB_ACC_W  0x2u
#define GSB_ACC_RW (GSB_ACC_R | GSB_ACC_W)

/* Settable-value masks (Linux kvmppc_gsid_mask()). */
#define GSB_MASK_ALL  0xFFFFFFFFFFFFFFFFull
#define GSB_MASK_LPCR (LPCR_DPFD | LPCR_ILE | LPCR_AIL | LPCR_LD | LPCR_MER | LPCR_GTSE)
#define GSB_MASK_MSR  (~(MSR_HV | MSR_S | MSR_ME))

/*
 * X(name, id, size, scope, access, mask): scope is THREAD/GUEST/HOST/ANY,
 * access R/W/RW, mask ALL/LPCR/MSR (prefix GSB_SCOPE_, GSB_ACC_, GSB_MASK_).
 * Rows are in ascending id order (the dense index is the row number).
 */
#define GSB_ELEMENTS(X) \
    /* guest-wide (seed: 0x0000-0x0006) */ \
    X(NOP,                      0x0000, GSB_SIZE_ANY,        ANY,    RW, ALL)  \
    X(HOST_STATE_SIZE,          0x0001, 8,                   GUEST,  R,  ALL)  \
    X(RUN_OUTPUT_MIN_SIZE,      0x0002, 8,                   GUEST,  R,  ALL)  \
    X(LOGICAL_PVR,              0x0003, 4,                   GUEST,  RW, ALL)  \
    X(TB_OFFSET,                0x0004, 8,                   GUEST,  RW, ALL)  \
    X(PARTITION_TABLE,          0x0005, GSB_PART_TABLE_SIZE, GUEST,  RW, ALL)  \
    X(PROCESS_TABLE,            0x0006, GSB_REGION_SIZE,     GUEST,  RW, ALL)  \
    /* host-wide L0 memory counters (Linux; GET with the host-wide flag) */ \
    X(L0_GUEST_HEAP,            0x0800, 8,                   HOST,   R,  ALL)  \
    X(L0_GUEST_HEAP_MAX,        0x0801, 8,                   HOST,   R,  ALL)  \
    X(L0_GUEST_PGTABLE_SIZE,    0x0802, 8,                   HOST,   R,  ALL)  \
    X(L0_GUEST_PGTABLE_SIZE_MAX, 0x0803, 8,                  HOST,   R,  ALL)  \
    X(L0_GUEST_PGTABLE_RECLAIM, 0x0804, 8,                   HOST,   R,  ALL)  \
    /* per-vCPU meta state */ \
    X(RUN_INPUT,                0x0C00, GSB_REGION_SIZE,     THREAD, RW, ALL)  \
    X(RUN_OUTPUT,               0x0C01, GSB_REGION_SIZE,     THREAD, RW, ALL)  \
    X(VPA,                      0x0C02, 8,                   THREAD, RW, ALL)  \
    /* 64-bit registers */ \
    X(GPR0,  0x1000, 8, THREAD, RW, ALL)  X(GPR1,  0x1001, 8, THREAD, RW, ALL)  \
    X(GPR2,  0x1002, 8, THREAD, RW, ALL)  X(GPR3,  0x1003, 8, THREAD, RW, ALL)  \
    X(GPR4,  0x1004, 8, THREAD, RW, ALL)  X(GPR5,  0x1005, 8, THREAD, RW, ALL)  \
    X(GPR6,  0x1006, 8, THREAD, RW, ALL)  X(GPR7,  0x1007, 8, THREAD, RW, ALL)  \
    X(GPR8,  0x1008, 8, THREAD, RW, ALL)  X(GPR9,  0x1009, 8, THREAD, RW, ALL)  \
    X(GPR10, 0x100A, 8, THREAD, RW, ALL)  X(GPR11, 0x100B, 8, THREAD, RW, ALL)  \
    X(GPR12, 0x100C, 8, THREAD, RW, ALL)  X(GPR13, 0x100D, 8, THREAD, RW, ALL)  \
    X(GPR14, 0x100E, 8, THREAD, RW, ALL)  X(GPR15, 0x100F, 8, THREAD, RW, ALL)  \
    X(GPR16, 0x1010, 8, THREAD, RW, ALL)  X(GPR17, 0x1011, 8, THREAD, RW, ALL)  \
    X(GPR18, 0x1012, 8, THREAD, RW, ALL)  X(GPR19, 0x1013, 8, THREAD, RW, ALL)  \
    X(GPR20, 0x1014, 8, THREAD, RW, ALL)  X(GPR21, 0x1015, 8, THREAD, RW, ALL)  \
    X(GPR22, 0x1016, 8, THREAD, RW, ALL)  X(GPR23, 0x1017, 8, THREAD, RW, ALL)  \
    X(GPR24, 0x1018, 8, THREAD, RW, ALL)  X(GPR25, 0x1019, 8, THREAD, RW, ALL)  \
    X(GPR26, 0x101A, 8, THREAD, RW, ALL)  X(GPR27, 0x101B, 8, THREAD, RW, ALL)  \
    X(GPR28, 0x101C, 8, THREAD, RW, ALL)  X(GPR29, 0x101D, 8, THREAD, RW, ALL)  \
    X(GPR30, 0x101E, 8, THREAD, RW, ALL)  X(GPR31, 0x101F, 8, THREAD, RW, ALL)  \
    X(HDEC_EXPIRY_TB,           0x1020, 8,                   THREAD, RW, ALL)  \
    X(NIA,                      0x1021, 8,                   THREAD, RW, ALL)  \
    X(MSR,                      0x1022, 8,                   THREAD, RW, MSR)  \
    X(LR,                       0x1023, 8,                   THREAD, RW, ALL)  \
    X(XER,                      0x1024, 8,                   THREAD, RW, ALL)  \
    X(CTR,                      0x1025, 8,                   THREAD, RW, ALL)  \
    X(CFAR,                     0x1026, 8,                   THREAD, RW, ALL)  \
    X(SRR0,                     0x1027, 8,                   THREAD, RW, ALL)  \
    X(SRR1,                     0x1028, 8,                   THREAD, RW, ALL)  \
    X(DAR,                      0x1029, 8,                   THREAD, RW, ALL)  \
    X(DEC_EXPIRY_TB,            0x102A, 8,                   THREAD, RW, ALL)  \
    X(VTB,                      0x102B, 8,                   THREAD, RW, ALL)  \
    X(LPCR,                     0x102C, 8,                   THREAD, RW, LPCR) \
    X(HFSCR,                    0x102D, 8,                   THREAD, RW, ALL)  \
    X(FSCR,                     0x102E, 8,                   THREAD, RW, ALL)  \
    X(FPSCR,                    0x102F, 8,                   THREAD, RW, ALL)  \
    X(DAWR0,                    0x1030, 8,                   THREAD, RW, ALL)  \
    X(DAWR1,                    0x1031, 8,                   THREAD, RW, ALL)  \
    X(CIABR,                    0x1032, 8,                   THREAD, RW, ALL)  \
    X(PURR,                     0x1033, 8,                   THREAD, RW, ALL)  \
    X(SPURR,                    0x1034, 8,                   THREAD, RW, ALL)  \
    X(IC,                       0x1035, 8,                   THREAD, RW, ALL)  \
    X(SPRG0,                    0x1036, 8,                   THREAD, RW, ALL)  \
    X(SPRG1,                    0x1037, 8,                   THREAD, RW, ALL)  \
    X(SPRG2,                    0x1038, 8,                   THREAD, RW, ALL)  \
    X(SPRG3,                    0x1039, 8,                   THREAD, RW, ALL)  \
    X(PPR,                      0x103A, 8,                   THREAD, RW, ALL)  \
    X(MMCR0,                    0x103B, 8,                   THREAD, RW, ALL)  \
    X(MMCR1,                    0x103C, 8,                   THREAD, RW, ALL)  \
    X(MMCR2,                    0x103D, 8,                   THREAD, RW, ALL)  \
    X(MMCR3,                    0x103E, 8,                   THREAD, RW, ALL)  \
    X(MMCRA,                    0x103F, 8,                   THREAD, RW, ALL)  \
    X(SIER,                     0x1040, 8,                   THREAD, RW, ALL)  \
    X(SIER2,                    0x1041, 8,                   THREAD, RW, ALL)  \
    X(SIER3,                    0x1042, 8,                   THREAD, RW, ALL)  \
    X(BESCR,                    0x1043, 8,                   THREAD, RW, ALL)  \
    X(EBBHR,                    0x1044, 8,                   THREAD, RW, ALL)  \
    X(EBBRR,                    0x1045, 8,                   THREAD, RW, ALL)  \
    X(AMR,                      0x1046, 8,                   THREAD, RW, ALL)  \
    X(IAMR,                     0x1047, 8,                   THREAD, RW, ALL)  \
    X(AMOR,                     0x1048, 8,                   THREAD, RW, ALL)  \
    X(UAMOR,                    0x1049, 8,                   THREAD, RW, ALL)  \
    X(SDAR,                     0x104A, 8,                   THREAD, RW, ALL)  \
    X(SIAR,                     0x104B, 8,                   THREAD, RW, ALL)  \
    X(DSCR,                     0x104C, 8,                   THREAD, RW, ALL)  \
    X(TAR,                      0x104D, 8,                   THREAD, RW, ALL)  \
    X(DEXCR,                    0x104E, 8,                   THREAD, RW, ALL)  \
    X(HDEXCR,                   0x104F, 8,                   THREAD, RW, ALL)  \
    X(HASHKEYR,                 0x1050, 8,                   THREAD, RW, ALL)  \
    X(HASHPKEYR,                0x1051, 8,                   THREAD, RW, ALL)  \
    X(CTRL,                     0x1052, 8,                   THREAD, RW, ALL)  \
    X(DPDES,                    0x1053, 8,                   THREAD, RW, ALL)  \
    /* 32-bit registers */ \
    X(CR,                       0x2000, 4,                   THREAD, RW, ALL)  \
    X(PIDR,                     0x2001, 4,                   THREAD, RW, ALL)  \
    X(DSISR,                    0x2002, 4,                   THREAD, RW, ALL)  \
    X(VSCR,                     0x2003, 4,                   THREAD, RW, ALL)  \
    X(VRSAVE,                   0x2004, 4,                   THREAD, RW, ALL)  \
    X(DAWRX0,                   0x2005, 4,                   THREAD, RW, ALL)  \
    X(DAWRX1,                   0x2006, 4,                   THREAD, RW, ALL)  \
    X(PMC1,                     0x2007, 4,                   THREAD, RW, ALL)  \
    X(PMC2,                     0x2008, 4,                   THREAD, RW, ALL)  \
    X(PMC3,                     0x2009, 4,                   THREAD, RW, ALL)  \
    X(PMC4,                     0x200A, 4,                   THREAD, RW, ALL)  \
    X(PMC5,                     0x200B, 4,                   THREAD, RW, ALL)  \
    X(PMC6,                     0x200C, 4,                   THREAD, RW, ALL)  \
    X(WORT,                     0x200D, 4,                   THREAD, RW, ALL)  \
    X(PSPB,                     0x200E, 4,                   THREAD, RW, ALL)  \
    /* 128-bit registers */ \
    X(VSR0,  0x3000, 16, THREAD, RW, ALL) X(VSR1,  0x3001, 16, THREAD, RW, ALL) \
    X(VSR2,  0x3002, 16, THREAD, RW, ALL) X(VSR3,  0x3003, 16, THREAD, RW, ALL) \
    X(VSR4,  0x3004, 16, THREAD, RW, ALL) X(VSR5,  0x3005, 16, THREAD, RW, ALL) \
    X(VSR6,  0x3006, 16, THREAD, RW, ALL) X(VSR7,  0x3007, 16, THREAD, RW, ALL) \
    X(VSR8,  0x3008, 16, THREAD, RW, ALL) X(VSR9,  0x3009, 16, THREAD, RW, ALL) \
    X(VSR10, 0x300A, 16, THREAD, RW, ALL) X(VSR11, 0x300B, 16, THREAD, RW, ALL) \
    X(VSR12, 0x300C, 16, THREAD, RW, ALL) X(VSR13, 0x300D, 16, THREAD, RW, ALL) \
    X(VSR14, 0x300E, 16, THREAD, RW, ALL) X(VSR15, 0x300F, 16, THREAD, RW, ALL) \
    X(VSR16, 0x3010, 16, THREAD, RW, ALL) X(VSR17, 0x3011, 16, THREAD, RW, ALL) \
    X(VSR18, 0x3012, 16, THREAD, RW, ALL) X(VSR19, 0x3013, 16, THREAD, RW, ALL) \
    X(VSR20, 0x3014, 16, THREAD, RW, ALL) X(VSR21, 0x3015, 16, THREAD, RW, ALL) \
    X(VSR22, 0x3016, 16, THREAD, RW, ALL) X(VSR23, 0x3017, 16, THREAD, RW, ALL) \
    X(VSR24, 0x3018, 16, THREAD, RW, ALL) X(VSR25, 0x3019, 16, THREAD, RW, ALL) \
    X(VSR26, 0x301A, 16, THREAD, RW, ALL) X(VSR27, 0x301B, 16, THREAD, RW, ALL) \
    X(VSR28, 0x301C, 16, THREAD, RW, ALL) X(VSR29, 0x301D, 16, THREAD, RW, ALL) \
    X(VSR30, 0x301E, 16, THREAD, RW, ALL) X(VSR31, 0x301F, 16, THREAD, RW, ALL) \
    X(VSR32, 0x3020, 16, THREAD, RW, ALL) X(VSR33, 0x3021, 16, THREAD, RW, ALL) \
    X(VSR34, 0x3022, 16, THREAD, RW, ALL) X(VSR35, 0x3023, 16, THREAD, RW, ALL) \
    X(VSR36, 0x3024, 16, THREAD, RW, ALL) X(VSR37, 0x3025, 16, THREAD, RW, ALL) \
    X(VSR38, 0x3026, 16, THREAD, RW, ALL) X(VSR39, 0x3027, 16, THREAD, RW, ALL) \
    X(VSR40, 0x3028, 16, THREAD, RW, ALL) X(VSR41, 0x3029, 16, THREAD, RW, ALL) \
    X(VSR42, 0x302A, 16, THREAD, RW, ALL) X(VSR43, 0x302B, 16, THREAD, RW, ALL) \
    X(VSR44, 0x302C, 16, THREAD, RW, ALL) X(VSR45, 0x302D, 16, THREAD, RW, ALL) \
    X(VSR46, 0x302E, 16, THREAD, RW, ALL) X(VSR47, 0x302F, 16, THREAD, RW, ALL) \
    X(VSR48, 0x3030, 16, THREAD, RW, ALL) X(VSR49, 0x3031, 16, THREAD, RW, ALL) \
    X(VSR50, 0x3032, 16, THREAD, RW, ALL) X(VSR51, 0x3033, 16, THREAD, RW, ALL) \
    X(VSR52, 0x3034, 16, THREAD, RW, ALL) X(VSR53, 0x3035, 16, THREAD, RW, ALL) \
    X(VSR54, 0x3036, 16, THREAD, RW, ALL) X(VSR55, 0x3037, 16, THREAD, RW, ALL) \
    X(VSR56, 0x3038, 16, THREAD, RW, ALL) X(VSR57, 0x3039, 16, THREAD, RW, ALL) \
    X(VSR58, 0x303A, 16, THREAD, RW, ALL) X(VSR59, 0x303B, 16, THREAD, RW, ALL) \
    X(VSR60, 0x303C, 16, THREAD, RW, ALL) X(VSR61, 0x303D, 16, THREAD, RW, ALL) \
    X(VSR62, 0x303E, 16, THREAD, RW, ALL) X(VSR63, 0x303F, 16, THREAD, RW, ALL) \
    /* interrupt state the L0 reports (read-only) */ \
    X(HDAR,                     0xF000, 8,                   THREAD, R,  ALL)  \
    X(HDSISR,                   0xF001, 4,                   THREAD, R,  ALL)  \
    X(HEIR,                     0xF002, 8,                   THREAD, R,  ALL)  \
    X(ASDR,                     0xF003, 8,                   THREAD, R,  ALL)

/* Element ids: GSB_ID_GPR0 = 0x1000, ... */
#define GSB_ID_ENUM_(name, id, size, scope, access, mask) GSB_ID_##name = (id),
enum GsbId { GSB_ELEMENTS(GSB_ID_ENUM_) };
#undef GSB_ID_ENUM_

/* Dense indices (row numbers of GSB_ELEMENTS): GSB_IDX_NOP = 0, ... */
#define GSB_IDX_ENUM_(name, id, size, scope, access, mask) GSB_IDX_##name,
enum GsbIdx { GSB_ELEMENTS(GSB_IDX_ENUM_) GSB_IDX_COUNT };
#undef GSB_IDX_ENUM_

/* Numbered families (n as the ISA/PAPR counts them). */
#define GSB_ID_GPR(n)  (GSB_ID_GPR0 + (n))   /* n = 0..31 */
#define GSB_ID_VSR(n)  (GSB_ID_VSR0 + (n))   /* n = 0..63 */
#define GSB_ID_SPRG(n) (GSB_ID_SPRG0 + (n))  /* n = 0..3 */
#define GSB_ID_MMCR(n) (GSB_ID_MMCR0 + (n))  /* n = 0..3 */
#define GSB_ID_PMC(n)  (GSB_ID_PMC1 + (n) - 1) /* n = 1..6 */

#endif
