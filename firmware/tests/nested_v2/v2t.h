/*
 * v2t.h - the L1 harness of the PAPR nested API v2 conformance tests
 * (firmware/tests/nested_v2/).  Header-only, included once per test.
 *
 * The tests check PAPR (../shared/reference/papr-nested.md, seeds 001 and
 * 004), not nesthv: the same ELF runs on nesthv and on QEMU 10 with
 * -M pseries,cap-nested-papr=on (tests/run-all.sh diffs the two), and should
 * run on any v2 L0 (PowerVM).  Where QEMU 10 deviates, the test still
 * asserts PAPR and <test>.qemu10-diff documents the difference; an input
 * that makes QEMU 10 abort is guarded with v2t_is_qemu() so the rest of
 * the test still runs there (docs/conformance.md lists them).
 *
 * The L1 (this program) drives its L2s with firmware/libfw/nv2.h.  Every
 * L2 gets a partition-scoped radix tree built in L1 memory with radix/,
 * shaped as in the v1 tests (../nested/nhv.h, whose memory helpers and
 * vector page this reuses):
 *   L2 real [0, 0x2000)                 -> NHV_VEC, the vector stubs (each
 *       reports its interrupt to the L1 as an hcall NHV_HC_IRQ | vector,
 *       r4..r7 = SRR0, SRR1, DAR, DSISR) and NHV_DONE_GPA;
 *   L2 real [NHV_ID_START, NHV_ID_END)  -> the same L1 real addresses, so
 *       an L2 payload is a C function of the test, run in real mode.
 *
 *     v2t_init();                                   capabilities, vectors
 *     V2tL2 *l2 = v2t_new(0);                       guest + tree + vCPU 0
 *     v2t_call(&l2->v, fn, 42);
 *     unsigned long r = v2t_run_done(&l2->v);       fn's return value
 */
#ifndef FW_TESTS_NESTED_V2_V2T_H
#define FW_TESTS_NESTED_V2_V2T_H

#include "../nested/nhv.h"
#include "nv2.h"

#define V2T_RUNBUF      1024    /* run input / output buffer bytes (QEMU 10 wants 0x80..16384) */
#define V2T_L2_MSR      (MSR_SF | MSR_RI | MSR_LE)  /* ME, HV, S are not the L1's to set (mask) */
#define V2T_MAX_VCPUS   4
#define V2T_FAR         (NHV_TB_HZ * 100UL)          /* a deadline no test reaches */

typedef struct V2tL2 {
    Nv2Guest g;
    RadixRoot tree;
    unsigned nvcpus;
    Nv2Vcpu vcpu[V2T_MAX_VCPUS];
    uint8_t in[V2T_MAX_VCPUS][V2T_RUNBUF] __attribute__((aligned(128)));
    uint8_t out[V2T_MAX_VCPUS][V2T_RUNBUF] __attribute__((aligned(128)));
} V2tL2;

static uint64_t v2t_caps;

/* QEMU 10 aborts on some inputs PAPR says are errors (an out-of-range vCPU
 * id, a GET of element 0x0005, ...); such sub-tests are skipped there, and
 * only there.  The device tree cannot tell (nesthv mirrors QEMU's), so the
 * L0 is recognised by its error model, probed once with a harmless call: a
 * host-wide H_GUEST_GET_STATE of element 0x0001 (a guest-wide element) is
 * H_INVALID_ELEMENT_ID under PAPR; QEMU 10 does not know 0x0001 and, like
 * for every element error, returns H_P3. */
static int v2t_p3_model = -1;

static inline bool v2t_is_qemu(void)
{
    if (v2t_p3_model < 0) {
        GsbBuf b;
        gsb_init(&b, nhv_real(NHV_DATA), 64);
        gsb_put_u64(&b, GSB_ID_HOST_STATE_SIZE, 0);
        v2t_p3_model = hcall(H_GUEST_GET_STATE, NV2_STATE_HOST_WIDE, 0, 0, NHV_DATA, gsb_len(&b)) == H_P3;
    }
    return v2t_p3_model;
}

/* A sub-test skipped on QEMU 10 prints this there (and is in the .qemu10-diff). */
static inline bool v2t_skip_on_qemu(const char *what)
{
    if (!v2t_is_qemu())
        return false;
    printf("skipped on QEMU 10: %s\n", what);
    return true;
}

/* Capabilities (everything but COPY_MEM, which no test needs), vectors. */
static inline void v2t_init(void)
{
    nhv_build_vectors();
    long rc = nv2_negotiate(NV2_CAP_POWER9 | NV2_CAP_POWER10 | NV2_CAP_POWER11, &v2t_caps);
    if (rc != H_SUCCESS)
        nhv_die("capabilities", rc);
    (void)v2t_is_qemu();
    nv2_stats_reset();
}

static inline void v2t_tree(RadixRoot *tree)
{
    if (radix_tree_create(&nhv_mem, tree) != 0)
        nhv_die("radix_tree_create", -1);
    if (radix_map(&nhv_mem, tree, 0, NHV_VEC, NHV_VEC_BYTES, 12, NHV_RWX) != 0 ||
        radix_map(&nhv_mem, tree, NHV_ID_START, NHV_ID_START, NHV_ID_END - NHV_ID_START, 21, NHV_RWX) != 0)
        nhv_die("radix_map", -1);
}

/* Element 0x0005 for a tree: root address, 52 EA bits, root size in bytes. */
static inline GsbPartTable v2t_part_table(const RadixRoot *tree)
{
    return (GsbPartTable){ tree->base, 52, 8UL << tree->rpds };
}

/* Map an extra range into the L2 (L2 real gpa -> L1 real l1ra). */
static inline int v2t_map(V2tL2 *l2, uint64_t gpa, unsigned long l1ra, uint64_t size, unsigned shift,
                          uint64_t flags)
{
    return radix_map(&nhv_mem, &l2->tree, gpa, l1ra, size, shift, flags);
}

/* A guest with its tree (or share's) and nvcpus vCPUs 0..nvcpus-1, buffers
 * registered, partition table dirty (sent before the first run). */
static inline void v2t_setup(V2tL2 *l2, unsigned nvcpus, const V2tL2 *share)
{
    long rc = nv2_guest_create(&l2->g);
    if (rc != H_SUCCESS)
        nhv_die("H_GUEST_CREATE", rc);
    if (share)
        l2->tree = share->tree;
    else
        v2t_tree(&l2->tree);
    GsbPartTable pt = v2t_part_table(&l2->tree);
    nv2_set_part_table(&l2->g, &pt);
    l2->nvcpus = nvcpus;
    for (unsigned i = 0; i < nvcpus; i++) {
        rc = nv2_vcpu_create(&l2->vcpu[i], &l2->g, i, l2->in[i], V2T_RUNBUF, l2->out[i], V2T_RUNBUF);
        if (rc != H_SUCCESS)
            nhv_die("H_GUEST_CREATE_VCPU", rc);
    }
}

/* The stack of an L2 vCPU: one of NHV_NSTACKS 64 KiB slots. */
static inline unsigned long v2t_stack(const Nv2Vcpu *v)
{
    unsigned slot = (unsigned)((v->guest->id * V2T_MAX_VCPUS + v->id) % NHV_NSTACKS);
    return NHV_STACKS + (slot + 1) * NHV_STACK_SIZE - 64;
}

/* Make the L2 vCPU call fn(arg) in real mode; it returns to NHV_DONE_GPA. */
static inline void v2t_call(Nv2Vcpu *v, unsigned long (*fn)(unsigned long), unsigned long arg)
{
    unsigned long toc;
    __asm__("mr %0, 2" : "=r"(toc));
    nv2_set64(v, GSB_ID_NIA, (unsigned long)fn);
    nv2_set64(v, GSB_ID_GPR(12), (unsigned long)fn); /* ELFv2 global entry: r2 from r12 */
    nv2_set64(v, GSB_ID_GPR(2), toc);
    nv2_set64(v, GSB_ID_GPR(1), v2t_stack(v));
    nv2_set64(v, GSB_ID_GPR(3), arg);
    nv2_set64(v, GSB_ID_LR, NHV_DONE_GPA);
    nv2_set64(v, GSB_ID_MSR, V2T_L2_MSR);
    nv2_set64(v, GSB_ID_LPCR, LPCR_ILE);
    nv2_set64(v, GSB_ID_DEC_EXPIRY_TB, mftb() + V2T_FAR);
}

/* H_GUEST_RUN_VCPU with a far HDEC deadline (in the input buffer); r3. */
static inline long v2t_run_flags(Nv2Vcpu *v, uint64_t flags)
{
    nv2_set64(v, GSB_ID_HDEC_EXPIRY_TB, mftb() + V2T_FAR);
    return nv2_run(v, flags);
}

static inline long v2t_run(Nv2Vcpu *v)
{
    return v2t_run_flags(v, 0);
}

/* Run until the L2 function returns (forwarding its console hcalls); its
 * result, or the test dies with what happened. */
static inline unsigned long v2t_run_done(Nv2Vcpu *v)
{
    for (;;) {
        long rc = v2t_run(v);
        if (rc != H_SUCCESS)
            nhv_die("H_GUEST_RUN_VCPU", rc);
        uint64_t nr = v->exit == EXCP_SYSCALL ? nv2_get64(v, GSB_ID_GPR(3)) : 0;
        if (v->exit == EXCP_SYSCALL && nr == NHV_HC_DONE)
            return nv2_get64(v, GSB_ID_GPR(4));
        if (v->exit == EXCP_SYSCALL && nr == H_PUT_TERM_CHAR) {
            nv2_set64(v, GSB_ID_GPR(3),
                      hcall(H_PUT_TERM_CHAR, nv2_get64(v, GSB_ID_GPR(4)), nv2_get64(v, GSB_ID_GPR(5)),
                            nv2_get64(v, GSB_ID_GPR(6))));
            continue;
        }
        printf("v2t: guest %lu vcpu %lu exit 0x%lx r3=0x%lx nia=0x%lx\n", (unsigned long)v->guest->id,
               (unsigned long)v->id, (unsigned long)v->exit, (unsigned long)nr,
               (unsigned long)nv2_get64(v, GSB_ID_NIA));
        fw_exit(1);
    }
}

/* ---- building raw buffers for the error tests ---- */

static uint8_t v2t_raw[4096] __attribute__((aligned(64), unused));

/* A raw element: any id, any size, value bytes (big-endian) or zeros. */
static inline void v2t_raw_put(GsbBuf *b, uint16_t id, uint16_t size, const void *val)
{
    uint8_t *p = b->data + b->len;
    p[0] = id >> 8;
    p[1] = id & 0xff;
    p[2] = size >> 8;
    p[3] = size & 0xff;
    for (unsigned i = 0; i < size; i++)
        p[4 + i] = val ? ((const uint8_t *)val)[i] : 0;
    b->len += 4u + size;
    b->count++;
    b->data[0] = b->count >> 24;
    b->data[1] = (b->count >> 16) & 0xff;
    b->data[2] = (b->count >> 8) & 0xff;
    b->data[3] = b->count & 0xff;
}

static inline void v2t_be64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* Print an hcall's r3 (and r4) in one deterministic line. */
static inline void v2t_show(const char *what, long rc, uint64_t r4)
{
    printf("%s: rc=%ld r4=%lu\n", what, rc, (unsigned long)r4);
}

#endif
