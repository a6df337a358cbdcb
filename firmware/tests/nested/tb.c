/* nesthv-test-args: -M pseries,cap-nested-hv=on */
/*
 * tb.c - time in an L2: the timebase offset the L1 gives (its own offset
 * plus hv_guest_state.tb_offset), an HDEC deadline in the L1's timebase
 * whatever the L2's offset, the offset gone again in the L1 after the run,
 * and the decrementer passing through (an L1 hypervisor loads the L2's DEC
 * itself before H_ENTER_NESTED; the L2's timebase offset does not move it).
 * Time is compared with generous slack (QEMU's timebase is real time).
 */
#include "nhv.h"

#define SLACK      (NHV_TB_HZ / 2)          /* 0.5 s */
#define MS         (NHV_TB_HZ / 1000)

static NhvGuest g;

static unsigned long l2_tb(unsigned long a)
{
    (void)a;
    return mftb();
}

static unsigned long l2_dec(unsigned long a)
{
    (void)a;
    return mfspr(SPR_DEC);
}

static unsigned long l2_spin(unsigned long a)
{
    for (;;)
        __asm__ volatile("");
    return a;
}

static void offset(const char *what, long off)
{
    nhv_call(&g, l2_tb, 0);
    g.hv.tb_offset = off;
    unsigned long before = mftb();
    unsigned long l2 = nhv_run_done(&g);
    unsigned long after = mftb();
    long rel = (long)(l2 - before - (unsigned long)off);
    int in_l2 = rel >= 0 && rel < (long)SLACK, in_l1 = after - before < SLACK;
    printf("%s: L2 timebase = L1 + offset: %d; the L1's own unchanged: %d\n", what, in_l2, in_l1);
    TEST_ASSERT(in_l2 && in_l1);
}

static void hdec(const char *what, long off, unsigned long ms)
{
    nhv_call(&g, l2_spin, 0);
    g.hv.tb_offset = off;
    unsigned long start = mftb();
    g.hv.hdec_expiry = start + ms * MS;
    long v = nhv_enter(&g);
    unsigned long end = mftb();
    int after = end >= g.hv.hdec_expiry, soon = end - g.hv.hdec_expiry < SLACK;
    printf("%s: exit 0x%lx after the deadline: %d, within %lu ms of it: %d\n", what, v, after, SLACK / MS, soon);
    TEST_ASSERT(v == EXCP_HDECR && after && soon);
}

int main(void)
{
    nhv_init(0);
    nhv_guest_init(&g, 1, NULL);
    test_begin("timebase offset");
    offset("no offset", 0);
    offset("+2^40", 1L << 40);
    offset("-2^20", -(1L << 20));
    test_begin("HDEC deadline in the L1's timebase");
    hdec("1 ms, no offset", 0, 1);
    hdec("1 ms, offset +2^40", 1L << 40, 1);
    hdec("5 ms, offset -2^30", -(1L << 30), 5);
    g.hv.tb_offset = 0;
    test_begin("decrementer");
    mtspr(SPR_DEC, 0x10000000);
    nhv_call(&g, l2_dec, 0);
    g.hv.tb_offset = 1L << 40;
    unsigned long d = nhv_run_done(&g);
    unsigned long now = mfspr(SPR_DEC);
    int same = d <= 0x10000000 && 0x10000000 - d < SLACK, counting = now <= d && d - now < SLACK;
    printf("the L2 reads the DEC the L1 set: %d; it kept counting: %d\n", same, counting);
    TEST_ASSERT(same && counting);
    mtspr(SPR_DEC, 0x7fffffff);
    return test_report();
}
