/*
 * test_fault.c - nest/fault.c and nest/rmap.c on real radix trees (radix/)
 * in fake memory: every reflection with its exact HDSISR / SRR1 cause and
 * ASDR, shadow PTE construction (page size = min of the L1 and L0 pages,
 * intersected permissions and attributes, R/C rules), the L0-invalidation
 * race, in-place upgrades (no flush), and the rmap: one L1 page in two L2s
 * (and twice in one, and in 1000), large pages keyed below the range,
 * pruning of replaced entries, dedupe, the word format.
 */
#include "nest_fake.h"

/* L1 real regions by L0 page size (fake_l0_shift()). */
#define L0_2M_REGION  (16 * MiB)
#define L0_64K_REGION (18 * MiB)
#define L0_4K_REGION  (20 * MiB)

typedef struct T {
    Fake *f;
    RadixRoot root;  /* the L1's tree for guest 1 */
    NestGuest *ng;   /* guest 1 */
} T;

static int setup(void **state)
{
    T *t = calloc(1, sizeof(*t));
    long rc;
    t->f = fake_new();
    fake_register_ptab(t->f);
    t->root = fake_l1_guest(t->f, 1, 0);
    t->ng = nest_guest_get(&t->f->l1, 1, true, &rc);
    assert_non_null(t->ng);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    T *t = *state;
    if (t->ng) {
        nest_guest_put(t->ng);
    }
    fake_free_all(t->f);
    free(t);
    return 0;
}

static NestFaultResult fault(NestGuest *ng, NestFaultIn in, NestFaultOut *out)
{
    return nest_fault(ng, &in, out);
}

/* The shadow leaf for n_gpa (asserts it exists). */
static RadixWalk shadow(NestGuest *ng, uint64_t n_gpa)
{
    RadixWalk w;
    nest_walk_shadow(ng, n_gpa, &w);
    assert_int_equal(w.status, RADIX_OK);
    return w;
}

static bool shadow_present(NestGuest *ng, uint64_t n_gpa)
{
    RadixWalk w;
    nest_walk_shadow(ng, n_gpa, &w);
    return w.status == RADIX_OK;
}

static uint64_t l0_hra(Fake *f, uint64_t l1_gra)
{
    RadixWalk w;
    fake_l0_walk(f, l1_gra, &w);
    assert_int_equal(w.status, RADIX_OK);
    return w.ra;
}

/* ---- reflections ----------------------------------------------------------------------------- */

static void expect_hdsi(NestGuest *ng, NestFaultIn in, uint64_t hdsisr, uint64_t asdr)
{
    NestFaultOut out;
    assert_int_equal(fault(ng, in, &out), NEST_REFLECT);
    assert_int_equal(out.vector, EXCP_HDSI);
    assert_int_equal(out.hdsisr, hdsisr);
    assert_int_equal(out.asdr, asdr);
    assert_int_equal(out.hdar, in.ea);
}

static void expect_hisi(NestGuest *ng, NestFaultIn in, uint64_t cause, uint64_t asdr)
{
    NestFaultOut out;
    assert_int_equal(fault(ng, in, &out), NEST_REFLECT);
    assert_int_equal(out.vector, EXCP_HISI);
    assert_int_equal(out.srr1_cause, cause);
    assert_int_equal(out.asdr, asdr);
}

static void test_fault_reflect_not_present(void **state)
{
    T *t = *state;
    expect_hdsi(t->ng, hdsi(0x5123, false), DSISR_NOPTE, 0x5123);
    expect_hdsi(t->ng, hdsi(0x5123, true), DSISR_NOPTE | DSISR_ISSTORE, 0x5123);
    expect_hisi(t->ng, hisi(0x7000), DSISR_NOPTE, 0x7000);
    /* A table-walk fault of the L2 (PRTABLE_FAULT): kept, ASDR as given (the entry's page). */
    NestFaultIn in = hdsi(0x9000, false);
    in.cause |= DSISR_PRTABLE_FAULT;
    in.asdr = 0x9ab8;
    expect_hdsi(t->ng, in, DSISR_NOPTE | DSISR_PRTABLE_FAULT, 0x9ab8);
    assert_int_equal(t->ng->stats.reflected_faults, 4);
    assert_int_equal(nest_hisi_msr(MSR_SF | MSR_LE | PPC_BIT(33) | PPC_BIT(44), DSISR_NOPTE),
                     MSR_SF | MSR_LE | DSISR_NOPTE);
}

static void test_fault_reflect_bad_tree_and_unreadable_entry(void **state)
{
    T *t = *state;
    Fake *f = t->f;
    /* Root entry for [0, 512G) -> a directory with NLS 7 (POWER9 walks 9 there): BADCONFIG. */
    uint64_t root_entry = t->root.base; /* index 0 */
    l1_st64(f, root_entry, RADIX_PDE_V | (FAKE_L1_TABLES + 14 * MiB) | 7);
    expect_hdsi(t->ng, hdsi(0x3000, true), DSISR_BADCONFIG | DSISR_ISSTORE, 0x3000);
    expect_hisi(t->ng, hisi(0x3000), DSISR_BADCONFIG, 0x3000);
    /* ... -> a directory outside L1 RAM: PRTABLE_FAULT, ASDR = the entry that could not be read. */
    uint64_t far = 8 * GiB;
    l1_st64(f, root_entry, RADIX_PDE_V | far | RADIX_MID_NLS);
    expect_hdsi(t->ng, hdsi(0x3000, false), DSISR_PRTABLE_FAULT, far + 0 * 8);
    expect_hdsi(t->ng, hdsi(1 * GiB + 0x3000, false), DSISR_PRTABLE_FAULT, far + 1 * 8);
    l1_st64(f, root_entry, 0);
    expect_hdsi(t->ng, hdsi(0x3000, false), DSISR_NOPTE, 0x3000);
}

static void test_fault_reflect_no_or_bad_partition_entry(void **state)
{
    T *t = *state;
    long rc;
    /* Guest 2 has no entry in the L1's table. */
    NestGuest *ng2 = nest_guest_get(&t->f->l1, 2, true, &rc);
    expect_hdsi(ng2, hdsi(0x1000, false), DSISR_NOPTE, 0x1000);
    assert_false(ng2->pate_valid);
    /* An entry without HR (an HPT guest): BADCONFIG. */
    l1_st64(t->f, FAKE_PTAB + 2 * PATE_SIZE, radix_root_to_dw0(&t->root));
    expect_hdsi(ng2, hdsi(0x1000, false), DSISR_BADCONFIG, 0x1000);
    nest_guest_put(ng2);
}

static void test_fault_reflect_permissions(void **state)
{
    T *t = *state;
    const uint64_t rc_bits = RADIX_PTE_R | RADIX_PTE_C;
    fake_l1_map(t->f, &t->root, 0x10000, L0_4K_REGION, 12, rc_bits | RADIX_PTE_EAA_READ);
    fake_l1_map(t->f, &t->root, 0x11000, L0_4K_REGION + 0x1000, 12, rc_bits | RADIX_PTE_EAA_EXEC);
    fake_l1_map(t->f, &t->root, 0x12000, L0_4K_REGION + 0x2000, 12,
                rc_bits | RADIX_PTE_EAA_RW | RADIX_PTE_EAA_EXEC | RADIX_PTE_ATT_NON_IDEMPOTENT);
    fake_l1_map(t->f, &t->root, 0x13000, L0_4K_REGION + 0x3000, 12, rc_bits | RADIX_PTE_EAA_PRIV | RADIX_PTE_EAA_RW);
    /* store to read-only; load and store to execute-only; fetch from no-exec; fetch from guarded */
    expect_hdsi(t->ng, hdsi(0x10008, true), DSISR_PROTFAULT | DSISR_ISSTORE, 0x10008);
    expect_hdsi(t->ng, hdsi(0x11010, false), DSISR_PROTFAULT, 0x11010);
    expect_hdsi(t->ng, hdsi(0x11010, true), DSISR_PROTFAULT | DSISR_ISSTORE, 0x11010);
    expect_hisi(t->ng, hisi(0x10000), DSISR_NOEXEC_OR_G, 0x10000);
    expect_hisi(t->ng, hisi(0x12004), DSISR_NOEXEC_OR_G, 0x12004);
    /* ... but loads/stores there are fine, and EAA[PRIV] means nothing in partition scope. */
    NestFaultOut out;
    assert_int_equal(fault(t->ng, hdsi(0x12000, true), &out), NEST_RESUME);
    assert_int_equal(fault(t->ng, hdsi(0x13000, true), &out), NEST_RESUME);
    assert_int_equal(shadow(t->ng, 0x13000).pte & RADIX_PTE_EAA_PRIV, 0);
    assert_int_equal(fault(t->ng, hisi(0x11000), &out), NEST_RESUME);
    assert_int_equal(fault(t->ng, hdsi(0x10000, false), &out), NEST_RESUME);
}

static void test_fault_reflect_rc(void **state)
{
    T *t = *state;
    NestFaultOut out;
    fake_l1_map(t->f, &t->root, 0x20000, L0_4K_REGION, 12, RADIX_PTE_EAA_RW | RADIX_PTE_EAA_EXEC);
    fake_l1_map(t->f, &t->root, 0x21000, L0_4K_REGION + 0x1000, 12, RADIX_PTE_R | RADIX_PTE_EAA_RW);
    expect_hdsi(t->ng, hdsi(0x20000, false), DSISR_ATOMIC_RC, 0x20000);
    expect_hdsi(t->ng, hdsi(0x20000, true), DSISR_ATOMIC_RC | DSISR_ISSTORE, 0x20000);
    expect_hisi(t->ng, hisi(0x20000), DSISR_ATOMIC_RC, 0x20000);
    /* R without C: loads are fine (the shadow PTE has no C and no write), stores go to the L1. */
    assert_int_equal(fault(t->ng, hdsi(0x21000, false), &out), NEST_RESUME);
    RadixWalk w = shadow(t->ng, 0x21000);
    assert_true(w.pte & RADIX_PTE_R);
    assert_false(w.pte & (RADIX_PTE_C | RADIX_PTE_EAA_RW));
    NestFaultIn st = hdsi(0x21000, true);
    st.cause = DSISR_PROTFAULT | DSISR_ISSTORE; /* what the MMU reports for the read-only shadow PTE */
    expect_hdsi(t->ng, st, DSISR_ATOMIC_RC | DSISR_ISSTORE, 0x21000);
    /* The L1 sets C (no invalidation needed for more rights); the store then resolves. */
    RadixMem m = fake_l1_mem(t->f);
    assert_int_equal(radix_protect(&m, &t->root, 0x21000, 0x1000, 0, RADIX_PTE_C), 0);
    assert_int_equal(fault(t->ng, st, &out), NEST_RESUME);
    w = shadow(t->ng, 0x21000);
    assert_int_equal(w.pte & (RADIX_PTE_C | RADIX_PTE_EAA_RW), RADIX_PTE_C | RADIX_PTE_EAA_RW);
}

/* The QEMU 7.2 policy: the "hardware" sets R/C in the L1's PTE, nothing is reflected. */
static void test_fault_rc_by_hardware(void **state)
{
    T *t = *state;
    NestFaultOut out;
    RadixWalk w;
    t->f->l1.rc_by_hardware = true;
    fake_l1_map(t->f, &t->root, 0x20000, L0_4K_REGION, 12, RADIX_PTE_EAA_RW);
    assert_int_equal(fault(t->ng, hdsi(0x20000, false), &out), NEST_RESUME);
    radix_walk(&t->root, 0x20000, l1mem_read, t->f, &w);
    assert_int_equal(w.pte & (RADIX_PTE_R | RADIX_PTE_C), RADIX_PTE_R);
    assert_int_equal(fault(t->ng, hdsi(0x20000, true), &out), NEST_RESUME);
    radix_walk(&t->root, 0x20000, l1mem_read, t->f, &w);
    assert_int_equal(w.pte & (RADIX_PTE_R | RADIX_PTE_C), RADIX_PTE_R | RADIX_PTE_C);
    assert_true(shadow(t->ng, 0x20000).pte & RADIX_PTE_EAA_RW);
    /* Permissions are still the L1's business. */
    fake_l1_map(t->f, &t->root, 0x21000, L0_4K_REGION + 0x1000, 12, RADIX_PTE_EAA_READ);
    expect_hdsi(t->ng, hdsi(0x21000, true), DSISR_PROTFAULT | DSISR_ISSTORE, 0x21000);
}

/* ---- shadow PTEs ---------------------------------------------------------------------------------- */

static void check_insert(T *t, uint64_t n_gpa, uint64_t l1_gra, unsigned l1_shift, unsigned want_shift)
{
    NestFaultOut out;
    fake_l1_map(t->f, &t->root, n_gpa, l1_gra, l1_shift, L1_ALL);
    uint64_t off = 0x1234 & ((1ULL << want_shift) - 1) & ~7ULL;
    assert_int_equal(fault(t->ng, hdsi(n_gpa + off, false), &out), NEST_RESUME);
    RadixWalk w = shadow(t->ng, n_gpa + off);
    assert_int_equal(w.page_shift, want_shift);
    assert_int_equal(w.ra, l0_hra(t->f, l1_gra + off));
    assert_int_equal(out.l1_gra, l1_gra + off);
}

static void test_shadow_page_size_is_the_smaller(void **state)
{
    T *t = *state;
    check_insert(t, 0x100000, L0_2M_REGION + 0x5000, 12, 12);       /* L1 4K, L0 2M */
    check_insert(t, 0x400000, L0_2M_REGION + 8 * MiB, 21, 21);      /* L1 2M, L0 2M */
    check_insert(t, 0x800000, L0_4K_REGION, 21, 12);               /* L1 2M, L0 4K */
    check_insert(t, 0xA00000, L0_64K_REGION, 21, 16);              /* L1 2M, L0 64K */
    check_insert(t, 0xC10000, L0_2M_REGION + 2 * 8 * MiB + 0x10000, 16, 16); /* L1 64K, L0 2M */
    check_insert(t, 0xE00000, L0_64K_REGION + 0x30000, 12, 12);    /* L1 4K, L0 64K */
    check_insert(t, 1 * GiB, 1 * GiB, 30, 21);                    /* L1 1G, L0 2M */
    assert_int_equal(t->ng->stats.shadow_faults, 7);
    assert_int_equal(t->f->l1.rmap.count, 7);
}

static void test_shadow_64k_and_4k_in_one_region(void **state)
{
    T *t = *state;
    NestFaultOut out;
    /* Two L1 64K pages in one 2 MiB region of the L2: L0 backs one with 2M, the other with 4K pages. */
    fake_l1_map(t->f, &t->root, 0x210000, L0_2M_REGION + 0x10000, 16, L1_ALL);
    fake_l1_map(t->f, &t->root, 0x220000, L0_4K_REGION + 0x20000, 16, L1_ALL);
    assert_int_equal(fault(t->ng, hdsi(0x210000, false), &out), NEST_RESUME);
    assert_int_equal(shadow(t->ng, 0x210000).page_shift, 16);
    assert_int_equal(fault(t->ng, hdsi(0x223000, false), &out), NEST_RESUME);
    assert_int_equal(shadow(t->ng, 0x223000).page_shift, 12);
    assert_false(shadow_present(t->ng, 0x210000)); /* the region was emptied: only a cache */
    assert_int_equal(fault(t->ng, hdsi(0x210000, false), &out), NEST_RESUME);
    assert_int_equal(shadow(t->ng, 0x210000).page_shift, 12); /* 4K pieces from now on */
    assert_true(shadow_present(t->ng, 0x223000));
    assert_false(shadow_present(t->ng, 0x211000));
    assert_int_equal(shadow(t->ng, 0x210000).ra, l0_hra(t->f, L0_2M_REGION + 0x10000));
    /* The 4K piece has its own rmap entry, keyed by its own L1 page. */
    nest_invalidate_l1_range(&t->f->l1, L0_2M_REGION + 0x10000, 0x1000);
    assert_false(shadow_present(t->ng, 0x210000));
    assert_true(shadow_present(t->ng, 0x223000));
}

static void test_shadow_flags_intersection_and_att(void **state)
{
    T *t = *state;
    Fake *f = t->f;
    NestFaultOut out;
    f->l0_readonly_start = true; /* L0 dirty-tracks: pages start read-only */
    fake_l1_map(f, &t->root, 0x40000, L0_4K_REGION + 0x10000, 12, L1_ALL | RADIX_PTE_ATT_TOLERANT);
    assert_int_equal(fault(t->ng, hdsi(0x40000, false), &out), NEST_RESUME);
    RadixWalk w = shadow(t->ng, 0x40000);
    assert_int_equal(w.pte & RADIX_PTE_FLAGS,
                     RADIX_PTE_R | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_EXEC | RADIX_PTE_ATT_TOLERANT);
    /* A store: L0 makes its page writable (and sets its C); the shadow gets RW and C. */
    NestFaultIn st = hdsi(0x40000, true);
    st.cause = DSISR_PROTFAULT | DSISR_ISSTORE;
    assert_int_equal(fault(t->ng, st, &out), NEST_RESUME);
    w = shadow(t->ng, 0x40000);
    assert_int_equal(w.pte & RADIX_PTE_FLAGS, RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW |
                                                  RADIX_PTE_EAA_EXEC | RADIX_PTE_ATT_TOLERANT);
    assert_int_equal(t->f->l1.rmap.count, 1); /* the same PTE recorded once */
    /* L1 read-only but executable: a shadow without write. */
    fake_l1_map(f, &t->root, 0x41000, L0_4K_REGION + 0x11000, 12,
                RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_EXEC | RADIX_PTE_ATT_SAO);
    assert_int_equal(fault(t->ng, hisi(0x41000), &out), NEST_RESUME);
    w = shadow(t->ng, 0x41000);
    assert_int_equal(w.pte & RADIX_PTE_FLAGS,
                     RADIX_PTE_R | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_EXEC | RADIX_PTE_ATT_SAO);
}

static void test_fault_errors(void **state)
{
    T *t = *state;
    NestFaultOut out;
    fake_l1_map(t->f, &t->root, 0x50000, 5 * GiB, 12, L1_ALL); /* beyond L1 RAM */
    assert_int_equal(fault(t->ng, hdsi(0x50010, false), &out), NEST_ERROR);
    assert_int_equal(out.error, NEST_ERR_NOT_RAM);
    assert_int_equal(out.l1_gra, 5 * GiB + 0x10);
    NestFaultIn bad = hdsi(0x50000, false);
    bad.vector = EXCP_DSI;
    assert_int_equal(fault(t->ng, bad, &out), NEST_ERROR);
    assert_int_equal(out.error, NEST_ERR_BAD_ACCESS);
    fake_l1_map(t->f, &t->root, 0x51000, L0_4K_REGION, 12, L1_ALL);
    t->f->fail_alloc_after = 0;
    assert_int_equal(fault(t->ng, hdsi(0x51000, false), &out), NEST_ERROR);
    assert_int_equal(out.error, NEST_ERR_NOMEM);
    t->f->fail_alloc_after = -1;
    assert_false(shadow_present(t->ng, 0x51000));
}

/* L0 invalidates the page while the fault is between its translation and its insert. */
static void invalidate_during_translation(Fake *f, uint64_t l1_gra)
{
    if (l1_gra != L0_4K_REGION) {
        return; /* the L1's own tables being read */
    }
    f->l0_hook = NULL;
    nest_invalidate_l1_range(&f->l1, l1_gra & ~0xFFFULL, 0x1000);
}

static void test_fault_retries_after_racing_invalidation(void **state)
{
    T *t = *state;
    NestFaultOut out;
    fake_l1_map(t->f, &t->root, 0x60000, L0_4K_REGION, 12, L1_ALL);
    t->f->l0_hook = invalidate_during_translation;
    assert_int_equal(fault(t->ng, hdsi(0x60000, false), &out), NEST_RESUME);
    assert_false(shadow_present(t->ng, 0x60000));
    assert_int_equal(t->ng->stats.fault_retries, 1);
    assert_int_equal(fault(t->ng, hdsi(0x60000, false), &out), NEST_RESUME);
    assert_true(shadow_present(t->ng, 0x60000));
}

/* ---- rmap ------------------------------------------------------------------------------------------- */

static void test_rmap_word_format(void **state)
{
    (void)state;
    uint64_t w = nest_rmap_word(4095, 0x000FFFFFFFFFF000ULL | 0xABC, 30);
    assert_int_equal(w, 0xFFF0000000000000ULL | 0x000FFFFFFFFFF000ULL | 30);
    assert_int_equal(nest_rmap_lpid(w), 4095);
    assert_int_equal(nest_rmap_gpa(w), 0x000FFFFFFFFFF000ULL);
    assert_int_equal(nest_rmap_shift(w), 30);
    assert_int_equal(nest_rmap_word(1, 0x200000, 21), 0x0010000000200000ULL | 21);
}

/* One L1 page in two L2s, and twice in one: an L0 move reaches all three shadow PTEs. */
static void test_rmap_one_l1_page_in_two_l2s(void **state)
{
    T *t = *state;
    Fake *f = t->f;
    long rc;
    NestFaultOut out;
    uint64_t page = L0_4K_REGION + 0x7000;
    RadixRoot root2 = fake_l1_guest(f, 2, 0);
    NestGuest *ng2 = nest_guest_get(&f->l1, 2, true, &rc);
    fake_l1_map(f, &t->root, 0x1000, page, 12, L1_ALL);
    fake_l1_map(f, &t->root, 0x9000, page, 12, L1_ALL);
    fake_l1_map(f, &root2, 0x3000, page, 12, L1_ALL);
    fake_l1_map(f, &root2, 0x4000, page + 0x1000, 12, L1_ALL); /* another page */
    assert_int_equal(fault(t->ng, hdsi(0x1000, false), &out), NEST_RESUME);
    assert_int_equal(fault(t->ng, hdsi(0x9000, false), &out), NEST_RESUME);
    assert_int_equal(fault(ng2, hdsi(0x3000, true), &out), NEST_RESUME);
    assert_int_equal(fault(ng2, hdsi(0x4000, true), &out), NEST_RESUME);
    assert_int_equal(f->l1.rmap.count, 4);
    uint64_t flushes = f->flush_page;
    nest_invalidate_l1_range(&f->l1, page, 0x1000);
    assert_false(shadow_present(t->ng, 0x1000));
    assert_false(shadow_present(t->ng, 0x9000));
    assert_false(shadow_present(ng2, 0x3000));
    assert_true(shadow_present(ng2, 0x4000));
    assert_int_equal(f->flush_page - flushes, 3);
    assert_int_equal(f->l1.rmap.count, 1);
    assert_int_equal(t->ng->stats.rmap_invalidations, 2);
    assert_int_equal(ng2->stats.rmap_invalidations, 1);
    nest_guest_remove(ng2);
    nest_guest_put(ng2); /* dropped: its counters go to the L1's totals */
    NestGuestStats sum;
    nest_l1_stats_sum(&f->l1, &sum);
    assert_int_equal(sum.rmap_invalidations, 3);
    assert_int_equal(sum.shadow_faults, 4);
}

static void test_rmap_large_shadow_page_keyed_below_range(void **state)
{
    T *t = *state;
    NestFaultOut out;
    fake_l1_map(t->f, &t->root, 0x600000, L0_2M_REGION, 21, L1_ALL);
    assert_int_equal(fault(t->ng, hdsi(0x612345, false), &out), NEST_RESUME);
    assert_int_equal(shadow(t->ng, 0x600000).page_shift, 21);
    nest_invalidate_l1_range(&t->f->l1, L0_2M_REGION + 0x1FF000, 0x1000); /* its last 4K */
    assert_false(shadow_present(t->ng, 0x600000));
    assert_false(shadow_present(t->ng, 0x7FF000)); /* the whole leaf, never a split */
    assert_int_equal(t->f->l1.rmap.count, 0);
    /* A range with more pages than entries takes the scan-everything path. */
    assert_int_equal(fault(t->ng, hdsi(0x600000, false), &out), NEST_RESUME);
    nest_invalidate_l1_range(&t->f->l1, 0, 4 * GiB);
    assert_false(shadow_present(t->ng, 0x600000));
}

static void test_rmap_prunes_replaced_entries_and_dedupes(void **state)
{
    T *t = *state;
    Fake *f = t->f;
    RadixMem m = fake_l1_mem(f);
    NestFaultOut out;
    uint64_t p = L0_4K_REGION, q = L0_4K_REGION + 0x1000;
    fake_l1_map(f, &t->root, 0x1000, p, 12, L1_ALL);
    assert_int_equal(fault(t->ng, hdsi(0x1000, false), &out), NEST_RESUME);
    assert_int_equal(fault(t->ng, hdsi(0x1000, false), &out), NEST_RESUME); /* again: no second entry */
    assert_int_equal(f->l1.rmap.count, 1);
    /* The L1 moves 0x1000 from p to q, as a correct L1 does (unmap, tlbie, map). */
    assert_int_equal(radix_unmap(&m, &t->root, 0x1000, 0x1000), 0);
    assert_int_equal(nest_tlb_invalidate(&f->l1, TLBIE_INSN_R, 1, 0x1000 | RADIX_AP_4K << TLBIE_RB_AP_SHIFT),
                     H_SUCCESS);
    assert_false(shadow_present(t->ng, 0x1000));
    assert_int_equal(f->l1.rmap.count, 1); /* stale, for now */
    fake_l1_map(f, &t->root, 0x1000, q, 12, L1_ALL);
    assert_int_equal(fault(t->ng, hdsi(0x1000, false), &out), NEST_RESUME);
    assert_int_equal(f->l1.rmap.count, 1); /* the new PTE at 0x1000 replaced p's: its entry went */
    /* Another n_gpa onto p. */
    fake_l1_map(f, &t->root, 0x5000, p, 12, L1_ALL);
    assert_int_equal(fault(t->ng, hdsi(0x5000, false), &out), NEST_RESUME);
    assert_int_equal(f->l1.rmap.count, 2);
    /* An L0 change of p leaves q's translation alone. */
    nest_invalidate_l1_range(&f->l1, p, 0x1000);
    assert_true(shadow_present(t->ng, 0x1000));
    assert_false(shadow_present(t->ng, 0x5000));
    assert_int_equal(f->l1.rmap.count, 1);
}

/* A 2M shadow page replaced by a 4K one inside it: the 2M entry goes; a 4K entry beside it stays. */
static void test_rmap_prunes_entry_of_containing_page(void **state)
{
    T *t = *state;
    Fake *f = t->f;
    RadixMem m = fake_l1_mem(f);
    NestFaultOut out;
    fake_l1_map(f, &t->root, 0x600000, L0_2M_REGION, 21, L1_ALL);
    assert_int_equal(fault(t->ng, hdsi(0x612345, false), &out), NEST_RESUME);
    assert_int_equal(shadow(t->ng, 0x600000).page_shift, 21);
    assert_int_equal(f->l1.rmap.count, 1);
    /* The L1 replaces its 2M page with 4K pages (unmap, tlbie the 2M page, map two 4K pages). */
    assert_int_equal(radix_unmap(&m, &t->root, 0x600000, 2 * MiB), 0);
    assert_int_equal(nest_tlb_invalidate(&f->l1, TLBIE_INSN_R, 1, 0x600000 | RADIX_AP_2M << TLBIE_RB_AP_SHIFT),
                     H_SUCCESS);
    assert_false(shadow_present(t->ng, 0x600000));
    fake_l1_map(f, &t->root, 0x600000, L0_4K_REGION + 0x3000, 12, L1_ALL);
    fake_l1_map(f, &t->root, 0x612000, L0_4K_REGION + 0x4000, 12, L1_ALL);
    assert_int_equal(fault(t->ng, hdsi(0x600000, false), &out), NEST_RESUME);
    assert_int_equal(f->l1.rmap.count, 1); /* at the 2M entry's n_gpa: that entry goes */
    assert_int_equal(fault(t->ng, hdsi(0x612000, false), &out), NEST_RESUME);
    assert_int_equal(f->l1.rmap.count, 2); /* 0x600000/4K does not contain 0x612000: it stays */
    /* Both still reached by L0 invalidations of their own pages. */
    nest_invalidate_l1_range(&f->l1, L0_4K_REGION + 0x3000, 0x1000);
    assert_false(shadow_present(t->ng, 0x600000));
    assert_true(shadow_present(t->ng, 0x612000));
    nest_invalidate_l1_range(&f->l1, L0_4K_REGION + 0x4000, 0x1000);
    assert_false(shadow_present(t->ng, 0x612000));
    assert_int_equal(f->l1.rmap.count, 0);
    /* A 2M entry is pruned by a 4K page inside it (not at its start) too. */
    fake_l1_map(f, &t->root, 0x800000, L0_2M_REGION, 21, L1_ALL);
    assert_int_equal(fault(t->ng, hdsi(0x800000, false), &out), NEST_RESUME);
    assert_int_equal(radix_unmap(&m, &t->root, 0x800000, 2 * MiB), 0);
    assert_int_equal(nest_tlb_invalidate(&f->l1, TLBIE_INSN_R, 1, 0x800000 | RADIX_AP_2M << TLBIE_RB_AP_SHIFT),
                     H_SUCCESS);
    fake_l1_map(f, &t->root, 0x9FF000, L0_4K_REGION + 0x5000, 12, L1_ALL);
    assert_int_equal(fault(t->ng, hdsi(0x9FF000, false), &out), NEST_RESUME);
    assert_int_equal(f->l1.rmap.count, 1);
    nest_invalidate_l1_range(&f->l1, L0_2M_REGION, 2 * MiB); /* the old page: nothing of it is left */
    assert_true(shadow_present(t->ng, 0x9FF000));
}

/* Many guests on one L1 page (one long chain by key): every shadow PTE recorded once, all reached. */
static void test_rmap_one_l1_page_in_many_l2s(void **state)
{
    enum { N = 1000 };
    T *t = *state;
    Fake *f = t->f;
    NestFaultOut out;
    long rc;
    uint64_t page = L0_4K_REGION + 0x8000;
    static NestGuest *ngs[N + 2];
    fake_l1_map(f, &t->root, 0x2000, page, 12, L1_ALL);
    for (uint32_t lpid = 2; lpid < N + 2; lpid++) {
        /* guest lpid shares guest 1's tree (several partition-table entries may name one tree) */
        l1_st64(f, FAKE_PTAB + lpid * PATE_SIZE, PATE0_HR | radix_root_to_dw0(&t->root));
        l1_st64(f, FAKE_PTAB + lpid * PATE_SIZE + 8, 0);
        ngs[lpid] = nest_guest_get(&f->l1, lpid, true, &rc);
        assert_non_null(ngs[lpid]);
        assert_int_equal(fault(ngs[lpid], hdsi(0x2000, false), &out), NEST_RESUME);
        assert_int_equal(fault(ngs[lpid], hdsi(0x2000, true), &out), NEST_RESUME); /* upgrade: same entry */
    }
    assert_int_equal(f->l1.rmap.count, N);
    /* Dropping one guest takes its entry only. */
    nest_guest_remove(ngs[500]);
    nest_guest_put(ngs[500]);
    assert_int_equal(f->l1.rmap.count, N - 1);
    nest_invalidate_l1_range(&f->l1, page, 0x1000);
    assert_int_equal(f->l1.rmap.count, 0);
    for (uint32_t lpid = 2; lpid < N + 2; lpid++) {
        if (lpid != 500) {
            assert_false(shadow_present(ngs[lpid], 0x2000));
            assert_int_equal(ngs[lpid]->stats.rmap_invalidations, 1);
            nest_guest_put(ngs[lpid]);
        }
    }
}

/* A store after a load on the same page: the leaf gains RW and C in place, no flush, one entry. */
static void test_shadow_upgrade_in_place_without_flush(void **state)
{
    T *t = *state;
    Fake *f = t->f;
    NestFaultOut out;
    fake_l1_map(f, &t->root, 0x30000, L0_4K_REGION + 0x9000, 12, L1_ALL);
    assert_int_equal(fault(t->ng, hdsi(0x30000, false), &out), NEST_RESUME);
    RadixWalk before = shadow(t->ng, 0x30000);
    assert_false(before.pte & RADIX_PTE_EAA_RW);
    uint64_t flushes = f->flush_page + f->flush_lpid;
    assert_int_equal(fault(t->ng, hdsi(0x30008, true), &out), NEST_RESUME);
    RadixWalk after = shadow(t->ng, 0x30000);
    assert_int_equal(after.entry_addr, before.entry_addr);
    assert_int_equal(after.pte & ~RADIX_PTE_FLAGS, before.pte & ~RADIX_PTE_FLAGS); /* same page */
    assert_int_equal(after.pte & RADIX_PTE_FLAGS, (before.pte & RADIX_PTE_FLAGS) | RADIX_PTE_EAA_RW | RADIX_PTE_C);
    assert_int_equal(f->flush_page + f->flush_lpid, flushes);
    assert_int_equal(f->l1.rmap.count, 1);
    assert_int_equal(t->ng->stats.shadow_faults, 2);
    /* Taking away (the L1 made the page read-only, as after a tlbie): replaced, flushed. */
    RadixMem m = fake_l1_mem(f);
    assert_int_equal(radix_protect(&m, &t->root, 0x30000, 0x1000, RADIX_PTE_EAA_RW, 0), 0);
    assert_int_equal(fault(t->ng, hdsi(0x30000, false), &out), NEST_RESUME); /* a load: flags without RW */
    assert_false(shadow(t->ng, 0x30000).pte & RADIX_PTE_EAA_RW);
    assert_true(f->flush_page + f->flush_lpid > flushes);
    /* The entry survived both: an L0 change of the page still reaches the leaf. */
    assert_int_equal(f->l1.rmap.count, 1);
    nest_invalidate_l1_range(&f->l1, L0_4K_REGION + 0x9000, 0x1000);
    assert_false(shadow_present(t->ng, 0x30000));
}

static void test_rmap_grows_and_guest_drop_frees_entries(void **state)
{
    T *t = *state;
    Fake *f = t->f;
    NestFaultOut out;
    /* 600 4K pages: the hash table doubles past 512 entries. */
    fake_l1_map(f, &t->root, 0x800000, L0_4K_REGION, 21, L1_ALL);
    fake_l1_map(f, &t->root, 0xA00000, L0_4K_REGION + 2 * MiB, 21, L1_ALL);
    for (uint64_t i = 0; i < 600; i++) {
        assert_int_equal(fault(t->ng, hdsi(0x800000 + i * 0x1000, i & 1), &out), NEST_RESUME);
    }
    assert_int_equal(f->l1.rmap.count, 600);
    assert_true(f->l1.rmap.order > 8);
    for (uint64_t i = 0; i < 600; i += 7) {
        nest_invalidate_l1_range(&f->l1, L0_4K_REGION + i * 0x1000, 0x1000);
        assert_false(shadow_present(t->ng, 0x800000 + i * 0x1000));
    }
    assert_true(shadow_present(t->ng, 0x801000));
    nest_guest_remove(t->ng);
    nest_guest_put(t->ng);
    t->ng = NULL;
    assert_int_equal(f->l1.rmap.count, 0);
    assert_int_equal(f->table_blocks, 0);
}

int main(void)
{
#define T_(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_fault_reflect_not_present),
        T_(test_fault_reflect_bad_tree_and_unreadable_entry),
        T_(test_fault_reflect_no_or_bad_partition_entry),
        T_(test_fault_reflect_permissions),
        T_(test_fault_reflect_rc),
        T_(test_fault_rc_by_hardware),
        T_(test_shadow_page_size_is_the_smaller),
        T_(test_shadow_64k_and_4k_in_one_region),
        T_(test_shadow_flags_intersection_and_att),
        T_(test_fault_errors),
        T_(test_fault_retries_after_racing_invalidation),
        T_(test_rmap_word_format),
        T_(test_rmap_one_l1_page_in_two_l2s),
        T_(test_rmap_large_shadow_page_keyed_below_range),
        T_(test_rmap_prunes_replaced_entries_and_dedupes),
        T_(test_rmap_prunes_entry_of_containing_page),
        T_(test_rmap_one_l1_page_in_many_l2s),
        T_(test_shadow_upgrade_in_place_without_flush),
        T_(test_rmap_grows_and_guest_drop_frees_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
