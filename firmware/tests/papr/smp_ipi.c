/* nesthv-test-args: -smp 4 */
/*
 * smp_ipi.c - inter-processor interrupts through XICS between every pair of
 * 4 CPUs: the sender writes its id in the target's mailbox and does
 * H_IPI(target, 4); the target takes 0x500, reads XIRR (XISR 2 = IPI) with
 * H_XIRR, records the sender, sets its MFRR back to 0xFF and EOIs, then
 * acknowledges.  One IPI at a time (a second IPI before the first is
 * accepted would merge with it: one MFRR per CPU), so the matrix printed
 * is deterministic on any machine.  Also: an IPI timestamp read by the
 * sender never exceeds the receiver's timebase (one timebase).
 */
#include "smp.h"

#define NCPUS 4
#define IPI_PRIO 4

static volatile unsigned long mailbox[NCPUS];   /* sender id + 1 */
static volatile unsigned long sent_tb[NCPUS];
static volatile unsigned long got[NCPUS][NCPUS];
static volatile unsigned long ack[NCPUS];
static volatile unsigned long bad_xirr, tb_backwards;
static volatile int command[NCPUS];              /* target + 1, or -1 = quit */

static void ipi_irq(struct smp_cpu *c, struct smp_frame *f)
{
    if (f->vec != FW_VEC_EXTERNAL) {
        c->others++;
        f->srr0 += 4;
        return;
    }
    unsigned long now = mftb();
    unsigned long xirr = smp_xirr();
    if (xirr != ((unsigned long)XICS_PRIO_LEAST << XICS_CPPR_SHIFT | XICS_IPI))
        bad_xirr++;
    unsigned long from = mailbox[c->id];
    if (from && from <= NCPUS) {
        got[from - 1][c->id]++;
        if (now < sent_tb[c->id])
            tb_backwards++;
    }
    mailbox[c->id] = 0;
    hcall(H_IPI, (unsigned long)c->id, XICS_PRIO_LEAST);
    hcall(H_EOI, xirr);
    sync();
    ack[c->id]++;
}

/* Send one IPI from the calling CPU to target and wait for its acknowledgement. */
static int send_ipi(int self, int target)
{
    unsigned long want = ack[target] + 1;
    sent_tb[target] = mftb();
    mailbox[target] = (unsigned long)self + 1;
    sync();
    if (hcall(H_IPI, (unsigned long)target, IPI_PRIO) != H_SUCCESS)
        return 0;
    return smp_wait_ul(&ack[target], want);
}

static void worker(struct smp_cpu *c)
{
    hcall(H_CPPR, XICS_PRIO_LEAST);
    smp_enable_ee();
    c->data[0] = 1;     /* ready */
    for (;;) {
        int cmd;
        while ((cmd = command[c->id]) == 0)
            cpu_relax();
        if (cmd < 0)
            break;
        c->data[1] += send_ipi(c->id, cmd - 1);
        sync();
        command[c->id] = 0;
    }
    smp_disable_ee();
    hcall(H_CPPR, 0);
}

int main(void)
{
    smp_init();
    smp_install_vector(FW_VEC_EXTERNAL);
    for (int i = 0; i < NCPUS; i++)
        smp_cpus[i].irq = ipi_irq;
    test_begin("IPIs between all pairs");
    hcall(H_CPPR, XICS_PRIO_LEAST);
    smp_enable_ee();
    for (int i = 1; i < NCPUS; i++) {
        TEST_EQ(smp_start(i, worker), RTAS_SUCCESS);
        TEST_ASSERT(smp_wait_ul(&smp_cpus[i].data[0], 1));
    }
    for (int s = 0; s < NCPUS; s++) {
        for (int t = 0; t < NCPUS; t++) {
            if (s == t)
                continue;
            if (s == 0) {
                TEST_ASSERT(send_ipi(0, t));
                continue;
            }
            command[s] = t + 1;
            sync();
            while (command[s] != 0)
                cpu_relax();
        }
    }
    for (int s = 0; s < NCPUS; s++) {
        printf("ipis from cpu %d:", s);
        for (int t = 0; t < NCPUS; t++)
            printf(" %lu", got[s][t]);
        printf("\n");
        for (int t = 0; t < NCPUS; t++)
            TEST_EQ(got[s][t], s == t ? 0 : 1);
    }
    for (int i = 1; i < NCPUS; i++) {
        TEST_EQ(smp_cpus[i].data[1], i == 0 ? 0 : NCPUS - 1);
        command[i] = -1;
        sync();
        TEST_ASSERT(smp_wait(&smp_cpus[i].done));
        TEST_ASSERT(smp_wait_stopped(i));
    }
    smp_disable_ee();
    TEST_EQ(bad_xirr, 0);
    TEST_EQ(tb_backwards, 0);
    /* a self-IPI on the boot CPU goes through the same path */
    smp_enable_ee();
    TEST_ASSERT(send_ipi(0, 0));
    smp_disable_ee();
    TEST_EQ(got[0][0], 1);
    return test_report();
}
