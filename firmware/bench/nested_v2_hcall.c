/*
 * nested_v2_hcall.c - nested virtualization costs through the PAPR nested
 * API (v2), the counterpart of nested_hcall.c (v1): an L1 (the v2 L0 tests'
 * l0v2.h) runs one L2 that
 *   1. makes ROUNDTRIPS null hypercalls, each an L2 -> L1 -> L2 round trip
 *      through H_GUEST_RUN_VCPU.  The L1 is lazy as Linux's nestedv2 L1 is:
 *      the hcall's arguments come in the run output buffer, the answer goes
 *      in the next run's input buffer -- one hypercall per exit, where v1's
 *      H_ENTER_NESTED also moves the whole register state both ways;
 *   2. touches TOUCH_PAGES fresh 4 KiB pages TOUCH_ROUNDS times, the L1
 *      flushing the guest's partition scope between rounds (H_TLB_INVALIDATE
 *      IS=2 with the v2 guest id, as a Linux nestedv2 L1 does without
 *      H_RPT_INVALIDATE), so that every touch is a nested page fault L0 resolves.
 * Prints the hypercalls the L1 made per L2 exit, and the same for EAGER_ROUNDTRIPS
 * round trips of an eager L1 that fetches and resends the register set at
 * every exit (what the output buffer and L0-kept state spare a lazy L1).  Run with
 * -M pseries,cap-nested-papr=on (bench/run.sh passes it to QEMU 10).
 * Exits 0 only if every answer is right.
 */
#include "fw.h"
#include "../tests/nested_v2/l0v2.h"

#define ROUNDTRIPS   100000
#define EAGER_ROUNDTRIPS 1000
#define TOUCH_PAGES  4096
#define TOUCH_ROUNDS 8
#define TOUCH_GPA    NHV_L2_DATA
#define TOUCH_RA     NHV_DATA

static L0v2 l;

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

/* Run until the L2 function returns; its result (r4 of the DONE hcall), or ~0. */
static unsigned long run_done(unsigned long *exits)
{
    uint64_t exit = 0;
    for (;;) {
        if (l0v2_run(&l, &exit) != H_SUCCESS || exit != EXCP_SYSCALL)
            return ~0UL;
        (*exits)++;
        if (l0v2_out(&l, GSB_ID_GPR(3)) == NHV_HC_DONE)
            return l0v2_out(&l, GSB_ID_GPR(4));
    }
}

int main(void)
{
    int fails = 0;
    uint64_t exit = 0;
    l0v2_init();
    memset(&l, 0, sizeof l);
    if (l0v2_new(&l) != H_SUCCESS)
        return 1;

    /* 1. null hcall round trips: one H_GUEST_RUN_VCPU per exit */
    if (l0v2_call(&l, l2_roundtrips, ROUNDTRIPS) != H_SUCCESS)
        return 1;
    nv2_stats_reset();
    unsigned long trips = 0, exits = 0;
    GsbBuf in = l0v2_input(&l);
    for (;;) {
        if (l0v2_run_flags(&l, 0, &exit) != H_SUCCESS || exit != EXCP_SYSCALL) {
            printf("unexpected exit 0x%lx\n", (unsigned long)exit);
            return 1;
        }
        exits++;
        uint64_t r3 = 0, r4 = 0;
        GsbIter it;
        GsbElem e;
        for (gsb_iter_init(&it, &l.outv); gsb_iter_next(&it, &e);) {
            if (e.id == GSB_ID_GPR(3))
                gsb_elem_u64(&e, &r3);
            else if (e.id == GSB_ID_GPR(4))
                gsb_elem_u64(&e, &r4);
        }
        if (r3 == NHV_HC_DONE)
            break;
        in = l0v2_input(&l);
        gsb_put_u64(&in, GSB_ID_GPR(3), r4 + 1);
        trips++;
    }
    unsigned long hcalls = nv2_stats_total();
    unsigned long wrong = l0v2_out(&l, GSB_ID_GPR(4));
    printf("null hcall round trips: %lu, wrong answers %lu\n", trips, wrong);
    printf("hypercalls per exit (v2, lazy L1): %lu.%02lu\n", hcalls / exits, hcalls * 100 / exits % 100);
    fails += trips != ROUNDTRIPS || wrong != 0;

    /* 1b. the same with an eager L1 (no lazy state: every exit fetches the register set with
     *     H_GUEST_GET_STATE and sends it back with H_GUEST_SET_STATE before the next run) */
    if (l0v2_call(&l, l2_roundtrips, EAGER_ROUNDTRIPS) != H_SUCCESS)
        return 1;
    nv2_stats_reset();
    unsigned long eager_trips = 0, eager_exits = 0;
    (void)l0v2_input(&l);
    for (;;) {
        if (l0v2_run_flags(&l, 0, &exit) != H_SUCCESS || exit != EXCP_SYSCALL)
            return 1;
        eager_exits++;
        GsbBuf b = l0v2_req();
        for (unsigned r = 0; r < 32; r++)
            gsb_put_u64(&b, GSB_ID_GPR(r), 0);
        gsb_put_u64(&b, GSB_ID_NIA, 0);
        gsb_put_u64(&b, GSB_ID_MSR, 0);
        gsb_put_u64(&b, GSB_ID_LR, 0);
        gsb_put_u64(&b, GSB_ID_CTR, 0);
        gsb_put_u64(&b, GSB_ID_XER, 0);
        gsb_put_u32(&b, GSB_ID_CR, 0);
        uint64_t bad = 0;
        if (nv2_get_state(0, l.id, 0, b.data, gsb_len(&b), &bad) != H_SUCCESS)
            return 1;
        GsbView v;
        uint64_t r3 = 0, r4 = 0;
        if (gsb_parse(b.data, gsb_len(&b), &v, NULL) != GSB_OK || !gsb_find_u64(&v, GSB_ID_GPR(3), &r3) ||
            !gsb_find_u64(&v, GSB_ID_GPR(4), &r4))
            return 1;
        if (r3 == NHV_HC_DONE)
            break;
        /* the answer in the fetched set, all of it sent back */
        GsbIter it;
        GsbElem e;
        for (gsb_iter_init(&it, &v); gsb_iter_next(&it, &e);) {
            uint64_t msr;
            if (e.id == GSB_ID_GPR(3))
                gsb_write_u64(b.data, gsb_len(&b), &e, r4 + 1);
            else if (e.id == GSB_ID_MSR && gsb_elem_u64(&e, &msr)) /* L0's bits go (the mask, as Linux) */
                gsb_write_u64(b.data, gsb_len(&b), &e, msr & GSB_MASK_MSR);
        }
        if (nv2_set_state(0, l.id, 0, b.data, gsb_len(&b), &bad) != H_SUCCESS)
            return 1;
        (void)l0v2_input(&l);
        eager_trips++;
    }
    unsigned long eager_hcalls = nv2_stats_total();
    printf("hypercalls per exit (v2, eager L1): %lu.%02lu\n", eager_hcalls / eager_exits,
           eager_hcalls * 100 / eager_exits % 100);
    fails += eager_trips != EAGER_ROUNDTRIPS;

    /* 2. nested page faults */
    for (unsigned long p = 0; p < TOUCH_PAGES; p++)
        nhv_st64(TOUCH_RA + p * NHV_PAGE, p);
    if (radix_map(&nhv_mem, &l.tree, TOUCH_GPA, TOUCH_RA, TOUCH_PAGES * NHV_PAGE, 12, NHV_RW) != 0)
        return 1;
    unsigned long expect = (unsigned long)TOUCH_PAGES * (TOUCH_PAGES - 1) / 2;
    for (unsigned long r = 1; r <= TOUCH_ROUNDS; r++) {
        /* flush the guest's partition scope: every touch of this round faults in L0 */
        (void)hcall(H_TLB_INVALIDATE, TLBIE_INSN_R, l.id, (unsigned long)TLBIE_IS_LPID << TLBIE_RB_IS_SHIFT);
        if (l0v2_call(&l, l2_touch, r) != H_SUCCESS)
            return 1;
        expect += TOUCH_PAGES * r;
        unsigned long n = 0;
        fails += run_done(&n) != expect;
    }
    printf("page touches: %u pages x %u rounds, sums %s\n", TOUCH_PAGES, TOUCH_ROUNDS, fails ? "WRONG" : "ok");
    return fails;
}
