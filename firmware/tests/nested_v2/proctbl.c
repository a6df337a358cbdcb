/* nesthv-test-args: -M pseries,cap-nested-papr=on */
/*
 * proctbl.c - an L2 with its own process table (guest-wide element
 * 0x0006) running relocated (MSR[IR|DR] = 1): the L0 must translate the
 * L2's effective addresses through the L2's process-scoped trees (found
 * in the process table, at L2 real addresses) and then the L1's
 * partition-scoped tree, with the PID from the L2's PIDR (0x2001).
 *   L2 real layout: the usual vectors and identity window (v2t.h), plus
 *   the L1's table pool identity-mapped (so the process table and trees
 *   the L1 builds there have the same L2 real addresses), plus two data
 *   pages at NHV_L2_DATA (magic A) and NHV_L2_DATA + 4K (magic B).
 *   Process table: PID 0 and PID 1 both map the code; EA 0x50000000 is
 *   page A for PID 0 and page B for PID 1.
 */
#include "v2t.h"

#define EA_DATA   0x50000000UL
#define MAGIC_A   0xA1A1A1A1A1A1A1A1UL
#define MAGIC_B   0xB2B2B2B2B2B2B2B2UL

static V2tL2 l2;

static unsigned long pt_read(unsigned long ea)
{
    return *(volatile unsigned long *)ea;
}

/* A process-scoped tree: the code (vectors, identity window) and EA_DATA -> data_gpa. */
static RadixRoot process_tree(unsigned long data_gpa)
{
    RadixRoot t;
    if (radix_tree_create(&nhv_mem, &t) != 0 ||
        radix_map(&nhv_mem, &t, 0, 0, NHV_VEC_BYTES, 12, NHV_RWX) != 0 ||
        radix_map(&nhv_mem, &t, NHV_ID_START, NHV_ID_START, NHV_ID_END - NHV_ID_START, 21, NHV_RWX) != 0 ||
        radix_map(&nhv_mem, &t, EA_DATA, data_gpa, NHV_PAGE, 12, NHV_RW) != 0)
        nhv_die("process tree", -1);
    return t;
}

static unsigned long run_pid(Nv2Vcpu *v, uint32_t pid, uint64_t *msr)
{
    v2t_call(v, pt_read, EA_DATA);
    nv2_set64(v, GSB_ID_MSR, V2T_L2_MSR | MSR_IR | MSR_DR);
    nv2_set32(v, GSB_ID_PIDR, pid);
    long rc = v2t_run(v);
    if (rc != H_SUCCESS || v->exit != EXCP_SYSCALL) {
        printf("pid %u: rc=%ld exit 0x%lx\n", pid, rc, (unsigned long)v->exit);
        return 0;
    }
    uint64_t r3 = nv2_get64(v, GSB_ID_GPR(3));
    *msr = nv2_get64(v, GSB_ID_MSR);
    if (r3 != NHV_HC_DONE) {
        printf("pid %u: L2 reported 0x%lx (srr0 0x%lx, dar 0x%lx)\n", pid, (unsigned long)r3,
               (unsigned long)nv2_get64(v, GSB_ID_GPR(4)), (unsigned long)nv2_get64(v, GSB_ID_GPR(6)));
        return 0;
    }
    return nv2_get64(v, GSB_ID_GPR(4));
}

int main(void)
{
    v2t_init();
    v2t_setup(&l2, 1, NULL);
    Nv2Vcpu *v = &l2.vcpu[0];

    test_begin("the L2's process table");
    nhv_st64(NHV_DATA, MAGIC_A);
    nhv_st64(NHV_DATA + NHV_PAGE, MAGIC_B);
    if (v2t_map(&l2, NHV_POOL, NHV_POOL, NHV_POOL_BYTES, 21, NHV_RW) != 0 ||
        v2t_map(&l2, NHV_L2_DATA, NHV_DATA, 2 * NHV_PAGE, 12, NHV_RW) != 0)
        nhv_die("partition map", -1);
    radix_addr_t prtb;
    if (nhv_alloc(NULL, 4096, &prtb) != 0)
        nhv_die("process table", -1);
    RadixRoot pid0 = process_tree(NHV_L2_DATA), pid1 = process_tree(NHV_L2_DATA + NHV_PAGE);
    nhv_wr(NULL, prtb + 0, radix_root_to_dw0(&pid0));
    nhv_wr(NULL, prtb + 8, 0);
    nhv_wr(NULL, prtb + 16, radix_root_to_dw0(&pid1));
    nhv_wr(NULL, prtb + 24, 0);
    sync();
    GsbRegion prt = { prtb, 4096 };
    nv2_set_process_table(&l2.g, &prt);

    uint64_t msr = 0;
    unsigned long got = run_pid(v, 0, &msr);
    printf("pid 0: read 0x%lx at EA 0x%lx, relocated: %d\n", got, EA_DATA,
           (msr & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR));
    TEST_EQ(got, MAGIC_A);
    TEST_EQ(msr & (MSR_IR | MSR_DR), MSR_IR | MSR_DR);
    got = run_pid(v, 1, &msr);
    printf("pid 1: read 0x%lx at EA 0x%lx\n", got, EA_DATA);
    TEST_EQ(got, MAGIC_B);

    TEST_EQ(nv2_guest_delete(&l2.g), H_SUCCESS);
    return test_report();
}
