/*
 * hvgs.h - H_ENTER_NESTED's in/out structures (struct hv_guest_state and
 * struct pt_regs, layouts in include/ppc/hvgs.h) and the rules that turn
 * them into the state an L2 runs with, and back.
 *
 * FREESTANDING and pure: byte buffers in, plain C structs out, no ops, no
 * memory access.  nest_enter_begin()/nest_enter_end() (nest.h) wrap these
 * with the L1 memory reads/writes and the nested-guest lookup; hv/ loads a
 * NestL2State into the emulated CPU and reads it back at the exit.
 *
 * Byte order: both structures are in the L1's own endianness (Linux L0
 * swaps when the L1's MSR[LE] differs from its own; QEMU 7.2 copies them
 * raw, so a big-endian L1 on an x86 QEMU is broken there).  Every function
 * here takes `big_endian` = the L1's byte order (!MSR[LE] at the hcall).
 *
 * Rules (papr-nested.md, Linux book3s_hv_nested.c, QEMU 7.2 spapr_nested):
 *  - version 1 (232 bytes) and 2 (248 bytes) are accepted; version > 2 is
 *    H_P2 (Linux's explicit check; QEMU 7.2 answers H_PARAMETER); version 0
 *    is H_PARAMETER (Linux: hv_guest_state_size(0) < 0; QEMU accepts it).
 *  - L2 LPCR = (L1 LPCR & ~M) | (hv.lpcr & M), M = DPFD|ILE|AIL|LD|MER|TC
 *    (TC as Linux; it only matters for HPT, so QEMU's mask without it is
 *    equivalent), then HR|UPRT|GTSE|HVICE|HDICE set and LPES cleared.
 *  - L2 MSR = (msr | ME) & ~HV.   HFSCR = hv.hfscr & (IC | L1's permitted).
 *  - DAWRX0/1: the hypervisor match bit cleared.  CIABR: a hypervisor
 *    privilege match (PRIV = 0b11) becomes PRIV = 0 (disabled), as Linux.
 *  - tb_offset(L2) = tb_offset(L1) + hv.tb_offset; the L2's hypervisor
 *    decrementer expires at L0 timebase hv.hdec_expiry - tb_offset(L1).
 *  - AMOR = hv.amor (QEMU; Linux ignores the field and runs with ~0),
 *    PCR = hv.pcr (QEMU; Linux also forces the reserved bits).
 *  - Write-back (Linux): dpdes, purr, spurr, ic, vtb, srr0, srr1, sprg0-3,
 *    pidr, cfar, ppr always; HDSI: hdar, hdsisr, asdr; HISI: asdr; HEAI:
 *    heir (QEMU 7.2 forgets it); HFAC: hfscr's IC field.  lpcr, pcr, amor,
 *    hfscr (other than IC) and the timing fields go back as the L1 gave
 *    them (QEMU 7.2 writes its effective LPCR/PCR/HFSCR instead).  pt_regs:
 *    gpr, nip, msr, ctr, link, xer, ccr from the L2; orig_gpr3, softe,
 *    trap, dar, dsisr, result as the L1 gave them.
 *
 *     NestHvgs hv; NestPtRegs regs; NestL2State l2;
 *     long rc = nest_hvgs_decode(buf, len, be, &hv);     H_SUCCESS / H_*
 *     nest_ptregs_decode(rbuf, be, &regs);
 *     nest_l2_state_derive(&hv, &regs, &l1ctx, &l2);     hv/ loads l2
 *     ... run, fill l2 back from the CPU ...
 *     nest_l2_writeback(&l2, &exit, &hv, &regs);
 *     nest_hvgs_encode(&hv, be, buf); nest_ptregs_encode(&regs, be, rbuf);
 */
#ifndef NESTHV_NEST_HVGS_H
#define NESTHV_NEST_HVGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppc/hvgs.h"

/* struct hv_guest_state, host order.  Version 1 leaves dawr1/dawrx1 at 0. */
typedef struct NestHvgs {
    uint64_t version;     /* structure layout: 1 or 2 */
    uint32_t lpid;        /* the L1's lpid for the L2 (its partition-table index) */
    uint32_t vcpu_token;  /* the L1's id for the L2 vCPU */
    uint64_t lpcr, pcr, amor, dpdes, hfscr;
    int64_t tb_offset;    /* L2 timebase - L1 timebase */
    uint64_t dawr0, dawrx0, ciabr;
    uint64_t hdec_expiry; /* L1 timebase value at which the L2 exits with 0x980 */
    uint64_t purr, spurr, ic, vtb;
    uint64_t hdar, hdsisr, heir, asdr; /* outputs */
    uint64_t srr0, srr1;
    uint64_t sprg[HVGS_NR_SPRG];
    uint64_t pidr, cfar, ppr;
    uint64_t dawr1, dawrx1; /* version 2 */
} NestHvgs;

/* struct pt_regs, host order. */
typedef struct NestPtRegs {
    uint64_t gpr[PTREGS_NR_GPR];
    uint64_t nip, msr, orig_gpr3, ctr, link, xer, ccr, softe, trap, dar, dsisr, result;
} NestPtRegs;

/* What the L0 knows about the L1 vCPU making the hcall. */
typedef struct NestL1Ctx {
    bool big_endian;             /* the L1's byte order: !MSR[LE] at the hcall */
    uint64_t l1_msr;             /* for the TM rules */
    uint64_t l1_lpcr;            /* the L1 partition's LPCR as L0 runs it */
    int64_t l1_tb_offset;        /* L1 timebase - L0 timebase */
    uint64_t l1_hfscr_permitted; /* facilities L0 grants the L1 (HFSCR bits) */
    uint32_t max_vcpu_token;     /* vcpu_token must be below (Linux: NR_CPUS = 2048) */
} NestL1Ctx;
#define NEST_DEFAULT_MAX_VCPU_TOKEN 2048

/*
 * The L2 vCPU as the hardware thread runs it: hv/ loads every field into
 * the CPU (LPIDR = lpid) before the run and stores them back at the exit
 * (nip/msr from HSRR0/1 for hypervisor interrupts, SRR0/1 for sc 1,
 * machine check and reset).
 */
typedef struct NestL2State {
    uint32_t lpid;              /* shadow LPID the L2 runs under (set by nest_enter_begin) */
    uint64_t gpr[PTREGS_NR_GPR];
    uint64_t nip, msr, ctr, lr, xer, cr;
    uint64_t lpcr, pcr, amor, dpdes, hfscr;
    int64_t tb_offset;          /* L2 timebase - L0 timebase */
    uint64_t hdec_expiry;       /* L0 timebase at which the L2 exits to the L1 with 0x980 */
    uint64_t dawr0, dawrx0, dawr1, dawrx1, ciabr;
    uint64_t purr, spurr, ic, vtb;
    uint64_t srr0, srr1;
    uint64_t sprg[HVGS_NR_SPRG];
    uint64_t pidr, cfar, ppr;
} NestL2State;

/* Why the L2 run ended, for the write-back (values as the CPU holds them). */
typedef struct NestExit {
    uint32_t vector;  /* EXCP_*: becomes r3 of H_ENTER_NESTED */
    uint64_t hdar, hdsisr, asdr; /* HDSI (asdr also HISI) */
    uint64_t heir;    /* HEAI: the instruction image */
    uint64_t hfscr;   /* HFAC: the HFSCR with IC set */
} NestExit;

/* Bytes of a hv_guest_state of this version, or 0 if nesthv does not accept it. */
size_t nest_hvgs_size(uint64_t version);
/* The version field of a buffer of at least 8 bytes. */
uint64_t nest_hvgs_peek_version(const uint8_t *buf, bool big_endian);
/* Check the version against len and decode.  H_SUCCESS, H_PARAMETER (short, version 0), H_P2 (version > 2). */
long nest_hvgs_decode(const uint8_t *buf, size_t len, bool big_endian, NestHvgs *out);
/* Encode nest_hvgs_size(hv->version) bytes (version must be accepted). */
void nest_hvgs_encode(const NestHvgs *hv, bool big_endian, uint8_t *buf);
void nest_ptregs_decode(const uint8_t *buf, bool big_endian, NestPtRegs *out);
void nest_ptregs_encode(const NestPtRegs *regs, bool big_endian, uint8_t *buf);

/*
 * The checks that need no L1 memory: vcpu_token range, the TM rules.
 * H_SUCCESS, H_PARAMETER or H_BAD_MODE.  (lpid checks: nest_enter_begin.)
 */
long nest_hvgs_validate(const NestHvgs *hv, const NestPtRegs *regs, const NestL1Ctx *ctx);

/* The individual rules, and all of them at once. */
uint64_t nest_l2_lpcr(uint64_t l1_lpcr, uint64_t hv_lpcr);
uint64_t nest_l2_msr(uint64_t msr);
uint64_t nest_l2_hfscr(uint64_t hv_hfscr, uint64_t l1_permitted);
uint64_t nest_l2_dawrx(uint64_t dawrx);
uint64_t nest_l2_ciabr(uint64_t ciabr);
void nest_l2_state_derive(const NestHvgs *hv, const NestPtRegs *regs, const NestL1Ctx *ctx, NestL2State *out);
/* HDEC value for the L2 at L0 timebase now (negative: already expired). */
int64_t nest_l2_hdec(const NestL2State *l2, uint64_t l0_tb_now);
/* Fill hv/regs from the L2 state after the run, per the exit vector (rules above). */
void nest_l2_writeback(const NestL2State *l2, const NestExit *x, NestHvgs *hv, NestPtRegs *regs);

#endif
