/* nesthv-test-args: -rtc base=2030-06-15T12:00:00 */
/*
 * tod.c - RTAS get-time-of-day / set-time-of-day follow -rtc base= and
 * advance with guest time: across a 2-second wait in H_CEDE (the
 * decrementer wakes it) the clock moves by about 2 seconds, whatever the
 * host took (nesthv's deterministic clock jumps there at once; QEMU
 * really waits).  set-time-of-day moves it, and it keeps running from there.
 */
#include "smp.h"

#define TB_PER_S   512000000UL
#define DEC_CHUNK  0x40000000UL      /* about 2 s: below the 32-bit DEC reset range */

static long seconds_of(const int t[RTAS_TOD_FIELDS])
{
    /* days from civil (proleptic Gregorian), good for any year here */
    long y = t[RTAS_TOD_YEAR], m = t[RTAS_TOD_MONTH], d = t[RTAS_TOD_DAY];
    y -= m <= 2;
    long era = y / 400, yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe - 719468;
    return days * 86400 + t[RTAS_TOD_HOUR] * 3600L + t[RTAS_TOD_MINUTE] * 60L + t[RTAS_TOD_SECOND];
}

/* Idle in H_CEDE until about 2 s of timebase have passed. */
static void wait_2s(void)
{
    unsigned long t0 = mftb();
    while (mftb() - t0 < 2 * TB_PER_S) {
        mtdec(DEC_CHUNK);
        hcall(H_CEDE);
        smp_disable_ee();
    }
}

int main(void)
{
    int t1[RTAS_TOD_FIELDS], t2[RTAS_TOD_FIELDS], t3[RTAS_TOD_FIELDS];
    const int set[RTAS_TOD_FIELDS] = { 2031, 1, 2, 3, 4, 5, 0 };
    smp_init();
    smp_install_vector(FW_VEC_DECREMENTER);

    test_begin("-rtc base");
    TEST_EQ(rtas_get_time_of_day(t1), RTAS_SUCCESS);
    printf("time of day: %04d-%02d-%02d %02d:%02d\n", t1[RTAS_TOD_YEAR], t1[RTAS_TOD_MONTH],
           t1[RTAS_TOD_DAY], t1[RTAS_TOD_HOUR], t1[RTAS_TOD_MINUTE]);
    TEST_ASSERT(t1[RTAS_TOD_SECOND] < 30);

    test_begin("advancing with guest time");
    wait_2s();
    TEST_EQ(rtas_get_time_of_day(t2), RTAS_SUCCESS);
    long d = seconds_of(t2) - seconds_of(t1);
    printf("advanced across a 2 s H_CEDE wait: %s\n", d >= 1 && d <= 4 ? "yes" : "no");
    TEST_ASSERT(d >= 1 && d <= 4);

    test_begin("set-time-of-day");
    TEST_EQ(rtas_set_time_of_day(set), RTAS_SUCCESS);
    wait_2s();
    TEST_EQ(rtas_get_time_of_day(t3), RTAS_SUCCESS);
    d = seconds_of(t3) - seconds_of(set);
    printf("after set: %04d-%02d-%02d %02d:%02d, %s\n", t3[RTAS_TOD_YEAR], t3[RTAS_TOD_MONTH],
           t3[RTAS_TOD_DAY], t3[RTAS_TOD_HOUR], t3[RTAS_TOD_MINUTE],
           d >= 1 && d <= 4 ? "running" : "not running");
    TEST_ASSERT(d >= 1 && d <= 4);
    return test_report();
}
