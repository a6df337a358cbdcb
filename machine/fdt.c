/*
 * fdt.c - the flattened device tree handed to the guest in r3.
 *
 * It mirrors what QEMU 7.2 builds for `-M pseries -nodefaults -serial stdio`
 * (docs/reference-dumps/qemu-nodefaults.dts, plus trees dumped with
 * -M pseries,dumpdtb=F for -smp 2/4, -cpu power10, -m 3G, -kernel, -initrd and
 * -append).  Nodes and properties are written in the order they have in
 * QEMU's blob (libfdt's fdt_add_subnode / fdt_setprop put new entries first,
 * so QEMU's blob order is the reverse of its creation order; dtc and fdtdump
 * print blob order), so a program walking the tree meets the same sequence.
 * The nested caps (cap-nested-hv / cap-nested-papr) do not change QEMU's
 * tree (the dump in qemu.dts was taken with cap-nested-hv=on); nesthv's
 * cap-nested-hv also offers H_RPT_INVALIDATE, listed as QEMU's
 * cap-rpt-invalidate=on lists it (which QEMU allows only under KVM).
 *
 * Left out on purpose:
 *  - /pci@800000020000000 and every ibm,drc-* table (root, /cpus, PHB): nesthv
 *    has no PCI host bridge, no PCI/PHB/LMB hotplug, nor the RTAS calls that
 *    go with them (ibm,configure-connector, set-indicator, ...).  The per-CPU
 *    ibm,my-drc-index is kept: it is a plain per-CPU value programs read.
 *  - /vdevice/nvram (QEMU creates one even with -nodefaults; nesthv has no
 *    NVRAM and no nvram-fetch/nvram-store), l-lan and v-scsi (default devices).
 *  - /chosen/rng-seed: QEMU puts 32 random bytes there on every boot;
 *    nesthv runs are deterministic.
 *  - /chosen/linux,pci-probe-only and /rtas/ibm,change-msix-capable (PCI only),
 *    /rtas/ibm,extended-os-term (qualifies ibm,os-term, which nesthv lacks).
 *  - RTAS tokens nesthv does not implement (everything above 0x2007), and
 *    from ibm,hypertas-functions the hcall sets it does not implement (hcall-pft,
 *    -tce, -vio, -bulk, -debug, -vphn, -multi-tce, -hpt-resize, -watchdog) and
 *    qemu,hypertas-functions ("hcall-memop1", H_LOGICAL_MEMOP).
 *  - /hypervisor: QEMU only creates it under KVM; programs take it to mean
 *    "running under KVM".
 *  - linux,rtas-base / linux,rtas-entry: as in QEMU without SLOF, programs
 *    then call RTAS through hcall 0xF000 (KVMPPC_H_RTAS).
 */
#include "machine/machine.h"
#include "ppc/hcall.h"

#include <inttypes.h>
#include <limits.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

/* ---- root ---- */
#define ROOT_COMPATIBLE      "qemu,pseries"
#define ROOT_MODEL           "IBM pSeries (emulated by qemu)"
#define ROOT_DEVICE_TYPE     "chrp"
#define ROOT_VM_UUID         "00000000-0000-0000-0000-000000000000"
#define ROOT_ADDR_CELLS      2
#define ROOT_SIZE_CELLS      2

/* ---- /chosen ---- */
#define STDOUT_PATH          "/vdevice/vty@71000000"
#define GRAPHIC_WIDTH        800
#define GRAPHIC_HEIGHT       600
#define GRAPHIC_DEPTH        32

/* ---- /vdevice ---- */
#define VIO_VTY_REG          0x71000000u   /* first VIO device */
#define VIO_VTY_IRQ          0x1100u       /* first VIO interrupt */
#define VTY_NODE             "vty@71000000"

/* ---- /event-sources ---- */
#define EPOW_IRQ             0x1000u
#define HOTPLUG_IRQ          0x1001u

/* ---- /interrupt-controller (XICS) ---- */
#define XICS_PHANDLE         0x1111u
#define XICS_DEVICE_TYPE     "PowerPC-External-Interrupt-Presentation"
#define XICS_COMPATIBLE      "IBM,ppc-xicp"

/* ---- /rtas ---- */
#define RTAS_MIN_SIZE        20u           /* the RTAS blob itself */
#define RTAS_ERROR_LOG_MAX   2048u
#define RTAS_SRESET_PER_CPU  16u           /* FWNMI system-reset save area per CPU */
#define RTAS_FWNMI_EXTRA     8u            /* Linux's FWNMI check is off by one */
#define RTAS_EVENT_SCAN_RATE 1u
#define MEMORY_BLOCK_SIZE    0x10000000u   /* SPAPR_MEMORY_BLOCK_SIZE, 256 MiB */

/* ---- CPUs ---- */
#define CPU_CLOCK_FREQ       1000000000u   /* QEMU's TCG value, 1 GHz */
#define CPU_CACHE_SIZE       0x8000u
#define CPU_CACHE_LINE       0x80u
#define CPU_DEC_BITS         56u
#define CPU_SLB_SIZE         32u
#define CPU_VMX              2u            /* VMX + VSX */
#define CPU_DFP              1u
#define DRC_CPU_BASE         0x10000000u   /* DRC type CPU << 28 | core id */
#define NAME_MAX_LEN         64
#define MAX_THREADS          8             /* SMT8 at most on POWER9/10 */

/* ibm,pa-features of QEMU's POWER9 (also its POWER10 in 7.2): a byte array,
 * 2 header bytes (66 attribute bytes follow, format 0) then the attributes.
 * dtc prints these 68 bytes as 17 u32 cells. */
static const uint8_t pa_features[68] = {
    0x42, 0x00, 0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0, 0x80, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00,
    0x00, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00,
    0xc0, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00,
    0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00,
    0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00,
};

/* Radix page sizes: top 3 bits AP encoding, low bits page shift (4K, 64K, 2M, 1G). */
static const uint32_t radix_ap_encodings[] = { 0x0000000c, 0xa0000010, 0x20000015, 0x4000001e };

/* HPT: 4K base page (SLB enc 0, 1 size: 4K penc 0), 64K base (SLB enc 0x110, 64K penc 1). */
static const uint32_t segment_page_sizes[] = { 12, 0x0, 1, 12, 0, 16, 0x110, 1, 16, 1 };

/* 256M (2^28) and 1T (2^40) segments */
static const uint32_t segment_sizes[] = { 28, 40, 0xffffffff, 0xffffffff };

/* ibm,arch-vec-5-platform-support: pairs (OV5 byte, supported values) as QEMU
 * TCG offers them before CAS: 23 (interrupt controller) 0x80, 24 (MMU) 0xc0,
 * 25 0x00, 26 0x40. */
static const uint8_t ov5_platform_support[] = { 0x17, 0x80, 0x18, 0xc0, 0x19, 0x00, 0x1a, 0x40 };

/* ibm,architecture-vec-5 before any CAS negotiation: an empty option vector. */
static const uint8_t ov5_empty[] = { 0x00, 0x00 };

/* NUMA (FORM1, no -numa): everything in domain 0. */
static const uint32_t memory_associativity[] = { 4, 0, 0, 0, 0 };
static const uint32_t max_associativity_domains[] = { 4, 0, 0, 0, 1 };
static const uint32_t associativity_ref_points[] = { 4, 4, 2 };

/* QEMU's order; only the sets nesthv implements. */
static const char hypertas_functions[] =
    "hcall-term\0hcall-dabr\0hcall-interrupt\0hcall-splpar\0hcall-join\0"
    "hcall-set-mode\0hcall-sprg0\0hcall-copy";
/* With cap-nested-hv, H_RPT_INVALIDATE too: where QEMU's cap-rpt-invalidate=on puts it (after hcall-vphn). */
static const char hypertas_functions_rpt[] =
    "hcall-term\0hcall-dabr\0hcall-interrupt\0hcall-splpar\0hcall-join\0"
    "hcall-set-mode\0hcall-sprg0\0hcall-copy\0hcall-rpt-invalidate";

typedef struct RtasToken {
    const char *name;
    uint32_t    token;
} RtasToken;

/* In QEMU's blob order (highest token first). */
static const RtasToken rtas_tokens[] = {
    { "stop-self",               RTAS_TOKEN_STOP_SELF },
    { "start-cpu",               RTAS_TOKEN_START_CPU },
    { "query-cpu-stopped-state", RTAS_TOKEN_QUERY_CPU_STOPPED_STATE },
    { "system-reboot",           RTAS_TOKEN_SYSTEM_REBOOT },
    { "power-off",               RTAS_TOKEN_POWER_OFF },
    { "set-time-of-day",         RTAS_TOKEN_SET_TIME_OF_DAY },
    { "get-time-of-day",         RTAS_TOKEN_GET_TIME_OF_DAY },
    { "display-character",       RTAS_TOKEN_DISPLAY_CHARACTER },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define TRY(x) do { int rc_ = (x); if (rc_ < 0) return rc_; } while (0)

/* ---- property helpers ---- */

static int prop_cells(void *fdt, const char *name, const uint32_t *cells, size_t n)
{
    fdt32_t *val;

    TRY(fdt_property_placeholder(fdt, name, (int)(n * sizeof(fdt32_t)), (void **)&val));
    for (size_t i = 0; i < n; i++)
        val[i] = cpu_to_fdt32(cells[i]);
    return 0;
}

static int prop_u64_pair(void *fdt, const char *name, uint64_t a, uint64_t b)
{
    fdt64_t val[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };

    return fdt_property(fdt, name, val, sizeof(val));
}

static int prop_empty(void *fdt, const char *name)
{
    return fdt_property(fdt, name, NULL, 0);
}

/* ---- nodes ---- */

static int dt_root_props(void *fdt)
{
    TRY(fdt_property_u32(fdt, "#size-cells", ROOT_SIZE_CELLS));
    TRY(fdt_property_u32(fdt, "#address-cells", ROOT_ADDR_CELLS));
    TRY(fdt_property_string(fdt, "vm,uuid", ROOT_VM_UUID));
    TRY(fdt_property_string(fdt, "compatible", ROOT_COMPATIBLE));
    TRY(fdt_property_string(fdt, "model", ROOT_MODEL));
    return fdt_property_string(fdt, "device_type", ROOT_DEVICE_TYPE);
}

static int dt_persistent_memory(void *fdt)
{
    TRY(fdt_begin_node(fdt, "ibm,persistent-memory"));
    TRY(fdt_property_string(fdt, "device_type", "ibm,persistent-memory"));
    TRY(fdt_property_u32(fdt, "#size-cells", 0));
    TRY(fdt_property_u32(fdt, "#address-cells", 1));
    return fdt_end_node(fdt);
}

static int dt_chosen_boot(void *fdt, const MachineConfig *cfg)
{
    if (cfg->kernel_size) {
        if (cfg->kernel_le)
            TRY(prop_empty(fdt, "qemu,boot-kernel-le"));
        TRY(prop_u64_pair(fdt, "qemu,boot-kernel", cfg->kernel_addr, cfg->kernel_size));
    }
    if (cfg->initrd_end > cfg->initrd_start) {   /* 32-bit cells, as QEMU */
        TRY(fdt_property_u32(fdt, "linux,initrd-end", (uint32_t)cfg->initrd_end));
        TRY(fdt_property_u32(fdt, "linux,initrd-start", (uint32_t)cfg->initrd_start));
    }
    if (cfg->bootargs && cfg->bootargs[0])
        TRY(fdt_property_string(fdt, "bootargs", cfg->bootargs));
    return 0;
}

static int dt_chosen(void *fdt, const MachineConfig *cfg)
{
    TRY(fdt_begin_node(fdt, "chosen"));
    TRY(fdt_property(fdt, "ibm,architecture-vec-5", ov5_empty, sizeof(ov5_empty)));
    /* rng-seed left out: see the top of the file */
    TRY(fdt_property(fdt, "ibm,arch-vec-5-platform-support", ov5_platform_support,
                     sizeof(ov5_platform_support)));
    TRY(fdt_property_string(fdt, "stdout-path", STDOUT_PATH));
    TRY(fdt_property_string(fdt, "linux,stdout-path", STDOUT_PATH));
    TRY(fdt_property_u32(fdt, "qemu,graphic-depth", GRAPHIC_DEPTH));
    TRY(fdt_property_u32(fdt, "qemu,graphic-height", GRAPHIC_HEIGHT));
    TRY(fdt_property_u32(fdt, "qemu,graphic-width", GRAPHIC_WIDTH));
    TRY(dt_chosen_boot(fdt, cfg));
    return fdt_end_node(fdt);
}

static int dt_rtas(void *fdt, const MachineConfig *cfg)
{
    uint32_t ncores = (uint32_t)(cfg->smp_cpus / cfg->smp_threads);
    uint32_t lrdr_capacity[] = { 0, 0, 0, MEMORY_BLOCK_SIZE, ncores };
    uint32_t rtas_size = RTAS_MIN_SIZE + RTAS_ERROR_LOG_MAX
                         + (uint32_t)cfg->smp_cpus * RTAS_SRESET_PER_CPU + RTAS_FWNMI_EXTRA;

    TRY(fdt_begin_node(fdt, "rtas"));
    for (size_t i = 0; i < ARRAY_LEN(rtas_tokens); i++)
        TRY(fdt_property_u32(fdt, rtas_tokens[i].name, rtas_tokens[i].token));
    TRY(prop_cells(fdt, "ibm,lrdr-capacity", lrdr_capacity, ARRAY_LEN(lrdr_capacity)));
    TRY(fdt_property_u32(fdt, "rtas-event-scan-rate", RTAS_EVENT_SCAN_RATE));
    TRY(fdt_property_u32(fdt, "rtas-error-log-max", RTAS_ERROR_LOG_MAX));
    TRY(fdt_property_u32(fdt, "rtas-size", rtas_size));
    TRY(prop_cells(fdt, "ibm,max-associativity-domains", max_associativity_domains,
                   ARRAY_LEN(max_associativity_domains)));
    TRY(prop_cells(fdt, "ibm,associativity-reference-points", associativity_ref_points,
                   ARRAY_LEN(associativity_ref_points)));
    if (cfg->cap_nested_hv)
        TRY(fdt_property(fdt, "ibm,hypertas-functions", hypertas_functions_rpt, sizeof(hypertas_functions_rpt)));
    else
        TRY(fdt_property(fdt, "ibm,hypertas-functions", hypertas_functions, sizeof(hypertas_functions)));
    return fdt_end_node(fdt);
}

static int dt_irq_child(void *fdt, const char *name, uint32_t irq)
{
    uint32_t interrupts[] = { irq, 0 };

    TRY(fdt_begin_node(fdt, name));
    TRY(prop_cells(fdt, "interrupts", interrupts, ARRAY_LEN(interrupts)));
    return fdt_end_node(fdt);
}

static int dt_event_sources(void *fdt)
{
    uint32_t ranges[] = { EPOW_IRQ, 1, HOTPLUG_IRQ, 1 };

    TRY(fdt_begin_node(fdt, "event-sources"));
    TRY(prop_cells(fdt, "interrupt-ranges", ranges, ARRAY_LEN(ranges)));
    TRY(fdt_property_u32(fdt, "#interrupt-cells", 2));
    TRY(prop_empty(fdt, "interrupt-controller"));
    TRY(dt_irq_child(fdt, "hot-plug-events", HOTPLUG_IRQ));
    TRY(dt_irq_child(fdt, "epow-events", EPOW_IRQ));
    return fdt_end_node(fdt);
}

/* ibm,ppc-interrupt-server#s (one per thread) and -gserver#s (thread, 0 pairs) */
static int dt_cpu_servers(void *fdt, uint32_t id, int threads)
{
    fdt32_t *gs, *s;

    TRY(fdt_property_placeholder(fdt, "ibm,ppc-interrupt-gserver#s",
                                 threads * 2 * (int)sizeof(fdt32_t), (void **)&gs));
    for (int i = 0; i < threads; i++) {
        gs[2 * i] = cpu_to_fdt32(id + (uint32_t)i);
        gs[2 * i + 1] = cpu_to_fdt32(0);
    }
    TRY(fdt_property_placeholder(fdt, "ibm,ppc-interrupt-server#s",
                                 threads * (int)sizeof(fdt32_t), (void **)&s));
    for (int i = 0; i < threads; i++)
        s[i] = cpu_to_fdt32(id + (uint32_t)i);
    return 0;
}

/* QEMU: ibm,chip-id = cpu_index / (threads * cores per socket), i.e. the socket. */
static uint32_t chip_id(const MachineConfig *cfg, uint32_t id)
{
    int sockets = cfg->smp_sockets > 0 ? cfg->smp_sockets : 1;
    uint32_t per_socket = (uint32_t)(cfg->smp_cpus / sockets);

    return per_socket ? id / per_socket : 0;
}

static int dt_cpu_mmu(void *fdt, const MachineConfig *cfg, uint32_t id)
{
    uint32_t pft_size[] = { 0, mach_hpt_shift(cfg->ram_size) };

    TRY(prop_cells(fdt, "ibm,pft-size", pft_size, ARRAY_LEN(pft_size)));
    TRY(fdt_property_u32(fdt, "ibm,chip-id", chip_id(cfg, id)));
    TRY(fdt_property(fdt, "ibm,pa-features", pa_features, sizeof(pa_features)));
    TRY(prop_cells(fdt, "ibm,segment-page-sizes", segment_page_sizes,
                   ARRAY_LEN(segment_page_sizes)));
    TRY(fdt_property_u32(fdt, "ibm,dfp", CPU_DFP));
    TRY(fdt_property_u32(fdt, "ibm,vmx", CPU_VMX));
    return prop_cells(fdt, "ibm,processor-segment-sizes", segment_sizes, ARRAY_LEN(segment_sizes));
}

static int dt_cpu_caches(void *fdt)
{
    TRY(fdt_property_u32(fdt, "i-cache-size", CPU_CACHE_SIZE));
    TRY(fdt_property_u32(fdt, "d-cache-size", CPU_CACHE_SIZE));
    TRY(fdt_property_u32(fdt, "i-cache-line-size", CPU_CACHE_LINE));
    TRY(fdt_property_u32(fdt, "i-cache-block-size", CPU_CACHE_LINE));
    TRY(fdt_property_u32(fdt, "d-cache-line-size", CPU_CACHE_LINE));
    return fdt_property_u32(fdt, "d-cache-block-size", CPU_CACHE_LINE);
}

/* One node per core; id = vCPU id of its first thread. */
static int dt_cpu(void *fdt, const MachineConfig *cfg, uint32_t id)
{
    char name[NAME_MAX_LEN];
    int n = snprintf(name, sizeof(name), "PowerPC,%s@%" PRIx32, cfg->cpu_model, id);

    if (n < 0 || (size_t)n >= sizeof(name))
        return -FDT_ERR_BADVALUE;
    TRY(fdt_begin_node(fdt, name));
    TRY(fdt_property_u32(fdt, "ibm,dec-bits", CPU_DEC_BITS));
    TRY(prop_cells(fdt, "ibm,processor-radix-AP-encodings", radix_ap_encodings,
                   ARRAY_LEN(radix_ap_encodings)));
    TRY(dt_cpu_servers(fdt, id, cfg->smp_threads));
    TRY(dt_cpu_mmu(fdt, cfg, id));
    TRY(fdt_property_u32(fdt, "ibm,spurr", 1));
    TRY(fdt_property_u32(fdt, "ibm,purr", 1));
    TRY(prop_empty(fdt, "64-bit"));
    TRY(fdt_property_string(fdt, "status", "okay"));
    TRY(fdt_property_u32(fdt, "ibm,slb-size", CPU_SLB_SIZE));
    TRY(fdt_property_u32(fdt, "slb-size", CPU_SLB_SIZE));
    TRY(fdt_property_u32(fdt, "clock-frequency", CPU_CLOCK_FREQ));
    TRY(fdt_property_u32(fdt, "timebase-frequency", (uint32_t)cfg->timebase_freq));
    TRY(dt_cpu_caches(fdt));
    TRY(fdt_property_u32(fdt, "cpu-version", cfg->pvr));
    TRY(fdt_property_string(fdt, "device_type", "cpu"));
    TRY(fdt_property_u32(fdt, "reg", id));
    TRY(fdt_property_u32(fdt, "ibm,my-drc-index", DRC_CPU_BASE | id));
    return fdt_end_node(fdt);
}

static int dt_cpus(void *fdt, const MachineConfig *cfg)
{
    TRY(fdt_begin_node(fdt, "cpus"));
    TRY(fdt_property_u32(fdt, "#size-cells", 0));
    TRY(fdt_property_u32(fdt, "#address-cells", 1));
    for (int id = 0; id < cfg->smp_cpus; id += cfg->smp_threads)
        TRY(dt_cpu(fdt, cfg, (uint32_t)id));
    return fdt_end_node(fdt);
}

static int dt_vty(void *fdt)
{
    uint32_t interrupts[] = { VIO_VTY_IRQ, 0 };

    TRY(fdt_begin_node(fdt, VTY_NODE));
    TRY(prop_cells(fdt, "interrupts", interrupts, ARRAY_LEN(interrupts)));
    TRY(fdt_property_string(fdt, "compatible", "hvterm1"));
    TRY(fdt_property_string(fdt, "device_type", "serial"));
    TRY(fdt_property_u32(fdt, "reg", VIO_VTY_REG));
    return fdt_end_node(fdt);
}

static int dt_vdevice(void *fdt)
{
    TRY(fdt_begin_node(fdt, "vdevice"));
    TRY(prop_empty(fdt, "interrupt-controller"));
    TRY(fdt_property_u32(fdt, "#interrupt-cells", 2));
    TRY(fdt_property_u32(fdt, "#size-cells", 0));
    TRY(fdt_property_u32(fdt, "#address-cells", 1));
    TRY(fdt_property_string(fdt, "compatible", "IBM,vdevice"));
    TRY(fdt_property_string(fdt, "device_type", "vdevice"));
    TRY(dt_vty(fdt));
    return fdt_end_node(fdt);
}

static int dt_memory_node(void *fdt, uint64_t base, uint64_t size)
{
    char name[NAME_MAX_LEN];
    fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

    snprintf(name, sizeof(name), "memory@%" PRIx64, base);
    TRY(fdt_begin_node(fdt, name));
    TRY(prop_cells(fdt, "ibm,associativity", memory_associativity,
                   ARRAY_LEN(memory_associativity)));
    TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
    TRY(fdt_property_string(fdt, "device_type", "memory"));
    return fdt_end_node(fdt);
}

/* QEMU splits RAM into naturally aligned power-of-two blocks, the first being
 * the RMA, and its blob lists them from the highest address down. */
static int dt_memory(void *fdt, uint64_t ram_size)
{
    uint64_t base[128], size[128];
    uint64_t start = 0, left = ram_size;
    int n = 0;

    while (left && n < (int)ARRAY_LEN(base)) {
        uint64_t blk = mach_rma_size(left);

        if (start && ((uint64_t)1 << __builtin_ctzll(start)) < blk)
            blk = (uint64_t)1 << __builtin_ctzll(start);
        base[n] = start;
        size[n++] = blk;
        start += blk;
        left -= blk;
    }
    while (n-- > 0)
        TRY(dt_memory_node(fdt, base[n], size[n]));
    return 0;
}

static int dt_xics(void *fdt, const MachineConfig *cfg)
{
    uint32_t server_ranges[] = { 0, (uint32_t)cfg->smp_cpus };

    TRY(fdt_begin_node(fdt, "interrupt-controller"));
    TRY(fdt_property_u32(fdt, "phandle", XICS_PHANDLE));
    TRY(fdt_property_u32(fdt, "linux,phandle", XICS_PHANDLE));
    TRY(fdt_property_u32(fdt, "#interrupt-cells", 2));
    TRY(prop_cells(fdt, "ibm,interrupt-server-ranges", server_ranges, ARRAY_LEN(server_ranges)));
    TRY(prop_empty(fdt, "interrupt-controller"));
    TRY(fdt_property_string(fdt, "compatible", XICS_COMPATIBLE));
    TRY(fdt_property_string(fdt, "device_type", XICS_DEVICE_TYPE));
    return fdt_end_node(fdt);
}

/* QEMU reserves the kernel and the initrd in the memory reservation block. */
static int dt_reservations(void *fdt, const MachineConfig *cfg)
{
    if (cfg->kernel_size)
        TRY(fdt_add_reservemap_entry(fdt, cfg->kernel_addr, cfg->kernel_size));
    if (cfg->initrd_end > cfg->initrd_start)
        TRY(fdt_add_reservemap_entry(fdt, cfg->initrd_start, cfg->initrd_end - cfg->initrd_start));
    return fdt_finish_reservemap(fdt);
}

static int dt_tree(void *fdt, const MachineConfig *cfg)
{
    TRY(dt_reservations(fdt, cfg));
    TRY(fdt_begin_node(fdt, ""));
    TRY(dt_root_props(fdt));
    TRY(dt_persistent_memory(fdt));
    TRY(dt_chosen(fdt, cfg));
    TRY(dt_rtas(fdt, cfg));
    TRY(dt_event_sources(fdt));
    TRY(dt_cpus(fdt, cfg));
    TRY(dt_vdevice(fdt));
    TRY(dt_memory(fdt, cfg->ram_size));
    TRY(dt_xics(fdt, cfg));
    TRY(fdt_end_node(fdt));
    return fdt_finish(fdt);
}

static bool config_usable(const MachineConfig *cfg)
{
    return cfg->ram_size != 0 && cfg->smp_cpus >= 1 && cfg->smp_cpus <= MACH_MAX_CPUS
           && cfg->smp_threads >= 1 && cfg->smp_threads <= MAX_THREADS
           && cfg->smp_cpus % cfg->smp_threads == 0 && cfg->cpu_model && cfg->pvr != 0
           && cfg->timebase_freq != 0 && cfg->timebase_freq <= UINT32_MAX
           && cfg->initrd_end <= UINT32_MAX;
}

int mach_build_fdt(const MachineConfig *cfg, void *buf, size_t bufsize, size_t *out_size)
{
    int size = bufsize > INT_MAX ? INT_MAX : (int)bufsize;

    if (!cfg || !config_usable(cfg))
        return -FDT_ERR_BADVALUE;
    if (!buf)
        return -FDT_ERR_NOSPACE;
    TRY(fdt_create(buf, size));
    TRY(dt_tree(buf, cfg));
    fdt_set_boot_cpuid_phys(buf, 0);
    if (fdt_totalsize(buf) > MACH_FDT_MAX_SIZE)   /* QEMU: "FDT too big" */
        return -FDT_ERR_NOSPACE;
    if (out_size)
        *out_size = fdt_totalsize(buf);
    return 0;
}
