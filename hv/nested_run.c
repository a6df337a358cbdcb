/*
 * nested_run.c - what both nested APIs share in L0 (hv/nested.h): nest's
 * ops over L0 (with the host-wide memory counters of v2's elements
 * 0x0800-0x0804), setting up hv->nested, switching a vCPU from its L1 into
 * an L2 and back, the exits of an L2 and its shadow faults.  The run is
 * the same for H_ENTER_NESTED (v1) and H_GUEST_RUN_VCPU (v2); only its end
 * differs: leave_l2() writes back the v1 structures, or hands a v2 run to
 * hv_nested_v2_leave().
 *
 * Running an L2 (H_ENTER_NESTED, Linux kvmhv_enter_nested_guest()):
 *   1. nest_enter_begin() reads and checks hv_guest_state and pt_regs in
 *      the L1's byte order, finds or creates the guest, derives the L2
 *      state (LPCR/MSR/HFSCR/DAWR/CIABR rules, timebase offset, HDEC);
 *   2. the vCPU's L1 registers go to HvNestedVcpu.l1 -- exactly the set
 *      the L2 state replaces: GPRs, NIP/MSR/LR/CTR/CR/XER and the SPRs of
 *      hv_guest_state.  Everything else (DEC, DAR, DSISR, AMR, FSCR, FP ...)
 *      passes through, as with KVM-HV: an L1 hypervisor switches those
 *      itself around H_ENTER_NESTED;
 *   3. the CPU gets the L2: LPIDR = the shadow LPID (translations are
 *      tagged by LPID, so L1 and L2 entries never mix), the L2's timebase
 *      offset (DEC keeps counting where it was), the HDEC deadline, the
 *      L2's DPDES bit as the doorbell input; the run loop goes on with it;
 *   4. exits (hv_nested_exit): L0's own end of turn resumes later (never
 *      an HDEC for the L1); HDSI/HISI under the shadow LPID go to
 *      nest_fault() -- resolved faults resume, L1-caused ones return to the
 *      L1 as 0xE00/0xE20 with HDAR/HDSISR/ASDR, an L1 mapping to no memory
 *      is a machine check in the L2, a store to memory L0 keeps read-only a
 *      DSI in the L2; sc 1 -> 0xC00 (SRR0/1 = the return address and MSR,
 *      as the hardware leaves them), HDEC -> 0x980, HEAI -> 0xE40 with HEIR,
 *      HFAC -> 0xF80, the L1's own external interrupt -> 0x500;
 *   5. the L2's registers are copied into the state (NIP/MSR from HSRR0/1,
 *      or SRR0/1 after sc), the L1 comes back, nest_enter_end() writes
 *      both structures back and r3 = the vector.
 * H_GUEST_RUN_VCPU (hv/nested_v2.c) does 2-5 the same way with the L2
 * state built from L0's own store (it also switches DEC and the SPRs v1
 * leaves to the L1); at 5 hv_nested_v2_leave() stores the state back and
 * fills the run output buffer instead.
 *
 * Table-entry updates.  The MMU fetches the L2's process-scoped entries
 * through the shadow tree and writes their R/C bits back through it; a
 * fault there carries PRTABLE_FAULT and cannot tell nest that the access
 * was a write (nest reads PRTABLE_FAULT faults as reads, HISI has no
 * store bit).  A PRTABLE_FAULT on a page the shadow tree already maps
 * readable can only be the write, so it is handed to nest as a store to
 * that entry's address (the first fault maps it readable, the second
 * writable: two faults, never a loop); reflected, it keeps its vector,
 * HDAR and PRTABLE_FAULT.
 */
#include "hv/nested_run.h"

#include <stdlib.h>
#include <string.h>

#include "hv/hv.h"
#include "mmu/mmu.h"
#include "ppc/hcall.h"
#include "ppc/hvgs.h"

#define NO_HDEC             UINT64_MAX
#define SRR1_CAUSE_BITS     (~SRR1_MSR_KEEP)

HvNestedVcpu *hv_nested_vcpu(const Hv *hv, const CPUState *cpu)
{
    return &hv->nested->vcpus[cpu->cpu_index];
}

bool hv_nested_in_l2(const Hv *hv, const CPUState *cpu)
{
    return hv->nested && hv->nested->vcpus[cpu->cpu_index].in_l2;
}

/* ---- nest's ops over L0 ---------------------------------------------------------- */

static int op_read_l1(void *opaque, gra_t l1_gra, void *buf, size_t len)
{
    HvNested *n = opaque;
    return hv_read_guest(n->hv, l1_gra, buf, len) == 0 ? 0 : -1;
}

static int op_write_l1(void *opaque, gra_t l1_gra, const void *buf, size_t len)
{
    HvNested *n = opaque;
    return hv_write_guest(n->hv, l1_gra, buf, len) == 0 ? 0 : -1;
}

static bool table_in_hrm(const HvNested *n, hra_t hra)
{
    return hra < n->hv->hrm.size && n->hv->hrm.size - hra >= RADIX_ENTRY_BYTES;
}

static int op_read_table(void *opaque, hra_t hra, uint64_t *val)
{
    HvNested *n = opaque;
    uint64_t v;
    if (!table_in_hrm(n, hra))
        return -1;
    memcpy(&v, hrm_ptr(&n->hv->hrm, hra), sizeof(v));
    *val = __builtin_bswap64(v);
    return 0;
}

static int op_write_table(void *opaque, hra_t hra, uint64_t val)
{
    HvNested *n = opaque;
    if (!table_in_hrm(n, hra))
        return -1;
    val = __builtin_bswap64(val);
    memcpy(hrm_ptr(&n->hv->hrm, hra), &val, sizeof(val));
    return 0;
}

static int op_alloc_table(void *opaque, unsigned size_bytes, hra_t *out)
{
    HvNested *n = opaque;
    if (hrm_alloc(&n->hv->hrm, size_bytes, out) != 0)
        return -1;
    n->mem.pgtable += size_bytes;
    if (n->mem.pgtable > n->mem.pgtable_max)
        n->mem.pgtable_max = n->mem.pgtable;
    return 0;
}

static void op_free_table(void *opaque, hra_t hra, unsigned size_bytes)
{
    HvNested *n = opaque;
    hrm_free(&n->hv->hrm, hra, size_bytes);
    n->mem.pgtable -= size_bytes;
    n->mem.pgtable_reclaimed += size_bytes;
}

void *hv_nested_alloc(HvNested *n, size_t size)
{
    void *p = calloc(1, size);
    if (p) {
        n->mem.heap += size;
        if (n->mem.heap > n->mem.heap_max)
            n->mem.heap_max = n->mem.heap;
    }
    return p;
}

void hv_nested_free(HvNested *n, void *p, size_t size)
{
    if (p) {
        n->mem.heap -= size;
        free(p);
    }
}

static void *op_alloc(void *opaque, size_t size)
{
    return hv_nested_alloc(opaque, size);
}

static void op_free(void *opaque, void *p, size_t size)
{
    hv_nested_free(opaque, p, size);
}

static int op_l1_gra_to_hra(void *opaque, gra_t l1_gra, bool writing, NestL0Map *out)
{
    HvNested *n = opaque;
    return hv_partition_gra_to_hra(&n->hv->part, l1_gra, writing, out);
}

/* Any LPID of the machine's partition table but 0 (L0's own) and the L1's. */
static int op_alloc_shadow_lpid(void *opaque, uint32_t *shadow_lpid)
{
    HvNested *n = opaque;
    for (uint32_t k = 0; k < n->nlpids; k++) {
        uint32_t lpid = (n->lpid_next + k) % n->nlpids;
        if (lpid == 0 || lpid == HV_L1_LPID || n->lpid_used[lpid])
            continue;
        n->lpid_used[lpid] = 1;
        n->lpid_next = lpid + 1;
        n->lpids_in_use++;
        *shadow_lpid = lpid;
        return 0;
    }
    return -1;
}

static void op_free_shadow_lpid(void *opaque, uint32_t shadow_lpid)
{
    HvNested *n = opaque;
    if (shadow_lpid < n->nlpids && n->lpid_used[shadow_lpid]) {
        n->lpid_used[shadow_lpid] = 0;
        n->lpids_in_use--;
    }
}

/* The vCPUs that run lpid reload its entry (as after tlbie RIC=2 PRS=0 on hardware). */
static void op_set_pate(void *opaque, uint32_t shadow_lpid, uint64_t dw0, uint64_t dw1)
{
    HvNested *n = opaque;
    Hv *hv = n->hv;
    hrm_set_pate(&hv->hrm, shadow_lpid, dw0, dw1);
    for (int i = 0; i < hv->nvcpus; i++) {
        CPUState *cpu = hv->vcpus[i].cpu;
        if (cpu->mmu.lpid == shadow_lpid)
            mmu_partition_table_changed(cpu);
    }
}

/*
 * Both scopes drop every translation of the LPID: the TLB is indexed by
 * the L2's effective addresses, so the ones derived from one guest real
 * page cannot be singled out (dropping more is always allowed).
 */
static void op_flush(void *opaque, uint32_t shadow_lpid, NestFlushScope scope, gra_t n_gpa, unsigned page_shift)
{
    HvNested *n = opaque;
    Hv *hv = n->hv;
    (void)scope;
    (void)n_gpa;
    (void)page_shift;
    for (int i = 0; i < hv->nvcpus; i++)
        mmu_flush_lpid(hv->vcpus[i].cpu, shadow_lpid);
}

static const NestOps hv_nest_ops = {
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
};

/* ---- setup ------------------------------------------------------------------------- */

int hv_nested_init(Hv *hv, char *err, size_t errlen)
{
    if (!hv->cfg.mach.cap_nested_hv && !hv->cfg.mach.cap_nested_papr)
        return 0;
    HvNested *n = calloc(1, sizeof(*n));
    uint32_t nlpids = 1u << ((hv->hrm.ptcr & PTCR_PATS) + RADIX_SHIFT_4K - 4);
    if (n) {
        n->lpid_used = calloc(nlpids, 1);
        n->vcpus = calloc((size_t)hv->nvcpus, sizeof(*n->vcpus));
    }
    if (!n || !n->lpid_used || !n->vcpus) {
        if (n) {
            free(n->lpid_used);
            free(n->vcpus);
        }
        free(n);
        snprintf(err, errlen, "out of host memory for nested virtualization: use -M pseries,cap-nested-hv=off,"
                              "cap-nested-papr=off");
        return -1;
    }
    n->hv = hv;
    n->v1 = hv->cfg.mach.cap_nested_hv;
    n->nlpids = nlpids;
    n->lpid_next = HV_L1_LPID + 1;
    nest_l1_init(&n->l1, &hv_nest_ops, n);
    /* R/C missing in the L1's PTE: set in the L1's tree, as the MMU sets process-scoped R/C (QEMU 7.2). */
    n->l1.rc_by_hardware = true;
    if (hv->cfg.mach.cap_nested_papr) {
        nest_l1_init(&n->l1v2, &hv_nest_ops, n);
        n->l1v2.rc_by_hardware = true;
        if (hv_nested_v2_init(n) != 0) {
            nest_l1_destroy(&n->l1v2);
            free(n->lpid_used);
            free(n->vcpus);
            free(n);
            snprintf(err, errlen, "out of host memory for the PAPR nested API: use -M pseries,cap-nested-papr=off");
            return -1;
        }
        n->l1.also_invalidate = &n->l1v2; /* L0 moving an L1 page reaches the v2 guests' shadows too */
    }
    hv->nested = n;
    hv->part.nest = &n->l1;
    return 0;
}

void hv_nested_destroy(Hv *hv)
{
    HvNested *n = hv->nested;
    if (!n)
        return;
    for (int i = 0; i < hv->nvcpus; i++) {
        HvNestedVcpu *nv = &n->vcpus[i];
        if (nv->in_l2 && nv->e.ng) {
            nest_guest_put(nv->e.ng);
            nv->e.ng = NULL;
        }
    }
    hv->part.nest = NULL;
    nest_l1_destroy(&n->l1);
    if (n->v2) {
        hv_nested_v2_destroy(n);
        nest_l1_destroy(&n->l1v2);
    }
    free(n->lpid_used);
    free(n->vcpus);
    free(n);
    hv->nested = NULL;
}

/* ---- register state ------------------------------------------------------------------ */

/* Timebase offset changes move DEC's reference so DEC keeps its value (it counts independently). */
void hv_nested_set_tb_offset(CPUState *cpu, int64_t tb_offset)
{
    cpu->dec_base_tb += (uint64_t)(tb_offset - cpu->tb_offset);
    cpu->tb_offset = tb_offset;
}

/* This thread's bit in DPDES (Linux: 1 << thread number in the core). */
static unsigned dpdes_bit(const CPUState *cpu)
{
    return cpu->smt_threads > 1 ? (unsigned)(cpu->cpu_index % cpu->smt_threads) : 0;
}

static void save_l1(const CPUState *cpu, HvL1Regs *s)
{
    memcpy(s->gpr, cpu->gpr, sizeof(s->gpr));
    s->nip = cpu->nip;
    s->msr = cpu->msr;
    s->lr = cpu->lr;
    s->ctr = cpu->ctr;
    s->cr = cpu->cr;
    s->xer = cpu_read_xer(cpu);
    s->lpcr = cpu->spr[SPR_LPCR];
    s->pcr = cpu->spr[SPR_PCR];
    s->amor = cpu->spr[SPR_AMOR];
    s->hfscr = cpu->spr[SPR_HFSCR];
    s->dawr0 = cpu->spr[SPR_DAWR0];
    s->dawrx0 = cpu->spr[SPR_DAWRX0];
    s->ciabr = cpu->spr[SPR_CIABR];
    s->srr0 = cpu->spr[SPR_SRR0];
    s->srr1 = cpu->spr[SPR_SRR1];
    for (int i = 0; i < HVGS_NR_SPRG; i++)
        s->sprg[i] = cpu->spr[SPR_SPRG0 + i];
    s->pidr = cpu->spr[SPR_PIDR];
    s->cfar = cpu->spr[SPR_CFAR];
    s->ppr = cpu->spr[SPR_PPR];
    s->ic = cpu->spr[SPR_IC];
    s->tb_offset = cpu->tb_offset;
    s->irq_doorbell = cpu->irq_doorbell;
}

void hv_nested_restore_l1(Hv *hv, CPUState *cpu, const HvL1Regs *s)
{
    memcpy(cpu->gpr, s->gpr, sizeof(cpu->gpr));
    cpu->nip = s->nip;
    cpu->lr = s->lr;
    cpu->ctr = s->ctr;
    cpu->cr = s->cr;
    cpu_write_xer(cpu, s->xer);
    cpu->spr[SPR_LPCR] = s->lpcr;
    cpu->spr[SPR_PCR] = s->pcr;
    cpu->spr[SPR_AMOR] = s->amor;
    cpu->spr[SPR_HFSCR] = s->hfscr;
    cpu->spr[SPR_DAWR0] = s->dawr0;
    cpu->spr[SPR_DAWRX0] = s->dawrx0;
    cpu->spr[SPR_CIABR] = s->ciabr;
    cpu->spr[SPR_SRR0] = s->srr0;
    cpu->spr[SPR_SRR1] = s->srr1;
    for (int i = 0; i < HVGS_NR_SPRG; i++)
        cpu->spr[SPR_SPRG0 + i] = s->sprg[i];
    cpu->spr[SPR_PIDR] = s->pidr;
    cpu->spr[SPR_CFAR] = s->cfar;
    cpu->spr[SPR_PPR] = s->ppr;
    cpu->spr[SPR_IC] = s->ic;
    hv_nested_set_tb_offset(cpu, s->tb_offset);
    cpu->hdec_expiry = NO_HDEC;
    cpu->irq_doorbell = s->irq_doorbell;
    cpu->resv_addr = RESV_NONE;
    cpu->msr = s->msr;
    mmu_set_partition(cpu, hv->hrm.ptcr, HV_L1_LPID); /* also recomputes the TLB contexts */
}

static void load_l2(Hv *hv, CPUState *cpu, const NestL2State *l2)
{
    memcpy(cpu->gpr, l2->gpr, sizeof(cpu->gpr));
    cpu->nip = l2->nip;
    cpu->lr = l2->lr;
    cpu->ctr = l2->ctr;
    cpu->cr = (uint32_t)l2->cr;
    cpu_write_xer(cpu, l2->xer);
    cpu->spr[SPR_LPCR] = l2->lpcr;
    cpu->spr[SPR_PCR] = l2->pcr;
    cpu->spr[SPR_AMOR] = l2->amor;
    cpu->spr[SPR_HFSCR] = l2->hfscr;
    cpu->spr[SPR_DAWR0] = l2->dawr0;
    cpu->spr[SPR_DAWRX0] = l2->dawrx0;
    cpu->spr[SPR_CIABR] = l2->ciabr;
    cpu->spr[SPR_SRR0] = l2->srr0;
    cpu->spr[SPR_SRR1] = l2->srr1;
    for (int i = 0; i < HVGS_NR_SPRG; i++)
        cpu->spr[SPR_SPRG0 + i] = l2->sprg[i];
    cpu->spr[SPR_PIDR] = l2->pidr;
    cpu->spr[SPR_CFAR] = l2->cfar;
    cpu->spr[SPR_PPR] = l2->ppr;
    cpu->spr[SPR_IC] = l2->ic;
    hv_nested_set_tb_offset(cpu, l2->tb_offset);
    cpu->hdec_expiry = l2->hdec_expiry;
    cpu->irq_doorbell = (l2->dpdes >> dpdes_bit(cpu)) & 1;
    cpu->resv_addr = RESV_NONE;
    cpu_write_msr(cpu, l2->msr);
    mmu_set_partition(cpu, hv->hrm.ptcr, l2->lpid);
}

/* The CPU's L2 registers back into the state; nip/msr as the exit left them. */
static void store_l2(CPUState *cpu, NestL2State *l2, uint64_t nip, uint64_t msr)
{
    memcpy(l2->gpr, cpu->gpr, sizeof(l2->gpr));
    l2->nip = nip;
    l2->msr = msr;
    l2->lr = cpu->lr;
    l2->ctr = cpu->ctr;
    l2->cr = cpu->cr;
    l2->xer = cpu_read_xer(cpu);
    l2->hfscr = cpu->spr[SPR_HFSCR];
    l2->srr0 = cpu->spr[SPR_SRR0];
    l2->srr1 = cpu->spr[SPR_SRR1];
    for (int i = 0; i < HVGS_NR_SPRG; i++)
        l2->sprg[i] = cpu->spr[SPR_SPRG0 + i];
    l2->pidr = cpu->spr[SPR_PIDR];
    l2->cfar = cpu->spr[SPR_CFAR];
    l2->ppr = cpu->spr[SPR_PPR];
    l2->ic = cpu->spr[SPR_IC];
    l2->dpdes = (uint64_t)cpu->irq_doorbell << dpdes_bit(cpu);
    /* PURR, SPURR and VTB count with the timebase (cpu/spr.c): the L2's view of it. */
    l2->purr = l2->spurr = l2->vtb = cpu_get_tb(cpu);
}

void hv_nested_switch_to_l2(Hv *hv, CPUState *cpu, HvNestedVcpu *nv)
{
    save_l1(cpu, &nv->l1);
    load_l2(hv, cpu, &nv->e.l2);
    nv->in_l2 = true;
}


/* ---- leaving an L2 ------------------------------------------------------------------------ */

static void leave_l2(Hv *hv, CPUState *cpu, HvNestedVcpu *nv, const NestExit *x, long err)
{
    HvNested *n = hv->nested;
    if (nv->v2.active) {
        hv_nested_v2_leave(hv, cpu, nv, x, err);
        return;
    }
    uint32_t l1_lpid = nv->e.ng->l1_lpid;
    hv_nested_restore_l1(hv, cpu, &nv->l1);
    nv->in_l2 = false;
    long rc = nest_enter_end(&n->l1, &nv->e, x);
    cpu->gpr[3] = (uint64_t)(err != H_SUCCESS ? err : rc != H_SUCCESS ? rc : (long)x->vector);
    hv_trace(hv, HV_TRACE_EXIT, "exit nested lpid %u: r3=0x%llx", l1_lpid, (unsigned long long)cpu->gpr[3]);
}

/* ---- shadow faults ------------------------------------------------------------------- */

static bool shadow_readable(NestGuest *ng, gra_t n_gpa)
{
    RadixWalk w;
    nest_walk_shadow(ng, n_gpa, &w);
    return w.status == RADIX_OK && (w.pte & (RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW));
}

/* What nest cannot resolve nor reflect (NEST_ERROR): true if the L2 goes on. */
static bool l2_fault_error(Hv *hv, CPUState *cpu, HvNestedVcpu *nv, const NestFaultIn *f, NestFaultError error,
                           NestExit *x, long *err)
{
    switch (error) {
    case NEST_ERR_NOT_RAM:
        /* The L1 maps it to no memory: what the L2 would see accessing nothing (Linux: MMIO emulation). */
        hv->nested->stats.l2_mchecks++;
        cpu_raise_machine_check(cpu, f->ea, f->vector == EXCP_HISI         ? CPU_MC_FETCH
                                            : (f->cause & DSISR_ISSTORE) ? CPU_MC_STORE
                                                                         : CPU_MC_LOAD);
        return true;
    case NEST_ERR_READONLY:
        cpu_raise_dsi(cpu, f->ea, DSISR_PROTFAULT | DSISR_ISSTORE);
        return true;
    case NEST_ERR_NOMEM:
        x->vector = f->vector;
        *err = H_NO_MEM;
        store_l2(cpu, &nv->e.l2, cpu->spr[SPR_HSRR0], cpu->spr[SPR_HSRR1]);
        return false;
    default:
        cpu_halt(cpu, "nested: shadow fault nest cannot classify (vector 0x%x)", f->vector);
        return true;
    }
}

/*
 * The HDSI/HISI of an L2: true if the L2 goes on (resolved, or an
 * interrupt delivered inside it), false with *x / *err filled to end the run.
 */
static bool l2_fault(Hv *hv, CPUState *cpu, HvNestedVcpu *nv, CpuExit exit, NestExit *x, long *err)
{
    NestGuest *ng = nv->e.ng;
    bool hisi = exit == CPU_EXIT_HISI;
    uint64_t hsrr1 = cpu->spr[SPR_HSRR1];
    const NestFaultIn orig = {
        .vector = hisi ? EXCP_HISI : EXCP_HDSI,
        .ea = hisi ? cpu->spr[SPR_HSRR0] : cpu->spr[SPR_HDAR],
        .cause = hisi ? hsrr1 & SRR1_CAUSE_BITS : cpu->spr[SPR_HDSISR],
        .asdr = cpu->spr[SPR_ASDR],
    };
    /* A table-entry write-back (see the header comment): a store to the entry itself. */
    bool update = (orig.cause & DSISR_PRTABLE_FAULT) && shadow_readable(ng, orig.asdr & CPU_PAGE_MASK);
    NestFaultIn in = update ? (NestFaultIn){ EXCP_HDSI, orig.asdr, DSISR_ISSTORE, orig.asdr } : orig;
    NestFaultOut out;
    switch (nest_fault(ng, &in, &out)) {
    case NEST_RESUME:
        return true;
    case NEST_ERROR:
        return l2_fault_error(hv, cpu, nv, &orig, out.error, x, err);
    case NEST_REFLECT:
        break;
    }
    uint64_t cause = out.vector == EXCP_HDSI ? out.hdsisr : out.srr1_cause;
    if (update)
        cause = (cause & ~(uint64_t)DSISR_ISSTORE) | DSISR_PRTABLE_FAULT | (orig.cause & DSISR_ISSTORE);
    x->vector = orig.vector;
    x->asdr = out.asdr;
    if (hisi) {
        store_l2(cpu, &nv->e.l2, cpu->spr[SPR_HSRR0], nest_hisi_msr(hsrr1, cause));
    } else {
        x->hdar = orig.ea;
        x->hdsisr = cause;
        store_l2(cpu, &nv->e.l2, cpu->spr[SPR_HSRR0], hsrr1);
    }
    return false;
}

/* ---- exits ------------------------------------------------------------------------------- */

/* The L2 waits: idle the vCPU until an interrupt for it, or its HDEC (deterministic clock). */
static void l2_idle(Hv *hv, CPUState *cpu)
{
    HvVcpu *v = hv_vcpu(hv, cpu);
    hv->nested->stats.l2_idle++;
    if (cpu_interrupt_pending(cpu) || hv->cfg.clock != CPU_CLOCK_ICOUNT)
        return; /* under --clock=host the wait is a busy loop until DEC or HDEC */
    hv_vcpu_idle(hv, v);
    uint64_t h = cpu_insns_until_hdec(cpu), now = cpu_vclock(cpu);
    if (h != UINT64_MAX && h < UINT64_MAX - now && now + h < v->wake_at)
        v->wake_at = now + h;
}

bool hv_nested_exit(Hv *hv, CPUState *cpu, CpuExit exit)
{
    HvNestedVcpu *nv = hv_nested_vcpu(hv, cpu);
    NestExit x = { 0 };
    long err = H_SUCCESS;
    uint64_t nip = cpu->spr[SPR_HSRR0], msr = cpu->spr[SPR_HSRR1];

    switch (exit) {
    case CPU_EXIT_BUDGET:
        hv->nested->stats.preemptions++;
        return true; /* L0's turn ended: the L2 runs on at the next one */
    case CPU_EXIT_IDLE:
        l2_idle(hv, cpu);
        return true;
    case CPU_EXIT_HALT:
        return false;
    case CPU_EXIT_HDSI:
    case CPU_EXIT_HISI:
        if (l2_fault(hv, cpu, nv, exit, &x, &err))
            return true;
        leave_l2(hv, cpu, nv, &x, err);
        return true;
    case CPU_EXIT_HCALL:
        /* The hypervisor call interrupt saves the return address and MSR in SRR0/1. */
        cpu->spr[SPR_SRR0] = nip;
        cpu->spr[SPR_SRR1] = msr;
        x.vector = EXCP_SYSCALL;
        break;
    case CPU_EXIT_HDEC:
        x.vector = EXCP_HDECR;
        break;
    case CPU_EXIT_HEAI:
        x.vector = EXCP_HEAI;
        x.heir = cpu->spr[SPR_HEIR];
        break;
    case CPU_EXIT_HFAC:
        x.vector = EXCP_HFAC_UNAVAIL;
        x.hfscr = cpu->spr[SPR_HFSCR];
        break;
    case CPU_EXIT_HEXT:
        x.vector = EXCP_EXTERNAL;
        break;
    case CPU_EXIT_HVIRT:
        x.vector = EXCP_HVIRT;
        break;
    default:
        cpu_halt(cpu, "nested: unexpected exit %s of an L2", hv_exit_name(exit));
        return false;
    }
    store_l2(cpu, &nv->e.l2, nip, msr);
    leave_l2(hv, cpu, nv, &x, err);
    return true;
}

void hv_nested_set_l1_lpcr(Hv *hv, CPUState *cpu, uint64_t mask, uint64_t value)
{
    HvL1Regs *s = &hv_nested_vcpu(hv, cpu)->l1;
    s->lpcr = (s->lpcr & ~mask) | (value & mask);
}

