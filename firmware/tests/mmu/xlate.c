/*
 * xlate.c - radix translation with relocation on, for a pseries guest
 * that builds its own trees (Power ISA v3.0B Book III 6.7):
 *
 *   - every page size (4K, 64K, 2M, 1G) maps, translates loads, stores and
 *     instruction fetch, for supervisor and problem state;
 *   - quadrant 3 always uses PID 0 (the kernel), quadrant 0 uses PIDR: two
 *     processes map the same EA to different memory, and switching PIDR
 *     switches the translation with no invalidation;
 *   - map / unmap / protect of one page, followed by tlbie of that page
 *     with its size (AP), is seen at once; unmapping part of a large page
 *     (the builder splits it) keeps the rest translating the same.
 * Code runs from the stub page through the kernel's quadrant-3 mapping, so
 * it translates whatever PIDR is.
 */
#include "env.h"

#define KBASE      ENV_Q3                  /* kernel: all of RAM at 0xC000000000000000 */
#define EA4K       0x10000000UL
#define EA64K      0x10200000UL
#define EA2M       0x10400000UL
#define EA1G       0x40000000UL
#define RA4K_1     (ENV_DATA + 0x000000)   /* process 1's 4K pages */
#define RA4K_2     (ENV_DATA + 0x100000)   /* process 2's 4K pages */
#define RA64K      (ENV_DATA + 0x200000)
#define RA2M       (ENV_DATA + 0x400000)
#define RA1G       0x0UL                   /* the 1G page is guest real 0 .. 1G */
#define N4K        4
#define N64K       4
#define N2M        2
#define USER_RW    ENV_RW
#define USER_RWX   ENV_RWX
#define KERNEL_RWX (ENV_RWX | RADIX_PTE_EAA_PRIV)

static unsigned long kstub;                /* the stub page through the kernel mapping */
static RadixRoot tk, t1, t2;

static void check_ld(const char *what, unsigned long ea, unsigned long ra)
{
    env_run(env_stub_at(kstub, env_stub_ld), MSR_IR | MSR_DR, ea, 0);
    ENV_OK(what, env_pattern(ra));
}

static void build(void)
{
    tk = env_tree();
    t1 = env_tree();
    t2 = env_tree();
    env_fill(ENV_DATA, 0x800000);
    env_map(&tk, KBASE, 0, 0x40000000UL, 30, KERNEL_RWX);
    /* process 1 */
    for (unsigned i = 0; i < N4K; i++) /* pages in reverse order */
        env_map(&t1, EA4K + i * ENV_PAGE, RA4K_1 + (N4K - 1 - i) * ENV_PAGE, ENV_PAGE, 12, USER_RW);
    env_map(&t1, EA64K, RA64K, N64K * 0x10000UL, 16, USER_RWX);
    env_map(&t1, EA2M, RA2M, N2M * 0x200000UL, 21, USER_RWX);
    env_map(&t1, EA1G, RA1G, 0x40000000UL, 30, USER_RWX);
    /* process 2: the same 4K EAs, elsewhere */
    env_map(&t2, EA4K, RA4K_2, N4K * ENV_PAGE, 12, USER_RW);
    env_set_pid(0, &tk);
    env_set_pid(1, &t1);
    env_set_pid(2, &t2);
    if (env_register(PROC_TABLE_GTSE) != H_SUCCESS)
        printf("register failed\n");
    mtspr(SPR_PIDR, 1);
}

static void page_sizes(void)
{
    test_begin("page sizes");
    for (unsigned i = 0; i < N4K; i++)
        check_ld("4K", EA4K + i * ENV_PAGE + 8 * i, RA4K_1 + (N4K - 1 - i) * ENV_PAGE + 8 * i);
    for (unsigned i = 0; i < N64K; i++) {
        check_ld("64K first", EA64K + i * 0x10000UL, RA64K + i * 0x10000UL);
        check_ld("64K last", EA64K + i * 0x10000UL + 0xFFF8, RA64K + i * 0x10000UL + 0xFFF8);
    }
    for (unsigned i = 0; i < N2M; i++) {
        check_ld("2M first", EA2M + i * 0x200000UL, RA2M + i * 0x200000UL);
        check_ld("2M middle", EA2M + i * 0x200000UL + 0x12348, RA2M + i * 0x200000UL + 0x12348);
        check_ld("2M last", EA2M + i * 0x200000UL + 0x1FFFF8, RA2M + i * 0x200000UL + 0x1FFFF8);
    }
    check_ld("1G", EA1G + ENV_DATA + 0x500008, ENV_DATA + 0x500008);
    check_ld("1G kernel", KBASE + ENV_DATA + 0x700010, ENV_DATA + 0x700010);
    /* stores land in the right place */
    env_run(env_stub_at(kstub, env_stub_std), MSR_IR | MSR_DR, EA64K + 0x10008, 0x6464);
    ENV_OK("std 64K", EA64K + 0x10008);
    TEST_EQ(*(volatile uint64_t *)env_real(RA64K + 0x10008), 0x6464);
    env_run(env_stub_at(kstub, env_stub_std), MSR_IR | MSR_DR, EA2M + 0x200010, 0x2020);
    ENV_OK("std 2M", EA2M + 0x200010);
    TEST_EQ(*(volatile uint64_t *)env_real(RA2M + 0x200010), 0x2020);
    /* instruction fetch from each size */
    env_put_target(RA64K + 0x20000);
    env_put_target(RA2M + 0x300000);
    env_put_target(ENV_DATA + 0x600000);
    env_exec(kstub, EA64K + 0x20000, 0);
    ENV_OK("exec 64K", 0x55);
    env_exec(kstub, EA2M + 0x300000, 0);
    ENV_OK("exec 2M", 0x55);
    env_exec(kstub, EA1G + ENV_DATA + 0x600000, 0);
    ENV_OK("exec 1G", 0x55);
    env_exec(kstub, KBASE + ENV_DATA + 0x600000, 0);
    ENV_OK("exec 1G kernel", 0x55);
}

static void problem_state(void)
{
    RadixRoot *t = &t1;
    test_begin("problem state");
    /* user code: the stub page mapped for process 1, non-privileged */
    env_map(t, 0x30000000UL, (unsigned long)env_stub_page, ENV_PAGE, 12, RADIX_PTE_R | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_EXEC);
    env_run(env_stub_at(0x30000000UL, env_stub_ld), MSR_PR, EA64K + 0x100, 0);
    ENV_OK("pr ld 64K", env_pattern(RA64K + 0x100));
    env_run(env_stub_at(0x30000000UL, env_stub_ld), MSR_PR, KBASE + ENV_DATA, 0);
    ENV_EXPECT("pr ld kernel", EXCP_DSI, KBASE + ENV_DATA, DSISR_PROTFAULT);
    env_run(env_stub_at(0x30000000UL, env_stub_bctr), MSR_PR, EA2M + 0x300000, 0);
    ENV_OK("pr exec 2M", 0x55);
    env_run(env_stub_at(kstub, env_stub_ld), MSR_PR, EA64K, 0);
    ENV_EXPECT("pr fetch kernel", EXCP_ISI, env_stub_at(kstub, env_stub_ld), DSISR_NOEXEC_OR_G);
}

static void processes(void)
{
    test_begin("PIDR switching");
    mtspr(SPR_PIDR, 1);
    check_ld("pid 1", EA4K + 8, RA4K_1 + 3 * ENV_PAGE + 8);
    mtspr(SPR_PIDR, 2);
    check_ld("pid 2", EA4K + 8, RA4K_2 + 8);
    check_ld("pid 2 q3", KBASE + RA4K_1, RA4K_1);
    env_ld(EA64K, 0);
    ENV_EXPECT("pid 2 has no 64K pages", EXCP_DSI, EA64K, DSISR_NOPTE);
    mtspr(SPR_PIDR, 1);
    check_ld("pid 1 again", EA4K + 8, RA4K_1 + 3 * ENV_PAGE + 8);
    mtspr(SPR_PIDR, 0);
    check_ld("pid 0: q0 goes through the kernel tree too", EA4K, EA4K);
    env_ld(EA1G, 0);
    ENV_EXPECT("pid 0: beyond the kernel's 1G", EXCP_DSI, EA1G, DSISR_NOPTE);
    mtspr(SPR_PIDR, 2);
    check_ld("pid 2 again", EA4K + 0x1010, RA4K_2 + 0x1010);
    mtspr(SPR_PIDR, 1);
}

static void map_unmap_protect(void)
{
    test_begin("map, unmap, protect + tlbie");
    check_ld("before", EA4K + 0x1000, RA4K_1 + 2 * ENV_PAGE);
    env_unmap(&t1, EA4K + 0x1000, ENV_PAGE);
    env_tlbie(env_rb(TLBIE_IS_VA, EA4K + 0x1000, RADIX_AP_4K), 1UL << TLBIE_RS_PID_SHIFT, TLBIE_RIC_TLB, 1, 0);
    env_ld(EA4K + 0x1000, 0);
    ENV_EXPECT("unmapped", EXCP_DSI, EA4K + 0x1000, DSISR_NOPTE);
    check_ld("neighbour", EA4K + 0x2000, RA4K_1 + ENV_PAGE);
    env_map(&t1, EA4K + 0x1000, RA4K_2 + 0x3000, ENV_PAGE, 12, USER_RW);
    env_tlbie(env_rb(TLBIE_IS_VA, EA4K + 0x1000, RADIX_AP_4K), 1UL << TLBIE_RS_PID_SHIFT, TLBIE_RIC_TLB, 1, 0);
    check_ld("mapped elsewhere", EA4K + 0x1000, RA4K_2 + 0x3000);
    env_protect(&t1, EA4K + 0x1000, ENV_PAGE, RADIX_PTE_EAA_RW, RADIX_PTE_EAA_READ);
    env_tlbie(env_rb(TLBIE_IS_VA, EA4K + 0x1000, RADIX_AP_4K), 1UL << TLBIE_RS_PID_SHIFT, TLBIE_RIC_TLB, 1, 0);
    env_std(EA4K + 0x1000, 1, 0);
    ENV_EXPECT("std after protect", EXCP_DSI, EA4K + 0x1000, DSISR_PROTFAULT | DSISR_ISSTORE);
    check_ld("ld after protect", EA4K + 0x1008, RA4K_2 + 0x3008);
    env_protect(&t1, EA4K + 0x1000, ENV_PAGE, 0, RADIX_PTE_EAA_RW);
    env_tlbie(env_rb(TLBIE_IS_VA, EA4K + 0x1000, RADIX_AP_4K), 1UL << TLBIE_RS_PID_SHIFT, TLBIE_RIC_TLB, 1, 0);
    env_std(EA4K + 0x1000, 0x4321, 0);
    ENV_OK("std after unprotect", EA4K + 0x1000);

    /* part of a 64K page: the table becomes 4K pages */
    env_unmap(&t1, EA64K + 0x13000, ENV_PAGE);
    env_tlbie(env_rb(TLBIE_IS_VA, EA64K + 0x10000, RADIX_AP_64K), 1UL << TLBIE_RS_PID_SHIFT, TLBIE_RIC_TLB, 1, 0);
    env_ld(EA64K + 0x13008, 0);
    ENV_EXPECT("hole in a 64K page", EXCP_DSI, EA64K + 0x13008, DSISR_NOPTE);
    check_ld("rest of the 64K page", EA64K + 0x14000, RA64K + 0x14000);
    check_ld("next 64K page", EA64K + 0x20008, RA64K + 0x20008);
    /* part of a 2M page */
    env_unmap(&t1, EA2M + 0x201000, 0x2000);
    env_tlbie(env_rb(TLBIE_IS_VA, EA2M + 0x200000, RADIX_AP_2M), 1UL << TLBIE_RS_PID_SHIFT, TLBIE_RIC_TLB, 1, 0);
    env_ld(EA2M + 0x202ff8, 0);
    ENV_EXPECT("hole in a 2M page", EXCP_DSI, EA2M + 0x202ff8, DSISR_NOPTE);
    check_ld("rest of the 2M page", EA2M + 0x203000, RA2M + 0x203000);
    check_ld("start of the 2M page", EA2M + 0x200ff8, RA2M + 0x200ff8);
    /* part of a 1G page, and a protect inside it */
    env_protect(&t1, EA1G + ENV_DATA + 0x500000, 0x200000, RADIX_PTE_EAA_RW, RADIX_PTE_EAA_READ);
    env_tlbie(env_rb(TLBIE_IS_VA, EA1G, RADIX_AP_1G), 1UL << TLBIE_RS_PID_SHIFT, TLBIE_RIC_TLB, 1, 0);
    env_std(EA1G + ENV_DATA + 0x500010, 1, 0);
    ENV_EXPECT("std to protected part of a 1G page", EXCP_DSI, EA1G + ENV_DATA + 0x500010,
               DSISR_PROTFAULT | DSISR_ISSTORE);
    env_std(EA1G + ENV_DATA + 0x700010, 0x1111, 0);
    ENV_OK("std to the rest", EA1G + ENV_DATA + 0x700010);
    check_ld("ld the rest", EA1G + ENV_DATA + 0x400000, ENV_DATA + 0x400000);
    /* a new 1G mapping where there was none */
    env_map(&t1, 0x80000000UL, 0x0, 0x40000000UL, 30, USER_RW);
    env_tlbie(env_rb(TLBIE_IS_VA, 0x80000000UL, RADIX_AP_1G), 1UL << TLBIE_RS_PID_SHIFT, TLBIE_RIC_TLB, 1, 0);
    check_ld("new 1G page", 0x80000000UL + ENV_DATA + 0x600008, ENV_DATA + 0x600008);
}

int main(void)
{
    env_init();
    kstub = KBASE | (unsigned long)env_stub_page;
    build();
    page_sizes();
    problem_state();
    processes();
    map_unmap_protect();
    return test_report();
}
