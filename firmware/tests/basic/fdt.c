/*
 * fdt.c - libfw's device tree reader on the tree the machine passed in r3
 * (QEMU pseries conventions, -m 1G), then on corrupted copies of it: every
 * lookup must fail cleanly and every walk must terminate.
 */
#include "fw.h"

#define GIB            (1024ul * 1024ul * 1024ul)
#define TB_HZ          512000000u
#define COPY_MAX       0x10000          /* the QEMU tree is ~14 KiB */
#define FUZZ_ROUNDS    200
#define WALK_DEPTH_MAX 16
#define HDR_TOTALSIZE  4                /* header field offsets */
#define HDR_OFF_STRUCT 8
#define HDR_SIZE_STRUCT 36

static uint8_t copy[COPY_MAX] __attribute__((aligned(8)));

static void test_root(const void *fdt)
{
    int root = fdt_root(fdt);
    uint32_t v;

    test_begin("fdt root");
    TEST_ASSERT(fdt != NULL);
    TEST_EQ(fdt_valid(fdt), 0);
    TEST_EQ(root, fdt_node_by_path(fdt, "/"));
    TEST_STREQ(fdt_node_name(fdt, root), "");
    TEST_STREQ(fdt_prop_str(fdt, root, "compatible"), "qemu,pseries");
    TEST_EQ(fdt_prop_has_string(fdt, root, "compatible", "qemu,pseries"), 1);
    TEST_EQ(fdt_prop_has_string(fdt, root, "compatible", "qemu"), 0);
    TEST_EQ(fdt_prop_u32(fdt, root, "#address-cells", &v), 0);
    TEST_EQ(v, 2);
    TEST_EQ(fdt_address_cells(fdt, root), 2);
    TEST_EQ(fdt_size_cells(fdt, root), 2);
    TEST_EQ(fdt_parent(fdt, root), FDT_ERR);
    TEST_ASSERT(fdt_node_by_path(fdt, "/hypervisor") < 0);   /* not KVM */
    TEST_EQ(fdt_boot_cpuid(fdt), 0);
}

static void test_memory(const void *fdt)
{
    int mem = fdt_node_by_path(fdt, "/memory@0");
    uint64_t base = 1, size = 0;

    test_begin("fdt memory");
    TEST_ASSERT(mem >= 0);
    TEST_EQ(fdt_node_by_path(fdt, "/memory"), mem);     /* unit address optional */
    TEST_STREQ(fdt_prop_str(fdt, mem, "device_type"), "memory");
    TEST_EQ(fdt_reg(fdt, mem, 0, &base, &size), 0);
    TEST_EQ(base, 0);
    TEST_EQ(size, GIB);
    TEST_EQ(fdt_reg(fdt, mem, 1, &base, &size), FDT_ERR);
}

static void test_cpus(const void *fdt)
{
    int cpus = fdt_node_by_path(fdt, "/cpus");
    int cpu = fdt_child_by_type(fdt, cpus, "cpu");
    uint32_t v = 0;
    uint64_t v64 = 0;
    int len = -1;

    test_begin("fdt cpus");
    TEST_ASSERT(cpus >= 0);
    TEST_ASSERT(cpu >= 0);
    TEST_STREQ(fdt_node_name(fdt, cpu), "PowerPC,POWER9@0");
    TEST_EQ(fdt_node_by_path(fdt, "/cpus/PowerPC,POWER9@0"), cpu);
    TEST_EQ(fdt_node_by_path(fdt, "//cpus//PowerPC,POWER9/"), cpu);
    TEST_EQ(fdt_child_by_name(fdt, cpus, "PowerPC,POWER9@0"), cpu);
    TEST_EQ(fdt_parent(fdt, cpu), cpus);
    TEST_EQ(fdt_prop_u32(fdt, cpu, "timebase-frequency", &v), 0);
    TEST_EQ(v, TB_HZ);
    TEST_EQ(fdt_prop_u64(fdt, cpu, "timebase-frequency", &v64), 0);
    TEST_EQ(v64, TB_HZ);
    TEST_EQ(fdt_prop_u32(fdt, cpu, "reg", &v), 0);
    TEST_EQ(v, 0);
    TEST_EQ(fdt_prop_u32(fdt, cpu, "ibm,dec-bits", &v), 0);
    TEST_EQ(v, 56);
    TEST_ASSERT(fdt_prop(fdt, cpu, "64-bit", &len) != NULL);
    TEST_EQ(len, 0);
    TEST_EQ(fdt_next_child_by_type(fdt, cpus, cpu, "cpu"), FDT_ERR);   /* -smp 1 */
}

static void test_misses(const void *fdt)
{
    int root = fdt_root(fdt);
    uint32_t v = 0x55;

    test_begin("fdt lookups that fail");
    TEST_EQ(fdt_node_by_path(fdt, "/nonexistent"), FDT_ERR);
    TEST_EQ(fdt_node_by_path(fdt, "/cpus/PowerPC,POWER9@1"), FDT_ERR);
    TEST_EQ(fdt_node_by_path(fdt, "/cpus/PowerPC"), FDT_ERR);
    TEST_EQ(fdt_node_by_path(fdt, "cpus"), FDT_ERR);
    TEST_EQ(fdt_node_by_path(fdt, "/memory@1"), FDT_ERR);
    TEST_ASSERT(fdt_prop(fdt, root, "no-such-property", NULL) == NULL);
    TEST_EQ(fdt_prop_u32(fdt, root, "no-such-property", &v), FDT_ERR);
    TEST_EQ(v, 0x55);
    TEST_ASSERT(fdt_prop_str(fdt, root, "#address-cells") == NULL);   /* not a string */
    TEST_EQ(fdt_prop_cell(fdt, root, "#address-cells", 1, &v), FDT_ERR);
    TEST_ASSERT(fdt_node_name(fdt, root + 4) == NULL);
    TEST_EQ(fdt_first_child(fdt, -1), FDT_ERR);
    TEST_EQ(fdt_valid(NULL), FDT_ERR);
}

static void test_rtas_node(const void *fdt)
{
    int rtas = fdt_node_by_path(fdt, "/rtas");
    uint32_t tok = 0;

    test_begin("fdt rtas and chosen");
    TEST_EQ(fdt_prop_u32(fdt, rtas, "power-off", &tok), 0);
    TEST_EQ(tok, RTAS_TOKEN_POWER_OFF);
    TEST_ASSERT(fdt_node_by_path(fdt, "/chosen") >= 0);
}

/* Visit every node and property below node; returns the node count. */
static int walk(const void *fdt, int node, int depth)
{
    int n = 1, child;

    if (depth > WALK_DEPTH_MAX)
        return n;
    (void)fdt_prop_str(fdt, node, "device_type");
    (void)fdt_node_name(fdt, node);
    fdt_for_each_child(fdt, node, child)
        n += walk(fdt, child, depth + 1);
    return n;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static void test_corrupt(const void *fdt)
{
    uint32_t size = fdt_totalsize(fdt), st, seed = 1;
    int nodes, i;

    test_begin("fdt corrupted copies");
    if (!TEST_ASSERT(size <= COPY_MAX))
        return;
    memcpy(copy, fdt, size);
    nodes = walk(copy, fdt_root(copy), 0);
    TEST_ASSERT(nodes > 10);

    copy[0] ^= 1;                                               /* magic */
    TEST_EQ(fdt_root(copy), FDT_ERR);
    copy[0] ^= 1;
    put_be32(copy + HDR_TOTALSIZE, 16);                         /* too small */
    TEST_EQ(fdt_valid(copy), FDT_ERR);
    put_be32(copy + HDR_TOTALSIZE, size);
    put_be32(copy + HDR_SIZE_STRUCT, 64);                       /* truncated */
    TEST_EQ(fdt_valid(copy), 0);
    TEST_EQ(fdt_node_by_path(copy, "/cpus"), FDT_ERR);
    TEST_ASSERT(walk(copy, fdt_root(copy), 0) >= 1);

    /* Random byte damage in the structure block: walks must terminate. */
    st = fdt_be32(copy + HDR_OFF_STRUCT);
    for (i = 0; i < FUZZ_ROUNDS; i++) {
        memcpy(copy, fdt, size);
        seed = seed * 1103515245u + 12345u;
        copy[st + (seed >> 8) % (size - st)] ^= (uint8_t)(seed >> 24 | 1);
        (void)walk(copy, fdt_root(copy), 0);
        (void)fdt_node_by_path(copy, "/cpus/PowerPC,POWER9@0");
    }
    TEST_ASSERT(i == FUZZ_ROUNDS);
}

int main(void)
{
    const void *fdt = fw_fdt();

    test_root(fdt);
    if (!fdt)
        return test_report();
    test_memory(fdt);
    test_cpus(fdt);
    test_misses(fdt);
    test_rtas_node(fdt);
    test_corrupt(fdt);
    return test_report();
}
