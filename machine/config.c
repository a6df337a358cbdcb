/*
 * config.c - machine configuration defaults and the checks QEMU 7.2's
 * pseries machine makes before it starts.
 */
#include "machine/machine.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct CpuModel {
    const char *name;        /* -cpu name */
    uint32_t    pvr;
    const char *model;       /* node name part */
} CpuModel;

static const CpuModel cpu_models[] = {
    { "power9",       MACH_PVR_POWER9,  "POWER9"  },
    { "power9_v2.0",  MACH_PVR_POWER9,  "POWER9"  },
    { "power10",      MACH_PVR_POWER10, "POWER10" },
    { "power10_v2.0", MACH_PVR_POWER10, "POWER10" },
};

void mach_config_init(MachineConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->ram_size = MACH_DEFAULT_RAM_SIZE;
    cfg->smp_cpus = 1;
    cfg->smp_threads = 1;
    cfg->smp_sockets = 1;
    cfg->pvr = MACH_PVR_POWER9;
    cfg->cpu_model = "POWER9";
    cfg->timebase_freq = MACH_DEFAULT_TB_FREQ;
    /* nesthv offers both nested APIs by default (QEMU: cap-nested-hv=off, cap-nested-papr=off). */
    cfg->cap_nested_hv = true;
    cfg->cap_nested_papr = true;
}

int mach_cpu_lookup(const char *name, uint32_t *pvr, const char **model)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof(cpu_models) / sizeof(cpu_models[0]); i++) {
        if (strcasecmp(name, cpu_models[i].name) == 0) {
            if (pvr)
                *pvr = cpu_models[i].pvr;
            if (model)
                *model = cpu_models[i].model;
            return 0;
        }
    }
    return -1;
}

static int fail(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
    return -1;
}

static int check_ram(const MachineConfig *cfg, char *err, size_t errlen)
{
    if (cfg->ram_size == 0 || cfg->ram_size % MACH_RAM_ALIGN != 0) {
        if (err && errlen)   /* QEMU's wording */
            snprintf(err, errlen, "Memory size 0x%" PRIx64 " is not aligned to 256 MiB: use a multiple of 256M, e.g. -m 1G",
                     cfg->ram_size);
        return -1;
    }
    return 0;
}

static int check_cpus(const MachineConfig *cfg, char *err, size_t errlen)
{
    if (cfg->smp_cpus < 1 || cfg->smp_cpus > MACH_MAX_CPUS) {
        if (err && errlen)
            snprintf(err, errlen, "Invalid number of CPUs %d (1 to %d)", cfg->smp_cpus,
                     MACH_MAX_CPUS);
        return -1;
    }
    /* QEMU 7.2 under TCG refuses any SMT ("TCG cannot support more than 1
     * thread/core on a pseries machine"); nesthv allows what QEMU 8.1+ does,
     * with its messages. */
    if (cfg->smp_threads < 1 || cfg->smp_threads > MACH_MAX_THREADS)
        return fail(err, errlen, "TCG cannot support more than 8 threads/core on a pseries machine");
    if (cfg->smp_threads & (cfg->smp_threads - 1)) {
        if (err && errlen)
            snprintf(err, errlen, "Cannot support %d threads/core on a pseries machine because it must be a power of 2",
                     cfg->smp_threads);
        return -1;
    }
    if (cfg->smp_sockets < 1 || cfg->smp_cpus % (cfg->smp_threads * cfg->smp_sockets) != 0) {
        if (err && errlen)
            snprintf(err, errlen, "Invalid CPU topology: %d CPUs are not whole cores of %d threads in %d sockets",
                     cfg->smp_cpus, cfg->smp_threads, cfg->smp_sockets);
        return -1;
    }
    if (!cfg->cpu_model || !cfg->cpu_model[0] || cfg->pvr == 0)
        return fail(err, errlen, "no CPU model");
    if (cfg->timebase_freq == 0 || cfg->timebase_freq > UINT32_MAX)
        return fail(err, errlen, "timebase frequency must fit in 32 bits");
    return 0;
}

int mach_config_check(const MachineConfig *cfg, char *err, size_t errlen)
{
    if (!cfg)
        return fail(err, errlen, "no machine configuration");
    if (check_ram(cfg, err, errlen) || check_cpus(cfg, err, errlen))
        return -1;
    /* Unlike QEMU, nesthv offers both nested APIs at once (an L1 picks one per guest). */
    if (cfg->initrd_end < cfg->initrd_start || (cfg->initrd_start == 0) != (cfg->initrd_end == 0)
        || cfg->initrd_end > UINT32_MAX)
        return fail(err, errlen, "bad initrd range");
    return 0;
}
