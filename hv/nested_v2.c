/*
 * nested_v2.c - the PAPR nested API (H_GUEST_*) in L0; hv/nested_v2.h has
 * the overview, nest/v2.h the state rules, docs/conformance.md the
 * decisions (error codes where PAPR, Linux and QEMU 10 differ).
 *
 * Order of the checks of every hcall: the API is on (else H_FUNCTION),
 * flags, the guest (H_P2), the vCPU (H_P3), the buffers, then the
 * elements (H_INVALID_ELEMENT_* with r4 = the element's index; for the
 * run input buffer its byte offset, as the PAPR text says).  Nothing an
 * L1 passes is trusted: buffers are copied out of L1 memory once, bounded
 * by H_GUEST_STATE_BUF_MAX, validated with gsb_validate() before use.
 */
#include "hv/nested_v2.h"

#include <stdlib.h>
#include <string.h>

#include "hv/hv.h"
#include "hv/nested_run.h"
#include "ppc/excp.h"
#include "ppc/spr.h"

/* ---- the SPRs a v2 run switches besides NestL2State (the CPU has them) ------------------- */

static const struct {
    uint16_t idx; /* GSB_IDX_* */
    uint16_t spr; /* SPR_* */
} v2_cpu_sprs[] = {
    { GSB_IDX_DAR, SPR_DAR },       { GSB_IDX_DSISR, SPR_DSISR },   { GSB_IDX_AMR, SPR_AMR },
    { GSB_IDX_IAMR, SPR_IAMR },     { GSB_IDX_UAMOR, SPR_UAMOR },   { GSB_IDX_DSCR, SPR_DSCR },
    { GSB_IDX_TAR, SPR_TAR },       { GSB_IDX_FSCR, SPR_FSCR },     { GSB_IDX_CTRL, SPR_CTRL },
    { GSB_IDX_PSPB, SPR_PSPB },     { GSB_IDX_VRSAVE, SPR_VRSAVE }, { GSB_IDX_BESCR, SPR_BESCR },
    { GSB_IDX_EBBHR, SPR_EBBHR },   { GSB_IDX_EBBRR, SPR_EBBRR },   { GSB_IDX_WORT, SPR_WORT },
    { GSB_IDX_MMCR0, SPR_MMCR0 },   { GSB_IDX_MMCR1, SPR_MMCR1 },   { GSB_IDX_MMCR2, SPR_MMCR2 },
    { GSB_IDX_MMCRA, SPR_MMCRA },   { GSB_IDX_SIER, SPR_SIER },     { GSB_IDX_SIAR, SPR_SIAR },
    { GSB_IDX_SDAR, SPR_SDAR },     { GSB_IDX_PMC1, SPR_PMC1 },     { GSB_IDX_PMC2, SPR_PMC2 },
    { GSB_IDX_PMC3, SPR_PMC3 },     { GSB_IDX_PMC4, SPR_PMC4 },     { GSB_IDX_PMC5, SPR_PMC5 },
    { GSB_IDX_PMC6, SPR_PMC6 },
};
#define NR_V2_CPU_SPRS (sizeof v2_cpu_sprs / sizeof v2_cpu_sprs[0])
_Static_assert(NR_V2_CPU_SPRS <= HV_V2_MAX_CPU_SPRS, "HvV2Run.l1_sprs too small");

/* The largest output buffer an exit writes (0xC00: 10 GPRs, 124 bytes), with room to spare. */
#define RUN_OUTPUT_BUILD_MAX 512

/* DEC holds 32 bits without LPCR[LD]: a farther expiry is cut to the largest positive value. */
#define DEC_MAX_TICKS 0x7FFFFFFFLL

/* ---- setup ------------------------------------------------------------------------------------ */

int hv_nested_v2_init(HvNested *n)
{
    HvNestedV2 *v2 = calloc(1, sizeof(*v2));
    if (!v2)
        return -1;
    v2->guests = hv_nested_alloc(n, (H_GUEST_ID_MAX + 1) * sizeof(*v2->guests));
    if (!v2->guests || nest_l1_open_direct(&n->l1v2, H_GUEST_ID_MAX + 1) != H_SUCCESS) {
        hv_nested_free(n, v2->guests, (H_GUEST_ID_MAX + 1) * sizeof(*v2->guests));
        free(v2);
        return -1;
    }
    n->v2 = v2;
    return 0;
}

static void free_guest(HvNested *n, HvV2Guest *g)
{
    if (g->vcpus) {
        for (uint32_t i = 0; i <= H_GUEST_VCPU_ID_MAX; i++)
            hv_nested_free(n, g->vcpus[i], sizeof(HvV2Vcpu));
        hv_nested_free(n, g->vcpus, (H_GUEST_VCPU_ID_MAX + 1) * sizeof(*g->vcpus));
    }
    if (g->ng) {
        nest_guest_remove(g->ng); /* out of the table: shadow tree, rmap entries, shadow LPID go ... */
        nest_guest_put(g->ng);    /* ... with the last reference */
    }
    hv_nested_free(n, g, sizeof(*g));
}

void hv_nested_v2_destroy(HvNested *n)
{
    HvNestedV2 *v2 = n->v2;
    for (uint32_t id = 1; id <= H_GUEST_ID_MAX; id++)
        if (v2->guests[id])
            free_guest(n, v2->guests[id]);
    hv_nested_free(n, v2->guests, (H_GUEST_ID_MAX + 1) * sizeof(*v2->guests));
    free(v2);
    n->v2 = NULL;
}

static HvNestedV2 *v2_of(Hv *hv)
{
    return hv->nested ? hv->nested->v2 : NULL;
}

static HvV2Guest *find_guest(HvNestedV2 *v2, uint64_t id)
{
    return id >= 1 && id <= H_GUEST_ID_MAX ? v2->guests[id] : NULL;
}

static HvV2Vcpu *find_vcpu(HvV2Guest *g, uint64_t vcpu_id)
{
    return g->vcpus && vcpu_id <= H_GUEST_VCPU_ID_MAX ? g->vcpus[vcpu_id] : NULL;
}

bool hv_nested_v2_negotiated(const HvNested *n)
{
    return n->v2 && n->v2->caps_set;
}

NestL1 *hv_nested_v2_table_for(HvNested *n, uint64_t id)
{
    if (!n->v2 || !n->v2->caps_set || !find_guest(n->v2, id))
        return NULL;
    return &n->l1v2;
}

/* ---- capabilities ------------------------------------------------------------------------------- */

long hv_h_guest_get_capabilities(Hv *hv, CPUState *cpu)
{
    HvNestedV2 *v2 = v2_of(hv);
    if (!v2)
        return H_FUNCTION;
    v2->stats.get_caps++;
    if (cpu->gpr[4] != 0)
        return H_PARAMETER;
    cpu->gpr[4] = nest_v2_caps_supported(hv->cfg.mach.pvr);
    return H_SUCCESS;
}

long hv_h_guest_set_capabilities(Hv *hv, CPUState *cpu)
{
    HvNestedV2 *v2 = v2_of(hv);
    if (!v2)
        return H_FUNCTION;
    v2->stats.set_caps++;
    uint64_t flags = cpu->gpr[4], caps = cpu->gpr[5];
    if (flags != 0)
        return H_PARAMETER;
    uint64_t r4 = 0, r5 = cpu->gpr[6];
    long rc = nest_v2_caps_check(nest_v2_caps_supported(hv->cfg.mach.pvr), caps, &r4, &r5);
    if (rc != H_SUCCESS) {
        cpu->gpr[4] = r4;
        cpu->gpr[5] = r5;
        return rc;
    }
    if (v2->caps_set)
        return H_STATE; /* once per boot (QEMU 10) */
    v2->caps_set = true;
    v2->caps = caps;
    return H_SUCCESS;
}

/* ---- guests and vCPUs ----------------------------------------------------------------------------- */

long hv_h_guest_create(Hv *hv, CPUState *cpu)
{
    HvNestedV2 *v2 = v2_of(hv);
    HvNested *n = hv->nested;
    if (!v2)
        return H_FUNCTION;
    v2->stats.create++;
    if (cpu->gpr[4] != 0)
        return H_UNSUPPORTED_FLAG;
    if (cpu->gpr[5] != H_GUEST_CREATE_NO_TOKEN)
        return H_P2; /* L0 never answers H_BUSY: there is nothing to continue */
    if (!v2->caps_set)
        return H_STATE;
    uint32_t id = 1;
    while (id <= H_GUEST_ID_MAX && v2->guests[id])
        id++;
    if (id > H_GUEST_ID_MAX)
        return H_NO_MEM;
    HvV2Guest *g = hv_nested_alloc(n, sizeof(*g));
    if (!g)
        return H_NO_MEM;
    long rc;
    g->id = id;
    g->gw.logical_pvr = nest_v2_caps_logical_pvr(v2->caps);
    g->ng = nest_guest_get(&n->l1v2, id, true, &rc); /* shadow LPID and empty shadow tree now */
    if (!g->ng) {
        hv_nested_free(n, g, sizeof(*g));
        return H_NO_MEM;
    }
    v2->guests[id] = g;
    v2->nguests++;
    v2->stats.guests_created++;
    cpu->gpr[4] = id;
    hv_trace(hv, HV_TRACE_HCALL, "v2 guest %u created (shadow LPID %u)", id, g->ng->shadow_lpid);
    return H_SUCCESS;
}

long hv_h_guest_create_vcpu(Hv *hv, CPUState *cpu)
{
    HvNestedV2 *v2 = v2_of(hv);
    HvNested *n = hv->nested;
    if (!v2)
        return H_FUNCTION;
    v2->stats.create_vcpu++;
    uint64_t flags = cpu->gpr[4], vcpu_id = cpu->gpr[6];
    if (flags != 0)
        return H_UNSUPPORTED_FLAG;
    HvV2Guest *g = find_guest(v2, cpu->gpr[5]);
    if (!g)
        return H_P2;
    if (vcpu_id > H_GUEST_VCPU_ID_MAX)
        return H_P3;
    if (find_vcpu(g, vcpu_id))
        return H_IN_USE;
    if (!g->vcpus) {
        g->vcpus = hv_nested_alloc(n, (H_GUEST_VCPU_ID_MAX + 1) * sizeof(*g->vcpus));
        if (!g->vcpus)
            return H_NO_MEM;
    }
    HvV2Vcpu *vc = hv_nested_alloc(n, sizeof(*vc));
    if (!vc)
        return H_NO_MEM;
    nest_v2_vcpu_init(&vc->st);
    g->vcpus[vcpu_id] = vc;
    g->nvcpus++;
    v2->stats.vcpus_created++;
    return H_SUCCESS;
}

static long delete_guest(HvNested *n, HvV2Guest *g)
{
    if (g->nrunning)
        return H_BUSY; /* one of its vCPUs runs on another L1 vCPU: retry after its exit */
    n->v2->guests[g->id] = NULL;
    n->v2->nguests--;
    n->v2->stats.guests_deleted++;
    free_guest(n, g);
    return H_SUCCESS;
}

long hv_h_guest_delete(Hv *hv, CPUState *cpu)
{
    HvNestedV2 *v2 = v2_of(hv);
    if (!v2)
        return H_FUNCTION;
    v2->stats.del++;
    uint64_t flags = cpu->gpr[4];
    if (flags & ~H_GUEST_DELETE_ALL)
        return H_UNSUPPORTED_FLAG;
    if (flags & H_GUEST_DELETE_ALL) {
        long rc = H_SUCCESS;
        for (uint32_t id = 1; id <= H_GUEST_ID_MAX; id++)
            if (v2->guests[id] && delete_guest(hv->nested, v2->guests[id]) != H_SUCCESS)
                rc = H_BUSY;
        return rc;
    }
    HvV2Guest *g = find_guest(v2, cpu->gpr[5]);
    if (!g)
        return H_P2;
    return delete_guest(hv->nested, g);
}

/* ---- H_GUEST_GET_STATE / H_GUEST_SET_STATE ------------------------------------------------------------- */

/* Host-wide counters (0x0800-0x0804). */
static void host_get(const HvNestedMem *m, void *buf, size_t len, const GsbElem *e)
{
    uint64_t v = 0;
    switch (e->id) {
    case GSB_ID_L0_GUEST_HEAP:
        v = m->heap;
        break;
    case GSB_ID_L0_GUEST_HEAP_MAX:
        v = m->heap_max;
        break;
    case GSB_ID_L0_GUEST_PGTABLE_SIZE:
        v = m->pgtable;
        break;
    case GSB_ID_L0_GUEST_PGTABLE_SIZE_MAX:
        v = m->pgtable_max;
        break;
    case GSB_ID_L0_GUEST_PGTABLE_RECLAIM:
        v = m->pgtable_reclaimed;
        break;
    default:
        return;
    }
    (void)gsb_write_u64(buf, len, e, v);
}

/* The L2's partition-table entry from its guest-wide state (a changed tree drops the shadow). */
static void update_pate(HvV2Guest *g)
{
    uint64_t dw0, dw1;
    nest_v2_pate(&g->gw, &dw0, &dw1);
    nest_guest_set_direct_pate(g->ng, dw0, dw1);
}

/* Validate buf as a request of kind op: H_SUCCESS, or the element error with *r4. */
static long check_buffer(const uint8_t *buf, size_t len, GsbOp op, GsbView *view, uint64_t *r4, bool by_offset)
{
    GsbResult r;
    if (gsb_validate(buf, len, op, view, &r) == GSB_OK && (!(op & GSB_OP_SET) || nest_v2_check_values(view, &r) == GSB_OK))
        return H_SUCCESS;
    *r4 = by_offset ? r.offset : r.index;
    return gsb_err_hcall(r.err, op);
}

static void apply_set(HvV2Guest *g, HvV2Vcpu *vc, const GsbView *view)
{
    GsbIter it;
    GsbElem e;
    bool pt = false;
    for (gsb_iter_init(&it, view); gsb_iter_next(&it, &e);) {
        if (vc) {
            nest_v2_thread_set(&vc->st, &e);
        } else {
            nest_v2_guest_set(&g->gw, &e);
            pt |= e.id == GSB_ID_PARTITION_TABLE || e.id == GSB_ID_PROCESS_TABLE;
        }
    }
    if (pt)
        update_pate(g);
}

static void fill_get(HvNested *n, HvV2Guest *g, HvV2Vcpu *vc, uint8_t *buf, size_t len, const GsbView *view)
{
    GsbIter it;
    GsbElem e;
    for (gsb_iter_init(&it, view); gsb_iter_next(&it, &e);) {
        if (vc)
            nest_v2_thread_get(&vc->st, buf, len, &e);
        else if (g)
            nest_v2_guest_get(&g->gw, buf, len, &e);
        else
            host_get(&n->mem, buf, len, &e);
    }
}

static long getset_state(Hv *hv, CPUState *cpu, bool set)
{
    HvNestedV2 *v2 = v2_of(hv);
    HvNested *n = hv->nested;
    uint64_t flags = cpu->gpr[4], guest_id = cpu->gpr[5], vcpu_id = cpu->gpr[6];
    uint64_t addr = cpu->gpr[7], size = cpu->gpr[8];
    uint64_t allowed = set ? H_GUEST_STATE_GUEST_WIDE : H_GUEST_STATE_GUEST_WIDE | H_GUEST_GET_STATE_HOST_WIDE;
    if ((flags & ~allowed) || flags == (H_GUEST_STATE_GUEST_WIDE | H_GUEST_GET_STATE_HOST_WIDE))
        return H_PARAMETER; /* SET's returnOwnership included: L0 never gives the state away */
    bool host = flags & H_GUEST_GET_STATE_HOST_WIDE, guest_wide = flags & H_GUEST_STATE_GUEST_WIDE;
    GsbOp op = (set ? GSB_OP_SET : 0) | (host ? GSB_OP_HOST : guest_wide ? GSB_OP_GUEST : 0);

    HvV2Guest *g = NULL;
    HvV2Vcpu *vc = NULL;
    if (!host) {
        g = find_guest(v2, guest_id);
        if (!g)
            return H_P2;
        if (!guest_wide) {
            vc = find_vcpu(g, vcpu_id);
            if (!vc)
                return H_P3;
            if (vc->running)
                return H_BUSY; /* its state is in a CPU now */
        }
    }
    if (size < GSB_HDR_SIZE || size > H_GUEST_STATE_BUF_MAX)
        return H_P5;
    uint8_t *buf = malloc(size);
    if (!buf)
        return H_NO_MEM;
    long rc = H_SUCCESS;
    GsbView view;
    uint64_t r4 = 0;
    if (hv_read_guest(hv, addr, buf, size) != 0) {
        rc = H_P4; /* the buffer is not L1 memory */
    } else if ((rc = check_buffer(buf, size, op, &view, &r4, false)) != H_SUCCESS) {
        cpu->gpr[4] = r4;
    } else if (set) {
        apply_set(g, vc, &view);
    } else {
        fill_get(n, g, vc, buf, size, &view);
        if (hv_write_guest(hv, addr, buf, view.len) != 0)
            rc = H_P4;
    }
    free(buf);
    return rc;
}

long hv_h_guest_get_state(Hv *hv, CPUState *cpu)
{
    HvNestedV2 *v2 = v2_of(hv);
    if (!v2)
        return H_FUNCTION;
    v2->stats.get_state++;
    return getset_state(hv, cpu, false);
}

long hv_h_guest_set_state(Hv *hv, CPUState *cpu)
{
    HvNestedV2 *v2 = v2_of(hv);
    if (!v2)
        return H_FUNCTION;
    v2->stats.set_state++;
    return getset_state(hv, cpu, true);
}

/* ---- H_GUEST_RUN_VCPU ------------------------------------------------------------------------------ */

#define RUN_FLAGS (H_GUEST_RUN_EXT_INTERRUPT | H_GUEST_RUN_PRIV_DOORBELL | H_GUEST_RUN_SYSTEM_RESET)

/* Read, check and apply the run input buffer: H_SUCCESS or the error (r4 set). */
static long apply_run_input(Hv *hv, CPUState *cpu, HvV2Vcpu *vc)
{
    GsbRegion in = nest_v2_region(&vc->st, GSB_IDX_RUN_INPUT);
    uint8_t *buf = malloc(in.size);
    if (!buf)
        return H_NO_MEM;
    long rc = H_SUCCESS;
    GsbView view;
    uint64_t r4 = 0;
    if (hv_read_guest(hv, in.addr, buf, in.size) != 0) {
        rc = H_INPUT_BUFFER_NOT_DEFINED; /* registered where the L1 has no memory */
    } else if ((rc = check_buffer(buf, in.size, GSB_OP_RUN_INPUT, &view, &r4, true)) != H_SUCCESS) {
        cpu->gpr[4] = r4;
    } else {
        GsbIter it;
        GsbElem e;
        for (gsb_iter_init(&it, &view); gsb_iter_next(&it, &e);)
            nest_v2_thread_set(&vc->st, &e);
    }
    free(buf);
    return rc;
}

static long check_run_buffers(const HvV2Vcpu *vc)
{
    GsbRegion in = nest_v2_region(&vc->st, GSB_IDX_RUN_INPUT);
    GsbRegion out = nest_v2_region(&vc->st, GSB_IDX_RUN_OUTPUT);
    if (in.addr == 0 && in.size == 0)
        return H_INPUT_BUFFER_NOT_DEFINED;
    if (in.size < GSB_HDR_SIZE)
        return H_INPUT_BUFFER_TOO_SMALL;
    if (out.addr == 0 && out.size == 0)
        return H_OUTPUT_BUFFER_NOT_DEFINED;
    if (out.size < H_GUEST_RUN_OUTPUT_MIN_SIZE)
        return H_OUTPUT_BUFFER_TOO_SMALL;
    return H_SUCCESS;
}

/* The L1's DEC expiry (its timebase) before the switch; the L2's DEC after it. */
static int64_t dec_ticks(int64_t delta)
{
    return delta > DEC_MAX_TICKS ? DEC_MAX_TICKS : delta;
}

static void switch_sprs_in(CPUState *cpu, HvV2Run *run, const NestV2Vcpu *st)
{
    for (unsigned i = 0; i < NR_V2_CPU_SPRS; i++) {
        run->l1_sprs[i] = cpu->spr[v2_cpu_sprs[i].spr];
        cpu->spr[v2_cpu_sprs[i].spr] = nest_v2_get64(st, v2_cpu_sprs[i].idx);
    }
}

static void switch_sprs_out(CPUState *cpu, const HvV2Run *run, NestV2Vcpu *st)
{
    for (unsigned i = 0; i < NR_V2_CPU_SPRS; i++) {
        uint64_t v = cpu->spr[v2_cpu_sprs[i].spr];
        const GsbElemInfo *info = gsb_elem_info_at(v2_cpu_sprs[i].idx);
        nest_v2_put64(st, v2_cpu_sprs[i].idx, info->size == 4 ? (uint32_t)v : v);
        cpu->spr[v2_cpu_sprs[i].spr] = run->l1_sprs[i];
    }
}

/* The run flags: interrupts synthesized in the L2 as it starts. */
static void inject(CPUState *cpu, uint64_t flags)
{
    if (flags & H_GUEST_RUN_PRIV_DOORBELL)
        cpu->irq_doorbell = true; /* pending until the L2 enables it */
    if ((flags & H_GUEST_RUN_EXT_INTERRUPT) && (cpu->msr & MSR_EE))
        cpu_interrupt(cpu, EXCP_EXTERNAL, cpu->nip, 0); /* no LPCR[MER] here: only when enabled */
    if (flags & H_GUEST_RUN_SYSTEM_RESET)
        cpu_interrupt(cpu, EXCP_RESET, cpu->nip, 0);
}

long hv_h_guest_run_vcpu(Hv *hv, CPUState *cpu)
{
    HvNestedV2 *v2 = v2_of(hv);
    HvNested *n = hv->nested;
    if (!v2)
        return H_FUNCTION;
    v2->stats.run++;
    uint64_t flags = cpu->gpr[4], guest_id = cpu->gpr[5], vcpu_id = cpu->gpr[6];
    if (flags & ~RUN_FLAGS)
        return H_PARAMETER;
    HvV2Guest *g = find_guest(v2, guest_id);
    if (!g)
        return H_P2;
    HvV2Vcpu *vc = find_vcpu(g, vcpu_id);
    if (!vc)
        return H_P3;
    if (vc->running)
        return H_BUSY;
    long rc = check_run_buffers(vc);
    if (rc != H_SUCCESS)
        return rc;
    if (g->gw.part.root_size == 0)
        return H_PARTITION_PAGE_TABLE_NOT_DEFINED;
    rc = apply_run_input(hv, cpu, vc);
    if (rc != H_SUCCESS)
        return rc;
    NestGuest *ng = nest_guest_get(&n->l1v2, g->id, false, &rc);
    if (!ng)
        return H_NO_MEM; /* cannot happen: the guest holds its entry */

    HvNestedVcpu *nv = hv_nested_vcpu(hv, cpu);
    NestL1Ctx ctx = {
        .big_endian = !(cpu->msr & MSR_LE),
        .l1_msr = cpu->msr,
        .l1_lpcr = cpu->spr[SPR_LPCR],
        .l1_tb_offset = cpu->tb_offset,
        .l1_hfscr_permitted = HV_L1_HFSCR_PERMITTED,
        .max_vcpu_token = NEST_DEFAULT_MAX_VCPU_TOKEN,
    };
    nv->e = (NestEnter){ 0 };
    nest_v2_l2_state(&vc->st, &g->gw, &ctx, &nv->e.l2);
    nv->e.l2.lpid = ng->shadow_lpid;
    nv->e.ng = ng;
    ng->stats.entries++;
    nv->v2 = (HvV2Run){ .active = true, .guest_id = g->id, .vcpu_id = (uint32_t)vcpu_id };
    nv->v2.l1_dec_expiry = cpu_get_tb(cpu) + cpu_get_dec(cpu);
    switch_sprs_in(cpu, &nv->v2, &vc->st);
    hv_nested_switch_to_l2(hv, cpu, nv);
    /* DEC expiry is in L1 timebase (QEMU 10, Linux's nestedv2 L1): DEC = expiry - L1 now. */
    uint64_t l1_now = cpu_get_tb(cpu) - (uint64_t)g->gw.tb_offset;
    cpu_set_dec(cpu, (uint64_t)dec_ticks((int64_t)(nest_v2_get64(&vc->st, GSB_IDX_DEC_EXPIRY_TB) - l1_now)));
    inject(cpu, flags);
    vc->running = true;
    vc->runs++;
    g->nrunning++;
    hv_trace(hv, HV_TRACE_EXIT, "v2 run guest %u vcpu %u (shadow %u) nip=0x%016llx", g->id, (unsigned)vcpu_id,
             ng->shadow_lpid, (unsigned long long)cpu->nip);
    return HV_HCALL_NO_RETURN;
}

/* Write the output buffer for the exit: H_SUCCESS or a buffer error. */
static long write_output(Hv *hv, const HvV2Vcpu *vc, uint32_t vector)
{
    GsbRegion out = nest_v2_region(&vc->st, GSB_IDX_RUN_OUTPUT);
    uint8_t buf[RUN_OUTPUT_BUILD_MAX];
    size_t cap = out.size < sizeof buf ? (size_t)out.size : sizeof buf;
    size_t len = nest_v2_fill_output(&vc->st, vector, buf, cap);
    if (len == 0)
        return H_OUTPUT_BUFFER_TOO_SMALL;
    if (hv_write_guest(hv, out.addr, buf, len) != 0)
        return H_OUTPUT_BUFFER_NOT_DEFINED; /* the L1 moved it away during the run */
    return H_SUCCESS;
}

void hv_nested_v2_leave(Hv *hv, CPUState *cpu, HvNestedVcpu *nv, const NestExit *x, long err)
{
    HvNested *n = hv->nested;
    HvV2Guest *g = n->v2->guests[nv->v2.guest_id]; /* not deletable while running */
    HvV2Vcpu *vc = g->vcpus[nv->v2.vcpu_id];

    switch_sprs_out(cpu, &nv->v2, &vc->st);
    int64_t l2_dec = (int64_t)cpu_get_dec(cpu);
    hv_nested_restore_l1(hv, cpu, &nv->l1);
    nv->in_l2 = false;
    nv->v2.active = false;
    uint64_t l1_now = cpu_get_tb(cpu);
    nest_v2_put64(&vc->st, GSB_IDX_DEC_EXPIRY_TB, l1_now + (uint64_t)l2_dec);
    cpu_set_dec(cpu, (uint64_t)dec_ticks((int64_t)(nv->v2.l1_dec_expiry - l1_now)));
    nest_v2_store_back(&vc->st, &nv->e.l2, x);

    nv->e.ng->stats.exits[nest_exit_index(x->vector)]++;
    nest_guest_put(nv->e.ng);
    nv->e.ng = NULL;
    vc->running = false;
    g->nrunning--;

    long rc = err != H_SUCCESS ? err : write_output(hv, vc, x->vector);
    cpu->gpr[3] = (uint64_t)rc;
    if (rc == H_SUCCESS)
        cpu->gpr[4] = x->vector;
    hv_trace(hv, HV_TRACE_EXIT, "v2 exit guest %u vcpu %u: r3=%ld r4=0x%x", g->id, nv->v2.vcpu_id, rc, x->vector);
}

/* ---- --stats ----------------------------------------------------------------------------------------- */

#define STATS_GUESTS_LISTED 64

void hv_nested_v2_print_stats(HvNested *n, FILE *out)
{
    HvNestedV2 *v2 = n->v2;
    const HvNestedV2Stats *s = &v2->stats;
    if (!s->get_caps && !s->set_caps && !s->create)
        return;
    fprintf(out, "nesthv stats: nested guests of the L1 (v2 PAPR API)\n");
    fprintf(out, "  hcalls: get-capabilities %llu, set-capabilities %llu, create %llu, create-vcpu %llu, "
                 "get-state %llu, set-state %llu, run-vcpu %llu, delete %llu\n",
            (unsigned long long)s->get_caps, (unsigned long long)s->set_caps, (unsigned long long)s->create,
            (unsigned long long)s->create_vcpu, (unsigned long long)s->get_state, (unsigned long long)s->set_state,
            (unsigned long long)s->run, (unsigned long long)s->del);
    fprintf(out, "  guests: %u now, %llu created, %llu deleted; vCPUs created %llu; L0 memory: heap %llu (max %llu), "
                 "page tables %llu (max %llu, reclaimed %llu) bytes\n",
            v2->nguests, (unsigned long long)s->guests_created, (unsigned long long)s->guests_deleted,
            (unsigned long long)s->vcpus_created, (unsigned long long)n->mem.heap,
            (unsigned long long)n->mem.heap_max, (unsigned long long)n->mem.pgtable,
            (unsigned long long)n->mem.pgtable_max, (unsigned long long)n->mem.pgtable_reclaimed);
    unsigned listed = 0;
    for (uint32_t id = 1; id <= H_GUEST_ID_MAX && listed < STATS_GUESTS_LISTED; id++) {
        const HvV2Guest *g = v2->guests[id];
        if (!g)
            continue;
        char what[64];
        snprintf(what, sizeof(what), "guest %u (shadow %u, %u vCPUs)", g->id, g->ng->shadow_lpid, g->nvcpus);
        hv_nested_print_guest_stats(out, what, &g->ng->stats);
        listed++;
    }
    NestGuestStats total;
    nest_l1_stats_sum(&n->l1v2, &total);
    hv_nested_print_guest_stats(out, "all v2 guests, deleted ones included", &total);
}
