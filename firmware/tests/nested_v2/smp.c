/* nesthv-test-args: -M pseries,cap-nested-papr=on -smp 2 */
/*
 * smp.c - two vCPUs of the L1 each run one vCPU of the same L2 guest at
 * the same time (H_GUEST_RUN_VCPU concurrently for vcpu 0 and vcpu 1):
 * both L2 vCPUs increment a shared counter with atomics and make an hcall
 * to their L1 vCPU every so often; each L1 vCPU handles its own exits.
 * Only results are printed, never interleavings.
 */
#include "v2t.h"
#include "../papr/smp.h"

#define INCREMENTS  20000UL
#define HCALL_EVERY 1000UL

static V2tL2 l2;
static volatile unsigned long counter;
static volatile unsigned long hcalls[2], unexpected[2], result[2];

static unsigned long sm_count(unsigned long n)
{
    for (unsigned long i = 1; i <= n; i++) {
        __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
        if (i % HCALL_EVERY == 0)
            nhv_l2_hcall(NHV_HC_TEST | 1, i, 0);
    }
    return n;
}

/* The L1 side on this vCPU: run L2 vcpu i to the end, answering its hcalls. */
static void run_vcpu(int i)
{
    Nv2Vcpu *v = &l2.vcpu[i];
    v2t_call(v, sm_count, INCREMENTS);
    for (;;) {
        if (v2t_run(v) != H_SUCCESS || v->exit != EXCP_SYSCALL) {
            unexpected[i]++;
            return;
        }
        uint64_t nr = nv2_get64(v, GSB_ID_GPR(3));
        if (nr == NHV_HC_DONE) {
            result[i] = nv2_get64(v, GSB_ID_GPR(4));
            return;
        }
        if (nr != (NHV_HC_TEST | 1)) {
            unexpected[i]++;
            return;
        }
        hcalls[i]++;
        nv2_set64(v, GSB_ID_GPR(3), 0);
    }
}

static void secondary(struct smp_cpu *c)
{
    run_vcpu(1);
    c->done = 1;
}

int main(void)
{
    smp_init();
    v2t_init();
    v2t_setup(&l2, 2, NULL);
    TEST_EQ(nv2_flush_guest(&l2.g), H_SUCCESS);   /* the partition table, before both run */
    test_begin("two vCPUs of one L2 on two vCPUs of the L1");
    TEST_EQ(smp_start(1, secondary), RTAS_SUCCESS);
    run_vcpu(0);
    TEST_ASSERT(smp_wait(&smp_cpus[1].done));
    TEST_ASSERT(smp_wait_stopped(1));
    printf("counter %lu (expected %lu), hcalls %lu + %lu, unexpected exits %lu + %lu\n", counter,
           2 * INCREMENTS, hcalls[0], hcalls[1], unexpected[0], unexpected[1]);
    TEST_EQ(counter, 2 * INCREMENTS);
    TEST_EQ(result[0], INCREMENTS);
    TEST_EQ(result[1], INCREMENTS);
    TEST_EQ(hcalls[0], INCREMENTS / HCALL_EVERY);
    TEST_EQ(nv2_guest_delete(&l2.g), H_SUCCESS);
    return test_report();
}
