/*
 * demo.h - `nesthv demo`: boot the reference nested hypervisor l1hv
 * (firmware/l1hv/, docs/l1hv.md) as L1, nest it down to level N where a
 * workload runs, and print a per-level table (cli/demo_stats.h).
 *
 *   nesthv demo [--depth N] [--api v1|v2|mixed|auto] [--workload NAME]
 *               [--firmware-dir DIR] [machine options: -m, -smp, --trace,
 *               --stats, --timeout, --snapshot-at, --restore ...]
 *
 * Images, from DIR (default: BUILD/fw beside BUILD/nesthv, found through
 * /proc/self/exe): DIR/rom.bin, DIR/l1hv/l1hv.elf, DIR/l1hv/bundle.img (l1hv
 * and every workload), DIR/l1hv/workload-NAME.elf.  Boot line:
 *   -bios rom.bin -kernel l1hv.elf -initrd bundle.img -append
 *   "nesthv.depth=N nesthv.level=1 nesthv.api=A nesthv.workload=W"
 * with -m 4G unless -m is given; depth 1 runs -kernel workload-W.elf alone.
 *
 * The machine runs in a child process whose console (stdout) comes
 * through a pipe: the parent passes every line on to stdout but the
 * NHV-STATS lines, which it parses; the child sends L0's own counters
 * through a second pipe at the end.  Then the table.  Exit status: 0 when
 * the stack shut down cleanly and every l1hv level reported; otherwise
 * non-zero with a message: 1 usage or missing images, 2 the machine
 * stopped (guest error), 3 --timeout/--max-insns (the demo's default
 * timeout is CLI_DEMO_TIMEOUT_S), 4 a level did not report its NHV-STATS.
 *
 * --restore FILE resumes a snapshot of a demo: depth, api and workload
 * come from the snapshot's boot line.
 */
#ifndef NESTHV_CLI_DEMO_H
#define NESTHV_CLI_DEMO_H

#include "cli/options.h"

#define CLI_DEMO_DEFAULT_DEPTH    3
#define CLI_DEMO_DEFAULT_API      "mixed"
#define CLI_DEMO_DEFAULT_WORKLOAD "hello"
#define CLI_DEMO_RAM              (UINT64_C(4) << 30)
#define CLI_DEMO_TIMEOUT_S        600.0

enum { DEMO_STATUS_OK = 0, DEMO_STATUS_USAGE = 1, DEMO_STATUS_HALTED = 2, DEMO_STATUS_LIMIT = 3, DEMO_STATUS_NO_STATS = 4 };

int cli_demo(CliOptions *o);

#endif
