/*
 * runner.c - build and run the machine with snapshot points (runner.h).
 */
#include "cli/runner.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/console_key.h"
#include "hv/snapshot.h"

#define KEY_POLL_INSNS (1ULL << 22) /* with Ctrl-A s armed: look at the terminal this often */

/* Place the images; errors say which file could not be loaded and why. */
static int load_images(Hv *hv, const CliOptions *o)
{
    char err[256];
    if (o->bios && hv_load_bios(hv, o->bios, err, sizeof(err))) {
        fprintf(stderr, "nesthv: error loading %s: %s\n", o->bios, err);
        return -1;
    }
    if (o->kernel && hv_load_kernel(hv, o->kernel, o->bios != NULL, err, sizeof(err))) {
        fprintf(stderr, "nesthv: error loading %s: %s\n", o->kernel, err);
        return -1;
    }
    if (o->initrd && hv_load_initrd(hv, o->initrd, err, sizeof(err))) {
        fprintf(stderr, "nesthv: error loading %s: %s\n", o->initrd, err);
        return -1;
    }
    if (hv_finish_boot(hv, err, sizeof(err))) {
        fprintf(stderr, "nesthv: %s\n", err);
        return -1;
    }
    return 0;
}

#define MISMATCH(...)                       \
    do {                                    \
        snprintf(err, errlen, __VA_ARGS__); \
        return -1;                          \
    } while (0)

int cli_restore_check(const CliOptions *o, const MachineConfig *m, CpuClock clock, unsigned shift, char *err,
                      size_t errlen)
{
    const MachineConfig *c = &o->hv.mach;
    if ((o->given & CLI_GIVEN_RAM) && c->ram_size != m->ram_size)
        MISMATCH("-m: %" PRIu64 " MiB given, the snapshot has %" PRIu64 " MiB", c->ram_size >> 20, m->ram_size >> 20);
    if ((o->given & CLI_GIVEN_SMP) &&
        (c->smp_cpus != m->smp_cpus || c->smp_threads != m->smp_threads || c->smp_sockets != m->smp_sockets))
        MISMATCH("-smp: %d vCPUs (threads=%d, sockets=%d) given, the snapshot has %d (threads=%d, sockets=%d)",
                 c->smp_cpus, c->smp_threads, c->smp_sockets, m->smp_cpus, m->smp_threads, m->smp_sockets);
    if ((o->given & CLI_GIVEN_CPU) && c->pvr != m->pvr)
        MISMATCH("-cpu: %s given, the snapshot has %s", c->cpu_model, m->cpu_model);
    if ((o->given & CLI_GIVEN_NESTED_HV) && c->cap_nested_hv != m->cap_nested_hv)
        MISMATCH("-M pseries,cap-nested-hv=%s given, the snapshot has cap-nested-hv=%s", c->cap_nested_hv ? "on" : "off",
                 m->cap_nested_hv ? "on" : "off");
    if ((o->given & CLI_GIVEN_NESTED_PAPR) && c->cap_nested_papr != m->cap_nested_papr)
        MISMATCH("-M pseries,cap-nested-papr=%s given, the snapshot has cap-nested-papr=%s",
                 c->cap_nested_papr ? "on" : "off", m->cap_nested_papr ? "on" : "off");
    if ((o->given & CLI_GIVEN_CLOCK) && (o->hv.clock != clock || o->hv.icount_shift != shift))
        MISMATCH("clock: icount shift %u given, the snapshot has shift %u", o->hv.icount_shift, shift);
    const char *ca = c->bootargs ? c->bootargs : "", *ma = m->bootargs ? m->bootargs : "";
    if ((o->given & CLI_GIVEN_APPEND) && strcmp(ca, ma))
        MISMATCH("-append: \"%s\" given, the snapshot has \"%s\"", ca, ma);
    return 0;
}

static int restore(Hv *hv, CliOptions *o)
{
    static HvSnapshot snap; /* holds the boot arguments the machine config points to */
    char err[512];
    if (hv_snapshot_open(o->restore_file, &snap, err, sizeof(err))) {
        fprintf(stderr, "nesthv: %s\n", err);
        return -1;
    }
    if (cli_restore_check(o, &snap.mach, snap.clock, snap.icount_shift, err, sizeof(err))) {
        fprintf(stderr, "nesthv: --restore %s: %s: leave the option out (machine options come from the "
                        "snapshot) or give the snapshot's value\n", o->restore_file, err);
        return -1;
    }
    hv_snapshot_config(&snap, &o->hv);
    if (hv_init(hv, &o->hv, err, sizeof(err)) || hv_snapshot_restore(hv, &snap, err, sizeof(err))) {
        fprintf(stderr, "nesthv: --restore %s: %s\n", o->restore_file, err);
        return -1;
    }
    return 0;
}

int cli_machine_start(Hv *hv, CliOptions *o)
{
    char err[256];
    if (o->restore_file)
        return restore(hv, o);
    if (hv_init(hv, &o->hv, err, sizeof(err))) {
        fprintf(stderr, "nesthv: %s\n", err);
        return -1;
    }
    return load_images(hv, o);
}

/* ---- running with snapshot points ---------------------------------------------------------- */

typedef struct RunState {
    uint64_t user_limit;     /* --max-insns, 0 = none */
    uint64_t snap_at;        /* next point to save at; pending if snap_path */
    const char *snap_path;
    bool deferred;           /* the point has passed; waiting for no vCPU to be in an L2 */
    bool key_request;        /* Ctrl-A s: save at the next point where it can */
    double deadline;         /* host seconds; 0 = none */
} RunState;

static double host_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t min_limit(uint64_t a, uint64_t b)
{
    return !a ? b : !b ? a : a < b ? a : b;
}

/* Where hv_run() must stop next (0 = only at the end). */
static uint64_t next_stop(const Hv *hv, const RunState *r, bool key_armed)
{
    uint64_t stop = r->user_limit;
    if (r->deferred || r->key_request)
        stop = min_limit(stop, hv->insns + 1); /* one instruction at a time until no vCPU is in an L2 */
    else if (r->snap_path)
        stop = min_limit(stop, r->snap_at > hv->insns ? r->snap_at : hv->insns);
    if (key_armed)
        stop = min_limit(stop, hv->insns + KEY_POLL_INSNS);
    return stop;
}

static void save_now(Hv *hv, const char *path, uint64_t asked_at)
{
    char err[512];
    if (hv_snapshot_save(hv, path, err, sizeof(err))) {
        fprintf(stderr, "nesthv: snapshot not saved: %s\n", err);
        return;
    }
    fprintf(stderr, "nesthv: snapshot saved to %s at instruction %" PRIu64, path, hv->insns);
    if (asked_at && asked_at != hv->insns)
        fprintf(stderr, " (asked for %" PRIu64 "; deferred while a vCPU ran a nested guest)", asked_at);
    fputc('\n', stderr);
}

/* At a stop: save what is due.  Deferred while a vCPU is inside an L2. */
static void snapshot_points(Hv *hv, RunState *r, const CliOptions *o)
{
    bool due = (r->snap_path && hv->insns >= r->snap_at) || r->key_request;
    char why[256];
    if (!due)
        return;
    if (!hv_snapshot_supported(hv, why, sizeof(why))) {
        fprintf(stderr, "nesthv: snapshot not saved: %s\n", why);
        r->snap_path = NULL;
        r->key_request = false;
        r->deferred = false;
        return;
    }
    if (!hv_snapshot_ready(hv)) {
        r->deferred = true;
        return;
    }
    r->deferred = false;
    if (r->snap_path && hv->insns >= r->snap_at) {
        save_now(hv, r->snap_path, r->snap_at);
        r->snap_path = NULL;
    }
    if (r->key_request) {
        char path[512];
        if (o->snapshot_file)
            snprintf(path, sizeof(path), "%s", o->snapshot_file);
        else
            snprintf(path, sizeof(path), "nesthv-%" PRIu64 ".snap", hv->insns);
        save_now(hv, path, 0);
        r->key_request = false;
    }
}

HvStatus cli_machine_run(Hv *hv, const CliOptions *o)
{
    RunState r = { .user_limit = o->hv.max_insns, .snap_at = o->snapshot_at, .snap_path = o->snapshot_at_file };
    CliConsoleKey key;
    cli_key_init(&key);
    if (o->hv.timeout_s > 0)
        r.deadline = host_seconds() + o->hv.timeout_s;
    HvStatus st;
    for (;;) {
        hv->cfg.max_insns = next_stop(hv, &r, key.active);
        if (r.deadline)
            hv->cfg.timeout_s = r.deadline - host_seconds() > 0 ? r.deadline - host_seconds() : 1e-9;
        st = hv_run(hv);
        if (st != HV_LIMIT_REACHED)
            break;
        if ((r.user_limit && hv->insns >= r.user_limit) || (r.deadline && host_seconds() >= r.deadline))
            break;
        if (cli_key_poll(&key))
            r.key_request = true;
        snapshot_points(hv, &r, o);
    }
    hv->cfg.max_insns = r.user_limit;
    cli_key_close(&key);
    return st;
}
