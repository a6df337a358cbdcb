/*
 * test_fdt.c - the device tree nesthv hands to the guest, checked with libfdt
 * against the values QEMU 7.2's pseries tree has (docs/reference-dumps).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "machine/machine.h"
#include "ppc/hcall.h"

#define BUF_SIZE (256 * 1024)

static uint8_t *build(const MachineConfig *cfg, size_t *size)
{
    uint8_t *buf = malloc(BUF_SIZE);
    size_t sz = 0;

    assert_non_null(buf);
    assert_int_equal(mach_build_fdt(cfg, buf, BUF_SIZE, &sz), 0);
    assert_int_equal(fdt_check_header(buf), 0);
    assert_int_equal(sz, fdt_totalsize(buf));
    if (size)
        *size = sz;
    return buf;
}

static void base_config(MachineConfig *cfg)
{
    mach_config_init(cfg);
    cfg->ram_size = 1ull << 30;
    cfg->smp_cpus = 2;
    cfg->bootargs = "console=hvc0 quiet";
}

static int node(const void *fdt, const char *path)
{
    int off = fdt_path_offset(fdt, path);

    assert_true(off >= 0);
    return off;
}

static const void *prop(const void *fdt, const char *path, const char *name, int *len)
{
    const void *p = fdt_getprop(fdt, node(fdt, path), name, len);

    if (!p)
        fail_msg("missing %s:%s", path, name);
    return p;
}

static uint32_t cell(const void *fdt, const char *path, const char *name, int idx)
{
    int len;
    const fdt32_t *p = prop(fdt, path, name, &len);

    assert_true((idx + 1) * 4 <= len);
    return fdt32_to_cpu(p[idx]);
}

static uint32_t u32prop(const void *fdt, const char *path, const char *name)
{
    int len;
    const fdt32_t *p = prop(fdt, path, name, &len);

    assert_int_equal(len, 4);
    return fdt32_to_cpu(*p);
}

static void assert_str(const void *fdt, const char *path, const char *name, const char *want)
{
    int len;
    const char *p = prop(fdt, path, name, &len);

    assert_int_equal(len, (int)strlen(want) + 1);
    assert_string_equal(p, want);
}

static bool stringlist_has(const void *fdt, const char *path, const char *name, const char *s)
{
    return fdt_stringlist_search(fdt, node(fdt, path), name, s) >= 0;
}

static void test_root(void **state)
{
    MachineConfig cfg;
    uint8_t *fdt;

    base_config(&cfg);
    fdt = build(&cfg, NULL);
    assert_str(fdt, "/", "compatible", "qemu,pseries");
    assert_str(fdt, "/", "model", "IBM pSeries (emulated by qemu)");
    assert_str(fdt, "/", "device_type", "chrp");
    assert_int_equal(u32prop(fdt, "/", "#address-cells"), 2);
    assert_int_equal(u32prop(fdt, "/", "#size-cells"), 2);
    assert_int_equal(fdt_path_offset(fdt, "/hypervisor"), -FDT_ERR_NOTFOUND);
    assert_true(fdt_path_offset(fdt, "/pci@800000020000000") < 0);
    assert_null(fdt_getprop(fdt, 0, "ibm,drc-indexes", NULL));
    assert_int_equal(fdt_boot_cpuid_phys(fdt), 0);
    assert_int_equal(fdt_num_mem_rsv(fdt), 0);
    free(fdt);
}

/* Children of / in the order QEMU's blob has them. */
static void test_node_order(void **state)
{
    static const char *const want[] = {
        "ibm,persistent-memory", "chosen", "rtas", "event-sources", "cpus", "vdevice",
        "memory@0", "interrupt-controller",
    };
    MachineConfig cfg;
    uint8_t *fdt;
    int off, i = 0;

    base_config(&cfg);
    fdt = build(&cfg, NULL);
    fdt_for_each_subnode(off, fdt, 0) {
        assert_true(i < (int)(sizeof(want) / sizeof(want[0])));
        assert_string_equal(fdt_get_name(fdt, off, NULL), want[i]);
        i++;
    }
    assert_int_equal(i, sizeof(want) / sizeof(want[0]));
    free(fdt);
}

static void test_chosen(void **state)
{
    MachineConfig cfg;
    uint8_t *fdt;
    int len;
    const uint8_t *p;

    base_config(&cfg);
    fdt = build(&cfg, NULL);
    assert_str(fdt, "/chosen", "bootargs", "console=hvc0 quiet");
    assert_str(fdt, "/chosen", "stdout-path", "/vdevice/vty@71000000");
    assert_str(fdt, "/chosen", "linux,stdout-path", "/vdevice/vty@71000000");
    p = prop(fdt, "/chosen", "ibm,architecture-vec-5", &len);
    assert_int_equal(len, 2);
    assert_int_equal(p[0] | p[1], 0);
    assert_int_equal(cell(fdt, "/chosen", "ibm,arch-vec-5-platform-support", 0), 0x178018c0);
    assert_int_equal(cell(fdt, "/chosen", "ibm,arch-vec-5-platform-support", 1), 0x19001a40);
    assert_null(fdt_getprop(fdt, node(fdt, "/chosen"), "rng-seed", NULL));
    assert_null(fdt_getprop(fdt, node(fdt, "/chosen"), "linux,initrd-start", NULL));
    assert_null(fdt_getprop(fdt, node(fdt, "/chosen"), "qemu,boot-kernel", NULL));
    free(fdt);

    cfg.bootargs = "";   /* QEMU only sets bootargs for a non-empty -append */
    fdt = build(&cfg, NULL);
    assert_null(fdt_getprop(fdt, node(fdt, "/chosen"), "bootargs", NULL));
    free(fdt);
}

/* Values from QEMU 7.2 with -kernel (memsz 0x10db0, LE) -initrd (100000 bytes). */
static void test_kernel_initrd(void **state)
{
    MachineConfig cfg;
    uint8_t *fdt;
    uint64_t addr, size;
    int len;
    const uint8_t *k;
    fdt64_t kv[2];

    base_config(&cfg);
    cfg.kernel_addr = 0x400000;
    cfg.kernel_size = 0x10db0;
    cfg.kernel_le = true;
    cfg.initrd_start = 0x430000;
    cfg.initrd_end = 0x4486a0;
    fdt = build(&cfg, NULL);
    assert_int_equal(u32prop(fdt, "/chosen", "linux,initrd-start"), 0x430000);
    assert_int_equal(u32prop(fdt, "/chosen", "linux,initrd-end"), 0x4486a0);
    k = prop(fdt, "/chosen", "qemu,boot-kernel", &len);
    assert_int_equal(len, 16);
    memcpy(kv, k, sizeof(kv));   /* properties are only 4-byte aligned */
    assert_int_equal(fdt64_to_cpu(kv[0]), 0x400000);
    assert_int_equal(fdt64_to_cpu(kv[1]), 0x10db0);
    prop(fdt, "/chosen", "qemu,boot-kernel-le", &len);
    assert_int_equal(len, 0);
    assert_int_equal(fdt_num_mem_rsv(fdt), 2);
    assert_int_equal(fdt_get_mem_rsv(fdt, 0, &addr, &size), 0);
    assert_int_equal(addr, 0x400000);
    assert_int_equal(size, 0x10db0);
    assert_int_equal(fdt_get_mem_rsv(fdt, 1, &addr, &size), 0);
    assert_int_equal(addr, 0x430000);
    assert_int_equal(size, 0x186a0);
    free(fdt);

    cfg.kernel_le = false;   /* big-endian kernel: no qemu,boot-kernel-le */
    fdt = build(&cfg, NULL);
    assert_null(fdt_getprop(fdt, node(fdt, "/chosen"), "qemu,boot-kernel-le", NULL));
    free(fdt);
}

static void test_memory(void **state)
{
    MachineConfig cfg;
    uint8_t *fdt;
    int len;
    const fdt32_t *reg;

    base_config(&cfg);
    fdt = build(&cfg, NULL);
    assert_str(fdt, "/memory@0", "device_type", "memory");
    reg = prop(fdt, "/memory@0", "reg", &len);
    assert_int_equal(len, 16);
    assert_int_equal(fdt32_to_cpu(reg[0]), 0);
    assert_int_equal(fdt32_to_cpu(reg[1]), 0);
    assert_int_equal(fdt32_to_cpu(reg[2]), 0);
    assert_int_equal(fdt32_to_cpu(reg[3]), 0x40000000);
    assert_int_equal(cell(fdt, "/memory@0", "ibm,associativity", 0), 4);
    free(fdt);
}

/* QEMU with -m 3G: memory@0 (2 GiB, the RMA) and memory@80000000 (1 GiB), HPT 2^25. */
static void test_memory_split(void **state)
{
    MachineConfig cfg;
    uint8_t *fdt;

    base_config(&cfg);
    cfg.ram_size = 3ull << 30;
    fdt = build(&cfg, NULL);
    assert_int_equal(cell(fdt, "/memory@0", "reg", 3), 0x80000000);
    assert_int_equal(cell(fdt, "/memory@80000000", "reg", 1), 0x80000000);
    assert_int_equal(cell(fdt, "/memory@80000000", "reg", 3), 0x40000000);
    assert_int_equal(cell(fdt, "/cpus/PowerPC,POWER9@0", "ibm,pft-size", 1), 0x19);
    /* as in QEMU's blob: the higher block first */
    assert_true(fdt_path_offset(fdt, "/memory@80000000") < fdt_path_offset(fdt, "/memory@0"));
    free(fdt);
}

static void check_cpu(const void *fdt, const char *path, uint32_t id, uint32_t pvr)
{
    int len;
    const uint8_t *pa;

    assert_str(fdt, path, "device_type", "cpu");
    assert_str(fdt, path, "status", "okay");
    assert_int_equal(u32prop(fdt, path, "reg"), id);
    assert_int_equal(u32prop(fdt, path, "cpu-version"), pvr);
    assert_int_equal(u32prop(fdt, path, "timebase-frequency"), 512000000);
    assert_int_equal(u32prop(fdt, path, "clock-frequency"), 1000000000);
    assert_int_equal(u32prop(fdt, path, "ibm,dec-bits"), 56);
    assert_int_equal(u32prop(fdt, path, "i-cache-line-size"), 0x80);
    assert_int_equal(u32prop(fdt, path, "d-cache-line-size"), 0x80);
    assert_int_equal(u32prop(fdt, path, "d-cache-block-size"), 0x80);
    assert_int_equal(u32prop(fdt, path, "i-cache-size"), 0x8000);
    assert_int_equal(u32prop(fdt, path, "ibm,slb-size"), 32);
    assert_int_equal(u32prop(fdt, path, "ibm,vmx"), 2);
    assert_int_equal(u32prop(fdt, path, "ibm,my-drc-index"), 0x10000000 | id);
    assert_int_equal(u32prop(fdt, path, "ibm,ppc-interrupt-server#s"), id);
    assert_int_equal(cell(fdt, path, "ibm,ppc-interrupt-gserver#s", 0), id);
    assert_int_equal(cell(fdt, path, "ibm,ppc-interrupt-gserver#s", 1), 0);
    assert_int_equal(cell(fdt, path, "ibm,pft-size", 1), 0x17);
    assert_int_equal(cell(fdt, path, "ibm,processor-radix-AP-encodings", 3), 0x4000001e);
    assert_int_equal(cell(fdt, path, "ibm,segment-page-sizes", 6), 0x110);
    assert_int_equal(cell(fdt, path, "ibm,processor-segment-sizes", 1), 0x28);
    prop(fdt, path, "64-bit", &len);
    assert_int_equal(len, 0);
    /* The dump's 17 cells, byte for byte. */
    pa = prop(fdt, path, "ibm,pa-features", &len);
    assert_int_equal(len, 68);
    assert_int_equal(pa[0], 0x42);
    assert_int_equal(pa[2], 0xf6);
    assert_int_equal(pa[36], 0xc0);
    assert_int_equal(pa[64], 0x80);
    assert_int_equal(pa[67], 0x00);
}

static void test_cpus(void **state)
{
    MachineConfig cfg;
    uint8_t *fdt;

    base_config(&cfg);
    fdt = build(&cfg, NULL);
    assert_int_equal(u32prop(fdt, "/cpus", "#address-cells"), 1);
    assert_int_equal(u32prop(fdt, "/cpus", "#size-cells"), 0);
    check_cpu(fdt, "/cpus/PowerPC,POWER9@0", 0, 0x004e1200);
    check_cpu(fdt, "/cpus/PowerPC,POWER9@1", 1, 0x004e1200);
    assert_true(fdt_path_offset(fdt, "/cpus/PowerPC,POWER9@2") < 0);
    assert_int_equal(cell(fdt, "/interrupt-controller", "ibm,interrupt-server-ranges", 0), 0);
    assert_int_equal(cell(fdt, "/interrupt-controller", "ibm,interrupt-server-ranges", 1), 2);
    free(fdt);
}

static void test_power10(void **state)
{
    MachineConfig cfg;
    uint8_t *fdt;

    base_config(&cfg);
    cfg.smp_cpus = 1;
    assert_int_equal(mach_cpu_lookup("power10", &cfg.pvr, &cfg.cpu_model), 0);
    fdt = build(&cfg, NULL);
    check_cpu(fdt, "/cpus/PowerPC,POWER10@0", 0, 0x00800200);
    assert_true(fdt_path_offset(fdt, "/cpus/PowerPC,POWER9@0") < 0);
    free(fdt);
}

/* QEMU's per-core layout for SMT (one node per core, a server# per thread). */
static void test_smt_layout(void **state)
{
    MachineConfig cfg;
    uint8_t *fdt;
    int len;

    base_config(&cfg);
    cfg.smp_cpus = 4;
    cfg.smp_threads = 2;
    fdt = build(&cfg, NULL);
    assert_true(fdt_path_offset(fdt, "/cpus/PowerPC,POWER9@1") < 0);
    assert_int_equal(u32prop(fdt, "/cpus/PowerPC,POWER9@2", "reg"), 2);
    prop(fdt, "/cpus/PowerPC,POWER9@2", "ibm,ppc-interrupt-server#s", &len);
    assert_int_equal(len, 8);
    assert_int_equal(cell(fdt, "/cpus/PowerPC,POWER9@2", "ibm,ppc-interrupt-server#s", 1), 3);
    assert_int_equal(cell(fdt, "/cpus/PowerPC,POWER9@2", "ibm,ppc-interrupt-gserver#s", 2), 3);
    assert_int_equal(cell(fdt, "/rtas", "ibm,lrdr-capacity", 4), 2);   /* cores */
    assert_int_equal(cell(fdt, "/interrupt-controller", "ibm,interrupt-server-ranges", 1), 4);
    free(fdt);
}

static void test_rtas(void **state)
{
    static const struct { const char *name; uint32_t token; } tokens[] = {
        { "display-character", RTAS_TOKEN_DISPLAY_CHARACTER },
        { "get-time-of-day", RTAS_TOKEN_GET_TIME_OF_DAY },
        { "set-time-of-day", RTAS_TOKEN_SET_TIME_OF_DAY },
        { "power-off", RTAS_TOKEN_POWER_OFF },
        { "system-reboot", RTAS_TOKEN_SYSTEM_REBOOT },
        { "query-cpu-stopped-state", RTAS_TOKEN_QUERY_CPU_STOPPED_STATE },
        { "start-cpu", RTAS_TOKEN_START_CPU },
        { "stop-self", RTAS_TOKEN_STOP_SELF },
    };
    MachineConfig cfg;
    uint8_t *fdt;
    int off;

    base_config(&cfg);
    fdt = build(&cfg, NULL);
    assert_int_equal(u32prop(fdt, "/rtas", "power-off"), 0x2003);
    for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
        assert_int_equal(u32prop(fdt, "/rtas", tokens[i].name), tokens[i].token);
    off = node(fdt, "/rtas");
    assert_null(fdt_getprop(fdt, off, "linux,rtas-entry", NULL));
    assert_null(fdt_getprop(fdt, off, "linux,rtas-base", NULL));
    assert_null(fdt_getprop(fdt, off, "nvram-fetch", NULL));
    assert_int_equal(u32prop(fdt, "/rtas", "rtas-size"), 0x83c);   /* QEMU, 2 CPUs */
    assert_int_equal(u32prop(fdt, "/rtas", "rtas-error-log-max"), 0x800);
    assert_int_equal(cell(fdt, "/rtas", "ibm,associativity-reference-points", 1), 4);
    assert_int_equal(cell(fdt, "/rtas", "ibm,max-associativity-domains", 4), 1);
    assert_int_equal(cell(fdt, "/rtas", "ibm,lrdr-capacity", 3), 0x10000000);
    assert_true(stringlist_has(fdt, "/rtas", "ibm,hypertas-functions", "hcall-term"));
    assert_true(stringlist_has(fdt, "/rtas", "ibm,hypertas-functions", "hcall-splpar"));
    assert_true(stringlist_has(fdt, "/rtas", "ibm,hypertas-functions", "hcall-copy"));
    assert_false(stringlist_has(fdt, "/rtas", "ibm,hypertas-functions", "hcall-pft"));
    /* cap-nested-hv (on by default) adds H_RPT_INVALIDATE, as QEMU's cap-rpt-invalidate=on */
    assert_true(stringlist_has(fdt, "/rtas", "ibm,hypertas-functions", "hcall-rpt-invalidate"));
    assert_int_equal(fdt_stringlist_count(fdt, off, "ibm,hypertas-functions"), 9);
    free(fdt);
    cfg.cap_nested_hv = false;
    fdt = build(&cfg, NULL);
    assert_false(stringlist_has(fdt, "/rtas", "ibm,hypertas-functions", "hcall-rpt-invalidate"));
    assert_int_equal(fdt_stringlist_count(fdt, node(fdt, "/rtas"), "ibm,hypertas-functions"), 8);
    free(fdt);
    cfg.cap_nested_hv = true;

    cfg.smp_cpus = 1;   /* QEMU -nodefaults dump: 0x82c */
    fdt = build(&cfg, NULL);
    assert_int_equal(u32prop(fdt, "/rtas", "rtas-size"), 0x82c);
    free(fdt);
}

static void test_devices(void **state)
{
    MachineConfig cfg;
    uint8_t *fdt;

    base_config(&cfg);
    fdt = build(&cfg, NULL);
    assert_str(fdt, "/vdevice", "device_type", "vdevice");
    assert_str(fdt, "/vdevice", "compatible", "IBM,vdevice");
    assert_str(fdt, "/vdevice/vty@71000000", "compatible", "hvterm1");
    assert_str(fdt, "/vdevice/vty@71000000", "device_type", "serial");
    assert_int_equal(u32prop(fdt, "/vdevice/vty@71000000", "reg"), 0x71000000);
    assert_int_equal(cell(fdt, "/vdevice/vty@71000000", "interrupts", 0), 0x1100);
    assert_true(fdt_path_offset(fdt, "/vdevice/nvram@71000001") < 0);
    assert_str(fdt, "/interrupt-controller", "compatible", "IBM,ppc-xicp");
    assert_int_equal(u32prop(fdt, "/interrupt-controller", "phandle"), 0x1111);
    assert_int_equal(fdt_node_offset_by_phandle(fdt, 0x1111), node(fdt, "/interrupt-controller"));
    assert_int_equal(cell(fdt, "/event-sources", "interrupt-ranges", 2), 0x1001);
    assert_int_equal(cell(fdt, "/event-sources/epow-events", "interrupts", 0), 0x1000);
    assert_int_equal(cell(fdt, "/event-sources/hot-plug-events", "interrupts", 0), 0x1001);
    free(fdt);
}

/* Every buffer size short of the tree's: an error, no write past the buffer. */
static void test_small_buffer(void **state)
{
    MachineConfig cfg;
    size_t need, sz = 12345;
    uint8_t *fdt;

    base_config(&cfg);
    fdt = build(&cfg, &need);
    free(fdt);
    for (size_t n = 0; n < need; n += (n < 128 ? 1 : 61)) {
        uint8_t *buf = malloc(n ? n : 1);   /* exact size: ASan catches overruns */
        assert_non_null(buf);
        assert_true(mach_build_fdt(&cfg, buf, n, &sz) < 0);
        free(buf);
    }
    assert_int_equal(sz, 12345);
    fdt = malloc(need);
    assert_int_equal(mach_build_fdt(&cfg, fdt, need, &sz), 0);
    assert_int_equal(sz, need);
    free(fdt);
    assert_int_equal(mach_build_fdt(&cfg, NULL, 1024, &sz), -FDT_ERR_NOSPACE);
}

static void test_bad_config(void **state)
{
    MachineConfig cfg;
    uint8_t buf[4096];
    size_t sz;

    assert_int_equal(mach_build_fdt(NULL, buf, sizeof(buf), &sz), -FDT_ERR_BADVALUE);
    base_config(&cfg);
    cfg.smp_cpus = 0;
    assert_int_equal(mach_build_fdt(&cfg, buf, sizeof(buf), &sz), -FDT_ERR_BADVALUE);
    base_config(&cfg);
    cfg.smp_cpus = 3;
    cfg.smp_threads = 2;
    assert_int_equal(mach_build_fdt(&cfg, buf, sizeof(buf), &sz), -FDT_ERR_BADVALUE);
    base_config(&cfg);
    cfg.cpu_model = NULL;
    assert_int_equal(mach_build_fdt(&cfg, buf, sizeof(buf), &sz), -FDT_ERR_BADVALUE);
    base_config(&cfg);
    cfg.ram_size = 0;
    assert_int_equal(mach_build_fdt(&cfg, buf, sizeof(buf), &sz), -FDT_ERR_BADVALUE);
    base_config(&cfg);
    cfg.cpu_model = "AN-EXTREMELY-LONG-CPU-MODEL-NAME-THAT-DOES-NOT-FIT-IN-A-NODE-NAME";
    assert_true(mach_build_fdt(&cfg, buf, sizeof(buf), &sz) < 0);
}

/* The same configuration always gives the same bytes (no rng-seed). */
static void test_deterministic(void **state)
{
    MachineConfig cfg;
    size_t a_sz, b_sz;
    uint8_t *a, *b;

    base_config(&cfg);
    a = build(&cfg, &a_sz);
    b = build(&cfg, &b_sz);
    assert_int_equal(a_sz, b_sz);
    assert_memory_equal(a, b, a_sz);
    free(a);
    free(b);
}

/* The largest configuration still fits QEMU's 2 MiB FDT area. */
static void test_max_cpus(void **state)
{
    MachineConfig cfg;
    size_t sz;
    uint8_t *buf = malloc(MACH_FDT_MAX_SIZE);

    assert_non_null(buf);
    base_config(&cfg);
    cfg.smp_cpus = MACH_MAX_CPUS;
    assert_int_equal(mach_build_fdt(&cfg, buf, MACH_FDT_MAX_SIZE, &sz), 0);
    assert_true(sz <= MACH_FDT_MAX_SIZE);
    assert_true(fdt_path_offset(buf, "/cpus/PowerPC,POWER9@3ff") >= 0);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root),
        cmocka_unit_test(test_node_order),
        cmocka_unit_test(test_chosen),
        cmocka_unit_test(test_kernel_initrd),
        cmocka_unit_test(test_memory),
        cmocka_unit_test(test_memory_split),
        cmocka_unit_test(test_cpus),
        cmocka_unit_test(test_power10),
        cmocka_unit_test(test_smt_layout),
        cmocka_unit_test(test_rtas),
        cmocka_unit_test(test_devices),
        cmocka_unit_test(test_small_buffer),
        cmocka_unit_test(test_bad_config),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_max_cpus),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
