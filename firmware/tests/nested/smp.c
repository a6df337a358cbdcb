/* nesthv-test-args: -M pseries,cap-nested-hv=on -smp 2 */
/*
 * smp.c - two vCPUs of the L1 each running an L2 at the same time (two
 * nested guests sharing one L1 tree, so the same L1 pages back both): each
 * L2 increments a shared counter with lwarx/stwcx. and makes an hcall to
 * its L1 every so often; both L1 vCPUs handle their exits independently.
 * On nesthv the vCPUs take turns and an L2 is preempted by L0's scheduler
 * in the middle of its run -- invisible to the L1 (no 0x980); on QEMU they
 * run in parallel.  Only results are printed, never interleavings.
 */
#include "nhv.h"
#include "../papr/smp.h"

#define INCREMENTS 20000UL
#define HCALL_EVERY 1000UL

static NhvGuest g[2];
static volatile unsigned long counter;
static volatile unsigned long hcalls[2], unexpected[2];

static unsigned long l2_count(unsigned long n)
{
    for (unsigned long i = 1; i <= n; i++) {
        __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
        if (i % HCALL_EVERY == 0)
            nhv_l2_hcall(NHV_HC_TEST | 1, i, 0);
    }
    return n;
}

/* The L1 side on this vCPU: run its L2 to the end, answering its hcalls. */
static void run_guest(int i)
{
    nhv_call(&g[i], l2_count, INCREMENTS);
    for (;;) {
        long v = nhv_run(&g[i]);
        if (v == EXCP_SYSCALL && nhv_hc(&g[i]) == NHV_HC_DONE)
            return;
        if (v == EXCP_SYSCALL && nhv_hc(&g[i]) == (NHV_HC_TEST | 1)) {
            hcalls[i]++;
            g[i].regs.gpr[3] = 0;
            continue;
        }
        unexpected[i]++;
        return;
    }
}

static void secondary(struct smp_cpu *c)
{
    run_guest(1);
    c->done = 1;
}

int main(void)
{
    smp_init();
    nhv_init(0);
    nhv_guest_init(&g[0], 1, NULL);
    nhv_guest_init(&g[1], 2, &g[0]);
    test_begin("an L2 on each of two vCPUs");
    TEST_EQ(smp_start(1, secondary), RTAS_SUCCESS);
    run_guest(0);
    TEST_ASSERT(smp_wait(&smp_cpus[1].done));
    TEST_ASSERT(smp_wait_stopped(1));
    printf("counter %lu (expected %lu), hcalls %lu + %lu, unexpected exits %lu + %lu\n", counter,
           2 * INCREMENTS, hcalls[0], hcalls[1], unexpected[0], unexpected[1]);
    TEST_EQ(counter, 2 * INCREMENTS);
    TEST_EQ(g[0].regs.gpr[4], INCREMENTS);
    TEST_EQ(g[1].regs.gpr[4], INCREMENTS);
    return test_report();
}
