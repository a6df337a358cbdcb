/*
 * smp.c - a guest with more than one vCPU (nesthv.smp=N, at most our own
 * CPU count): vCPU i is run by our CPU i, each in its own
 * H_ENTER_NESTED / H_GUEST_RUN_VCPU loop (guest.c) -- as KVM runs each
 * vCPU of a guest on a host thread.  The guest's device tree lists N CPUs
 * (gfdt.c); its boot vCPU starts the others with RTAS start-cpu, which we
 * answer here (as QEMU's rtas_start_cpu(): the new vCPU begins at the
 * entry with r3 = the argument, MSR = SF|ME, big-endian); stop-self ends
 * a vCPU.
 *
 * Our secondaries are started with RTAS start-cpu themselves, through the
 * SMP support of the firmware tests (firmware/tests/papr/smp.h: the
 * big-endian entry, a stack and TOC per CPU).  SPRG0 holds our CPU index
 * (l1hv_cpu()), which makes the statistics and the console line buffers
 * per CPU; the console itself is under l1hv_lock().
 *
 * A guest that is itself an l1hv gets as many vCPUs, and hosts its nested
 * guests from all of them: nest/ runs with real locks here (host.c's
 * NestOps lock/unlock), the pool, shadow LPIDs and the console are locked,
 * each CPU has its own nested-run state and its own v2 vCPU upward per
 * nested vCPU.  A vCPU that never stops keeps our power-off waiting until
 * its next exit (at most one HDEC slice).
 */
#include "fw.h"
#include "l1hv.h"
#include "firmware/tests/papr/smp.h"

unsigned l1hv_nvcpus = 1;
volatile int l1hv_guest_over;

static L1hvGuest *vcpus[L1HV_MAX_CPUS];
static volatile int cpu_finished[L1HV_MAX_CPUS];
static L1hvSpin console_lock;

void l1hv_spin_lock(L1hvSpin *l)
{
    while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
        cpu_relax();
}

void l1hv_spin_unlock(L1hvSpin *l)
{
    __atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

void l1hv_lock(void)
{
    l1hv_spin_lock(&console_lock);
}

void l1hv_unlock(void)
{
    l1hv_spin_unlock(&console_lock);
}

void l1hv_smp_plan(void)
{
    unsigned n = l1hv_cfg.smp ? l1hv_cfg.smp : l1hv_self.ncpus;
    if (n > l1hv_self.ncpus)
        n = l1hv_self.ncpus;
    l1hv_nvcpus = n ? n : 1;
}

/* Our CPU i: wait for the guest to start vCPU i, run it until it stops or the guest is over. */
static void secondary(struct smp_cpu *c)
{
    mtspr(SPR_SPRG0, (unsigned long)c->id);
    L1hvGuest *g = vcpus[c->id];
    while (g->state != L1HV_VCPU_START && !l1hv_guest_over)
        cpu_relax();
    if (!l1hv_guest_over) {
        g->state = L1HV_VCPU_RUNNING;
        l1hv_guest_run(g);
    }
    sync();
    cpu_finished[c->id] = 1;
}

void l1hv_smp_start(L1hvGuest *boot)
{
    vcpus[0] = boot;
    boot->state = L1HV_VCPU_RUNNING;
    if (l1hv_nvcpus < 2)
        return;
    smp_init();
    for (unsigned i = 1; i < l1hv_nvcpus; i++) {
        L1hvGuest *g = l1hv_pool_alloc(sizeof(*g));
        if (!g)
            l1hv_die("out of pool memory for vCPU %u", i);
        *g = *boot; /* RAM, tree, mapping and nested guests (g->nestp) shared; registers replaced at start-cpu */
        g->vcpu = i;
        g->state = L1HV_VCPU_STOPPED;
        g->done = false;
        g->msr_seen = false;
        g->hvs.vcpu_token = i;
        g->r = (NestPtRegs){ 0 };
        if (boot->v2) {
            g->v2 = l1hv_pool_alloc(sizeof(L1hvV2));
            if (!g->v2)
                l1hv_die("out of pool memory for vCPU %u", i);
            l1hv_v2_create_vcpu(g->v2, boot->v2, i);
        }
        vcpus[i] = g;
        sync();
        int rc = smp_start((int)i, secondary);
        if (rc != RTAS_SUCCESS)
            l1hv_die("RTAS start-cpu of our CPU %u failed (%d)", i, rc);
    }
}

bool l1hv_smp_rtas(L1hvGuest *g, int token, uint32_t nargs, const uint32_t *args, uint32_t *rets)
{
    static int start = -2, stop = -2, query = -2;
    if (start == -2) {
        start = rtas_token("start-cpu");
        stop = rtas_token("stop-self");
        query = rtas_token("query-cpu-stopped-state");
    }
    if (token == start && token >= 0) {
        rets[0] = (uint32_t)RTAS_PARAM_ERROR;
        if (nargs >= 3 && args[0] < l1hv_nvcpus && vcpus[args[0]]->state == L1HV_VCPU_STOPPED) {
            L1hvGuest *v = vcpus[args[0]];
            v->r = (NestPtRegs){ 0 };
            v->r.nip = args[1];
            v->r.gpr[3] = args[2];
            v->r.msr = MSR_SF | MSR_ME; /* big-endian, as PAPR starts a CPU */
            v->lpcr = g->lpcr;
            sync();
            v->state = L1HV_VCPU_START;
            rets[0] = RTAS_SUCCESS;
        }
        return true;
    }
    if (token == stop && token >= 0) {
        g->done = true; /* never resumed; our CPU running it stops */
        rets[0] = RTAS_SUCCESS;
        return true;
    }
    if (token == query && token >= 0) {
        rets[0] = (uint32_t)RTAS_PARAM_ERROR;
        if (nargs >= 1 && args[0] < l1hv_nvcpus) {
            L1hvGuest *v = vcpus[args[0]];
            rets[0] = RTAS_SUCCESS;
            rets[1] = v->state == L1HV_VCPU_STOPPED || v->done ? 0 : 2; /* 0 stopped, 2 running */
        }
        return true;
    }
    return false;
}

void l1hv_smp_finish(void)
{
    l1hv_guest_over = 1;
    sync();
    for (unsigned i = 1; i < l1hv_nvcpus; i++) {
        while (!cpu_finished[i])
            cpu_relax();
        const L1hvStats *o = &l1hv_stats_cpu[i];
        L1hvStats *s = &l1hv_stats_cpu[0];
        s->exits += o->exits;
        s->hcall += o->hcall;
        s->hdec += o->hdec;
        s->hdsi += o->hdsi;
        s->hisi += o->hisi;
        s->heai += o->heai;
        s->other += o->other;
        s->handled += o->handled;
        s->reflected += o->reflected;
        s->hcalls += o->hcalls;
        s->guest_tb += o->guest_tb;
    }
}
