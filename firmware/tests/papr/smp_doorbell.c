/* nesthv-test-args: -smp 8,threads=4 */
/*
 * smp_doorbell.c - SMT topology and processor doorbells (Power ISA v3.0B
 * Book III 11, msgsndp/msgclrp; interrupt 0xA00), with QEMU's spelling
 * -smp 8,threads=4: two cores of four threads.
 *  - the device tree has one node per core (PowerPC,POWER9@0 and @4), each
 *    with the four threads' interrupt server numbers;
 *  - msgsndp (type 5 in RB bits 32:36, target thread in bits 57:63) rings
 *    the doorbell of that thread of the sender's own core, never of
 *    another core; a thread number the core lacks, or another message
 *    type, does nothing;
 *  - the doorbell is taken when MSR[EE] = 1 and is then cleared; msgclrp
 *    clears a pending one; a thread idle in H_CEDE wakes for it.
 * QEMU 7.2 refuses more than one thread per core under TCG (and aborts on
 * a POWER9 doorbell interrupt), so it prints nothing here
 * (smp_doorbell.qemu-diff).
 */
#include "smp.h"

#define NCPUS     8
#define THREADS   4
#define DBELL_PRIV (5UL << 27)

static volatile int quit;

static inline void msgsndp(unsigned long rb) { __asm__ volatile("msgsndp %0" : : "r"(rb) : "memory"); }
static inline void msgclrp(unsigned long rb) { __asm__ volatile("msgclrp %0" : : "r"(rb) : "memory"); }

static void listener(struct smp_cpu *c)
{
    smp_enable_ee();
    c->data[0] = 1;
    while (!quit)
        cpu_relax();
    smp_disable_ee();
}

static void ceder(struct smp_cpu *c)
{
    mtdec(0x7fffffffUL);
    c->data[0] = 1;
    hcall(H_CEDE);
    smp_disable_ee();
    c->data[1] = c->doorbells;
    c->data[2] = c->decs;
}

/* Ring from the calling CPU and let everyone take it. */
static void ring(unsigned long rb)
{
    msgsndp(rb);
    smp_delay_tb(200000);
}

static void counts(const char *what)
{
    printf("%-30s", what);
    for (int i = 0; i < NCPUS; i++)
        printf(" %lu", smp_cpus[i].doorbells);
    printf("\n");
}

static void test_topology(void)
{
    const void *fdt = fw_fdt();
    int len = 0;
    test_begin("SMT topology");
    TEST_EQ(smp_ncpus(), NCPUS);
    int c0 = fdt_node_by_path(fdt, "/cpus/PowerPC,POWER9@0");
    int c4 = fdt_node_by_path(fdt, "/cpus/PowerPC,POWER9@4");
    TEST_ASSERT(c0 >= 0 && c4 >= 0);
    TEST_ASSERT(fdt_node_by_path(fdt, "/cpus/PowerPC,POWER9@1") < 0);
    TEST_ASSERT(fdt_prop(fdt, c4, "ibm,ppc-interrupt-server#s", &len) != NULL);
    TEST_EQ(len, THREADS * 4);
    uint32_t s3 = 0;
    fdt_prop_cell(fdt, c4, "ibm,ppc-interrupt-server#s", 3, &s3);
    TEST_EQ(s3, 7);
    printf("cores @0 and @4, %d interrupt servers each\n", len / 4);
}

static void test_doorbells(void)
{
    test_begin("msgsndp within a core");
    quit = 0;
    for (int i = 1; i < NCPUS; i++) {
        TEST_EQ(smp_start(i, listener), RTAS_SUCCESS);
        TEST_ASSERT(smp_wait_ul(&smp_cpus[i].data[0], 1));
    }
    for (unsigned long t = 1; t < THREADS; t++)
        ring(DBELL_PRIV | t);
    counts("cpu 0 rings threads 1-3:");
    ring(DBELL_PRIV | THREADS);         /* no such thread */
    ring((4UL << 27) | 1);              /* not a privileged doorbell */
    counts("bad thread, bad type:");
    for (int i = 1; i < THREADS; i++)
        TEST_EQ(smp_cpus[i].doorbells, 1);
    for (int i = THREADS; i < NCPUS; i++)
        TEST_EQ(smp_cpus[i].doorbells, 0);
    quit = 1;
    sync();
    for (int i = 1; i < NCPUS; i++)
        TEST_ASSERT(smp_wait_stopped(i));
}

static void ring_sibling(struct smp_cpu *c)
{
    (void)c;
    msgsndp(DBELL_PRIV | 1);
}

/* Thread 0 of core 1 (cpu 4) rings its thread 1: cpu 5, not cpu 1. */
static void test_other_core(void)
{
    test_begin("msgsndp on another core");
    unsigned long before1 = smp_cpus[1].doorbells;
    smp_cpus[5].data[0] = 0;
    quit = 0;
    TEST_EQ(smp_start(1, listener), RTAS_SUCCESS);
    TEST_EQ(smp_start(5, listener), RTAS_SUCCESS);
    TEST_ASSERT(smp_wait_ul(&smp_cpus[1].data[0], 1));
    TEST_ASSERT(smp_wait_ul(&smp_cpus[5].data[0], 1));
    TEST_EQ(smp_start(4, ring_sibling), RTAS_SUCCESS);
    TEST_ASSERT(smp_wait_stopped(4));
    smp_delay_tb(200000);
    quit = 1;
    sync();
    TEST_ASSERT(smp_wait_stopped(1));
    TEST_ASSERT(smp_wait_stopped(5));
    counts("cpu 4 rings its thread 1:");
    TEST_EQ(smp_cpus[5].doorbells, 1);
    TEST_EQ(smp_cpus[1].doorbells, before1);
}

static void test_self_and_clear(void)
{
    struct smp_cpu *c = &smp_cpus[0];
    test_begin("msgclrp, delivery clears");
    c->doorbells = 0;
    msgsndp(DBELL_PRIV | 0);            /* EE off: pending */
    TEST_EQ(c->doorbells, 0);
    msgclrp(DBELL_PRIV);
    smp_enable_ee();
    smp_disable_ee();
    TEST_EQ(c->doorbells, 0);           /* cleared before it could be taken */
    msgsndp(DBELL_PRIV | 0);
    smp_enable_ee();
    smp_disable_ee();
    smp_enable_ee();
    smp_disable_ee();
    TEST_EQ(c->doorbells, 1);           /* taken once: delivery cleared it */
    printf("self doorbell: cleared by msgclrp, taken once otherwise\n");
}

static void test_wakes_ceded(void)
{
    struct smp_cpu *c = &smp_cpus[2];
    test_begin("a doorbell wakes a ceded thread");
    c->doorbells = c->decs = 0;
    c->data[0] = 0;
    TEST_EQ(smp_start(2, ceder), RTAS_SUCCESS);
    TEST_ASSERT(smp_wait_ul(&c->data[0], 1));
    smp_delay_tb(20 * 512000UL);
    msgsndp(DBELL_PRIV | 2);
    TEST_ASSERT(smp_wait(&c->done));
    printf("ceded thread 2: doorbells %lu, decrementer %lu\n", c->data[1], c->data[2]);
    TEST_EQ(c->data[1], 1);
    TEST_EQ(c->data[2], 0);
    TEST_ASSERT(smp_wait_stopped(2));
}

int main(void)
{
    smp_init();
    smp_install_vector(FW_VEC_DOORBELL);
    smp_install_vector(FW_VEC_DECREMENTER);
    test_topology();
    test_doorbells();
    test_other_core();
    test_self_and_clear();
    test_wakes_ceded();
    return test_report();
}
