/* nesthv-test-args: -smp 2 */
/*
 * xics.c - the XICS interrupt presentation hypercalls (PAPR 14.5.4.2):
 * H_CPPR, H_IPI, H_XIRR, H_XIRR_X, H_EOI, H_IPOLL, and the external
 * interrupt (0x500) they drive, on one CPU (CPU 1 stays stopped; its
 * presentation controller is still reachable by number).
 *
 * XIRR = CPPR (bits 0:7) || XISR (24 bits; 2 = IPI).  Priority 0 is the
 * most favoured, 0xFF the least.  An IPI is presented while MFRR is more
 * favoured than CPPR; H_XIRR accepts it (CPPR takes its priority, XISR 0),
 * H_EOI restores CPPR and re-presents an IPI whose MFRR still beats it.
 * The interrupt line is level-sensitive: 0x500 is taken when MSR[EE] = 1
 * and an interrupt is presented, and again as long as one is.
 * Every value printed is what QEMU 7.2's xics.c gives.
 */
#include "smp.h"

static unsigned long ipoll(unsigned long server, unsigned long *mfrr)
{
    unsigned long out[HCALL_RET_MAX];
    long rc = hcall_out(out, H_IPOLL, server);
    if (rc != H_SUCCESS)
        return (unsigned long)rc;
    *mfrr = out[1];
    return out[0];
}

static void show(const char *what)
{
    unsigned long mfrr = 0, xirr = ipoll(0, &mfrr);
    printf("%-34s xirr=%08lx mfrr=%02lx\n", what, xirr, mfrr);
}

/* The presentation state machine, with MSR[EE] = 0: nothing is taken. */
static void test_state_machine(void)
{
    unsigned long out[HCALL_RET_MAX];
    test_begin("CPPR / MFRR / XIRR / EOI");
    show("reset");
    TEST_EQ(hcall(H_IPI, 0, 5), H_SUCCESS);
    show("mfrr 5, cppr 0: masked");
    TEST_EQ(hcall(H_CPPR, 0xff), H_SUCCESS);
    show("cppr ff: ipi presented");
    TEST_EQ(hcall(H_CPPR, 3), H_SUCCESS);
    show("cppr 3: rejected");
    TEST_EQ(hcall(H_CPPR, 0xff), H_SUCCESS);
    show("cppr ff: presented again");
    TEST_EQ(hcall_out(out, H_XIRR), H_SUCCESS);
    printf("%-34s %08lx\n", "h_xirr returns", out[0]);
    show("accepted: cppr = its priority");
    TEST_EQ(hcall(H_EOI, out[0]), H_SUCCESS);
    show("eoi with mfrr 5: presented again");
    TEST_EQ(hcall(H_IPI, 0, 0xff), H_SUCCESS);
    show("mfrr ff: stays presented");
    TEST_EQ(hcall_out(out, H_XIRR_X), H_SUCCESS);
    printf("%-34s %08lx\n", "h_xirr_x returns", out[0]);
    TEST_EQ(hcall(H_EOI, out[0]), H_SUCCESS);
    show("eoi with mfrr ff: nothing");
    TEST_EQ(hcall(H_CPPR, 0x80), H_SUCCESS);
    TEST_EQ(hcall_out(out, H_XIRR), H_SUCCESS);
    printf("%-34s %08lx\n", "h_xirr with nothing pending", out[0]);
    show("after it");
    TEST_EQ(hcall(H_IPI, 0, 0x10), H_SUCCESS);
    TEST_EQ(hcall(H_IPI, 0, 0x20), H_SUCCESS);
    show("mfrr 10 then 20: first stays");
    TEST_EQ(hcall(H_IPI, 0, 0x08), H_SUCCESS);
    show("mfrr 08: more favoured replaces");
    TEST_EQ(hcall_out(out, H_XIRR), H_SUCCESS);
    TEST_EQ(hcall(H_IPI, 0, 0xff), H_SUCCESS);
    TEST_EQ(hcall(H_EOI, out[0]), H_SUCCESS);
    show("accept, mfrr ff, eoi");
    TEST_EQ(hcall(H_CPPR, 0x1ff), H_SUCCESS);       /* 8 bits taken */
    show("cppr 0x1ff");
    TEST_EQ(hcall(H_EOI, 0xff001000UL), H_SUCCESS);  /* another source: only CPPR */
    show("eoi of source 0x1000");
    TEST_EQ(hcall(H_EOI, 0x40000002UL), H_SUCCESS);
    show("eoi sets cppr 40");
    TEST_EQ(hcall(H_CPPR, 0xff), H_SUCCESS);
}

static void test_params(void)
{
    unsigned long mfrr = 0;
    test_begin("server numbers");
    TEST_EQ(hcall(H_IPI, 2, 5), H_PARAMETER);
    TEST_EQ(hcall(H_IPI, -1UL, 5), H_PARAMETER);
    TEST_EQ(hcall(H_IPOLL, 2), H_PARAMETER);
    TEST_EQ(hcall(H_IPOLL, 4096), H_PARAMETER);
    /* CPU 1's controller: reachable although the CPU is stopped */
    TEST_EQ(ipoll(1, &mfrr), 0);
    TEST_EQ(mfrr, 0xff);
    TEST_EQ(hcall(H_IPI, 1, 0x10), H_SUCCESS);
    TEST_EQ(ipoll(1, &mfrr), 0); /* its CPPR is still 0 */
    TEST_EQ(mfrr, 0x10);
    TEST_EQ(hcall(H_IPI, 1, 0xff), H_SUCCESS);
    TEST_EQ(ipoll(0, &mfrr), 0xff000000UL);
    TEST_EQ(mfrr, 0xff);
}

static volatile unsigned long taken, taken_xirr, taken_srr0;
static volatile unsigned long keep_mfrr;

/* Accept, optionally leave MFRR, EOI. */
static void irq(struct smp_cpu *c, struct smp_frame *f)
{
    (void)c;
    if (f->vec != FW_VEC_EXTERNAL) {
        f->srr0 += 4;
        return;
    }
    unsigned long xirr = smp_xirr();
    taken++;
    taken_xirr = xirr;
    taken_srr0 = f->srr0;
    if (keep_mfrr)
        keep_mfrr--;
    else
        hcall(H_IPI, 0, 0xff);
    hcall(H_EOI, xirr);
}

extern char after_sc[];

/* 0x500: taken once per presentation, level-sensitive, masked by EE and CPPR. */
static void test_delivery(void)
{
    test_begin("external interrupt 0x500");
    smp_cpus[0].irq = irq;
    smp_install_vector(FW_VEC_EXTERNAL);
    taken = 0;
    smp_enable_ee();
    /* self-IPI with EE on: taken right after the hcall returns */
    {
        register unsigned long r3 __asm__("r3") = H_IPI;
        register unsigned long r4 __asm__("r4") = 0;
        register unsigned long r5 __asm__("r5") = 4;
        __asm__ volatile("sc 1\n.globl after_sc\nafter_sc:\n"
                         : "+r"(r3), "+r"(r4), "+r"(r5)
                         :
                         : "r0", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr", "xer", "cr0",
                           "memory");
        TEST_EQ(r3, H_SUCCESS);
    }
    TEST_EQ(taken, 1);
    TEST_EQ(taken_xirr, 0xff000002UL);
    TEST_EQ(taken_srr0, (unsigned long)after_sc);
    /* EE off: presented but not taken until EE comes back */
    smp_disable_ee();
    TEST_EQ(hcall(H_IPI, 0, 4), H_SUCCESS);
    TEST_EQ(taken, 1);
    smp_enable_ee();
    TEST_EQ(taken, 2);
    /* CPPR more favoured than the request: not presented until CPPR drops */
    TEST_EQ(hcall(H_CPPR, 2), H_SUCCESS);
    TEST_EQ(hcall(H_IPI, 0, 4), H_SUCCESS);
    TEST_EQ(taken, 2);
    TEST_EQ(hcall(H_CPPR, 0xff), H_SUCCESS);
    TEST_EQ(taken, 3);
    /* a handler that leaves MFRR set once: its EOI re-presents the IPI, taken again */
    keep_mfrr = 1;
    TEST_EQ(hcall(H_IPI, 0, 4), H_SUCCESS);
    TEST_EQ(taken, 5);
    smp_disable_ee();
    printf("external interrupts taken: %lu, last xirr %08lx\n", taken, taken_xirr);
    smp_cpus[0].irq = NULL;
}

int main(void)
{
    smp_init();
    test_state_machine();
    test_params();
    test_delivery();
    return test_report();
}
