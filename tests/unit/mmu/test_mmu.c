/*
 * test_mmu.c - the emulated MMU's internals that a guest cannot see
 * directly: TLB contexts (a PIDR or AMR switch keeps entries, ids recycle),
 * which entries each tlbie form drops, the broadcast to sibling threads,
 * the fetch TLB, and the partition-scope hook (table reads outside RAM
 * read as zero, accesses outside RAM machine-check).  Guest-visible
 * behaviour is compared with QEMU by firmware/tests/mmu/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/cpu.h"
#include "cpu/mem.h"
#include "mmu/mmu.h"
#include "radix/radix.h"

#define RAM_SIZE   (16u << 20)
#define PVR_P9     0x004e1200u
#define PRTB       0x100000ULL
#define POOL       0x200000ULL   /* table memory */
#define DATA       0x800000ULL
#define EA_A       0x10000000ULL
#define EA_B       0x10001000ULL
#define KEA        0xC000000000405000ULL
#define RW         (RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW | RADIX_PTE_EAA_EXEC)
#define KMSR       (MSR_SF | MSR_ME | MSR_LE | MSR_DR | MSR_IR)

typedef struct Fixture {
    uint8_t *ram;
    CPUState cpu;
    uint64_t bump;
    RadixRoot t0, t1, t2;
} Fixture;

static Fixture *fx; /* for the RadixMem callbacks */

static int rd(void *o, radix_addr_t a, uint64_t *v)
{
    uint64_t x;
    memcpy(&x, fx->ram + a, 8);
    *v = __builtin_bswap64(x);
    return 0;
}

static int wr(void *o, radix_addr_t a, uint64_t v)
{
    v = __builtin_bswap64(v);
    memcpy(fx->ram + a, &v, 8);
    return 0;
}

static int alloc(void *o, unsigned size, radix_addr_t *out)
{
    fx->bump = (fx->bump + size - 1) & ~(uint64_t)(size - 1);
    *out = fx->bump;
    memset(fx->ram + fx->bump, 0, size);
    fx->bump += size;
    return 0;
}

static void release(void *o, radix_addr_t a, unsigned size) {}

static const RadixMem mem = { NULL, rd, wr, alloc, release };

static void set_prte(unsigned pid, const RadixRoot *r)
{
    wr(NULL, PRTB + pid * 16, radix_root_to_dw0(r));
}

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof(*f));
    f->ram = calloc(1, RAM_SIZE);
    f->bump = POOL;
    fx = f;
    assert_int_equal(cpu_init(&f->cpu, f->ram, RAM_SIZE, PVR_P9), 0);
    assert_int_equal(radix_tree_create(&mem, &f->t0), 0);
    assert_int_equal(radix_tree_create(&mem, &f->t1), 0);
    assert_int_equal(radix_tree_create(&mem, &f->t2), 0);
    /* PID 0: kernel page at KEA; PID 1 and 2: EA_A, EA_B to different pages */
    assert_int_equal(radix_map(&mem, &f->t0, KEA & RADIX_EA_OFFSET, DATA, 0x1000, 12, RW), 0);
    assert_int_equal(radix_map(&mem, &f->t1, EA_A, DATA + 0x1000, 0x2000, 12, RW), 0);
    assert_int_equal(radix_map(&mem, &f->t2, EA_A, DATA + 0x3000, 0x2000, 12, RW), 0);
    set_prte(0, &f->t0);
    set_prte(1, &f->t1);
    set_prte(2, &f->t2);
    for (uint64_t a = DATA; a < DATA + 0x10000; a += 8)
        memcpy(f->ram + a, &a, 8);
    f->cpu.spr[SPR_LPCR] |= LPCR_HR | LPCR_UPRT | LPCR_GTSE;
    mmu_set_partition_entry(&f->cpu, PATE0_HR, PATE1_GR | PRTB);
    f->cpu.msr = KMSR;
    f->cpu.spr[SPR_PIDR] = 1;
    cpu_mode_changed(&f->cpu);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    cpu_destroy(&f->cpu);
    free(f->ram);
    free(f);
    return 0;
}

static void set_pid(CPUState *cpu, uint64_t pid)
{
    cpu->spr[SPR_PIDR] = pid;
    cpu_mode_changed(cpu);
}

static uint64_t ld(CPUState *cpu, ea_t ea)
{
    uint64_t v = 0;
    uint64_t excp = cpu->stat_excp;
    assert_true(cpu_ld(cpu, ea, 8, &v));
    assert_int_equal(cpu->stat_excp, excp);
    return v;
}

static bool tlb_has(const CPUState *cpu, ea_t ea, uint32_t ctx)
{
    return cpu_tlb_slot((TlbEntry *)cpu->tlb_read, ea, ctx)->tag == ((ea & CPU_PAGE_MASK) | ctx);
}

/* ---- translation ------------------------------------------------------------------ */

static void test_xlate_when_radix_translates_and_sets_r(void **state)
{
    Fixture *f = *state;
    gra_t gra;
    uint8_t *host;
    assert_true(mmu_xlate(&f->cpu, EA_A + 0x18, MMU_READ, &gra, &host));
    assert_int_equal(gra, DATA + 0x1018);
    assert_ptr_equal(host, f->ram + DATA + 0x1018);
    RadixWalk w;
    radix_walk(&f->t1, EA_A, rd, NULL, &w);
    assert_int_equal(w.pte & (RADIX_PTE_R | RADIX_PTE_C), RADIX_PTE_R | RADIX_PTE_C); /* mapped with both */
    assert_int_equal(ld(&f->cpu, KEA + 8), DATA + 8);
}

static void test_xlate_when_hash_mode_raises_segment_interrupt(void **state)
{
    Fixture *f = *state;
    gra_t gra;
    uint8_t *host;
    f->cpu.spr[SPR_LPCR] &= ~(LPCR_HR | LPCR_UPRT); /* hash mode is LPCR[HR] = 0 (mmu_partition_radix) */
    mmu_set_partition_entry(&f->cpu, 0, 0);
    f->cpu.cia = 0x700;
    assert_false(mmu_xlate(&f->cpu, EA_A, MMU_READ, &gra, &host));
    assert_int_equal(f->cpu.nip, EXCP_DSEG);
    assert_int_equal(f->cpu.spr[SPR_DAR], EA_A);
}

static void test_xlate_when_leaf_outside_ram_machine_checks(void **state)
{
    Fixture *f = *state;
    gra_t gra;
    uint8_t *host;
    assert_int_equal(radix_map(&mem, &f->t1, 0x20000000, RAM_SIZE, 0x1000, 12, RW), 0);
    f->cpu.cia = 0x700;
    assert_false(mmu_xlate(&f->cpu, 0x20000010, MMU_READ, &gra, &host));
    assert_int_equal(f->cpu.nip, EXCP_MCHECK);
    assert_int_equal(f->cpu.spr[SPR_DAR], 0x20000010);
}

static void test_xlate_when_process_table_outside_ram_is_badconfig(void **state)
{
    Fixture *f = *state;
    gra_t gra;
    uint8_t *host;
    mmu_set_partition_entry(&f->cpu, PATE0_HR, PATE1_GR | 0x40000000);
    f->cpu.cia = 0x700;
    assert_false(mmu_xlate(&f->cpu, EA_A, MMU_WRITE, &gra, &host));
    assert_int_equal(f->cpu.nip, EXCP_DSI);
    assert_int_equal(f->cpu.spr[SPR_DSISR], DSISR_BADCONFIG | DSISR_ISSTORE);
}

static void test_partition_xlate_when_table_outside_ram_reads_zero(void **state)
{
    Fixture *f = *state;
    uint8_t *host = (uint8_t *)1;
    assert_true(mmu_partition_xlate(&f->cpu, RAM_SIZE + 8, MMU_READ, MMU_PART_TABLE, 0, &host));
    assert_null(host);
    assert_true(mmu_partition_xlate(&f->cpu, 8, MMU_READ, MMU_PART_TABLE, 0, &host));
    assert_ptr_equal(host, f->ram + 8);
}

static void test_fetch_tlb_when_hit_does_not_walk(void **state)
{
    Fixture *f = *state;
    gra_t gra;
    uint8_t *host;
    assert_true(mmu_xlate(&f->cpu, EA_A + 4, MMU_EXEC, &gra, &host));
    uint64_t walks = f->cpu.mmu.stat_walks;
    assert_true(mmu_xlate(&f->cpu, EA_A + 0x40, MMU_EXEC, &gra, &host));
    assert_int_equal(f->cpu.mmu.stat_walks, walks);
    assert_int_equal(gra, DATA + 0x1040);
    assert_ptr_equal(host, f->ram + DATA + 0x1040);
    set_pid(&f->cpu, 2); /* another context: its own walk */
    assert_true(mmu_xlate(&f->cpu, EA_A + 0x40, MMU_EXEC, &gra, &host));
    assert_int_equal(gra, DATA + 0x3040);
    assert_int_equal(f->cpu.mmu.stat_walks, walks + 1);
}

/* ---- contexts ------------------------------------------------------------------------ */

static void test_ctx_when_pidr_switches_entries_survive(void **state)
{
    Fixture *f = *state;
    assert_int_equal(ld(&f->cpu, EA_A), DATA + 0x1000);
    uint32_t ctx1 = f->cpu.mmu_ctx_data;
    set_pid(&f->cpu, 2);
    assert_int_not_equal(f->cpu.mmu_ctx_data, ctx1);
    assert_int_equal(ld(&f->cpu, EA_A + 0x1000), DATA + 0x4000);
    set_pid(&f->cpu, 1);
    assert_int_equal(f->cpu.mmu_ctx_data, ctx1);
    uint64_t walks = f->cpu.mmu.stat_walks;
    assert_int_equal(ld(&f->cpu, EA_A + 8), DATA + 0x1008);
    assert_int_equal(f->cpu.mmu.stat_walks, walks); /* a TLB hit */
}

static void test_ctx_when_ids_run_out_recycles_and_still_translates(void **state)
{
    Fixture *f = *state;
    for (uint64_t pid = 3; pid < 3 + 3 * MMU_CTX_IDS; pid++) {
        set_pid(&f->cpu, pid);
        assert_true(f->cpu.mmu_ctx_data != 0 && !(f->cpu.mmu_ctx_data & 1));
        assert_true(f->cpu.mmu_ctx_data < (MMU_CTX_IDS << 1));
    }
    assert_true(f->cpu.mmu.stat_ctx_recycles >= 1);
    set_pid(&f->cpu, 2);
    assert_int_equal(ld(&f->cpu, EA_A), DATA + 0x3000);
    /* data and fetch contexts differ (IR != DR) and both stay valid across a recycle */
    f->cpu.msr = KMSR & ~MSR_IR;
    for (uint64_t pid = 3; pid < 3 + MMU_CTX_IDS; pid++)
        set_pid(&f->cpu, pid);
    assert_int_not_equal(f->cpu.mmu_ctx_data, f->cpu.mmu_ctx_insn);
    set_pid(&f->cpu, 1);
    assert_int_equal(ld(&f->cpu, EA_A), DATA + 0x1000);
}

static void test_ctx_when_pids_differ_above_32_bits_they_differ(void **state)
{
    Fixture *f = *state;
    set_pid(&f->cpu, 0x100000001ULL);
    uint32_t big = f->cpu.mmu_ctx_data;
    set_pid(&f->cpu, 1);
    assert_int_not_equal(f->cpu.mmu_ctx_data, big);
    set_pid(&f->cpu, 0x200000001ULL);
    assert_int_equal(f->cpu.mmu_ctx_data, big); /* both past any process table */
}

static void test_ctx_when_amr_changes_supervisor_context_changes(void **state)
{
    Fixture *f = *state;
    uint32_t open = f->cpu.mmu_ctx_data;
    assert_true(cpu_st(&f->cpu, EA_A, 8, 5));
    f->cpu.spr[SPR_AMR] = 0x8000000000000000ULL; /* key 0: no write */
    cpu_mode_changed(&f->cpu);
    assert_int_not_equal(f->cpu.mmu_ctx_data, open);
    uint64_t excp = f->cpu.stat_excp;
    f->cpu.cia = 0x700;
    assert_false(cpu_st(&f->cpu, EA_A, 8, 6));
    assert_int_equal(f->cpu.stat_excp, excp + 1);
    assert_int_equal(f->cpu.spr[SPR_DSISR], DSISR_PROTFAULT | DSISR_ISSTORE);
    f->cpu.msr = KMSR;
    f->cpu.spr[SPR_AMR] = 0;
    cpu_mode_changed(&f->cpu);
    assert_int_equal(f->cpu.mmu_ctx_data, open);
    uint64_t walks = f->cpu.mmu.stat_walks;
    assert_true(cpu_st(&f->cpu, EA_A, 8, 7));
    assert_int_equal(f->cpu.mmu.stat_walks, walks);
}

/* ---- invalidation ----------------------------------------------------------------------- */

static void fill_both(Fixture *f, uint32_t *c1, uint32_t *c2)
{
    set_pid(&f->cpu, 1);
    ld(&f->cpu, EA_A);
    ld(&f->cpu, EA_B);
    ld(&f->cpu, KEA);
    *c1 = f->cpu.mmu_ctx_data;
    set_pid(&f->cpu, 2);
    ld(&f->cpu, EA_A);
    *c2 = f->cpu.mmu_ctx_data;
}

static uint64_t rb_va(ea_t ea, unsigned ap)
{
    return (ea & TLBIE_RB_EPN) | ((uint64_t)ap << TLBIE_RB_AP_SHIFT);
}

static void test_tlbie_page_drops_that_page_in_every_context(void **state)
{
    Fixture *f = *state;
    uint32_t c1, c2;
    fill_both(f, &c1, &c2);
    assert_int_equal(mmu_tlbie(&f->cpu, rb_va(EA_A, RADIX_AP_4K), 1ULL << 32, 0, true, true, false), MMU_TLBIE_DONE);
    assert_false(tlb_has(&f->cpu, EA_A, c1));
    assert_false(tlb_has(&f->cpu, EA_A, c2));
    assert_true(tlb_has(&f->cpu, EA_B, c1));
    assert_int_equal(f->cpu.fetch_tag, TLB_INVALID_TAG);
}

static void test_tlbie_large_page_drops_its_4k_granules(void **state)
{
    Fixture *f = *state;
    uint32_t c1, c2;
    fill_both(f, &c1, &c2);
    assert_int_equal(mmu_tlbie(&f->cpu, rb_va(EA_A, RADIX_AP_2M), 0, 0, true, true, true), MMU_TLBIE_DONE);
    assert_false(tlb_has(&f->cpu, EA_B, c1));
    assert_true(tlb_has(&f->cpu, KEA, c1));
}

static void test_tlbie_pid_drops_only_that_pid(void **state)
{
    Fixture *f = *state;
    uint32_t c1, c2;
    fill_both(f, &c1, &c2);
    mmu_tlbie(&f->cpu, TLBIE_IS_PID << TLBIE_RB_IS_SHIFT, 2ULL << 32, 0, true, true, false);
    assert_false(tlb_has(&f->cpu, EA_A, c2));
    assert_true(tlb_has(&f->cpu, EA_A, c1));
    assert_true(tlb_has(&f->cpu, KEA, c1));
    /* PID 0 owns quadrant 3 in every context */
    mmu_tlbie(&f->cpu, TLBIE_IS_PID << TLBIE_RB_IS_SHIFT, 0, 0, true, true, false);
    assert_false(tlb_has(&f->cpu, KEA, c1));
    assert_true(tlb_has(&f->cpu, EA_A, c1));
}

static void test_tlbie_invalid_forms_are_reported(void **state)
{
    Fixture *f = *state;
    assert_int_equal(mmu_tlbie(&f->cpu, 0, 0, 3, true, true, false), MMU_TLBIE_INVALID);
    assert_int_equal(mmu_tlbie(&f->cpu, 0, 0, 2, true, true, false), MMU_TLBIE_INVALID);
    assert_int_equal(mmu_tlbie(&f->cpu, 1ULL << TLBIE_RB_IS_SHIFT, 0, 0, false, true, false), MMU_TLBIE_INVALID);
    assert_int_equal(mmu_tlbie(&f->cpu, rb_va(EA_A, 3), 0, 0, true, true, false), MMU_TLBIE_INVALID);
    assert_int_equal(mmu_tlbie(&f->cpu, (1ULL << TLBIE_RB_IS_SHIFT) | (1ULL << TLBIE_RB_SET_SHIFT), 0, 1, true,
                               true, true), MMU_TLBIE_INVALID);
    assert_int_equal(mmu_tlbie(&f->cpu, (1ULL << TLBIE_RB_IS_SHIFT) | (1ULL << TLBIE_RB_SET_SHIFT), 0, 1, true,
                               true, false), MMU_TLBIE_DONE);
    assert_int_equal(mmu_tlbie(&f->cpu, 0, 0, 3, true, false, false), MMU_TLBIE_DONE); /* R = 0 */
}

/* A second thread of the machine: tlbie reaches it, tlbiel does not. */
static CPUState *sibling;

static void two_threads(CPUState *cpu, void (*fn)(CPUState *target, void *arg), void *arg)
{
    fn(cpu, arg);
    fn(sibling, arg);
}

static void test_tlbie_reaches_sibling_threads_tlbiel_does_not(void **state)
{
    Fixture *f = *state;
    CPUState *s = calloc(1, sizeof(*s));
    assert_int_equal(cpu_init_sibling(s, &f->cpu), 0);
    sibling = s;
    f->cpu.for_each_cpu = two_threads;
    mmu_set_partition_entry(s, PATE0_HR, PATE1_GR | PRTB);
    s->spr[SPR_LPCR] = f->cpu.spr[SPR_LPCR];
    s->msr = KMSR;
    set_pid(s, 1);
    ld(s, EA_A);
    uint32_t cs = s->mmu_ctx_data;
    assert_true(tlb_has(s, EA_A, cs));
    mmu_tlbie(&f->cpu, rb_va(EA_A, RADIX_AP_4K), 0, 0, true, true, true);
    assert_true(tlb_has(s, EA_A, cs));
    mmu_tlbie(&f->cpu, rb_va(EA_A, RADIX_AP_4K), 0, 0, true, true, false);
    assert_false(tlb_has(s, EA_A, cs));
    ld(s, EA_A);
    mmu_tlbie(&f->cpu, TLBIE_IS_ALL << TLBIE_RB_IS_SHIFT, 0, 2, true, true, false);
    assert_false(tlb_has(s, EA_A, cs));
    f->cpu.for_each_cpu = NULL;
    cpu_destroy(s);
    free(s);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_xlate_when_radix_translates_and_sets_r),
        T(test_xlate_when_hash_mode_raises_segment_interrupt),
        T(test_xlate_when_leaf_outside_ram_machine_checks),
        T(test_xlate_when_process_table_outside_ram_is_badconfig),
        T(test_partition_xlate_when_table_outside_ram_reads_zero),
        T(test_fetch_tlb_when_hit_does_not_walk),
        T(test_ctx_when_pidr_switches_entries_survive),
        T(test_ctx_when_ids_run_out_recycles_and_still_translates),
        T(test_ctx_when_pids_differ_above_32_bits_they_differ),
        T(test_ctx_when_amr_changes_supervisor_context_changes),
        T(test_tlbie_page_drops_that_page_in_every_context),
        T(test_tlbie_large_page_drops_its_4k_granules),
        T(test_tlbie_pid_drops_only_that_pid),
        T(test_tlbie_invalid_forms_are_reported),
        T(test_tlbie_reaches_sibling_threads_tlbiel_does_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
