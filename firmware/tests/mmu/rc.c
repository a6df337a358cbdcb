/*
 * rc.c - reference and change bits (Power ISA v3.0B Book III 6.7.12.2).
 *
 * The ISA lets an implementation either set R and C in the PTE itself or
 * raise a storage interrupt for software to set them.  QEMU 7.2 sets them
 * (POWER9 hardware and QEMU >= 8.2 raise DSISR 0x00040000 instead); nesthv
 * does what QEMU 7.2 does, see docs/conformance.md:
 *   - any access that is allowed sets R; a store also sets C;
 *   - an access that faults (not present, protection) changes nothing;
 *   - instruction fetch sets R; dcbz is a store; dcbst a load;
 *   - a page first loaded (R set, C clear) gets C at its first store;
 *   - after software clears R/C and invalidates the TLB entry, the next
 *     access sets them again.
 * A store crossing into a page that faults has already set C in the first
 * page (both emulators translate the first page first).
 */
#include "env.h"

#define EA     0x10000000UL
#define PG(n)  (EA + (n) * ENV_PAGE)
#define RA(n)  (ENV_DATA + (n) * ENV_PAGE)
#define NORC   (RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW)
#define EA64K  0x10200000UL
#define EA2M   0x10400000UL
#define EA1G   0x40000000UL
#define RC     (RADIX_PTE_R | RADIX_PTE_C)
#define AMR_NO_W 0x8000000000000000UL

enum { P_LD, P_ST, P_RO, P_X, P_DCBZ, P_DCBST, P_AGAIN, P_PR, P_AMR, P_CROSS, P_HOLE, NPAGES };

static RadixRoot t;

static void show(const char *what, unsigned long ea)
{
    uint64_t pte = env_pte(&t, ea);
    printf("  %s: R=%d C=%d\n", what, !!(pte & RADIX_PTE_R), !!(pte & RADIX_PTE_C));
}

static void expect_rc(const char *what, unsigned long ea, uint64_t rc)
{
    show(what, ea);
    TEST_EQ(env_pte(&t, ea) & RC, rc);
}

extern char rc_dcbz[], rc_dcbst[];
__asm__(".text\n.globl rc_dcbz, rc_dcbst\n"
        "rc_dcbz:  dcbz 0, 3\n  sc 0\n"
        "rc_dcbst: dcbst 0, 3\n sc 0\n");

int main(void)
{
    unsigned long stub = (unsigned long)env_stub_page;
    env_init();
    t = env_tree();
    env_fill(ENV_DATA, NPAGES * ENV_PAGE);
    for (unsigned i = 0; i < P_HOLE; i++)
        env_map(&t, PG(i), RA(i), ENV_PAGE, 12, i == P_RO ? RADIX_PTE_EAA_READ : i == P_X ? RADIX_PTE_EAA_EXEC : NORC);
    env_put_target(RA(P_X));
    env_map(&t, EA64K, ENV_DATA + 0x200000, 0x10000, 16, NORC);
    env_map(&t, EA2M, ENV_DATA + 0x200000, 0x200000, 21, NORC);
    env_map(&t, EA1G, 0, 0x40000000UL, 30, NORC);
    env_map(&t, stub, stub, ENV_PAGE, 12, ENV_RWX | RADIX_PTE_EAA_PRIV);
    env_map(&t, 0x30000000UL, stub, ENV_PAGE, 12, RADIX_PTE_EAA_READ | RADIX_PTE_EAA_EXEC);
    env_set_pid(0, &t);
    env_register(PROC_TABLE_GTSE);

    test_begin("R and C set by the hardware");
    expect_rc("fresh", PG(P_LD), 0);
    env_ld(PG(P_LD), 0);
    expect_rc("after ld", PG(P_LD), RADIX_PTE_R);
    env_ld(PG(P_LD) + 8, 0);
    env_std(PG(P_LD) + 8, 1, 0);
    expect_rc("after ld, std", PG(P_LD), RC);
    env_stb(PG(P_ST) + 1, 1, 0);
    expect_rc("after stb", PG(P_ST), RC);
    env_std(PG(P_RO), 1, 0);
    ENV_EXPECT("std read-only", EXCP_DSI, PG(P_RO), DSISR_PROTFAULT | DSISR_ISSTORE);
    expect_rc("after failed std", PG(P_RO), 0);
    env_ld(PG(P_RO), 0);
    expect_rc("after ld", PG(P_RO), RADIX_PTE_R);
    env_ld(PG(P_X), 0);
    expect_rc("execute-only after failed ld", PG(P_X), 0);
    env_exec(stub, PG(P_X), 0);
    ENV_OK("exec", 0x55);
    expect_rc("after exec", PG(P_X), RADIX_PTE_R);
    env_run((unsigned long)rc_dcbz, MSR_DR, PG(P_DCBZ) + 0x80, 0);
    expect_rc("after dcbz", PG(P_DCBZ), RC);
    env_run((unsigned long)rc_dcbst, MSR_DR, PG(P_DCBST) + 0x80, 0);
    expect_rc("after dcbst", PG(P_DCBST), RADIX_PTE_R);
    env_ld(EA64K + 0x8000, 0);
    expect_rc("64K page after ld", EA64K, RADIX_PTE_R);
    env_std(EA2M + 0x100000, 1, 0);
    expect_rc("2M page after std", EA2M, RC);
    env_ld(EA1G + ENV_DATA, 0);
    expect_rc("1G page after ld", EA1G, RADIX_PTE_R);

    test_begin("problem state and AMR");
    env_run(env_stub_at(0x30000000UL, env_stub_std), MSR_PR | MSR_IR | MSR_DR, PG(P_PR), 2);
    expect_rc("pr std", PG(P_PR), RC);
    mtspr(SPR_AMR, AMR_NO_W);
    env_flush();
    env_std(PG(P_AMR), 1, 0);
    ENV_EXPECT("std denied by AMR", EXCP_DSI, PG(P_AMR), DSISR_PROTFAULT | DSISR_ISSTORE);
    expect_rc("after denied std", PG(P_AMR), 0);
    env_ld(PG(P_AMR), 0);
    expect_rc("after ld", PG(P_AMR), RADIX_PTE_R);
    mtspr(SPR_AMR, 0);
    env_flush();

    test_begin("cleared by software, set again");
    uint64_t *pte = env_pte_ptr(&t, PG(P_AGAIN));
    env_std(PG(P_AGAIN), 1, 0);
    expect_rc("after std", PG(P_AGAIN), RC);
    *pte = __builtin_bswap64(__builtin_bswap64(*pte) & ~RC);
    env_tlbie(env_rb(TLBIE_IS_VA, PG(P_AGAIN), RADIX_AP_4K), 0, TLBIE_RIC_TLB, 1, 0);
    expect_rc("cleared", PG(P_AGAIN), 0);
    env_ld(PG(P_AGAIN), 0);
    expect_rc("after ld", PG(P_AGAIN), RADIX_PTE_R);
    env_std(PG(P_AGAIN), 2, 0);
    expect_rc("after std", PG(P_AGAIN), RC);

    test_begin("page crossing");
    env_std(PG(P_CROSS) + ENV_PAGE - 4, 1, 0);
    ENV_EXPECT("std into the hole", EXCP_DSI, PG(P_HOLE), DSISR_NOPTE | DSISR_ISSTORE);
    expect_rc("first page", PG(P_CROSS), RC);
    TEST_EQ(*(volatile uint64_t *)env_real(RA(P_CROSS) + ENV_PAGE - 8), env_pattern(RA(P_CROSS) + ENV_PAGE - 8));
    return test_report();
}
