/*
 * test_nested_v2.c - L0's PAPR nested API (hv/nested_v2.c) on a whole
 * machine: the hcalls called directly for their checks, and an L1 made of
 * a few instruction words running an L2 with H_GUEST_RUN_VCPU through the
 * run loop.  What the firmware tests cannot do (QEMU 10 aborts on it, or it
 * needs L0's insides): every error code with its r4, inputs QEMU 10 asserts
 * on, buffers outside L1 memory, the host-wide counters against L0's own
 * accounting, everything freed by H_GUEST_DELETE, DEC/HDEC expiry and the
 * timebase offset, the API off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gsb/gsb.h"
#include "hv/hv.h"
#include "hv/nested_v2.h"
#include "ppc/hcall.h"
#include "radix/radix.h"

#define RAM_SIZE   (256ULL << 20)
#define L1_CODE    0x1000ULL     /* sc 1; b . */
#define REQ        0x120000ULL   /* request buffers */
#define RUN_IN     0x122000ULL
#define RUN_OUT    0x123000ULL
#define PROCTBL    0x130000ULL
#define POOL       0x200000ULL   /* the L1's tree for its L2 */
#define L2_CODE_RA 0x300000ULL   /* L2 real 0 */
#define L2_DATA_RA 0x310000ULL
#define L2_DATA    0x10000ULL
#define L2_MSR     (MSR_SF | MSR_LE)
#define BUDGET     100000ULL

#define LI(rt, v)         (0x38000000u | (rt) << 21 | ((v) & 0xFFFF))
#define LD(rt, d, ra)     (0xE8000000u | (rt) << 21 | (ra) << 16 | ((d) & 0xFFFC))
#define STD(rs, d, ra)    (0xF8000000u | (rs) << 21 | (ra) << 16 | ((d) & 0xFFFC))
#define MFTB(rt)          (0x7C0C42E6u | (rt) << 21)
#define B(off)            (0x48000000u | ((off) & 0x3FFFFFC))
#define SC1               0x44000022u

/* ---- the machine ------------------------------------------------------------------------ */

static int mem_rd(void *opaque, radix_addr_t a, uint64_t *v)
{
    Hv *hv = opaque;
    uint64_t x;
    memcpy(&x, hv->ram + a, 8);
    *v = __builtin_bswap64(x);
    return 0;
}

static int mem_wr(void *opaque, radix_addr_t a, uint64_t v)
{
    Hv *hv = opaque;
    v = __builtin_bswap64(v);
    memcpy(hv->ram + a, &v, 8);
    return 0;
}

static radix_addr_t pool_next;

static int mem_alloc(void *opaque, unsigned size, radix_addr_t *out)
{
    Hv *hv = opaque;
    pool_next = (pool_next + size - 1) & ~(radix_addr_t)(size - 1);
    memset(hv->ram + pool_next, 0, size);
    *out = pool_next;
    pool_next += size;
    return 0;
}

static void mem_free(void *opaque, radix_addr_t a, unsigned size)
{
    (void)opaque;
    (void)a;
    (void)size;
}

static void put_words(Hv *hv, uint64_t ra, const uint32_t *w, size_t n)
{
    memcpy(hv->ram + ra, w, n * 4); /* the host is little-endian; everything runs MSR[LE] = 1 */
}

static Hv *machine(bool hv_on, bool papr_on)
{
    Hv *hv = calloc(1, sizeof(*hv));
    HvConfig cfg;
    char err[256];
    memset(&cfg, 0, sizeof(cfg));
    mach_config_init(&cfg.mach);
    cfg.mach.ram_size = RAM_SIZE;
    cfg.mach.smp_cpus = 1;
    cfg.mach.cap_nested_hv = hv_on;
    cfg.mach.cap_nested_papr = papr_on;
    cfg.clock = CPU_CLOCK_ICOUNT;
    cfg.rtc_base = 0;
    cfg.max_insns = BUDGET;
    assert_int_equal(hv_init(hv, &cfg, err, sizeof(err)), 0);
    static const uint32_t l1[] = { SC1, B(0) };
    put_words(hv, L1_CODE, l1, 2);
    hv->cpu.msr = MSR_SF | MSR_ME | MSR_LE;
    return hv;
}

static void destroy(Hv *hv)
{
    hv_destroy(hv);
    free(hv);
}

/* An hcall made directly (r3 returned, r4.. as left). */
static long call(Hv *hv, long (*fn)(Hv *, CPUState *), uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                 uint64_t a4)
{
    CPUState *cpu = &hv->cpu;
    cpu->gpr[4] = a0;
    cpu->gpr[5] = a1;
    cpu->gpr[6] = a2;
    cpu->gpr[7] = a3;
    cpu->gpr[8] = a4;
    return fn(hv, cpu);
}

static uint64_t r4(Hv *hv)
{
    return hv->cpu.gpr[4];
}

static void negotiate(Hv *hv)
{
    assert_int_equal(call(hv, hv_h_guest_set_capabilities, 0, H_GUEST_CAP_POWER9, 0, 0, 0), H_SUCCESS);
}

/* A request buffer at REQ. */
static GsbBuf req(Hv *hv)
{
    GsbBuf b;
    assert_int_equal(gsb_init(&b, hv->ram + REQ, 4096), GSB_OK);
    return b;
}

static long set_state(Hv *hv, uint64_t flags, uint64_t id, uint64_t vcpu, const GsbBuf *b)
{
    return call(hv, hv_h_guest_set_state, flags, id, vcpu, REQ, gsb_len(b));
}

static long get_state(Hv *hv, uint64_t flags, uint64_t id, uint64_t vcpu, const GsbBuf *b)
{
    return call(hv, hv_h_guest_get_state, flags, id, vcpu, REQ, gsb_len(b));
}

/* The L1's tree: L2 real 0 -> L2_CODE_RA, L2_DATA -> L2_DATA_RA. */
static GsbPartTable l1_tree(Hv *hv)
{
    RadixMem m = { hv, mem_rd, mem_wr, mem_alloc, mem_free };
    RadixRoot r;
    const uint64_t rw = RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW;
    pool_next = POOL;
    assert_int_equal(radix_tree_create(&m, &r), 0);
    assert_int_equal(radix_map(&m, &r, 0, L2_CODE_RA, 0x1000, 12, rw | RADIX_PTE_EAA_EXEC), 0);
    assert_int_equal(radix_map(&m, &r, L2_DATA, L2_DATA_RA, 0x1000, 12, rw), 0);
    return (GsbPartTable){ r.base, 52, 8ULL << r.rpds };
}

/* Guest 1 with vCPU 0: tables, run buffers, an L2 at real 0 in real mode. */
static uint64_t guest_ready(Hv *hv)
{
    negotiate(hv);
    assert_int_equal(call(hv, hv_h_guest_create, 0, H_GUEST_CREATE_NO_TOKEN, 0, 0, 0), H_SUCCESS);
    uint64_t id = r4(hv);
    assert_int_equal(call(hv, hv_h_guest_create_vcpu, 0, id, 0, 0, 0), H_SUCCESS);
    GsbPartTable pt = l1_tree(hv);
    GsbRegion prt = { PROCTBL, 0x1000 };
    GsbBuf b = req(hv);
    gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, &pt);
    gsb_put_region(&b, GSB_ID_PROCESS_TABLE, &prt);
    assert_int_equal(set_state(hv, H_GUEST_STATE_GUEST_WIDE, id, 0, &b), H_SUCCESS);
    b = req(hv);
    gsb_put_region(&b, GSB_ID_RUN_INPUT, &(GsbRegion){ RUN_IN, 256 });
    gsb_put_region(&b, GSB_ID_RUN_OUTPUT, &(GsbRegion){ RUN_OUT, 256 });
    gsb_put_u64(&b, GSB_ID_NIA, 0);
    gsb_put_u64(&b, GSB_ID_MSR, L2_MSR);
    gsb_put_u64(&b, GSB_ID_LPCR, LPCR_ILE);
    gsb_put_u64(&b, GSB_ID_GPR(7), L2_DATA);
    gsb_put_u64(&b, GSB_ID_HDEC_EXPIRY_TB, ~0ULL >> 1);
    gsb_put_u64(&b, GSB_ID_DEC_EXPIRY_TB, ~0ULL >> 1);
    assert_int_equal(set_state(hv, 0, id, 0, &b), H_SUCCESS);
    GsbBuf in;
    gsb_init(&in, hv->ram + RUN_IN, 256); /* empty input buffer */
    return id;
}

/* The L1 (vCPU 0) calls H_GUEST_RUN_VCPU(flags, id, 0) at L1_CODE, run until the budget. */
static void l1_run(Hv *hv, uint64_t flags, uint64_t id)
{
    CPUState *cpu = &hv->cpu;
    cpu->nip = L1_CODE;
    cpu->msr = MSR_SF | MSR_ME | MSR_LE;
    cpu->gpr[3] = H_GUEST_RUN_VCPU;
    cpu->gpr[4] = flags;
    cpu->gpr[5] = id;
    cpu->gpr[6] = 0;
    cpu_mode_changed(cpu);
    hv->cfg.max_insns = hv->insns + BUDGET;
    assert_int_equal(hv_run(hv), HV_LIMIT_REACHED);
    assert_false(hv_nested_in_l2(hv, cpu));
}

static GsbView output(Hv *hv)
{
    GsbView v;
    assert_int_equal(gsb_parse(hv->ram + RUN_OUT, 256, &v, NULL), GSB_OK);
    return v;
}

static uint64_t out64(Hv *hv, uint16_t id)
{
    GsbView v = output(hv);
    uint64_t x = 0;
    assert_true(gsb_find_u64(&v, id, &x));
    return x;
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void test_api_off(void **state)
{
    Hv *hv = machine(true, false);
    assert_int_equal(call(hv, hv_h_guest_get_capabilities, 0, 0, 0, 0, 0), H_FUNCTION);
    assert_int_equal(call(hv, hv_h_guest_create, 0, ~0ULL, 0, 0, 0), H_FUNCTION);
    assert_int_equal(call(hv, hv_h_guest_run_vcpu, 0, 1, 0, 0, 0), H_FUNCTION);
    assert_int_equal(call(hv, hv_h_guest_delete, 0, 1, 0, 0, 0), H_FUNCTION);
    destroy(hv);
    /* v2 on, v1 off: the v1 calls stay H_FUNCTION (the invalidations too, until v2 is negotiated) */
    hv = machine(false, true);
    assert_int_equal(call(hv, hv_h_enter_nested, 0, 0, 0, 0, 0), H_FUNCTION);
    assert_int_equal(call(hv, hv_h_set_partition_table, 0, 0, 0, 0, 0), H_FUNCTION);
    assert_int_equal(call(hv, hv_h_rpt_invalidate, 0, 1, 2, ~0ULL, 0), H_FUNCTION);
    negotiate(hv);
    assert_int_equal(call(hv, hv_h_tlb_invalidate, TLBIE_INSN_R, 1, (uint64_t)TLBIE_IS_LPID << TLBIE_RB_IS_SHIFT, 0,
                          0),
                     H_SUCCESS);
    destroy(hv);
}

static void test_capabilities(void **state)
{
    Hv *hv = machine(true, true);
    assert_int_equal(call(hv, hv_h_guest_get_capabilities, 0, 0, 0, 0, 0), H_SUCCESS);
    assert_int_equal(r4(hv), H_GUEST_CAP_POWER9);
    assert_int_equal(call(hv, hv_h_guest_get_capabilities, 1, 0, 0, 0, 0), H_PARAMETER);
    assert_int_equal(call(hv, hv_h_guest_create, 0, ~0ULL, 0, 0, 0), H_STATE);
    assert_int_equal(call(hv, hv_h_guest_set_capabilities, 1, H_GUEST_CAP_POWER9, 0, 0, 0), H_PARAMETER);
    assert_int_equal(call(hv, hv_h_guest_set_capabilities, 0, 0, 0, 0, 0), H_P2);
    assert_int_equal(r4(hv), 1);
    assert_int_equal(hv->cpu.gpr[5], 1);
    assert_int_equal(call(hv, hv_h_guest_set_capabilities, 0, H_GUEST_CAP_POWER10, 0, 0, 0), H_P2);
    assert_int_equal(hv->cpu.gpr[5], 2);
    negotiate(hv);
    assert_int_equal(call(hv, hv_h_guest_set_capabilities, 0, H_GUEST_CAP_POWER9, 0, 0, 0), H_STATE);
    destroy(hv);
}

static void test_create_errors(void **state)
{
    Hv *hv = machine(true, true);
    negotiate(hv);
    assert_int_equal(call(hv, hv_h_guest_create, 1, ~0ULL, 0, 0, 0), H_UNSUPPORTED_FLAG);
    assert_int_equal(call(hv, hv_h_guest_create, 0, 5, 0, 0, 0), H_P2);
    assert_int_equal(call(hv, hv_h_guest_create, 0, ~0ULL, 0, 0, 0), H_SUCCESS);
    uint64_t id = r4(hv);
    assert_int_equal(id, 1);
    assert_int_equal(call(hv, hv_h_guest_create_vcpu, 0, 2, 0, 0, 0), H_P2);
    assert_int_equal(call(hv, hv_h_guest_create_vcpu, 0, 0, 0, 0, 0), H_P2);
    assert_int_equal(call(hv, hv_h_guest_create_vcpu, 0, 5000, 0, 0, 0), H_P2);
    assert_int_equal(call(hv, hv_h_guest_create_vcpu, 1, id, 0, 0, 0), H_UNSUPPORTED_FLAG);
    assert_int_equal(call(hv, hv_h_guest_create_vcpu, 0, id, 2048, 0, 0), H_P3); /* QEMU 10 aborts */
    assert_int_equal(call(hv, hv_h_guest_create_vcpu, 0, id, 2047, 0, 0), H_SUCCESS); /* any order */
    assert_int_equal(call(hv, hv_h_guest_create_vcpu, 0, id, 2047, 0, 0), H_IN_USE);
    assert_int_equal(call(hv, hv_h_guest_delete, 2, id, 0, 0, 0), H_UNSUPPORTED_FLAG);
    assert_int_equal(call(hv, hv_h_guest_delete, 0, id + 1, 0, 0, 0), H_P2);
    assert_int_equal(call(hv, hv_h_guest_delete, 0, id, 0, 0, 0), H_SUCCESS);
    assert_int_equal(call(hv, hv_h_guest_delete, 0, id, 0, 0, 0), H_P2);
    destroy(hv);
}

static void test_state_errors(void **state)
{
    Hv *hv = machine(true, true);
    uint64_t id = guest_ready(hv);
    GsbBuf b = req(hv);
    gsb_put_u64(&b, GSB_ID_GPR(1), 1);
    gsb_put_u64(&b, GSB_ID_GPR(2), 2);
    /* flags */
    assert_int_equal(set_state(hv, H_GUEST_SET_STATE_RETURN_OWNER, id, 0, &b), H_PARAMETER);
    assert_int_equal(set_state(hv, 1, id, 0, &b), H_PARAMETER);
    assert_int_equal(get_state(hv, H_GUEST_STATE_GUEST_WIDE | H_GUEST_GET_STATE_HOST_WIDE, id, 0, &b), H_PARAMETER);
    /* ids */
    assert_int_equal(set_state(hv, 0, id + 1, 0, &b), H_P2);
    assert_int_equal(set_state(hv, 0, id, 1, &b), H_P3);
    assert_int_equal(set_state(hv, 0, id, 1ULL << 40, &b), H_P3); /* QEMU 10 aborts */
    /* buffers */
    assert_int_equal(call(hv, hv_h_guest_set_state, 0, id, 0, REQ, 3), H_P5);
    assert_int_equal(call(hv, hv_h_guest_set_state, 0, id, 0, REQ, H_GUEST_STATE_BUF_MAX + 1), H_P5);
    assert_int_equal(call(hv, hv_h_guest_set_state, 0, id, 0, RAM_SIZE - 8, 64), H_P4);
    assert_int_equal(call(hv, hv_h_guest_set_state, 0, id, 0, REQ, gsb_len(&b) - 1), H_P5); /* truncated */
    /* element errors: r4 = the index */
    b = req(hv);
    gsb_put_u64(&b, GSB_ID_GPR(1), 1);
    gsb_put_u64(&b, GSB_ID_TB_OFFSET, 1);                       /* guest-wide in a thread request */
    assert_int_equal(set_state(hv, 0, id, 0, &b), H_INVALID_ELEMENT_ID);
    assert_int_equal(r4(hv), 1);
    b = req(hv);
    gsb_put_u64(&b, GSB_ID_GPR(1), 1);
    gsb_put_u64(&b, GSB_ID_GPR(2), 1);
    gsb_put_u64(&b, GSB_ID_LPCR, LPCR_HR);                      /* outside the LPCR mask */
    assert_int_equal(set_state(hv, 0, id, 0, &b), H_INVALID_ELEMENT_VALUE);
    assert_int_equal(r4(hv), 2);
    b = req(hv);
    gsb_put_u64(&b, GSB_ID_HDAR, 1);                            /* read-only */
    assert_int_equal(set_state(hv, 0, id, 0, &b), H_INVALID_ELEMENT_ID);
    assert_int_equal(r4(hv), 0);
    b = req(hv);
    gsb_put_u64(&b, GSB_ID_TB_OFFSET, 1);
    gsb_put_region(&b, GSB_ID_PROCESS_TABLE, &(GsbRegion){ PROCTBL, 8192 + 1 }); /* QEMU 10 aborts */
    assert_int_equal(set_state(hv, H_GUEST_STATE_GUEST_WIDE, id, 0, &b), H_INVALID_ELEMENT_VALUE);
    assert_int_equal(r4(hv), 1);
    b = req(hv);
    gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, &(GsbPartTable){ POOL, 48, 0x10000 }); /* QEMU 10 aborts */
    assert_int_equal(set_state(hv, H_GUEST_STATE_GUEST_WIDE, id, 0, &b), H_INVALID_ELEMENT_VALUE);
    assert_int_equal(r4(hv), 0);
    /* a size the table does not have: the element's index */
    b = req(hv);
    gsb_put_u64(&b, GSB_ID_GPR(1), 1);
    uint8_t *p = b.data + b.len;
    p[0] = 0x10, p[1] = 0x02, p[2] = 0, p[3] = 4;               /* GPR2 with 4 bytes */
    b.len += 8;
    b.data[3] = 2;
    assert_int_equal(set_state(hv, 0, id, 0, &b), H_INVALID_ELEMENT_SIZE);
    assert_int_equal(r4(hv), 1);
    /* GET of 0x0005 (QEMU 10 asserts) gives what was set */
    b = req(hv);
    gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, &(GsbPartTable){ 0, 0, 0 });
    assert_int_equal(get_state(hv, H_GUEST_STATE_GUEST_WIDE, id, 0, &b), H_SUCCESS);
    GsbView v;
    GsbElem e;
    GsbPartTable pt;
    assert_int_equal(gsb_parse(hv->ram + REQ, gsb_len(&b), &v, NULL), GSB_OK);
    assert_true(gsb_find(&v, GSB_ID_PARTITION_TABLE, &e));
    assert_true(gsb_elem_part_table(&e, &pt));
    assert_int_equal(pt.ea_bits, 52);
    destroy(hv);
}

static void test_host_wide_counters_and_delete_frees(void **state)
{
    Hv *hv = machine(true, true);
    HvNestedMem base = hv->nested->mem;
    uint64_t id = guest_ready(hv);
    static const uint32_t l2[] = { LD(4, 0, 7), LI(3, 0x1111), SC1, B(0) };
    put_words(hv, L2_CODE_RA, l2, 4);
    l1_run(hv, 0, id);
    assert_int_equal(hv->cpu.gpr[3], H_SUCCESS);
    HvNestedMem busy = hv->nested->mem;
    assert_true(busy.heap > base.heap);
    assert_true(busy.pgtable > base.pgtable);
    /* the host-wide elements report exactly that */
    GsbBuf b = req(hv);
    gsb_put_u64(&b, GSB_ID_L0_GUEST_HEAP, 0);
    gsb_put_u64(&b, GSB_ID_L0_GUEST_HEAP_MAX, 0);
    gsb_put_u64(&b, GSB_ID_L0_GUEST_PGTABLE_SIZE, 0);
    gsb_put_u64(&b, GSB_ID_L0_GUEST_PGTABLE_SIZE_MAX, 0);
    gsb_put_u64(&b, GSB_ID_L0_GUEST_PGTABLE_RECLAIM, 0);
    assert_int_equal(get_state(hv, H_GUEST_GET_STATE_HOST_WIDE, 0, 0, &b), H_SUCCESS);
    GsbView v;
    uint64_t x;
    assert_int_equal(gsb_parse(hv->ram + REQ, gsb_len(&b), &v, NULL), GSB_OK);
    assert_true(gsb_find_u64(&v, GSB_ID_L0_GUEST_HEAP, &x));
    assert_int_equal(x, busy.heap);
    assert_true(gsb_find_u64(&v, GSB_ID_L0_GUEST_PGTABLE_SIZE, &x));
    assert_int_equal(x, busy.pgtable);
    assert_true(gsb_find_u64(&v, GSB_ID_L0_GUEST_PGTABLE_SIZE_MAX, &x));
    assert_int_equal(x, busy.pgtable_max);
    /* a thread element in a host-wide request */
    b = req(hv);
    gsb_put_u64(&b, GSB_ID_GPR(0), 0);
    assert_int_equal(get_state(hv, H_GUEST_GET_STATE_HOST_WIDE, 0, 0, &b), H_INVALID_ELEMENT_ID);
    /* delete: everything back */
    uint32_t lpids = hv->nested->lpids_in_use;
    assert_int_equal(call(hv, hv_h_guest_delete, H_GUEST_DELETE_ALL, 0, 0, 0, 0), H_SUCCESS);
    /* all but the rmap's hash table, which nest keeps for the L1's next guests */
    const NestRmap *rm = &hv->nested->l1v2.rmap;
    uint64_t buckets = rm->buckets ? (1ULL << rm->order) * sizeof(*rm->buckets) : 0;
    assert_int_equal(hv->nested->mem.heap, base.heap + buckets);
    assert_int_equal(hv->nested->mem.pgtable, base.pgtable);
    assert_int_equal(hv->nested->lpids_in_use, lpids - 1);
    assert_int_equal(hv->nested->l1v2.rmap.count, 0);
    destroy(hv);
}

static void test_run_hcall_exit_and_state_kept(void **state)
{
    Hv *hv = machine(true, true);
    uint64_t id = guest_ready(hv);
    /* L2: r4 = *L2_DATA; hcall 0x1111; r5 = r3 (the L1's answer); hcall 0x2222 */
    static const uint32_t l2[] = { LD(4, 0, 7), LI(3, 0x1111), SC1, 0x7C651B78u /* mr r5,r3 */, LI(3, 0x2222), SC1, B(0) };
    put_words(hv, L2_CODE_RA, l2, 7);
    uint64_t v = 0x77;
    memcpy(hv->ram + L2_DATA_RA, &v, 8);
    l1_run(hv, 0, id);
    assert_int_equal(hv->cpu.gpr[3], H_SUCCESS);
    assert_int_equal(hv->cpu.gpr[4], EXCP_SYSCALL);
    assert_int_equal(hv->cpu.nip, L1_CODE + 4);
    GsbView out = output(hv);
    assert_int_equal(out.count, 10);
    assert_int_equal(out64(hv, GSB_ID_GPR(3)), 0x1111);
    assert_int_equal(out64(hv, GSB_ID_GPR(4)), 0x77);
    /* the answer in the input buffer; nothing else resent */
    GsbBuf in;
    gsb_init(&in, hv->ram + RUN_IN, 256);
    gsb_put_u64(&in, GSB_ID_GPR(3), 0xABC);
    l1_run(hv, 0, id);
    assert_int_equal(hv->cpu.gpr[4], EXCP_SYSCALL);
    assert_int_equal(out64(hv, GSB_ID_GPR(3)), 0x2222);
    assert_int_equal(out64(hv, GSB_ID_GPR(5)), 0xABC);
    /* NIA in the store: after the second sc */
    GsbBuf b = req(hv);
    gsb_put_u64(&b, GSB_ID_NIA, 0);
    assert_int_equal(get_state(hv, 0, id, 0, &b), H_SUCCESS);
    GsbView g;
    uint64_t nia;
    assert_int_equal(gsb_parse(hv->ram + REQ, gsb_len(&b), &g, NULL), GSB_OK);
    assert_true(gsb_find_u64(&g, GSB_ID_NIA, &nia));
    assert_int_equal(nia, 24);
    destroy(hv);
}

static void test_run_errors(void **state)
{
    Hv *hv = machine(true, true);
    negotiate(hv);
    assert_int_equal(call(hv, hv_h_guest_create, 0, ~0ULL, 0, 0, 0), H_SUCCESS);
    uint64_t id = r4(hv);
    assert_int_equal(call(hv, hv_h_guest_create_vcpu, 0, id, 0, 0, 0), H_SUCCESS);
    assert_int_equal(call(hv, hv_h_guest_run_vcpu, 1 << 0, id, 0, 0, 0), H_PARAMETER);
    assert_int_equal(call(hv, hv_h_guest_run_vcpu, 0, id + 1, 0, 0, 0), H_P2);
    assert_int_equal(call(hv, hv_h_guest_run_vcpu, 0, id, 1, 0, 0), H_P3);
    /* QEMU 10 aborts on the next two (no buffers) */
    assert_int_equal(call(hv, hv_h_guest_run_vcpu, 0, id, 0, 0, 0), H_INPUT_BUFFER_NOT_DEFINED);
    GsbBuf b = req(hv);
    gsb_put_region(&b, GSB_ID_RUN_INPUT, &(GsbRegion){ RUN_IN, 2 });
    assert_int_equal(set_state(hv, 0, id, 0, &b), H_SUCCESS);
    assert_int_equal(call(hv, hv_h_guest_run_vcpu, 0, id, 0, 0, 0), H_INPUT_BUFFER_TOO_SMALL);
    b = req(hv);
    gsb_put_region(&b, GSB_ID_RUN_INPUT, &(GsbRegion){ RUN_IN, 256 });
    assert_int_equal(set_state(hv, 0, id, 0, &b), H_SUCCESS);
    assert_int_equal(call(hv, hv_h_guest_run_vcpu, 0, id, 0, 0, 0), H_OUTPUT_BUFFER_NOT_DEFINED);
    b = req(hv);
    gsb_put_region(&b, GSB_ID_RUN_OUTPUT, &(GsbRegion){ RUN_OUT, 64 });
    assert_int_equal(set_state(hv, 0, id, 0, &b), H_SUCCESS);
    assert_int_equal(call(hv, hv_h_guest_run_vcpu, 0, id, 0, 0, 0), H_OUTPUT_BUFFER_TOO_SMALL);
    b = req(hv);
    gsb_put_region(&b, GSB_ID_RUN_OUTPUT, &(GsbRegion){ RUN_OUT, 256 });
    assert_int_equal(set_state(hv, 0, id, 0, &b), H_SUCCESS);
    assert_int_equal(call(hv, hv_h_guest_run_vcpu, 0, id, 0, 0, 0), H_PARTITION_PAGE_TABLE_NOT_DEFINED);
    /* a bad element in the input buffer: r4 = its byte offset */
    GsbPartTable pt = l1_tree(hv);
    b = req(hv);
    gsb_put_part_table(&b, GSB_ID_PARTITION_TABLE, &pt);
    assert_int_equal(set_state(hv, H_GUEST_STATE_GUEST_WIDE, id, 0, &b), H_SUCCESS);
    GsbBuf in;
    gsb_init(&in, hv->ram + RUN_IN, 256);
    gsb_put_u64(&in, GSB_ID_GPR(1), 1);
    gsb_put_u64(&in, GSB_ID_TB_OFFSET, 1);
    assert_int_equal(call(hv, hv_h_guest_run_vcpu, 0, id, 0, 0, 0), H_INVALID_ELEMENT_ID);
    assert_int_equal(r4(hv), GSB_HDR_SIZE + 12);
    assert_false(hv_nested_in_l2(hv, &hv->cpu));
    /* the input buffer moved outside L1 memory */
    b = req(hv);
    gsb_put_region(&b, GSB_ID_RUN_INPUT, &(GsbRegion){ RAM_SIZE - 16, 256 });
    assert_int_equal(set_state(hv, 0, id, 0, &b), H_SUCCESS);
    assert_int_equal(call(hv, hv_h_guest_run_vcpu, 0, id, 0, 0, 0), H_INPUT_BUFFER_NOT_DEFINED);
    destroy(hv);
}

static void test_hdec_and_timebase(void **state)
{
    Hv *hv = machine(true, true);
    uint64_t id = guest_ready(hv);
    /* L2: r8 = mftb; hcall 1; then spin */
    static const uint32_t l2[] = { MFTB(8), LI(3, 1), SC1, B(0) };
    put_words(hv, L2_CODE_RA, l2, 4);
    GsbBuf b = req(hv);
    gsb_put_u64(&b, GSB_ID_TB_OFFSET, 1000000);
    assert_int_equal(set_state(hv, H_GUEST_STATE_GUEST_WIDE, id, 0, &b), H_SUCCESS);
    uint64_t l1_tb = cpu_get_tb(&hv->cpu);
    l1_run(hv, 0, id);
    assert_int_equal(hv->cpu.gpr[4], EXCP_SYSCALL);
    uint64_t l2_tb = out64(hv, GSB_ID_GPR(8));
    assert_true(l2_tb >= l1_tb + 1000000);
    assert_true(l2_tb < l1_tb + 1000000 + 100000);
    /* HDEC expiry in L1 timebase: the spinning L2 exits with 0x980 right at it */
    uint64_t deadline = cpu_get_tb(&hv->cpu) + 5000;
    GsbBuf in;
    gsb_init(&in, hv->ram + RUN_IN, 256);
    gsb_put_u64(&in, GSB_ID_HDEC_EXPIRY_TB, deadline);
    l1_run(hv, 0, id);
    assert_int_equal(hv->cpu.gpr[3], H_SUCCESS);
    assert_int_equal(hv->cpu.gpr[4], EXCP_HDECR);
    uint64_t now = cpu_get_tb(&hv->cpu);
    assert_true(now >= deadline);
    assert_int_equal(output(hv).count, 0);
    /* the L1's DEC is its own again: DEC expiry stored for the L2, L1 DEC unchanged by the run */
    b = req(hv);
    gsb_put_u64(&b, GSB_ID_DEC_EXPIRY_TB, 0);
    assert_int_equal(get_state(hv, 0, id, 0, &b), H_SUCCESS);
    GsbView v;
    uint64_t dec_exp;
    assert_int_equal(gsb_parse(hv->ram + REQ, gsb_len(&b), &v, NULL), GSB_OK);
    assert_true(gsb_find_u64(&v, GSB_ID_DEC_EXPIRY_TB, &dec_exp));
    assert_true(dec_exp > now); /* far in the future, as set (clamped to DEC's range) */
    destroy(hv);
}

static void test_shadow_fault_and_reflect(void **state)
{
    Hv *hv = machine(true, true);
    uint64_t id = guest_ready(hv);
    /* L2: store to L2_DATA (mapped: resolved in L0), then to L2_DATA + 0x100000 (unmapped: 0xE00) */
    static const uint32_t l2[] = { STD(7, 0, 7), 0x3D070010u /* addis r8,r7,16 */, STD(7, 0, 8), B(0) };
    put_words(hv, L2_CODE_RA, l2, 4);
    l1_run(hv, 0, id);
    assert_int_equal(hv->cpu.gpr[4], EXCP_HDSI);
    assert_int_equal(out64(hv, GSB_ID_HDAR), L2_DATA + 0x100000);
    assert_int_equal(out64(hv, GSB_ID_ASDR) & ~0xFFFULL, L2_DATA + 0x100000);
    assert_int_equal(out64(hv, GSB_ID_NIA), 8);
    uint64_t v;
    memcpy(&v, hv->ram + L2_DATA_RA, 8);
    assert_int_equal(v, L2_DATA);
    NestGuestStats s;
    nest_l1_stats_sum(&hv->nested->l1v2, &s);
    assert_true(s.shadow_faults >= 2);
    assert_int_equal(s.reflected_faults, 1);
    /* --stats lists the guest */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hv_nested_print_stats(hv, f);
    fclose(f);
    assert_non_null(strstr(buf, "v2 PAPR API"));
    assert_non_null(strstr(buf, "guest 1 (shadow"));
    assert_non_null(strstr(buf, "hdsi 0xe00 1"));
    free(buf);
    destroy(hv);
}

/* Guests until L0 says no (ids 1..4095, or L0's table memory first): then all deleted, memory back. */
static void test_guest_table_full(void **state)
{
    Hv *hv = machine(true, true);
    HvNestedMem base = hv->nested->mem;
    negotiate(hv);
    uint64_t n = 0;
    long rc;
    while ((rc = call(hv, hv_h_guest_create, 0, H_GUEST_CREATE_NO_TOKEN, 0, 0, 0)) == H_SUCCESS) {
        assert_int_equal(r4(hv), n + 1);
        n++;
    }
    assert_int_equal(rc, H_NO_MEM);
    assert_true(n >= 64);
    assert_true(n <= H_GUEST_ID_MAX);
    assert_int_equal(call(hv, hv_h_guest_create, 0, H_GUEST_CREATE_NO_TOKEN, 0, 0, 0), H_NO_MEM);
    assert_int_equal(call(hv, hv_h_guest_delete, 0, n / 2, 0, 0, 0), H_SUCCESS);
    assert_int_equal(call(hv, hv_h_guest_create, 0, H_GUEST_CREATE_NO_TOKEN, 0, 0, 0), H_SUCCESS);
    assert_int_equal(r4(hv), n / 2); /* the free id is reused */
    assert_int_equal(call(hv, hv_h_guest_delete, H_GUEST_DELETE_ALL, 0, 0, 0, 0), H_SUCCESS);
    assert_int_equal(hv->nested->mem.heap, base.heap);
    assert_int_equal(hv->nested->mem.pgtable, base.pgtable);
    assert_int_equal(hv->nested->v2->nguests, 0);
    destroy(hv);
}

/* v1 and v2 at once: an invalidation naming id 1 reaches the v2 guest 1 of an L1 that negotiated v2. */
static void test_id_spaces(void **state)
{
    Hv *hv = machine(true, true);
    uint64_t id = guest_ready(hv);
    static const uint32_t l2[] = { STD(7, 0, 7), LI(3, 1), SC1, B(0) };
    put_words(hv, L2_CODE_RA, l2, 4);
    l1_run(hv, 0, id);
    assert_int_equal(hv->cpu.gpr[4], EXCP_SYSCALL);
    NestGuest *ng = hv->nested->v2->guests[id]->ng;
    RadixWalk w;
    nest_walk_shadow(ng, L2_DATA, &w);
    assert_int_equal(w.status, RADIX_OK);
    uint64_t flushes = ng->stats.tlbie_flushes;
    assert_int_equal(call(hv, hv_h_tlb_invalidate, TLBIE_INSN_R, id, (uint64_t)TLBIE_IS_LPID << TLBIE_RB_IS_SHIFT, 0,
                          0),
                     H_SUCCESS);
    assert_int_equal(ng->stats.tlbie_flushes, flushes + 1);
    nest_walk_shadow(ng, L2_DATA, &w);
    assert_int_equal(w.status, RADIX_NOT_PRESENT);
    /* an id with no v2 guest is a v1 lpid (none here): nothing happens */
    assert_int_equal(call(hv, hv_h_tlb_invalidate, TLBIE_INSN_R, 7, (uint64_t)TLBIE_IS_LPID << TLBIE_RB_IS_SHIFT, 0,
                          0),
                     H_SUCCESS);
    assert_int_equal(ng->stats.tlbie_flushes, flushes + 1);
    destroy(hv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_off),
        cmocka_unit_test(test_capabilities),
        cmocka_unit_test(test_create_errors),
        cmocka_unit_test(test_state_errors),
        cmocka_unit_test(test_host_wide_counters_and_delete_frees),
        cmocka_unit_test(test_run_hcall_exit_and_state_kept),
        cmocka_unit_test(test_run_errors),
        cmocka_unit_test(test_hdec_and_timebase),
        cmocka_unit_test(test_shadow_fault_and_reflect),
        cmocka_unit_test(test_id_spaces),
        cmocka_unit_test(test_guest_table_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
