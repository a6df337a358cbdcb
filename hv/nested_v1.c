/*
 * nested_v1.c - the PAPR nested-HV v1 API in L0 (hv/nested.h has the
 * overview): H_ENTER_NESTED and the other v1 hypercalls, the tlbie
 * emulation, --stats.  The run itself (switching the vCPU into the L2,
 * exits, shadow faults, the return to the L1) is hv/nested_run.c's.
 *
 * H_ENTER_NESTED: nest_enter_begin() reads and checks hv_guest_state and
 * pt_regs in the L1's byte order, finds or creates the guest and derives
 * the L2 state; hv_nested_switch_to_l2() runs it; at the exit
 * nest_enter_end() writes both structures back and r3 = the vector
 * (hv/nested_run.c has the whole sequence and the exit rules).
 */
#include "hv/nested_run.h"

#include <stdlib.h>
#include <string.h>

#include "hv/hv.h"
#include "mmu/mmu.h"
#include "ppc/hcall.h"
#include "ppc/hvgs.h"

/* ---- entering and leaving an L2 ------------------------------------------------------ */

long hv_h_enter_nested(Hv *hv, CPUState *cpu)
{
    HvNested *n = hv->nested;
    if (!n || !n->v1)
        return H_FUNCTION;
    HvNestedVcpu *nv = hv_nested_vcpu(hv, cpu);
    NestL1Ctx ctx = {
        .big_endian = !(cpu->msr & MSR_LE),
        .l1_msr = cpu->msr,
        .l1_lpcr = cpu->spr[SPR_LPCR],
        .l1_tb_offset = cpu->tb_offset,
        .l1_hfscr_permitted = HV_L1_HFSCR_PERMITTED,
        .max_vcpu_token = NEST_DEFAULT_MAX_VCPU_TOKEN,
    };
    n->stats.enter++;
    long rc = nest_enter_begin(&n->l1, &ctx, cpu->gpr[4], cpu->gpr[5], &nv->e);
    if (rc != H_SUCCESS)
        return rc;
    hv_nested_switch_to_l2(hv, cpu, nv);
    hv_trace(hv, HV_TRACE_EXIT, "enter nested lpid %u (shadow %u) nip=0x%016llx", nv->e.ng->l1_lpid,
             nv->e.l2.lpid, (unsigned long long)cpu->nip);
    return HV_HCALL_NO_RETURN;
}

/* End the L2's run: write it back, restore the L1, r3 = the vector (or err, an H_* error). */
/* ---- hypercalls ------------------------------------------------------------------------------ */

long hv_h_set_partition_table(Hv *hv, CPUState *cpu)
{
    HvNested *n = hv->nested;
    if (!n || !n->v1)
        return H_FUNCTION;
    n->stats.set_partition_table++;
    return nest_set_partition_table(&n->l1, cpu->gpr[4]);
}

/*
 * The two invalidation hcalls also serve an L1 that negotiated the v2 API
 * (Linux's nestedv2 L1 flushes its guests with them), even without
 * cap-nested-hv: hv_nested_v2_table_for() tells the id spaces apart.
 */
static bool invalidation_offered(const HvNested *n)
{
    return n && (n->v1 || hv_nested_v2_negotiated(n));
}

long hv_h_tlb_invalidate(Hv *hv, CPUState *cpu)
{
    HvNested *n = hv->nested;
    if (!invalidation_offered(n))
        return H_FUNCTION;
    n->stats.tlb_invalidate++;
    /* RS's lpid names a v2 guest if the L1 negotiated the v2 API and has one (hv/nested_v2.c). */
    NestL1 *v2 = hv_nested_v2_table_for(n, cpu->gpr[5] & TLBIE_RS_LPID);
    return nest_tlb_invalidate(v2 ? v2 : &n->l1, (uint32_t)cpu->gpr[4], cpu->gpr[5], cpu->gpr[6]);
}

long hv_h_copy_tofrom_guest(Hv *hv, CPUState *cpu)
{
    HvNested *n = hv->nested;
    if (!n || !n->v1)
        return H_FUNCTION;
    n->stats.copy_tofrom_guest++;
    if (cpu->gpr[4] > UINT32_MAX)
        return H_PARAMETER; /* no such lpid */
    return nest_copy_tofrom_guest(&n->l1, (uint32_t)cpu->gpr[4], cpu->gpr[5], cpu->gpr[6], cpu->gpr[7],
                                  cpu->gpr[8], cpu->gpr[9]);
}

/*
 * The L1's own process-scoped translations of PID pid: every type flushes
 * the PID (nesthv has no page-walk or process-table cache), on every vCPU
 * or only the caller's.
 */
static void rpt_invalidate_process(CPUState *cpu, uint64_t pid, uint64_t target, uint64_t type)
{
    if (!(type & (H_RPTI_TYPE_TLB | H_RPTI_TYPE_PWC | H_RPTI_TYPE_PRT)))
        return;
    uint64_t rb = (uint64_t)TLBIE_IS_PID << TLBIE_RB_IS_SHIFT;
    uint64_t rs = (pid << TLBIE_RS_PID_SHIFT) & TLBIE_RS_PID;
    bool local = !(target & (H_RPTI_TARGET_CMMU | H_RPTI_TARGET_NMMU));
    (void)mmu_tlbie(cpu, rb, rs, TLBIE_RIC_TLB, true, true, local);
}

/*
 * H_RPT_INVALIDATE(id, target, type, page sizes, start, end), Linux's
 * kvmppc_h_rpt_invalidate() rules: a hash L1 -> H_UNSUPPORTED; end < start
 * -> H_P5; the nested type: target other than CMMU -> H_P2, else nest's
 * rules; the L1's own process scope: always H_SUCCESS.
 */
long hv_h_rpt_invalidate(Hv *hv, CPUState *cpu)
{
    HvNested *n = hv->nested;
    uint64_t id = cpu->gpr[4], target = cpu->gpr[5], type = cpu->gpr[6];
    uint64_t pg_sizes = cpu->gpr[7], start = cpu->gpr[8], end = cpu->gpr[9];
    if (!invalidation_offered(n))
        return H_FUNCTION;
    n->stats.rpt_invalidate++;
    if (!mmu_partition_radix(cpu))
        return H_UNSUPPORTED;
    if (end < start)
        return H_P5;
    if (type & H_RPTI_TYPE_NESTED) {
        if (target != H_RPTI_TARGET_CMMU)
            return H_P2;
        if (id > UINT32_MAX)
            return H_SUCCESS; /* no such guest: nothing cached */
        /* A v2 guest id if the L1 negotiated the v2 API and has that guest (Linux's nestedv2 L1). */
        NestL1 *v2 = hv_nested_v2_table_for(n, id);
        return nest_rpt_invalidate(v2 ? v2 : &n->l1, (uint32_t)id, type, pg_sizes, start, end);
    }
    rpt_invalidate_process(cpu, id, target, type);
    return H_SUCCESS;
}

/* ---- partition-scoped tlbie from the L1 (HEAI) ------------------------------------------------- */

/*
 * The MMU makes tlbie/tlbiel with PRS = 0 hypervisor emulation assistance
 * (cpu/exec/mmu_ctrl.c).  With a partition table registered it is the L1
 * invalidating its guests' partition scope (or, for an L1 that negotiated
 * the v2 API, its v2 guest of that id): emulated as H_TLB_INVALIDATE
 * (Linux kvmhv_emulate_priv_tlbie()); an invalid form (R = 0 included: the
 * L2s are radix) is an illegal instruction.  Otherwise the guest gets the
 * privileged-instruction program interrupt QEMU gives a pseries guest.
 */
bool hv_nested_heai(Hv *hv, CPUState *cpu)
{
    uint32_t insn = (uint32_t)cpu->spr[SPR_HEIR];
    uint64_t addr = cpu->spr[SPR_HSRR0];
    HvNested *n = hv->nested;
    DecodedInsn d;
    decode_insn(insn, &d); /* the CPU's own decoder: operands as tlbie executes them */
    if ((d.id != INSN_TLBIE && d.id != INSN_TLBIEL) || d.a.X_tlbie.prs)
        return false;
    uint64_t rs = cpu->gpr[d.a.X_tlbie.rs];
    /* RS's lpid may name a v2 guest (an L1 that negotiated the v2 API: hv/nested_v2.c) */
    NestL1 *l1 = n ? hv_nested_v2_table_for(n, rs & TLBIE_RS_LPID) : NULL;
    if (!l1 && n && n->l1.ptcr != 0)
        l1 = &n->l1;
    if (!l1) {
        cpu_interrupt(cpu, EXCP_PROGRAM, addr, SRR1_PROG_PRIV);
        return true;
    }
    n->stats.tlbie_emulated++;
    long rc = nest_tlb_invalidate(l1, insn, rs, cpu->gpr[d.a.X_tlbie.rb]);
    if (rc == H_PARAMETER)
        cpu_interrupt(cpu, EXCP_PROGRAM, addr, SRR1_PROG_ILLEGAL);
    else
        cpu->nip = addr + 4;
    return true;
}

/* ---- --stats ---------------------------------------------------------------------------------- */

static const char *const exit_labels[NEST_EXIT_NR] = {
    [NEST_EXIT_HCALL] = "hcall 0xc00",   [NEST_EXIT_HDEC] = "hdec 0x980",
    [NEST_EXIT_HDSI] = "hdsi 0xe00",     [NEST_EXIT_HISI] = "hisi 0xe20",
    [NEST_EXIT_HEAI] = "heai 0xe40",     [NEST_EXIT_HDOORBELL] = "hdoorbell 0xe80",
    [NEST_EXIT_HVIRT] = "hvirt 0xea0",   [NEST_EXIT_HFAC] = "hfac 0xf80",
    [NEST_EXIT_EXTERNAL] = "external 0x500", [NEST_EXIT_OTHER] = "other",
};

void hv_nested_print_guest_stats(FILE *out, const char *what, const NestGuestStats *s)
{
    fprintf(out, "  %s: entries %llu, shadow faults %llu, reflected faults %llu, rmap invalidations %llu\n", what,
            (unsigned long long)s->entries, (unsigned long long)s->shadow_faults,
            (unsigned long long)s->reflected_faults, (unsigned long long)s->rmap_invalidations);
    fprintf(out, "    fault retries %llu, tlbie pages %llu, tlbie flushes %llu; exits:",
            (unsigned long long)s->fault_retries, (unsigned long long)s->tlbie_pages,
            (unsigned long long)s->tlbie_flushes);
    for (unsigned i = 0; i < NEST_EXIT_NR; i++)
        if (s->exits[i])
            fprintf(out, " %s %llu", exit_labels[i], (unsigned long long)s->exits[i]);
    fputc('\n', out);
}

/* At most this many guests are listed one by one (the totals cover all of them). */
#define STATS_GUESTS_LISTED 64

static void print_v1_stats(HvNested *n, FILE *out)
{
    const HvNestedStats *s = &n->stats;
    if (!s->set_partition_table && !s->enter && !s->tlb_invalidate && !s->rpt_invalidate && !s->copy_tofrom_guest &&
        !s->tlbie_emulated)
        return;
    NestL1 *l1 = &n->l1;
    fprintf(out, "nesthv stats: nested guests of the L1 (v1 API)\n");
    fprintf(out, "  hcalls: set-partition-table %llu, enter-nested %llu, tlb-invalidate %llu, rpt-invalidate %llu, "
                 "copy-tofrom-guest %llu; emulated tlbie %llu\n",
            (unsigned long long)s->set_partition_table, (unsigned long long)s->enter,
            (unsigned long long)s->tlb_invalidate, (unsigned long long)s->rpt_invalidate,
            (unsigned long long)s->copy_tofrom_guest, (unsigned long long)s->tlbie_emulated);
    fprintf(out, "  guests: %u now, %llu created, %llu dropped, %llu creation races; shadow LPIDs in use %u; "
                 "L0 preemptions %llu, L2 machine checks %llu, L2 waits %llu\n",
            nest_guest_count(l1), (unsigned long long)l1->stats.guests_created,
            (unsigned long long)l1->stats.guests_dropped, (unsigned long long)l1->stats.create_races,
            n->lpids_in_use, (unsigned long long)s->preemptions, (unsigned long long)s->l2_mchecks,
            (unsigned long long)s->l2_idle);
    unsigned listed = 0;
    for (uint32_t lpid = 0; lpid < l1->nguests_max && listed < STATS_GUESTS_LISTED; lpid++) {
        const NestGuest *ng = l1->guests[lpid];
        if (!ng)
            continue;
        char what[48];
        snprintf(what, sizeof(what), "lpid %u (shadow %u)", ng->l1_lpid, ng->shadow_lpid);
        hv_nested_print_guest_stats(out, what, &ng->stats);
        listed++;
    }
    NestGuestStats total;
    nest_l1_stats_sum(l1, &total);
    hv_nested_print_guest_stats(out, "all guests, dropped ones included", &total);
}

void hv_nested_print_stats(Hv *hv, FILE *out)
{
    HvNested *n = hv->nested;
    if (!n)
        return;
    print_v1_stats(n, out);
    if (n->v2)
        hv_nested_v2_print_stats(n, out);
}
