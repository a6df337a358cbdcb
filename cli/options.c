/*
 * options.c - parsing of the nesthv command line (see options.h).
 *
 * Every error says what was wrong and what to do instead; nothing here
 * exits the process.
 */
#include "cli/options.h"

#include "machine/machine.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_RAM          (1ULL << 40)
#define MAX_ICOUNT_SHIFT 10

/* -cpu help lists these; mach_cpu_lookup() knows their PVRs. */
static const char *const cpu_names[] = { "power9", "power9_v2.0", "power10", "power10_v2.0" };

#define FAIL(...)                              \
    do {                                       \
        snprintf(err, errlen, __VA_ARGS__);    \
        return -1;                             \
    } while (0)

static void defaults(CliOptions *o)
{
    memset(o, 0, sizeof(*o));
    mach_config_init(&o->hv.mach);
    o->hv.mach.cap_nested_hv = true;
    o->hv.mach.cap_nested_papr = true;
    o->hv.clock = CPU_CLOCK_ICOUNT;
    o->hv.rtc_base = INT64_MIN;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

/* QEMU size syntax: a number with an optional K/M/G/T suffix; no suffix means MiB. */
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v <= 0)
        return -1;
    uint64_t unit = 1ULL << 20;
    switch (*end) {
    case 'k': case 'K': unit = 1ULL << 10; end++; break;
    case 'm': case 'M': unit = 1ULL << 20; end++; break;
    case 'g': case 'G': unit = 1ULL << 30; end++; break;
    case 't': case 'T': unit = 1ULL << 40; end++; break;
    case 'b': case 'B': unit = 1; end++; break;
    default: break;
    }
    if (*end)
        return -1;
    *out = (uint64_t)(v * (double)unit);
    return 0;
}

static int parse_onoff(const char *v, bool *out)
{
    if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true")) {
        *out = true;
        return 0;
    }
    if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false")) {
        *out = false;
        return 0;
    }
    return -1;
}

/* Split "key=value" in place; returns the value or NULL. */
static char *split_kv(char *item)
{
    char *eq = strchr(item, '=');
    if (!eq)
        return NULL;
    *eq = '\0';
    return eq + 1;
}

static int parse_machine_prop(CliOptions *o, char *item, char *err, size_t errlen)
{
    char *val = split_kv(item);
    bool *cap = NULL;
    if (!strcmp(item, "cap-nested-hv"))
        cap = &o->hv.mach.cap_nested_hv;
    else if (!strcmp(item, "cap-nested-papr"))
        cap = &o->hv.mach.cap_nested_papr;
    if (cap) {
        if (!val || parse_onoff(val, cap))
            FAIL("-machine %s needs =on or =off", item);
        o->given |= cap == &o->hv.mach.cap_nested_hv ? CLI_GIVEN_NESTED_HV : CLI_GIVEN_NESTED_PAPR;
        return 0;
    }
    if (!strcmp(item, "dumpdtb")) {
        if (!val || !*val)
            FAIL("-machine dumpdtb needs a file name: -M pseries,dumpdtb=FILE");
        o->dumpdtb = val;
        return 0;
    }
    if (!strcmp(item, "accel")) {
        if (!val || strcmp(val, "tcg"))
            FAIL("-machine accel=%s is not available: nesthv is an emulator, use accel=tcg or leave it out",
                 val ? val : "");
        return 0;
    }
    FAIL("unknown -machine property '%s': nesthv's pseries knows cap-nested-hv, cap-nested-papr, dumpdtb, accel",
         item);
}

/* -M/-machine [type=]pseries[,prop=value...] or help / ? */
static int parse_machine(CliOptions *o, char *arg, char *err, size_t errlen)
{
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        o->action = CLI_LIST_MACHINES;
        return 0;
    }
    char *save = NULL;
    char *type = strtok_r(arg, ",", &save);
    if (type && !strncmp(type, "type=", 5))
        type += 5;
    if (!type || (strcmp(type, "pseries") && strncmp(type, "pseries-", 8)))
        FAIL("unsupported machine '%s': nesthv emulates only 'pseries' (see -machine help)", type ? type : "");
    for (char *item = strtok_r(NULL, ",", &save); item; item = strtok_r(NULL, ",", &save))
        if (parse_machine_prop(o, item, err, errlen))
            return -1;
    return 0;
}

static int parse_cpu(CliOptions *o, const char *arg, char *err, size_t errlen)
{
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        o->action = CLI_LIST_CPUS;
        return 0;
    }
    if (mach_cpu_lookup(arg, &o->hv.mach.pvr, &o->hv.mach.cpu_model) == 0) {
        o->given |= CLI_GIVEN_CPU;
        return 0;
    }
    FAIL("unknown CPU model '%s': use -cpu power9 or -cpu power10 (see -cpu help)", arg);
}

static int parse_memory(CliOptions *o, const char *arg, char *err, size_t errlen)
{
    uint64_t size;
    if (!strncmp(arg, "size=", 5))
        arg += 5;
    if (parse_size(arg, &size))
        FAIL("bad memory size '%s': use e.g. -m 1G or -m 512M", arg);
    if (size > MAX_RAM)
        FAIL("memory size %s is too large: nesthv allows up to 1T", arg);
    o->hv.mach.ram_size = size;
    o->given |= CLI_GIVEN_RAM;
    return 0;
}

/* -smp values; 0 = not given. */
typedef struct SmpArgs {
    uint64_t cpus, sockets, cores, threads, maxcpus;
} SmpArgs;

static int smp_item(SmpArgs *a, char *item, char *err, size_t errlen)
{
    char *val = split_kv(item);
    uint64_t v;
    if (parse_u64(val ? val : item, &v) || v == 0 || v > MACH_MAX_CPUS)
        FAIL("bad -smp value '%s': use -smp N[,cores=C][,threads=T][,sockets=S] with N from 1 to %d",
             val ? val : item, MACH_MAX_CPUS);
    if (!val || !strcmp(item, "cpus"))
        a->cpus = v;
    else if (!strcmp(item, "sockets"))
        a->sockets = v;
    else if (!strcmp(item, "cores"))
        a->cores = v;
    else if (!strcmp(item, "threads"))
        a->threads = v;
    else if (!strcmp(item, "maxcpus"))
        a->maxcpus = v;
    else if ((!strcmp(item, "dies") || !strcmp(item, "clusters")) && v == 1)
        return 0;
    else
        FAIL("unknown -smp property '%s': pseries knows cpus=, sockets=, cores=, threads=, maxcpus=", item);
    return 0;
}

/*
 * -smp [cpus=]N[,sockets=S][,cores=C][,threads=T][,maxcpus=M], completed as
 * QEMU 7.2's smp_parse() does (cores preferred over sockets): missing
 * sockets and threads are 1, missing cores = maxcpus / (sockets * threads);
 * the product must be maxcpus.  So "-smp 8,threads=4" is 2 cores of 4
 * threads.  nesthv has no CPU hotplug: maxcpus must equal the CPU count.
 */
static int parse_smp(CliOptions *o, char *arg, char *err, size_t errlen)
{
    SmpArgs a = { 0 };
    char *save = NULL;
    for (char *item = strtok_r(arg, ",", &save); item; item = strtok_r(NULL, ",", &save))
        if (smp_item(&a, item, err, errlen))
            return -1;
    uint64_t sockets = a.sockets ? a.sockets : 1, threads = a.threads ? a.threads : 1, cores = a.cores;
    uint64_t maxcpus = a.maxcpus ? a.maxcpus : a.cpus;
    if (!cores)
        cores = maxcpus ? maxcpus / (sockets * threads) : 1;
    uint64_t total = sockets * cores * threads;
    if (!maxcpus)
        maxcpus = total;
    uint64_t cpus = a.cpus ? a.cpus : maxcpus;
    if (total != maxcpus)
        FAIL("Invalid CPU topology: product of the hierarchy must match maxcpus: sockets (%llu) * cores (%llu) * "
             "threads (%llu) != maxcpus (%llu)",
             (unsigned long long)sockets, (unsigned long long)cores, (unsigned long long)threads,
             (unsigned long long)maxcpus);
    if (maxcpus != cpus)
        FAIL("-smp maxcpus=%llu: nesthv has no CPU hotplug, give only the CPU count (-smp %llu)",
             (unsigned long long)maxcpus, (unsigned long long)cpus);
    if (cpus > MACH_MAX_CPUS)
        FAIL("-smp %llu: nesthv supports at most %d vCPUs", (unsigned long long)cpus, MACH_MAX_CPUS);
    o->hv.mach.smp_cpus = (int)cpus;
    o->hv.mach.smp_threads = (int)threads;
    o->hv.mach.smp_sockets = (int)sockets;
    o->given |= CLI_GIVEN_SMP;
    return 0;
}

/* -icount [shift=]N[,sleep=on|off][,align=...] */
static int parse_icount(CliOptions *o, char *arg, char *err, size_t errlen)
{
    char *save = NULL;
    for (char *item = strtok_r(arg, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *val = split_kv(item);
        const char *num = val && !strcmp(item, "shift") ? val : (!val ? item : NULL);
        uint64_t shift;
        if (!num)
            continue; /* sleep=, align=: accepted, nothing to do under a virtual clock */
        if (parse_u64(num, &shift) || shift > MAX_ICOUNT_SHIFT)
            FAIL("bad -icount shift '%s': use a number from 0 to %d", num, MAX_ICOUNT_SHIFT);
        o->hv.icount_shift = (unsigned)shift;
        o->hv.clock = CPU_CLOCK_ICOUNT;
        o->given |= CLI_GIVEN_CLOCK;
    }
    return 0;
}

/* -rtc base=utc|localtime|YYYY-MM-DD[THH:MM:SS][,clock=...][,driftfix=...] */
static int parse_rtc(CliOptions *o, char *arg, char *err, size_t errlen)
{
    char *save = NULL;
    for (char *item = strtok_r(arg, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *val = split_kv(item);
        if (!val || strcmp(item, "base"))
            continue; /* clock=, driftfix=: accepted */
        if (!strcmp(val, "utc") || !strcmp(val, "localtime")) {
            o->hv.rtc_base = INT64_MIN;
            continue;
        }
        struct tm tm = { 0 };
        char tail;
        int n = sscanf(val, "%d-%d-%dT%d:%d:%d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                       &tm.tm_sec, &tail);
        if (n != 3 && n != 6)
            FAIL("bad -rtc base '%s': use base=utc or base=2026-01-31T12:00:00", val);
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        o->hv.rtc_base = (int64_t)timegm(&tm);
    }
    return 0;
}

static int parse_trace(CliOptions *o, char *arg, char *err, size_t errlen)
{
    char *save = NULL;
    for (char *item = strtok_r(arg, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        if (!strcmp(item, "hcall"))
            o->hv.trace |= HV_TRACE_HCALL;
        else if (!strcmp(item, "exit"))
            o->hv.trace |= HV_TRACE_EXIT;
        else if (!strcmp(item, "irq"))
            o->hv.trace |= HV_TRACE_IRQ;
        else if (!strcmp(item, "mmu"))
            o->hv.trace |= HV_TRACE_MMU;
        else if (!strcmp(item, "all"))
            o->hv.trace |= HV_TRACE_HCALL | HV_TRACE_EXIT | HV_TRACE_IRQ | HV_TRACE_MMU;
        else
            FAIL("unknown trace category '%s': use --trace=hcall,exit,irq,mmu (or all)", item);
    }
    return 0;
}

static int parse_serial(const char *arg, char *err, size_t errlen)
{
    if (!strcmp(arg, "stdio") || !strcmp(arg, "mon:stdio"))
        return 0;
    FAIL("-serial %s is not supported: the console is always on stdout; use -serial stdio", arg);
}

static int parse_accel(const char *arg, char *err, size_t errlen)
{
    if (!strncmp(arg, "tcg", 3) && (arg[3] == '\0' || arg[3] == ','))
        return 0;
    FAIL("-accel %s is not available: nesthv is an emulator, use -accel tcg or leave it out", arg);
}

static int parse_display(const char *arg, char *err, size_t errlen)
{
    if (!strcmp(arg, "none"))
        return 0;
    FAIL("-display %s is not supported: nesthv has no display, use -display none or -nographic", arg);
}

static int parse_clock(CliOptions *o, const char *arg, char *err, size_t errlen)
{
    if (!strcmp(arg, "icount"))
        o->hv.clock = CPU_CLOCK_ICOUNT;
    else if (!strcmp(arg, "host") || !strcmp(arg, "realtime"))
        o->hv.clock = CPU_CLOCK_HOST;
    else
        FAIL("unknown clock '%s': use --clock=icount (deterministic) or --clock=host (real time)", arg);
    o->given |= CLI_GIVEN_CLOCK;
    return 0;
}

/* "--opt=value" or "--opt value": returns the value or NULL. */
static const char *long_value(const char *arg, const char *name, int *i, int argc, char **argv)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n))
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    if (arg[n] == '\0' && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

/* Options that take no value. Returns 1 if handled. */
static int parse_flag(CliOptions *o, const char *a)
{
    static const char *const ignored[] = { "-nographic", "-nodefaults", "-no-reboot", "-no-shutdown",
                                           "-enable-tcg", NULL };
    for (int k = 0; ignored[k]; k++)
        if (!strcmp(a, ignored[k]))
            return 1;
    if (!strcmp(a, "--help") || !strcmp(a, "-help") || !strcmp(a, "-h")) {
        o->action = CLI_HELP;
        return 1;
    }
    if (!strcmp(a, "--version") || !strcmp(a, "-version")) {
        o->action = CLI_VERSION;
        return 1;
    }
    if (!strcmp(a, "--stats")) {
        o->hv.stats = true;
        return 1;
    }
    return 0;
}

/* Options that take a value: QEMU style "-opt value" (also "--opt value"). */
static int parse_valued(CliOptions *o, const char *name, char *val, char *err, size_t errlen)
{
    if (name[0] == '-' && name[1] == '-')
        name++;
    if (!strcmp(name, "-M") || !strcmp(name, "-machine"))
        return parse_machine(o, val, err, errlen);
    if (!strcmp(name, "-cpu"))
        return parse_cpu(o, val, err, errlen);
    if (!strcmp(name, "-m"))
        return parse_memory(o, val, err, errlen);
    if (!strcmp(name, "-smp"))
        return parse_smp(o, val, err, errlen);
    if (!strcmp(name, "-kernel"))
        return o->kernel = val, 0;
    if (!strcmp(name, "-bios"))
        return o->bios = val, 0;
    if (!strcmp(name, "-initrd"))
        return o->initrd = val, 0;
    if (!strcmp(name, "-append")) {
        o->given |= CLI_GIVEN_APPEND;
        return o->hv.mach.bootargs = val, 0;
    }
    if (!strcmp(name, "-serial"))
        return parse_serial(val, err, errlen);
    if (!strcmp(name, "-display"))
        return parse_display(val, err, errlen);
    if (!strcmp(name, "-accel"))
        return parse_accel(val, err, errlen);
    if (!strcmp(name, "-icount"))
        return parse_icount(o, val, err, errlen);
    if (!strcmp(name, "-rtc"))
        return parse_rtc(o, val, err, errlen);
    if (!strcmp(name, "-vga") || !strcmp(name, "-monitor"))
        return strcmp(val, "none") ? (snprintf(err, errlen, "%s %s is not supported: use %s none", name, val, name), -1) : 0;
    return 1; /* not a valued option */
}

/* A QEMU-style option that takes a value ("-m 1G"); QEMU also accepts "--m 1G". */
static int parse_qemu_valued(CliOptions *o, int *i, int argc, char **argv, char *err, size_t errlen)
{
    const char *a = argv[*i];
    if (*i + 1 >= argc) {
        if (parse_valued(o, a, (char *)"", err, errlen) == 1)
            FAIL("unknown option '%s': see nesthv --help", a);
        FAIL("option '%s' needs a value: see nesthv --help", a);
    }
    int rc = parse_valued(o, a, argv[*i + 1], err, errlen);
    if (rc == 1)
        FAIL("unknown option '%s': see nesthv --help", a);
    ++*i;
    return rc;
}

/* --snapshot-at INSNS FILE, --snapshot-file FILE, --restore FILE: 0 done, -1 error, 1 not one of them. */
static int parse_snapshot_opt(CliOptions *o, int *i, int argc, char **argv, char *err, size_t errlen)
{
    const char *a = argv[*i];
    const char *v;
    if ((v = long_value(a, "--snapshot-at", i, argc, argv))) {
        if (parse_u64(v, &o->snapshot_at) || !o->snapshot_at)
            FAIL("bad --snapshot-at '%s': use --snapshot-at INSNS FILE (INSNS: a positive instruction count)", v);
        if (*i + 1 >= argc || argv[*i + 1][0] == '\0')
            FAIL("--snapshot-at %s needs a file name: --snapshot-at INSNS FILE", v);
        o->snapshot_at_file = argv[++*i];
        return 0;
    }
    if ((v = long_value(a, "--snapshot-file", i, argc, argv)))
        return o->snapshot_file = v, 0;
    if ((v = long_value(a, "--restore", i, argc, argv)))
        return o->restore_file = v, 0;
    return 1;
}

/* nesthv demo's options: 0 done, -1 error, 1 not one of them. */
static int parse_demo_opt(CliOptions *o, int *i, int argc, char **argv, char *err, size_t errlen)
{
    const char *a = argv[*i];
    const char *v;
    if ((v = long_value(a, "--depth", i, argc, argv))) {
        uint64_t d;
        if (parse_u64(v, &d) || d < CLI_DEMO_MIN_DEPTH || d > CLI_DEMO_MAX_DEPTH)
            FAIL("bad --depth '%s': give a level from %d (the workload alone) to %d", v, CLI_DEMO_MIN_DEPTH,
                 CLI_DEMO_MAX_DEPTH);
        o->demo.depth = (int)d;
        return 0;
    }
    if ((v = long_value(a, "--api", i, argc, argv))) {
        if (strcmp(v, "v1") && strcmp(v, "v2") && strcmp(v, "mixed") && strcmp(v, "auto"))
            FAIL("bad --api '%s': use v1, v2, mixed (v2 and v1 at alternate levels) or auto", v);
        return o->demo.api = v, 0;
    }
    if ((v = long_value(a, "--workload", i, argc, argv))) {
        if (!*v || strchr(v, '/'))
            FAIL("bad --workload '%s': give a workload name such as hello", v);
        return o->demo.workload = v, 0;
    }
    if ((v = long_value(a, "--firmware-dir", i, argc, argv)))
        return o->demo.firmware_dir = v, 0;
    return 1;
}

/* Combinations that cannot work, checked once everything is parsed. */
static int check_combinations(const CliOptions *o, char *err, size_t errlen)
{
    bool demo_opts = o->demo.depth || o->demo.api || o->demo.workload || o->demo.firmware_dir;
    if (demo_opts && o->action != CLI_DEMO)
        FAIL("--depth, --api, --workload and --firmware-dir belong to 'nesthv demo' (see --help)");
    if ((o->snapshot_at_file || o->restore_file || o->snapshot_file) && o->hv.clock != CPU_CLOCK_ICOUNT)
        FAIL("snapshots need the deterministic clock: leave out --clock=host");
    if (o->restore_file && (o->kernel || o->bios || o->initrd || o->dumpdtb || demo_opts))
        FAIL("--restore %s resumes a saved machine: its memory already holds the programs; leave out "
             "-kernel/-bios/-initrd/dumpdtb and the demo's --depth/--api/--workload/--firmware-dir",
             o->restore_file);
    if (o->action == CLI_DEMO && (o->kernel || o->bios || o->initrd))
        FAIL("nesthv demo boots its own images: leave out -kernel/-bios/-initrd (use --firmware-dir DIR)");
    return 0;
}

/* nesthv's own long options: --name=value or --name value. */
static int parse_long(CliOptions *o, int *i, int argc, char **argv, char *err, size_t errlen)
{
    const char *a = argv[*i];
    const char *v;
    if ((v = long_value(a, "--max-insns", i, argc, argv))) {
        if (parse_u64(v, &o->hv.max_insns) || !o->hv.max_insns)
            FAIL("bad --max-insns '%s': give a positive instruction count", v);
        return 0;
    }
    if ((v = long_value(a, "--timeout", i, argc, argv))) {
        char *end;
        o->hv.timeout_s = strtod(v, &end);
        if (end == v || *end || o->hv.timeout_s <= 0)
            FAIL("bad --timeout '%s': give a positive number of seconds", v);
        return 0;
    }
    if ((v = long_value(a, "--trace-file", i, argc, argv)))
        return o->trace_file = v, 0;
    if ((v = long_value(a, "--trace", i, argc, argv))) {
        char buf[256];
        snprintf(buf, sizeof(buf), "%s", v);
        return parse_trace(o, buf, err, errlen);
    }
    if ((v = long_value(a, "--clock", i, argc, argv)))
        return parse_clock(o, v, err, errlen);
    int rc = parse_snapshot_opt(o, i, argc, argv, err, errlen);
    if (rc <= 0)
        return rc;
    rc = parse_demo_opt(o, i, argc, argv, err, errlen);
    if (rc <= 0)
        return rc;
    return parse_qemu_valued(o, i, argc, argv, err, errlen);
}

static int parse_one(CliOptions *o, int *i, int argc, char **argv, char *err, size_t errlen)
{
    const char *a = argv[*i];
    if (parse_flag(o, a))
        return 0;
    if (a[1] == '-')
        return parse_long(o, i, argc, argv, err, errlen);
    return parse_qemu_valued(o, i, argc, argv, err, errlen);
}

int cli_parse(int argc, char **argv, CliOptions *o, char *err, size_t errlen)
{
    int i = 1;
    defaults(o);
    if (argc > 1 && !strcmp(argv[1], "run"))
        i = 2;
    else if (argc > 1 && !strcmp(argv[1], "demo")) {
        o->action = CLI_DEMO;
        i = 2;
    }
    for (; i < argc; i++) {
        if (argv[i][0] != '-') {
            if (!strcmp(argv[i], "run") && !o->kernel)
                continue; /* "nesthv -m 2G run prog.elf" */
            if (o->kernel)
                FAIL("more than one program given ('%s' and '%s'): run one program at a time", o->kernel, argv[i]);
            o->kernel = argv[i];
            continue;
        }
        CliAction before = o->action;
        if (parse_one(o, &i, argc, argv, err, errlen))
            return -1;
        if (o->action != before)
            return 0; /* --help, --version, -M help ... */
    }
    if (check_combinations(o, err, errlen))
        return -1;
    if (o->action == CLI_DEMO || o->restore_file)
        return 0;
    if (!o->kernel && !o->bios && !o->dumpdtb)
        FAIL("no program to run: use 'nesthv run PROGRAM.elf' or '-kernel FILE' / '-bios FILE' (see --help)");
    return 0;
}

void cli_print_help(const char *prog)
{
    printf("Usage: %s run [options] PROGRAM.elf\n"
           "       %s [QEMU-style options] -kernel PROGRAM.elf\n\n"
           "nesthv emulates a POWER9 pseries machine whose built-in hypervisor (L0) runs the program.\n\n"
           "Options for people:\n"
           "  --max-insns N      stop after N guest instructions (exit status 3)\n"
           "  --timeout S        stop after S seconds of host time (exit status 3)\n"
           "  --trace=LIST       one line per event on stderr: hcall,exit,irq,mmu or all\n"
           "  --trace-file F     write the trace to F instead of stderr\n"
           "  --stats            print counters (instructions, exits, hypercalls) at exit\n"
           "  --clock=icount|host  deterministic timebase (default) or host real time\n"
           "  --snapshot-at N F  save the machine to file F once it has run N instructions, then go on\n"
           "  --snapshot-file F  where Ctrl-A s saves (stdin a terminal; default nesthv-<insns>.snap)\n"
           "  --restore F        resume the machine saved in F (machine options come from the file)\n"
           "  --version, --help\n\n"
           "%s demo [--depth N] [--api v1|v2|mixed|auto] [--workload NAME] [--firmware-dir DIR] [options]\n"
           "  boots the reference nested hypervisor l1hv as L1, nests it down to level N (default 3)\n"
           "  where the workload (default hello) runs, then prints a per-level table of exits.\n\n"
           "QEMU options accepted (qemu-system-ppc64 spelling):\n"
           "  -M/-machine pseries[,cap-nested-hv=on|off][,cap-nested-papr=on|off][,dumpdtb=FILE]  (help: list)\n"
           "  -cpu power9|power10 (help: list)   -m SIZE (default 1G)\n"
           "  -smp N[,sockets=S][,cores=C][,threads=T]  (vCPUs; threads per core 1, 2, 4 or 8)\n"
           "  -kernel FILE  -bios FILE  -initrd FILE  -append ARGS\n"
           "  -nographic  -display none  -serial stdio|mon:stdio  -nodefaults  -no-reboot  -no-shutdown\n"
           "  -vga none  -monitor none  -enable-tcg  -accel tcg[,...]  -icount [shift=]N  -rtc base=utc|DATE\n\n"
           "Boot: -bios is loaded raw at real address 0 and entered at 0x100; -kernel ELF segments go to\n"
           "(paddr & 0x0fffffff) + 0x400000 as on QEMU, and without -bios the ELF entry runs with r3 = FDT.\n"
           "Exit status: 0 power-off, 1 usage or load error, 2 machine stopped (e.g. unimplemented\n"
           "instruction), 3 --max-insns/--timeout reached.\n",
           prog, prog, prog);
}

void cli_print_machines(void)
{
    printf("Supported machines are:\n"
           "pseries              pSeries Logical Partition (PAPR compliant), POWER9/POWER10 radix (default)\n");
}

void cli_print_cpus(void)
{
    printf("Available CPUs:\n");
    for (size_t i = 0; i < sizeof(cpu_names) / sizeof(cpu_names[0]); i++) {
        uint32_t pvr = 0;
        const char *model = NULL;
        mach_cpu_lookup(cpu_names[i], &pvr, &model);
        printf("  %-14s %s (PVR 0x%08x)\n", cpu_names[i], model, pvr);
    }
}
