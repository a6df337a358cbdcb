/*
 * l0v2.h - a minimal L1 for the L0-side v2 tests (l0_smoke.c, churn.c):
 * raw H_GUEST_* calls (firmware/libfw/nv2.h layer 1 only: every hcall is
 * explicit in the test) and Guest State Buffers built with gsb/.  The L2
 * technique is the v1 tests' (../nested/nhv.h, used read-only): a vector
 * page whose stubs report interrupts as hcalls, and an identity window so
 * that an L2 payload is a C function of the test run in real mode.
 *
 *     l0v2_init();                           vectors, capabilities
 *     L0v2 l; l0v2_new(&l);                  guest, tree, vCPU 0, buffers
 *     l0v2_call(&l, fn, 42);                 thread SET of the registers
 *     long rc = l0v2_run(&l, &exit);         H_GUEST_RUN_VCPU, output parsed
 */
#ifndef FW_TESTS_NESTED_V2_L0V2_H
#define FW_TESTS_NESTED_V2_L0V2_H

#include "../nested/nhv.h"
#include "gsb/gsb.h"
#include "nv2.h"

#define L0V2_RUNBUF   1024
#define L0V2_L2_MSR   (MSR_SF | MSR_RI | MSR_LE)   /* ME/HV/S are L0's (value mask) */
#define L0V2_FAR      (NHV_TB_HZ * 100UL)
#define L0V2_PROCTBL  0x01E00000UL                 /* a zeroed 4 KiB process table (real-mode L2s) */
#define L0V2_REQ      0x01E10000UL                 /* request buffer (SET/GET) */

typedef struct L0v2 {
    uint64_t id;
    RadixRoot tree;
    uint8_t in[L0V2_RUNBUF] __attribute__((aligned(128)));
    uint8_t out[L0V2_RUNBUF] __attribute__((aligned(128)));
    GsbView outv;            /* the last output buffer */
} L0v2;

static inline void l0v2_init(void)
{
    uint64_t caps = 0, r4 = 0, r5 = 0;
    nhv_build_vectors();
    memset(nhv_real(L0V2_PROCTBL), 0, NHV_PAGE);
    long rc = nv2_get_capabilities(0, &caps);
    if (rc == H_SUCCESS)
        rc = nv2_set_capabilities(0, NV2_CAP_POWER9, &r4, &r5);
    if (rc != H_SUCCESS)
        nhv_die("capabilities", rc);
}

/* A request buffer at L0V2_REQ. */
static inline GsbBuf l0v2_req(void)
{
    GsbBuf b;
    gsb_init(&b, nhv_real(L0V2_REQ), 4096);
    return b;
}

static inline long l0v2_set(uint64_t flags, uint64_t id, uint64_t vcpu, const GsbBuf *b)
{
    uint64_t r4 = 0;
    return nv2_set_state(flags, id, vcpu, b->data, gsb_len(b), &r4);
}

/* Guest, its tree (vectors + identity window), 0x0005/0x0006, vCPU 0 with its run buffers. */
static inline long l0v2_new(L0v2 *l)
{
    long rc = nv2_create(0, NV2_TOKEN_NONE, &l->id);
    if (rc != H_SUCCESS)
        return rc;
    if (l->tree.base == 0) {
        if (radix_tree_create(&nhv_mem, &l->tree) != 0 ||
            radix_map(&nhv_mem, &l->tree, 0, NHV_VEC, NHV_VEC_BYTES, 12, NHV_RWX) != 0 ||
            radix_map(&nhv_mem, &l->tree, NHV_ID_START, NHV_ID_START, NHV_ID_END - NHV_ID_START, 21, NHV_RWX) != 0)
            nhv_die("radix", -1);
    }
    GsbBuf b = l0v2_req();
    GsbPartTable pt = { l->tree.base, 52, 8UL << l->tree.rpds };
    GsbRegion prt = { L0V2_PROCTBL, NHV_PAGE };
    gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, &pt);
    gsb_put_region(&b, GSB_ID_PROCESS_TABLE, &prt);
    rc = l0v2_set(NV2_STATE_GUEST_WIDE, l->id, 0, &b);
    if (rc != H_SUCCESS)
        return rc;
    rc = nv2_create_vcpu(0, l->id, 0);
    if (rc != H_SUCCESS)
        return rc;
    b = l0v2_req();
    GsbRegion in = { (uint64_t)(unsigned long)l->in, L0V2_RUNBUF }, out = { (uint64_t)(unsigned long)l->out, L0V2_RUNBUF };
    gsb_put_region(&b, GSB_ID_RUN_INPUT, &in);
    gsb_put_region(&b, GSB_ID_RUN_OUTPUT, &out);
    return l0v2_set(0, l->id, 0, &b);
}

/* The registers of a call of fn(arg) in real mode (returning to NHV_DONE_GPA), in one thread SET. */
static inline long l0v2_call(L0v2 *l, unsigned long (*fn)(unsigned long), unsigned long arg)
{
    unsigned long toc;
    __asm__("mr %0, 2" : "=r"(toc));
    GsbBuf b = l0v2_req();
    gsb_put_u64(&b, GSB_ID_NIA, (unsigned long)fn);
    gsb_put_u64(&b, GSB_ID_GPR(12), (unsigned long)fn);
    gsb_put_u64(&b, GSB_ID_GPR(2), toc);
    gsb_put_u64(&b, GSB_ID_GPR(1), NHV_STACKS + (l->id % NHV_NSTACKS + 1) * NHV_STACK_SIZE - 64);
    gsb_put_u64(&b, GSB_ID_GPR(3), arg);
    gsb_put_u64(&b, GSB_ID_LR, NHV_DONE_GPA);
    gsb_put_u64(&b, GSB_ID_MSR, L0V2_L2_MSR);
    gsb_put_u64(&b, GSB_ID_LPCR, LPCR_ILE);
    gsb_put_u64(&b, GSB_ID_DEC_EXPIRY_TB, mftb() + L0V2_FAR);
    return l0v2_set(0, l->id, 0, &b);
}

/* The run input buffer: a far HDEC deadline plus what put() adds. */
static inline GsbBuf l0v2_input(L0v2 *l)
{
    GsbBuf b;
    gsb_init(&b, l->in, L0V2_RUNBUF);
    gsb_put_u64(&b, GSB_ID_HDEC_EXPIRY_TB, mftb() + L0V2_FAR);
    return b;
}

/* H_GUEST_RUN_VCPU (the input buffer as it is); r3, *exit = r4, output parsed into l->outv. */
static inline long l0v2_run_flags(L0v2 *l, uint64_t flags, uint64_t *exit)
{
    long rc = nv2_run_vcpu(flags, l->id, 0, exit);
    l->outv = (GsbView){ 0 };
    if (rc == H_SUCCESS && gsb_parse(l->out, L0V2_RUNBUF, &l->outv, NULL) != GSB_OK)
        printf("output buffer does not parse\n");
    return rc;
}

static inline long l0v2_run(L0v2 *l, uint64_t *exit)
{
    (void)l0v2_input(l);
    return l0v2_run_flags(l, 0, exit);
}

/* An element of the last output buffer (~0 if absent). */
static inline uint64_t l0v2_out(const L0v2 *l, uint16_t id)
{
    GsbElem e;
    uint64_t v64;
    uint32_t v32;
    if (!gsb_find(&l->outv, id, &e))
        return ~0ULL;
    if (gsb_elem_u64(&e, &v64))
        return v64;
    return gsb_elem_u32(&e, &v32) ? v32 : ~0ULL;
}

/* One thread element by GET_STATE (~0 on failure). */
static inline uint64_t l0v2_get64(const L0v2 *l, uint16_t id)
{
    GsbBuf b = l0v2_req();
    uint64_t r4 = 0, v = ~0ULL;
    const GsbElemInfo *info = gsb_elem_info(id);
    if (info->size == 4)
        gsb_put_u32(&b, id, 0);
    else
        gsb_put_u64(&b, id, 0);
    if (nv2_get_state(0, l->id, 0, b.data, gsb_len(&b), &r4) != H_SUCCESS)
        return ~0ULL;
    GsbView view;
    GsbElem e;
    uint32_t v32;
    if (gsb_parse(b.data, gsb_len(&b), &view, NULL) == GSB_OK && gsb_find(&view, id, &e)) {
        if (!gsb_elem_u64(&e, &v) && gsb_elem_u32(&e, &v32))
            v = v32;
    }
    return v;
}

#endif
