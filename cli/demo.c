/*
 * demo.c - `nesthv demo` (demo.h): images and boot line, the machine in a
 * child process, NHV-STATS withheld from the console, L0's counters, the table.
 */
#include "cli/demo.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/demo_stats.h"
#include "cli/runner.h"
#include "hv/snapshot.h"

#define WORKLOAD_PREFIX "workload-"
#define WORKLOAD_SUFFIX ".elf"

typedef struct DemoSetup {
    int depth;
    const char *api, *workload;
    char fw_dir[PATH_MAX];
    char rom[PATH_MAX], l1hv[PATH_MAX], bundle[PATH_MAX], workload_elf[PATH_MAX];
    char bootargs[512];
    char workload_buf[64], api_buf[16];
} DemoSetup;

/* ---- images ---------------------------------------------------------------------------------- */

/* BUILD/fw beside BUILD/nesthv. */
static int default_fw_dir(char *out, size_t n)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len <= 0)
        return -1;
    exe[len] = '\0';
    snprintf(out, n, "%s/fw", dirname(exe));
    return 0;
}

/* out (PATH_MAX bytes) = dir/name+suffix, or name+suffix when dir is empty; -1 if too long. */
static int path_join(char *out, const char *dir, const char *name, const char *suffix)
{
    int n = snprintf(out, PATH_MAX, "%s%s%s%s", dir, dir[0] ? "/" : "", name, suffix);
    return n < 0 || n >= PATH_MAX ? -1 : 0;
}

static int is_workload(const struct dirent *e)
{
    size_t l = strlen(e->d_name), pl = strlen(WORKLOAD_PREFIX), sl = strlen(WORKLOAD_SUFFIX);
    return l > pl + sl && !strncmp(e->d_name, WORKLOAD_PREFIX, pl) && !strcmp(e->d_name + l - sl, WORKLOAD_SUFFIX);
}

/* The workloads DIR/l1hv offers, sorted, as "a, b, c" (empty if none). */
static void list_workloads(const char *fw_dir, char *out, size_t n)
{
    char dir[PATH_MAX];
    struct dirent **names;
    out[0] = '\0';
    if (path_join(dir, fw_dir, "l1hv", ""))
        return;
    int count = scandir(dir, &names, is_workload, alphasort);
    for (int i = 0; i < count; i++) {
        size_t used = strlen(out), l = strlen(names[i]->d_name);
        snprintf(out + used, n - used, "%s%.*s", used ? ", " : "",
                 (int)(l - strlen(WORKLOAD_PREFIX) - strlen(WORKLOAD_SUFFIX)),
                 names[i]->d_name + strlen(WORKLOAD_PREFIX));
        free(names[i]);
    }
    if (count > 0)
        free(names);
}

static int need_file(const char *path, const char *what)
{
    if (access(path, R_OK) == 0)
        return 0;
    fprintf(stderr, "nesthv demo: %s %s is missing: build it with `make firmware` (or `make BUILD=dir firmware`), "
                    "or point --firmware-dir at a directory that has it\n", what, path);
    return -1;
}

static int find_images(DemoSetup *d)
{
    if (path_join(d->rom, d->fw_dir, "rom.bin", "") || path_join(d->l1hv, d->fw_dir, "l1hv/l1hv.elf", "") ||
        path_join(d->bundle, d->fw_dir, "l1hv/bundle.img", "") ||
        path_join(d->workload_elf, d->fw_dir, "l1hv/" WORKLOAD_PREFIX, d->workload)) {
        fprintf(stderr, "nesthv demo: firmware directory name too long: %s\n", d->fw_dir);
        return -1;
    }
    if (path_join(d->workload_elf + strlen(d->workload_elf), "", "", WORKLOAD_SUFFIX))
        return -1;
    if (need_file(d->rom, "the boot ROM"))
        return -1;
    if (access(d->workload_elf, R_OK) != 0) {
        char avail[512];
        list_workloads(d->fw_dir, avail, sizeof(avail));
        if (!avail[0])
            return need_file(d->workload_elf, "the workload");
        fprintf(stderr, "nesthv demo: no workload '%s' in %s/l1hv: available: %s\n", d->workload, d->fw_dir, avail);
        return -1;
    }
    if (d->depth == 1)
        return 0;
    return need_file(d->l1hv, "the l1hv hypervisor") || need_file(d->bundle, "the l1hv bundle") ? -1 : 0;
}

/* ---- the boot line (and reading it back from a snapshot) --------------------------------------- */

static void make_bootargs(DemoSetup *d)
{
    snprintf(d->bootargs, sizeof(d->bootargs), "nesthv.depth=%d nesthv.level=1 nesthv.api=%s nesthv.workload=%s",
             d->depth, d->api, d->workload);
}

/* The value of "key=" in a boot line, copied into buf ("" if absent). */
static void bootarg(const char *args, const char *key, char *buf, size_t n)
{
    size_t kl = strlen(key);
    buf[0] = '\0';
    for (const char *p = args; p && *p; p++)
        if ((p == args || p[-1] == ' ') && !strncmp(p, key, kl)) {
            size_t vl = strcspn(p + kl, " ");
            snprintf(buf, n, "%.*s", (int)vl, p + kl);
            return;
        }
}

/* --restore: depth, api and workload from the snapshot's boot line. */
static int setup_from_snapshot(DemoSetup *d, const char *path)
{
    static HvSnapshot s;
    char err[512], depth[16];
    if (hv_snapshot_open(path, &s, err, sizeof(err))) {
        fprintf(stderr, "nesthv: %s\n", err);
        return -1;
    }
    bootarg(s.mach.bootargs, "nesthv.depth=", depth, sizeof(depth));
    bootarg(s.mach.bootargs, "nesthv.api=", d->api_buf, sizeof(d->api_buf));
    bootarg(s.mach.bootargs, "nesthv.workload=", d->workload_buf, sizeof(d->workload_buf));
    hv_snapshot_close(&s);
    d->depth = atoi(depth);
    d->api = d->api_buf;
    d->workload = d->workload_buf;
    if (d->depth < CLI_DEMO_MIN_DEPTH || d->depth > CLI_DEMO_MAX_DEPTH || !d->workload[0]) {
        fprintf(stderr, "nesthv demo: %s is not a snapshot of a demo (no nesthv.depth= in its boot line): "
                        "resume it with `nesthv run --restore %s`\n", path, path);
        return -1;
    }
    return 0;
}

static int setup(DemoSetup *d, CliOptions *o)
{
    memset(d, 0, sizeof(*d));
    if (o->restore_file)
        return setup_from_snapshot(d, o->restore_file);
    d->depth = o->demo.depth ? o->demo.depth : CLI_DEMO_DEFAULT_DEPTH;
    d->api = o->demo.api ? o->demo.api : CLI_DEMO_DEFAULT_API;
    d->workload = o->demo.workload ? o->demo.workload : CLI_DEMO_DEFAULT_WORKLOAD;
    if (o->demo.firmware_dir)
        snprintf(d->fw_dir, sizeof(d->fw_dir), "%s", o->demo.firmware_dir);
    else if (default_fw_dir(d->fw_dir, sizeof(d->fw_dir))) {
        fprintf(stderr, "nesthv demo: cannot find the firmware directory: give --firmware-dir BUILD/fw\n");
        return -1;
    }
    if (find_images(d))
        return -1;
    make_bootargs(d);
    o->hv.mach.bootargs = d->bootargs;
    o->bios = d->rom;
    o->kernel = d->depth == 1 ? d->workload_elf : d->l1hv;
    o->initrd = d->depth == 1 ? NULL : d->bundle;
    if (!(o->given & CLI_GIVEN_RAM))
        o->hv.mach.ram_size = CLI_DEMO_RAM;
    return 0;
}

/* ---- L0's counters --------------------------------------------------------------------------- */

static void add_nest_table(NestL1 *l1, uint64_t *reflected, uint64_t *shadow_faults)
{
    NestGuestStats t;
    nest_l1_stats_sum(l1, &t);
    for (int i = 0; i < NEST_EXIT_NR; i++)
        *reflected += t.exits[i];
    *shadow_faults += t.shadow_faults;
}

/* The table column of an exit reason; -1: not a guest's exit (L0's own end of turn, a halt). */
static int exit_column(CpuExit e)
{
    switch (e) {
    case CPU_EXIT_HCALL: return DEMO_EXIT_HCALL;
    case CPU_EXIT_HDEC:  return DEMO_EXIT_HDEC;
    case CPU_EXIT_HDSI:  return DEMO_EXIT_HDSI;
    case CPU_EXIT_HISI:  return DEMO_EXIT_HISI;
    case CPU_EXIT_HEAI:  return DEMO_EXIT_HEAI;
    case CPU_EXIT_BUDGET:
    case CPU_EXIT_HALT:
    case CPU_EXIT__COUNT: return -1;
    default:             return DEMO_EXIT_OTHER; /* hfac, hvirt, hext, idle (wait) */
    }
}

static void l0_counters(Hv *hv, DemoLevelStats *l)
{
    memset(l, 0, sizeof(*l));
    l->present = true;
    for (int v = 0; v < hv->nvcpus; v++) {
        CPUState *cpu = hv->vcpus[v].cpu;
        for (int i = 0; i < CPU_EXIT__COUNT; i++) {
            int col = exit_column((CpuExit)i);
            if (col >= 0) {
                l->by_reason[col] += cpu->stat_exits[i];
                l->exits += cpu->stat_exits[i];
            }
        }
        l->guest_tb += cpu_get_tb(cpu) - (uint64_t)cpu->tb_offset; /* the machine's timebase, L1's view */
    }
    if (hv->nested) {
        add_nest_table(&hv->nested->l1, &l->reflected, &l->shadow_faults);
        if (hv->nested->v2)
            add_nest_table(&hv->nested->l1v2, &l->reflected, &l->shadow_faults);
    }
    l->handled = l->exits > l->reflected ? l->exits - l->reflected : 0;
    l->hcalls = hv->stats.hcalls;
}

/* ---- the child: the machine ----------------------------------------------------------------- */

static int child_status(Hv *hv, HvStatus st)
{
    switch (st) {
    case HV_POWER_OFF:
    case HV_REBOOT_REQUEST:
        return DEMO_STATUS_OK;
    case HV_GUEST_HALTED:
        fprintf(stderr, "nesthv: machine stopped: %s\n", hv->cpu.halt_msg);
        return DEMO_STATUS_HALTED;
    case HV_LIMIT_REACHED:
        return DEMO_STATUS_LIMIT;
    }
    return DEMO_STATUS_HALTED;
}

static void run_child(CliOptions *o, int console_fd, int stats_fd)
{
    static Hv hv;
    FILE *trace = NULL;
    if (dup2(console_fd, STDOUT_FILENO) < 0)
        _exit(DEMO_STATUS_USAGE);
    close(console_fd);
    if (o->trace_file && !(trace = fopen(o->trace_file, "w"))) {
        fprintf(stderr, "nesthv: cannot open trace file %s: check the path is writable\n", o->trace_file);
        _exit(DEMO_STATUS_USAGE);
    }
    o->hv.trace_out = trace;
    int status = DEMO_STATUS_USAGE;
    if (cli_machine_start(&hv, o) == 0) {
        status = child_status(&hv, cli_machine_run(&hv, o));
        if (o->hv.stats)
            hv_print_stats(&hv, stderr);
        DemoLevelStats l0;
        l0_counters(&hv, &l0);
        if (write(stats_fd, &l0, sizeof(l0)) != (ssize_t)sizeof(l0))
            status = DEMO_STATUS_USAGE;
    }
    fflush(stdout);
    _exit(status);
}

/* ---- the parent: console filter, table ---------------------------------------------------------- */

/* Pass the console on, keep the NHV-STATS lines; -1 if one was malformed. */
static int filter_console(int fd, DemoStats *s)
{
    FILE *in = fdopen(fd, "r");
    char *line = NULL, err[256];
    size_t cap = 0;
    int rc = 0;
    ssize_t n;
    if (!in)
        return -1;
    while ((n = getline(&line, &cap, in)) > 0) {
        bool nl = line[n - 1] == '\n';
        if (nl)
            line[n - 1] = '\0';
        DemoLevelStats l;
        int r = demo_parse_stats_line(line, &l, err, sizeof(err));
        if (r == 1 && l.level < DEMO_MAX_LEVELS) {
            s->level[l.level] = l;
            continue;
        }
        if (r < 0) {
            fprintf(stderr, "nesthv demo: %s\n", err);
            rc = -1;
            continue;
        }
        fputs(line, stdout);
        if (nl)
            fputc('\n', stdout);
        fflush(stdout);
    }
    free(line);
    fclose(in);
    return rc;
}

static int wait_child(pid_t pid)
{
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return DEMO_STATUS_HALTED;
    if (WIFSIGNALED(ws))
        fprintf(stderr, "nesthv demo: the machine process died of signal %d\n", WTERMSIG(ws));
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : DEMO_STATUS_HALTED;
}

static int verdict(const DemoStats *s, int child, int parse_rc, bool got_l0)
{
    if (child == DEMO_STATUS_LIMIT) {
        fprintf(stderr, "nesthv demo: the stack did not finish within the limit (--timeout, default %.0f s, or "
                        "--max-insns)\n", CLI_DEMO_TIMEOUT_S);
        return DEMO_STATUS_LIMIT;
    }
    if (child != DEMO_STATUS_OK) {
        fprintf(stderr, "nesthv demo: the stack did not shut down cleanly (%s)\n",
                child == DEMO_STATUS_USAGE ? "the machine could not start" : "a guest stopped the machine");
        return child;
    }
    int missing = demo_missing_level(s);
    if (missing || parse_rc || !got_l0) {
        fprintf(stderr, "nesthv demo: L%d printed no valid NHV-STATS line: the stack did not shut down cleanly\n",
                missing ? missing : 0);
        return DEMO_STATUS_NO_STATS;
    }
    return DEMO_STATUS_OK;
}

int cli_demo(CliOptions *o)
{
    static DemoSetup d;
    static DemoStats s;
    if (setup(&d, o))
        return DEMO_STATUS_USAGE;
    if (o->hv.timeout_s <= 0)
        o->hv.timeout_s = CLI_DEMO_TIMEOUT_S;
    int console[2], stats[2];
    if (pipe(console) || pipe(stats)) {
        perror("nesthv demo: pipe");
        return DEMO_STATUS_USAGE;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("nesthv demo: fork");
        return DEMO_STATUS_USAGE;
    }
    if (pid == 0) {
        close(console[0]);
        close(stats[0]);
        run_child(o, console[1], stats[1]);
    }
    close(console[1]);
    close(stats[1]);
    memset(&s, 0, sizeof(s));
    s.depth = d.depth;
    s.api = d.api;
    s.workload = d.workload;
    s.clock_counts_insns = o->hv.clock == CPU_CLOCK_ICOUNT;
    int parse_rc = filter_console(console[0], &s);
    bool got_l0 = read(stats[0], &s.level[0], sizeof(s.level[0])) == (ssize_t)sizeof(s.level[0]);
    close(stats[0]);
    int child = wait_child(pid);
    if (got_l0)
        demo_print_table(stdout, &s);
    fflush(stdout);
    return verdict(&s, child, parse_rc, got_l0);
}
