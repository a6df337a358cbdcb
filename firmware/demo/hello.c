/*
 * hello.c - the "make demo" program: greets, describes the machine it finds
 * in the device tree (CPU, PVR, RAM, timebase, CPU count, bootargs) and
 * powers off with status 0.
 */
#include "fw.h"

#define MIB (1024ul * 1024ul)

struct pvr_name {
    unsigned version;
    const char *name;
};

static const struct pvr_name pvr_names[] = {
    { PVR_VER_POWER8E,   "POWER8E" },
    { PVR_VER_POWER8NVL, "POWER8NVL" },
    { PVR_VER_POWER8,    "POWER8" },
    { PVR_VER_POWER9,    "POWER9" },
    { PVR_VER_POWER10,   "POWER10" },
};

/* "POWER9 DD2.0" from the PVR: DD<major>.<minor> from the revision nibbles. */
static void print_pvr(unsigned long pvr)
{
    unsigned ver = PVR_VERSION(pvr), rev = PVR_REVISION(pvr);
    const char *name = "unknown CPU";
    size_t i;

    for (i = 0; i < sizeof(pvr_names) / sizeof(pvr_names[0]); i++) {
        if (pvr_names[i].version == ver)
            name = pvr_names[i].name;
    }
    printf("  PVR       0x%08lx (%s DD%u.%u)\n", pvr, name, (rev >> 8) & 0xf, rev & 0xf);
}

static void print_cpus(const void *fdt)
{
    int cpus = fdt_node_by_path(fdt, "/cpus");
    int cpu = fdt_child_by_type(fdt, cpus, "cpu");
    int n = 0, c;
    uint32_t tb;

    for (c = cpu; c >= 0; c = fdt_next_child_by_type(fdt, cpus, c, "cpu"))
        n++;
    printf("  CPU       %s (%d in /cpus)\n", cpu >= 0 ? fdt_node_name(fdt, cpu) : "?", n);
    if (cpu >= 0 && fdt_prop_u32(fdt, cpu, "timebase-frequency", &tb) == 0)
        printf("  timebase  %u Hz\n", tb);
}

static void print_memory(const void *fdt)
{
    int mem = fdt_node_by_path(fdt, "/memory@0");
    uint64_t base, size;

    if (fdt_reg(fdt, mem, 0, &base, &size) == 0)
        printf("  RAM       %lu MiB at 0x%lx\n", (unsigned long)(size / MIB),
               (unsigned long)base);
}

static void print_chosen(const void *fdt)
{
    const char *args = fdt_prop_str(fdt, fdt_node_by_path(fdt, "/chosen"), "bootargs");

    printf("  bootargs  \"%s\"\n", args ? args : "");
}

int main(void)
{
    const void *fdt = fw_fdt();
    const char *model;

    printf("\nnesthv demo firmware: hello from a ppc64le pseries guest\n");
    if (!fdt) {
        printf("no device tree in r3 (0x%lx)\n", fw_boot.r3);
        return 1;
    }
    model = fdt_prop_str(fdt, fdt_root(fdt), "model");
    printf("  machine   %s\n", model ? model : "?");
    print_cpus(fdt);
    print_pvr(mfpvr());
    print_memory(fdt);
    print_chosen(fdt);
    printf("  MSR       0x%016lx, FDT at 0x%lx (%u bytes)\n", mfmsr(), fw_boot.r3,
           fdt_totalsize(fdt));
    printf("bye\n");
    return 0;
}
