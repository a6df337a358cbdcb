/*
 * hostv2.c - l1hv hosting the PAPR nested API v2 (H_GUEST_*) for its guest:
 * the firmware counterpart of hv/nested_v2.c, on the same pure rules
 * (nest/v2.h: capabilities, the element store, value checks, the L2 state
 * of a run, store-back, output buffer) and the same nest/ core in "direct"
 * mode (each v2 guest's partition-table entry comes from its elements
 * 0x0005/0x0006, not from a partition table in guest memory).
 *
 * A v2 guest's run is a nested-guest run like H_ENTER_NESTED's (host.c):
 * its shadow LPID in our partition table, its shadow tree built by
 * nest_fault(), run through our own hypervisor (v1 or v2), faults resolved
 * here or reflected, the exit stored back and reported in the output buffer.
 *
 * The store of a hosted vCPU is backed by the path upward, as a lazy
 * KVM L1's is (seed 001/004):
 *  - v2 upward: after a run only what the exit reported is taken; every
 *    other register the nested guest can change is marked *stale* (its
 *    value is our hypervisor's, in the shadow vCPU's nv2 cache).  A
 *    GET_STATE of stale elements fetches them with one H_GUEST_GET_STATE;
 *    a SET of one forces it upward at the next run.  DEC expiry and the
 *    SPRs of HOST_SPRS go up as elements when the guest set them.
 *  - v1 upward: the hv_guest_state/pt_regs write-back carries every
 *    register v1 has (nothing stale); DEC and HOST_SPRS are switched in
 *    the CPU around our H_ENTER_NESTED (our hypervisor passes them
 *    through, as a KVM L1 switches them itself).
 * Run flags: passed up with the run (v2 upward), or delivered here into
 * the nested guest's state like the interrupt itself (v1 upward).
 *
 * Limits (docs/l1hv.md): at most L1HV_V2_GUESTS guests with vCPU ids below
 * L1HV_V2_VCPUS; the PMU, EBB, TAR, FP/VMX/VSX elements are kept in the
 * store but not switched.  Each vCPU runs on its own vCPU upward (the
 * shadow LPID's v2 guest, slot = vCPU id), so several CPUs of ours may run
 * vCPUs of one guest at once.
 */
#include "fw.h"
#include "l1hv.h"
#include "nest/v2.h"
#include "ppc/hfscr.h"

#define L1HV_V2_GUESTS 16
#define L1HV_V2_VCPUS  L1HV_MAX_CPUS   /* each has its own vCPU upward (host.c's slots) */
#define RUN_FLAGS L1HV_RUN_FLAGS
/* DEC holds 32 bits without LPCR[LD] (hv/nested_v2.c's DEC_MAX_TICKS). */
#define DEC_MAX_TICKS 0x7FFFFFFFLL
#define DEC_MIN_TICKS (-0x7FFFFFFFLL - 1)

#define HOST_SPRS L1HV_PASS_SPRS

typedef struct HostV2Vcpu {
    NestV2Vcpu st;
    GsbBitmap stale;        /* valid only upward (v2): fetched from the shadow vCPU on GET */
    GsbBitmap resend;       /* set by the guest since the last run: sent upward whatever we know */
} HostV2Vcpu;

typedef struct HostV2Guest {
    uint32_t id;
    NestV2Guest gw;
    HostV2Vcpu *vcpu[L1HV_V2_VCPUS];
    NestGuest *ng;
} HostV2Guest;

/* Elements switched outside hv_guest_state: DEC expiry and HOST_SPRS. */
#define extra_ids l1hv_v2_pass_ids
#define NR_EXTRA l1hv_v2_pass_count

/* Everything a nested run can change that v2 upward leaves above unless the exit reports it:
 * GPRs, the pull set but HFSCR (as the L1 set it; IC comes with HFAC exits), DEC and the SPRs.
 * All thread-wide: a word-wise mask over the nv2 cache's valid bits (this runs at every exit). */
static GsbBitmap backed_mask;
static bool backed_ready;

static void backed_init(void)
{
    if (backed_ready)
        return;
    for (unsigned i = 0; i < PTREGS_NR_GPR; i++)
        gsb_bitmap_set(&backed_mask, (uint16_t)GSB_ID_GPR(i));
    for (unsigned i = 0; i < l1hv_v2_pull_count; i++)
        if (l1hv_v2_pull_ids[i] != GSB_ID_HFSCR)
            gsb_bitmap_set(&backed_mask, l1hv_v2_pull_ids[i]);
    for (unsigned i = 0; i < NR_EXTRA; i++)
        gsb_bitmap_set(&backed_mask, extra_ids[i]);
    backed_ready = true;
}

static bool is_extra(uint16_t id)
{
    for (unsigned i = 0; i < NR_EXTRA; i++)
        if (extra_ids[i] == id)
            return true;
    return false;
}

static uint64_t st_get(const HostV2Vcpu *vc, uint16_t id)
{
    return nest_v2_get64(&vc->st, (unsigned)gsb_id_index(id));
}

/* A 4-byte element keeps the low word (the store's convention, nest/v2.h). */
static void st_put(HostV2Vcpu *vc, uint16_t id, uint64_t val)
{
    const GsbElemInfo *info = gsb_elem_info(id);
    nest_v2_put64(&vc->st, (unsigned)gsb_id_index(id), info && info->size == 4 ? (uint32_t)val : val);
}

static struct {
    bool open;
    bool caps_set;
    uint64_t caps;
    NestL1 l1;                          /* direct guest table: ids 1 .. L1HV_V2_GUESTS - 1 */
    HostV2Guest *guests[L1HV_V2_GUESTS];
} hv2;

static uint64_t arg(L1hvGuest *g, unsigned n)
{
    return l1hv_gpr(g, n);
}

static uint32_t our_pvr(void)
{
    return (uint32_t)mfspr(SPR_PVR);
}

static bool ensure_open(L1hvGuest *g)
{
    if (hv2.open)
        return true;
    l1hv_host_init_table(g, &hv2.l1);
    if (nest_l1_open_direct(&hv2.l1, L1HV_V2_GUESTS) != H_SUCCESS)
        return false;
    hv2.open = true;
    return true;
}

static HostV2Guest *find_guest(uint64_t id)
{
    return id >= 1 && id < L1HV_V2_GUESTS ? hv2.guests[id] : NULL;
}

static HostV2Vcpu *find_vcpu(HostV2Guest *hg, uint64_t vcpu_id)
{
    return vcpu_id < L1HV_V2_VCPUS ? hg->vcpu[vcpu_id] : NULL;
}

static long get_caps(L1hvGuest *g)
{
    if (arg(g, 4) != 0)
        return H_PARAMETER;
    l1hv_set_gpr(g, 4, nest_v2_caps_supported(our_pvr()));
    return H_SUCCESS;
}

static long set_caps(L1hvGuest *g)
{
    uint64_t caps = arg(g, 5), r4 = 0, r5 = arg(g, 6);
    if (arg(g, 4) != 0)
        return H_PARAMETER;
    long rc = nest_v2_caps_check(nest_v2_caps_supported(our_pvr()), caps, &r4, &r5);
    if (rc != H_SUCCESS) {
        l1hv_set_gpr(g, 4, r4);
        l1hv_set_gpr(g, 5, r5);
        return rc;
    }
    if (hv2.caps_set)
        return H_STATE;
    hv2.caps_set = true;
    hv2.caps = caps;
    return H_SUCCESS;
}

static long create(L1hvGuest *g)
{
    if (arg(g, 4) != 0)
        return H_UNSUPPORTED_FLAG;
    if (arg(g, 5) != H_GUEST_CREATE_NO_TOKEN)
        return H_P2;
    if (!hv2.caps_set)
        return H_STATE;
    if (!ensure_open(g))
        return H_NO_MEM;
    uint32_t id = 1;
    while (id < L1HV_V2_GUESTS && hv2.guests[id])
        id++;
    if (id >= L1HV_V2_GUESTS)
        return H_NO_MEM;
    HostV2Guest *hg = l1hv_pool_alloc(sizeof(*hg));
    if (!hg)
        return H_NO_MEM;
    long rc;
    hg->id = id;
    hg->gw.logical_pvr = nest_v2_caps_logical_pvr(hv2.caps);
    hg->ng = nest_guest_get(&hv2.l1, id, true, &rc);
    if (!hg->ng) {
        l1hv_pool_free(hg, sizeof(*hg));
        return H_NO_MEM;
    }
    hv2.guests[id] = hg;
    l1hv_set_gpr(g, 4, id);
    return H_SUCCESS;
}

static long create_vcpu(L1hvGuest *g)
{
    uint64_t vcpu_id = arg(g, 6);
    if (arg(g, 4) != 0)
        return H_UNSUPPORTED_FLAG;
    HostV2Guest *hg = find_guest(arg(g, 5));
    if (!hg)
        return H_P2;
    if (vcpu_id > H_GUEST_VCPU_ID_MAX)
        return H_P3;
    if (vcpu_id >= L1HV_V2_VCPUS)
        return H_NO_MEM; /* a valid id beyond what l1hv keeps */
    if (hg->vcpu[vcpu_id])
        return H_IN_USE;
    HostV2Vcpu *vc = l1hv_pool_alloc(sizeof(*vc));
    if (!vc)
        return H_NO_MEM;
    nest_v2_vcpu_init(&vc->st);
    hg->vcpu[vcpu_id] = vc;
    return H_SUCCESS;
}

static void free_guest(HostV2Guest *hg)
{
    for (unsigned i = 0; i < L1HV_V2_VCPUS; i++) {
        L1hvV2 *sv = l1hv_host_shadow_v2_find(hg->ng->shadow_lpid, i);
        if (sv)
            sv->owner = NULL;
        l1hv_pool_free(hg->vcpu[i], sizeof(HostV2Vcpu));
    }
    nest_guest_remove(hg->ng);
    nest_guest_put(hg->ng);
    hv2.guests[hg->id] = NULL;
    l1hv_pool_free(hg, sizeof(*hg));
}

static long delete(L1hvGuest *g)
{
    uint64_t flags = arg(g, 4);
    if (flags & ~H_GUEST_DELETE_ALL)
        return H_UNSUPPORTED_FLAG;
    if (flags & H_GUEST_DELETE_ALL) {
        for (uint32_t id = 1; id < L1HV_V2_GUESTS; id++)
            if (hv2.guests[id])
                free_guest(hv2.guests[id]);
        return H_SUCCESS;
    }
    HostV2Guest *hg = find_guest(arg(g, 5));
    if (!hg)
        return H_P2;
    free_guest(hg);
    return H_SUCCESS;
}

/* ---- the store, backed by the path upward ---------------------------------------------- */

/*
 * The guest set an element: it is ours now.  A stale one goes upward at the
 * next run even if it equals what we last knew of it (our hypervisor may
 * hold another value); DEC and the SPRs are not in the push: sent as set.
 */
static void thread_set(HostV2Vcpu *vc, const GsbElem *e)
{
    nest_v2_thread_set(&vc->st, e);
    bool stale = gsb_bitmap_test(&vc->stale, e->id);
    if (stale)
        gsb_bitmap_clear(&vc->stale, e->id);
    if (stale || is_extra(e->id))
        gsb_bitmap_set(&vc->resend, e->id);
}

/* The vCPU upward (slot = its vCPU id) running vc's state (v2 upward and vc its owner), else NULL. */
static L1hvV2 *owning_shadow(const HostV2Guest *hg, const HostV2Vcpu *vc, unsigned slot)
{
    if (l1hv_api_used != L1HV_API_V2)
        return NULL;
    L1hvV2 *sv = l1hv_host_shadow_v2_find(hg->ng->shadow_lpid, slot);
    return sv && sv->owner == vc ? sv : NULL;
}

/* Fetch the stale ones among ids[0..n) from our hypervisor: one H_GUEST_GET_STATE. */
static void fetch_stale(HostV2Vcpu *vc, L1hvV2 *sv, const uint16_t *ids, unsigned n)
{
    uint16_t want[GSB_IDX_COUNT];
    unsigned k = 0;
    for (unsigned i = 0; i < n && k < GSB_IDX_COUNT; i++)
        if (gsb_bitmap_test(&vc->stale, ids[i]))
            want[k++] = ids[i];
    if (k == 0)
        return;
    long rc = nv2_fetch(&sv->v, want, k);
    if (rc != H_SUCCESS)
        l1hv_die("H_GUEST_GET_STATE of shadow guest %llu failed (%ld)", (unsigned long long)sv->g.id, rc);
    for (unsigned i = 0; i < k; i++) {
        st_put(vc, want[i], nv2_get64(&sv->v, want[i]));
        gsb_bitmap_clear(&vc->stale, want[i]);
        /* The push compares with what it last sent, which this is not: send it (whatever the guest
         * sets next, even the old value). */
        gsb_bitmap_set(&sv->force, want[i]);
    }
}

static void fetch_all_stale(HostV2Vcpu *vc, L1hvV2 *sv)
{
    uint16_t ids[GSB_IDX_COUNT], id;
    unsigned n = 0, pos = 0;
    while (n < GSB_IDX_COUNT && gsb_bitmap_next(&vc->stale, &pos, &id))
        ids[n++] = id;
    fetch_stale(vc, sv, ids, n);
}

/*
 * Before a run upward through sv: sv holds vc's state (another vCPU of the
 * guest leaving it gets its stale state fetched first), and what the guest
 * set since the last run is sent even where it equals what we last knew.
 */
static void shadow_take(L1hvV2 *sv, HostV2Vcpu *vc)
{
    if (sv->owner != vc) {
        if (sv->owner)
            fetch_all_stale((HostV2Vcpu *)(uintptr_t)sv->owner, sv);
        sv->known_valid = false;  /* the push sends every hv_guest_state field */
        for (unsigned i = 0; i < NR_EXTRA; i++)
            gsb_bitmap_set(&vc->resend, extra_ids[i]);
        sv->owner = vc;
    }
    unsigned pos = 0;
    uint16_t id;
    while (gsb_bitmap_next(&vc->resend, &pos, &id)) {
        if (is_extra(id))
            nv2_set64(&sv->v, id, st_get(vc, id));
        else
            gsb_bitmap_set(&sv->force, id);
    }
    gsb_bitmap_zero(&vc->resend);
}

/* After it: what the exit reported is in the store (store-back); the rest is stale. */
static void shadow_release(L1hvV2 *sv, HostV2Vcpu *vc)
{
    backed_init();
    const GsbBitmap *valid = &sv->v.th.valid;
    for (unsigned w = 0; w < GSB_BITMAP_WORDS; w++)
        vc->stale.w[w] = (vc->stale.w[w] & ~backed_mask.w[w]) | (backed_mask.w[w] & ~valid->w[w]);
    for (unsigned i = 0; i < NR_EXTRA; i++)   /* DEC and the SPRs: not in the store-back */
        if (!gsb_bitmap_test(&vc->stale, extra_ids[i]))
            st_put(vc, extra_ids[i], nv2_get64(&sv->v, extra_ids[i]));
}

/* v1 upward: DEC and HOST_SPRS live in the CPU while the nested guest runs. */
#define SPR_FIELD(n) uint64_t n;
typedef struct CpuSprs {
    uint64_t dec_expiry;
    HOST_SPRS(SPR_FIELD)
} CpuSprs;
#undef SPR_FIELD

static void cpu_sprs_read(CpuSprs *c)
{
#define SPR_READ(n) c->n = mfspr(SPR_##n);
    HOST_SPRS(SPR_READ)
#undef SPR_READ
    c->dec_expiry = mftb() + (uint64_t)(int64_t)(int32_t)mfdec();
}

static void cpu_sprs_write(const CpuSprs *c)
{
#define SPR_WRITE(n) mtspr(SPR_##n, c->n);
    HOST_SPRS(SPR_WRITE)
#undef SPR_WRITE
    int64_t ticks = (int64_t)(c->dec_expiry - mftb());
    mtdec((uint64_t)(ticks > DEC_MAX_TICKS ? DEC_MAX_TICKS : ticks < DEC_MIN_TICKS ? DEC_MIN_TICKS : ticks));
}

static void cpu_sprs_from_store(CpuSprs *c, const HostV2Vcpu *vc)
{
#define SPR_GET(n) c->n = st_get(vc, GSB_ID_##n);
    HOST_SPRS(SPR_GET)
#undef SPR_GET
    c->dec_expiry = st_get(vc, GSB_ID_DEC_EXPIRY_TB);
}

static void cpu_sprs_to_store(const CpuSprs *c, HostV2Vcpu *vc)
{
#define SPR_PUT(n) st_put(vc, GSB_ID_##n, c->n);
    HOST_SPRS(SPR_PUT)
#undef SPR_PUT
    st_put(vc, GSB_ID_DEC_EXPIRY_TB, c->dec_expiry);
}

/* ---- state ------------------------------------------------------------------------------- */

static long check_buffer(const uint8_t *buf, size_t len, GsbOp op, GsbView *view, uint64_t *r4, bool by_offset)
{
    GsbResult r;
    if (gsb_validate(buf, len, op, view, &r) == GSB_OK &&
        (!(op & GSB_OP_SET) || nest_v2_check_values(view, &r) == GSB_OK))
        return H_SUCCESS;
    *r4 = by_offset ? r.offset : r.index;
    return gsb_err_hcall(r.err, op);
}

static void update_pate(HostV2Guest *hg)
{
    uint64_t dw0, dw1;
    nest_v2_pate(&hg->gw, &dw0, &dw1);
    nest_guest_set_direct_pate(hg->ng, dw0, dw1);
}

static long getset_state(L1hvGuest *g, bool set)
{
    uint64_t flags = arg(g, 4), addr = arg(g, 7), size = arg(g, 8);
    uint64_t allowed = set ? H_GUEST_STATE_GUEST_WIDE : H_GUEST_STATE_GUEST_WIDE | H_GUEST_GET_STATE_HOST_WIDE;
    if ((flags & ~allowed) || flags == (H_GUEST_STATE_GUEST_WIDE | H_GUEST_GET_STATE_HOST_WIDE))
        return H_PARAMETER;
    bool host = flags & H_GUEST_GET_STATE_HOST_WIDE, guest_wide = flags & H_GUEST_STATE_GUEST_WIDE;
    GsbOp op = (set ? GSB_OP_SET : 0) | (host ? GSB_OP_HOST : guest_wide ? GSB_OP_GUEST : 0);
    HostV2Guest *hg = NULL;
    HostV2Vcpu *vc = NULL;
    if (!host) {
        hg = find_guest(arg(g, 5));
        if (!hg)
            return H_P2;
        if (!guest_wide && !(vc = find_vcpu(hg, arg(g, 6))))
            return H_P3;
    }
    if (size < GSB_HDR_SIZE || size > H_GUEST_STATE_BUF_MAX)
        return H_P5;
    uint8_t *buf = l1hv_guest_ptr(g, addr, size);
    if (!buf)
        return H_P4;
    GsbView view;
    uint64_t r4 = 0;
    long rc = check_buffer(buf, size, op, &view, &r4, false);
    if (rc != H_SUCCESS) {
        l1hv_set_gpr(g, 4, r4);
        return rc;
    }
    GsbIter it;
    GsbElem e;
    bool pt = false;
    L1hvV2 *sv = !set && vc && gsb_bitmap_count(&vc->stale) ? owning_shadow(hg, vc, (unsigned)arg(g, 6)) : NULL;
    if (sv) {
        /* The stale ones it asks for, all in one H_GUEST_GET_STATE upward. */
        uint16_t ids[GSB_IDX_COUNT];
        unsigned n = 0;
        for (gsb_iter_init(&it, &view); gsb_iter_next(&it, &e) && n < GSB_IDX_COUNT;)
            ids[n++] = e.id;
        fetch_stale(vc, sv, ids, n);
    }
    for (gsb_iter_init(&it, &view); gsb_iter_next(&it, &e);) {
        if (set && vc) {
            thread_set(vc, &e);
        } else if (set) {
            nest_v2_guest_set(&hg->gw, &e);
            pt |= e.id == GSB_ID_PARTITION_TABLE || e.id == GSB_ID_PROCESS_TABLE;
        } else if (vc) {
            nest_v2_thread_get(&vc->st, buf, size, &e);
        } else if (hg) {
            nest_v2_guest_get(&hg->gw, buf, size, &e);
        } else {
            (void)gsb_write_u64(buf, size, &e, 0); /* host-wide counters: l1hv keeps none */
        }
    }
    if (pt)
        update_pate(hg);
    return H_SUCCESS;
}

/* ---- H_GUEST_RUN_VCPU ------------------------------------------------------------------------ */

static long run_vcpu(L1hvGuest *g)
{
    uint64_t flags = arg(g, 4);
    if (flags & ~RUN_FLAGS)
        return H_PARAMETER;
    HostV2Guest *hg = find_guest(arg(g, 5));
    if (!hg)
        return H_P2;
    HostV2Vcpu *vc = find_vcpu(hg, arg(g, 6));
    if (!vc)
        return H_P3;
    GsbRegion in = nest_v2_region(&vc->st, GSB_IDX_RUN_INPUT), out = nest_v2_region(&vc->st, GSB_IDX_RUN_OUTPUT);
    if (in.addr == 0 && in.size == 0)
        return H_INPUT_BUFFER_NOT_DEFINED;
    if (in.size < GSB_HDR_SIZE)
        return H_INPUT_BUFFER_TOO_SMALL;
    if (out.addr == 0 && out.size == 0)
        return H_OUTPUT_BUFFER_NOT_DEFINED;
    if (out.size < H_GUEST_RUN_OUTPUT_MIN_SIZE)
        return H_OUTPUT_BUFFER_TOO_SMALL;
    if (hg->gw.part.root_size == 0)
        return H_PARTITION_PAGE_TABLE_NOT_DEFINED;
    const uint8_t *ibuf = l1hv_guest_ptr(g, in.addr, in.size);
    uint8_t *obuf = l1hv_guest_ptr(g, out.addr, out.size);
    if (!ibuf)
        return H_INPUT_BUFFER_NOT_DEFINED;
    if (!obuf)
        return H_OUTPUT_BUFFER_NOT_DEFINED;
    GsbView view;
    uint64_t r4 = 0;
    long rc = check_buffer(ibuf, in.size, GSB_OP_RUN_INPUT, &view, &r4, true);
    if (rc != H_SUCCESS) {
        l1hv_set_gpr(g, 4, r4);
        return rc;
    }
    GsbIter it;
    GsbElem e;
    for (gsb_iter_init(&it, &view); gsb_iter_next(&it, &e);)
        thread_set(vc, &e);

    NestGuest *ng = nest_guest_get(&hv2.l1, hg->id, false, &rc);
    if (!ng)
        return H_NO_MEM;
    NestL1Ctx ctx = {
        .big_endian = !(l1hv_guest_msr_cached(g) & MSR_LE),
        .l1_msr = l1hv_guest_msr_cached(g),
        .l1_lpcr = g->lpcr,
        .l1_tb_offset = 0,
        .l1_hfscr_permitted = HFSCR_ALL_FACILITIES,
        .max_vcpu_token = NEST_DEFAULT_MAX_VCPU_TOKEN,
    };
    static NestEnter runs[L1HV_MAX_CPUS]; /* one nested run per CPU of ours */
    NestEnter *e2 = &runs[l1hv_cpu()];
    *e2 = (NestEnter){ 0 };
    nest_v2_l2_state(&vc->st, &hg->gw, &ctx, &e2->l2);
    e2->l2.lpid = ng->shadow_lpid;
    e2->ng = ng;
    ng->stats.entries++;
    NestExit x;
    unsigned slot = (unsigned)arg(g, 6); /* < L1HV_V2_VCPUS <= L1HV_MAX_CPUS */
    L1hvRunOpts opts = { .flags = 0, .full_pull = l1hv_cfg.v2_full, .slot = slot };
    L1hvV2 *sv = l1hv_api_used == L1HV_API_V2 ? l1hv_host_shadow_v2(ng->shadow_lpid, slot) : NULL;
    CpuSprs ours, its;
    if (sv) {
        shadow_take(sv, vc);
        opts.flags = flags;
    } else {
        const L1hvIrqRegs irq = { &e2->l2.nip, &e2->l2.msr, &e2->l2.srr0, &e2->l2.srr1, &e2->l2.dpdes, e2->l2.lpcr };
        l1hv_inject(&irq, flags);
        gsb_bitmap_zero(&vc->resend);
        cpu_sprs_read(&ours);
        cpu_sprs_from_store(&its, vc);
        cpu_sprs_write(&its);
    }
    l1hv_host_run(g, e2, &x, &opts);
    if (sv) {
        shadow_release(sv, vc);
    } else {
        cpu_sprs_read(&its);
        cpu_sprs_write(&ours);
        cpu_sprs_to_store(&its, vc);
    }
    ng->stats.exits[nest_exit_index(x.vector)]++;
    nest_v2_store_back(&vc->st, &e2->l2, &x);
    nest_guest_put(ng);
    size_t len = nest_v2_fill_output(&vc->st, x.vector, obuf, (size_t)out.size);
    if (len == 0)
        return H_OUTPUT_BUFFER_TOO_SMALL;
    l1hv_set_gpr(g, 4, x.vector);
    return H_SUCCESS;
}

long l1hv_host_v2_hcall(L1hvGuest *g, uint64_t nr)
{
    switch (nr) {
    case H_GUEST_GET_CAPABILITIES: return get_caps(g);
    case H_GUEST_SET_CAPABILITIES: return set_caps(g);
    case H_GUEST_CREATE:           return create(g);
    case H_GUEST_CREATE_VCPU:      return create_vcpu(g);
    case H_GUEST_GET_STATE:        return getset_state(g, false);
    case H_GUEST_SET_STATE:        return getset_state(g, true);
    case H_GUEST_RUN_VCPU:         return run_vcpu(g);
    case H_GUEST_DELETE:           return delete(g);
    default:                       return H_FUNCTION; /* H_GUEST_COPY_MEMORY: not offered */
    }
}

NestL1 *l1hv_host_v2_table(void)
{
    return hv2.open ? &hv2.l1 : NULL;
}
