/* nesthv-test-args: -M pseries,cap-nested-hv=on */
/*
 * xlate.c - an L2 with its own process table translating effective
 * addresses: process scope (the L2's tables, in L2 memory, found through
 * dw1 of the L1's partition-table entry for it) on top of partition scope
 * (the L1's tree, shadowed by L0):
 *   - translated loads and stores through PID 0 (quadrant 3) and PIDR;
 *   - an L2 process-scoped fault is the L2's own DSI (never the L1's);
 *   - an L2 guest real page the L1 does not map: HDSI to the L1 with HDAR =
 *     the effective address and ASDR = the guest real address; for the
 *     process table itself, PRTABLE_FAULT and ASDR = the entry's address;
 *   - R/C clear in the L2's own PTE: set through partition scope (the
 *     update is a store to the L2's table page);
 *   - H_COPY_TOFROM_GUEST through the L2's translation (QEMU 7.2 answers
 *     H_FUNCTION: qemu-diff).
 */
#include "nhv.h"

/* L2 process-scoped tables live in the identity window: L2 real = L1 real there. */
#define L2_PRTB         0x01400000UL   /* 4 KiB process table, PIDs 0..255 */
#define L2_POOL         0x01401000UL
#define L2_POOL_END     0x01800000UL
#define EA_DATA         0x10000000UL   /* PID 0 / PID 1 data, quadrant 0 */
#define EA_Q3           0xC000000000000000UL
#define GPA_DATA        NHV_L2_DATA    /* the L2 real page behind EA_DATA (PID 0) */
#define GPA_DATA1       (NHV_L2_DATA + 0x10000UL)  /* ... (PID 1) */
#define RA_DATA         NHV_DATA
#define RA_DATA1        (NHV_DATA + 0x10000UL)
#define L2_PTE_RWX      (RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW | RADIX_PTE_EAA_EXEC)

static NhvGuest g;
static RadixRoot pid0, pid1;

/* ---- the L2's tables, built by the L1 in L2 memory ---------------------------------------- */

static unsigned long l2_bump = L2_POOL;

static int l2_alloc(void *opaque, unsigned size, radix_addr_t *out)
{
    unsigned long a = (l2_bump + size - 1) & ~(unsigned long)(size - 1);
    (void)opaque;
    if (a + size > L2_POOL_END)
        return -1;
    l2_bump = a + size;
    memset(nhv_real(a), 0, size);
    *out = a;
    return 0;
}

static void l2_free(void *opaque, radix_addr_t a, unsigned size)
{
    (void)opaque;
    (void)a;
    (void)size;
}

static const RadixMem l2_mem = { 0, nhv_rd, nhv_wr, l2_alloc, l2_free };

static void set_prte(unsigned pid, const RadixRoot *r)
{
    nhv_st64(L2_PRTB + pid * PRTE_SIZE, __builtin_bswap64(radix_root_to_dw0(r)));
    nhv_st64(L2_PRTB + pid * PRTE_SIZE + 8, 0);
}

static void build_l2_tables(void)
{
    memset(nhv_real(L2_PRTB), 0, NHV_PAGE);
    if (radix_tree_create(&l2_mem, &pid0) != 0 || radix_tree_create(&l2_mem, &pid1) != 0)
        nhv_die("L2 tree", -1);
    /* both: the vector page (L2 functions return there), the identity window (code, stacks), data */
    if (radix_map(&l2_mem, &pid0, 0, 0, NHV_VEC_BYTES, 12, L2_PTE_RWX) != 0 ||
        radix_map(&l2_mem, &pid1, 0, 0, NHV_VEC_BYTES, 12, L2_PTE_RWX) != 0 ||
        radix_map(&l2_mem, &pid0, NHV_ID_START, NHV_ID_START, NHV_ID_END - NHV_ID_START, 21, L2_PTE_RWX) != 0 ||
        radix_map(&l2_mem, &pid1, NHV_ID_START, NHV_ID_START, NHV_ID_END - NHV_ID_START, 21, L2_PTE_RWX) != 0 ||
        radix_map(&l2_mem, &pid0, EA_DATA, GPA_DATA, NHV_PAGE, 12, NHV_RW) != 0 ||
        radix_map(&l2_mem, &pid1, EA_DATA, GPA_DATA1, NHV_PAGE, 12, NHV_RW) != 0)
        nhv_die("L2 map", -1);
    set_prte(0, &pid0);
    set_prte(1, &pid1);
}

/* The L2's own PTE for ea in tree t. */
static uint64_t l2_pte(const RadixRoot *t, unsigned long ea)
{
    RadixWalk w;
    radix_walk(t, ea, nhv_rd, 0, &w);
    return w.status == RADIX_OK ? w.pte : 0;
}

/* ---- payloads (run translated) ---------------------------------------------------------- */

static unsigned long l2_load(unsigned long ea)
{
    return *(volatile unsigned long *)ea;
}

static unsigned long l2_store(unsigned long ea)
{
    *(volatile unsigned long *)ea = 0x600d;
    return *(volatile unsigned long *)ea;
}

static void call_translated(unsigned long (*fn)(unsigned long), unsigned long arg)
{
    nhv_call(&g, fn, arg);
    g.regs.msr |= MSR_IR | MSR_DR;
}

static void show_exit(const char *what, long v)
{
    if (v == EXCP_SYSCALL && nhv_hc(&g) == NHV_HC_DONE)
        printf("%s: 0x%lx\n", what, g.regs.gpr[4]);
    else if (v == EXCP_SYSCALL && (nhv_hc(&g) & ~0xffffUL) == NHV_HC_IRQ)
        printf("%s: L2 interrupt 0x%lx dar=0x%lx dsisr=0x%lx\n", what, nhv_hc(&g) & 0xffff, g.regs.gpr[6],
               g.regs.gpr[7]);
    else if (v == EXCP_HISI)
        printf("%s: exit 0x%lx nip=0x%lx asdr=0x%lx cause=0x%lx\n", what, v, g.regs.nip, g.hv.asdr,
               g.regs.msr & 0x783f0000UL);
    else
        printf("%s: exit 0x%lx hdar=0x%lx hdsisr=0x%lx asdr=0x%lx\n", what, v, g.hv.hdar, g.hv.hdsisr, g.hv.asdr);
}

static void test_translate(void)
{
    test_begin("translated accesses");
    nhv_st64(RA_DATA, 0x1111);
    nhv_st64(RA_DATA1, 0x2222);
    TEST_EQ(nhv_map(&g, GPA_DATA, RA_DATA, NHV_PAGE, 12, NHV_RW), 0);
    TEST_EQ(nhv_map(&g, GPA_DATA1, RA_DATA1, NHV_PAGE, 12, NHV_RW), 0);
    call_translated(l2_load, EA_DATA);
    show_exit("PID 0, quadrant 0", nhv_run(&g));
    call_translated(l2_load, EA_Q3 | EA_DATA);
    show_exit("quadrant 3", nhv_run(&g));
    call_translated(l2_load, EA_DATA);
    g.hv.pidr = 1;
    show_exit("PIDR 1", nhv_run(&g));
    call_translated(l2_load, EA_Q3 | EA_DATA);
    show_exit("PIDR 1, quadrant 3 (PID 0)", nhv_run(&g));
    g.hv.pidr = 0;
    call_translated(l2_store, EA_DATA + 8);
    show_exit("store", nhv_run(&g));
    TEST_EQ(nhv_ld64(RA_DATA + 8), 0x600d);
}

static void test_faults(void)
{
    test_begin("faults");
    call_translated(l2_load, EA_DATA + 0x5000);
    show_exit("no L2 PTE", nhv_run(&g));
    TEST_EQ(radix_map(&l2_mem, &pid0, EA_DATA + 0x6000, GPA_DATA + 0x6000, NHV_PAGE, 12, NHV_RW), 0);
    call_translated(l2_load, EA_DATA + 0x6018);
    show_exit("no L1 PTE behind the L2 PTE", nhv_run(&g));
    TEST_EQ(nhv_map(&g, GPA_DATA + 0x6000, RA_DATA + 0x6000, NHV_PAGE, 12, NHV_RW), 0);
    nhv_st64(RA_DATA + 0x6018, 0x6666);
    show_exit("after the L1 maps it", nhv_run(&g));
}

static void test_rc(void)
{
    unsigned long ea = EA_DATA + 0x7000;
    test_begin("R/C clear in the L2's own PTE");
    TEST_EQ(radix_map(&l2_mem, &pid0, ea, GPA_DATA + 0x7000, NHV_PAGE, 12,
                      RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW), 0);
    TEST_EQ(nhv_map(&g, GPA_DATA + 0x7000, RA_DATA + 0x7000, NHV_PAGE, 12, NHV_RW), 0);
    nhv_st64(RA_DATA + 0x7000, 0x7777);
    call_translated(l2_load, ea);
    show_exit("load", nhv_run(&g));
    uint64_t pte = l2_pte(&pid0, ea);
    printf("L2 PTE: R=%d C=%d\n", !!(pte & RADIX_PTE_R), !!(pte & RADIX_PTE_C));
    call_translated(l2_store, ea + 8);
    show_exit("store", nhv_run(&g));
    pte = l2_pte(&pid0, ea);
    printf("L2 PTE: R=%d C=%d\n", !!(pte & RADIX_PTE_R), !!(pte & RADIX_PTE_C));
}

static void test_table_fault(void)
{
    test_begin("the L2's process table where the L1 maps nothing");
    nhv_guest_pate(&g, PATE1_GR | (NHV_L2_DATA + 0x100000UL)); /* an unmapped L2 real page */
    TEST_EQ(hcall(H_TLB_INVALIDATE, TLBIE_INSN_R | 2 << TLBIE_INSN_RIC_SHIFT, g.lpid,
                  (unsigned long)TLBIE_IS_LPID << TLBIE_RB_IS_SHIFT), H_SUCCESS);
    call_translated(l2_load, EA_DATA);
    show_exit("process table", nhv_run(&g));
    nhv_guest_pate(&g, PATE1_GR | L2_PRTB);
    TEST_EQ(hcall(H_TLB_INVALIDATE, TLBIE_INSN_R | 2 << TLBIE_INSN_RIC_SHIFT, g.lpid,
                  (unsigned long)TLBIE_IS_LPID << TLBIE_RB_IS_SHIFT), H_SUCCESS);
    show_exit("restored", nhv_run(&g));
}

static void test_copy(void)
{
    unsigned long buf[2] = { 0, 0 };
    test_begin("H_COPY_TOFROM_GUEST");
    /* PID 0: the tree the L2 kernel uses in quadrant 3; eaddr without the quadrant bits */
    long rc = hcall(H_COPY_TOFROM_GUEST, g.lpid, 0, EA_DATA, (unsigned long)buf, 0, 16);
    printf("from L2 PID 0: rc=%ld 0x%lx 0x%lx\n", rc, buf[0], buf[1]);
    buf[0] = 0xc0b1;
    rc = hcall(H_COPY_TOFROM_GUEST, g.lpid, 1, EA_DATA, 0, (unsigned long)buf, 8);
    printf("to L2 PID 1: rc=%ld, L1 memory 0x%lx\n", rc, nhv_ld64(RA_DATA1));
    rc = hcall(H_COPY_TOFROM_GUEST, g.lpid, 0, EA_DATA + 0x5000, (unsigned long)buf, 0, 8);
    printf("unmapped EA: rc=%ld\n", rc);
}

int main(void)
{
    nhv_init(0);
    nhv_guest_init(&g, 1, NULL);
    build_l2_tables();
    nhv_guest_pate(&g, PATE1_GR | L2_PRTB); /* PRTS 0: 4 KiB, PIDs 0..255 */
    test_translate();
    test_faults();
    test_rc();
    test_table_fault();
    test_copy();
    return test_report();
}
