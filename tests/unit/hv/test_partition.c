/*
 * test_partition.c - L0's host-real memory and partition-scoped trees
 * (hv/partition.c) with the emulated MMU walking them (mmu/xlate.c):
 * demand faulting and the exact HDSI/HISI values, what a guest sees where
 * it has no memory, unmap and move with contents kept, TLB shootdown on
 * every vCPU (a guest reading or executing a page while L0 moves it never
 * uses the old host page), L0's own guest accesses, the pool, and the
 * host memory a 64 GiB partition costs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpu/mem.h"
#include "hv/hv.h"
#include "hv/partition.h"
#include "mmu/mmu.h"

#define GIB       (1ULL << 30)
#define RAM_SIZE  (3 * GIB)
#define PVR_P9    0x004e1200u
#define CODE      0x10000ULL
#define CODE2     0x11000ULL
#define DATA      (GIB + 0x20000)         /* in the second gigabyte */
#define RESULT    0x30000ULL
#define PRTB      (2 * GIB + 0x100000)    /* process table in the third gigabyte */
#define MSR_RM    (MSR_SF | MSR_ME | MSR_LE)
#define CAUSE_MASK (~SRR1_MSR_KEEP)
#define POISON    0xDEADDEADDEADDEADULL
#define MAX_FAULTS 64

/* Instruction words (Power ISA v3.0B). */
#define ADDI(rt, ra, v) (0x38000000u | (rt) << 21 | (ra) << 16 | ((v) & 0xFFFF))
#define LI(rt, v)       ADDI(rt, 0, v)
#define LD(rt, d, ra)   (0xE8000000u | (rt) << 21 | (ra) << 16 | ((d) & 0xFFFC))
#define STD(rs, d, ra)  (0xF8000000u | (rs) << 21 | (ra) << 16 | ((d) & 0xFFFC))
#define B(off)          (0x48000000u | ((off) & 0x3FFFFFC))

typedef struct Fx {
    Hrm m;
    HvPartition p;
    CPUState cpu[2];
} Fx;

static void fx_for_each(void *opaque, void (*fn)(CPUState *cpu, void *arg), void *arg)
{
    Fx *f = opaque;
    for (int i = 0; i < 2; i++)
        fn(&f->cpu[i], arg);
}

static int setup(void **state)
{
    Fx *f = calloc(1, sizeof(*f));
    char err[160];
    assert_int_equal(hrm_init(&f->m, RAM_SIZE, err, sizeof(err)), 0);
    assert_int_equal(hv_partition_init(&f->p, &f->m, HV_L1_LPID, RAM_SIZE, err, sizeof(err)), 0);
    f->p.for_each_cpu = fx_for_each;
    f->p.cpus = f;
    assert_int_equal(cpu_init(&f->cpu[0], f->m.base, f->m.size, PVR_P9), 0);
    assert_int_equal(cpu_init_sibling(&f->cpu[1], &f->cpu[0]), 0);
    for (int i = 0; i < 2; i++) {
        mmu_set_partition(&f->cpu[i], f->m.ptcr, HV_L1_LPID);
        f->cpu[i].msr = MSR_RM;
        cpu_mode_changed(&f->cpu[i]);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fx *f = *state;
    cpu_destroy(&f->cpu[1]);
    cpu_destroy(&f->cpu[0]);
    hv_partition_destroy(&f->p);
    hrm_destroy(&f->m);
    free(f);
    return 0;
}

/* Boot-time write of guest words (host little-endian: the guest runs MSR[LE] = 1). */
static void put(Fx *f, gra_t gra, const uint32_t *w, size_t n)
{
    memcpy(hv_partition_boot_ram(&f->p) + gra, w, n * 4);
}

static void put64(Fx *f, gra_t gra, uint64_t v)
{
    assert_int_equal(hv_partition_write(&f->p, gra, &v, 8), 0);
}

static uint64_t get64(Fx *f, gra_t gra)
{
    uint64_t v;
    assert_int_equal(hv_partition_read(&f->p, gra, &v, 8), 0);
    return v;
}

/* Run n instructions; partition faults go to L0 as hv/smp.c sends them; returns how many. */
static unsigned run(Fx *f, CPUState *cpu, uint64_t n)
{
    unsigned faults = 0;
    uint64_t end = cpu->icount + n;
    while (cpu->icount < end) {
        CpuExit e = cpu_run(cpu, end - cpu->icount);
        if (e == CPU_EXIT_HDSI || e == CPU_EXIT_HISI) {
            assert_int_not_equal(hv_partition_fault(&f->p, cpu), HV_FAULT_FATAL);
            assert_true(++faults < MAX_FAULTS);
        } else {
            assert_int_equal(e, CPU_EXIT_BUDGET);
        }
    }
    return faults;
}

/* Run until the guest takes an interrupt, L0 handling partition faults on the way. */
static void run_to_interrupt(Fx *f, CPUState *cpu)
{
    uint64_t excp = cpu->stat_excp;
    for (int i = 0; i < MAX_FAULTS && cpu->stat_excp == excp; i++) {
        CpuExit e = cpu_run(cpu, 1);
        if (e == CPU_EXIT_HDSI || e == CPU_EXIT_HISI)
            assert_int_not_equal(hv_partition_fault(&f->p, cpu), HV_FAULT_FATAL);
    }
    assert_int_not_equal(cpu->stat_excp, excp);
}

static void start(CPUState *cpu, uint64_t nip, uint64_t msr)
{
    cpu->nip = nip;
    cpu->msr = msr;
    cpu_mode_changed(cpu);
}

/* Radix mode with a process table at PRTB (PID 0's entry as given). */
static void use_radix(Fx *f, uint64_t prtb, uint64_t prte0)
{
    for (int i = 0; i < 2; i++)
        f->cpu[i].spr[SPR_LPCR] |= LPCR_HR | LPCR_UPRT;
    uint64_t be = __builtin_bswap64(prte0);
    if (prtb < RAM_SIZE)
        memcpy(hv_partition_boot_ram(&f->p) + prtb, &be, 8);
    hv_partition_set_process_table(&f->p, PATE1_GR | prtb);
}

/* ---- demand faulting and the values of the exits ------------------------------------------------ */

static void test_fault_when_first_fetch_is_hisi_then_1g_page_maps(void **state)
{
    Fx *f = *state;
    CPUState *cpu = &f->cpu[0];
    const uint32_t prog[] = { LI(3, 7), B(0) };
    put(f, CODE, prog, 2);
    start(cpu, CODE, MSR_RM);
    assert_int_equal(cpu_run(cpu, 100), CPU_EXIT_HISI);
    assert_int_equal(cpu->exit_vector, EXCP_HISI);
    assert_int_equal(cpu->spr[SPR_HSRR0], CODE);
    assert_int_equal(cpu->spr[SPR_HSRR1] & CAUSE_MASK, DSISR_NOPTE);
    assert_int_equal(cpu->spr[SPR_ASDR], CODE);
    assert_int_equal(hv_partition_fault(&f->p, cpu), HV_FAULT_RESUME);
    assert_int_equal(f->p.stats.mapped[2], 1);
    assert_int_equal(run(f, cpu, 100), 0);
    assert_int_equal(cpu->gpr[3], 7);
}

static void test_fault_when_load_and_store_miss_is_hdsi_with_hdar_asdr(void **state)
{
    Fx *f = *state;
    CPUState *cpu = &f->cpu[0];
    const uint32_t prog[] = { LD(5, 0, 4), STD(5, 0, 6), B(0) };
    NestL0Map map;
    put(f, CODE, prog, 3);
    assert_int_equal(hv_partition_gra_to_hra(&f->p, CODE, false, &map), NEST_L0_OK);
    put64(f, DATA + 0x238, 0x1234);
    assert_int_equal(f->p.stats.mapped[2], 2); /* L0's own write faulted the second gigabyte in */
    assert_int_equal(hv_partition_unmap_page(&f->p, DATA), 0);
    start(cpu, CODE, MSR_RM);
    cpu->gpr[4] = DATA + 0x238;
    cpu->gpr[6] = 2 * GIB + 0x18;
    assert_int_equal(cpu_run(cpu, 10), CPU_EXIT_HDSI);
    assert_int_equal(cpu->exit_vector, EXCP_HDSI);
    assert_int_equal(cpu->spr[SPR_HDAR], DATA + 0x238);
    assert_int_equal(cpu->spr[SPR_HDSISR], DSISR_NOPTE);
    assert_int_equal(cpu->spr[SPR_ASDR], DATA + 0x238);
    assert_int_equal(cpu->spr[SPR_HSRR0], CODE);
    assert_int_equal(hv_partition_fault(&f->p, cpu), HV_FAULT_RESUME);
    assert_int_equal(f->p.stats.mapped[0], 1); /* a region with an unmapped page maps 4 KiB */
    assert_int_equal(cpu_run(cpu, 10), CPU_EXIT_HDSI);
    assert_int_equal(cpu->spr[SPR_HDSISR], DSISR_NOPTE | DSISR_ISSTORE);
    assert_int_equal(cpu->spr[SPR_ASDR], 2 * GIB + 0x18);
    assert_int_equal(cpu->spr[SPR_HSRR0], CODE + 4);
    assert_int_equal(hv_partition_fault(&f->p, cpu), HV_FAULT_RESUME);
    assert_int_equal(run(f, cpu, 10), 0);
    assert_int_equal(get64(f, 2 * GIB + 0x18), 0x1234);
}

static void test_fault_when_table_entry_unmapped_is_prtable_fault(void **state)
{
    Fx *f = *state;
    CPUState *cpu = &f->cpu[0];
    const uint32_t prog[] = { LD(5, 0, 4), B(0) };
    NestL0Map map;
    put(f, CODE, prog, 2);
    assert_int_equal(hv_partition_gra_to_hra(&f->p, CODE, false, &map), NEST_L0_OK);
    use_radix(f, PRTB, 0); /* the entry is zero: BADCONFIG once it can be read */
    start(cpu, CODE, MSR_RM | MSR_DR);
    cpu->gpr[4] = 0x1000;
    assert_int_equal(cpu_run(cpu, 10), CPU_EXIT_HDSI);
    assert_int_equal(cpu->spr[SPR_HDSISR], DSISR_PRTABLE_FAULT | DSISR_NOPTE);
    assert_int_equal(cpu->spr[SPR_HDAR], 0x1000);
    assert_int_equal(cpu->spr[SPR_ASDR], PRTB);
    assert_int_equal(hv_partition_fault(&f->p, cpu), HV_FAULT_RESUME);
    run_to_interrupt(f, cpu);
    assert_int_equal(cpu->nip, EXCP_DSI); /* now the guest's own fault */
    assert_int_equal(cpu->spr[SPR_DSISR], DSISR_BADCONFIG);
    /* The instruction side: a fetch whose table walk faults is an HISI with PRTABLE_FAULT. */
    assert_int_equal(hv_partition_unmap_page(&f->p, PRTB), 0);
    start(cpu, 0x2000, MSR_RM | MSR_IR | MSR_DR);
    assert_int_equal(cpu_run(cpu, 10), CPU_EXIT_HISI);
    assert_int_equal(cpu->spr[SPR_HSRR0], 0x2000);
    assert_int_equal(cpu->spr[SPR_HSRR1] & CAUSE_MASK, DSISR_PRTABLE_FAULT | DSISR_NOPTE);
    assert_int_equal(cpu->spr[SPR_ASDR], PRTB);
}

static void test_fault_when_pte_lacks_rights_is_protfault_atomic_rc_noexec(void **state)
{
    Fx *f = *state;
    CPUState *cpu = &f->cpu[0];
    const uint32_t prog[] = { STD(5, 0, 6), B(0) };
    put(f, CODE, prog, 2);
    start(cpu, CODE, MSR_RM);
    cpu->gpr[5] = 0x77;
    cpu->gpr[6] = RESULT;
    run(f, cpu, 4); /* gigabyte 0 mapped, translations cached */
    /* L0 takes rights away (as dirty tracking would) and drops what the vCPUs cached. */
    assert_int_equal(radix_protect(&f->p.tmem, &f->p.tree, 0, GIB, RADIX_PTE_C, 0), 0);
    mmu_flush_partition_scope(cpu);
    mmu_tlb_flush_all(cpu);
    start(cpu, CODE, MSR_RM);
    assert_int_equal(cpu_run(cpu, 4), CPU_EXIT_HDSI);
    assert_int_equal(cpu->spr[SPR_HDSISR], DSISR_ATOMIC_RC | DSISR_ISSTORE);
    assert_int_equal(hv_partition_fault(&f->p, cpu), HV_FAULT_RESUME); /* L0 sets C again */
    assert_int_equal(radix_protect(&f->p.tmem, &f->p.tree, 0, GIB, RADIX_PTE_EAA_RW, 0), 0);
    mmu_flush_partition_scope(cpu);
    mmu_tlb_flush_all(cpu);
    start(cpu, CODE, MSR_RM);
    assert_int_equal(cpu_run(cpu, 4), CPU_EXIT_HDSI);
    assert_int_equal(cpu->spr[SPR_HDSISR], DSISR_PROTFAULT | DSISR_ISSTORE);
    assert_int_equal(hv_partition_fault(&f->p, cpu), HV_FAULT_RESUME);
    assert_int_equal(radix_protect(&f->p.tmem, &f->p.tree, 0, GIB, RADIX_PTE_EAA_EXEC, 0), 0);
    mmu_flush_partition_scope(cpu);
    mmu_tlb_flush_all(cpu);
    start(cpu, CODE, MSR_RM);
    assert_int_equal(cpu_run(cpu, 4), CPU_EXIT_HISI);
    assert_int_equal(cpu->spr[SPR_HSRR1] & CAUSE_MASK, DSISR_NOEXEC_OR_G);
    assert_int_equal(hv_partition_fault(&f->p, cpu), HV_FAULT_RESUME);
    assert_int_equal(run(f, cpu, 4), 0);
    assert_int_equal(get64(f, RESULT), 0x77);
}

/* ---- no memory there: what the guest saw before ----------------------------------------------- */

static void test_fault_when_outside_ram_is_machine_check(void **state)
{
    Fx *f = *state;
    CPUState *cpu = &f->cpu[0];
    const uint32_t prog[] = { LD(5, 0, 4), B(0) };
    put(f, CODE, prog, 2);
    start(cpu, CODE, MSR_RM);
    cpu->gpr[4] = RAM_SIZE + 0x100;
    run_to_interrupt(f, cpu);
    assert_int_equal(cpu->nip, EXCP_MCHECK);
    assert_int_equal(cpu->spr[SPR_SRR0], CODE);
    assert_int_equal(cpu->spr[SPR_DAR], RAM_SIZE + 0x100);
    assert_int_equal(cpu->spr[SPR_DSISR], DSISR_MC_LOAD);
    assert_int_equal(f->p.stats.not_ram, 1);
}

static void test_fault_when_tables_outside_ram_read_as_zero(void **state)
{
    Fx *f = *state;
    CPUState *cpu = &f->cpu[0];
    const uint32_t prog[] = { STD(5, 0, 4), B(0) };
    RadixRoot outside = { RAM_SIZE + 0x10000, RADIX_RTS_52, RADIX_ROOT_NLS };
    put(f, CODE, prog, 2);
    /* A process table outside RAM: its zero entry is BADCONFIG. */
    use_radix(f, RAM_SIZE + 0x100000, 0);
    start(cpu, CODE, MSR_RM | MSR_DR);
    cpu->gpr[4] = 0x1000;
    run_to_interrupt(f, cpu);
    assert_int_equal(cpu->nip, EXCP_DSI);
    assert_int_equal(cpu->spr[SPR_DAR], 0x1000);
    assert_int_equal(cpu->spr[SPR_DSISR], DSISR_BADCONFIG | DSISR_ISSTORE);
    /* A root directory outside RAM: a zero PDE is not present. */
    use_radix(f, PRTB, radix_root_to_dw0(&outside));
    start(cpu, CODE, MSR_RM | MSR_DR);
    run_to_interrupt(f, cpu);
    assert_int_equal(cpu->nip, EXCP_DSI);
    assert_int_equal(cpu->spr[SPR_DSISR], DSISR_NOPTE | DSISR_ISSTORE);
    /* ... and on the instruction side, an ISI. */
    start(cpu, 0x2000, MSR_RM | MSR_IR | MSR_DR);
    run_to_interrupt(f, cpu);
    assert_int_equal(cpu->nip, EXCP_ISI);
    assert_int_equal(cpu->spr[SPR_SRR0], 0x2000);
    assert_int_equal(cpu->spr[SPR_SRR1] & CAUSE_MASK, DSISR_NOPTE);
}

/* ---- unmap and move ------------------------------------------------------------------------------ */

static void test_unmap_when_page_touched_again_faults_with_contents_kept(void **state)
{
    Fx *f = *state;
    CPUState *cpu = &f->cpu[0];
    const uint32_t prog[] = { LD(5, 0, 4), LD(7, 0x1000, 4), B(-8) };
    put(f, CODE, prog, 3);
    put64(f, DATA, 0xAAAA);
    put64(f, DATA + 0x1000, 0xBBBB);
    start(cpu, CODE, MSR_RM);
    cpu->gpr[4] = DATA;
    run(f, cpu, 100);
    assert_int_equal(hv_partition_unmap_page(&f->p, DATA), 0);
    assert_int_equal(f->p.stats.unmaps, 1);
    cpu->gpr[5] = 0;
    assert_int_equal(cpu_run(cpu, 100), CPU_EXIT_HDSI); /* the TLB forgot it */
    assert_int_equal(cpu->spr[SPR_ASDR], DATA);
    assert_int_equal(hv_partition_fault(&f->p, cpu), HV_FAULT_RESUME);
    assert_int_equal(run(f, cpu, 100), 0); /* the neighbour stayed mapped (the 1 GiB page was split) */
    assert_int_equal(cpu->gpr[5], 0xAAAA);
    assert_int_equal(cpu->gpr[7], 0xBBBB);
    assert_int_equal(f->p.stats.mapped[0], 1);
    assert_int_equal(hv_partition_unmap_page(&f->p, DATA + 1), -EINVAL);
    assert_int_equal(hv_partition_unmap_page(&f->p, RAM_SIZE), -EINVAL);
}

/*
 * Both vCPUs read the page in a loop and publish what they read; L0 moves
 * it, the old host page is filled with poison and the new one changed: the
 * next loads must see the new value on both, never the poison.
 */
static void check_move_under_reader(Fx *f, uint64_t msr, ea_t data_ea, ea_t result_ea)
{
    const uint32_t loop[] = { LD(5, 0, 4), STD(5, 0, 6), ADDI(7, 7, 1), B(-12) };
    NestL0Map before;
    hra_t to;
    put(f, CODE, loop, 4);
    put64(f, DATA, 0x1111);
    put64(f, DATA + 8, 0x2222);
    for (int i = 0; i < 2; i++) {
        start(&f->cpu[i], CODE, msr);
        f->cpu[i].gpr[4] = data_ea;
        f->cpu[i].gpr[6] = result_ea + 8 * (uint64_t)i;
        run(f, &f->cpu[i], 1000);
        assert_int_equal(get64(f, RESULT + 8 * (uint64_t)i), 0x1111);
    }
    assert_int_equal(hv_partition_gra_to_hra(&f->p, DATA, false, &before), NEST_L0_OK);
    assert_int_equal(hv_partition_move_page(&f->p, DATA, &to), 0);
    assert_int_not_equal(to, before.hra);
    assert_int_equal(get64(f, DATA), 0x1111); /* contents kept */
    assert_int_equal(get64(f, DATA + 8), 0x2222);
    uint64_t poison = POISON;
    memcpy(hrm_ptr(&f->m, before.hra), &poison, 8);
    put64(f, DATA, 0x3333);
    for (int i = 0; i < 2; i++) {
        uint64_t n = f->cpu[i].gpr[7];
        run(f, &f->cpu[i], 1000);
        assert_true(f->cpu[i].gpr[7] > n);
        assert_int_equal(get64(f, RESULT + 8 * (uint64_t)i), 0x3333);
    }
    assert_int_equal(f->p.stats.moves, 1);
}

static void test_move_when_guest_reads_in_real_mode_sees_new_page(void **state)
{
    check_move_under_reader(*state, MSR_RM, DATA, RESULT);
}

static void set_entry(Fx *f, gra_t table, uint64_t index, uint64_t val)
{
    uint64_t be = __builtin_bswap64(val);
    memcpy(hv_partition_boot_ram(&f->p) + table + 8 * index, &be, 8);
}

static void test_move_when_guest_reads_through_radix_sees_new_page(void **state)
{
    Fx *f = *state;
    /* PID 0's tree (guest real, first gigabyte) maps EA 0x40000000 to DATA's page, the next to RESULT's. */
    const gra_t root = 0x400000, l1 = root + 0x10000, l2 = l1 + 0x1000, l3 = l2 + 0x1000;
    const ea_t ea = 0x40000000ULL;
    RadixRoot t = { root, RADIX_RTS_52, RADIX_ROOT_NLS };
    set_entry(f, root, (ea >> 39) & 0x1FFF, RADIX_PDE_V | l1 | RADIX_MID_NLS);
    set_entry(f, l1, (ea >> 30) & 0x1FF, RADIX_PDE_V | l2 | RADIX_MID_NLS);
    set_entry(f, l2, (ea >> 21) & 0x1FF, RADIX_PDE_V | l3 | RADIX_LAST_NLS_4K);
    for (uint64_t i = 0; i < 2; i++) /* the data page, then the result page */
        set_entry(f, l3, ((ea >> 12) & 0x1FF) + i,
                  RADIX_PTE_V | RADIX_PTE_L | (i ? RESULT : DATA) | RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ |
                      RADIX_PTE_EAA_RW);
    use_radix(f, 0x300000, radix_root_to_dw0(&t));
    check_move_under_reader(f, MSR_RM | MSR_DR, ea, ea + 0x1000);
}

static void test_move_when_code_page_moves_runs_the_new_copy(void **state)
{
    Fx *f = *state;
    CPUState *cpu = &f->cpu[1];
    const uint32_t one[] = { LI(8, 1), ADDI(9, 9, 1), B(-8) };
    const uint32_t two[] = { LI(8, 2) }, three[] = { LI(8, 3) };
    NestL0Map before;
    hra_t to;
    put(f, CODE2, one, 3);
    start(cpu, CODE2, MSR_RM);
    run(f, cpu, 1000);
    assert_int_equal(cpu->gpr[8], 1);
    assert_int_equal(hv_partition_gra_to_hra(&f->p, CODE2, false, &before), NEST_L0_OK);
    assert_int_equal(hv_partition_move_page(&f->p, CODE2, &to), 0);
    memcpy(hrm_ptr(&f->m, before.hra), three, 4); /* the old host page: must never run again */
    assert_int_equal(hv_partition_write(&f->p, CODE2, two, 4), 0);
    run(f, cpu, 1000);
    assert_int_equal(cpu->gpr[8], 2);
    assert_int_equal(hv_partition_gra_to_hra(&f->p, CODE2, false, &before), NEST_L0_OK);
    assert_int_equal(before.hra, to);
    assert_int_equal(before.page_shift, 12);
}

/* A pool page freed by a move and reused for another code page runs that page's code, not what it decoded before. */
static void test_move_when_pool_page_reused_runs_its_new_code(void **state)
{
    Fx *f = *state;
    CPUState *cpu = &f->cpu[0];
    const uint32_t one[] = { LI(8, 1), ADDI(9, 9, 1), B(-8) }, five[] = { LI(8, 5), ADDI(9, 9, 1), B(-8) };
    hra_t a, b, c;
    NestL0Map map;
    put(f, CODE2, one, 3);
    put(f, CODE2 + 0x1000, five, 3);
    /* Gigabyte 0 mapped first: the moves split it once, and no table is freed or allocated after. */
    assert_int_equal(hv_partition_gra_to_hra(&f->p, CODE, false, &map), NEST_L0_OK);
    assert_int_equal(hv_partition_move_page(&f->p, CODE2, &a), 0);
    start(cpu, CODE2, MSR_RM);
    run(f, cpu, 100); /* decoded from pool page a */
    assert_int_equal(cpu->gpr[8], 1);
    assert_int_equal(hv_partition_move_page(&f->p, CODE2, &b), 0);
    assert_int_equal(hv_partition_move_page(&f->p, CODE2 + 0x1000, &c), 0);
    assert_int_equal(c, a); /* the pool handed a out again */
    start(cpu, CODE2 + 0x1000, MSR_RM);
    run(f, cpu, 100);
    assert_int_equal(cpu->gpr[8], 5);
    start(cpu, CODE2, MSR_RM);
    run(f, cpu, 100);
    assert_int_equal(cpu->gpr[8], 1);
}

static void test_move_when_moved_twice_and_unmapped_keeps_contents(void **state)
{
    Fx *f = *state;
    uint8_t page[4096], back[4096];
    hra_t a, b;
    for (unsigned i = 0; i < sizeof(page); i++)
        page[i] = (uint8_t)(i * 7);
    assert_int_equal(hv_partition_write(&f->p, DATA, page, sizeof(page)), 0);
    assert_int_equal(hv_partition_move_page(&f->p, DATA, &a), 0);
    assert_int_equal(hv_partition_move_page(&f->p, DATA, &b), 0);
    assert_int_equal(hv_partition_unmap_page(&f->p, DATA), 0);
    assert_int_equal(hv_partition_read(&f->p, DATA, back, sizeof(back)), 0);
    assert_memory_equal(page, back, sizeof(page));
    assert_true(a != b && b >= HRM_POOL && b < f->m.pool_end);
    /* A move of a page never touched is fine too. */
    assert_int_equal(hv_partition_move_page(&f->p, 2 * GIB + 0x5000, NULL), 0);
    assert_int_equal(get64(f, 2 * GIB + 0x5000), 0);
}

/* L0's changes reach the nested core: every unmap and move of a mapped page invalidates its L1 range. */
static void test_unmap_and_move_when_nested_core_attached_invalidate_it(void **state)
{
    Fx *f = *state;
    static const NestOps no_ops; /* no guests: only the invalidation sequence moves */
    NestL1 l1;
    nest_l1_init(&l1, &no_ops, f);
    f->p.nest = &l1;
    put64(f, DATA, 1);
    assert_int_equal(hv_partition_unmap_page(&f->p, DATA), 0);
    assert_int_equal(l1.invalidate_seq, 1);
    assert_int_equal(hv_partition_move_page(&f->p, DATA + 0x1000, NULL), 0);
    assert_int_equal(l1.invalidate_seq, 2);
    f->p.nest = NULL;
}

/* ---- L0's accesses, the pool ---------------------------------------------------------------------- */

static void test_guest_access_when_crossing_pages_and_outside_ram(void **state)
{
    Fx *f = *state;
    const char msg[] = "across a moved page boundary";
    char back[sizeof(msg)];
    NestL0Map map;
    assert_int_equal(hv_partition_move_page(&f->p, DATA + 0x1000, NULL), 0);
    assert_int_equal(hv_partition_write(&f->p, DATA + 0x1000 - 8, msg, sizeof(msg)), 0);
    assert_int_equal(hv_partition_read(&f->p, DATA + 0x1000 - 8, back, sizeof(back)), 0);
    assert_string_equal(back, msg);
    assert_int_equal(hv_partition_read(&f->p, RAM_SIZE - 4, back, 8), -EFAULT);
    assert_int_equal(hv_partition_write(&f->p, RAM_SIZE, msg, 1), -EFAULT);
    assert_int_equal(hv_partition_gra_to_hra(&f->p, RAM_SIZE, false, &map), NEST_L0_NOT_RAM);
    assert_int_equal(hv_partition_gra_to_hra(&f->p, 2 * GIB + 0x123, true, &map), NEST_L0_OK);
    assert_int_equal(map.page_shift, 30);
    assert_int_equal(map.hra, f->p.ram_hra + 2 * GIB + 0x123);
    assert_int_equal(map.pte_flags & RADIX_PTE_EAA, RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW | RADIX_PTE_EAA_EXEC);
}

static void test_pool_when_blocks_allocated_are_aligned_zeroed_and_reused(void **state)
{
    Fx *f = *state;
    static const uint64_t sizes[] = { 256, 4096, 65536, 256, 1024 };
    hra_t got[5];
    uint64_t used = f->m.pool_in_use;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(hrm_alloc(&f->m, sizes[i], &got[i]), 0);
        assert_int_equal(got[i] & (sizes[i] - 1), 0);
        assert_true(got[i] >= HRM_POOL && got[i] + sizes[i] <= f->m.pool_end);
        for (uint64_t b = 0; b < sizes[i]; b++)
            assert_int_equal(hrm_ptr(&f->m, got[i])[b], 0);
        memset(hrm_ptr(&f->m, got[i]), 0xFF, sizes[i]);
    }
    hrm_free(&f->m, got[2], 65536);
    hra_t again;
    assert_int_equal(hrm_alloc(&f->m, 65536, &again), 0);
    assert_int_equal(again, got[2]);
    assert_int_equal(hrm_ptr(&f->m, again)[100], 0);
    assert_int_equal(hrm_alloc(&f->m, 3000, &again), -EINVAL);
    assert_int_equal(hrm_alloc(&f->m, 1ULL << 20, &again), -EINVAL);
    for (int i = 0; i < 5; i++)
        hrm_free(&f->m, i == 2 ? again : got[i], sizes[i]);
    assert_int_equal(f->m.pool_in_use, used);
}

/* ---- host memory cost ------------------------------------------------------------------------------- */

static uint64_t rss_bytes(void)
{
    unsigned long size = 0, resident = 0;
    FILE *fp = fopen("/proc/self/statm", "r");
    assert_non_null(fp);
    assert_int_equal(fscanf(fp, "%lu %lu", &size, &resident), 2);
    fclose(fp);
    return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

/*
 * A 64 GiB machine as the CLI builds it: a guest stores to 64 places spread
 * over all of it; the host pays for those pages, the tables and L0's
 * bookkeeping -- a few MiB, not gigabytes.
 */
static void test_memory_when_64g_partition_touches_64_pages(void **state)
{
    enum { NSPOTS = 64 };
    const uint64_t ram = 64 * GIB, table = 0x40000;
    const uint32_t prog[] = { LD(4, 0, 3), STD(4, 0, 4), ADDI(3, 3, 8), B(-12) };
    HvConfig cfg;
    char err[160];
    uint64_t before = rss_bytes();
    Hv *hv = calloc(1, sizeof(*hv));
    memset(&cfg, 0, sizeof(cfg));
    mach_config_init(&cfg.mach);
    cfg.mach.ram_size = ram;
    cfg.clock = CPU_CLOCK_ICOUNT;
    cfg.rtc_base = 0;
    cfg.max_insns = 6 * NSPOTS; /* a store that faults runs twice */
    assert_int_equal(hv_init(hv, &cfg, err, sizeof(err)), 0);
    assert_true(hv->hrm.size > ram);
    memcpy(hv->ram + CODE, prog, sizeof(prog));
    for (uint64_t i = 0; i < NSPOTS; i++) {
        uint64_t spot = i * (ram / NSPOTS) + 0x5000 + 8 * i;
        memcpy(hv->ram + table + 8 * i, &spot, 8);
    }
    start(&hv->cpu, CODE, MSR_RM);
    hv->cpu.gpr[3] = table;
    assert_int_equal(hv_run(hv), HV_LIMIT_REACHED);
    uint64_t last = (NSPOTS - 1) * (ram / NSPOTS) + 0x5000 + 8 * (NSPOTS - 1), v;
    assert_int_equal(hv_read_guest(hv, last, &v, 8), 0);
    assert_int_equal(v, last);
    assert_int_equal(hv->part.stats.mapped[2], NSPOTS); /* one 1 GiB page per spot */
    uint64_t cost = rss_bytes() - before;
    print_message("64 GiB partition, %d pages touched: %llu KiB of host memory\n", NSPOTS,
                  (unsigned long long)(cost >> 10));
    assert_true(cost < (16ULL << 20));
    hv_destroy(hv);
    free(hv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fault_when_first_fetch_is_hisi_then_1g_page_maps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_when_load_and_store_miss_is_hdsi_with_hdar_asdr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_when_table_entry_unmapped_is_prtable_fault, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_when_pte_lacks_rights_is_protfault_atomic_rc_noexec, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fault_when_outside_ram_is_machine_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_when_tables_outside_ram_read_as_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_when_page_touched_again_faults_with_contents_kept, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_move_when_guest_reads_in_real_mode_sees_new_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_when_guest_reads_through_radix_sees_new_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_when_code_page_moves_runs_the_new_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_when_pool_page_reused_runs_its_new_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_when_moved_twice_and_unmapped_keeps_contents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_and_move_when_nested_core_attached_invalidate_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_guest_access_when_crossing_pages_and_outside_ram, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_when_blocks_allocated_are_aligned_zeroed_and_reused, setup,
                                        teardown),
        cmocka_unit_test(test_memory_when_64g_partition_touches_64_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
