/*
 * nv2.h - the L1 side of the PAPR nested API v2 ("nestedv2": H_GUEST_*),
 * for firmware that acts as an L1 hypervisor (the v2 conformance tests in
 * firmware/tests/nested_v2/, the l1hv reference hypervisor, benchmarks).
 *
 * Two layers:
 *
 *  1. hcall wrappers, one per H_GUEST_* call, returning r3 and the outputs
 *     the PAPR text defines (guest id, capabilities, the element index of a
 *     bad Guest State Buffer element in r4, the exit vector of a run).
 *     Nothing is checked or cached: tests use them to probe every error.
 *
 *  2. a lazy state cache per vCPU, as Linux keeps one as an L1 (seed 001;
 *     ../shared/reference/papr-nested.md "L1-side state caching"): one valid
 *     and one dirty bit per element (gsb/ bitmaps, dense index).
 *       - reading a valid element costs nothing; an invalid one costs one
 *         H_GUEST_GET_STATE (nv2_fetch() reads several in one call);
 *       - writing only stores the value and marks it valid and dirty;
 *       - nv2_run() first sends the guest-wide dirty elements with one
 *         H_GUEST_SET_STATE (guest-wide flag), then puts the thread-wide
 *         dirty ones in the run input buffer (what does not fit goes out
 *         with H_GUEST_SET_STATE first), then H_GUEST_RUN_VCPU;
 *       - after the run every thread-wide element is invalid except those
 *         the output buffer carried.  Guest-wide elements stay valid: only
 *         the L1 changes them (PVR, TB offset, the two tables).
 *     Every hcall made through this file is counted in nv2_stats so that a
 *     test or benchmark can assert the laziness (e.g. "reading GPR3 after an
 *     hcall exit costs nothing, reading CTR costs exactly one GET_STATE").
 *
 * All buffers are big-endian Guest State Buffers built and parsed with
 * gsb/ (the code L0 itself uses).  Addresses passed to L0 are L1 real
 * addresses: the caller runs in real mode (or identity-maps its memory).
 *
 *     nv2_negotiate(&caps);                           GET + SET capabilities
 *     Nv2Guest g; nv2_guest_create(&g);
 *     Nv2Vcpu v;  nv2_vcpu_create(&v, &g, 0, in, sizeof in, out, sizeof out);
 *     nv2_set_part_table(&g, &pt);                    guest-wide, dirty
 *     nv2_set64(&v, GSB_ID_NIA, entry);               thread, dirty
 *     nv2_set64(&v, GSB_ID_HDEC_EXPIRY_TB, mftb() + far);
 *     long rc = nv2_run(&v, 0);                       rc = r3; v.exit = r4
 *     if (rc == H_SUCCESS && v.exit == 0xC00) nr = nv2_get64(&v, GSB_ID_GPR(3));
 */
#ifndef FW_NV2_H
#define FW_NV2_H

#include <stddef.h>
#include <stdint.h>

#include "gsb/gsb.h"

/* ---- PAPR constants of the v2 hcalls (Linux hvcall.h, QEMU spapr_nested.h) ---- */

/* H_GUEST_GET/SET_CAPABILITIES bitmap 1 */
#define NV2_CAP_COPY_MEM  (1ULL << 63)
#define NV2_CAP_POWER9    (1ULL << 62)
#define NV2_CAP_POWER10   (1ULL << 61)
#define NV2_CAP_POWER11   (1ULL << 60)
#define NV2_CAP_BITMAP2   (1ULL << 0)
/* H_GUEST_GET_STATE / H_GUEST_SET_STATE flags */
#define NV2_STATE_GUEST_WIDE (1ULL << 63)
#define NV2_STATE_HOST_WIDE  (1ULL << 62)  /* GET only */
/* H_GUEST_RUN_VCPU flags: interrupts L0 synthesises in the L2 */
#define NV2_RUN_EXTERNAL  (1ULL << 63)
#define NV2_RUN_DOORBELL  (1ULL << 62)
#define NV2_RUN_RESET     (1ULL << 61)
/* H_GUEST_DELETE flags */
#define NV2_DELETE_ALL    (1ULL << 63)
/* H_GUEST_CREATE continue token of a first call */
#define NV2_TOKEN_NONE    (~0ULL)
/* The largest vCPU id PAPR allows (0..2047). */
#define NV2_VCPU_ID_MAX   2047

/* ---- layer 1: raw hcalls (r3 returned; outputs stored when the pointer is set) ---- */

long nv2_get_capabilities(uint64_t flags, uint64_t *caps);
/* r4 = number of invalid bitmaps, r5 = index of the first (H_P2). */
long nv2_set_capabilities(uint64_t flags, uint64_t caps, uint64_t *r4, uint64_t *r5);
long nv2_create(uint64_t flags, uint64_t token, uint64_t *guest_id);
long nv2_create_vcpu(uint64_t flags, uint64_t guest_id, uint64_t vcpu_id);
long nv2_delete(uint64_t flags, uint64_t guest_id);
/* r4 = index of the bad element for H_INVALID_ELEMENT_*. */
long nv2_get_state(uint64_t flags, uint64_t guest_id, uint64_t vcpu_id, const void *buf, uint64_t len,
                   uint64_t *r4);
long nv2_set_state(uint64_t flags, uint64_t guest_id, uint64_t vcpu_id, const void *buf, uint64_t len,
                   uint64_t *r4);
/* r4 = the exit vector (H_SUCCESS) or the input-buffer offset of a bad element. */
long nv2_run_vcpu(uint64_t flags, uint64_t guest_id, uint64_t vcpu_id, uint64_t *r4);

/* Hypercalls made through this file since the last nv2_stats_reset(). */
typedef struct Nv2Stats {
    unsigned long get_state, set_state, run_vcpu, other;
} Nv2Stats;
extern Nv2Stats nv2_stats;
void nv2_stats_reset(void);
static inline unsigned long nv2_stats_total(void)
{
    return nv2_stats.get_state + nv2_stats.set_state + nv2_stats.run_vcpu + nv2_stats.other;
}

/* GET then SET of the capabilities: the L1 keeps want & what L0 offers.
 * Returns the SET's r3 (H_FUNCTION when L0 has no v2 API at all). */
long nv2_negotiate(uint64_t want, uint64_t *agreed);

/* ---- layer 2: the lazy state cache ---- */

/* An element value: u32/u64 in w[0]; u128 w[0] = hi, w[1] = lo; the
 * partition-table element addr, ea_bits, root_size; regions addr, size. */
typedef struct Nv2Val {
    uint64_t w[3];
} Nv2Val;

/* Values, valid and dirty bits for one scope (dense gsb index). */
typedef struct Nv2Cache {
    GsbBitmap valid, dirty;
    Nv2Val val[GSB_IDX_COUNT];
} Nv2Cache;

/* Request buffers (GET/SET_STATE) live in the objects, so that L1 vCPUs
 * working on different L2 vCPUs never share one: every thread-wide element
 * fits in NV2_REQ_BYTES, every guest-wide one in NV2_GREQ_BYTES. */
#define NV2_REQ_BYTES  4096
#define NV2_GREQ_BYTES 256

typedef struct Nv2Guest {
    uint64_t id;
    Nv2Cache gw;            /* guest-wide elements */
    uint8_t req[NV2_GREQ_BYTES];
    long err;               /* r3 of the last failed hcall made for it (0: none) */
    uint64_t err_r4;
} Nv2Guest;

typedef struct Nv2Vcpu {
    Nv2Guest *guest;
    uint64_t id;
    Nv2Cache th;            /* thread-wide elements */
    uint8_t *in, *out;      /* the registered run input / output buffers */
    size_t in_size, out_size;
    uint64_t exit;          /* r4 of the last successful run: the exit vector */
    uint32_t out_count;     /* elements the last output buffer carried */
    bool out_bad;           /* the last output buffer did not parse */
    uint8_t req[NV2_REQ_BYTES];
    long err;
    uint64_t err_r4;
} Nv2Vcpu;

/* H_GUEST_CREATE (flags 0, first token); g->id.  Returns r3. */
long nv2_guest_create(Nv2Guest *g);
/* H_GUEST_DELETE of g. */
long nv2_guest_delete(Nv2Guest *g);
/* H_GUEST_CREATE_VCPU, then registers the run buffers (0x0C00 / 0x0C01)
 * with one thread-wide H_GUEST_SET_STATE.  Returns the first failing r3. */
long nv2_vcpu_create(Nv2Vcpu *v, Nv2Guest *g, uint64_t vcpu_id, void *in, size_t in_size, void *out,
                     size_t out_size);

/* Writes: cached and dirty, sent by the next nv2_run() / nv2_flush_*().
 * The scope comes from the element table (guest-wide ids go to v->guest). */
void nv2_set32(Nv2Vcpu *v, uint16_t id, uint32_t val);
void nv2_set64(Nv2Vcpu *v, uint16_t id, uint64_t val);
void nv2_set128(Nv2Vcpu *v, uint16_t id, GsbU128 val);
void nv2_set_part_table(Nv2Guest *g, const GsbPartTable *pt);
void nv2_set_process_table(Nv2Guest *g, const GsbRegion *r);
void nv2_guest_set32(Nv2Guest *g, uint16_t id, uint32_t val);
void nv2_guest_set64(Nv2Guest *g, uint16_t id, uint64_t val);

/* Reads: from the cache when valid, else one H_GUEST_GET_STATE of that
 * element (0 and v->err set if it fails). */
uint32_t nv2_get32(Nv2Vcpu *v, uint16_t id);
uint64_t nv2_get64(Nv2Vcpu *v, uint16_t id);
GsbU128 nv2_get128(Nv2Vcpu *v, uint16_t id);
uint64_t nv2_guest_get64(Nv2Guest *g, uint16_t id);
uint32_t nv2_guest_get32(Nv2Guest *g, uint16_t id);
/* One H_GUEST_GET_STATE for the invalid ones among ids[0..n) (all thread-
 * wide); none if all are valid.  Returns r3 (H_SUCCESS when nothing to do). */
long nv2_fetch(Nv2Vcpu *v, const uint16_t *ids, unsigned n);
bool nv2_is_valid(const Nv2Vcpu *v, uint16_t id);
bool nv2_is_dirty(const Nv2Vcpu *v, uint16_t id);
/* Forget every thread-wide value (e.g. after the L2 state changed behind
 * the cache's back). */
void nv2_invalidate(Nv2Vcpu *v);

/* Send the dirty guest-wide elements (one SET_STATE; none if clean). */
long nv2_flush_guest(Nv2Guest *g);
/* Send the dirty thread-wide elements with SET_STATE instead of waiting
 * for the next run. */
long nv2_flush_vcpu(Nv2Vcpu *v);
/* Flush as described above, H_GUEST_RUN_VCPU(flags), then take in the
 * output buffer.  Returns r3; v->exit = the exit vector on success. */
long nv2_run(Nv2Vcpu *v, uint64_t flags);

#endif
