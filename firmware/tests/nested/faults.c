/* nesthv-test-args: -M pseries,cap-nested-hv=on */
/*
 * faults.c - partition-scoped faults of an L2: those L0 resolves itself
 * (its shadow tree; the L2 never notices) and those it reflects to the L1
 * because the L1's own tree for the L2 does not allow the access:
 *   - no L1 PTE (NOPTE), for data and instruction fetch; the L1 maps the
 *     page and the L2 goes on, as a KVM L1 handles it;
 *   - L1 write-protect (PROTFAULT | ISSTORE), L1 no-execute (HISI 0x10000000);
 *   - R/C clear in the L1's PTE: set by the "hardware" (QEMU 7.2 sets them,
 *     and so does nesthv, consistently with process-scoped R/C; see
 *     docs/conformance.md "Nested v1"), the access completes;
 *   - 4 KiB, 64 KiB and 2 MiB L1 pages;
 *   - the L1 tree broken: a directory outside L1 memory (Linux: PRTABLE_FAULT
 *     with ASDR = the entry's address; QEMU 7.2 reads zeros: NOPTE) and a
 *     directory size POWER9 does not walk (BADCONFIG);
 *   - the L1 maps the L2 page to an address with no memory: a machine check
 *     in the L2 (QEMU 7.2 reads zeros: no machine checks at all).
 */
#include "nhv.h"

#define PAGES 16

static NhvGuest g;

/* Sum of the first doubleword of n pages of size step from addr. */
static unsigned long l2_sum(unsigned long addr)
{
    unsigned long s = 0;
    for (unsigned long i = 0; i < PAGES; i++)
        s += *(volatile unsigned long *)(addr + i * NHV_PAGE);
    return s;
}

static unsigned long l2_load(unsigned long addr)
{
    return *(volatile unsigned long *)addr;
}

static unsigned long l2_store(unsigned long addr)
{
    *(volatile unsigned long *)addr = 0xabcd;
    return *(volatile unsigned long *)addr;
}

static unsigned long l2_call(unsigned long addr)
{
    return ((unsigned long (*)(void))addr)() + 1;
}

static void fill(unsigned long l1ra, unsigned long pages)
{
    for (unsigned long i = 0; i < pages; i++)
        nhv_st64(l1ra + i * NHV_PAGE, i + 1);
}

/* The L1's PTE for gpa (its R and C bits are printed). */
static uint64_t l1_pte(unsigned long gpa)
{
    RadixWalk w;
    radix_walk(&g.tree, gpa, nhv_rd, 0, &w);
    return w.status == RADIX_OK ? w.pte : 0;
}

static const char *rc(uint64_t pte)
{
    static const char *const s[] = { "--", "-C", "R-", "RC" };
    return s[((pte & RADIX_PTE_R) ? 2 : 0) | ((pte & RADIX_PTE_C) ? 1 : 0)];
}

static void invalidate_page(unsigned long gpa)
{
    /* tlbie RIC=0 PRS=0 R=1, IS=0 (one 4 KiB page, AP 0) of lpid 1 */
    TEST_EQ(hcall(H_TLB_INVALIDATE, TLBIE_INSN_R, g.lpid, gpa & TLBIE_RB_EPN), H_SUCCESS);
}

static void test_resolved(void)
{
    static const struct {
        const char *what;
        unsigned shift;
    } sizes[] = { { "4 KiB", 12 }, { "64 KiB", 16 }, { "2 MiB", 21 } };
    test_begin("faults L0 resolves (shadow tree)");
    for (unsigned k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        unsigned long gpa = NHV_L2_DATA + k * 0x400000UL, ra = NHV_DATA + k * 0x400000UL;
        unsigned long size = sizes[k].shift == 21 ? NHV_2M : PAGES * NHV_PAGE;
        fill(ra, PAGES);
        TEST_EQ(nhv_map(&g, gpa, ra, size, sizes[k].shift, NHV_RW), 0);
        nhv_call(&g, l2_sum, gpa);
        printf("%s L1 pages: sum %lu\n", sizes[k].what, nhv_run_done(&g));
    }
}

static void test_nopte(void)
{
    unsigned long gpa = NHV_L2_DATA + 0x1000000UL + 0x28;
    test_begin("no L1 PTE: reflected, the L1 maps it, the L2 goes on");
    nhv_st64(NHV_DATA + 0x1000000UL + 0x28, 0x5151);
    nhv_call(&g, l2_load, gpa);
    long v = nhv_run(&g);
    printf("load: exit 0x%lx hdar=0x%lx hdsisr=0x%lx asdr=0x%lx\n", v, g.hv.hdar, g.hv.hdsisr, g.hv.asdr);
    TEST_EQ(nhv_map(&g, gpa & ~(NHV_PAGE - 1), NHV_DATA + 0x1000000UL, NHV_PAGE, 12, NHV_RW), 0);
    printf("after the L1 maps it: 0x%lx\n", nhv_run_done(&g));

    unsigned long code = NHV_L2_DATA + 0x1100000UL;
    nhv_call(&g, l2_call, code);
    v = nhv_run(&g);
    printf("fetch: exit 0x%lx nip=0x%lx asdr=0x%lx\n", v, g.regs.nip, g.hv.asdr);
    printf("fetch cause (msr): 0x%lx\n", g.regs.msr & 0x783f0000UL);
    /* li 3, 0x77; blr */
    nhv_st64(NHV_DATA + 0x1100000UL, 0x4e80002038600077UL);
    icache_sync(nhv_real(NHV_DATA + 0x1100000UL), 8);
    TEST_EQ(nhv_map(&g, code, NHV_DATA + 0x1100000UL, NHV_PAGE, 12, NHV_RWX), 0);
    printf("after the L1 maps it: 0x%lx\n", nhv_run_done(&g));
}

static void test_protect(void)
{
    unsigned long gpa = NHV_L2_DATA + 0x1200000UL, ra = NHV_DATA + 0x1200000UL;
    test_begin("L1 write-protect and no-execute");
    TEST_EQ(nhv_map(&g, gpa, ra, NHV_PAGE, 12, RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ), 0);
    nhv_call(&g, l2_load, gpa);
    printf("load from a read-only page: 0x%lx\n", nhv_run_done(&g));
    nhv_call(&g, l2_store, gpa + 8);
    long v = nhv_run(&g);
    printf("store: exit 0x%lx hdar=0x%lx hdsisr=0x%lx asdr=0x%lx\n", v, g.hv.hdar, g.hv.hdsisr, g.hv.asdr);
    TEST_EQ(radix_protect(&nhv_mem, &g.tree, gpa, NHV_PAGE, 0, RADIX_PTE_EAA_RW), 0);
    invalidate_page(gpa);
    printf("after the L1 allows writes: 0x%lx\n", nhv_run_done(&g));

    nhv_call(&g, l2_call, gpa);
    v = nhv_run(&g);
    printf("execute from a no-execute page: exit 0x%lx nip=0x%lx asdr=0x%lx\n", v, g.regs.nip, g.hv.asdr);
    printf("execute cause (msr): 0x%lx\n", g.regs.msr & 0x783f0000UL);
}

static void test_rc(void)
{
    unsigned long gpa = NHV_L2_DATA + 0x1300000UL, ra = NHV_DATA + 0x1300000UL;
    test_begin("R/C clear in the L1 PTE");
    nhv_st64(ra, 0x77);
    TEST_EQ(nhv_map(&g, gpa, ra, NHV_PAGE, 12, RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW | RADIX_PTE_EAA_EXEC), 0);
    printf("mapped: %s\n", rc(l1_pte(gpa)));
    nhv_call(&g, l2_load, gpa);
    printf("load: 0x%lx, then %s\n", nhv_run_done(&g), rc(l1_pte(gpa)));
    nhv_call(&g, l2_store, gpa + 8);
    printf("store: 0x%lx, then %s\n", nhv_run_done(&g), rc(l1_pte(gpa)));

    unsigned long code = NHV_L2_DATA + 0x1400000UL;
    nhv_st64(NHV_DATA + 0x1400000UL, 0x4e80002038600066UL); /* li 3, 0x66; blr */
    icache_sync(nhv_real(NHV_DATA + 0x1400000UL), 8);
    TEST_EQ(nhv_map(&g, code, NHV_DATA + 0x1400000UL, NHV_PAGE, 12, RADIX_PTE_EAA_READ | RADIX_PTE_EAA_EXEC), 0);
    nhv_call(&g, l2_call, code);
    printf("fetch: 0x%lx, then %s\n", nhv_run_done(&g), rc(l1_pte(code)));
}

/* The level-1 directory entry (1 GiB span) for gpa in the L1's tree. */
static unsigned long l1_dir_entry(unsigned long gpa)
{
    uint64_t root;
    nhv_rd(0, g.tree.base + 8 * (gpa >> 39), &root);
    return (root & RADIX_PDE_NLB) + 8 * ((gpa >> 30) & 511);
}

static void test_broken_tree(void)
{
    unsigned long gpa = NHV_L2_DATA + 0x40000000UL; /* a 1 GiB region of its own */
    uint64_t e;
    test_begin("the L1's tree broken");
    TEST_EQ(nhv_map(&g, gpa, NHV_DATA, NHV_PAGE, 12, NHV_RW), 0);
    unsigned long pde = l1_dir_entry(gpa);
    nhv_rd(0, pde, &e);
    nhv_wr(0, pde, (e & ~RADIX_PDE_NLB) | 0x80000000UL); /* next level outside L1 memory */
    nhv_call(&g, l2_load, gpa + 0x10);
    long v = nhv_run(&g);
    printf("directory outside L1 memory: exit 0x%lx hdar=0x%lx hdsisr=0x%lx asdr=0x%lx\n", v, g.hv.hdar,
           g.hv.hdsisr, g.hv.asdr);
    nhv_wr(0, pde, (e & ~RADIX_PDE_NLS) | 3);            /* 3 index bits: no POWER9 shape */
    TEST_EQ(hcall(H_TLB_INVALIDATE, TLBIE_INSN_R | 2 << TLBIE_INSN_RIC_SHIFT, g.lpid,
                  (unsigned long)TLBIE_IS_LPID << TLBIE_RB_IS_SHIFT), H_SUCCESS);
    v = nhv_run(&g);
    printf("directory of 3 index bits: exit 0x%lx hdar=0x%lx hdsisr=0x%lx asdr=0x%lx\n", v, g.hv.hdar,
           g.hv.hdsisr, g.hv.asdr);
    nhv_wr(0, pde, e);
    TEST_EQ(hcall(H_TLB_INVALIDATE, TLBIE_INSN_R | 2 << TLBIE_INSN_RIC_SHIFT, g.lpid,
                  (unsigned long)TLBIE_IS_LPID << TLBIE_RB_IS_SHIFT), H_SUCCESS);
    printf("repaired: 0x%lx\n", nhv_run_done(&g));
}

static void test_no_memory(void)
{
    unsigned long gpa = NHV_L2_DATA + 0x1500000UL;
    test_begin("the L1 maps the L2 page to no memory");
    TEST_EQ(nhv_map(&g, gpa, 0x80000000UL, NHV_PAGE, 12, NHV_RW), 0); /* beyond the L1's 1 GiB */
    nhv_call(&g, l2_load, gpa);
    long v = nhv_run(&g);
    if (v == EXCP_SYSCALL && nhv_hc(&g) == NHV_HC_DONE)
        printf("load: 0x%lx\n", g.regs.gpr[4]);
    else
        printf("load: exit 0x%lx r3=0x%lx srr0 at the load: %d\n", v, g.regs.gpr[3],
               g.regs.gpr[4] >= (unsigned long)l2_load && g.regs.gpr[4] < (unsigned long)l2_load + 16);
}

int main(void)
{
    nhv_init(0);
    nhv_guest_init(&g, 1, NULL);
    test_resolved();
    test_nopte();
    test_protect();
    test_rc();
    test_broken_tree();
    test_no_memory();
    return test_report();
}
