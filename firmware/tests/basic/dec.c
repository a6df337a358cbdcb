/*
 * dec.c - decrementer interrupts through libfw's vectors: one arrives when
 * DEC goes negative with MSR[EE] on, none while EE is off (it stays pending
 * and is taken as soon as EE is set), and H_CEDE wakes up on it.
 */
#include "fw.h"

#define TB_HZ          512000000ul      /* pseries timebase (FDT timebase-frequency) */
#define DEC_SHORT      (TB_HZ / 1000)   /* 1 ms */
#define DEC_IDLE       0x7ffffffful     /* far in the future, positive in any DEC mode */
#define WAIT_TICKS     TB_HZ            /* give up after 1 s */

static volatile unsigned dec_count;
static struct fw_trap dec_trap;

static int dec_handler(struct fw_trap *t)
{
    if (t->vec != FW_VEC_DECREMENTER)
        return -1;
    dec_count++;
    dec_trap = *t;
    mtdec(DEC_IDLE);                    /* the interrupt is level: stop it */
    return 0;
}

static void ee_on(void)  { mtmsrd_ee_ri(mfmsr() | MSR_EE); }
static void ee_off(void) { mtmsrd_ee_ri(mfmsr() & ~MSR_EE); }

/* Spin until dec_count reaches want or WAIT_TICKS pass. */
static void wait_for_count(unsigned want)
{
    unsigned long t0 = mftb();

    while (dec_count < want && mftb() - t0 < WAIT_TICKS)
        cpu_relax();
}

static void test_dec_fires(void)
{
    test_begin("decrementer interrupt");
    dec_count = 0;
    mtdec(DEC_SHORT);
    ee_on();
    wait_for_count(1);
    ee_off();
    TEST_EQ(dec_count, 1);
    TEST_EQ(dec_trap.vec, FW_VEC_DECREMENTER);
    TEST_EQ(dec_trap.srr1 & MSR_EE, MSR_EE);
    TEST_ASSERT((long)mfdec() > 0);
}

static void test_dec_masked(void)
{
    unsigned long t0 = mftb();

    test_begin("decrementer masked by EE");
    dec_count = 0;
    mtdec(1);
    while ((long)mfdec() >= 0 && mftb() - t0 < WAIT_TICKS)
        cpu_relax();
    TEST_ASSERT((long)mfdec() < 0);
    TEST_EQ(dec_count, 0);
    ee_on();                            /* pending: taken right away */
    wait_for_count(1);
    ee_off();
    TEST_EQ(dec_count, 1);
}

static void test_cede(void)
{
    long rc;

    test_begin("H_CEDE wakes on the decrementer");
    dec_count = 0;
    mtdec(DEC_SHORT);
    rc = hcall(H_CEDE);                 /* sets EE; returns once DEC fires */
    wait_for_count(1);
    ee_off();
    TEST_EQ(rc, H_SUCCESS);
    TEST_EQ(dec_count, 1);
}

int main(void)
{
    mtdec(DEC_IDLE);
    fw_set_trap_handler(dec_handler);
    test_dec_fires();
    test_dec_masked();
    test_cede();
    return test_report();
}
