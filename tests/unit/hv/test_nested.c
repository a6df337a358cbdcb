/*
 * test_nested.c - L0's nested-HV v1 wiring (hv/nested_v1.c) on a whole
 * machine: an L1 made of a few instruction words enters an L2 with
 * H_ENTER_NESTED and the run loop takes it from there.  What the firmware
 * tests cannot do (QEMU 7.2 crashes on it, or an L1 cannot cause it):
 *   - H_ENTER_NESTED with lpid 0, unreadable structures, TM active;
 *   - a big-endian L1 (structures in its byte order);
 *   - L0 moving or unmapping an L1 page an L2 uses: the shadow PTE goes
 *     (rmap), the L2 sees the page's new home, never the old one;
 *   - L0's own preemption of a vCPU running an L2 is not an HDEC for the
 *     L1, and the HDEC deadline is exact on the deterministic clock;
 *   - without cap-nested-hv every nested hcall is H_FUNCTION;
 *   - --stats lists the guest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hv/hv.h"
#include "ppc/hcall.h"
#include "ppc/hvgs.h"
#include "radix/radix.h"

#define RAM_SIZE   (256ULL << 20)
#define L1_CODE    0x1000ULL     /* sc 1; b . */
#define L1_SPIN    0x1100ULL     /* b . (a second vCPU) */
#define L1_CODE_BE 0x1200ULL     /* sc 1; b . for a big-endian L1 */
#define PTAB       0x100000ULL   /* the L1's partition table, PATS 0 */
#define HVGS       0x120000ULL
#define REGS       0x121000ULL
#define POOL       0x200000ULL   /* the L1's tree for its L2 */
#define L2_CODE_RA 0x300000ULL   /* L2 real 0 */
#define L2_DATA_RA 0x310000ULL   /* L2 real L2_DATA */
#define L2_DATA    0x10000ULL
#define L2_LPID    1
#define L2_MSR     (MSR_SF | MSR_ME | MSR_LE)
#define BUDGET     100000ULL

#define LI(rt, v)         (0x38000000u | (rt) << 21 | ((v) & 0xFFFF))
#define LD(rt, d, ra)     (0xE8000000u | (rt) << 21 | (ra) << 16 | ((d) & 0xFFFC))
#define STD(rs, d, ra)    (0xF8000000u | (rs) << 21 | (ra) << 16 | ((d) & 0xFFFC))
#define B(off)            (0x48000000u | ((off) & 0x3FFFFFC))
#define SC1               0x44000022u

/* ---- the machine ------------------------------------------------------------------------ */

static int mem_rd(void *opaque, radix_addr_t a, uint64_t *v)
{
    Hv *hv = opaque;
    uint64_t x;
    memcpy(&x, hv->ram + a, 8);
    *v = __builtin_bswap64(x);
    return 0;
}

static int mem_wr(void *opaque, radix_addr_t a, uint64_t v)
{
    Hv *hv = opaque;
    v = __builtin_bswap64(v);
    memcpy(hv->ram + a, &v, 8);
    return 0;
}

static radix_addr_t pool_next;

static int mem_alloc(void *opaque, unsigned size, radix_addr_t *out)
{
    Hv *hv = opaque;
    pool_next = (pool_next + size - 1) & ~(radix_addr_t)(size - 1);
    memset(hv->ram + pool_next, 0, size);
    *out = pool_next;
    pool_next += size;
    return 0;
}

static void mem_free(void *opaque, radix_addr_t a, unsigned size)
{
    (void)opaque;
    (void)a;
    (void)size;
}

static void put_words(Hv *hv, uint64_t ra, const uint32_t *w, size_t n)
{
    memcpy(hv->ram + ra, w, n * 4); /* the host is little-endian; everything runs MSR[LE] = 1 */
}

static void put64(Hv *hv, uint64_t ra, uint64_t v, bool big_endian)
{
    if (big_endian)
        v = __builtin_bswap64(v);
    memcpy(hv->ram + ra, &v, 8);
}

static uint64_t get64(Hv *hv, uint64_t ra, bool big_endian)
{
    uint64_t v;
    assert_int_equal(hv_read_guest(hv, ra, &v, 8), 0);
    return big_endian ? __builtin_bswap64(v) : v;
}

static Hv *machine(bool nested, int ncpus)
{
    Hv *hv = calloc(1, sizeof(*hv));
    HvConfig cfg;
    char err[256];
    memset(&cfg, 0, sizeof(cfg));
    mach_config_init(&cfg.mach);
    cfg.mach.ram_size = RAM_SIZE;
    cfg.mach.smp_cpus = ncpus;
    cfg.mach.cap_nested_hv = nested;
    cfg.mach.cap_nested_papr = nested; /* off: no nested state at all (v2 has its own tests) */
    cfg.clock = CPU_CLOCK_ICOUNT;
    cfg.rtc_base = 0;
    cfg.max_insns = BUDGET;
    assert_int_equal(hv_init(hv, &cfg, err, sizeof(err)), 0);
    static const uint32_t l1[] = { SC1, B(0) };
    static const uint32_t spin[] = { B(0) };
    put_words(hv, L1_CODE, l1, 2);
    put_words(hv, L1_SPIN, spin, 1);
    for (int i = 0; i < 2; i++) {
        uint32_t w = __builtin_bswap32(l1[i]);
        memcpy(hv->ram + L1_CODE_BE + 4 * i, &w, 4);
    }
    return hv;
}

static void destroy(Hv *hv)
{
    hv_destroy(hv);
    free(hv);
}

/* The L1's table with lpid 1: L2 real 0 -> L2_CODE_RA, L2_DATA -> L2_DATA_RA. */
static void l1_tables(Hv *hv)
{
    RadixMem m = { hv, mem_rd, mem_wr, mem_alloc, mem_free };
    RadixRoot r;
    const uint64_t rw = RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW;
    pool_next = POOL;
    assert_int_equal(radix_tree_create(&m, &r), 0);
    assert_int_equal(radix_map(&m, &r, 0, L2_CODE_RA, 0x1000, 12, rw | RADIX_PTE_EAA_EXEC), 0);
    assert_int_equal(radix_map(&m, &r, L2_DATA, L2_DATA_RA, 0x1000, 12, rw), 0);
    memset(hv->ram + PTAB, 0, 0x1000);
    put64(hv, PTAB + L2_LPID * PATE_SIZE, PATE0_HR | radix_root_to_dw0(&r), true);
    CPUState *cpu = &hv->cpu;
    cpu->gpr[4] = PTAB;
    assert_int_equal(hv_h_set_partition_table(hv, cpu), H_SUCCESS);
}

/* hv_guest_state and pt_regs for an L2 starting at real 0 (byte order of the L1). */
static void l2_state(Hv *hv, bool big_endian, uint64_t hdec_expiry)
{
    memset(hv->ram + HVGS, 0, HVGS_SIZE_MAX);
    memset(hv->ram + REGS, 0, PTREGS_SIZE);
    put64(hv, HVGS + HVGS_OFF_VERSION, HVGS_VERSION_2, big_endian);
    uint64_t lpid_token = big_endian ? (uint64_t)L2_LPID << 32 : L2_LPID; /* u32 lpid, u32 vcpu_token */
    put64(hv, HVGS + HVGS_OFF_LPID, lpid_token, big_endian);
    put64(hv, HVGS + 16, LPCR_ILE, big_endian);                /* lpcr */
    put64(hv, HVGS + HVGS_OFF_HDEC_EXPIRY, hdec_expiry, big_endian);
    put64(hv, REGS + 256, 0, big_endian);                      /* nip */
    put64(hv, REGS + 264, L2_MSR, big_endian);                 /* msr */
    put64(hv, REGS + PTREGS_OFF_GPR(7), L2_DATA, big_endian);
    put64(hv, REGS + PTREGS_OFF_GPR(6), 0x6666, big_endian);
}

/* The L1 (vCPU 0) calls H_ENTER_NESTED at L1_CODE. */
static void l1_enter(Hv *hv, bool big_endian)
{
    CPUState *cpu = &hv->cpu;
    cpu->nip = big_endian ? L1_CODE_BE : L1_CODE;
    cpu->msr = MSR_SF | MSR_ME | (big_endian ? 0 : MSR_LE);
    cpu->gpr[3] = H_ENTER_NESTED;
    cpu->gpr[4] = HVGS;
    cpu->gpr[5] = REGS;
    cpu_mode_changed(cpu);
}

/* Run until the budget (the L1 spins after its hcall returns). */
static void run(Hv *hv, uint64_t insns)
{
    hv->cfg.max_insns = hv->insns + insns;
    assert_int_equal(hv_run(hv), HV_LIMIT_REACHED);
}

/* L2: load L2_DATA (r4), hcall 0x1111; load again (r5), store r6, hcall 0x2222; spin. */
static void l2_program(Hv *hv)
{
    static const uint32_t w[] = {
        LD(4, 0, 7), LI(3, 0x1111), SC1, LD(5, 0, 7), STD(6, 0, 7), LI(3, 0x2222), SC1, B(0),
    };
    put_words(hv, L2_CODE_RA, w, sizeof(w) / 4);
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void test_hcall_exit(void **state)
{
    Hv *hv = machine(true, 1);
    l1_tables(hv);
    l2_program(hv);
    put64(hv, L2_DATA_RA, 0x77, false);
    l2_state(hv, false, ~0ULL);
    l1_enter(hv, false);
    run(hv, BUDGET);
    assert_false(hv_nested_in_l2(hv, &hv->cpu));
    assert_int_equal(hv->cpu.gpr[3], EXCP_SYSCALL);
    assert_int_equal(hv->cpu.nip, L1_CODE + 4);
    assert_int_equal(get64(hv, REGS + PTREGS_OFF_GPR(3), false), 0x1111);
    assert_int_equal(get64(hv, REGS + PTREGS_OFF_GPR(4), false), 0x77);
    assert_int_equal(get64(hv, REGS + 256, false), 12);       /* nip: after the sc */
    assert_int_equal(hv->nested->l1.stats.guests_created, 1);
    destroy(hv);
}

static void test_errors(void **state)
{
    Hv *hv = machine(true, 1);
    CPUState *cpu = &hv->cpu;
    l1_enter(hv, false);
    assert_int_equal(hv_h_enter_nested(hv, cpu), H_NOT_AVAILABLE);
    l1_tables(hv);
    l2_state(hv, false, ~0ULL);
    put64(hv, HVGS + HVGS_OFF_LPID, 0, false);                 /* lpid 0: QEMU 7.2 asserts */
    assert_int_equal(hv_h_enter_nested(hv, cpu), H_PARAMETER);
    l2_state(hv, false, ~0ULL);
    cpu->gpr[4] = RAM_SIZE - 8;                                /* hv_guest_state runs past RAM */
    assert_int_equal(hv_h_enter_nested(hv, cpu), H_PARAMETER);
    cpu->gpr[4] = HVGS;
    cpu->gpr[5] = RAM_SIZE + 0x1000;                           /* pt_regs outside RAM */
    assert_int_equal(hv_h_enter_nested(hv, cpu), H_PARAMETER);
    cpu->gpr[5] = REGS;
    cpu->msr |= MSR_TS_TRANSACTIONAL;                          /* the L1 in a transaction */
    assert_int_equal(hv_h_enter_nested(hv, cpu), H_BAD_MODE);
    assert_false(hv_nested_in_l2(hv, cpu));
    destroy(hv);
}

static void test_big_endian_l1(void **state)
{
    Hv *hv = machine(true, 1);
    l1_tables(hv);
    l2_program(hv);
    put64(hv, L2_DATA_RA, 0x88, false);
    l2_state(hv, true, ~0ULL);
    l1_enter(hv, true);
    run(hv, BUDGET);
    assert_int_equal(hv->cpu.gpr[3], EXCP_SYSCALL);
    assert_int_equal(get64(hv, REGS + PTREGS_OFF_GPR(3), true), 0x1111);
    assert_int_equal(get64(hv, REGS + PTREGS_OFF_GPR(4), true), 0x88);
    assert_int_equal(get64(hv, HVGS + HVGS_OFF_VERSION, true), HVGS_VERSION_2);
    destroy(hv);
}

/* First run to the 0x1111 hcall; change the L1 page behind L2_DATA in L0; second run. */
static void l0_changes_page(bool move)
{
    Hv *hv = machine(true, 1);
    l1_tables(hv);
    l2_program(hv);
    put64(hv, L2_DATA_RA, 0x1234, false);
    l2_state(hv, false, ~0ULL);
    l1_enter(hv, false);
    run(hv, BUDGET);
    assert_int_equal(get64(hv, REGS + PTREGS_OFF_GPR(4), false), 0x1234);
    NestGuestStats before;
    nest_l1_stats_sum(&hv->nested->l1, &before);

    if (move) {
        hra_t new_hra;
        assert_int_equal(hv_partition_move_page(&hv->part, L2_DATA_RA, &new_hra), 0);
    } else {
        assert_int_equal(hv_partition_unmap_page(&hv->part, L2_DATA_RA), 0);
    }
    NestGuestStats after;
    nest_l1_stats_sum(&hv->nested->l1, &after);
    assert_true(after.rmap_invalidations > before.rmap_invalidations);
    uint64_t v = 0x5678;
    assert_int_equal(hv_write_guest(hv, L2_DATA_RA, &v, 8), 0);  /* lands in the page's new home */

    l1_enter(hv, false);                                          /* re-enter: the L2 continues */
    run(hv, BUDGET);
    assert_int_equal(hv->cpu.gpr[3], EXCP_SYSCALL);
    assert_int_equal(get64(hv, REGS + PTREGS_OFF_GPR(3), false), 0x2222);
    assert_int_equal(get64(hv, REGS + PTREGS_OFF_GPR(5), false), 0x5678); /* not the stale page */
    assert_int_equal(get64(hv, L2_DATA_RA, false), 0x6666);              /* its store went there */
    destroy(hv);
}

static void test_l0_move(void **state)
{
    l0_changes_page(true);
}

static void test_l0_unmap(void **state)
{
    l0_changes_page(false);
}

static void test_preemption_is_not_hdec(void **state)
{
    static const uint32_t spin[] = { B(0) };
    Hv *hv = machine(true, 2);
    l1_tables(hv);
    put_words(hv, L2_CODE_RA, spin, 1);
    l2_state(hv, false, ~0ULL);
    l1_enter(hv, false);
    hv_vcpu_start(hv, &hv->vcpus[1], &hv->cpu, L1_SPIN, 0);       /* a second runnable vCPU: short turns */
    hv->vcpus[1].cpu->msr |= MSR_LE;
    run(hv, 20 * BUDGET);
    assert_true(hv_nested_in_l2(hv, &hv->cpu));                   /* still in the L2 */
    assert_true(hv->nested->stats.preemptions > 10);
    NestGuestStats s;
    nest_l1_stats_sum(&hv->nested->l1, &s);
    assert_int_equal(s.exits[NEST_EXIT_HDEC], 0);
    destroy(hv);
}

static void test_hdec_deadline(void **state)
{
    static const uint32_t spin[] = { B(0) };
    Hv *hv = machine(true, 1);
    l1_tables(hv);
    put_words(hv, L2_CODE_RA, spin, 1);
    uint64_t deadline = cpu_get_tb(&hv->cpu) + 5000;
    l2_state(hv, false, deadline);
    l1_enter(hv, false);
    run(hv, BUDGET);
    assert_int_equal(hv->cpu.gpr[3], EXCP_HDECR);
    uint64_t tb = get64(hv, HVGS + 96, false);                  /* purr: the L2's timebase at the exit */
    assert_true(tb >= deadline);
    assert_true(tb <= deadline + 1);                              /* exact, to the instruction */
    destroy(hv);
}

static void test_cap_off(void **state)
{
    Hv *hv = machine(false, 1);
    CPUState *cpu = &hv->cpu;
    assert_null(hv->nested);
    assert_int_equal(hv_h_set_partition_table(hv, cpu), H_FUNCTION);
    assert_int_equal(hv_h_enter_nested(hv, cpu), H_FUNCTION);
    assert_int_equal(hv_h_tlb_invalidate(hv, cpu), H_FUNCTION);
    assert_int_equal(hv_h_copy_tofrom_guest(hv, cpu), H_FUNCTION);
    assert_int_equal(hv_h_rpt_invalidate(hv, cpu), H_FUNCTION);
    destroy(hv);
}

static void test_stats(void **state)
{
    Hv *hv = machine(true, 1);
    l1_tables(hv);
    l2_program(hv);
    l2_state(hv, false, ~0ULL);
    l1_enter(hv, false);
    run(hv, BUDGET);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hv_nested_print_stats(hv, f);
    fclose(f);
    assert_non_null(strstr(buf, "lpid 1 (shadow 2): entries 1"));
    assert_non_null(strstr(buf, "hcall 0xc00 1"));
    free(buf);
    destroy(hv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hcall_exit),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_big_endian_l1),
        cmocka_unit_test(test_l0_move),
        cmocka_unit_test(test_l0_unmap),
        cmocka_unit_test(test_preemption_is_not_hdec),
        cmocka_unit_test(test_hdec_deadline),
        cmocka_unit_test(test_cap_off),
        cmocka_unit_test(test_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
