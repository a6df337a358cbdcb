/*
 * test_options.c - the nesthv command line: both spellings parse to the same
 * configuration, and every bad input is refused with a message that names
 * the problem.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cli/options.h"

static int parse(CliOptions *o, char *err, const char *const *args)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"nesthv";
    static char store[32][256];
    for (; args[argc - 1]; argc++) {
        snprintf(store[argc], sizeof(store[argc]), "%s", args[argc - 1]);
        argv[argc] = store[argc];
    }
    return cli_parse(argc, argv, o, err, 256);
}

#define PARSE(o, err, ...) parse(o, err, (const char *const[]){ __VA_ARGS__, NULL })

static void test_options_run_form_sets_kernel(void **state)
{
    CliOptions o;
    char err[256];
    assert_int_equal(PARSE(&o, err, "run", "prog.elf"), 0);
    assert_string_equal(o.kernel, "prog.elf");
    assert_null(o.bios);
    assert_int_equal(o.hv.mach.ram_size, 1ULL << 30);
    assert_true(o.hv.mach.cap_nested_hv);
}

static void test_options_qemu_form_parses_everything(void **state)
{
    CliOptions o;
    char err[256];
    int rc = PARSE(&o, err, "-M", "pseries,cap-nested-hv=off,cap-nested-papr=on", "-cpu", "power10", "-m", "2G",
                   "-smp", "1", "-nographic", "-display", "none", "-serial", "mon:stdio", "-nodefaults", "-accel",
                   "tcg,thread=single", "-icount", "shift=3", "-rtc", "base=2030-01-02T03:04:05", "-bios", "rom.bin",
                   "-kernel", "k.elf", "-append", "console=hvc0");
    assert_int_equal(rc, 0);
    assert_false(o.hv.mach.cap_nested_hv);
    assert_true(o.hv.mach.cap_nested_papr);
    assert_string_equal(o.hv.mach.cpu_model, "POWER10");
    assert_int_equal(o.hv.mach.ram_size, 2ULL << 30);
    assert_int_equal(o.hv.icount_shift, 3);
    assert_int_equal(o.hv.rtc_base, 1893553445LL);
    assert_string_equal(o.bios, "rom.bin");
    assert_string_equal(o.kernel, "k.elf");
    assert_string_equal(o.hv.mach.bootargs, "console=hvc0");
}

static void test_options_long_forms(void **state)
{
    CliOptions o;
    char err[256];
    assert_int_equal(PARSE(&o, err, "run", "--max-insns=1000", "--timeout", "2.5", "--trace=hcall,irq",
                           "--stats", "--clock=host", "p.elf"), 0);
    assert_int_equal(o.hv.max_insns, 1000);
    assert_true(o.hv.timeout_s > 2.4 && o.hv.timeout_s < 2.6);
    assert_int_equal(o.hv.trace, HV_TRACE_HCALL | HV_TRACE_IRQ);
    assert_true(o.hv.stats);
    assert_int_equal(o.hv.clock, CPU_CLOCK_HOST);
}

static void test_options_help_actions(void **state)
{
    CliOptions o;
    char err[256];
    assert_int_equal(PARSE(&o, err, "-machine", "help"), 0);
    assert_int_equal(o.action, CLI_LIST_MACHINES);
    assert_int_equal(PARSE(&o, err, "-machine", "?"), 0);
    assert_int_equal(o.action, CLI_LIST_MACHINES);
    assert_int_equal(PARSE(&o, err, "-cpu", "help"), 0);
    assert_int_equal(o.action, CLI_LIST_CPUS);
    assert_int_equal(PARSE(&o, err, "--help"), 0);
    assert_int_equal(o.action, CLI_HELP);
    assert_int_equal(PARSE(&o, err, "--version"), 0);
    assert_int_equal(o.action, CLI_VERSION);
}

/* Each bad input fails and the message contains the given text. */
static void expect_error(const char *needle, const char *const *args)
{
    CliOptions o;
    char err[256] = "";
    assert_int_equal(parse(&o, err, args), -1);
    if (!strstr(err, needle))
        fail_msg("error '%s' does not mention '%s'", err, needle);
}

#define EXPECT_ERROR(needle, ...) expect_error(needle, (const char *const[]){ __VA_ARGS__, NULL })

static void test_options_errors_name_problem_and_fix(void **state)
{
    EXPECT_ERROR("unknown option '--frobnicate'", "--frobnicate", "x.elf");
    EXPECT_ERROR("unknown option '-usb'", "-usb", "on", "x.elf");
    EXPECT_ERROR("no program to run", "run");
    EXPECT_ERROR("only 'pseries'", "-M", "powernv9", "x.elf");
    EXPECT_ERROR("unknown -machine property 'cap-foo'", "-M", "pseries,cap-foo=on", "x.elf");
    EXPECT_ERROR("=on or =off", "-M", "pseries,cap-nested-hv=maybe", "x.elf");
    EXPECT_ERROR("-cpu power9", "-cpu", "power7", "x.elf");
    EXPECT_ERROR("bad memory size", "-m", "lots", "x.elf");
    EXPECT_ERROR("Invalid CPU topology", "-smp", "3,threads=2", "x.elf");
    EXPECT_ERROR("no CPU hotplug", "-smp", "2,maxcpus=4", "x.elf");
    EXPECT_ERROR("unknown -smp property 'books'", "-smp", "2,books=2", "x.elf");
    EXPECT_ERROR("bad -smp value", "-smp", "0", "x.elf");
    EXPECT_ERROR("-accel tcg", "-accel", "kvm", "x.elf");
    EXPECT_ERROR("bad -icount shift", "-icount", "shift=99", "x.elf");
    EXPECT_ERROR("bad -rtc base", "-rtc", "base=yesterday", "x.elf");
    EXPECT_ERROR("needs a value", "x.elf", "-m");
    EXPECT_ERROR("bad --max-insns", "--max-insns=abc", "x.elf");
    EXPECT_ERROR("unknown trace category 'disk'", "--trace=hcall,disk", "x.elf");
    EXPECT_ERROR("more than one program", "a.elf", "b.elf");
    EXPECT_ERROR("-serial stdio", "-serial", "pty", "x.elf");
}

/* QEMU's spellings of a topology: cores default to what is left. */
static void test_options_smp_topology(void **state)
{
    CliOptions o;
    char err[256];
    assert_int_equal(PARSE(&o, err, "-smp", "4", "x.elf"), 0);
    assert_int_equal(o.hv.mach.smp_cpus, 4);
    assert_int_equal(o.hv.mach.smp_threads, 1);
    assert_int_equal(PARSE(&o, err, "-smp", "8,threads=4", "x.elf"), 0);
    assert_int_equal(o.hv.mach.smp_cpus, 8);
    assert_int_equal(o.hv.mach.smp_threads, 4);
    assert_int_equal(o.hv.mach.smp_sockets, 1);
    assert_int_equal(PARSE(&o, err, "-smp", "cpus=8,sockets=2,cores=2,threads=2", "x.elf"), 0);
    assert_int_equal(o.hv.mach.smp_cpus, 8);
    assert_int_equal(o.hv.mach.smp_sockets, 2);
    assert_int_equal(PARSE(&o, err, "-smp", "sockets=2,cores=3", "x.elf"), 0);
    assert_int_equal(o.hv.mach.smp_cpus, 6);
    assert_int_equal(PARSE(&o, err, "-smp", "4,maxcpus=4,dies=1", "x.elf"), 0);
    assert_int_equal(o.hv.mach.smp_cpus, 4);
}

static void test_options_demo_form(void **state)
{
    CliOptions o;
    char err[256];
    assert_int_equal(PARSE(&o, err, "demo"), 0);
    assert_int_equal(o.action, CLI_DEMO);
    assert_int_equal(o.demo.depth, 0); /* defaults are the demo's (cli/demo.h) */
    assert_int_equal(PARSE(&o, err, "demo", "--depth", "12", "--api=v2", "--workload", "isa", "--firmware-dir=fw",
                           "-m", "8G", "--stats"), 0);
    assert_int_equal(o.action, CLI_DEMO);
    assert_int_equal(o.demo.depth, 12);
    assert_string_equal(o.demo.api, "v2");
    assert_string_equal(o.demo.workload, "isa");
    assert_string_equal(o.demo.firmware_dir, "fw");
    assert_int_equal(o.hv.mach.ram_size, 8ULL << 30);
    assert_true(o.given & CLI_GIVEN_RAM);
    assert_true(o.hv.stats);
    assert_int_equal(PARSE(&o, err, "demo", "--help"), 0);
    assert_int_equal(o.action, CLI_HELP);
}

static void test_options_snapshot_forms(void **state)
{
    CliOptions o;
    char err[256];
    assert_int_equal(PARSE(&o, err, "run", "--snapshot-at", "1000", "s.snap", "x.elf"), 0);
    assert_int_equal(o.snapshot_at, 1000);
    assert_string_equal(o.snapshot_at_file, "s.snap");
    assert_string_equal(o.kernel, "x.elf");
    assert_int_equal(PARSE(&o, err, "run", "--restore", "s.snap", "--max-insns=5"), 0);
    assert_string_equal(o.restore_file, "s.snap");
    assert_null(o.kernel);
    assert_int_equal(o.given, 0);
    assert_int_equal(PARSE(&o, err, "run", "--restore=s.snap", "-smp", "2", "-cpu", "power9", "-append", "a"), 0);
    assert_int_equal(o.given, CLI_GIVEN_SMP | CLI_GIVEN_CPU | CLI_GIVEN_APPEND);
    assert_int_equal(PARSE(&o, err, "demo", "--restore", "d.snap"), 0);
    assert_int_equal(o.action, CLI_DEMO);
}

static void test_options_demo_and_snapshot_errors(void **state)
{
    EXPECT_ERROR("from 1 (the workload alone) to 16", "demo", "--depth", "17");
    EXPECT_ERROR("from 1 (the workload alone) to 16", "demo", "--depth", "0");
    EXPECT_ERROR("use v1, v2, mixed", "demo", "--api", "v3");
    EXPECT_ERROR("belong to 'nesthv demo'", "run", "--depth", "3", "x.elf");
    EXPECT_ERROR("boots its own images", "demo", "x.elf");
    EXPECT_ERROR("needs a file name", "--snapshot-at", "100");
    EXPECT_ERROR("positive instruction count", "--snapshot-at", "0", "f", "x.elf");
    EXPECT_ERROR("deterministic clock", "--clock=host", "--snapshot-at", "10", "f", "x.elf");
    EXPECT_ERROR("leave out", "--restore", "f", "-kernel", "x.elf");
    EXPECT_ERROR("leave out", "demo", "--restore", "f", "--depth", "2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_run_form_sets_kernel),
        cmocka_unit_test(test_options_smp_topology),
        cmocka_unit_test(test_options_qemu_form_parses_everything),
        cmocka_unit_test(test_options_long_forms),
        cmocka_unit_test(test_options_help_actions),
        cmocka_unit_test(test_options_errors_name_problem_and_fix),
        cmocka_unit_test(test_options_demo_form),
        cmocka_unit_test(test_options_snapshot_forms),
        cmocka_unit_test(test_options_demo_and_snapshot_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
