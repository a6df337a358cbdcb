/*
 * demo_stats.h - the per-level table of `nesthv demo`: parsing the
 * NHV-STATS lines the l1hv levels print, and rendering the table.
 *
 * The contract with l1hv (firmware/l1hv/): each l1hv level k, after its
 * guest powered off, prints ONE console line
 *     NHV-STATS L<k> api=<v1|v2> key=value ...
 * with at least the keys exits hcall hdec hdsi hisi heai other handled
 * reflected shadow_faults hcalls guest_tb (decimal values); the line may
 * be preceded by level prefixes such as "[L2] ".  Unknown keys are
 * ignored (newer l1hv), a missing one makes the line malformed.
 * guest_tb is the timebase that passed while the level's guest ran (summed
 * over its vCPUs): under the deterministic clock the timebase counts
 * instructions, so consecutive levels' guest_tb give each level's share.
 *
 * L0's row comes from nesthv's own counters (cli/demo.c fills it).
 */
#ifndef NESTHV_CLI_DEMO_STATS_H
#define NESTHV_CLI_DEMO_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/options.h"

#define DEMO_STATS_TAG    "NHV-STATS"
#define DEMO_MAX_LEVELS   (CLI_DEMO_MAX_DEPTH + 1)

/* Exit reasons in the table, in column order (also the NHV-STATS key names). */
enum { DEMO_EXIT_HCALL, DEMO_EXIT_HDEC, DEMO_EXIT_HDSI, DEMO_EXIT_HISI, DEMO_EXIT_HEAI, DEMO_EXIT_OTHER, DEMO_EXIT_NR };

typedef struct DemoLevelStats {
    bool present;             /* the level reported (L0: always) */
    int level;
    char api[8];              /* the API this level used towards its own hypervisor: "v1"/"v2" ("" for L0) */
    uint64_t exits;           /* exits of the guests this level's hypervisor runs */
    uint64_t by_reason[DEMO_EXIT_NR];
    uint64_t handled;         /* resolved at this level */
    uint64_t reflected;       /* passed on to the hypervisor of the guest that exited (the next level) */
    uint64_t shadow_faults;   /* nested-guest faults fixed in this level's shadow trees */
    uint64_t hcalls;          /* hypercalls this level handled */
    uint64_t guest_tb;        /* timebase ticks its guest ran (L0: the whole machine's run) */
} DemoLevelStats;

typedef struct DemoStats {
    int depth;                /* level of the workload */
    const char *api;          /* --api as given */
    const char *workload;
    bool clock_counts_insns;  /* deterministic clock: shares can be derived */
    DemoLevelStats level[DEMO_MAX_LEVELS]; /* [0] = L0 ... [depth - 1] = last l1hv */
} DemoStats;

/*
 * One console line (without its newline): 1 and *out filled if it is an
 * NHV-STATS line, 0 if it is not one, -1 with a message if it is one but
 * malformed (missing key, bad number, level out of range).
 */
int demo_parse_stats_line(const char *line, DemoLevelStats *out, char *err, size_t errlen);

/* The levels 1 .. depth-1 that did not report (first one), or 0 if all did. */
int demo_missing_level(const DemoStats *s);

/* Share of the machine's guest time spent at level k (0 .. 1), or -1 if it cannot be derived. */
double demo_level_share(const DemoStats *s, int k);

/* The table, with its footnotes. */
void demo_print_table(FILE *out, const DemoStats *s);

#endif
