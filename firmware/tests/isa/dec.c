/*
 * dec.c - decrementer and timebase (Power ISA v3.0B Book II 5, Book III 9):
 * TB counts up; DEC counts down; with the large decrementer (LPCR[LD],
 * 56 bits on POWER9 pseries) values written are sign-extended from bit 8
 * (ISA numbering) on read; the interrupt comes when DEC is negative and
 * MSR[EE] = 1, stays pending while DEC stays negative, and is not taken
 * while EE = 0 until EE is set.  mftb (opcode 371) and mfspr 268/269 read
 * the same timebase.
 */
#include "fw.h"

#define DEC_FAR         0x7ffffffful
#define DEC_BITS        56
#define WAIT_TICKS      512000000ul      /* 1 s of timebase */
#define SHORT_TICKS     5000ul
#define READ_SLACK      256000000ul      /* ticks that may pass between mtdec and mfdec (0.5 s: QEMU runs in real time, maybe on a loaded host) */

static volatile unsigned dec_count;
static struct fw_trap dec_trap;
static int rearm = 1;

static int on_trap(struct fw_trap *t)
{
    if (t->vec != FW_VEC_DECREMENTER)
        return -1;
    dec_count++;
    dec_trap = *t;
    if (rearm)
        mtdec(DEC_FAR);
    else if (dec_count >= 3)            /* level-triggered: it comes back while negative */
        mtdec(DEC_FAR);
    return 0;
}

static void ee_on(void)  { mtmsrd_ee_ri(mfmsr() | MSR_EE); }
static void ee_off(void) { mtmsrd_ee_ri(mfmsr() & ~MSR_EE); }

static void wait_count(unsigned n)
{
    unsigned long t0 = mftb();
    while (dec_count < n && mftb() - t0 < WAIT_TICKS)
        cpu_relax();
}

static unsigned long sext(unsigned long v, unsigned bits)
{
    return (unsigned long)((long)(v << (64 - bits)) >> (64 - bits));
}

static void test_tb(void)
{
    unsigned long a, b, c, tbu;
    test_begin("timebase");
    a = mftb();
    __asm__ volatile("mfspr %0, 268" : "=r"(b));
    __asm__ volatile("mftb %0, 268" : "=r"(c));          /* old opcode 371 */
    __asm__ volatile("mfspr %0, 269" : "=r"(tbu));
    TEST_ASSERT(b >= a);
    TEST_ASSERT(c >= b);
    TEST_EQ(tbu, c >> 32);
    TEST_ASSERT(mftb() > a);
}

static void test_large_dec_values(void)
{
    static const unsigned long vals[] = {
        0x00fffffffffffffful, 0x007ffffffffffffful, 0x0080000000100000ul,
        0xff80000000100000ul, 0x00000000fffffffful, 0x0000000080000000ul,
        0x8000000000000000ul, 0x7ffffffffffffffful,
    };
    unsigned i;
    test_begin("large decrementer: written values read back sign-extended from 56 bits");
    for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        unsigned long got, want = sext(vals[i], DEC_BITS);
        mtdec(vals[i]);
        got = mfdec();
        mtdec(DEC_FAR);
        /* DEC kept counting between the write and the read: allow a little.
           Values whose 56-bit sign flips within READ_SLACK ticks (e.g.
           0x0080000000000000) would depend on timing and are not used. */
        printf("mtdec %016lx -> %s\n", vals[i],
               (want - got) < READ_SLACK ? "sign-extended value" : "other");
    }
}

static void test_counts_down(void)
{
    unsigned long a, b;
    test_begin("DEC counts down with the timebase");
    mtdec(DEC_FAR);
    a = mfdec();
    b = mfdec();
    TEST_ASSERT(b <= a);
    TEST_ASSERT(a <= DEC_FAR);
}

static void test_interrupts(void)
{
    unsigned long t0;
    test_begin("DEC interrupt: EE = 1, pending while negative, held while EE = 0");
    rearm = 1;
    dec_count = 0;
    mtdec(SHORT_TICKS);
    ee_on();
    wait_count(1);
    ee_off();
    TEST_EQ(dec_count, 1);
    TEST_EQ(dec_trap.srr1 & MSR_EE, MSR_EE);
    TEST_EQ(dec_trap.srr1 & PPC_BITMASK(33, 36), 0);

    /* negative with EE off: nothing until EE is set */
    dec_count = 0;
    mtdec(1);
    t0 = mftb();
    while ((long)mfdec() >= 0 && mftb() - t0 < WAIT_TICKS)
        cpu_relax();
    TEST_ASSERT((long)mfdec() < 0);
    TEST_EQ(dec_count, 0);
    ee_on();
    wait_count(1);
    ee_off();
    TEST_EQ(dec_count, 1);

    /* a handler that does not rearm sees it again: level-triggered */
    rearm = 0;
    dec_count = 0;
    mtdec(1);
    ee_on();
    wait_count(3);
    ee_off();
    TEST_EQ(dec_count, 3);
    rearm = 1;
}

int main(void)
{
    mtdec(DEC_FAR);
    fw_set_trap_handler(on_trap);
    test_tb();
    test_counts_down();
    test_large_dec_values();
    test_interrupts();
    return test_report();
}
