/*
 * nested_hcall.c - nested virtualization costs (seed 000: "a nested guest
 * should run close to a non-nested one"): an L1 hypervisor (the nested
 * tests' nhv.h) runs one L2 that
 *   1. makes ROUNDTRIPS null hypercalls, each a full L2 -> L1 -> L2 round
 *      trip through H_ENTER_NESTED (the L1 answers r4 + 1, the L2 checks);
 *   2. touches TOUCH_PAGES fresh 4 KiB pages TOUCH_ROUNDS times, the L1
 *      flushing the guest's partition scope between rounds (H_TLB_INVALIDATE
 *      IS=2), so that every touch is a nested page fault L0 resolves; the
 *      sums are checked.
 * Run with -M pseries,cap-nested-hv=on (bench/run.sh passes it to QEMU;
 * nesthv has it on by default).  Exits 0 only if every answer is right.
 */
#include "fw.h"
#include "../tests/nested/nhv.h"

#define ROUNDTRIPS   100000
#define TOUCH_PAGES  4096
#define TOUCH_ROUNDS 8
#define TOUCH_GPA    NHV_L2_DATA
#define TOUCH_RA     NHV_DATA

static NhvGuest g;

static unsigned long l2_roundtrips(unsigned long n)
{
    unsigned long bad = 0;
    for (unsigned long i = 0; i < n; i++)
        if ((unsigned long)nhv_l2_hcall(NHV_HC_TEST | 1, i, 0) != i + 1)
            bad++;
    return bad;
}

static unsigned long l2_touch(unsigned long round)
{
    unsigned long sum = 0;
    for (unsigned long p = 0; p < TOUCH_PAGES; p++) {
        volatile unsigned long *w = (volatile unsigned long *)(TOUCH_GPA + p * NHV_PAGE);
        *w += round;
        sum += *w;
    }
    return sum;
}

int main(void)
{
    int fails = 0;
    nhv_init(0);
    nhv_guest_init(&g, 1, NULL);

    nhv_call(&g, l2_roundtrips, ROUNDTRIPS);
    unsigned long trips = 0;
    for (;;) {
        long v = nhv_run(&g);
        if (v != EXCP_SYSCALL) {
            printf("unexpected exit 0x%lx\n", (unsigned long)v);
            return 1;
        }
        if (nhv_hc(&g) == NHV_HC_DONE)
            break;
        g.regs.gpr[3] = g.regs.gpr[4] + 1;
        trips++;
    }
    printf("null hcall round trips: %lu, wrong answers %lu\n", trips, (unsigned long)g.regs.gpr[4]);
    fails += trips != ROUNDTRIPS || g.regs.gpr[4] != 0;

    for (unsigned long p = 0; p < TOUCH_PAGES; p++)
        nhv_st64(TOUCH_RA + p * NHV_PAGE, p);
    if (nhv_map(&g, TOUCH_GPA, TOUCH_RA, TOUCH_PAGES * NHV_PAGE, 12, NHV_RW) != 0)
        return 1;
    unsigned long expect = (unsigned long)TOUCH_PAGES * (TOUCH_PAGES - 1) / 2;
    for (unsigned long r = 1; r <= TOUCH_ROUNDS; r++) {
        hcall(H_TLB_INVALIDATE, TLBIE_INSN_R, g.lpid, (unsigned long)TLBIE_IS_LPID << TLBIE_RB_IS_SHIFT);
        nhv_call(&g, l2_touch, r);
        expect += TOUCH_PAGES * r;
        fails += nhv_run_done(&g) != expect;
    }
    printf("page touches: %u pages x %u rounds, sums %s\n", TOUCH_PAGES, TOUCH_ROUNDS, fails ? "WRONG" : "ok");
    return fails;
}
