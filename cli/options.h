/*
 * options.h - the nesthv command line.
 *
 * Two spellings of one configuration: `nesthv run [options] PROGRAM.elf` for
 * people, and the subset of qemu-system-ppc64's options that scripts written
 * for QEMU's pseries machine use (-M, -cpu, -m, -smp, -kernel, -bios ...).
 */
#ifndef NESTHV_CLI_OPTIONS_H
#define NESTHV_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/hv.h"

typedef enum CliAction {
    CLI_RUN = 0,
    CLI_HELP,
    CLI_VERSION,
    CLI_LIST_MACHINES,
    CLI_LIST_CPUS,
    CLI_DEMO,               /* nesthv demo ...: the reference nested stack (cli/demo.h) */
} CliAction;

/* Machine options the user gave (a --restore compares them with the snapshot's). */
enum {
    CLI_GIVEN_RAM = 1u << 0,
    CLI_GIVEN_SMP = 1u << 1,
    CLI_GIVEN_CPU = 1u << 2,
    CLI_GIVEN_NESTED_HV = 1u << 3,
    CLI_GIVEN_NESTED_PAPR = 1u << 4,
    CLI_GIVEN_CLOCK = 1u << 5,   /* --clock or -icount */
    CLI_GIVEN_APPEND = 1u << 6,
};

#define CLI_DEMO_MIN_DEPTH 1   /* the workload runs alone as L1 */
#define CLI_DEMO_MAX_DEPTH 16

/* nesthv demo's own options (cli/demo.c); 0/NULL = the default. */
typedef struct CliDemoOptions {
    int depth;                /* --depth N: 1..16 (default 3) */
    const char *api;          /* --api v1|v2|mixed|auto (default mixed) */
    const char *workload;     /* --workload NAME (default hello) */
    const char *firmware_dir; /* --firmware-dir DIR (default: BUILD/fw next to the binary) */
} CliDemoOptions;

typedef struct CliOptions {
    CliAction action;
    HvConfig hv;
    const char *kernel;
    const char *bios;
    const char *initrd;
    const char *dumpdtb;     /* -M pseries,dumpdtb=FILE: write the device tree and exit */
    const char *trace_file;
    unsigned given;          /* CLI_GIVEN_* */
    /* snapshots (hv/snapshot.h, cli/runner.h) */
    uint64_t snapshot_at;    /* --snapshot-at INSNS FILE: save when the machine has run INSNS instructions */
    const char *snapshot_at_file; /* ... to FILE (NULL: no --snapshot-at) */
    const char *snapshot_file;    /* --snapshot-file F: where the console key (Ctrl-A s) saves */
    const char *restore_file;     /* --restore FILE */
    CliDemoOptions demo;
} CliOptions;

/* Parse argv; on error returns -1 with a message that names the problem and the fix. */
int cli_parse(int argc, char **argv, CliOptions *opts, char *err, size_t errlen);
void cli_print_help(const char *prog);
void cli_print_machines(void);
void cli_print_cpus(void);

#endif
