/* nesthv-test-args: -M pseries,cap-nested-papr=on */
/*
 * lazy.c - the L1-side lazy state cache (firmware/libfw/nv2.c, seed 001:
 * what Linux does as an L1) against a real L0, counting hypercalls:
 *   - after an hcall exit, GPR3-12 came in the output buffer: reading
 *     them costs no hcall; reading CTR costs exactly one GET_STATE, and
 *     reading it again none; nv2_fetch() of LR, XER and SRR0 costs one;
 *   - writes cost nothing until the run; thread-wide ones then travel in
 *     the run input buffer (the run is the only hcall) and the L2 sees
 *     them; a dirty guest-wide element (TB offset) adds exactly one
 *     SET_STATE; after the run the cache is invalid again;
 *   - the L2 observes the TB offset (its timebase is ahead of the L1's by
 *     at least the offset) and the L1 reads what the L2 left in CTR.
 */
#include "v2t.h"

static V2tL2 l2;

/* sc 1 (NHV_HC_TEST | 1), then return the L1's answer + CTR + 1000. */
static unsigned long lz_payload(unsigned long a)
{
    unsigned long r = (unsigned long)nhv_l2_hcall(NHV_HC_TEST | 1, a, 0);
    unsigned long ctr;
    __asm__ volatile("mfctr %0" : "=r"(ctr));
    return r + ctr + 1000;
}

/* Return the L2's timebase; leave 0x5a5a in CTR. */
static unsigned long lz_tb(unsigned long a)
{
    unsigned long ctr = 0x5a5a;
    __asm__ volatile("mtctr %0" : : "r"(ctr));
    return mftb() + a;
}

static void test_reads(Nv2Vcpu *v)
{
    test_begin("reads after an exit");
    v2t_call(v, lz_payload, 7);
    TEST_EQ(nv2_flush_guest(v->guest), H_SUCCESS);   /* the partition table, set up once */
    nv2_stats_reset();
    TEST_EQ(v2t_run(v), H_SUCCESS);
    printf("run: exit 0x%lx, hcalls %lu (run %lu set %lu)\n", (unsigned long)v->exit, nv2_stats_total(),
           nv2_stats.run_vcpu, nv2_stats.set_state);
    TEST_EQ(v->exit, EXCP_SYSCALL);
    TEST_EQ(nv2_stats_total(), 1);              /* everything dirty went in the input buffer */
    nv2_stats_reset();
    uint64_t sum = 0;
    for (unsigned r = 3; r <= 12; r++)
        sum += nv2_get64(v, GSB_ID_GPR(r));
    printf("GPR3-12 read: hcalls %lu, r3=0x%lx r4=%lu\n", nv2_stats_total(),
           (unsigned long)nv2_get64(v, GSB_ID_GPR(3)), (unsigned long)nv2_get64(v, GSB_ID_GPR(4)));
    TEST_EQ(nv2_stats_total(), 0);
    TEST_NE(sum, 0);
    TEST_ASSERT(!nv2_is_valid(v, GSB_ID_CTR));
    nv2_get64(v, GSB_ID_CTR);
    printf("CTR read: hcalls %lu (get_state %lu)\n", nv2_stats_total(), nv2_stats.get_state);
    TEST_EQ(nv2_stats.get_state, 1);
    TEST_EQ(nv2_stats_total(), 1);
    nv2_get64(v, GSB_ID_CTR);
    TEST_EQ(nv2_stats_total(), 1);
    static const uint16_t three[] = { GSB_ID_LR, GSB_ID_XER, GSB_ID_SRR0, GSB_ID_CTR };
    TEST_EQ(nv2_fetch(v, three, 4), H_SUCCESS);
    printf("LR, XER, SRR0 (+CTR cached) fetched: hcalls %lu, LR as set: %d\n", nv2_stats_total(),
           nv2_get64(v, GSB_ID_LR) == NHV_DONE_GPA);
    TEST_EQ(nv2_stats_total(), 2);
    TEST_EQ(nv2_get64(v, GSB_ID_LR), NHV_DONE_GPA);   /* the payload made no call */
}

static void test_writes(Nv2Vcpu *v)
{
    test_begin("writes batched into the run");
    nv2_stats_reset();
    nv2_set64(v, GSB_ID_GPR(3), 100);           /* the L1's hcall answer */
    nv2_set64(v, GSB_ID_CTR, 23);
    nv2_set64(v, GSB_ID_SPRG(2), 0x22);
    nv2_set32(v, GSB_ID_VRSAVE, 0x33);
    nv2_set128(v, GSB_ID_VSR(40), (GsbU128){ 1, 2 });
    printf("5 writes: hcalls %lu, CTR dirty: %d\n", nv2_stats_total(), nv2_is_dirty(v, GSB_ID_CTR));
    TEST_EQ(nv2_stats_total(), 0);
    TEST_ASSERT(nv2_is_dirty(v, GSB_ID_CTR));
    TEST_EQ(nv2_get64(v, GSB_ID_CTR), 23);      /* a dirty value reads from the cache */
    TEST_EQ(nv2_stats_total(), 0);
    TEST_EQ(v2t_run(v), H_SUCCESS);
    uint64_t res = v->exit == EXCP_SYSCALL ? nv2_get64(v, GSB_ID_GPR(4)) : 0;
    printf("run: hcalls %lu, exit 0x%lx, L2 result %lu, CTR dirty: %d valid: %d\n", nv2_stats_total(),
           (unsigned long)v->exit, (unsigned long)res, nv2_is_dirty(v, GSB_ID_CTR), nv2_is_valid(v, GSB_ID_CTR));
    TEST_EQ(nv2_stats_total(), 1);
    TEST_EQ(res, 100 + 23 + 1000);
    TEST_ASSERT(!nv2_is_valid(v, GSB_ID_CTR));
    nv2_stats_reset();
    TEST_EQ(nv2_get64(v, GSB_ID_SPRG(2)), 0x22);   /* written before the run, read back after it */
    TEST_EQ(nv2_get32(v, GSB_ID_VRSAVE), 0x33);
    TEST_EQ(nv2_get128(v, GSB_ID_VSR(40)).lo, 2);
    printf("three reads after the run: hcalls %lu\n", nv2_stats_total());
    TEST_EQ(nv2_stats_total(), 3);
}

static void test_guest_wide(Nv2Vcpu *v)
{
    const uint64_t tbo = 1ULL << 36;
    test_begin("a guest-wide write: one SET_STATE before the run");
    v2t_call(v, lz_tb, 0);
    nv2_guest_set64(v->guest, GSB_ID_TB_OFFSET, tbo);
    nv2_stats_reset();
    unsigned long l1_tb = mftb();
    unsigned long l2_tb = v2t_run_done(v);
    printf("hcalls %lu (set_state %lu, run %lu)\n", nv2_stats_total(), nv2_stats.set_state, nv2_stats.run_vcpu);
    TEST_EQ(nv2_stats.set_state, 1);
    TEST_EQ(nv2_stats.run_vcpu, 1);
    printf("L2 timebase ahead of the L1's by the offset: %d\n", l2_tb - l1_tb >= tbo && l2_tb - l1_tb < tbo * 2);
    TEST_ASSERT(l2_tb - l1_tb >= tbo);
    TEST_ASSERT(l2_tb - l1_tb < tbo * 2);
    nv2_stats_reset();
    printf("CTR the L2 left: 0x%lx, hcalls %lu\n", (unsigned long)nv2_get64(v, GSB_ID_CTR), nv2_stats_total());
    TEST_EQ(nv2_get64(v, GSB_ID_CTR), 0x5a5a);
    TEST_EQ(nv2_stats_total(), 1);
}

/* More dirty elements than the input buffer holds: the rest goes by SET_STATE first. */
static void test_overflow(Nv2Vcpu *v)
{
    test_begin("more writes than the input buffer holds");
    v2t_call(v, lz_tb, 0);
    for (unsigned i = 0; i < 64; i++)
        nv2_set128(v, GSB_ID_VSR(i), (GsbU128){ i, ~(uint64_t)i });   /* 64 x 20 bytes > 1024 */
    nv2_stats_reset();
    v2t_run_done(v);
    printf("hcalls %lu (set_state %lu, run %lu)\n", nv2_stats_total(), nv2_stats.set_state, nv2_stats.run_vcpu);
    TEST_EQ(nv2_stats.set_state, 1);
    TEST_EQ(nv2_stats.run_vcpu, 1);
    GsbU128 v63 = nv2_get128(v, GSB_ID_VSR(63));
    TEST_EQ(v63.hi, 63);
    TEST_EQ(v63.lo, ~63ULL);
}

int main(void)
{
    v2t_init();
    v2t_setup(&l2, 1, NULL);
    Nv2Vcpu *v = &l2.vcpu[0];
    test_reads(v);
    test_writes(v);
    test_guest_wide(v);
    test_overflow(v);
    TEST_EQ(nv2_guest_delete(&l2.g), H_SUCCESS);
    return test_report();
}
