/*
 * rtas.c - RTAS through KVMPPC_H_RTAS: token lookup, get-time-of-day (a
 * plausible date), set-time-of-day then get (the new date reads back),
 * display-character, and parameter errors for wrong argument counts.
 */
#include "fw.h"

#define YEAR_MIN     2020
#define SET_YEAR     2030
#define SET_MONTH    6
#define SET_DAY      15
#define SET_HOUR     12

static void test_tokens(void)
{
    test_begin("rtas tokens");
    TEST_EQ(rtas_token("power-off"), RTAS_TOKEN_POWER_OFF);
    TEST_EQ(rtas_token("get-time-of-day"), RTAS_TOKEN_GET_TIME_OF_DAY);
    TEST_EQ(rtas_token("set-time-of-day"), RTAS_TOKEN_SET_TIME_OF_DAY);
    TEST_EQ(rtas_token("display-character"), RTAS_TOKEN_DISPLAY_CHARACTER);
    TEST_EQ(rtas_token("no-such-service"), -1);
    TEST_EQ(rtas_call_name("no-such-service", 0, NULL, 1, NULL), RTAS_ERR_CALL);
}

static void test_get_time(void)
{
    int tod[RTAS_TOD_FIELDS];

    test_begin("rtas get-time-of-day");
    TEST_EQ(rtas_get_time_of_day(tod), RTAS_SUCCESS);
    TEST_ASSERT(tod[RTAS_TOD_YEAR] >= YEAR_MIN);
    TEST_ASSERT(tod[RTAS_TOD_MONTH] >= 1 && tod[RTAS_TOD_MONTH] <= 12);
    TEST_ASSERT(tod[RTAS_TOD_DAY] >= 1 && tod[RTAS_TOD_DAY] <= 31);
    TEST_ASSERT(tod[RTAS_TOD_HOUR] >= 0 && tod[RTAS_TOD_HOUR] < 24);
    TEST_ASSERT(tod[RTAS_TOD_MINUTE] >= 0 && tod[RTAS_TOD_MINUTE] < 60);
    TEST_ASSERT(tod[RTAS_TOD_SECOND] >= 0 && tod[RTAS_TOD_SECOND] <= 60);
}

static void test_set_time(void)
{
    const int set[RTAS_TOD_FIELDS] = { SET_YEAR, SET_MONTH, SET_DAY, SET_HOUR, 0, 0, 0 };
    int tod[RTAS_TOD_FIELDS];

    test_begin("rtas set-time-of-day");
    TEST_EQ(rtas_set_time_of_day(set), RTAS_SUCCESS);
    TEST_EQ(rtas_get_time_of_day(tod), RTAS_SUCCESS);
    TEST_EQ(tod[RTAS_TOD_YEAR], SET_YEAR);
    TEST_EQ(tod[RTAS_TOD_MONTH], SET_MONTH);
    TEST_EQ(tod[RTAS_TOD_DAY], SET_DAY);
    TEST_EQ(tod[RTAS_TOD_HOUR], SET_HOUR);
    TEST_EQ(tod[RTAS_TOD_MINUTE], 0);
}

static void test_display_character(void)
{
    const char *s = "rtas: display-character\n";

    test_begin("rtas display-character");
    console_flush();
    for (; *s; s++)
        TEST_EQ(rtas_display_character(*s), RTAS_SUCCESS);
}

static void test_bad_counts(void)
{
    const uint32_t args[2] = { 0, 0 };
    uint32_t rets[2] = { 0, 0 };

    test_begin("rtas parameter errors");
    /* power-off wants 2 arguments: with 1 it must fail, not power off. */
    TEST_EQ(rtas_call_name("power-off", 1, args, 1, rets), RTAS_PARAM_ERROR);
    /* get-time-of-day wants 8 return values. */
    TEST_EQ(rtas_call_name("get-time-of-day", 0, NULL, 2, rets), RTAS_PARAM_ERROR);
}

int main(void)
{
    test_tokens();
    test_get_time();
    test_set_time();
    test_display_character();
    test_bad_counts();
    return test_report();
}
