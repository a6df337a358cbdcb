/*
 * main.c - the nesthv command: parse options, build the machine, run it.
 *
 * Output discipline (scripts written for QEMU rely on it): the guest console
 * is stdout; stderr carries only nesthv's own errors, warnings, --trace and
 * --stats.  Exit status: 0 power-off, 1 usage/load error, 2 the machine
 * stopped (unimplemented instruction, checkstop), 3 --max-insns/--timeout.
 *
 * `nesthv demo` (cli/demo.c) boots the reference nested stack; building and
 * running the machine, with snapshots and --restore, is cli/runner.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"
#include "cli/options.h"
#include "cli/runner.h"
#include "hv/hv.h"
#include "machine/machine.h"

#ifndef NESTHV_VERSION
#define NESTHV_VERSION "0.1.0"
#endif

enum { EXIT_POWER_OFF = 0, EXIT_USAGE = 1, EXIT_HALTED = 2, EXIT_LIMIT = 3 };

static int die(const char *msg)
{
    fprintf(stderr, "nesthv: %s\n", msg);
    return EXIT_USAGE;
}

static int dump_dtb(const CliOptions *o)
{
    static uint8_t fdt[MACH_FDT_MAX_SIZE];
    size_t size;
    if (mach_build_fdt(&o->hv.mach, fdt, sizeof(fdt), &size) != 0)
        return die("cannot build the device tree");
    FILE *f = fopen(o->dumpdtb, "wb");
    if (!f || fwrite(fdt, 1, size, f) != size || fclose(f) != 0) {
        fprintf(stderr, "nesthv: cannot write %s: check the path is writable\n", o->dumpdtb);
        return EXIT_USAGE;
    }
    fprintf(stderr, "nesthv: info: dtb dumped to %s. Exiting.\n", o->dumpdtb);
    return EXIT_POWER_OFF;
}

static int report(Hv *hv, HvStatus st, const CliOptions *o)
{
    if (o->hv.stats)
        hv_print_stats(hv, stderr);
    switch (st) {
    case HV_POWER_OFF:
    case HV_REBOOT_REQUEST:
        return EXIT_POWER_OFF;
    case HV_GUEST_HALTED:
        fprintf(stderr, "nesthv: machine stopped: %s\n", hv->cpu.halt_msg);
        return EXIT_HALTED;
    case HV_LIMIT_REACHED:
        fprintf(stderr, "nesthv: stopped after %llu instructions (limit reached)\n",
                (unsigned long long)hv->insns);
        return EXIT_LIMIT;
    }
    return EXIT_HALTED;
}

static int run(CliOptions *o)
{
    static Hv hv;
    FILE *trace = NULL;
    if (o->trace_file) {
        trace = fopen(o->trace_file, "w");
        if (!trace) {
            fprintf(stderr, "nesthv: cannot open trace file %s: check the path is writable\n", o->trace_file);
            return EXIT_USAGE;
        }
        o->hv.trace_out = trace;
    }
    int status = EXIT_USAGE;
    if (cli_machine_start(&hv, o) == 0)
        status = report(&hv, cli_machine_run(&hv, o), o);
    hv_destroy(&hv);
    if (trace)
        fclose(trace);
    return status;
}

int main(int argc, char **argv)
{
    CliOptions o;
    char err[256];
    if (cli_parse(argc, argv, &o, err, sizeof(err)))
        return die(err);
    switch (o.action) {
    case CLI_HELP:
        cli_print_help("nesthv");
        return 0;
    case CLI_VERSION:
        printf("nesthv %s (POWER9 pseries emulator with nested virtualization)\n", NESTHV_VERSION);
        return 0;
    case CLI_LIST_MACHINES:
        cli_print_machines();
        return 0;
    case CLI_LIST_CPUS:
        cli_print_cpus();
        return 0;
    case CLI_DEMO:
        return cli_demo(&o);
    case CLI_RUN:
        break;
    }
    if (o.dumpdtb)
        return dump_dtb(&o);
    return run(&o);
}
