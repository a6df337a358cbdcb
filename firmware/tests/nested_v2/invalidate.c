/* nesthv-test-args: -M pseries,cap-nested-papr=on */
/*
 * invalidate.c - the L1 changes its partition-scoped tree for an L2 and
 * the L2 sees the change (an L0 that shadows the tree must drop what it
 * cached):
 *   1. remap a page to another L1 page, flush, the L2 reads the new one;
 *   2. unmap it, flush, the L2's access is an HDSI exit to the L1;
 *   3. point element 0x0005 at a new tree (SET_STATE), the L2 reads
 *      through it (no flush call needed: the L0 must re-read the element).
 * The flush is what a Linux L1 does (kvmhv_flush_lpid): H_RPT_INVALIDATE
 * (TYPE_NESTED, whole lpid) when the L0 advertises hcall-rpt-invalidate,
 * else H_TLB_INVALIDATE (RIC=2, lpid-wide).  Its return code is not
 * checked: an L0 that keeps no shadow state may not implement either
 * (QEMU 10 with cap-nested-papr); what the L2 sees is.
 */
#include "v2t.h"

#define MAGIC_A 0xAAAA000000000001UL
#define MAGIC_B 0xBBBB000000000002UL
#define TLBIE_P1_RIC2_R1    ((2UL << 18) | (1UL << 16))
#define TLBIE_RB_IS_LPID    (2UL << 10)

static V2tL2 l2;

static unsigned long iv_read(unsigned long gpa)
{
    return *(volatile unsigned long *)gpa;
}

static bool has_rpt_invalidate(void)
{
    const void *fdt = fw_fdt();
    int node = fdt ? fdt_node_by_path(fdt, "/rtas") : -1;
    return node >= 0 && fdt_prop_has_string(fdt, node, "ibm,hypertas-functions", "hcall-rpt-invalidate");
}

static long flush_rc;

static void flush(void)
{
    if (has_rpt_invalidate())
        flush_rc = hcall(H_RPT_INVALIDATE, l2.g.id, H_RPTI_TARGET_CMMU, H_RPTI_TYPE_NESTED | H_RPTI_TYPE_NESTED_ALL,
                         ~0UL, 0, ~0UL);
    else
        flush_rc = hcall(H_TLB_INVALIDATE, TLBIE_P1_RIC2_R1, l2.g.id, TLBIE_RB_IS_LPID);
}

/* Run iv_read(gpa): the value, or the exit vector | 1 if it did not return. */
static unsigned long read_in_l2(Nv2Vcpu *v, unsigned long gpa)
{
    v2t_call(v, iv_read, gpa);
    if (v2t_run(v) != H_SUCCESS)
        return 1;
    if (v->exit != EXCP_SYSCALL || nv2_get64(v, GSB_ID_GPR(3)) != NHV_HC_DONE)
        return v->exit | 1;
    return nv2_get64(v, GSB_ID_GPR(4));
}

#define L1_PRTB (NHV_DATA + 0x100000UL)   /* the L1's own (empty) process table */

int main(void)
{
    /* A Linux L1 is a radix partition; H_RPT_INVALIDATE is for radix L1s (H_UNSUPPORTED otherwise). */
    memset(nhv_real(L1_PRTB), 0, NHV_PAGE);
    TEST_EQ(hcall(H_REGISTER_PROCESS_TABLE, PROC_TABLE_NEW | PROC_TABLE_RADIX | PROC_TABLE_GTSE, L1_PRTB, 0, 0),
            H_SUCCESS);
    v2t_init();
    v2t_setup(&l2, 1, NULL);
    Nv2Vcpu *v = &l2.vcpu[0];
    unsigned long gpa = NHV_L2_DATA + 0x40;
    nhv_st64(NHV_DATA + 0x40, MAGIC_A);
    nhv_st64(NHV_DATA + NHV_PAGE + 0x40, MAGIC_B);

    test_begin("remap a page");
    TEST_EQ(v2t_map(&l2, NHV_L2_DATA, NHV_DATA, NHV_PAGE, 12, NHV_RW), 0);
    unsigned long got = read_in_l2(v, gpa);
    printf("before: 0x%lx\n", got);
    TEST_EQ(got, MAGIC_A);
    TEST_EQ(radix_unmap(&nhv_mem, &l2.tree, NHV_L2_DATA, NHV_PAGE), 0);
    TEST_EQ(v2t_map(&l2, NHV_L2_DATA, NHV_DATA + NHV_PAGE, NHV_PAGE, 12, NHV_RW), 0);
    flush();
    got = read_in_l2(v, gpa);
    printf("after remap + flush: 0x%lx\n", got);
    if (!TEST_EQ(got, MAGIC_B))
        printf("stale: the flush (%s) returned %ld\n", has_rpt_invalidate() ? "H_RPT_INVALIDATE" : "H_TLB_INVALIDATE",
               flush_rc);

    test_begin("unmap a page");
    TEST_EQ(radix_unmap(&nhv_mem, &l2.tree, NHV_L2_DATA, NHV_PAGE), 0);
    flush();
    got = read_in_l2(v, gpa);
    printf("after unmap + flush: exit 0x%lx, hdar 0x%lx\n", got & ~1UL,
           got == (EXCP_HDSI | 1) ? (unsigned long)nv2_get64(v, GSB_ID_HDAR) : 0);
    TEST_EQ(got, EXCP_HDSI | 1);
    TEST_EQ(nv2_get64(v, GSB_ID_HDAR), gpa);

    test_begin("a new partition-scoped tree");
    RadixRoot old = l2.tree;
    v2t_tree(&l2.tree);
    TEST_EQ(v2t_map(&l2, NHV_L2_DATA, NHV_DATA, NHV_PAGE, 12, NHV_RW), 0);
    GsbPartTable pt = v2t_part_table(&l2.tree);
    nv2_set_part_table(&l2.g, &pt);               /* sent by the next run */
    got = read_in_l2(v, gpa);
    printf("through the new tree: 0x%lx\n", got);
    TEST_EQ(got, MAGIC_A);
    (void)old;
    TEST_EQ(nv2_guest_delete(&l2.g), H_SUCCESS);
    return test_report();
}
