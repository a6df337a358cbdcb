/* nesthv-test-args: -smp 2 */
/*
 * smp_tlbie.c - a broadcast tlbie reaches the other CPU's TLB (Power ISA
 * v3.0B Book III 5.10.1, 6.10): CPU 0 maps EA -> page A in a radix tree
 * (firmware/tests/mmu/env.h), registers it with H_REGISTER_PROCESS_TABLE
 * (GTSE: which turns radix on for both CPUs), and both CPUs load EA with
 * MSR[DR] = 1, so both cache the translation.  CPU 0 then points the PTE at
 * page B and runs tlbie (one page, then a whole PID) + tlbsync + ptesync:
 * CPU 1's next load must read page B.  (Whether a changed PTE is seen
 * without the tlbie is left open by the ISA and not tested.)
 */
#include "smp.h"
#include "../mmu/env.h"

#define EA     0x10000000UL
#define RA_A   (ENV_DATA + 0x000000)
#define RA_B   (ENV_DATA + 0x100000)
#define RA_C   (ENV_DATA + 0x200000)
#define TLBSYNC_W ((31u << 26) | (ENV_XO_TLBSYNC << 1))

static RadixRoot tree;
static volatile int request, reply;
static volatile uint64_t loaded;

/* One load with data translation on; code and stack stay in real mode. */
static uint64_t ld_translated(unsigned long ea)
{
    unsigned long v, msr, tmp;
    __asm__ volatile("mfmsr %1\n\t"
                     "ori %2,%1,%4\n\t"
                     "mtmsrd %2\n\t"
                     "ld %0,0(%3)\n\t"
                     "mtmsrd %1"
                     : "=&r"(v), "=&r"(msr), "=&r"(tmp)
                     : "r"(ea), "i"(MSR_DR)
                     : "memory");
    return v;
}

static void loader(struct smp_cpu *c)
{
    (void)c;
    for (;;) {
        int r;
        while ((r = request) == 0)
            cpu_relax();
        if (r < 0)
            break;
        loaded = ld_translated(EA);
        sync();
        request = 0;
        reply++;
    }
}

/* CPU 1's view of EA. */
static uint64_t remote_load(void)
{
    int want = reply + 1;
    sync();
    request = 1;
    while (reply < want)
        cpu_relax();
    return loaded;
}

static void repoint(unsigned long ra)
{
    uint64_t *p = env_pte_ptr(&tree, EA);
    uint64_t pte = __builtin_bswap64(*p);
    *p = __builtin_bswap64((pte & ~RADIX_PTE_RPN) | (ra & RADIX_PTE_RPN));
    sync();
}

static void global_sync(void)
{
    __asm__ volatile("eieio" ::: "memory");
    env_word(TLBSYNC_W, 0, 0);
    __asm__ volatile("ptesync" ::: "memory");
}

static const char *which(uint64_t v)
{
    return v == env_pattern(RA_A) ? "page A" : v == env_pattern(RA_B) ? "page B" :
           v == env_pattern(RA_C) ? "page C" : "something else";
}

int main(void)
{
    env_init();
    smp_init();
    env_fill(RA_A, ENV_PAGE);
    env_fill(RA_B, ENV_PAGE);
    env_fill(RA_C, ENV_PAGE);
    tree = env_tree();
    env_map(&tree, EA, RA_A, ENV_PAGE, 12, ENV_RW);
    env_set_pid(0, &tree);
    test_begin("tlbie across CPUs");
    TEST_EQ(env_register(PROC_TABLE_GTSE), H_SUCCESS);
    TEST_EQ(smp_start(1, loader), RTAS_SUCCESS);
    TEST_ASSERT(smp_wait(&smp_cpus[1].started));

    uint64_t v0 = ld_translated(EA), v1 = remote_load();
    printf("before: cpu 0 reads %s, cpu 1 reads %s\n", which(v0), which(v1));
    TEST_EQ(v0, env_pattern(RA_A));
    TEST_EQ(v1, env_pattern(RA_A));

    repoint(RA_B);
    TEST_EQ(env_tlbie(env_rb(TLBIE_IS_VA, EA, 0), 0, TLBIE_RIC_TLB, 1, 0), 0);
    global_sync();
    v1 = remote_load();
    v0 = ld_translated(EA);
    printf("after tlbie of the page: cpu 0 reads %s, cpu 1 reads %s\n", which(v0), which(v1));
    TEST_EQ(v0, env_pattern(RA_B));
    TEST_EQ(v1, env_pattern(RA_B));

    repoint(RA_C);
    TEST_EQ(env_tlbie(env_rb(TLBIE_IS_PID, 0, 0), 0, TLBIE_RIC_TLB, 1, 0), 0);
    global_sync();
    v1 = remote_load();
    printf("after tlbie of the PID: cpu 1 reads %s\n", which(v1));
    TEST_EQ(v1, env_pattern(RA_C));

    request = -1;
    sync();
    TEST_ASSERT(smp_wait(&smp_cpus[1].done));
    return test_report();
}
