/*
 * test_demo_stats.c - `nesthv demo`'s NHV-STATS parser and per-level table
 * (cli/demo_stats.h), and the Ctrl-A escape filter of the snapshot key
 * (cli/console_key.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/console_key.h"
#include "cli/demo_stats.h"

#define LINE_L2 "NHV-STATS L2 api=v1 exits=10 hcall=4 hdec=3 hdsi=1 hisi=1 heai=0 other=1 handled=7 reflected=3 " \
                "shadow_faults=2 hcalls=9 guest_tb=250"

static void test_demo_stats_parses_a_prefixed_line(void **state)
{
    DemoLevelStats l;
    char err[256];
    assert_int_equal(demo_parse_stats_line("[L1] [L2] " LINE_L2, &l, err, sizeof(err)), 1);
    assert_true(l.present);
    assert_int_equal(l.level, 2);
    assert_string_equal(l.api, "v1");
    assert_int_equal(l.exits, 10);
    assert_int_equal(l.by_reason[DEMO_EXIT_HCALL], 4);
    assert_int_equal(l.by_reason[DEMO_EXIT_HDEC], 3);
    assert_int_equal(l.by_reason[DEMO_EXIT_OTHER], 1);
    assert_int_equal(l.handled, 7);
    assert_int_equal(l.reflected, 3);
    assert_int_equal(l.shadow_faults, 2);
    assert_int_equal(l.hcalls, 9);
    assert_int_equal(l.guest_tb, 250);
}

static void test_demo_stats_other_lines_are_not_stats(void **state)
{
    DemoLevelStats l;
    char err[256];
    assert_int_equal(demo_parse_stats_line("[L3] hello from L3", &l, err, sizeof(err)), 0);
    assert_int_equal(demo_parse_stats_line("", &l, err, sizeof(err)), 0);
    assert_int_equal(demo_parse_stats_line("NHV-STATSX L1", &l, err, sizeof(err)), 0);
    assert_int_equal(demo_parse_stats_line("say NHV-STATS L1 api=v1", &l, err, sizeof(err)), 0);
}

static void test_demo_stats_unknown_keys_are_ignored(void **state)
{
    DemoLevelStats l;
    char err[256];
    assert_int_equal(demo_parse_stats_line(LINE_L2 " future_key=5", &l, err, sizeof(err)), 1);
    assert_int_equal(l.guest_tb, 250);
}

static void test_demo_stats_malformed_lines_say_why(void **state)
{
    static const struct { const char *line, *why; } bad[] = {
        { "NHV-STATS L2 api=v1 exits=10", "no hcall=" },
        { "NHV-STATS L0 api=v1", "k from 1" },
        { "NHV-STATS L99 api=v1", "k from 1" },
        { "NHV-STATS Lx api=v1", "k from 1" },
        { "NHV-STATS L2 api=v3 exits=1", "api=v3" },
        { "NHV-STATS L2 exits=-1", "not a decimal" },
        { "NHV-STATS L2 api=v2 exits=12a", "not a decimal" },
        { "NHV-STATS L2 api=v2 junk", "not key=value" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        DemoLevelStats l;
        char err[256] = "";
        assert_int_equal(demo_parse_stats_line(bad[i].line, &l, err, sizeof(err)), -1);
        if (!strstr(err, bad[i].why))
            fail_msg("'%s': message '%s' lacks '%s'", bad[i].line, err, bad[i].why);
    }
}

static DemoStats three_levels(void)
{
    DemoStats s;
    char err[256];
    memset(&s, 0, sizeof(s));
    s.depth = 3;
    s.api = "v1";
    s.workload = "hello";
    s.clock_counts_insns = true;
    s.level[0].present = true;
    s.level[0].exits = 40;
    s.level[0].guest_tb = 1000; /* the whole run */
    assert_int_equal(demo_parse_stats_line("NHV-STATS L1 api=v2 exits=20 hcall=20 hdec=0 hdsi=0 hisi=0 heai=0 "
                                           "other=0 handled=20 reflected=0 shadow_faults=0 hcalls=5 guest_tb=600",
                                           &s.level[1], err, sizeof(err)), 1);
    assert_int_equal(demo_parse_stats_line(LINE_L2, &s.level[2], err, sizeof(err)), 1);
    return s;
}

static void test_demo_stats_shares_come_from_consecutive_guest_tb(void **state)
{
    DemoStats s = three_levels();
    assert_float_equal(demo_level_share(&s, 1), 0.400, 1e-9); /* 1000 - 600 */
    assert_float_equal(demo_level_share(&s, 2), 0.350, 1e-9); /* 600 - 250 */
    assert_float_equal(demo_level_share(&s, 3), 0.250, 1e-9); /* the workload: 250 */
    s.clock_counts_insns = false;
    assert_true(demo_level_share(&s, 1) < 0);
}

static void test_demo_stats_missing_level_is_found(void **state)
{
    DemoStats s = three_levels();
    assert_int_equal(demo_missing_level(&s), 0);
    s.level[2].present = false;
    assert_int_equal(demo_missing_level(&s), 2);
    assert_true(demo_level_share(&s, 1) < 0);
}

static void test_demo_stats_table_has_a_row_per_level(void **state)
{
    DemoStats s = three_levels();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    demo_print_table(f, &s);
    fclose(f);
    assert_non_null(strstr(buf, "depth 3, api v1, workload hello"));
    assert_non_null(strstr(buf, "\nL0   nesthv L0 (C)"));
    assert_non_null(strstr(buf, "\nL1   l1hv (v2 to L0)"));
    assert_non_null(strstr(buf, "\nL2   l1hv (v1 to L1)"));
    assert_non_null(strstr(buf, "\nL3   workload hello"));
    assert_non_null(strstr(buf, "40.0%"));
    assert_non_null(strstr(buf, "35.0%"));
    assert_non_null(strstr(buf, "25.0%"));
    assert_null(strstr(buf, "\nL4"));
    assert_non_null(strstr(buf, "timebase counts instructions")); /* the footnote */
    free(buf);
}

static unsigned filter(CliConsoleKey *k, const char *in, char *out, bool *snap)
{
    *snap = false;
    unsigned n = cli_key_filter(k, (const unsigned char *)in, (unsigned)strlen(in), (unsigned char *)out, snap);
    out[n] = '\0';
    return n;
}

static void test_console_key_ctrl_a_s_asks_for_a_snapshot(void **state)
{
    CliConsoleKey k = { 0 };
    char out[64];
    bool snap;
    filter(&k, "ab\x01sc", out, &snap);
    assert_true(snap);
    assert_string_equal(out, "abc");
    filter(&k, "x\x01\x01y", out, &snap); /* Ctrl-A Ctrl-A: one Ctrl-A for the guest */
    assert_false(snap);
    assert_string_equal(out, "x\x01y");
    filter(&k, "\x01q", out, &snap); /* another key: both pass */
    assert_false(snap);
    assert_string_equal(out, "\x01q");
    filter(&k, "z\x01", out, &snap); /* an escape split across reads */
    assert_string_equal(out, "z");
    filter(&k, "s", out, &snap);
    assert_true(snap);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_stats_parses_a_prefixed_line),
        cmocka_unit_test(test_demo_stats_other_lines_are_not_stats),
        cmocka_unit_test(test_demo_stats_unknown_keys_are_ignored),
        cmocka_unit_test(test_demo_stats_malformed_lines_say_why),
        cmocka_unit_test(test_demo_stats_shares_come_from_consecutive_guest_tb),
        cmocka_unit_test(test_demo_stats_missing_level_is_found),
        cmocka_unit_test(test_demo_stats_table_has_a_row_per_level),
        cmocka_unit_test(test_console_key_ctrl_a_s_asks_for_a_snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
