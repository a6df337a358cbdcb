/*
 * runner.h - build the machine the command line describes (fresh boot or
 * --restore) and run it with snapshot points (--snapshot-at, Ctrl-A s).
 *
 * Snapshot points.  hv_run() stops exactly when the machine has executed
 * a given number of instructions (its --max-insns mechanism); the runner
 * saves the machine there and calls hv_run() again: the run goes on (as
 * QEMU's savevm does; add --max-insns to stop).  Instruction counts are
 * machine totals since boot, also after a restore.  If a vCPU is running
 * a nested guest (L2) at that point, the save is deferred to the first
 * instruction boundary where none is (the machine runs on one instruction
 * at a time until then): seed 003 -- L0's nested state is rebuilt, not
 * saved.  Stopping the machine at a point ends the current scheduler
 * turn, as --max-insns does: with one vCPU nothing observable changes;
 * with several, the interleaving after the point is the saving run's,
 * which a restore reproduces exactly.
 *
 * --restore FILE: machine options (-m, -smp, -cpu, -M caps, -icount,
 * --clock, -append) come from the file; any given on the command line
 * must match it (a mismatch is an error naming the difference).  Runtime
 * options (--max-insns, --timeout, --trace, --stats, --snapshot-at) apply.
 */
#ifndef NESTHV_CLI_RUNNER_H
#define NESTHV_CLI_RUNNER_H

#include "cli/options.h"
#include "hv/hv.h"

/* Build hv: hv_init + images, or hv_init + the snapshot.  0, or -1 after printing the error. */
int cli_machine_start(Hv *hv, CliOptions *o);
/* Run until power-off, a stop or a limit, taking the snapshots asked for. */
HvStatus cli_machine_run(Hv *hv, const CliOptions *o);

/* --restore: the first machine option given on the command line that differs from the snapshot's. */
int cli_restore_check(const CliOptions *o, const MachineConfig *snap_mach, CpuClock snap_clock,
                      unsigned snap_shift, char *err, size_t errlen);

#endif
