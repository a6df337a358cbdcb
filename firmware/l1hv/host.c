/*
 * host.c - l1hv hosting its guest's nested guests with the v1 API: the
 * guest is itself a hypervisor (another l1hv) and l1hv acts for it as L0
 * acts for an L1 (seed 003 "Nested Nested": "L1 manages a shadow page table
 * for L3 just as L0 did for L2").  The very nest/ core of L0 (hv/nested_v1.c)
 * runs here with NestOps over l1hv's own memory and hypercalls:
 *
 *   the guest's memory ("L1 guest real")  our real [base, base + size)
 *   "host real" (shadow tables, hra)      our own real addresses: what our
 *                                         hypervisor translates for us
 *   shadow LPIDs                          entries 2.. of OUR partition table
 *                                         (the one registered with our
 *                                         hypervisor by H_SET_PARTITION_TABLE)
 *   set_pate / flush                      our table + H_TLB_INVALIDATE to our
 *                                         hypervisor (RIC=2 for the LPID)
 *   running the nested guest              our own H_ENTER_NESTED with the
 *                                         shadow LPID; exits reflected to the
 *                                         guest through nest_enter_end()
 *
 * A nested guest's exits: HDSI/HISI -> nest_fault(): resolved in our shadow
 * tree (resume), or reflected to the guest (its own tree lacks the page);
 * HDEC -> ours (the slice) resumes, the guest's deadline is reflected;
 * everything else (hcalls, HEAI, HFAC ...) is the guest's to handle.
 */
#include "fw.h"
#include "l1hv.h"
#include "ppc/hfscr.h"
#include "ppc/hvgs.h"
#include "ppc/lpcr.h"

#define L1HV_NLPIDS        (L1HV_PTAB_BYTES / PATE_SIZE)
#define SRR1_CAUSE_BITS    (~SRR1_MSR_KEEP)
#define PAGE_MASK_4K       (~(uint64_t)0xfff)

static uint8_t lpid_used[L1HV_NLPIDS];
/* API v2 toward our hypervisor: each shadow LPID is one v2 guest of ours, with one vCPU per
 * nested vCPU (slot); slot 0 holds the guest (its Nv2Guest: guest-wide elements). */
static L1hvV2 *shadow_v2[L1HV_NLPIDS][L1HV_MAX_CPUS];
static L1hvSpin shadow_lock;    /* lpid_used, shadow_v2 (several CPUs of ours host nested guests) */

L1hvV2 *l1hv_host_shadow_v2_find(uint32_t lpid, unsigned slot)
{
    return lpid < L1HV_NLPIDS && slot < L1HV_MAX_CPUS ? shadow_v2[lpid][slot] : NULL;
}

static L1hvV2 *shadow_v2_new(void)
{
    L1hvV2 *s = l1hv_pool_alloc(sizeof(L1hvV2));
    if (!s)
        l1hv_die("out of pool memory for a v2 shadow guest");
    return s;
}

L1hvV2 *l1hv_host_shadow_v2(uint32_t lpid, unsigned slot)
{
    slot %= L1HV_MAX_CPUS;
    L1hvV2 *s = shadow_v2[lpid][slot];
    if (s)
        return s;
    l1hv_spin_lock(&shadow_lock);
    if (!shadow_v2[lpid][0]) {
        L1hvV2 *first = shadow_v2_new();
        l1hv_v2_create(first);
        shadow_v2[lpid][0] = first;
    }
    if (!shadow_v2[lpid][slot]) {
        L1hvV2 *v = shadow_v2_new();
        l1hv_v2_create_vcpu(v, shadow_v2[lpid][0], slot);
        shadow_v2[lpid][slot] = v;
    }
    s = shadow_v2[lpid][slot];
    l1hv_spin_unlock(&shadow_lock);
    return s;
}

/* ---- NestOps over our memory ------------------------------------------------------------ */

static int op_read_l1(void *opaque, gra_t gra, void *buf, size_t len)
{
    const void *p = l1hv_guest_ptr(opaque, gra, len);
    if (!p)
        return -1;
    memcpy(buf, p, len);
    return 0;
}

static int op_write_l1(void *opaque, gra_t gra, const void *buf, size_t len)
{
    void *p = l1hv_guest_ptr(opaque, gra, len);
    if (!p)
        return -1;
    memcpy(p, buf, len);
    return 0;
}

static int op_read_table(void *opaque, hra_t hra, uint64_t *val)
{
    (void)opaque;
    return l1hv_radix_mem.read(NULL, hra, val);
}

static int op_write_table(void *opaque, hra_t hra, uint64_t val)
{
    (void)opaque;
    return l1hv_radix_mem.write(NULL, hra, val);
}

static int op_alloc_table(void *opaque, unsigned size, hra_t *out)
{
    (void)opaque;
    return l1hv_radix_mem.alloc_table(NULL, size, out);
}

static void op_free_table(void *opaque, hra_t hra, unsigned size)
{
    (void)opaque;
    l1hv_radix_mem.free_table(NULL, hra, size);
}

static void *op_alloc(void *opaque, size_t size)
{
    (void)opaque;
    return l1hv_pool_alloc(size);
}

static void op_free(void *opaque, void *p, size_t size)
{
    (void)opaque;
    l1hv_pool_free(p, size);
}

/* The guest's RAM is ours at a fixed offset, mapped with its tree's page size. */
static int op_l1_gra_to_hra(void *opaque, gra_t gra, bool writing, NestL0Map *out)
{
    L1hvGuest *g = opaque;
    (void)writing;
    if (gra >= g->size)
        return NEST_L0_NOT_RAM;
    out->hra = g->base + gra;
    out->page_shift = g->page_shift;
    out->pte_flags = RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW | RADIX_PTE_EAA_EXEC;
    return NEST_L0_OK;
}

static int op_alloc_shadow_lpid(void *opaque, uint32_t *shadow_lpid)
{
    (void)opaque;
    int rc = -1;
    l1hv_spin_lock(&shadow_lock);
    for (uint32_t lpid = L1HV_GUEST_LPID + 1; lpid < L1HV_NLPIDS; lpid++) {
        if (!lpid_used[lpid]) {
            lpid_used[lpid] = 1;
            *shadow_lpid = lpid;
            rc = 0;
            break;
        }
    }
    l1hv_spin_unlock(&shadow_lock);
    return rc;
}

static void op_free_shadow_lpid(void *opaque, uint32_t shadow_lpid)
{
    (void)opaque;
    if (shadow_lpid >= L1HV_NLPIDS)
        return;
    l1hv_spin_lock(&shadow_lock);
    if (shadow_v2[shadow_lpid][0])
        l1hv_v2_delete(shadow_v2[shadow_lpid][0]); /* the guest and all its vCPUs */
    for (unsigned i = 0; i < L1HV_MAX_CPUS; i++) {
        l1hv_pool_free(shadow_v2[shadow_lpid][i], sizeof(L1hvV2));
        shadow_v2[shadow_lpid][i] = NULL;
    }
    lpid_used[shadow_lpid] = 0;
    l1hv_spin_unlock(&shadow_lock);
}

/*
 * The partition scope of a shadow LPID to our hypervisor.  v1:
 * H_TLB_INVALIDATE(tlbie image, RS = lpid, RB).  v2: H_RPT_INVALIDATE of the
 * v2 guest with the nested type (Linux kvmhv_flush_lpid()), and the
 * partition-table element sent again at the next run.
 */
static void invalidate_lpid(uint32_t lpid)
{
    if (l1hv_api_used == L1HV_API_V2) {
        L1hvV2 *sv = l1hv_host_shadow_v2_find(lpid, 0);
        if (sv) {
            (void)hcall(H_RPT_INVALIDATE, sv->g.id, H_RPTI_TARGET_CMMU, H_RPTI_TYPE_NESTED | H_RPTI_TYPE_NESTED_ALL,
                        H_RPTI_PAGE_ALL, 0, ~0ULL);
            const volatile uint64_t *e = l1hv_real(L1HV_PTAB + (uint64_t)lpid * PATE_SIZE);
            l1hv_v2_set_tables(sv, __builtin_bswap64(e[0]), __builtin_bswap64(e[1]));
        }
        return;
    }
    uint32_t insn = TLBIE_INSN_BASE | TLBIE_INSN_R | (TLBIE_RIC_ALL << TLBIE_INSN_RIC_SHIFT);
    uint64_t rb = (uint64_t)TLBIE_IS_LPID << TLBIE_RB_IS_SHIFT;
    long rc = hcall(H_TLB_INVALIDATE, insn, lpid, rb);
    if (rc != H_SUCCESS)
        l1hv_die("H_TLB_INVALIDATE of lpid %u failed (%ld)", lpid, rc);
}

/* Our entry for a shadow LPID; our hypervisor caches entries, so it re-reads a changed one. */
static void op_set_pate(void *opaque, uint32_t lpid, uint64_t dw0, uint64_t dw1)
{
    (void)opaque;
    volatile uint64_t *e = l1hv_real(L1HV_PTAB + (uint64_t)lpid * PATE_SIZE);
    if (lpid >= L1HV_NLPIDS)
        return;
    if (e[0] == __builtin_bswap64(dw0) && e[1] == __builtin_bswap64(dw1))
        return;
    e[0] = __builtin_bswap64(dw0);
    e[1] = __builtin_bswap64(dw1);
    sync();
    if (l1hv_api_used == L1HV_API_V2)
        l1hv_v2_set_tables(l1hv_host_shadow_v2(lpid, 0), dw0, dw1);
    else
        invalidate_lpid(lpid);
}

/* Both scopes: the whole LPID (dropping more is always allowed; flushes are rare here). */
static void op_flush(void *opaque, uint32_t lpid, NestFlushScope scope, gra_t n_gpa, unsigned page_shift)
{
    (void)opaque;
    (void)scope;
    (void)n_gpa;
    (void)page_shift;
    invalidate_lpid(lpid);
}

/* nest/'s locks as spin locks (NestLock.impl is the word): several CPUs of ours host nested guests. */
static void op_lock(void *opaque, NestLock *l)
{
    (void)opaque;
    while (__atomic_exchange_n(&l->impl, (uintptr_t)1, __ATOMIC_ACQUIRE))
        cpu_relax();
}

static void op_unlock(void *opaque, NestLock *l)
{
    (void)opaque;
    __atomic_store_n(&l->impl, (uintptr_t)0, __ATOMIC_RELEASE);
}

static const NestOps l1hv_nest_ops = {
    .read_l1 = op_read_l1,
    .write_l1 = op_write_l1,
    .read_table = op_read_table,
    .write_table = op_write_table,
    .alloc_table = op_alloc_table,
    .free_table = op_free_table,
    .alloc = op_alloc,
    .free = op_free,
    .l1_gra_to_hra = op_l1_gra_to_hra,
    .alloc_shadow_lpid = op_alloc_shadow_lpid,
    .free_shadow_lpid = op_free_shadow_lpid,
    .set_pate = op_set_pate,
    .flush = op_flush,
    .lock = op_lock,
    .unlock = op_unlock,
};

void l1hv_host_init_table(L1hvGuest *g, NestL1 *l1)
{
    nest_l1_init(l1, &l1hv_nest_ops, g);
}

void l1hv_host_init(L1hvGuest *g)
{
    l1hv_host_init_table(g, &g->nest);
    g->nestp = &g->nest;
}

uint64_t l1hv_host_shadow_faults(L1hvGuest *g)
{
    NestGuestStats s;
    nest_l1_stats_sum(g->nestp, &s);
    uint64_t n = s.shadow_faults;
    NestL1 *v2 = l1hv_host_v2_table();
    if (v2) {
        nest_l1_stats_sum(v2, &s);
        n += s.shadow_faults;
    }
    return n;
}

/* ---- running a nested guest under its shadow LPID ---------------------------------------------- */

/* One nested run at a time per CPU of ours. */
typedef struct HostRun {
    NestEnter e;
    NestHvgs hv;                 /* what we pass to our own H_ENTER_NESTED */
    NestPtRegs regs;
    uint8_t hv_buf[HVGS_SIZE_V2] __attribute__((aligned(8)));
    uint8_t regs_buf[PTREGS_SIZE] __attribute__((aligned(8)));
} HostRun;
static HostRun host_runs[L1HV_MAX_CPUS];
#define host_e (host_runs[l1hv_cpu()].e)
#define sh_hv (host_runs[l1hv_cpu()].hv)
#define sh_regs (host_runs[l1hv_cpu()].regs)
#define sh_hv_buf (host_runs[l1hv_cpu()].hv_buf)
#define sh_regs_buf (host_runs[l1hv_cpu()].regs_buf)

static void l2_to_enter(const NestL2State *l2, uint64_t hdec_expiry, unsigned vcpu)
{
    NestHvgs *h = &sh_hv;
    NestPtRegs *r = &sh_regs;
    *h = (NestHvgs){ 0 };
    h->version = HVGS_VERSION_2;
    h->lpid = l2->lpid;
    h->vcpu_token = vcpu;          /* our hypervisor tells the nested vCPUs apart */
    h->lpcr = l2->lpcr;
    h->pcr = l2->pcr;
    h->amor = l2->amor;
    h->dpdes = l2->dpdes;
    h->hfscr = l2->hfscr;
    h->tb_offset = l2->tb_offset;   /* relative to our timebase: what our hypervisor adds ours to */
    h->dawr0 = l2->dawr0;
    h->dawrx0 = l2->dawrx0;
    h->dawr1 = l2->dawr1;
    h->dawrx1 = l2->dawrx1;
    h->ciabr = l2->ciabr;
    h->hdec_expiry = hdec_expiry;
    h->purr = l2->purr;
    h->spurr = l2->spurr;
    h->ic = l2->ic;
    h->vtb = l2->vtb;
    h->srr0 = l2->srr0;
    h->srr1 = l2->srr1;
    memcpy(h->sprg, l2->sprg, sizeof(h->sprg));
    h->pidr = l2->pidr;
    h->cfar = l2->cfar;
    h->ppr = l2->ppr;
    memcpy(r->gpr, l2->gpr, sizeof(r->gpr));
    r->nip = l2->nip;
    r->msr = l2->msr;
    r->ctr = l2->ctr;
    r->link = l2->lr;
    r->xer = l2->xer;
    r->ccr = l2->cr;
}

static void exit_to_l2(NestL2State *l2)
{
    const NestHvgs *h = &sh_hv;
    const NestPtRegs *r = &sh_regs;
    memcpy(l2->gpr, r->gpr, sizeof(l2->gpr));
    l2->nip = r->nip;
    l2->msr = r->msr;
    l2->ctr = r->ctr;
    l2->lr = r->link;
    l2->xer = r->xer;
    l2->cr = r->ccr;
    l2->srr0 = h->srr0;
    l2->srr1 = h->srr1;
    memcpy(l2->sprg, h->sprg, sizeof(l2->sprg));
    l2->pidr = h->pidr;
    l2->cfar = h->cfar;
    l2->ppr = h->ppr;
    l2->dpdes = h->dpdes;
    l2->purr = h->purr;
    l2->spurr = h->spurr;
    l2->ic = h->ic;
    l2->vtb = h->vtb;
}

static bool shadow_readable(NestGuest *ng, gra_t n_gpa)
{
    RadixWalk w;
    nest_walk_shadow(ng, n_gpa, &w);
    return w.status == RADIX_OK && (w.pte & (RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW));
}

/*
 * An HDSI/HISI of the nested guest (hv/nested_v1.c l2_fault(), one level
 * up): true if resolved in our shadow tree, false with *x filled to reflect it.
 */
static bool shadow_fault(NestEnter *e, long v, NestExit *x)
{
    bool hisi = v == EXCP_HISI;
    const NestFaultIn orig = {
        .vector = (uint32_t)v,
        .ea = hisi ? sh_regs.nip : sh_hv.hdar,
        .cause = hisi ? sh_regs.msr & SRR1_CAUSE_BITS : sh_hv.hdsisr,
        .asdr = sh_hv.asdr,
    };
    /* A table-entry write-back fault on a page mapped readable: the store to the entry itself. */
    bool update = (orig.cause & DSISR_PRTABLE_FAULT) && shadow_readable(e->ng, orig.asdr & PAGE_MASK_4K);
    NestFaultIn in = update ? (NestFaultIn){ EXCP_HDSI, orig.asdr, DSISR_ISSTORE, orig.asdr } : orig;
    NestFaultOut out;
    switch (nest_fault(e->ng, &in, &out)) {
    case NEST_RESUME:
        return true;
    case NEST_ERROR:
        l1hv_die("nested guest lpid %u: fault 0x%lx at 0x%llx (guest real 0x%llx) unresolvable (error %d)",
                 e->ng->l1_lpid, v, (unsigned long long)orig.ea, (unsigned long long)orig.asdr, out.error);
    case NEST_REFLECT:
        break;
    }
    uint64_t cause = out.vector == EXCP_HDSI ? out.hdsisr : out.srr1_cause;
    if (update)
        cause = (cause & ~(uint64_t)DSISR_ISSTORE) | DSISR_PRTABLE_FAULT | (orig.cause & DSISR_ISSTORE);
    x->vector = orig.vector;
    x->asdr = out.asdr;
    if (hisi) {
        e->l2.msr = nest_hisi_msr(sh_regs.msr, cause);
    } else {
        x->hdar = orig.ea;
        x->hdsisr = cause;
    }
    return false;
}

/* One run of sh_hv/sh_regs under its shadow LPID with H_ENTER_NESTED. */
static long run_shadow_v1(NestEnter *e)
{
    nest_hvgs_encode(&sh_hv, false, sh_hv_buf);
    nest_ptregs_encode(&sh_regs, false, sh_regs_buf);
    long v = l1hv_enter(sh_hv_buf, sh_regs_buf);
    if (v < 0)
        l1hv_die("H_ENTER_NESTED for shadow lpid %u (guest lpid %u) failed (%ld)", e->l2.lpid, e->ng->l1_lpid, v);
    if (nest_hvgs_decode(sh_hv_buf, HVGS_SIZE_V2, false, &sh_hv) != H_SUCCESS)
        l1hv_die("our hypervisor wrote back a bad hv_guest_state");
    nest_ptregs_decode(sh_regs_buf, false, &sh_regs);
    return v;
}

/* The same through v2: the shadow LPID's v2 guest, changed elements in, the rest fetched (full) or left above. */
static long run_shadow_v2(uint32_t lpid, unsigned slot, uint64_t flags, bool full)
{
    L1hvV2 *sv = l1hv_host_shadow_v2(lpid, slot);
    l1hv_v2_push(sv, &sh_hv, &sh_regs);
    long v = l1hv_v2_run(sv, flags);
    l1hv_v2_pull(sv, v, &sh_hv, &sh_regs, full);
    return v;
}

/* Run e->l2 until an exit that is the guest's; fills *x. */
void l1hv_host_run(L1hvGuest *g, NestEnter *e, NestExit *x, const L1hvRunOpts *o)
{
    uint64_t flags = o->flags; /* injected once, at the first run */
    (void)g;
    for (;;) {
        uint64_t slice_end = mftb() + l1hv_cfg.slice;
        bool ours = (int64_t)(slice_end - e->l2.hdec_expiry) < 0;
        l2_to_enter(&e->l2, ours ? slice_end : e->l2.hdec_expiry, o->slot);
        long v = l1hv_api_used == L1HV_API_V2 ? run_shadow_v2(e->l2.lpid, o->slot, flags, o->full_pull)
                                              : run_shadow_v1(e);
        flags = 0;
        exit_to_l2(&e->l2);
        *x = (NestExit){ .vector = (uint32_t)v };
        switch (v) {
        case EXCP_HDSI:
        case EXCP_HISI:
            if (shadow_fault(e, v, x)) {
                l1hv_stats.handled++;
                continue;
            }
            break;
        case EXCP_HDECR:
            if ((int64_t)(mftb() - e->l2.hdec_expiry) < 0) {
                l1hv_stats.handled++; /* our slice, not the guest's deadline */
                continue;
            }
            break;
        case EXCP_EXTERNAL:
        case EXCP_HVIRT:
        case EXCP_HDOORBELL:
            l1hv_stats.handled++;     /* ours: nothing pending for the nested guest */
            continue;
        case EXCP_HEAI:
            x->heir = sh_hv.heir;
            break;
        case EXCP_HFAC_UNAVAIL:
            x->hfscr = sh_hv.hfscr;
            break;
        default:
            break;
        }
        l1hv_stats.reflected++;
        return;
    }
}

/*
 * v1 passes DEC and the SPRs of L1HV_PASS_SPRS through the CPU: the nested
 * guest runs with the guest's own values and leaves its values to the
 * guest.  With v1 upward that is what our hypervisor does with ours (the
 * guest's, as we never change them).  With v2 upward the guest's values
 * are elements of its vCPU and the nested guest's of the shadow vCPU:
 * copy them across (one H_GUEST_GET_STATE for the guest's; the shadow's
 * come with the full pull; both sets are sent with the next runs).
 */
static void pass_in(L1hvGuest *g, uint32_t shadow_lpid, unsigned slot)
{
    Nv2Vcpu *gv = &g->v2->v, *sv = &l1hv_host_shadow_v2(shadow_lpid, slot)->v;
    if (nv2_fetch(gv, l1hv_v2_pass_ids, l1hv_v2_pass_count) != H_SUCCESS)
        l1hv_die("H_GUEST_GET_STATE of the guest failed (%ld)", gv->err);
    for (unsigned i = 0; i < l1hv_v2_pass_count; i++) {
        uint16_t id = l1hv_v2_pass_ids[i];
        uint64_t val = nv2_get64(gv, id);
        if (!nv2_is_valid(sv, id) || nv2_get64(sv, id) != val)
            nv2_set64(sv, id, val);
    }
}

static void pass_out(L1hvGuest *g, uint32_t shadow_lpid, unsigned slot)
{
    Nv2Vcpu *gv = &g->v2->v, *sv = &l1hv_host_shadow_v2(shadow_lpid, slot)->v;
    if (nv2_fetch(sv, l1hv_v2_pass_ids, l1hv_v2_pass_count) != H_SUCCESS)
        l1hv_die("H_GUEST_GET_STATE of shadow lpid %u failed (%ld)", shadow_lpid, sv->err);
    for (unsigned i = 0; i < l1hv_v2_pass_count; i++) {
        uint16_t id = l1hv_v2_pass_ids[i];
        uint64_t val = nv2_get64(sv, id);
        if (nv2_get64(gv, id) != val)
            nv2_set64(gv, id, val);
    }
}

long l1hv_host_enter_nested(L1hvGuest *g)
{
    NestL1Ctx ctx = {
        .big_endian = !(l1hv_guest_msr_cached(g) & MSR_LE),
        .l1_msr = l1hv_guest_msr_cached(g),
        .l1_lpcr = g->lpcr,
        .l1_tb_offset = 0,            /* we run it with our own timebase */
        .l1_hfscr_permitted = HFSCR_ALL_FACILITIES,
        .max_vcpu_token = NEST_DEFAULT_MAX_VCPU_TOKEN,
    };
    NestEnter *e = &host_e;
    long rc = nest_enter_begin(g->nestp, &ctx, l1hv_gpr(g, 4), l1hv_gpr(g, 5), e);
    if (rc != H_SUCCESS)
        return rc;
    NestExit x;
    /* Its hv_guest_state/pt_regs are written back whole, into memory it reads at will: a v2 run
     * upward must fetch whatever the exit did not carry. */
    /* One v2 vCPU upward per nested vCPU (its token; tokens beyond our slots share the last). */
    unsigned slot = e->hv.vcpu_token < L1HV_MAX_CPUS ? e->hv.vcpu_token : L1HV_MAX_CPUS - 1;
    const L1hvRunOpts opts = { .flags = 0, .full_pull = true, .slot = slot };
    bool pass = g->v2 != NULL;
    if (pass)
        pass_in(g, e->l2.lpid, slot);
    l1hv_host_run(g, e, &x, &opts);
    if (pass)
        pass_out(g, e->l2.lpid, slot);
    rc = nest_enter_end(g->nestp, e, &x);
    return rc != H_SUCCESS ? rc : (long)x.vector;
}
