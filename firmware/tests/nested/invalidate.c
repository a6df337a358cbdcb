/* nesthv-test-args: -M pseries,cap-nested-hv=on */
/*
 * invalidate.c - the L1 changes its tree for an L2 and invalidates: the L2
 * must see the change -- a new page, or a fault where the L1 unmapped --
 * never the stale translation L0's shadow tree held.  (QEMU 7.2 keeps no
 * shadow state, so these pass there without the invalidations; nesthv
 * fails them if an invalidation misses a shadow PTE.)
 *   - H_TLB_INVALIDATE IS=0 (one page), IS=2 (the lpid, RIC=0), IS=3 (all);
 *   - RIC=2 after the L1 cleared the partition-table entry: the guest is gone,
 *     a new one with the same lpid starts afresh;
 *   - H_RPT_INVALIDATE, nested type: a range and everything (QEMU 7.2 TCG has
 *     no H_RPT_INVALIDATE: H_FUNCTION, qemu-diff);
 *   - the L1 executing tlbie with PRS=0 (emulated by L0; QEMU 7.2 gives the
 *     L1 a privileged-instruction program interrupt: qemu-diff);
 *   - the same L1 page in two L2s: both see each other's stores; unmapped
 *     from one, the other keeps it.
 */
#include "nhv.h"

#define GPA_A      NHV_L2_DATA
#define GPA_B      (NHV_L2_DATA + 0x200000UL)
#define RA_P       NHV_DATA                  /* pages with known contents */
#define RA_Q       (NHV_DATA + 0x1000UL)
#define RA_R       (NHV_DATA + 0x2000UL)
#define L1_PRTB    0x03000000UL              /* an empty process table for the L1 itself */

static NhvGuest g1, g2;

static unsigned long l2_load(unsigned long addr)
{
    return *(volatile unsigned long *)addr;
}

static unsigned long l2_store(unsigned long addr)
{
    *(volatile unsigned long *)addr += 1;
    return *(volatile unsigned long *)addr;
}

/* What the L2 sees at gpa: the value, or the exit. */
static void show(NhvGuest *g, const char *what, unsigned long (*fn)(unsigned long), unsigned long gpa)
{
    nhv_call(g, fn, gpa);
    long v = nhv_run(g);
    if (v == EXCP_SYSCALL && nhv_hc(g) == NHV_HC_DONE)
        printf("%s: 0x%lx\n", what, g->regs.gpr[4]);
    else
        printf("%s: exit 0x%lx hdar=0x%lx hdsisr=0x%lx\n", what, v, g->hv.hdar, g->hv.hdsisr);
}

static void remap(NhvGuest *g, unsigned long gpa, unsigned long ra)
{
    TEST_EQ(radix_unmap(&nhv_mem, &g->tree, gpa, NHV_PAGE), 0);
    if (ra)
        TEST_EQ(nhv_map(g, gpa, ra, NHV_PAGE, 12, NHV_RW), 0);
}

static unsigned long tlbie_insn(unsigned ric)
{
    return TLBIE_INSN_R | (unsigned long)ric << TLBIE_INSN_RIC_SHIFT;
}

static unsigned long rb_is(unsigned is)
{
    return (unsigned long)is << TLBIE_RB_IS_SHIFT;
}

static void test_page(void)
{
    test_begin("H_TLB_INVALIDATE of one page");
    show(&g1, "before", l2_load, GPA_A);
    remap(&g1, GPA_A, RA_Q);
    TEST_EQ(hcall(H_TLB_INVALIDATE, tlbie_insn(0), g1.lpid, GPA_A), H_SUCCESS);
    show(&g1, "moved to another page", l2_load, GPA_A);
    remap(&g1, GPA_A, 0);
    TEST_EQ(hcall(H_TLB_INVALIDATE, tlbie_insn(0), g1.lpid, GPA_A), H_SUCCESS);
    show(&g1, "unmapped", l2_load, GPA_A);
    TEST_EQ(nhv_map(&g1, GPA_A, RA_P, NHV_PAGE, 12, NHV_RW), 0);
    show(&g1, "mapped again", l2_load, GPA_A);
}

static void test_lpid(void)
{
    test_begin("H_TLB_INVALIDATE of the lpid, and of everything");
    show(&g1, "A", l2_load, GPA_A);
    show(&g1, "B", l2_load, GPA_B);
    remap(&g1, GPA_A, RA_R);
    remap(&g1, GPA_B, RA_P);
    TEST_EQ(hcall(H_TLB_INVALIDATE, tlbie_insn(0), g1.lpid, rb_is(TLBIE_IS_LPID)), H_SUCCESS);
    show(&g1, "A after the lpid flush", l2_load, GPA_A);
    show(&g1, "B after the lpid flush", l2_load, GPA_B);
    remap(&g1, GPA_A, RA_P);
    remap(&g1, GPA_B, RA_Q);
    TEST_EQ(hcall(H_TLB_INVALIDATE, tlbie_insn(2), 0, rb_is(TLBIE_IS_ALL)), H_SUCCESS);
    show(&g1, "A after flushing everything", l2_load, GPA_A);
    show(&g1, "B after flushing everything", l2_load, GPA_B);
}

static void test_delete(void)
{
    test_begin("the L1 deletes the guest (entry cleared, RIC=2)");
    nhv_set_pate(g1.lpid, 0, 0);
    TEST_EQ(hcall(H_TLB_INVALIDATE, tlbie_insn(2), g1.lpid, rb_is(TLBIE_IS_LPID)), H_SUCCESS);
    NhvGuest fresh;
    nhv_guest_init(&fresh, g1.lpid, NULL);      /* a new tree: GPA_A unmapped */
    show(&fresh, "new guest, same lpid", l2_load, GPA_A);
    nhv_guest_pate(&g1, 0);                      /* back to the old tree */
    TEST_EQ(hcall(H_TLB_INVALIDATE, tlbie_insn(2), g1.lpid, rb_is(TLBIE_IS_LPID)), H_SUCCESS);
    show(&g1, "old tree again", l2_load, GPA_A);
}

static void test_rpt(void)
{
    test_begin("H_RPT_INVALIDATE, nested type");
    remap(&g1, GPA_A, RA_R);
    long rc = hcall(H_RPT_INVALIDATE, g1.lpid, H_RPTI_TARGET_CMMU, H_RPTI_TYPE_NESTED | H_RPTI_TYPE_TLB,
                    H_RPTI_PAGE_4K, GPA_A, GPA_A + NHV_PAGE);
    printf("range: rc=%ld\n", rc);
    show(&g1, "A after the range", l2_load, GPA_A);
    remap(&g1, GPA_A, RA_P);
    rc = hcall(H_RPT_INVALIDATE, g1.lpid, H_RPTI_TARGET_CMMU, H_RPTI_TYPE_NESTED | H_RPTI_TYPE_NESTED_ALL,
               H_RPTI_PAGE_ALL, 0, ~0UL);
    printf("all: rc=%ld\n", rc);
    show(&g1, "A after everything", l2_load, GPA_A);
}

static int on_trap(struct fw_trap *t)
{
    printf("L1 interrupt 0x%lx srr1 cause 0x%lx\n", (unsigned long)t->vec, (unsigned long)(t->srr1 & 0x1f0000));
    t->srr0 += 4;
    return 0;
}

static void test_tlbie(void)
{
    test_begin("the L1 executes tlbie PRS=0");
    fw_set_trap_handler(on_trap);
    remap(&g1, GPA_A, RA_Q);
    __asm__ volatile("ptesync; tlbie %0, %1, 0, 0, 1; eieio; tlbsync; ptesync"
                     : : "r"(GPA_A), "r"((unsigned long)g1.lpid) : "memory");
    show(&g1, "A after tlbie IS=0", l2_load, GPA_A);
    remap(&g1, GPA_A, RA_P);
    __asm__ volatile("ptesync; tlbie %0, %1, 2, 0, 1; eieio; tlbsync; ptesync"
                     : : "r"(rb_is(TLBIE_IS_LPID)), "r"((unsigned long)g1.lpid) : "memory");
    show(&g1, "A after tlbie IS=2 RIC=2", l2_load, GPA_A);
    printf("an invalid form (IS=1 with PRS=0):\n");
    __asm__ volatile("tlbie %0, %1, 0, 0, 1" : : "r"(rb_is(TLBIE_IS_PID)), "r"(0UL) : "memory");
    fw_set_trap_handler(NULL);
}

static void test_shared(void)
{
    test_begin("the same L1 page in two L2s");
    nhv_guest_init(&g2, 2, NULL);
    TEST_EQ(nhv_map(&g2, GPA_B + 0x5000, RA_P, NHV_PAGE, 12, NHV_RW), 0);
    show(&g1, "L2 #1 increments", l2_store, GPA_A);
    show(&g2, "L2 #2 increments", l2_store, GPA_B + 0x5000);
    show(&g1, "L2 #1 sees", l2_load, GPA_A);
    remap(&g1, GPA_A, 0);
    TEST_EQ(hcall(H_TLB_INVALIDATE, tlbie_insn(0), g1.lpid, GPA_A), H_SUCCESS);
    show(&g1, "unmapped from L2 #1", l2_load, GPA_A);
    show(&g2, "L2 #2 still has it", l2_load, GPA_B + 0x5000);
    TEST_EQ(nhv_ld64(RA_P), 0x50a2);
}

int main(void)
{
    nhv_st64(RA_P, 0x50a0);
    nhv_st64(RA_Q, 0x51a0);
    nhv_st64(RA_R, 0x52a0);
    /* H_RPT_INVALIDATE needs a radix L1: an empty process table (the L1 stays in real mode) */
    memset(nhv_real(L1_PRTB), 0, NHV_PAGE);
    TEST_EQ(hcall(H_REGISTER_PROCESS_TABLE, PROC_TABLE_MODIFY | PROC_TABLE_REGISTER | PROC_TABLE_RADIX |
                  PROC_TABLE_GTSE, L1_PRTB, 0, 0), H_SUCCESS);
    nhv_init(0);
    nhv_guest_init(&g1, 1, NULL);
    TEST_EQ(nhv_map(&g1, GPA_A, RA_P, NHV_PAGE, 12, NHV_RW), 0);
    TEST_EQ(nhv_map(&g1, GPA_B, RA_Q, NHV_PAGE, 12, NHV_RW), 0);
    test_page();
    test_lpid();
    test_delete();
    test_rpt();
    test_tlbie();
    test_shared();
    return test_report();
}
