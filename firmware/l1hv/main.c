/*
 * main.c - l1hv's boot: settle into the fixed layout of l1hv.h (device tree
 * to L1HV_FDT, bundle to L1HV_BUNDLE), read the boot arguments, register
 * our partition table, build the guest (RAM, tree, image, device tree,
 * bundle copy), run it until it powers off, print the NHV-STATS line and
 * power off ourselves.
 */
#include <stdarg.h>

#include "fw.h"
#include "l1hv.h"

L1hvSelf l1hv_self;
L1hvStats l1hv_stats_cpu[L1HV_MAX_CPUS];
enum l1hv_api l1hv_api_used = L1HV_API_V1;

extern char __image_end[];

static L1hvGuest l1hv_guest;
static char l1hv_bootargs[512];
static char l1hv_guest_args[512];

void l1hv_die(const char *fmt, ...)
{
    va_list ap;
    console_flush();
    printf("l1hv L%u: error: ", l1hv_cfg.level ? l1hv_cfg.level : 1);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    rtas_power_off();
    for (;;)
        cpu_relax();
}

/* Every hypercall we make, libfw's console and RTAS included (-Wl,--wrap=hcall_ret). */
long __real_hcall_ret(unsigned long *ret, unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
                      unsigned long a3, unsigned long a4, unsigned long a5, unsigned long a6, unsigned long a7);
long __wrap_hcall_ret(unsigned long *ret, unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
                      unsigned long a3, unsigned long a4, unsigned long a5, unsigned long a6, unsigned long a7);
long __wrap_hcall_ret(unsigned long *ret, unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
                      unsigned long a3, unsigned long a4, unsigned long a5, unsigned long a6, unsigned long a7)
{
    l1hv_stats.hcalls++;
    return __real_hcall_ret(ret, op, a0, a1, a2, a3, a4, a5, a6, a7);
}

/* The device tree to L1HV_FDT (libfw's fw_fdt() then finds it there). */
static const void *settle_fdt(void)
{
    const void *fdt = fw_fdt();
    if (!fdt)
        l1hv_die("no device tree in r3");
    uint32_t size = fdt_totalsize(fdt);
    if (size > L1HV_FDT_MAX)
        l1hv_die("device tree of %u bytes is too large", size);
    if ((uint64_t)(uintptr_t)fdt != L1HV_FDT) {
        memmove(l1hv_real(L1HV_FDT), fdt, size);
        fw_boot.r3 = L1HV_FDT;
    }
    return fw_fdt();
}

static void read_self(const void *fdt, uint64_t *initrd_start, uint64_t *initrd_end)
{
    int chosen = fdt_node_by_path(fdt, "/chosen");
    const char *args = chosen >= 0 ? fdt_prop_str(fdt, chosen, "bootargs") : NULL;
    if (args && strlen(args) < sizeof l1hv_bootargs)
        memcpy(l1hv_bootargs, args, strlen(args) + 1);
    if (chosen < 0 || fdt_prop_u64(fdt, chosen, "linux,initrd-start", initrd_start) != 0 ||
        fdt_prop_u64(fdt, chosen, "linux,initrd-end", initrd_end) != 0 || *initrd_end <= *initrd_start)
        l1hv_die("no initrd: boot with -initrd bundle.img");

    int root = fdt_root(fdt), node;
    fdt_for_each_child(fdt, root, node) {
        const char *type = fdt_prop_str(fdt, node, "device_type");
        uint64_t base, size;
        if (type && strcmp(type, "memory") == 0 && fdt_reg(fdt, node, 0, &base, &size) == 0 &&
            base + size > l1hv_self.ram_size)
            l1hv_self.ram_size = base + size;
    }
    int cpus = fdt_node_by_path(fdt, "/cpus");
    int cpu = cpus >= 0 ? fdt_child_by_type(fdt, cpus, "cpu") : FDT_ERR;
    uint32_t tb;
    l1hv_self.ncpus = 0;
    if (cpus >= 0) {
        fdt_for_each_child(fdt, cpus, node) {
            const char *type = fdt_prop_str(fdt, node, "device_type");
            if (type && strcmp(type, "cpu") == 0 && l1hv_self.ncpus < L1HV_MAX_CPUS)
                l1hv_self.ncpus++;
        }
    }
    if (!l1hv_self.ncpus)
        l1hv_self.ncpus = 1;
    l1hv_self.tb_hz = cpu >= 0 && fdt_prop_u32(fdt, cpu, "timebase-frequency", &tb) == 0 ? tb : 512000000;
}

/* The bundle to L1HV_BUNDLE (memmove: the source may overlap it). */
static void settle_bundle(uint64_t start, uint64_t end)
{
    if ((uint64_t)(uintptr_t)__image_end > L1HV_BUNDLE)
        l1hv_die("the program overlaps the bundle area");
    if (end - start > L1HV_BUNDLE_MAX)
        l1hv_die("bundle of %llu bytes is too large", (unsigned long long)(end - start));
    if (start != L1HV_BUNDLE)
        memmove(l1hv_real(L1HV_BUNDLE), l1hv_real(start), end - start);
    if (!l1hv_bundle_size())
        l1hv_die("the initrd is not an l1hv bundle");
}

/*
 * The API toward our hypervisor: v1 or v2 as asked; auto = Linux's way
 * (H_GUEST_GET/SET_CAPABILITIES succeed: v2, else v1); mixed = v2 at odd
 * levels and v1 at even ones, v1 where v2 is unavailable.
 */
static enum l1hv_api choose_api(void)
{
    switch (l1hv_cfg.api) {
    case L1HV_API_V1:
        return L1HV_API_V1;
    case L1HV_API_V2:
        if (!l1hv_v2_negotiate())
            l1hv_die("nesthv.api=v2: our hypervisor does not offer the v2 API (H_GUEST_*)");
        return L1HV_API_V2;
    case L1HV_API_MIXED:
        if (l1hv_cfg.level % 2 == 0)
            return L1HV_API_V1;
        /* fall through */
    case L1HV_API_AUTO:
    default:
        return l1hv_v2_negotiate() ? L1HV_API_V2 : L1HV_API_V1;
    }
}

static void register_partition_table(void)
{
    memset(l1hv_real(L1HV_PTAB), 0, L1HV_PTAB_BYTES);
    long rc = hcall(H_SET_PARTITION_TABLE, L1HV_PTAB | L1HV_PTAB_PATS);
    if (rc != H_SUCCESS)
        l1hv_die("H_SET_PARTITION_TABLE failed (%ld): does our hypervisor offer nested-HV "
                 "(-M pseries,cap-nested-hv=on)?",
                 rc);
}

static void build_guest(L1hvGuest *g)
{
    if (l1hv_self.ram_size < L1HV_GUEST_BASE + L1HV_GUEST_MIN)
        l1hv_die("%llu MiB of RAM: a guest needs %lu MiB more than our %lu", (unsigned long long)(l1hv_self.ram_size >> 20),
                 L1HV_GUEST_MIN >> 20, L1HV_GUEST_BASE >> 20);
    l1hv_guest_create(g, l1hv_self.ram_size - L1HV_GUEST_BASE);

    bool nest_more = l1hv_cfg.level + 1 < l1hv_cfg.depth;
    char name[40];
    snprintf(name, sizeof name, "%s", nest_more ? "l1hv" : l1hv_cfg.workload);
    uint64_t size;
    const void *image = l1hv_bundle_find(name, &size);
    if (!image)
        l1hv_die("no \"%s\" in the bundle", name);
    g->r.nip = l1hv_elf_load(g, image, size);

    uint64_t bsize = l1hv_bundle_size();
    void *copy = l1hv_guest_ptr(g, L1HV_BUNDLE, bsize);
    if (!copy)
        l1hv_die("guest too small for the bundle");
    memcpy(copy, l1hv_real(L1HV_BUNDLE), bsize);

    l1hv_config_guest_args(l1hv_guest_args, sizeof l1hv_guest_args);
    l1hv_guest_fdt(g, l1hv_guest_args, L1HV_BUNDLE, L1HV_BUNDLE + bsize);
}

static void print_stats(enum l1hv_api api, L1hvGuest *g)
{
    const L1hvStats *s = &l1hv_stats_cpu[0]; /* l1hv_smp_finish() added the others' */
    uint64_t shadow_faults = l1hv_host_shadow_faults(g);
    printf("NHV-STATS L%u api=%s exits=%llu hcall=%llu hdec=%llu hdsi=%llu hisi=%llu heai=%llu other=%llu "
           "handled=%llu reflected=%llu shadow_faults=%llu hcalls=%llu guest_tb=%llu\n",
           l1hv_cfg.level, l1hv_api_name(api), (unsigned long long)s->exits, (unsigned long long)s->hcall,
           (unsigned long long)s->hdec, (unsigned long long)s->hdsi, (unsigned long long)s->hisi,
           (unsigned long long)s->heai, (unsigned long long)s->other, (unsigned long long)s->handled,
           (unsigned long long)s->reflected, (unsigned long long)shadow_faults, (unsigned long long)s->hcalls,
           (unsigned long long)s->guest_tb);
}

int main(void)
{
    uint64_t initrd_start = 0, initrd_end = 0;
    mtspr(SPR_SPRG0, 0); /* l1hv_cpu(): the boot CPU */
    const void *fdt = settle_fdt();
    read_self(fdt, &initrd_start, &initrd_end);
    l1hv_config_parse(l1hv_bootargs);
    settle_bundle(initrd_start, initrd_end);
    l1hv_self.power_off_token = rtas_token("power-off");

    enum l1hv_api api = l1hv_api_used = choose_api();
    if (api == L1HV_API_V1)
        register_partition_table();
    else
        memset(l1hv_real(L1HV_PTAB), 0, L1HV_PTAB_BYTES); /* our own bookkeeping only */
    l1hv_smp_plan();
    build_guest(&l1hv_guest);
    l1hv_smp_start(&l1hv_guest);
    l1hv_guest_run(&l1hv_guest);
    l1hv_smp_finish();

    print_stats(api, &l1hv_guest);
    console_flush();
    rtas_power_off();
    l1hv_die("RTAS power-off failed");
}
