/*
 * tlbie.c - TLB invalidation by a pseries guest (Power ISA v3.0B Book III
 * 5.10.1; QEMU 7.2 decides the privilege and invalid-form corners):
 *
 *   privilege  problem state: privileged program interrupt (SRR1 0x40000);
 *              PRS=0 (partition scope) with radix: hypervisor privileged ->
 *              0x40000 for a pseries guest; tlbie and tlbsync need
 *              LPCR[GTSE] (the GTSE flag of H_REGISTER_PROCESS_TABLE);
 *              tlbiel PRS=1 is always allowed
 *   invalid    RIC=3, RIC=1/2 with IS=0, an AP that is no page size,
 *              tlbiel RIC=1 with a set number: illegal instruction (0x80000)
 *   reserved   tlbie/tlbiel ignore bits 11 and 31; tlbsync checks 6:20, 31
 *   effect     after the instruction, the changed PTE is used: one page of
 *              each size (matching AP), a PID (also another process's, and
 *              PID 0 for quadrant 3), the LPID, everything, RIC=2 after a
 *              directory changed, instruction fetch, problem state.
 * A changed PTE without invalidation may or may not be seen: not tested.
 */
#include "env.h"

#define EA         0x10000000UL
#define EA64K      0x10200000UL
#define EA2M       0x10400000UL
#define EA1G       0x40000000UL
#define KEA        (ENV_Q3 | 0x20000000UL) /* a kernel (PID 0) page */
#define USTUB      0x30000000UL            /* problem-state alias of the stub page */
#define RA_A       (ENV_DATA + 0x000000)   /* old targets */
#define RA_B       (ENV_DATA + 0x800000)   /* new targets */
#define RS_PID(p)  ((unsigned long)(p) << TLBIE_RS_PID_SHIFT)
#define TLBSYNC_W  ((31u << 26) | (ENV_XO_TLBSYNC << 1))

static unsigned long kstub;
static RadixRoot tk, t1, t2;

static void check_ld(const char *what, unsigned long ea, unsigned long ra)
{
    env_run(env_stub_at(kstub, env_stub_ld), MSR_IR | MSR_DR, ea, 0);
    ENV_OK(what, env_pattern(ra));
}

/* Point the leaf for ea in tree t at ra (keeping its flags and size). */
static void repoint(const RadixRoot *t, unsigned long ea, unsigned long ra)
{
    uint64_t *p = env_pte_ptr(t, ea);
    uint64_t pte = __builtin_bswap64(*p);
    *p = __builtin_bswap64((pte & ~RADIX_PTE_RPN) | (ra & RADIX_PTE_RPN));
    sync();
}

static void build(void)
{
    tk = env_tree();
    t1 = env_tree();
    t2 = env_tree();
    env_fill(RA_A, 0x800000);
    env_fill(RA_B, 0x800000);
    env_map(&tk, kstub, (unsigned long)env_stub_page, ENV_PAGE, 12, ENV_RWX | RADIX_PTE_EAA_PRIV);
    env_map(&tk, KEA, RA_A, ENV_PAGE, 12, ENV_RW | RADIX_PTE_EAA_PRIV);
    env_map(&t1, EA, RA_A, 4 * ENV_PAGE, 12, ENV_RWX);
    env_map(&t1, EA64K, RA_A + 0x200000, 0x20000, 16, ENV_RW);
    env_map(&t1, EA2M, RA_A + 0x400000, 0x200000, 21, ENV_RW);
    env_map(&t1, EA1G, 0, 0x40000000UL, 30, ENV_RW);
    env_map(&t1, USTUB, (unsigned long)env_stub_page, ENV_PAGE, 12, RADIX_PTE_R | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_EXEC);
    env_map(&t2, EA, RA_A + 0x10000, ENV_PAGE, 12, ENV_RW);
    env_set_pid(0, &tk);
    env_set_pid(1, &t1);
    env_set_pid(2, &t2);
}

static void privilege(void)
{
    test_begin("privilege");
    env_register(PROC_TABLE_GTSE);
    mtspr(SPR_PIDR, 1);
    env_word_print("tlbie prs=1", env_tlbie(env_rb(TLBIE_IS_ALL, 0, 0), 0, 0, 1, 0));
    env_word_print("tlbie prs=0", env_tlbie(env_rb(TLBIE_IS_ALL, 0, 0), 0, 0, 0, 0));
    env_word_print("tlbiel prs=1", env_tlbie(env_rb(TLBIE_IS_ALL, 0, 0), 0, 0, 1, 1));
    env_word_print("tlbiel prs=0", env_tlbie(env_rb(TLBIE_IS_ALL, 0, 0), 0, 0, 0, 1));
    env_word_print("tlbsync", env_word(TLBSYNC_W, 0, 0));
    env_run(env_stub_at(USTUB, env_stub_tlbie), MSR_PR, env_rb(TLBIE_IS_ALL, 0, 0), 0);
    ENV_EXPECT("pr tlbie", EXCP_PROGRAM, 0, 0);
    printf("  srr1.cause=0x%lx\n", env_res.srr1 & ENV_SRR1_CAUSE);
    env_run(env_stub_at(USTUB, env_stub_tlbiel), MSR_PR, env_rb(TLBIE_IS_ALL, 0, 0), 0);
    printf("pr tlbiel: vec=0x%lx srr1.cause=0x%lx\n", env_res.vec, env_res.srr1 & ENV_SRR1_CAUSE);
    env_register(0); /* GTSE = 0 */
    env_word_print("no GTSE: tlbie prs=1", env_tlbie(env_rb(TLBIE_IS_ALL, 0, 0), 0, 0, 1, 0));
    env_word_print("no GTSE: tlbiel prs=1", env_tlbie(env_rb(TLBIE_IS_ALL, 0, 0), 0, 0, 1, 1));
    env_word_print("no GTSE: tlbiel prs=0", env_tlbie(env_rb(TLBIE_IS_ALL, 0, 0), 0, 0, 0, 1));
    env_word_print("no GTSE: tlbsync", env_word(TLBSYNC_W, 0, 0));
    env_register(PROC_TABLE_GTSE);
}

static void forms(void)
{
    static const struct { const char *what; unsigned ric, is, ap; int local; unsigned long set; } f[] = {
        { "tlbie ric=3", 3, 3, 0, 0, 0 },          { "tlbie ric=1 is=0", 1, 0, 0, 0, 0 },
        { "tlbie ric=2 is=0", 2, 0, 0, 0, 0 },     { "tlbie ric=1 is=1", 1, 1, 0, 0, 0 },
        { "tlbie ric=2 is=1", 2, 1, 0, 0, 0 },     { "tlbie ric=1 is=2", 1, 2, 0, 0, 0 },
        { "tlbie ric=2 is=2", 2, 2, 0, 0, 0 },     { "tlbie ric=1 is=3", 1, 3, 0, 0, 0 },
        { "tlbie ap=3", 0, 0, 3, 0, 0 },           { "tlbie ap=4", 0, 0, 4, 0, 0 },
        { "tlbie ap=6", 0, 0, 6, 0, 0 },           { "tlbie ap=7", 0, 0, 7, 0, 0 },
        { "tlbie ap=7 is=1", 0, 1, 7, 0, 0 },      { "tlbiel ric=3 is=1", 3, 1, 0, 1, 0 },
        { "tlbiel ric=2 is=0", 2, 0, 0, 1, 0 },    { "tlbiel ric=1 is=1 set=5", 1, 1, 0, 1, 5 },
        { "tlbiel ric=0 is=1 set=5", 0, 1, 0, 1, 5 }, { "tlbiel ric=2 is=3 set=127", 2, 3, 0, 1, 127 },
        { "tlbiel ap=3", 0, 0, 3, 1, 0 },
    };
    test_begin("instruction forms");
    for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        unsigned long rb = env_rb(f[i].is, EA, f[i].ap) | (f[i].set << TLBIE_RB_SET_SHIFT);
        env_word_print(f[i].what, env_tlbie(rb, 0, f[i].ric, 1, f[i].local));
    }
    /* R = 0: the hash form, no radix checks */
    env_word_print("tlbie r=0 ric=3", env_word(env_tlbie_word(3, 1, 0, 0), 0, 0));
    env_word_print("tlbiel r=0 ric=2 is=0", env_word(env_tlbie_word(2, 1, 0, 1), 0, 0));
    env_word_print("tlbie r=0 prs=0", env_word(env_tlbie_word(0, 0, 0, 0), 0, 0));
    /* reserved bits */
    env_word_print("tlbie bit 31", env_word(env_tlbie_word(0, 1, 1, 0) | 1, env_rb(3, 0, 0), 0));
    env_word_print("tlbie bit 11", env_word(env_tlbie_word(0, 1, 1, 0) | (1u << 20), env_rb(3, 0, 0), 0));
    env_word_print("tlbiel bit 31", env_word(env_tlbie_word(0, 1, 1, 1) | 1, env_rb(3, 0, 0), 0));
    env_word_print("tlbsync bit 31", env_word(TLBSYNC_W | 1, 0, 0));
    env_word_print("tlbsync bit 20", env_word(TLBSYNC_W | (1u << 11), 0, 0));
    env_word_print("tlbsync bit 6", env_word(TLBSYNC_W | (1u << 25), 0, 0));
}

static void one_page(void)
{
    test_begin("one page");
    check_ld("4K old", EA + 0x1008, RA_A + 0x1008);
    repoint(&t1, EA + 0x1000, RA_B + 0x1000);
    env_tlbie(env_rb(TLBIE_IS_VA, EA + 0x1000, RADIX_AP_4K), RS_PID(1), TLBIE_RIC_TLB, 1, 0);
    check_ld("4K new (tlbie)", EA + 0x1008, RA_B + 0x1008);
    check_ld("4K next page", EA + 0x2008, RA_A + 0x2008);
    check_ld("4K other page, before", EA + 0x3008, RA_A + 0x3008);
    repoint(&t1, EA + 0x3000, RA_B + 0x3000);
    env_tlbie(env_rb(TLBIE_IS_VA, EA + 0x3000, RADIX_AP_4K), RS_PID(1), TLBIE_RIC_TLB, 1, 1);
    check_ld("4K new (tlbiel)", EA + 0x3008, RA_B + 0x3008);
    check_ld("64K old", EA64K + 0x10010, RA_A + 0x210010);
    repoint(&t1, EA64K + 0x10000, RA_B + 0x210000);
    env_tlbie(env_rb(TLBIE_IS_VA, EA64K + 0x10000, RADIX_AP_64K), RS_PID(1), TLBIE_RIC_TLB, 1, 0);
    check_ld("64K new", EA64K + 0x10010, RA_B + 0x210010);
    check_ld("64K new, last 4K", EA64K + 0x1fff8, RA_B + 0x21fff8);
    check_ld("2M old", EA2M + 0x123458, RA_A + 0x523458);
    check_ld("2M old, elsewhere", EA2M + 0x1ff000, RA_A + 0x5ff000);
    repoint(&t1, EA2M, RA_B + 0x400000);
    env_tlbie(env_rb(TLBIE_IS_VA, EA2M, RADIX_AP_2M), RS_PID(1), TLBIE_RIC_TLB, 1, 0);
    check_ld("2M new", EA2M + 0x123458, RA_B + 0x523458);
    check_ld("2M new, elsewhere", EA2M + 0x1ff000, RA_B + 0x5ff000);
    check_ld("1G old", EA1G + RA_A + 0x100, RA_A + 0x100);
    check_ld("1G old, elsewhere", EA1G + RA_A + 0x300000, RA_A + 0x300000);
    env_std(EA1G + RA_A + 0x300000, 0x77, 0);
    ENV_OK("1G std", EA1G + RA_A + 0x300000);
    env_protect(&t1, EA1G, 0x40000000UL, RADIX_PTE_EAA_RW, RADIX_PTE_EAA_READ);
    /* any EA inside the page names it: the low bits of the EPN are ignored */
    env_tlbie(env_rb(TLBIE_IS_VA, EA1G + 0x12345000UL, RADIX_AP_1G), RS_PID(1), TLBIE_RIC_TLB, 1, 0);
    env_std(EA1G + RA_A + 0x300000, 0x78, 0);
    ENV_EXPECT("1G read-only", EXCP_DSI, EA1G + RA_A + 0x300000, DSISR_PROTFAULT | DSISR_ISSTORE);
    env_protect(&t1, EA1G, 0x40000000UL, 0, RADIX_PTE_EAA_RW);
    env_tlbie(env_rb(TLBIE_IS_VA, EA1G, RADIX_AP_1G), RS_PID(1), TLBIE_RIC_TLB, 1, 1);
    env_std(EA1G + RA_A + 0x300000, 0x79, 0);
    ENV_OK("1G writable again (tlbiel)", EA1G + RA_A + 0x300000);
    TEST_EQ(*(volatile uint64_t *)env_real(RA_A + 0x300000), 0x79);
    check_ld("kernel old", KEA + 8, RA_A + 8);
    repoint(&tk, KEA, RA_B);
    env_tlbie(env_rb(TLBIE_IS_VA, KEA, RADIX_AP_4K), 0, TLBIE_RIC_TLB, 1, 0);
    check_ld("kernel new (quadrant-3 EA)", KEA + 8, RA_B + 8);
}

static void by_pid_lpid_all(void)
{
    test_begin("PID, LPID, all");
    check_ld("pid 1 old", EA + 0x2010, RA_A + 0x2010);
    repoint(&t1, EA + 0x2000, RA_B + 0x2000);
    env_tlbie(env_rb(TLBIE_IS_PID, 0, 0), RS_PID(1), TLBIE_RIC_TLB, 1, 0);
    check_ld("pid 1 new (IS=1)", EA + 0x2010, RA_B + 0x2010);
    /* another process's entries, invalidated while PIDR = 1 */
    mtspr(SPR_PIDR, 2);
    check_ld("pid 2 old", EA + 0x18, RA_A + 0x10018);
    mtspr(SPR_PIDR, 1);
    repoint(&t2, EA, RA_B + 0x10000);
    env_tlbie(env_rb(TLBIE_IS_VA, EA, RADIX_AP_4K), RS_PID(2), TLBIE_RIC_TLB, 1, 0);
    mtspr(SPR_PIDR, 2);
    check_ld("pid 2 new (page, from pid 1)", EA + 0x18, RA_B + 0x10018);
    mtspr(SPR_PIDR, 1);
    repoint(&t2, EA, RA_A + 0x30000);
    env_tlbie(env_rb(TLBIE_IS_PID, 0, 0), RS_PID(2), TLBIE_RIC_ALL, 1, 0);
    mtspr(SPR_PIDR, 2);
    check_ld("pid 2 new (IS=1, from pid 1)", EA + 0x18, RA_A + 0x30018);
    mtspr(SPR_PIDR, 1);
    /* PID 0 owns quadrant 3 whatever PIDR is */
    check_ld("kernel before", KEA + 16, RA_B + 16);
    repoint(&tk, KEA, RA_A + 0x40000);
    env_tlbie(env_rb(TLBIE_IS_PID, 0, 0), RS_PID(0), TLBIE_RIC_TLB, 1, 1);
    check_ld("kernel new (tlbiel IS=1 PID 0)", KEA + 16, RA_A + 0x40010);
    repoint(&t1, EA, RA_B);
    env_tlbie(env_rb(TLBIE_IS_LPID, 0, 0), 0, TLBIE_RIC_TLB, 1, 0);
    check_ld("pid 1 new (IS=2)", EA + 0x20, RA_B + 0x20);
    repoint(&t1, EA, RA_A);
    env_tlbie(env_rb(TLBIE_IS_ALL, 0, 0), 0, TLBIE_RIC_TLB, 1, 0);
    check_ld("pid 1 new (IS=3)", EA + 0x28, RA_A + 0x28);
    repoint(&t1, EA, RA_B);
    env_tlbie(env_rb(TLBIE_IS_ALL, 0, 0), 0, TLBIE_RIC_ALL, 1, 1);
    check_ld("pid 1 new (tlbiel IS=3 RIC=2)", EA + 0x28, RA_B + 0x28);
    repoint(&t1, EA, RA_A);
    env_word(env_tlbie_word(0, 1, 0, 0), 0, 0); /* R = 0: everything */
    check_ld("pid 1 new (R=0)", EA + 0x28, RA_A + 0x28);
}

static void directories(void)
{
    test_begin("directory changes, RIC=2");
    /* Swap process 1's whole 2M region directory for a copy pointing elsewhere. */
    RadixRoot t3 = env_tree();
    env_map(&t3, EA, RA_B + 0x50000, 4 * ENV_PAGE, 12, ENV_RWX);
    uint64_t *pmd1 = env_real(t1.base + ((EA >> 39) & 0x1FFF) * 8), *pmd3 = env_real(t3.base + ((EA >> 39) & 0x1FFF) * 8);
    uint64_t saved = *pmd1;
    check_ld("before", EA + 0x1030, RA_B + 0x1030);
    *pmd1 = *pmd3;
    sync();
    env_tlbie(env_rb(TLBIE_IS_PID, 0, 0), RS_PID(1), TLBIE_RIC_ALL, 1, 0);
    check_ld("new subtree (IS=1 RIC=2)", EA + 0x1030, RA_B + 0x51030);
    env_ld(EA64K, 0);
    ENV_EXPECT("64K pages are gone with it", EXCP_DSI, EA64K, DSISR_NOPTE);
    *pmd1 = saved;
    sync();
    env_tlbie(env_rb(TLBIE_IS_PID, 0, 0), RS_PID(1), TLBIE_RIC_ALL, 1, 1);
    check_ld("old subtree back (tlbiel)", EA + 0x1030, RA_B + 0x1030);
}

static void fetch_and_user(void)
{
    test_begin("instruction fetch and problem state");
    env_put_target(RA_A + 0x3000);
    env_put_target(RA_B + 0x5000);
    *(volatile uint32_t *)env_real(RA_B + 0x5000) = 0x38600066; /* li r3,0x66 */
    icache_sync(env_real(RA_B + 0x5000), 8);
    repoint(&t1, EA + 0x3000, RA_A + 0x3000);
    env_tlbie(env_rb(TLBIE_IS_VA, EA + 0x3000, RADIX_AP_4K), RS_PID(1), TLBIE_RIC_TLB, 1, 0);
    env_exec(kstub, EA + 0x3000, 0);
    ENV_OK("exec old", 0x55);
    repoint(&t1, EA + 0x3000, RA_B + 0x5000);
    env_tlbie(env_rb(TLBIE_IS_VA, EA + 0x3000, RADIX_AP_4K), RS_PID(1), TLBIE_RIC_TLB, 1, 0);
    env_exec(kstub, EA + 0x3000, 0);
    ENV_OK("exec new", 0x66);
    env_run(env_stub_at(USTUB, env_stub_ld), MSR_PR, EA + 0x2038, 0);
    ENV_OK("pr ld old", env_pattern(RA_B + 0x2038));
    repoint(&t1, EA + 0x2000, RA_A + 0x6000);
    env_tlbie(env_rb(TLBIE_IS_VA, EA + 0x2000, RADIX_AP_4K), RS_PID(1), TLBIE_RIC_TLB, 1, 0);
    env_run(env_stub_at(USTUB, env_stub_ld), MSR_PR, EA + 0x2038, 0);
    ENV_OK("pr ld new", env_pattern(RA_A + 0x6038));
}

int main(void)
{
    env_init();
    kstub = ENV_Q3 | (unsigned long)env_stub_page;
    build();
    privilege();
    forms();
    one_page();
    by_pid_lpid_all();
    directories();
    fetch_and_user();
    return test_report();
}
