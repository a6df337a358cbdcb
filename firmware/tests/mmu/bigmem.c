/* nesthv-test-args: -m 16G */
/*
 * bigmem.c - a large partition used sparsely.  On nesthv every first touch
 * of a region is an L0 demand fault (an HDSI/HISI the guest never sees),
 * and untouched memory costs the host nothing; the guest must see plain
 * RAM: the device tree's size, stores and loads spread over all of it in
 * real mode, untouched memory reading zero, an access crossing into an
 * untouched gigabyte, and translated loads, stores and instruction fetch
 * at high guest real addresses through 4 KiB, 2 MiB and 1 GiB pages.
 * 16 GiB: QEMU 7.2 (the oracle) must reserve all of it on the test host;
 * the 64 GiB cost check is a host unit test (tests/unit/hv/test_partition.c).
 */
#include "env.h"

#define GIB        (1UL << 30)
#define RAM_EXPECT (16 * GIB)
#define EA4K       0x20000000UL
#define EA2M       0x20200000UL
#define EA1G       0x40000000UL
#define STUB_EA    0x30000000UL
#define RA4K       (9 * GIB + 0x5000)
#define RA2M       (10 * GIB)
#define RA1G       (13 * GIB)
#define CROSS      (6 * GIB - 4)           /* an 8-byte store from 5G into 6G */
#define UNTOUCHED  (12 * GIB + 0x1230)

static const unsigned long spots[] = {
    1 * GIB, 4 * GIB + 0x1000, 8 * GIB - 8, 11 * GIB + 0x7b008, 15 * GIB + 0x3ff000, RAM_EXPECT - 8,
};

/* Sum of the sizes of the /memory nodes (two address cells, two size cells). */
static unsigned long fdt_ram(void)
{
    const void *fdt = fw_fdt();
    int root = fdt_root(fdt), node = fdt_child_by_type(fdt, root, "memory");
    unsigned long total = 0;
    while (node >= 0) {
        int len = 0;
        const uint8_t *reg = fdt_prop(fdt, node, "reg", &len);
        for (int i = 0; reg && i + 16 <= len; i += 16)
            total += fdt_be64(reg + i + 8);
        node = fdt_next_child_by_type(fdt, root, node, "memory");
    }
    return total;
}

static volatile uint64_t *at(unsigned long ra)
{
    return env_real(ra);
}

static void test_real_mode(void)
{
    size_t n = sizeof(spots) / sizeof(spots[0]);
    int ok = 1;
    test_begin("real mode over 16 GiB");
    TEST_EQ(fdt_ram(), RAM_EXPECT);
    for (size_t i = 0; i < n; i++)
        *at(spots[i]) = env_pattern(spots[i]);
    for (size_t i = 0; i < n; i++)
        ok &= *at(spots[i]) == env_pattern(spots[i]);
    TEST_ASSERT(ok);
    printf("%lu doublewords from 1 GiB to the last one: %s\n", (unsigned long)n, ok ? "ok" : "WRONG");
    TEST_EQ(*at(UNTOUCHED), 0);
    /* An unaligned store crossing into a gigabyte nothing touched yet. */
    *(volatile uint64_t *)env_real(CROSS) = 0x1122334455667788UL;
    TEST_EQ(*(volatile uint32_t *)env_real(CROSS), 0x55667788);
    TEST_EQ(*(volatile uint32_t *)env_real(CROSS + 4), 0x11223344);
    printf("store across 6 GiB: 0x%lx\n", *(volatile uint64_t *)env_real(CROSS));
}

static void test_translated(void)
{
    RadixRoot t = env_tree();
    test_begin("translated, high guest real addresses");
    env_map(&t, EA4K, RA4K, ENV_PAGE, 12, ENV_RW);
    env_map(&t, EA2M, RA2M, 1UL << 21, 21, ENV_RW);
    env_map(&t, EA1G, RA1G, GIB, 30, ENV_RWX);
    env_map(&t, STUB_EA, (unsigned long)env_stub_page, ENV_PAGE, 12, ENV_RWX);
    env_set_pid(0, &t);
    TEST_EQ(env_register(PROC_TABLE_GTSE), H_SUCCESS);
    env_std(EA4K + 8, 0xA4A4A4A4UL, 0);
    ENV_OK("std 4K page at 9 GiB", EA4K + 8);
    TEST_EQ(*at(RA4K + 8), 0xA4A4A4A4UL);
    *at(RA2M + 0x1ff000) = 0x2222222222UL;
    env_ld(EA2M + 0x1ff000, 0);
    ENV_OK("ld 2M page at 10 GiB", 0x2222222222UL);
    env_ld(EA2M + 0x1000, 0);
    ENV_OK("ld untouched 2M page", 0);
    env_put_target(RA1G + 0x10000);
    env_exec(STUB_EA, EA1G + 0x10000, 0);
    ENV_OK("exec 1G page at 13 GiB", 0x55);
}

int main(void)
{
    env_init();
    test_real_mode();
    test_translated();
    return test_report();
}
