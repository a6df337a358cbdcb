/*
 * snapshot.c - machine snapshots: what each section holds, saving, and the
 * validate-then-load restore (hv/snapshot.h has the design).
 *
 * Every section has one function that reads it: with a NULL target it only
 * checks (hv_snapshot_parse() runs them all before anything is loaded),
 * with the machine it decodes the same bytes again and applies them.  So
 * the checks and the load can never disagree on the layout.
 */
#include "hv/snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "hv/snapshot_ram.h"
#include "hv/snapshot_v2.h"
#include "mmu/mmu.h"
#include "ppc/hcall.h"
#include "ppc/radix_fmt.h"

#define SNAP_SECTION_VERSION 1u

#define FAIL(...)                           \
    do {                                    \
        snprintf(err, errlen, __VA_ARGS__); \
        return -1;                          \
    } while (0)

/* ---- MACHINE ------------------------------------------------------------------------------ */

static void save_machine(SnapWriter *w, const Hv *hv)
{
    const MachineConfig *m = &hv->cfg.mach;
    SnapBuf *b = snap_section_begin(w, SNAP_SEC_MACHINE, SNAP_SECTION_VERSION, SNAP_SEC_REQUIRED);
    snap_put_u64(b, m->ram_size);
    snap_put_u32(b, (uint32_t)m->smp_cpus);
    snap_put_u32(b, (uint32_t)m->smp_threads);
    snap_put_u32(b, (uint32_t)m->smp_sockets);
    snap_put_u32(b, m->pvr);
    snap_put_str(b, m->cpu_model);
    snap_put_str(b, m->bootargs);
    snap_put_u64(b, m->initrd_start);
    snap_put_u64(b, m->initrd_end);
    snap_put_u8(b, m->cap_nested_hv);
    snap_put_u8(b, m->cap_nested_papr);
    snap_put_u64(b, m->timebase_freq);
    snap_put_u64(b, m->kernel_addr);
    snap_put_u64(b, m->kernel_size);
    snap_put_u8(b, m->kernel_le);
    snap_put_u32(b, (uint32_t)hv->cfg.clock);
    snap_put_u32(b, hv->cfg.icount_shift);
    snap_put_u64(b, hv->fdt_addr);
    snap_put_u64(b, hv->insns);
    snap_section_end(w);
}

static int load_machine(HvSnapshot *s, char *err, size_t errlen)
{
    SnapCursor c = snap_cursor(snap_find(&s->file, SNAP_SEC_MACHINE, 0));
    MachineConfig *m = &s->mach;
    char model[64];
    mach_config_init(m);
    m->ram_size = snap_get_u64(&c);
    m->smp_cpus = (int)snap_get_u32(&c);
    m->smp_threads = (int)snap_get_u32(&c);
    m->smp_sockets = (int)snap_get_u32(&c);
    m->pvr = snap_get_u32(&c);
    snap_get_str(&c, model, sizeof(model));
    snap_get_str(&c, s->bootargs, sizeof(s->bootargs));
    m->bootargs = s->bootargs[0] ? s->bootargs : NULL;
    m->initrd_start = snap_get_u64(&c);
    m->initrd_end = snap_get_u64(&c);
    m->cap_nested_hv = snap_get_u8(&c) != 0;
    m->cap_nested_papr = snap_get_u8(&c) != 0;
    m->timebase_freq = snap_get_u64(&c);
    m->kernel_addr = snap_get_u64(&c);
    m->kernel_size = snap_get_u64(&c);
    m->kernel_le = snap_get_u8(&c) != 0;
    s->clock = (CpuClock)snap_get_u32(&c);
    s->icount_shift = snap_get_u32(&c);
    s->fdt_addr = snap_get_u64(&c);
    s->insns = snap_get_u64(&c);
    uint32_t pvr;
    if (!snap_cursor_done(&c))
        FAIL("damaged snapshot: the machine section does not have the expected layout");
    if (mach_cpu_lookup(model, &pvr, &m->cpu_model) != 0 || pvr != m->pvr)
        FAIL("snapshot of an unknown CPU model '%s' (PVR 0x%08x)", model, m->pvr);
    if (s->clock != CPU_CLOCK_ICOUNT || s->icount_shift > 10)
        FAIL("damaged snapshot: clock %u shift %u (snapshots use the deterministic clock)", s->clock,
             s->icount_shift);
    char why[256];
    if (mach_config_check(m, why, sizeof(why)) != 0)
        FAIL("snapshot with an impossible machine: %s", why);
    return 0;
}

/* ---- L0: clock, scheduler, services ------------------------------------------------------------ */

static void save_l0(SnapWriter *w, Hv *hv)
{
    SnapBuf *b = snap_section_begin(w, SNAP_SEC_L0, SNAP_SECTION_VERSION, SNAP_SEC_REQUIRED);
    snap_put_u64(b, hv->vclock);
    snap_put_u64(b, hv->insns);
    snap_put_u32(b, (uint32_t)hv->rr_next);
    snap_put_u32(b, (uint32_t)(hv->current - hv->vcpus));
    snap_put_u8(b, hv->resched);
    snap_put_u64(b, hv->rtc_offset_s);
    snap_put_u64(b, hv->rng_state);
    snap_put_u64(b, hv_partition_process_table(&hv->part));
    snap_section_end(w);
}

typedef struct SnapL0 {
    uint64_t vclock, insns, rtc_offset_s, rng_state, proc_table;
    uint32_t rr_next, current;
    bool resched;
} SnapL0;

static int load_l0(const HvSnapshot *s, Hv *hv, char *err, size_t errlen)
{
    SnapCursor c = snap_cursor(snap_find(&s->file, SNAP_SEC_L0, 0));
    SnapL0 l = { 0 };
    l.vclock = snap_get_u64(&c);
    l.insns = snap_get_u64(&c);
    l.rr_next = snap_get_u32(&c);
    l.current = snap_get_u32(&c);
    l.resched = snap_get_u8(&c) != 0;
    l.rtc_offset_s = snap_get_u64(&c);
    l.rng_state = snap_get_u64(&c);
    l.proc_table = snap_get_u64(&c);
    if (!snap_cursor_done(&c) || l.rr_next >= (uint32_t)s->mach.smp_cpus || l.current >= (uint32_t)s->mach.smp_cpus)
        FAIL("damaged snapshot: the L0 section does not have the expected layout");
    if (!hv)
        return 0;
    hv->vclock = l.vclock;
    hv->insns = l.insns;
    hv->rr_next = (int)l.rr_next;
    hv->current = &hv->vcpus[l.current];
    hv->resched = l.resched;
    hv->rtc_offset_s = l.rtc_offset_s;
    hv->rng_state = l.rng_state;
    hv_partition_set_process_table(&hv->part, l.proc_table); /* every vCPU reloads the entry */
    return 0;
}

/* ---- VCPU --------------------------------------------------------------------------------------- */

static void save_cpu_regs(SnapBuf *b, CPUState *cpu)
{
    for (int i = 0; i < 32; i++)
        snap_put_u64(b, cpu->gpr[i]);
    snap_put_u64(b, cpu->nip);
    snap_put_u64(b, cpu->cia);
    snap_put_u64(b, cpu->msr);
    snap_put_u64(b, cpu->lr);
    snap_put_u64(b, cpu->ctr);
    snap_put_u32(b, cpu->cr);
    snap_put_u64(b, cpu_read_xer(cpu));
    snap_put_u32(b, (uint32_t)(sizeof(cpu->spr) / sizeof(cpu->spr[0])));
    for (size_t i = 0; i < sizeof(cpu->spr) / sizeof(cpu->spr[0]); i++)
        snap_put_u64(b, cpu->spr[i]);
    snap_put_u8(b, cpu->irq_ext);
    snap_put_u8(b, cpu->irq_doorbell);
    snap_put_u64(b, cpu->icount);
    snap_put_u64(b, cpu->vclock_adj);
    snap_put_u64(b, (uint64_t)cpu->tb_offset);
    snap_put_u64(b, cpu->dec_base_tb);
    snap_put_u64(b, cpu->dec_written);
    snap_put_u64(b, cpu->hdec_expiry);
    snap_put_u32(b, CPU_EXIT__COUNT);
    for (int i = 0; i < CPU_EXIT__COUNT; i++)
        snap_put_u64(b, cpu->stat_exits[i]);
    snap_put_u64(b, cpu->stat_excp);
}

static void save_vcpu(SnapWriter *w, Hv *hv, int i)
{
    HvVcpu *v = &hv->vcpus[i];
    SnapBuf *b = snap_section_begin(w, SNAP_SEC_VCPU, SNAP_SECTION_VERSION, SNAP_SEC_REQUIRED);
    snap_put_u32(b, (uint32_t)i);
    snap_put_u32(b, (uint32_t)v->state);
    snap_put_u8(b, v->prod);
    snap_put_u64(b, v->wake_at);
    snap_put_u32(b, v->icp.xirr);
    snap_put_u8(b, v->icp.pending_priority);
    snap_put_u8(b, v->icp.mfrr);
    snap_put_u8(b, v->icp.output);
    snap_put_u64(b, v->vpa);
    snap_put_u64(b, v->slb_shadow);
    snap_put_u64(b, v->dtl);
    snap_put_u32(b, v->slb_shadow_size);
    snap_put_u32(b, v->dtl_size);
    save_cpu_regs(b, v->cpu);
    snap_section_end(w);
}

/* A decoded VCPU section: the CPU part goes into a scratch CPUState's register fields. */
typedef struct SnapVcpu {
    uint32_t index, state;
    HvVcpu v;                /* .cpu unused */
    uint64_t xer;
    CPUState regs;           /* register and time fields only */
} SnapVcpu;

static void get_cpu_regs(SnapCursor *c, CPUState *r, uint64_t *xer)
{
    for (int i = 0; i < 32; i++)
        r->gpr[i] = snap_get_u64(c);
    r->nip = snap_get_u64(c);
    r->cia = snap_get_u64(c);
    r->msr = snap_get_u64(c);
    r->lr = snap_get_u64(c);
    r->ctr = snap_get_u64(c);
    r->cr = snap_get_u32(c);
    *xer = snap_get_u64(c);
    if (snap_get_u32(c) != sizeof(r->spr) / sizeof(r->spr[0]))
        c->bad = true;
    for (size_t i = 0; i < sizeof(r->spr) / sizeof(r->spr[0]) && !c->bad; i++)
        r->spr[i] = snap_get_u64(c);
    r->irq_ext = snap_get_u8(c) != 0;
    r->irq_doorbell = snap_get_u8(c) != 0;
    r->icount = snap_get_u64(c);
    r->vclock_adj = snap_get_u64(c);
    r->tb_offset = (int64_t)snap_get_u64(c);
    r->dec_base_tb = snap_get_u64(c);
    r->dec_written = snap_get_u64(c);
    r->hdec_expiry = snap_get_u64(c);
    uint32_t nexits = snap_get_u32(c);
    for (uint32_t i = 0; i < nexits && !c->bad; i++) {
        uint64_t n = snap_get_u64(c);
        if (i < CPU_EXIT__COUNT)
            r->stat_exits[i] = n;
    }
    r->stat_excp = snap_get_u64(c);
}

static int decode_vcpu(const SnapSection *sec, SnapVcpu *d)
{
    SnapCursor c = snap_cursor(sec);
    memset(d, 0, sizeof(*d));
    d->index = snap_get_u32(&c);
    d->state = snap_get_u32(&c);
    d->v.prod = snap_get_u8(&c) != 0;
    d->v.wake_at = snap_get_u64(&c);
    d->v.icp.xirr = snap_get_u32(&c);
    d->v.icp.pending_priority = snap_get_u8(&c);
    d->v.icp.mfrr = snap_get_u8(&c);
    d->v.icp.output = snap_get_u8(&c) != 0;
    d->v.vpa = snap_get_u64(&c);
    d->v.slb_shadow = snap_get_u64(&c);
    d->v.dtl = snap_get_u64(&c);
    d->v.slb_shadow_size = snap_get_u32(&c);
    d->v.dtl_size = snap_get_u32(&c);
    get_cpu_regs(&c, &d->regs, &d->xer);
    bool state_ok = d->state == HV_VCPU_STOPPED || d->state == HV_VCPU_RUNNING || d->state == HV_VCPU_IDLE;
    return snap_cursor_done(&c) && state_ok ? 0 : -1;
}

static void apply_cpu_regs(Hv *hv, CPUState *cpu, const CPUState *r, uint64_t xer)
{
    memcpy(cpu->gpr, r->gpr, sizeof(cpu->gpr));
    cpu->nip = r->nip;
    cpu->cia = r->cia;
    cpu->lr = r->lr;
    cpu->ctr = r->ctr;
    cpu->cr = r->cr;
    cpu_write_xer(cpu, xer);
    memcpy(cpu->spr, r->spr, sizeof(cpu->spr));
    cpu->irq_ext = r->irq_ext;
    cpu->irq_doorbell = r->irq_doorbell;
    cpu->icount = r->icount;
    cpu->vclock_adj = r->vclock_adj;
    cpu->tb_offset = r->tb_offset;
    cpu->dec_base_tb = r->dec_base_tb;
    cpu->dec_written = r->dec_written;
    cpu->hdec_expiry = r->hdec_expiry;
    memcpy(cpu->stat_exits, r->stat_exits, sizeof(cpu->stat_exits));
    cpu->stat_excp = r->stat_excp;
    cpu->resv_addr = RESV_NONE;
    cpu->msr = r->msr; /* as saved: HV and ME included (cpu_write_msr would keep the old ones) */
    mmu_set_partition(cpu, hv->hrm.ptcr, HV_L1_LPID); /* reloads the entry, recomputes the contexts */
    cpu->end_block = true;
}

static int load_vcpus(const HvSnapshot *s, Hv *hv, char *err, size_t errlen)
{
    unsigned n = snap_count(&s->file, SNAP_SEC_VCPU);
    if (n != (unsigned)s->mach.smp_cpus)
        FAIL("damaged snapshot: %u vCPU sections for a machine of %d vCPUs", n, s->mach.smp_cpus);
    static SnapVcpu d; /* large (the SPR array): not on the stack */
    for (unsigned i = 0; i < n; i++) {
        if (decode_vcpu(snap_find(&s->file, SNAP_SEC_VCPU, i), &d) != 0 || d.index != i)
            FAIL("damaged snapshot: vCPU section %u does not have the expected layout", i);
        if (!hv)
            continue;
        HvVcpu *v = &hv->vcpus[i];
        v->state = (HvVcpuState)d.state;
        v->prod = d.v.prod;
        v->wake_at = d.v.wake_at;
        v->icp = d.v.icp;
        v->vpa = d.v.vpa;
        v->slb_shadow = d.v.slb_shadow;
        v->dtl = d.v.dtl;
        v->slb_shadow_size = d.v.slb_shadow_size;
        v->dtl_size = d.v.dtl_size;
        apply_cpu_regs(hv, v->cpu, &d.regs, d.xer);
    }
    return 0;
}

/* ---- nested v1 ------------------------------------------------------------------------------------ */

static void save_nested_v1(SnapWriter *w, const Hv *hv)
{
    if (!hv->nested)
        return;
    SnapBuf *b = snap_section_begin(w, SNAP_SEC_NESTED_V1, SNAP_SECTION_VERSION, SNAP_SEC_REQUIRED);
    snap_put_u64(b, hv->nested->l1.ptcr);
    snap_section_end(w);
}

static int load_nested_v1(const HvSnapshot *s, Hv *hv, char *err, size_t errlen)
{
    const SnapSection *sec = snap_find(&s->file, SNAP_SEC_NESTED_V1, 0);
    if (!sec)
        return 0; /* the machine had no nested state (both caps off) */
    if (!s->mach.cap_nested_hv && !s->mach.cap_nested_papr)
        FAIL("damaged snapshot: nested v1 state in a machine with cap-nested-hv=off and cap-nested-papr=off");
    SnapCursor c = snap_cursor(sec);
    uint64_t ptcr = snap_get_u64(&c);
    if (!snap_cursor_done(&c) || (ptcr && (ptcr & PTCR_PATB) >= s->mach.ram_size))
        FAIL("damaged snapshot: the L1's partition table 0x%llx is not in its RAM", (unsigned long long)ptcr);
    if (!hv || !ptcr)
        return 0;
    if (!hv->nested)
        FAIL("internal: no nested state in the restored machine");
    long rc = nest_set_partition_table(&hv->nested->l1, ptcr); /* guests and shadow trees: on demand */
    if (rc != H_SUCCESS)
        FAIL("cannot restore the L1's partition table 0x%llx (H_SET_PARTITION_TABLE: %ld)",
             (unsigned long long)ptcr, rc);
    return 0;
}

/* ---- L1_MAP (optional): the L1's partition-scoped mappings ----------------------------------------- */

static void put_mapping(void *arg, gra_t gra, unsigned shift)
{
    SnapBuf *b = arg;
    snap_put_u64(b, gra);
    snap_put_u8(b, (uint8_t)shift);
}

static void count_mapping(void *arg, gra_t gra, unsigned shift)
{
    (void)gra;
    (void)shift;
    ++*(uint64_t *)arg;
}

static void save_l1_map(SnapWriter *w, const Hv *hv)
{
    uint64_t n = 0;
    hv_partition_for_each_mapping(&hv->part, count_mapping, &n);
    SnapBuf *b = snap_section_begin(w, SNAP_SEC_L1_MAP, SNAP_SECTION_VERSION, 0);
    snap_put_u64(b, n);
    hv_partition_for_each_mapping(&hv->part, put_mapping, b);
    snap_section_end(w);
}

static bool mapping_ok(gra_t gra, unsigned shift, uint64_t ram_size)
{
    bool size_ok = shift == RADIX_SHIFT_4K || shift == RADIX_SHIFT_64K || shift == RADIX_SHIFT_2M ||
                   shift == RADIX_SHIFT_1G;
    return size_ok && !(gra & ((1ULL << shift) - 1)) && gra < ram_size;
}

/* Map the pages again (hv != NULL) or check the list; a bad list is refused like any damage. */
static int load_l1_map(const HvSnapshot *s, Hv *hv, char *err, size_t errlen)
{
    const SnapSection *sec = snap_find(&s->file, SNAP_SEC_L1_MAP, 0);
    if (!sec)
        return 0;
    SnapCursor c = snap_cursor(sec);
    uint64_t n = snap_get_u64(&c);
    for (uint64_t i = 0; i < n && !c.bad; i++) {
        gra_t gra = snap_get_u64(&c);
        unsigned shift = snap_get_u8(&c);
        if (!c.bad && !mapping_ok(gra, shift, s->mach.ram_size))
            FAIL("damaged snapshot: L1 mapping at 0x%llx of 2^%u bytes", (unsigned long long)gra, shift);
        NestL0Map m;
        if (hv && !c.bad && hv_partition_gra_to_hra(&hv->part, gra, false, &m) != NEST_L0_OK)
            FAIL("out of host memory mapping the L1's RAM at 0x%llx", (unsigned long long)gra);
    }
    if (!snap_cursor_done(&c))
        FAIL("damaged snapshot: the L1 mapping section does not have the expected layout");
    return 0;
}

/* ---- STATS (optional) ------------------------------------------------------------------------------ */

static void put_guest_stats(SnapBuf *b, const NestGuestStats *g)
{
    snap_put_u64(b, g->entries);
    snap_put_u32(b, NEST_EXIT_NR);
    for (int i = 0; i < NEST_EXIT_NR; i++)
        snap_put_u64(b, g->exits[i]);
    snap_put_u64(b, g->shadow_faults);
    snap_put_u64(b, g->reflected_faults);
    snap_put_u64(b, g->fault_retries);
    snap_put_u64(b, g->rmap_invalidations);
    snap_put_u64(b, g->tlbie_pages);
    snap_put_u64(b, g->tlbie_flushes);
}

static void get_guest_stats(SnapCursor *c, NestGuestStats *g)
{
    g->entries = snap_get_u64(c);
    uint32_t n = snap_get_u32(c);
    for (uint32_t i = 0; i < n && !c->bad; i++) {
        uint64_t v = snap_get_u64(c);
        if (i < NEST_EXIT_NR)
            g->exits[i] = v;
    }
    g->shadow_faults = snap_get_u64(c);
    g->reflected_faults = snap_get_u64(c);
    g->fault_retries = snap_get_u64(c);
    g->rmap_invalidations = snap_get_u64(c);
    g->tlbie_pages = snap_get_u64(c);
    g->tlbie_flushes = snap_get_u64(c);
}

#define HCALL_SLOTS (sizeof(((HvStats *)0)->hcall_by_nr) / sizeof(uint64_t))

static void save_stats(SnapWriter *w, Hv *hv)
{
    SnapBuf *b = snap_section_begin(w, SNAP_SEC_STATS, SNAP_SECTION_VERSION, 0);
    const HvStats *st = &hv->stats;
    snap_put_u64(b, st->hcalls);
    snap_put_u32(b, (uint32_t)HCALL_SLOTS);
    for (size_t i = 0; i < HCALL_SLOTS; i++)
        snap_put_u64(b, st->hcall_by_nr[i]);
    snap_put_u64(b, st->hcall_private);
    snap_put_u64(b, st->heai);
    snap_put_u64(b, st->cede);
    snap_put_u8(b, hv->nested != NULL);
    if (hv->nested) {
        const HvNestedStats *n = &hv->nested->stats;
        const uint64_t ns[] = { n->set_partition_table, n->enter, n->tlb_invalidate, n->rpt_invalidate,
                                n->copy_tofrom_guest, n->tlbie_emulated, n->l2_mchecks, n->l2_idle,
                                n->preemptions, hv->nested->l1.stats.guests_created };
        for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
            snap_put_u64(b, ns[i]);
        NestGuestStats total;
        nest_l1_stats_sum(&hv->nested->l1, &total);
        put_guest_stats(b, &total);
        snap_put_u8(b, hv->nested->v2 != NULL); /* the v2 guests' table (hv/nested_v2.h) */
        if (hv->nested->v2) {
            snap_put_u64(b, hv->nested->l1v2.stats.guests_created);
            nest_l1_stats_sum(&hv->nested->l1v2, &total);
            put_guest_stats(b, &total);
        }
    }
    snap_section_end(w);
}

/* Counters only: a damaged (CRC-valid) stats section is ignored rather than refused. */
static void load_stats(const HvSnapshot *s, Hv *hv)
{
    SnapCursor c = snap_cursor(snap_find(&s->file, SNAP_SEC_STATS, 0));
    HvStats st = { 0 };
    st.hcalls = snap_get_u64(&c);
    uint32_t n = snap_get_u32(&c);
    for (uint32_t i = 0; i < n && !c.bad; i++) {
        uint64_t v = snap_get_u64(&c);
        if (i < HCALL_SLOTS)
            st.hcall_by_nr[i] = v;
    }
    st.hcall_private = snap_get_u64(&c);
    st.heai = snap_get_u64(&c);
    st.cede = snap_get_u64(&c);
    bool nested = snap_get_u8(&c) != 0;
    HvNestedStats ns = { 0 };
    uint64_t created = 0, created_v2 = 0;
    NestGuestStats total = { 0 }, total_v2 = { 0 };
    bool v2 = false;
    if (nested) {
        uint64_t *f[] = { &ns.set_partition_table, &ns.enter, &ns.tlb_invalidate, &ns.rpt_invalidate,
                          &ns.copy_tofrom_guest, &ns.tlbie_emulated, &ns.l2_mchecks, &ns.l2_idle,
                          &ns.preemptions, &created };
        for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
            *f[i] = snap_get_u64(&c);
        get_guest_stats(&c, &total);
        v2 = snap_get_u8(&c) != 0;
        if (v2) {
            created_v2 = snap_get_u64(&c);
            get_guest_stats(&c, &total_v2);
        }
    }
    if (!snap_cursor_done(&c))
        return;
    hv->stats = st;
    if (nested && hv->nested) {
        hv->nested->stats = ns;
        /* The shadow guests of the saving run are gone (rebuilt on demand): their counters are "dropped". */
        hv->nested->l1.stats.guests_created = created;
        hv->nested->l1.stats.guests_dropped = created;
        hv->nested->l1.stats.dropped = total;
        if (v2 && hv->nested->v2) {
            hv->nested->l1v2.stats.guests_created = created_v2;
            hv->nested->l1v2.stats.guests_dropped = created_v2;
            hv->nested->l1v2.stats.dropped = total_v2;
        }
    }
}

/* ---- saving ------------------------------------------------------------------------------------------ */

bool hv_snapshot_supported(const Hv *hv, char *why, size_t whylen)
{
    if (hv->cfg.clock != CPU_CLOCK_ICOUNT) {
        snprintf(why, whylen, "snapshots need the deterministic clock (--clock=icount, the default)");
        return false;
    }
    return true;
}

bool hv_snapshot_ready(const Hv *hv)
{
    for (int i = 0; i < hv->nvcpus; i++)
        if (hv_nested_in_l2(hv, hv->vcpus[i].cpu))
            return false;
    return true;
}

int hv_snapshot_build(Hv *hv, SnapBuf *out, char *err, size_t errlen)
{
    if (!hv_snapshot_supported(hv, err, errlen))
        return -1;
    if (hv->shutdown)
        FAIL("the machine has stopped: nothing to snapshot");
    if (!hv_snapshot_ready(hv))
        FAIL("a vCPU runs a nested guest (L2): snapshots are taken between its runs");
    SnapWriter w;
    snap_writer_init(&w);
    save_machine(&w, hv);
    save_l0(&w, hv);
    for (int i = 0; i < hv->nvcpus; i++)
        save_vcpu(&w, hv, i);
    save_nested_v1(&w, hv);
    hv_snapshot_v2_save(&w, hv);
    save_stats(&w, hv);
    save_l1_map(&w, hv);
    hv_snapshot_ram_save(&w, hv);
    if (snap_writer_finish(&w) != 0) {
        snap_buf_free(&w.out);
        FAIL("out of host memory building the snapshot");
    }
    *out = w.out;
    return 0;
}

int hv_snapshot_save(Hv *hv, const char *path, char *err, size_t errlen)
{
    SnapBuf b;
    if (hv_snapshot_build(hv, &b, err, errlen) != 0)
        return -1;
    int rc = snap_write_file(path, &b, err, errlen);
    snap_buf_free(&b);
    return rc;
}

/* ---- restoring ---------------------------------------------------------------------------------------- */

static const uint32_t known_sections[] = { SNAP_SEC_MACHINE,   SNAP_SEC_L0,    SNAP_SEC_VCPU,  SNAP_SEC_RAM,
                                           SNAP_SEC_NESTED_V1, SNAP_SEC_STATS, SNAP_SEC_L1_MAP, SNAP_SEC_NESTED_V2 };

static int check_sections(const SnapFile *f, char *err, size_t errlen)
{
    for (uint32_t i = 0; i < f->nsections; i++) {
        const SnapSection *sec = &f->sections[i];
        bool known = false;
        for (size_t k = 0; k < sizeof(known_sections) / sizeof(known_sections[0]); k++)
            known |= sec->id == known_sections[k];
        if (!known && (sec->flags & SNAP_SEC_REQUIRED))
            FAIL("snapshot needs section id %u, which this nesthv cannot restore (written by a newer one?)",
                 sec->id);
        bool own_version = sec->id == SNAP_SEC_NESTED_V2 || sec->id == SNAP_SEC_RAM; /* checked by their readers */
        if (known && !own_version && sec->version != SNAP_SECTION_VERSION)
            FAIL("snapshot section id %u has version %u (this nesthv reads %u)", sec->id, sec->version,
                 SNAP_SECTION_VERSION);
    }
    static const uint32_t once[] = { SNAP_SEC_MACHINE, SNAP_SEC_L0, SNAP_SEC_RAM };
    for (size_t k = 0; k < sizeof(once) / sizeof(once[0]); k++)
        if (snap_count(f, once[k]) != 1)
            FAIL("damaged snapshot: %u sections of id %u (want exactly one)", snap_count(f, once[k]), once[k]);
    if (snap_count(f, SNAP_SEC_NESTED_V1) > 1 || snap_count(f, SNAP_SEC_STATS) > 1 || snap_count(f, SNAP_SEC_L1_MAP) > 1 ||
        snap_count(f, SNAP_SEC_NESTED_V2) > 1)
        FAIL("damaged snapshot: repeated sections");
    return 0;
}

int hv_snapshot_parse(uint8_t *data, size_t len, HvSnapshot *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    if (snap_parse(data, len, &s->file, err, errlen) != 0)
        return -1;
    s->data = data;
    s->len = len;
    if (check_sections(&s->file, err, errlen) || load_machine(s, err, errlen) || load_l0(s, NULL, err, errlen) ||
        load_vcpus(s, NULL, err, errlen) || hv_snapshot_ram_load(s, NULL, err, errlen) ||
        load_nested_v1(s, NULL, err, errlen) || load_l1_map(s, NULL, err, errlen) ||
        hv_snapshot_v2_load(snap_find(&s->file, SNAP_SEC_NESTED_V2, 0), &s->mach, NULL, err, errlen)) {
        snap_file_free(&s->file);
        s->data = NULL;
        return -1;
    }
    return 0;
}

int hv_snapshot_open(const char *path, HvSnapshot *s, char *err, size_t errlen)
{
    uint8_t *data;
    size_t len;
    char why[256];
    if (mach_read_file(path, &data, &len, why, sizeof(why)) != 0)
        FAIL("cannot read snapshot %s: %s", path, why);
    if (hv_snapshot_parse(data, len, s, why, sizeof(why)) != 0) {
        free(data);
        FAIL("%s: %s; nothing was loaded", path, why);
    }
    return 0;
}

void hv_snapshot_config(const HvSnapshot *s, HvConfig *cfg)
{
    cfg->mach = s->mach;
    cfg->clock = s->clock;
    cfg->icount_shift = s->icount_shift;
}

int hv_snapshot_restore(Hv *hv, const HvSnapshot *s, char *err, size_t errlen)
{
    if (hv->ram_size != s->mach.ram_size || hv->nvcpus != s->mach.smp_cpus)
        FAIL("internal: the machine was not built from the snapshot's configuration");
    hv->fdt_addr = s->fdt_addr;
    if (hv_snapshot_ram_load(s, hv, err, errlen) || load_l1_map(s, hv, err, errlen) || load_vcpus(s, hv, err, errlen) ||
        load_l0(s, hv, err, errlen) || load_nested_v1(s, hv, err, errlen) ||
        hv_snapshot_v2_load(snap_find(&s->file, SNAP_SEC_NESTED_V2, 0), &s->mach, hv, err, errlen))
        return -1;
    load_stats(s, hv);
    for (int i = 0; i < hv->nvcpus; i++)
        cpu_mode_changed(hv->vcpus[i].cpu);
    return 0;
}

void hv_snapshot_close(HvSnapshot *s)
{
    snap_file_free(&s->file);
    free(s->data);
    memset(s, 0, sizeof(*s));
}
