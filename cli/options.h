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

#include "hv/hv.h"

typedef enum CliAction {
    CLI_RUN = 0,
    CLI_HELP,
    CLI_VERSION,
    CLI_LIST_MACHINES,
    CLI_LIST_CPUS,
} CliAction;

typedef struct CliOptions {
    CliAction action;
    HvConfig hv;
    const char *kernel;
    const char *bios;
    const char *initrd;
    const char *dumpdtb;     /* -M pseries,dumpdtb=FILE: write the device tree and exit */
    const char *trace_file;
} CliOptions;

/* Parse argv; on error returns -1 with a message that names the problem and the fix. */
int cli_parse(int argc, char **argv, CliOptions *opts, char *err, size_t errlen);
void cli_print_help(const char *prog);
void cli_print_machines(void);
void cli_print_cpus(void);

#endif
