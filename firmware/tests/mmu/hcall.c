/*
 * hcall.c - H_REGISTER_PROCESS_TABLE and the translation modes it selects
 * (PAPR; QEMU 7.2's h_register_process_table is the reference):
 *
 *   boot: hash mode with an empty SLB -> relocated accesses take segment
 *         interrupts; tlbie/tlbsync are hypervisor privileged (GTSE = 0)
 *         -> privileged program interrupt; tlbiel PRS=1 is allowed
 *   errors: flags > 0x1F -> H_PARAMETER; radix base & 0xFFF or >> 60 -> H_P2,
 *         page size -> H_P3, table size > 24 -> H_P4; hash with segment
 *         tables -> H_PARAMETER; hash base >> 38 -> H_P2, page size & ~7 ->
 *         H_P3, table size > 24 -> H_P4; "keep" (MODIFY = 0) in the other
 *         mode -> H_PARAMETER
 *   after: a misaligned or out-of-RAM table is accepted, and translation
 *         then reports BADCONFIG; deregistering keeps the entry's radix bit
 *         (table at 0); a hash registration returns to segment interrupts.
 * QEMU does not flush its TLB on the hcall (nesthv does): every
 * registration here is followed by tlbiel of everything, as an OS would.
 */
#include "env.h"

#define EA    0x10000000UL
#define Q1    0x4000000000000000UL

static unsigned long stub;

static long reg(const char *what, unsigned long flags, unsigned long base, unsigned long ps, unsigned long ts,
                long expect)
{
    long rc = hcall(H_REGISTER_PROCESS_TABLE, flags, base, ps, ts);
    env_flush(); /* QEMU keeps the translations it cached before the call */
    printf("%s(0x%lx, 0x%lx, 0x%lx, 0x%lx) = %ld\n", what, flags, base, ps, ts, rc);
    TEST_EQ(rc, expect);
    return rc;
}

static void boot_state(void)
{
    test_begin("before registration: hash mode, empty SLB");
    env_ld(EA, 0);
    ENV_EXPECT("ld q0", EXCP_DSEG, EA, 0);
    env_std(ENV_Q3 | EA, 1, 0);
    ENV_EXPECT("std q3", EXCP_DSEG, ENV_Q3 | EA, 0);
    env_ld(Q1 | EA, 0);
    ENV_EXPECT("ld q1", EXCP_DSEG, Q1 | EA, 0);
    env_exec(stub, EA, 0);
    ENV_EXPECT("fetch", EXCP_ISEG, env_stub_at(stub, env_stub_bctr), 0);
    env_word_print("tlbie prs=1", env_tlbie(0, 0, 0, 1, 0));
    env_word_print("tlbie prs=0", env_tlbie(0, 0, 0, 0, 0));
    env_word_print("tlbiel prs=1", env_tlbie(0, 0, 0, 1, 1));
    env_word_print("tlbiel prs=0", env_tlbie(0, 0, 0, 0, 1));
    env_word_print("tlbsync", env_word((31u << 26) | (ENV_XO_TLBSYNC << 1), 0, 0));
    reg("keep hash", 0, 0, 0, 0, H_SUCCESS);
    reg("keep radix", PROC_TABLE_RADIX, 0, 0, 0, H_PARAMETER);
}

static void errors(void)
{
    const unsigned long R = PROC_TABLE_NEW | PROC_TABLE_RADIX, H = PROC_TABLE_NEW;
    test_begin("argument checks");
    reg("flag 0x20", 0x20 | R, ENV_PRTB, 0, 0, H_PARAMETER);
    reg("flag bit 63", (1UL << 63) | R, ENV_PRTB, 0, 0, H_PARAMETER);
    reg("radix base & 0xfff", R, ENV_PRTB | 0x800, 0, 0, H_P2);
    reg("radix base >> 60", R, ENV_PRTB | (1UL << 60), 0, 0, H_P2);
    reg("radix base & 0xfff, page size", R, ENV_PRTB | 8, 1, 25, H_P2);
    reg("radix page size", R, ENV_PRTB, 1, 0, H_P3);
    reg("radix page size, table size", R, ENV_PRTB, 12, 25, H_P3);
    reg("radix table size 25", R, ENV_PRTB, 0, 25, H_P4);
    reg("radix table size -1", R, ENV_PRTB, 0, ~0UL, H_P4);
    reg("hash segment tables", H | PROC_TABLE_HPT_PT, 0, 0, 0, H_PARAMETER);
    reg("hash base >> 38", H, 1UL << 38, 0, 0, H_P2);
    reg("hash page size 8", H, 0, 8, 0, H_P3);
    reg("hash table size 25", H, 0, 0, 25, H_P4);
}

static void modes(void)
{
    RadixRoot t = env_tree();
    test_begin("registration and translation");
    env_fill(ENV_DATA, ENV_PAGE);
    env_map(&t, EA, ENV_DATA, ENV_PAGE, 12, ENV_RW);
    env_set_pid(0, &t);
    reg("radix", PROC_TABLE_NEW | PROC_TABLE_RADIX | PROC_TABLE_GTSE, ENV_PRTB, 0, 0, H_SUCCESS);
    env_ld(EA, 0);
    ENV_OK("ld", env_pattern(ENV_DATA));
    env_ld(ENV_Q3 | EA, 0);
    ENV_OK("ld q3 (PID 0 = PIDR)", env_pattern(ENV_DATA));
    reg("keep radix", PROC_TABLE_RADIX | PROC_TABLE_GTSE, 0, 0, 0, H_SUCCESS);
    env_ld(EA + 8, 0);
    ENV_OK("ld after keep", env_pattern(ENV_DATA + 8));
    reg("keep hash", 0, 0, 0, 0, H_PARAMETER);
    reg("table size 24", PROC_TABLE_NEW | PROC_TABLE_RADIX | PROC_TABLE_GTSE, ENV_PRTB, 0, 24, H_SUCCESS);
    env_ld(EA + 16, 0);
    ENV_EXPECT("ld, table misaligned for its size", EXCP_DSI, EA + 16, DSISR_BADCONFIG);
    reg("8K table at a 4K boundary", PROC_TABLE_NEW | PROC_TABLE_RADIX | PROC_TABLE_GTSE, ENV_PRTB + ENV_PAGE, 0, 1,
        H_SUCCESS);
    env_ld(EA, 0);
    ENV_EXPECT("ld", EXCP_DSI, EA, DSISR_BADCONFIG);
    env_exec(stub, EA, 0); /* the stub's own fetch faults first */
    ENV_EXPECT("fetch", EXCP_ISI, env_stub_at(stub, env_stub_bctr), DSISR_BADCONFIG);
    reg("table outside RAM", PROC_TABLE_NEW | PROC_TABLE_RADIX | PROC_TABLE_GTSE, 0x80000000UL, 0, 0, H_SUCCESS);
    env_ld(EA, 0);
    ENV_EXPECT("ld", EXCP_DSI, EA, DSISR_BADCONFIG);
    reg("radix again", PROC_TABLE_NEW | PROC_TABLE_RADIX | PROC_TABLE_GTSE, ENV_PRTB, 0, 0, H_SUCCESS);
    env_ld(EA, 0);
    ENV_OK("ld", env_pattern(ENV_DATA));
    reg("deregister, radix flag", PROC_TABLE_MODIFY | PROC_TABLE_RADIX, 0, 0, 0, H_SUCCESS);
    env_ld(EA, 0);
    ENV_EXPECT("ld: radix, table at 0", EXCP_DSI, EA, DSISR_BADCONFIG);
    env_word_print("tlbie (GTSE now 0)", env_tlbie(0, 0, 0, 1, 0));
    reg("deregister", PROC_TABLE_MODIFY, 0, 0, 0, H_SUCCESS);
    env_ld(EA, 0);
    ENV_EXPECT("ld: hash", EXCP_DSEG, EA, 0);
    reg("keep radix (entry kept GR)", PROC_TABLE_RADIX, 0, 0, 0, H_SUCCESS);
    env_ld(EA, 0);
    ENV_EXPECT("ld: radix, table at 0", EXCP_DSI, EA, DSISR_BADCONFIG);
    reg("keep hash", 0, 0, 0, 0, H_PARAMETER);
    reg("hash", PROC_TABLE_NEW, 0x1000, 7, 24, H_SUCCESS);
    env_ld(EA, 0);
    ENV_EXPECT("ld: hash", EXCP_DSEG, EA, 0);
    env_exec(stub, EA, 0);
    ENV_EXPECT("fetch: hash", EXCP_ISEG, env_stub_at(stub, env_stub_bctr), 0);
    reg("keep radix", PROC_TABLE_RADIX, 0, 0, 0, H_PARAMETER);
    reg("keep hash", PROC_TABLE_GTSE, 0, 0, 0, H_SUCCESS);
    env_word_print("tlbie (hash, GTSE)", env_tlbie(0, 0, 0, 1, 0));
    env_word_print("tlbie prs=0 (hash, GTSE)", env_tlbie(0, 0, 0, 0, 0));
    reg("radix once more", PROC_TABLE_NEW | PROC_TABLE_RADIX | PROC_TABLE_GTSE, ENV_PRTB, 0, 0, H_SUCCESS);
    env_ld(EA + 24, 0);
    ENV_OK("ld", env_pattern(ENV_DATA + 24));
}

int main(void)
{
    env_init();
    stub = (unsigned long)env_stub_page;
    boot_state();
    errors();
    modes();
    return test_report();
}
