/* nesthv-test-args: -smp 4 */
/*
 * smp_start.c - secondary CPUs through RTAS (PAPR 7.3.x "start-cpu",
 * "stop-self", "query-cpu-stopped-state"), as QEMU's pseries does them:
 *  - the device tree names 4 interrupt servers; CPU 0 runs, the others are
 *    stopped until start-cpu;
 *  - start-cpu: parameter error for an unknown id or a bad argument count,
 *    hardware error for a CPU that is running;
 *  - a secondary starts at the entry with MSR = SF|ME (64-bit, big-endian,
 *    real mode, EE off), r3 = the argument, r1 = r4 = 0 (also when it is
 *    started again after stop-self), interrupts delivered little-endian
 *    (LPCR[ILE] set partition-wide by H_SET_MODE); PIR = its id on nesthv
 *    (Book III: unique per thread), 0 on every CPU on QEMU 7.2 (printed,
 *    see smp_start.qemu-diff);
 *  - one timebase: a secondary's first reading lies between CPU 0's
 *    readings before start-cpu and after it saw the secondary run;
 *  - stop-self stops it (query answers 0) and it can be started again.
 */
#include "smp.h"

#define NCPUS 4
#define ENTRY_MSR (MSR_SF | MSR_ME)
/*
 * "One timebase": a started thread reads the same timebase as the others
 * (Book II 5.1: the time base is shared), not one restarted at 0 or offset.
 * nesthv's is exact (one machine clock); QEMU 7.2 TCG derives each vCPU's
 * from the host clock plus a per-vCPU offset, and about one run in seven
 * shows the secondary a few hundred ticks ahead of CPU 0.  8 us of skew is
 * accepted so the check stays about a shared timebase, not host timing.
 */
#define TB_SKEW_TICKS 4096

static volatile int go;

/* Secondary: record, take one decrementer interrupt, wait for CPU 0. */
static void secondary(struct smp_cpu *c)
{
    c->data[0] = mftb();
    c->data[1] = mfspr(SPR_PIR);
    c->data[2] = mfmsr();
    mtdec(1000);
    smp_enable_ee();
    smp_wait_ul(&c->decs, 1);
    smp_disable_ee();
    sync();
    c->data[3] = 1;
    smp_wait(&go);
}

static void test_topology(void)
{
    uint32_t args[3] = { 0, 0, 0 }, rets[2];
    test_begin("topology and stopped state");
    TEST_EQ(smp_ncpus(), NCPUS);
    TEST_EQ(smp_query(0), RTAS_CPU_RUNNING);
    for (int i = 1; i < NCPUS; i++)
        TEST_EQ(smp_query(i), RTAS_CPU_STOPPED);
    TEST_EQ(smp_query(NCPUS), RTAS_PARAM_ERROR);
    TEST_EQ(smp_query(-1), RTAS_PARAM_ERROR);
    /* start-cpu errors */
    TEST_EQ(smp_rtas(&smp_cpus[0], "start-cpu", 3, args, 1, rets), RTAS_HW_ERROR); /* CPU 0 runs */
    args[0] = NCPUS;
    TEST_EQ(smp_rtas(&smp_cpus[0], "start-cpu", 3, args, 1, rets), RTAS_PARAM_ERROR);
    args[0] = 1;
    TEST_EQ(smp_rtas(&smp_cpus[0], "start-cpu", 2, args, 1, rets), RTAS_PARAM_ERROR); /* nargs */
    TEST_EQ(smp_rtas(&smp_cpus[0], "query-cpu-stopped-state", 1, args, 1, rets), RTAS_PARAM_ERROR); /* nret */
    TEST_EQ(smp_query(1), RTAS_CPU_STOPPED);
}

static void test_start_all(void)
{
    test_begin("start-cpu");
    go = 0;
    for (int i = 1; i < NCPUS; i++) {
        struct smp_cpu *c = &smp_cpus[i];
        unsigned long t0 = mftb();
        TEST_EQ(smp_start(i, secondary), RTAS_SUCCESS);
        TEST_ASSERT(smp_wait(&c->started));
        unsigned long t2 = mftb();
        TEST_ASSERT(smp_wait_ul(&c->data[3], 1));
        TEST_EQ(c->entry_msr, ENTRY_MSR);
        TEST_EQ(c->entry_r3, (unsigned long)c);
        TEST_EQ(c->entry_r1, 0);
        TEST_EQ(c->entry_r4, 0);
        TEST_EQ(c->data[2] & (MSR_SF | MSR_LE | MSR_EE | MSR_IR | MSR_DR), MSR_SF | MSR_LE);
        TEST_ASSERT(t0 <= c->data[0] + TB_SKEW_TICKS && c->data[0] <= t2 + TB_SKEW_TICKS); /* one timebase */
        TEST_EQ(c->decs, 1);                                   /* taken little-endian */
        TEST_EQ(smp_query(i), RTAS_CPU_RUNNING);
        TEST_EQ(smp_start(i, secondary), RTAS_HW_ERROR);       /* already running */
        printf("cpu %d: entry msr 0x%lx, pir %lu, decrementer interrupt taken\n", i,
               (unsigned long)c->entry_msr, (unsigned long)c->data[1]);
    }
    go = 1;
    sync();
    for (int i = 1; i < NCPUS; i++) {
        TEST_ASSERT(smp_wait(&smp_cpus[i].done));
        TEST_ASSERT(smp_wait_stopped(i));
        TEST_EQ(smp_query(i), RTAS_CPU_STOPPED);
    }
}

/* A CPU stopped with stop-self starts again with the same entry state. */
static void test_restart(void)
{
    struct smp_cpu *c = &smp_cpus[2];
    test_begin("start-cpu after stop-self");
    go = 1;
    c->decs = 0;
    c->data[3] = 0;
    TEST_EQ(smp_start(2, secondary), RTAS_SUCCESS);
    TEST_ASSERT(smp_wait(&c->done));
    TEST_ASSERT(smp_wait_stopped(2));
    TEST_EQ(c->entry_msr, ENTRY_MSR);
    TEST_EQ(c->entry_r1, 0);
    TEST_EQ(c->entry_r4, 0);
    TEST_EQ(c->data[3], 1);
    printf("cpu 2: restarted, entry msr 0x%lx\n", (unsigned long)c->entry_msr);
}

int main(void)
{
    smp_init();
    smp_install_vector(FW_VEC_DECREMENTER);
    test_topology();
    test_start_all();
    test_restart();
    return test_report();
}
