/* nesthv-test-args: -M pseries,cap-nested-hv=on */
/*
 * many.c - as many nested guests as an L1's partition table holds: 4095
 * (PATS 4; lpid 0 is reserved), all alive at once -- nesthv gives each a
 * shadow LPID of its own beyond the 12 bits POWER9's LPIDR has -- then run
 * all again, drop them all with H_SET_PARTITION_TABLE(0), and start over.
 * The guests share one L1 tree (legal: several partition-table entries may
 * name the same tree), so the same L1 pages back all of them.
 */
#include "nhv.h"

#define PATS      4
#define NGUESTS   ((1u << (PATS + 8)) - 1)

static NhvGuest g;

static unsigned long l2_fn(unsigned long lpid)
{
    return lpid * 3 + 1;
}

/* Enter lpid (its entry names tree) and check the answer; 1 if right. */
static int run(uint32_t lpid, const NhvGuest *tree)
{
    nhv_guest_init(&g, lpid, tree);
    nhv_call(&g, l2_fn, lpid);
    long v = nhv_run(&g);
    return v == EXCP_SYSCALL && nhv_hc(&g) == NHV_HC_DONE && g.regs.gpr[4] == lpid * 3 + 1;
}

int main(void)
{
    static NhvGuest first;
    unsigned ok = 0;
    nhv_init(PATS);
    nhv_guest_init(&first, 1, NULL);
    test_begin("4095 guests");
    for (uint32_t lpid = 1; lpid <= NGUESTS; lpid++)
        ok += run(lpid, &first);
    printf("first run: %u of %u answered\n", ok, NGUESTS);
    TEST_EQ(ok, NGUESTS);
    ok = 0;
    for (uint32_t lpid = NGUESTS; lpid >= 1; lpid--)
        ok += run(lpid, &first);
    printf("second run, in reverse: %u of %u answered\n", ok, NGUESTS);
    TEST_EQ(ok, NGUESTS);
    test_begin("all dropped, then new ones");
    TEST_EQ(hcall(H_SET_PARTITION_TABLE, 0), H_SUCCESS);
    TEST_EQ(hcall(H_SET_PARTITION_TABLE, nhv_ptcr()), H_SUCCESS);
    ok = 0;
    for (uint32_t lpid = 1; lpid <= NGUESTS; lpid += 64)
        ok += run(lpid, &first);
    printf("after H_SET_PARTITION_TABLE(0): %u of %u answered\n", ok, (NGUESTS + 63) / 64);
    TEST_EQ(ok, (NGUESTS + 63) / 64);
    return test_report();
}
