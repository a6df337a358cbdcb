/*
 * test_boot.c - boot placement (FDT, initrd, -bios) and configuration checks,
 * against the values QEMU 7.2's pseries machine was observed to use.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "machine/machine.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static char err[256];

static void assert_msg(const char *want)
{
    if (!strstr(err, want))
        fail_msg("message \"%s\" lacks \"%s\"", err, want);
}

/* r3 at entry printed by a -bios program under QEMU 7.2 for each -m. */
static void test_fdt_address(void **state)
{
    static const struct { uint64_t ram, fdt; } seen[] = {
        { 256 * MiB, 0x0fe00000 }, { 512 * MiB, 0x1fe00000 }, { 768 * MiB, 0x1fe00000 },
        { 1 * GiB, 0x3fe00000 },   { 1280 * MiB, 0x3fe00000 }, { 2 * GiB, 0x7fe00000 },
        { 3 * GiB, 0x7fe00000 },   { 4 * GiB, 0x7fe00000 },    { 6 * GiB, 0x7fe00000 },
    };

    for (size_t i = 0; i < sizeof(seen) / sizeof(seen[0]); i++)
        assert_int_equal(mach_fdt_address(seen[i].ram), seen[i].fdt);
    assert_int_equal(mach_rma_size(768 * MiB), 512 * MiB);
    assert_int_equal(mach_rma_size(3 * GiB), 2 * GiB);
    assert_int_equal(mach_fdt_address(0), 0);
    assert_int_equal(mach_fdt_address(2 * MiB), 0);
}

/* QEMU: kernel memsz 0x10db0 -> initrd at 0x430000; 0x4000 -> 0x420000; 0x1000 -> 0x420000. */
static void test_initrd_address(void **state)
{
    assert_int_equal(mach_initrd_address(0x400000, 0x10db0), 0x430000);
    assert_int_equal(mach_initrd_address(0x400000, 0x4000), 0x420000);
    assert_int_equal(mach_initrd_address(0x400000, 0x1000), 0x420000);
    assert_int_equal(mach_initrd_address(0x400000, 0x10000), 0x420000);
    assert_int_equal(mach_initrd_address(0x400000, 0x10001), 0x430000);
    assert_int_equal(mach_initrd_address(0x400000, UINT64_MAX), UINT64_MAX);
}

/* ibm,pft-size: 0x17 at 1 GiB, 0x19 at 3 and 4 GiB (QEMU dumps). */
static void test_hpt_shift(void **state)
{
    assert_int_equal(mach_hpt_shift(1 * GiB), 0x17);
    assert_int_equal(mach_hpt_shift(3 * GiB), 0x19);
    assert_int_equal(mach_hpt_shift(4 * GiB), 0x19);
    assert_int_equal(mach_hpt_shift(256 * MiB), 21);
    assert_int_equal(mach_hpt_shift(1 * MiB), 18);
    assert_int_equal(mach_hpt_shift(0), 18);
}

static void test_load_bios(void **state)
{
    uint64_t ram_size = 256 * MiB;
    uint8_t *ram = calloc(1, ram_size);
    uint8_t *img = calloc(1, MACH_BIOS_MAX_SIZE + 1);

    assert_non_null(ram);
    assert_non_null(img);
    img[0x100] = 0x48;
    assert_int_equal(mach_load_bios(img, MACH_BIOS_MAX_SIZE, ram, ram_size, err, sizeof(err)), 0);
    assert_int_equal(ram[0x100], 0x48);
    assert_int_equal(mach_load_bios(img, MACH_BIOS_MAX_SIZE + 1, ram, ram_size, err, sizeof(err)),
                     MACH_LOAD_NO_FIT);
    assert_msg("at most 0x400000 bytes");
    free(img);
    free(ram);
}

static MachElfInfo kernel_info(uint64_t size, uint64_t second_start, uint64_t second_size)
{
    MachElfInfo k;

    memset(&k, 0, sizeof(k));
    k.kernel_size = size;
    k.nranges = 1;
    k.ranges[0] = (MachElfRange){ 0x400000, 0x400000 + size - second_size };
    if (second_size) {
        k.nranges = 2;
        k.ranges[1] = (MachElfRange){ second_start, second_start + second_size };
    }
    return k;
}

static void test_load_initrd(void **state)
{
    uint64_t ram_size = 256 * MiB, start = 0, end = 0;
    uint8_t *ram = calloc(1, ram_size);
    uint8_t *img = calloc(1, 100000);
    uint8_t *big = calloc(1, MiB + 1);
    MachElfInfo k;

    assert_non_null(ram);
    assert_non_null(img);
    assert_non_null(big);
    img[0] = 0x1f;
    k = kernel_info(0x10db0, 0, 0);   /* the spike's prog.elf under QEMU */
    assert_int_equal(mach_load_initrd(img, 100000, ram, ram_size, &k, &start, &end, err,
                                      sizeof(err)), 0);
    assert_int_equal(start, 0x430000);
    assert_int_equal(end, 0x4486a0);
    assert_int_equal(ram[0x430000], 0x1f);

    /* must end at or below the FDT (0x0fe00000 with 256 MiB), QEMU's load limit:
     * a kernel of 0xf8f0000 bytes puts the initrd at 0xfd00000, 1 MiB below. */
    k = kernel_info(0xf8f0000, 0, 0);
    assert_int_equal(mach_initrd_address(0x400000, 0xf8f0000), 0xfd00000);
    assert_int_equal(mach_load_initrd(big, MiB, ram, ram_size, &k, &start, &end, err,
                                      sizeof(err)), 0);
    assert_int_equal(end, 0xfe00000);
    assert_int_equal(mach_load_initrd(big, MiB + 1, ram, ram_size, &k, &start, &end, err,
                                      sizeof(err)), MACH_LOAD_NO_FIT);
    assert_msg("does not fit below the device tree at 0xfe00000");
    k = kernel_info(UINT64_MAX - 0x400000, 0, 0);
    assert_int_equal(mach_load_initrd(img, 100000, ram, ram_size, &k, &start, &end, err,
                                      sizeof(err)), MACH_LOAD_NO_FIT);

    /* sparse kernels (memsz 0x1000 + 0x3000): QEMU's two.elf case, second
     * segment at 0x500000, loads; with it at 0x430000 the initrd would land on it. */
    k = kernel_info(0x4000, 0x500000, 0x3000);
    assert_int_equal(mach_load_initrd(img, 100000, ram, ram_size, &k, &start, &end, err,
                                      sizeof(err)), 0);
    assert_int_equal(start, 0x420000);
    k = kernel_info(0x4000, 0x430000, 0x3000);
    assert_int_equal(mach_load_initrd(img, 100000, ram, ram_size, &k, &start, &end, err,
                                      sizeof(err)), MACH_LOAD_NO_FIT);
    assert_msg("overlaps a kernel segment");

    assert_int_equal(mach_load_initrd(img, 100000, ram, ram_size, NULL, &start, &end, err,
                                      sizeof(err)), MACH_LOAD_BAD_ARG);
    assert_msg("-initrd only allowed with -kernel option");
    free(big);
    free(img);
    free(ram);
}

static void test_config(void **state)
{
    MachineConfig cfg;
    uint32_t pvr;
    const char *model;

    mach_config_init(&cfg);
    assert_int_equal(cfg.ram_size, 1 * GiB);
    assert_int_equal(cfg.pvr, 0x004e1200);
    assert_string_equal(cfg.cpu_model, "POWER9");
    assert_int_equal(cfg.timebase_freq, 512000000);
    assert_int_equal(mach_config_check(&cfg, err, sizeof(err)), 0);

    cfg.ram_size = 128 * MiB;   /* QEMU: "Memory size 0x8000000 is not aligned to 256 MiB" */
    assert_int_equal(mach_config_check(&cfg, err, sizeof(err)), -1);
    assert_string_equal(err, "Memory size 0x8000000 is not aligned to 256 MiB: use a multiple of 256M, e.g. -m 1G");
    mach_config_init(&cfg);
    cfg.smp_threads = 4;   /* SMT as QEMU 8.1+ allows it under TCG (7.2 refuses any) */
    cfg.smp_cpus = 8;
    assert_int_equal(mach_config_check(&cfg, err, sizeof(err)), 0);
    cfg.smp_threads = 16;
    cfg.smp_cpus = 16;
    assert_int_equal(mach_config_check(&cfg, err, sizeof(err)), -1);
    assert_msg("TCG cannot support more than 8 threads/core");
    cfg.smp_threads = 3;
    cfg.smp_cpus = 6;
    assert_int_equal(mach_config_check(&cfg, err, sizeof(err)), -1);
    assert_msg("must be a power of 2");
    cfg.smp_threads = 2;
    cfg.smp_cpus = 3;
    assert_int_equal(mach_config_check(&cfg, err, sizeof(err)), -1);
    assert_msg("Invalid CPU topology");
    mach_config_init(&cfg);
    cfg.smp_cpus = 0;
    assert_int_equal(mach_config_check(&cfg, err, sizeof(err)), -1);
    mach_config_init(&cfg);
    cfg.cap_nested_hv = cfg.cap_nested_papr = true; /* both APIs at once: allowed, unlike QEMU */
    assert_int_equal(mach_config_check(&cfg, err, sizeof(err)), 0);
    mach_config_init(&cfg);
    cfg.initrd_start = 0x500000;
    cfg.initrd_end = 0x400000;
    assert_int_equal(mach_config_check(&cfg, err, sizeof(err)), -1);
    assert_int_equal(mach_config_check(NULL, NULL, 0), -1);

    assert_int_equal(mach_cpu_lookup("POWER10", &pvr, &model), 0);
    assert_int_equal(pvr, 0x00800200);
    assert_string_equal(model, "POWER10");
    assert_int_equal(mach_cpu_lookup("power9_v2.0", &pvr, &model), 0);
    assert_int_equal(pvr, 0x004e1200);
    assert_int_equal(mach_cpu_lookup("power8", &pvr, &model), -1);
    assert_int_equal(mach_cpu_lookup(NULL, &pvr, &model), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fdt_address),
        cmocka_unit_test(test_initrd_address),
        cmocka_unit_test(test_hpt_shift),
        cmocka_unit_test(test_load_bios),
        cmocka_unit_test(test_load_initrd),
        cmocka_unit_test(test_config),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
