/*
 * v2.h - the PAPR nested API ("v2": H_GUEST_*) state rules in L0, pure:
 * capability negotiation, the per-vCPU element store L0 keeps between
 * runs, guest-wide state, value checks beyond the element table's masks,
 * the L2 state a run loads (the same NestL2State H_ENTER_NESTED derives),
 * the store-back at an exit and the run output buffer per exit type
 * (seed 004; ../shared/reference/papr-nested.md; QEMU 10
 * hw/ppc/spapr_nested.c; Linux arch/powerpc/kvm/book3s_hv_nestedv2.c).
 *
 * FREESTANDING and pure like hvgs.h: no ops, no memory access; buffers are
 * caller memory already validated with gsb_validate().  hv/nested_v2.c
 * wraps these with the hypercalls, L1 memory and the run.
 *
 *     NestV2Vcpu *v;  (zeroed: nest_v2_vcpu_init)
 *     SET_STATE:  gsb_validate(buf, len, GSB_OP_SET_THREAD, &view, &r);
 *                 nest_v2_check_values(&view, op, &r) ... nest_v2_thread_set(v, &e)
 *     RUN:        nest_v2_l2_state(v, g, &ctx, &l2); run; nest_v2_store_back(v, &l2, &x)
 *                 nest_v2_fill_output(v, vector, out, cap)
 *
 * The store: one 128-bit slot per element of the table (dense index), so
 * every thread element round-trips, including those the emulated CPU lacks
 * (FP, VMX, VSX, the PMU): 8-byte values in .lo, 4-byte in the low half of
 * .lo, 16-byte as {hi, lo}, regions (run buffers) as {addr, size}.
 */
#ifndef NESTHV_NEST_V2_H
#define NESTHV_NEST_V2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gsb/gsb.h"
#include "nest/hvgs.h"

/* One L2 vCPU's thread-wide state, as L0 keeps it between runs. */
typedef struct NestV2Vcpu {
    GsbU128 val[GSB_IDX_COUNT]; /* indexed by GSB_IDX_*; guest/host-wide rows unused */
} NestV2Vcpu;

/* One L2's guest-wide state. */
typedef struct NestV2Guest {
    uint32_t logical_pvr;    /* 0x0003 */
    int64_t tb_offset;       /* 0x0004: L2 timebase - L1 timebase */
    GsbPartTable part;       /* 0x0005 (addr 0: not defined) */
    GsbRegion proc;          /* 0x0006 */
} NestV2Guest;

/* ---- capabilities ---------------------------------------------------------------- */

/* Bitmap 1 L0 offers to an L1 on a CPU of this PVR (H_GUEST_GET_CAPABILITIES r4). */
uint64_t nest_v2_caps_supported(uint32_t pvr);
/*
 * H_GUEST_SET_CAPABILITIES(caps) against supported: H_SUCCESS or H_P2 with
 * *r4 = number of invalid bitmaps (1), *r5 = QEMU 10's index: the first
 * supported mode's bitmap index when caps is empty, else the IBM bit number
 * of the lowest unsupported bit.
 */
long nest_v2_caps_check(uint64_t supported, uint64_t caps, uint64_t *r4, uint64_t *r5);
/* The CPU modes of an accepted caps value: the logical PVR a new guest starts with. */
uint32_t nest_v2_caps_logical_pvr(uint64_t caps);

/* ---- values ----------------------------------------------------------------------- */

/*
 * Checks a SET value must pass besides the table mask (gsb_validate): the
 * partition table (52 EA bits, root 2^8..2^28 bytes, aligned base, or all
 * zero), the process table (2^12..2^36 bytes, 4 KiB aligned), run buffers
 * (size at most H_GUEST_STATE_BUF_MAX; an address with a size), the logical
 * PVR (0 or a known logical PVR).  GSB_OK or GSB_ERR_VALUE.
 */
GsbErr nest_v2_check_value(const GsbElem *e);
/* Every element of a validated SET view: GSB_OK, or the first bad one in *r. */
GsbErr nest_v2_check_values(const GsbView *v, GsbResult *r);

/* ---- the thread store ------------------------------------------------------------- */

/* The state of a new vCPU (all zero but what a new thread has: MSR SF). */
void nest_v2_vcpu_init(NestV2Vcpu *v);
/* Bytes of L0's internal vCPU state (element 0x0001). */
uint64_t nest_v2_vcpu_state_size(void);

static inline uint64_t nest_v2_get64(const NestV2Vcpu *v, unsigned idx) { return v->val[idx].lo; }
static inline void nest_v2_put64(NestV2Vcpu *v, unsigned idx, uint64_t x) { v->val[idx].lo = x; }

/* Apply one validated thread element (SET_STATE, run input buffer). */
void nest_v2_thread_set(NestV2Vcpu *v, const GsbElem *e);
/* Fill one validated thread element of a GET buffer (buf/len the buffer e was parsed from). */
void nest_v2_thread_get(const NestV2Vcpu *v, void *buf, size_t len, const GsbElem *e);
/* Guest-wide: apply / fill (0x0001, 0x0002 are computed here). */
void nest_v2_guest_set(NestV2Guest *g, const GsbElem *e);
void nest_v2_guest_get(const NestV2Guest *g, void *buf, size_t len, const GsbElem *e);

/* A run buffer registered with 0x0C00 / 0x0C01. */
static inline GsbRegion nest_v2_region(const NestV2Vcpu *v, unsigned idx)
{
    return (GsbRegion){ v->val[idx].hi, v->val[idx].lo };
}

/* ---- partition table ------------------------------------------------------------------- */

/* The guest's partition-table entry as an L1 table would hold it (0x0005 / 0x0006); false: 0x0005 unset. */
bool nest_v2_pate(const NestV2Guest *g, uint64_t *dw0, uint64_t *dw1);

/* ---- running ------------------------------------------------------------------------------- */

/*
 * The L2 state of a run (rules of nest_l2_state_derive(): LPCR, MSR,
 * HFSCR, DAWRX, CIABR; timebase offset = L1's + the guest's; HDEC expiry
 * from 0x1020 in L1 timebase).  lpid is left for the caller.
 */
void nest_v2_l2_state(const NestV2Vcpu *v, const NestV2Guest *g, const NestL1Ctx *ctx, NestL2State *out);
/*
 * Back into the store after the run: registers from l2 (nip/msr as the
 * exit left them), HDAR/HDSISR/ASDR/HEIR and HFSCR[IC] per the exit.
 * LPCR, HFSCR's other bits, HDEC expiry: as the L1 set them.
 */
void nest_v2_store_back(NestV2Vcpu *v, const NestL2State *l2, const NestExit *x);
/* The elements an exit reports in the output buffer (PAPR/QEMU 10 per vector); count. */
unsigned nest_v2_exit_ids(uint32_t vector, uint16_t ids[16]);
/* Bytes the output buffer of this exit needs. */
size_t nest_v2_output_size(uint32_t vector);
/* Build the output buffer in out[0..cap): its length, or 0 if cap is too small. */
size_t nest_v2_fill_output(const NestV2Vcpu *v, uint32_t vector, uint8_t *out, size_t cap);

#endif
