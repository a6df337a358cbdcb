/* nesthv-test-args: -smp 2 */
/*
 * cede.c - H_CEDE, H_PROD, H_CONFER and H_JOIN (PAPR 14.5.4.3; QEMU's
 * spapr_hcall.c semantics):
 *  - H_CEDE sets MSR[EE] and idles until an interrupt: the decrementer, an
 *    IPI; the interrupt is then taken right after the hcall;
 *  - H_PROD of a running CPU makes its next H_CEDE return at once (QEMU 7.2
 *    forgets it: its cede waits for the decrementer); H_PROD of a ceded CPU
 *    wakes it; unknown CPU numbers are H_PARAMETER;
 *  - H_CONFER(-1) gives up the time slice and returns H_SUCCESS (QEMU 7.2
 *    leaves r3 = the hcall number: it leaves the hcall with a longjmp); to
 *    a CPU without a VPA, or with
 *    an even dispatch count, it returns at once; H_CONFER to itself with a
 *    prod pending returns at once;
 *  - H_JOIN: H_BAD_MODE with MSR[EE] = 1; H_CONTINUE when every other CPU
 *    is stopped.
 * While CPU 1 idles in H_CEDE, query-cpu-stopped-state says 2 (not in the
 * RTAS stopped state) on nesthv; QEMU 7.2 says 0 (see cede.qemu-diff).
 */
#include "smp.h"

#define TB_1MS    512000UL
#define DEC_FAR   0x7fffffffUL         /* about 4 s */

static volatile int phase;

static void test_cede_dec(void)
{
    struct smp_cpu *c = &smp_cpus[0];
    test_begin("H_CEDE until the decrementer");
    c->decs = 0;
    unsigned long t0 = mftb(); /* before mtdec: the wait is at least TB_1MS whatever the host load */
    mtdec(TB_1MS);
    TEST_EQ(hcall(H_CEDE), H_SUCCESS);
    unsigned long waited = mftb() - t0;
    TEST_EQ(c->decs, 1);
    TEST_ASSERT(mfmsr() & MSR_EE);        /* cede enabled external interrupts */
    TEST_ASSERT(waited >= TB_1MS);
    smp_disable_ee();
    /* a decrementer already pending: cede returns, the interrupt is taken */
    mtdec(0);
    smp_delay_tb(10);
    TEST_EQ(hcall(H_CEDE), H_SUCCESS);
    TEST_EQ(c->decs, 2);
    smp_disable_ee();
}

/* PAPR: a prod of a CPU that is not ceded is remembered for its next H_CEDE. */
static void test_prod_self(void)
{
    struct smp_cpu *c = &smp_cpus[0];
    test_begin("H_PROD before H_CEDE");
    TEST_EQ(hcall(H_PROD, 2), H_PARAMETER);
    TEST_EQ(hcall(H_PROD, -1UL), H_PARAMETER);
    c->decs = 0;
    mtdec(50 * TB_1MS);                   /* what wakes it if the prod was lost */
    TEST_EQ(hcall(H_PROD, 0), H_SUCCESS);
    TEST_EQ(hcall(H_CEDE), H_SUCCESS);    /* returns at once: prodded */
    smp_disable_ee();
    printf("prod before cede: decrementer interrupts while ceded: %lu\n", c->decs);
    TEST_EQ(c->decs, 0);
    mtdec(DEC_FAR);
}

/* CPU 1: cede with the decrementer far away; record how it woke. */
static void ceder(struct smp_cpu *c)
{
    hcall(H_CPPR, XICS_PRIO_LEAST);
    for (int round = 1; round <= 2; round++) {
        c->ipis = 0;
        c->decs = 0;
        mtdec(DEC_FAR);
        sync();
        c->data[0] = (unsigned long)round;     /* about to cede */
        long rc = hcall(H_CEDE);
        smp_disable_ee();
        c->data[2] = (unsigned long)rc;
        c->data[3] = c->ipis;
        c->data[4] = c->decs;
        sync();
        c->data[1] = (unsigned long)round;     /* woke */
        smp_wait(&phase);
        phase = 0;
    }
    hcall(H_CPPR, 0);
}

static void test_wake_other(void)
{
    struct smp_cpu *c = &smp_cpus[1];
    test_begin("H_CEDE woken by an IPI, then by H_PROD");
    phase = 0;
    TEST_EQ(smp_start(1, ceder), RTAS_SUCCESS);
    /* round 1: an IPI */
    TEST_ASSERT(smp_wait_ul(&c->data[0], 1));
    smp_delay_tb(20 * TB_1MS);                   /* CPU 1 is inside H_CEDE by now */
    printf("cpu 1 in H_CEDE: query-cpu-stopped-state = %d\n", smp_query(1));
    TEST_EQ(hcall(H_IPI, 1, 4), H_SUCCESS);
    TEST_ASSERT(smp_wait_ul(&c->data[1], 1));
    TEST_EQ(c->data[2], H_SUCCESS);
    TEST_EQ(c->data[3], 1);                      /* woken by the IPI ... */
    TEST_EQ(c->data[4], 0);                      /* ... not the decrementer */
    printf("woken by the IPI: ipis %lu decs %lu\n", c->data[3], c->data[4]);
    phase = 1;
    sync();
    /* round 2: H_PROD */
    TEST_ASSERT(smp_wait_ul(&c->data[0], 2));
    smp_delay_tb(20 * TB_1MS);
    TEST_EQ(hcall(H_PROD, 1), H_SUCCESS);
    TEST_ASSERT(smp_wait_ul(&c->data[1], 2));
    TEST_EQ(c->data[3], 0);
    TEST_EQ(c->data[4], 0);
    printf("woken by H_PROD: ipis %lu decs %lu\n", c->data[3], c->data[4]);
    phase = 1;
    sync();
    TEST_ASSERT(smp_wait(&c->done));
    TEST_ASSERT(smp_wait_stopped(1));
}

static void test_confer_join(void)
{
    struct smp_cpu *c0 = &smp_cpus[0];
    test_begin("H_CONFER and H_JOIN");
    TEST_EQ(hcall(H_CONFER, 2, 0), H_PARAMETER);
    TEST_EQ(hcall(H_CONFER, -2UL, 0), H_PARAMETER);
    TEST_EQ(hcall(H_CONFER, 1, 1), H_SUCCESS);   /* CPU 1 has no VPA */
    TEST_EQ(hcall(H_CONFER, 1, 2), H_SUCCESS);
    printf("h_confer(-1) returns %ld\n", hcall(H_CONFER, -1UL, 0));
    c0->decs = 0;
    mtdec(50 * TB_1MS);
    TEST_EQ(hcall(H_PROD, 0), H_SUCCESS);
    TEST_EQ(hcall(H_CONFER, 0, 0), H_SUCCESS);   /* to itself, prodded: at once */
    TEST_EQ(c0->decs, 0);                        /* (EE is off: nothing is taken anyway) */
    mtdec(DEC_FAR);
    smp_enable_ee();
    TEST_EQ(hcall(H_JOIN), H_BAD_MODE);
    smp_disable_ee();
    TEST_EQ(hcall(H_JOIN), H_CONTINUE);          /* CPU 1 is stopped: nobody to wait for */
}

int main(void)
{
    smp_init();
    smp_install_vector(FW_VEC_DECREMENTER);
    smp_install_vector(FW_VEC_EXTERNAL);
    test_cede_dec();
    test_prod_self();
    test_wake_other();
    test_confer_join();
    return test_report();
}
