/*
 * rtas.c - RTAS through hcall 0xF000: argument-shape checks, the services a
 * pseries program uses, and their status codes (PAPR 7.2.8, 7.3).
 */
#include "fw.h"

/* A raw RTAS block, to send shapes libfw would refuse. */
static uint32_t block[16];

static long raw_rtas(uint32_t token, uint32_t nargs, uint32_t nret)
{
    block[0] = __builtin_bswap32(token);
    block[1] = __builtin_bswap32(nargs);
    block[2] = __builtin_bswap32(nret);
    for (int i = 3; i < 16; i++)
        block[i] = 0x55555555;
    return hcall(KVMPPC_H_RTAS, (unsigned long)block);
}

static int32_t raw_status(uint32_t nargs)
{
    return (int32_t)__builtin_bswap32(block[3 + nargs]);
}

static void test_shapes(void)
{
    test_begin("argument shapes");
    TEST_EQ(raw_rtas(0x7777, 0, 1), H_PARAMETER); /* unknown token */
    TEST_EQ(raw_status(0), RTAS_PARAM_ERROR);
    TEST_EQ(raw_rtas(RTAS_TOKEN_GET_TIME_OF_DAY, 0, 7), H_SUCCESS);
    TEST_EQ(raw_status(0), RTAS_PARAM_ERROR);
    TEST_EQ(raw_rtas(RTAS_TOKEN_POWER_OFF, 1, 1), H_SUCCESS); /* power-off wants 2 args */
    TEST_EQ(raw_status(1), RTAS_PARAM_ERROR);
    TEST_EQ(raw_rtas(RTAS_TOKEN_SET_TIME_OF_DAY, 6, 1), H_SUCCESS);
    TEST_EQ(raw_status(6), RTAS_PARAM_ERROR);
}

static void test_cpus(void)
{
    uint32_t args[3] = { 0, 0, 0 }, rets[2] = { 7, 7 };
    test_begin("cpu services");
    TEST_EQ(rtas_call(rtas_token("query-cpu-stopped-state"), 1, args, 2, rets), RTAS_SUCCESS);
    TEST_EQ(rets[1], 2); /* running */
    args[0] = 4096;
    TEST_EQ(rtas_call(rtas_token("query-cpu-stopped-state"), 1, args, 2, rets), RTAS_PARAM_ERROR);
    args[0] = 0;
    /* starting the CPU that is running this code: hardware error */
    TEST_EQ(rtas_call(rtas_token("start-cpu"), 3, args, 1, rets), RTAS_HW_ERROR);
}

static void test_time(void)
{
    int tod[RTAS_TOD_FIELDS];
    const int set[RTAS_TOD_FIELDS] = { 2031, 7, 14, 10, 20, 30, 0 };
    test_begin("time of day");
    TEST_EQ(rtas_get_time_of_day(tod), RTAS_SUCCESS);
    TEST_ASSERT(tod[RTAS_TOD_YEAR] >= 2020);
    TEST_ASSERT(tod[RTAS_TOD_MONTH] >= 1 && tod[RTAS_TOD_MONTH] <= 12);
    TEST_ASSERT(tod[RTAS_TOD_DAY] >= 1 && tod[RTAS_TOD_DAY] <= 31);
    TEST_EQ(rtas_set_time_of_day(set), RTAS_SUCCESS);
    TEST_EQ(rtas_get_time_of_day(tod), RTAS_SUCCESS);
    TEST_EQ(tod[RTAS_TOD_YEAR], 2031);
    TEST_EQ(tod[RTAS_TOD_MONTH], 7);
    TEST_EQ(tod[RTAS_TOD_DAY], 14);
    TEST_EQ(tod[RTAS_TOD_HOUR], 10);
    TEST_EQ(tod[RTAS_TOD_MINUTE], 20);
}

static void test_display(void)
{
    test_begin("display-character");
    TEST_EQ(rtas_display_character('R'), RTAS_SUCCESS);
    TEST_EQ(rtas_display_character('\n'), RTAS_SUCCESS);
}

int main(void)
{
    test_shapes();
    test_cpus();
    test_time();
    test_display();
    return test_report();
}
