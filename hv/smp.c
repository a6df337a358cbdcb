/*
 * smp.c - the partition's vCPUs and the scheduler that runs them.
 *
 * vCPUs: -smp N creates N hardware threads sharing RAM and the decoded-
 * instruction cache (cpu_init_sibling()).  vCPU i has id i: its FDT reg,
 * interrupt server number and PIR (QEMU numbers them so for threads = 1
 * and, since pseries-4.2, vsmt = threads: consecutive ids across cores).
 * vCPU 0 starts at the entry point; the others are STOPPED until RTAS
 * start-cpu.  A vCPU is RUNNING (runnable), IDLE (H_CEDE, H_CONFER to
 * itself, H_JOIN, wait: until an interrupt is pending or H_PROD) or STOPPED.
 *
 * Scheduler (deterministic, one host thread): turns, round robin over the
 * RUNNING vCPUs in id order.  A turn runs one vCPU for a quantum of
 * SMP_QUANTUM instructions, or SOLO_SLICE when no other vCPU is runnable
 * or idle (a one-vCPU machine always runs so: its fast path is the
 * single-CPU run loop with one more check per 2^24 instructions); it ends
 * early when the vCPU stops or goes idle, when it made another vCPU
 * runnable (start-cpu, an IPI or H_PROD to an idle vCPU), or on H_CONFER.  Every decision depends only on guest-visible state, so the
 * same program gives the same interleaving, output and counts every run.
 *
 * Time: one machine-wide virtual clock, hv->vclock, in instruction units
 * (each instruction takes 2^icount_shift ns, cpu/timebase.c).  It advances
 * with every instruction any vCPU executes: a turn starts at the machine
 * time (the vCPU's clock moves forward to it, cpu_set_vclock()) and the
 * machine time becomes the vCPU's clock when the turn ends.  So all vCPUs
 * read one timebase that never goes backwards across them: anything a vCPU
 * observes another one doing happened at an earlier timebase (a TB stamp
 * sent with an IPI is always below the receiver's TB), the same model as
 * QEMU's -icount.  The price: with k busy vCPUs each one executes 1/k of
 * the instructions per timebase tick that a lone vCPU would.
 * Idle vCPUs do not run: an idle vCPU whose decrementer fires at virtual
 * time t becomes runnable at t exactly (turns of other vCPUs are cut to end
 * there); when no vCPU is runnable the clock jumps to the earliest such t.
 * With --clock=host every vCPU reads the host clock, and when all are idle
 * L0 sleeps until the earliest decrementer deadline.
 *
 * Cede/prod/confer (PAPR 14.5.4.3, parameter checks as QEMU's
 * spapr_hcall.c): H_CEDE sets MSR[EE] and returns at once if an H_PROD
 * came since the last cede (consuming it) or an interrupt is pending;
 * H_PROD wakes an idle vCPU, or else is remembered for its next H_CEDE
 * (QEMU 7.2 drops it whenever its TCG loop re-enters the vCPU, which the
 * prod's own kick causes: docs/conformance.md); H_CONFER(-1) yields the rest
 * of the turn, H_CONFER(self) waits like H_CEDE without touching MSR[EE],
 * H_CONFER(other, dispatch) yields only if the other's VPA dispatch
 * counter is odd and equals dispatch.  H_JOIN waits with
 * MSR[EE] = 0 until H_PROD.  An idle vCPU wakes when an interrupt is
 * pending whatever MSR[EE] says (QEMU's cpu_has_work for a halted thread);
 * it is then taken only if MSR[EE] allows.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hv/hv.h"
#include "ppc/hcall.h"
#include "ppc/papr_smp.h"

#define SMP_QUANTUM     8192ULL        /* instructions per turn while several vCPUs are runnable */
#define SOLO_SLICE      (1ULL << 24)   /* ... while no other can run: L0 checks limits in between */
#define HOST_IDLE_MAX_NS 10000000ULL   /* --clock=host, all idle: sleep at most 10 ms at a time */
#define NO_DEADLINE     UINT64_MAX

/* LPCR bits a started vCPU takes from the caller (QEMU rtas_start_cpu). */
#define LPCR_FROM_CALLER (LPCR_ILE | LPCR_AIL | LPCR_UPRT | LPCR_GTSE | LPCR_HR)

static const char *const exit_names[CPU_EXIT__COUNT] = {
    [CPU_EXIT_BUDGET] = "budget", [CPU_EXIT_HCALL] = "hcall",  [CPU_EXIT_HDSI] = "hdsi",
    [CPU_EXIT_HISI] = "hisi",     [CPU_EXIT_HDEC] = "hdec",    [CPU_EXIT_HEAI] = "heai",
    [CPU_EXIT_HFAC] = "hfac",     [CPU_EXIT_HVIRT] = "hvirt",  [CPU_EXIT_HEXT] = "hext",
    [CPU_EXIT_IDLE] = "idle",
    [CPU_EXIT_HALT] = "halt",
};

const char *hv_exit_name(CpuExit exit)
{
    return exit < CPU_EXIT__COUNT ? exit_names[exit] : "?";
}

/* ---- vCPUs ------------------------------------------------------------------ */

static void for_each_cpu_hook(CPUState *cpu, void (*fn)(CPUState *target, void *arg), void *arg)
{
    hv_for_each_vcpu(cpu->opaque, fn, arg);
}

/* Machine-level settings of vCPU i copied from vCPU 0 (clock, hooks). */
static void inherit_settings(CPUState *cpu, const CPUState *first, int i)
{
    cpu->cpu_index = i;
    cpu->smt_threads = first->smt_threads;
    /* TIR: the thread's number within its core (Book III 2.2). */
    cpu->spr[SPR_TIR] = cpu->smt_threads > 1 ? (uint64_t)(i % cpu->smt_threads) : 0;
    cpu->opaque = first->opaque;
    cpu->clock = first->clock;
    cpu->icount_shift = first->icount_shift;
    cpu->host_ns0 = first->host_ns0;
    cpu->on_interrupt = first->on_interrupt;
    cpu->for_each_cpu = for_each_cpu_hook;
}

int hv_smp_init(Hv *hv, char *err, size_t errlen)
{
    int n = hv->cfg.mach.smp_cpus;
    hv->vcpus = calloc((size_t)n, sizeof(*hv->vcpus));
    if (!hv->vcpus) {
        snprintf(err, errlen, "out of host memory for %d vCPUs: use a smaller -smp", n);
        return -1;
    }
    hv->cpu.for_each_cpu = for_each_cpu_hook;
    hv->cpu.smt_threads = (uint8_t)hv->cfg.mach.smp_threads;
    for (int i = 0; i < n; i++) {
        HvVcpu *v = &hv->vcpus[i];
        CPUState *cpu = &hv->cpu;
        if (i > 0) {
            cpu = malloc(sizeof(*cpu));
            if (!cpu || cpu_init_sibling(cpu, &hv->cpu) != 0) {
                free(cpu);
                snprintf(err, errlen, "out of host memory for %d vCPUs: use a smaller -smp", n);
                return -1;
            }
            inherit_settings(cpu, &hv->cpu, i);
        }
        v->cpu = cpu;
        v->state = i == 0 ? HV_VCPU_RUNNING : HV_VCPU_STOPPED;
        v->wake_at = NO_DEADLINE;
        xics_icp_reset(&v->icp);
        hv->nvcpus = i + 1;
    }
    hv->current = &hv->vcpus[0];
    return 0;
}

void hv_smp_destroy(Hv *hv)
{
    for (int i = 1; i < hv->nvcpus; i++) {
        cpu_destroy(hv->vcpus[i].cpu);
        free(hv->vcpus[i].cpu);
    }
    free(hv->vcpus);
    hv->vcpus = NULL;
    hv->nvcpus = 0;
}

HvVcpu *hv_vcpu_by_id(Hv *hv, uint64_t id)
{
    return id < (uint64_t)hv->nvcpus ? &hv->vcpus[id] : NULL;
}

void hv_for_each_vcpu(Hv *hv, void (*fn)(CPUState *cpu, void *arg), void *arg)
{
    for (int i = 0; i < hv->nvcpus; i++)
        fn(hv->vcpus[i].cpu, arg);
}

void hv_set_lpcr_all(Hv *hv, uint64_t mask, uint64_t value)
{
    for (int i = 0; i < hv->nvcpus; i++) {
        CPUState *cpu = hv->vcpus[i].cpu;
        if (hv_nested_in_l2(hv, cpu)) {
            hv_nested_set_l1_lpcr(hv, cpu, mask, value); /* the L1 gets it back at the L2's exit */
            continue;
        }
        cpu->spr[SPR_LPCR] = (cpu->spr[SPR_LPCR] & ~mask) | (value & mask);
        cpu_mode_changed(cpu);
    }
}

/* Virtual time at which v's decrementer goes negative (deterministic clock only). */
static uint64_t dec_deadline(const Hv *hv, CPUState *cpu)
{
    if (hv->cfg.clock != CPU_CLOCK_ICOUNT)
        return NO_DEADLINE;
    uint64_t wait = cpu_insns_until_dec(cpu), now = cpu_vclock(cpu);
    return wait >= NO_DEADLINE - now ? NO_DEADLINE : now + wait;
}

void hv_vcpu_idle(Hv *hv, HvVcpu *v)
{
    v->state = HV_VCPU_IDLE;
    v->wake_at = dec_deadline(hv, v->cpu);
    hv_vpa_set_dispatched(hv, v, false);
}

void hv_vcpu_wake(Hv *hv, HvVcpu *v)
{
    if (v->state != HV_VCPU_IDLE)
        return;
    v->state = HV_VCPU_RUNNING;
    v->wake_at = NO_DEADLINE;
    hv_vpa_set_dispatched(hv, v, true);
    hv->resched = true;
}

/*
 * RTAS start-cpu, entry state as QEMU's: MSR = SF|ME (64-bit, big-endian,
 * real mode, EE off), NIP = entry, r3 = the given value, r1 = r4 = 0;
 * LPCR[ILE], [AIL] and the radix bits and the timebase offset come from
 * the calling vCPU.
 */
void hv_vcpu_start(Hv *hv, HvVcpu *v, CPUState *caller, uint64_t entry, uint64_t r3)
{
    CPUState *cpu = v->cpu;
    cpu->msr = MSR_SF | MSR_ME;
    cpu->nip = entry;
    cpu->gpr[1] = 0;
    cpu->gpr[3] = r3;
    cpu->gpr[4] = 0;
    cpu->spr[SPR_LPCR] = (cpu->spr[SPR_LPCR] & ~LPCR_FROM_CALLER) | (caller->spr[SPR_LPCR] & LPCR_FROM_CALLER);
    cpu->tb_offset = caller->tb_offset;
    cpu_mode_changed(cpu);
    if (cpu_vclock(cpu) < cpu_vclock(caller))
        cpu_set_vclock(cpu, cpu_vclock(caller));
    v->state = HV_VCPU_RUNNING;
    v->wake_at = NO_DEADLINE;
    hv_vpa_set_dispatched(hv, v, true);
    hv->resched = true;
}

/* RTAS stop-self: QEMU also clears the whole MSR (start-cpu sets it again). */
void hv_vcpu_stop(Hv *hv, HvVcpu *v)
{
    v->state = HV_VCPU_STOPPED;
    v->cpu->msr = 0;
    cpu_mode_changed(v->cpu);
    hv_vpa_set_dispatched(hv, v, false);
}

/* ---- cede, prod, confer ------------------------------------------------------ */

/* H_CEDE: enable external interrupts and idle until one is pending (PAPR 14.5.4.3.3). */
long hv_h_cede(Hv *hv, CPUState *cpu)
{
    HvVcpu *v = hv_vcpu(hv, cpu);
    hv->stats.cede++;
    cpu->msr |= MSR_EE;
    cpu->end_block = true;
    if (v->prod) {
        v->prod = false;
        return H_SUCCESS;
    }
    if (!cpu_interrupt_pending(cpu))
        hv_vcpu_idle(hv, v);
    return H_SUCCESS;
}

/* H_PROD(proc): wake proc if it is idle, else make its next H_CEDE return at once. */
long hv_h_prod(Hv *hv, CPUState *cpu)
{
    HvVcpu *t = hv_vcpu_by_id(hv, cpu->gpr[4]);
    if (!t)
        return H_PARAMETER;
    if (t->state == HV_VCPU_IDLE)
        hv_vcpu_wake(hv, t);
    else
        t->prod = true;
    return H_SUCCESS;
}

/* The caller gives up the rest of its turn (preempted and dispatched again). */
static void yield_turn(Hv *hv, HvVcpu *v)
{
    hv_vpa_set_dispatched(hv, v, false);
    hv_vpa_set_dispatched(hv, v, true);
    hv->resched = true;
}

static uint32_t vpa_dispatch_count(Hv *hv, const HvVcpu *t)
{
    uint8_t p[4];
    if (!t->vpa || hv_read_guest(hv, t->vpa + VPA_YIELD_COUNT_OFFSET, p, sizeof(p)) != 0)
        return 0;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* H_CONFER(proc, dispatch): -1 = to everyone, self = until prodded, other = to it if it is preempted. */
long hv_h_confer(Hv *hv, CPUState *cpu)
{
    HvVcpu *v = hv_vcpu(hv, cpu);
    int64_t target = (int64_t)cpu->gpr[4];
    uint32_t dispatch = (uint32_t)cpu->gpr[5];
    if (target != -1) {
        HvVcpu *t = hv_vcpu_by_id(hv, (uint64_t)target);
        if (!t)
            return H_PARAMETER;
        if (t == v) {
            if (v->prod)
                v->prod = false;
            else if (!cpu_interrupt_pending(cpu))
                hv_vcpu_idle(hv, v);
            return H_SUCCESS;
        }
        if (!t->vpa || !(dispatch & 1) || vpa_dispatch_count(hv, t) != dispatch)
            return H_SUCCESS;
    }
    yield_turn(hv, v);
    return H_SUCCESS;
}

/*
 * H_JOIN (hcall-join): with MSR[EE] = 0, wait like H_CONFER to itself until
 * H_PROD -- unless every other vCPU is already joined or stopped (not
 * running, MSR[EE] = 0): then H_CONTINUE, and the caller goes on.  QEMU's rules.
 */
long hv_h_join(Hv *hv, CPUState *cpu)
{
    HvVcpu *v = hv_vcpu(hv, cpu);
    if (cpu->msr & MSR_EE)
        return H_BAD_MODE;
    bool last = true;
    for (int i = 0; i < hv->nvcpus && last; i++) {
        HvVcpu *o = &hv->vcpus[i];
        if (o != v && (o->state == HV_VCPU_RUNNING || (o->cpu->msr & MSR_EE)))
            last = false;
    }
    if (last)
        return H_CONTINUE;
    hv_vcpu_idle(hv, v);
    return H_SUCCESS;
}

/* ---- the run loop ------------------------------------------------------------- */

/* Book III 7.5.17 + PAPR: an illegal instruction in a pseries guest is a program interrupt. */
static void handle_heai(Hv *hv, CPUState *cpu)
{
    hv->stats.heai++;
    if (hv_nested_heai(hv, cpu)) /* a partition-scoped tlbie */
        return;
    cpu_interrupt(cpu, EXCP_PROGRAM, cpu->spr[SPR_HSRR0], SRR1_PROG_ILLEGAL);
}

/* The machine stops; cli/ reports vCPU 0's halt message, so a secondary's goes there too. */
static void machine_halted(Hv *hv, CPUState *cpu)
{
    if (cpu != &hv->cpu) {
        char msg[sizeof(cpu->halt_msg) + 16];
        snprintf(msg, sizeof(msg), "cpu %d: %s", cpu->cpu_index, cpu->halt_msg);
        snprintf(hv->cpu.halt_msg, sizeof(hv->cpu.halt_msg), "%.*s", (int)sizeof(hv->cpu.halt_msg) - 1, msg);
    }
    hv->shutdown = true;
    hv->status = HV_GUEST_HALTED;
}

static void handle_exit(Hv *hv, CPUState *cpu, CpuExit exit)
{
    if (hv_nested_in_l2(hv, cpu)) { /* the vCPU runs an L2 of its L1 */
        hv_nested_exit(hv, cpu, exit);
        if (cpu->halted)
            machine_halted(hv, cpu);
        return;
    }
    if (exit != CPU_EXIT_BUDGET && exit != CPU_EXIT_HCALL)
        hv_trace(hv, HV_TRACE_EXIT, "exit %s vector=0x%x nip=0x%016llx", hv_exit_name(exit), cpu->exit_vector,
                 (unsigned long long)cpu->nip);
    switch (exit) {
    case CPU_EXIT_BUDGET:
        break;
    case CPU_EXIT_HCALL:
        hv_handle_hcall(hv, cpu);
        break;
    case CPU_EXIT_HEAI:
        handle_heai(hv, cpu);
        break;
    case CPU_EXIT_IDLE: /* wait: until an interrupt is pending (MSR[EE] unchanged) */
        if (!cpu_interrupt_pending(cpu))
            hv_vcpu_idle(hv, hv_vcpu(hv, cpu));
        break;
    case CPU_EXIT_HALT:
        machine_halted(hv, cpu);
        break;
    case CPU_EXIT_HDSI:
    case CPU_EXIT_HISI:
        hv_handle_partition_fault(hv, cpu);
        if (cpu->halted) /* L0 cannot back the page, or a machine check with MSR[ME] = 0 */
            machine_halted(hv, cpu);
        break;
    default:
        /* A hypervisor timer or virtualization interrupt cannot happen without nesting yet. */
        cpu_halt(cpu, "unexpected hypervisor exit %s (vector 0x%x) at 0x%016llx", hv_exit_name(exit),
                 cpu->exit_vector, (unsigned long long)cpu->nip);
        machine_halted(hv, cpu);
        break;
    }
}

static bool timer_due(Hv *hv, HvVcpu *v)
{
    if (hv->cfg.clock == CPU_CLOCK_HOST)
        return cpu_dec_pending(v->cpu);
    return hv->vclock >= v->wake_at;
}

/* Idle vCPUs whose decrementer has fired (or line is up) become runnable; earliest other deadline. */
static uint64_t wake_due(Hv *hv)
{
    uint64_t next = NO_DEADLINE;
    for (int i = 0; i < hv->nvcpus; i++) {
        HvVcpu *v = &hv->vcpus[i];
        if (v->state != HV_VCPU_IDLE)
            continue;
        if (v->cpu->irq_ext || v->cpu->irq_doorbell || timer_due(hv, v))
            hv_vcpu_wake(hv, v);
        else if (v->wake_at < next)
            next = v->wake_at;
    }
    return next;
}

/* Round robin from rr_next; *nrunnable counts every runnable vCPU. */
static HvVcpu *pick_next(Hv *hv, int *nrunnable, bool *any_idle)
{
    HvVcpu *pick = NULL;
    *nrunnable = 0;
    *any_idle = false;
    for (int k = 0; k < hv->nvcpus; k++) {
        HvVcpu *v = &hv->vcpus[(hv->rr_next + k) % hv->nvcpus];
        if (v->state == HV_VCPU_IDLE)
            *any_idle = true;
        if (v->state != HV_VCPU_RUNNING)
            continue;
        if (!pick)
            pick = v;
        ++*nrunnable;
    }
    return pick;
}

/*
 * A lone runnable vCPU gets long turns -- unless others are idle: a doorbell
 * (msgsndp) it sends them is only seen between turns, and under
 * --clock=host so are their decrementers.
 */
static uint64_t turn_budget(Hv *hv, int nrunnable, bool any_idle, uint64_t next_wake)
{
    uint64_t budget = nrunnable > 1 || any_idle ? SMP_QUANTUM : SOLO_SLICE;
    if (next_wake != NO_DEADLINE && next_wake - hv->vclock < budget)
        budget = next_wake - hv->vclock; /* an idle vCPU wakes exactly on time */
    if (hv->cfg.max_insns && hv->cfg.max_insns - hv->insns < budget)
        budget = hv->cfg.max_insns - hv->insns;
    return budget;
}

/* One turn of v: at most budget instructions, fewer if it stops, idles or yields. */
static void run_turn(Hv *hv, HvVcpu *v, uint64_t budget)
{
    CPUState *cpu = v->cpu;
    if (cpu_vclock(cpu) < hv->vclock)
        cpu_set_vclock(cpu, hv->vclock);
    hv->current = v;
    hv->resched = false;
    uint64_t end = cpu->icount + budget;
    do {
        uint64_t before = cpu->icount;
        CpuExit exit = cpu_run(cpu, end - cpu->icount);
        hv->insns += cpu->icount - before;
        handle_exit(hv, cpu, exit);
    } while (!hv->shutdown && !hv->resched && v->state == HV_VCPU_RUNNING && cpu->icount < end);
    if (cpu_vclock(cpu) > hv->vclock)
        hv->vclock = cpu_vclock(cpu);
    hv->rr_next = (cpu->cpu_index + 1) % hv->nvcpus;
}

static void stop_machine(Hv *hv, const char *why)
{
    cpu_halt(&hv->cpu, "%s", why);
    hv->shutdown = true;
    hv->status = HV_GUEST_HALTED;
}

/* --clock=host: sleep until the earliest idle decrementer (at most HOST_IDLE_MAX_NS). */
static void host_sleep_until_timer(Hv *hv)
{
    uint64_t ns = HOST_IDLE_MAX_NS;
    for (int i = 0; i < hv->nvcpus; i++) {
        HvVcpu *v = &hv->vcpus[i];
        if (v->state != HV_VCPU_IDLE)
            continue;
        uint64_t dec = cpu_get_dec(v->cpu);
        uint64_t until = (int64_t)dec < 0 ? 0 : cpu_tb_to_ns(dec + 1);
        if (until < ns)
            ns = until;
    }
    struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ULL), .tv_nsec = (long)(ns % 1000000000ULL) };
    nanosleep(&ts, NULL);
}

/* Nothing runnable: time moves to the next decrementer deadline; false if nothing can ever run. */
static bool advance_idle(Hv *hv, bool any_idle, uint64_t next_wake)
{
    if (!any_idle) {
        stop_machine(hv, "all vCPUs stopped (RTAS stop-self)");
        return false;
    }
    if (hv->cfg.clock == CPU_CLOCK_HOST) {
        host_sleep_until_timer(hv);
        return true;
    }
    if (next_wake == NO_DEADLINE) {
        stop_machine(hv, "all vCPUs idle and no timer can wake them");
        return false;
    }
    hv->vclock = next_wake;
    return true;
}

static double host_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

HvStatus hv_run(Hv *hv)
{
    double deadline = hv->cfg.timeout_s > 0 ? host_seconds() + hv->cfg.timeout_s : 0;
    while (!hv->shutdown) {
        if (hv->cfg.max_insns && hv->insns >= hv->cfg.max_insns) {
            hv->status = HV_LIMIT_REACHED;
            break;
        }
        uint64_t next_wake = wake_due(hv);
        int nrunnable;
        bool any_idle;
        HvVcpu *v = pick_next(hv, &nrunnable, &any_idle);
        if (!v) {
            if (!advance_idle(hv, any_idle, next_wake))
                break;
        } else {
            run_turn(hv, v, turn_budget(hv, nrunnable, any_idle, next_wake));
        }
        if (deadline && host_seconds() > deadline) {
            hv->status = HV_LIMIT_REACHED;
            break;
        }
    }
    fflush(stdout);
    return hv->status;
}
