/* nesthv-test-args: -M pseries,cap-nested-papr=on,cap-nested-hv=off */
/*
 * churn.c - deleting a guest gives back everything it held: 100 000 times
 * create a guest, give it its tables and registers, run an L2 that touches
 * memory (shadow faults in L0) and makes an hcall, delete it.  L0's
 * host-wide counters (elements 0x0800-0x0803: nested-state heap and shadow
 * page tables, in use and high-water marks) must read the same after the
 * last iteration as after the first ones: nothing accumulates.  The check
 * is on the counters, never on time.  (An L0 that reports no counters --
 * zeros -- passes trivially: the test asserts stability, not amounts.)
 */
#include "l0v2.h"

#define ITERATIONS  100000UL
#define WARMUP      4UL        /* the counters are taken after these */
#define NPAGES      4
#define DATA_L1RA   (NHV_DATA + 0x200000UL)

static L0v2 l;

static unsigned long l2_touch(unsigned long arg)
{
    unsigned long sum = arg;
    for (unsigned long i = 0; i < NPAGES; i++)
        sum += *(volatile unsigned long *)(NHV_L2_DATA + i * NHV_PAGE);
    *(volatile unsigned long *)(NHV_L2_DATA + NHV_PAGE) = sum;
    return sum;
}

typedef struct Counters {
    uint64_t v[4];
} Counters;

static long read_counters(Counters *c)
{
    static const uint16_t ids[4] = { GSB_ID_L0_GUEST_HEAP, GSB_ID_L0_GUEST_HEAP_MAX, GSB_ID_L0_GUEST_PGTABLE_SIZE,
                                     GSB_ID_L0_GUEST_PGTABLE_SIZE_MAX };
    GsbBuf b = l0v2_req();
    uint64_t r4 = 0;
    for (unsigned i = 0; i < 4; i++)
        gsb_put_u64(&b, ids[i], 0);
    long rc = nv2_get_state(NV2_STATE_HOST_WIDE, 0, 0, b.data, gsb_len(&b), &r4);
    GsbView v;
    if (rc == H_SUCCESS && gsb_parse(b.data, gsb_len(&b), &v, NULL) == GSB_OK)
        for (unsigned i = 0; i < 4; i++)
            gsb_find_u64(&v, ids[i], &c->v[i]);
    return rc;
}

/* One guest's life; 0 if it went as expected. */
static int one_guest(unsigned long i)
{
    uint64_t exit = 0;
    l.id = 0;
    if (l0v2_new(&l) != H_SUCCESS || l0v2_call(&l, l2_touch, i) != H_SUCCESS)
        return 1;
    if (l0v2_run(&l, &exit) != H_SUCCESS || exit != EXCP_SYSCALL || l0v2_out(&l, GSB_ID_GPR(3)) != NHV_HC_DONE)
        return 2;
    if (l0v2_out(&l, GSB_ID_GPR(4)) != i + 1 + 2 + 3 + 4) /* arg + the four pages */
        return 3;
    return nv2_delete(0, l.id) == H_SUCCESS ? 0 : 4;
}

int main(void)
{
    Counters first = { { 0 } }, now = { { 0 } };
    test_begin("create / run / delete churn");
    l0v2_init();
    for (unsigned long p = 0; p < NPAGES; p++)
        nhv_st64(DATA_L1RA + p * NHV_PAGE, p + 1);
    memset(&l, 0, sizeof l);
    /* One tree for every guest (the L1's memory is not what is being tested). */
    if (radix_tree_create(&nhv_mem, &l.tree) != 0 ||
        radix_map(&nhv_mem, &l.tree, 0, NHV_VEC, NHV_VEC_BYTES, 12, NHV_RWX) != 0 ||
        radix_map(&nhv_mem, &l.tree, NHV_ID_START, NHV_ID_START, NHV_ID_END - NHV_ID_START, 21, NHV_RWX) != 0 ||
        radix_map(&nhv_mem, &l.tree, NHV_L2_DATA, DATA_L1RA, NPAGES * NHV_PAGE, 12, NHV_RW) != 0)
        nhv_die("radix", -1);
    unsigned long failed = 0, first_bad = 0;
    for (unsigned long i = 0; i < ITERATIONS; i++) {
        /* page 1 accumulates: reset it so every guest computes the same sum */
        nhv_st64(DATA_L1RA + NHV_PAGE, 2);
        int why = one_guest(i);
        if (why && !failed++)
            first_bad = i * 10 + (unsigned long)why;
        if (i + 1 == WARMUP)
            TEST_EQ(read_counters(&first), H_SUCCESS);
    }
    TEST_EQ(failed, 0);
    if (failed)
        printf("first failure: iteration %lu, step %lu\n", first_bad / 10, first_bad % 10);
    TEST_EQ(read_counters(&now), H_SUCCESS);
    printf("guests: %lu\n", ITERATIONS);
    TEST_EQ(now.v[0], first.v[0]); /* heap in use */
    TEST_EQ(now.v[1], first.v[1]); /* heap high-water mark */
    TEST_EQ(now.v[2], first.v[2]); /* shadow tables in use */
    TEST_EQ(now.v[3], first.v[3]); /* shadow tables high-water mark */
    return test_report();
}
