/*
 * nested_v2.h - the PAPR nested API ("v2", H_GUEST_*) in L0: guests and
 * vCPUs an L1 creates explicitly, whose state L0 keeps between runs
 * (seed 004, ../shared/reference/papr-nested.md, docs/conformance.md
 * "Nested v2 (PAPR API) in L0" for every decision).
 *
 *   capabilities  H_GUEST_GET/SET_CAPABILITIES: POWER9 mode (and POWER10 on
 *                 -cpu power10); one successful SET per boot (H_STATE after);
 *   guests        ids 1..4095, each a NestGuest of the L1's direct table
 *                 HvNested.l1v2 (shadow LPID, shadow tree, rmap: nest/), its
 *                 L1 partition-table entry built from elements 0x0005/0x0006;
 *   vCPUs         0..2047, a NestV2Vcpu store of every thread element;
 *   the run       H_GUEST_RUN_VCPU applies the input buffer, loads the store
 *                 (nest_v2_l2_state + the SPRs the CPU has + DEC) and runs
 *                 the L2 through hv/nested_run.c like H_ENTER_NESTED; the
 *                 exit stores everything back and fills the output buffer;
 *   memory        host-wide elements 0x0800-0x0804 = HvNested.mem.
 *
 * Everything lives in HvNestedV2 (hv->nested->v2), allocated through
 * hv_nested_alloc() so that it is counted.
 */
#ifndef NESTHV_HV_NESTED_V2_H
#define NESTHV_HV_NESTED_V2_H

#include "hv/nested.h"
#include "nest/v2.h"
#include "ppc/hcall.h"

typedef struct HvV2Vcpu {
    NestV2Vcpu st;           /* every thread element */
    bool running;            /* an L1 vCPU runs it now */
    uint64_t runs;
} HvV2Vcpu;

typedef struct HvV2Guest {
    uint32_t id;
    NestGuest *ng;           /* its entry in HvNested.l1v2 (one reference held here) */
    NestV2Guest gw;          /* guest-wide state */
    HvV2Vcpu **vcpus;        /* H_GUEST_VCPU_ID_MAX + 1 slots, allocated with the first vCPU */
    uint32_t nvcpus;
    uint32_t nrunning;       /* vCPUs running now: H_GUEST_DELETE waits (H_BUSY) */
} HvV2Guest;

typedef struct HvNestedV2Stats {
    uint64_t get_caps, set_caps, create, create_vcpu, get_state, set_state, run, del;
    uint64_t guests_created, guests_deleted, vcpus_created;
} HvNestedV2Stats;

struct HvNestedV2 {
    bool caps_set;           /* SET_CAPABILITIES succeeded */
    uint64_t caps;           /* what the L1 chose */
    HvV2Guest **guests;      /* H_GUEST_ID_MAX + 1 slots by id (0 unused) */
    uint32_t nguests;
    HvNestedV2Stats stats;
};

#endif
