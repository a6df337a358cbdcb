/* nesthv-test-args: -M pseries,cap-nested-papr=on */
/*
 * timers.c - the L0 keeps each L2 vCPU's state between runs (unlike v1),
 * and honours the timer elements:
 *   - DEC expiry TB (0x102A): the L2's decrementer fires when the L1's
 *     timebase reaches it (the L2, MSR[EE] = 1, enters its 0x900 vector);
 *   - after an exit, 0x102A tells where the L2 left its decrementer;
 *   - HDEC expiry TB (0x1020): an L2 preempted by HDEC exits (0x980) and,
 *     run again, resumes where it was: a long computation cut into many
 *     runs still gives the right result.  (Run after the DEC part: QEMU 10
 *     did not honour the HDEC expiry on a fresh vCPU's first runs.)
 * No timing is asserted beyond "the deadline was reached".
 */
#include "v2t.h"

static V2tL2 l2;

static unsigned long tm_spin(unsigned long a)
{
    for (;;)
        __asm__ volatile("");
    return a;
}

/* Set the decrementer, then report (the L1 reads 0x102A), then return. */
static unsigned long tm_setdec(unsigned long dec)
{
    mtspr(SPR_DEC, dec);
    nhv_l2_hcall(NHV_HC_TEST | 2, 0, 0);
    return 0;
}

/* A sum long enough to be cut by many HDEC expiries. */
static unsigned long tm_sum(unsigned long n)
{
    unsigned long s = 0;
    for (unsigned long i = 1; i <= n; i++) {
        s += i ^ (s >> 7);
        __asm__ volatile("" : "+r"(s));
    }
    return s;
}

static unsigned long sum_ref(unsigned long n)
{
    unsigned long s = 0;
    for (unsigned long i = 1; i <= n; i++) {
        s += i ^ (s >> 7);
        __asm__ volatile("" : "+r"(s));
    }
    return s;
}

static void test_dec(Nv2Vcpu *v)
{
    test_begin("DEC expiry TB");
    v2t_call(v, tm_spin, 0);
    nv2_set64(v, GSB_ID_MSR, V2T_L2_MSR | MSR_EE);
    unsigned long deadline = mftb() + NHV_TB_HZ / 1000;  /* 1 ms */
    nv2_set64(v, GSB_ID_DEC_EXPIRY_TB, deadline);
    TEST_EQ(v2t_run(v), H_SUCCESS);
    uint64_t r3 = v->exit == EXCP_SYSCALL ? nv2_get64(v, GSB_ID_GPR(3)) : 0;
    printf("spinning L2 with EE: exit 0x%lx, L2 entered vector 0x%lx\n", (unsigned long)v->exit,
           (unsigned long)(r3 & ~NHV_HC_IRQ));
    TEST_EQ(v->exit, EXCP_SYSCALL);
    TEST_EQ(r3, NHV_HC_IRQ | EXCP_DECR);
    TEST_ASSERT(mftb() >= deadline);

    const unsigned long dec = NHV_TB_HZ;                 /* 1 s */
    v2t_call(v, tm_setdec, dec);
    unsigned long before = mftb();
    TEST_EQ(v2t_run(v), H_SUCCESS);
    unsigned long after = mftb();
    uint64_t expiry = nv2_get64(v, GSB_ID_DEC_EXPIRY_TB);
    printf("L2 set DEC to 1 s: exit 0x%lx, expiry within [entry, exit] + 1 s: %d\n", (unsigned long)v->exit,
           expiry >= before + dec - NHV_TB_HZ / 100 && expiry <= after + dec);
    TEST_EQ(v->exit, EXCP_SYSCALL);
    TEST_ASSERT(expiry >= before + dec - NHV_TB_HZ / 100);
    TEST_ASSERT(expiry <= after + dec);
}

static void test_hdec_resume(Nv2Vcpu *v)
{
    const unsigned long n = 5000000;
    test_begin("HDEC preemption and resume");
    v2t_call(v, tm_sum, n);
    unsigned long exits = 0, result = 0;
    for (;;) {
        nv2_set64(v, GSB_ID_HDEC_EXPIRY_TB, mftb() + NHV_TB_HZ / 10000);   /* 100 us slices */
        if (nv2_run(v, 0) != H_SUCCESS)
            break;
        if (v->exit == EXCP_HDECR) {
            exits++;
            continue;
        }
        if (v->exit == EXCP_SYSCALL && nv2_get64(v, GSB_ID_GPR(3)) == NHV_HC_DONE)
            result = nv2_get64(v, GSB_ID_GPR(4));
        break;
    }
    printf("preempted by HDEC: %d, result right: %d\n", exits > 0, result == sum_ref(n));
    TEST_ASSERT(exits > 0);
    TEST_EQ(result, sum_ref(n));
}

int main(void)
{
    v2t_init();
    v2t_setup(&l2, 1, NULL);
    Nv2Vcpu *v = &l2.vcpu[0];
    test_dec(v);
    test_hdec_resume(v);
    TEST_EQ(nv2_guest_delete(&l2.g), H_SUCCESS);
    return test_report();
}
