/*
 * test_smp.c - the multi-vCPU scheduler and machine clock (hv/smp.c):
 * the same program on the same machine runs identically twice (same
 * interleaving, registers, memory, counts, timebase), vCPUs share the
 * runnable time fairly, the timebase never goes backwards from one vCPU
 * to another, an idle vCPU wakes exactly when its decrementer fires, and
 * the machine stops when every vCPU has stopped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hv/hv.h"

#define RAM_SIZE (256ULL << 20)
#define CODE     0x10000ULL
#define WAITER   0x11000ULL
#define DATA     0x20000ULL   /* counter */
#define LAST_TB  0x20100ULL   /* latest timebase any vCPU read */
#define BACKWARD 0x20200ULL   /* set if a vCPU read a timebase below it */
#define RUN_INSNS 2000000ULL

/* Instruction words (Power ISA v3.0B). */
#define LI(rt, v)         (0x38000000u | (rt) << 21 | ((v) & 0xFFFF))
#define ADDI(rt, ra, v)   (0x38000000u | (rt) << 21 | (ra) << 16 | ((v) & 0xFFFF))
#define LWZ(rt, d, ra)    (0x80000000u | (rt) << 21 | (ra) << 16 | ((d) & 0xFFFF))
#define STW(rs, d, ra)    (0x90000000u | (rs) << 21 | (ra) << 16 | ((d) & 0xFFFF))
#define LD(rt, d, ra)     (0xE8000000u | (rt) << 21 | (ra) << 16 | ((d) & 0xFFFC))
#define STD(rs, d, ra)    (0xF8000000u | (rs) << 21 | (ra) << 16 | ((d) & 0xFFFC))
#define MFTB(rt)          (0x7C0C42A6u | (rt) << 21)
#define MTDEC(rs)         (0x7C1603A6u | (rs) << 21)
#define CMPLD(ra, rb)     (0x7C200040u | (ra) << 16 | (rb) << 11)
#define BGE(off)          (0x40800000u | ((off) & 0xFFFC))
#define B(off)            (0x48000000u | ((off) & 0x3FFFFFC))
#define WAIT              0x7C00003Cu

static void put(Hv *hv, uint64_t addr, const uint32_t *w, size_t n)
{
    memcpy(hv->ram + addr, w, n * 4); /* host little-endian, guests run MSR[LE] = 1 */
}

/*
 * Every vCPU: counter++ without atomics; then read the latest published
 * timebase, read its own (in that order: what it read was published
 * earlier), flag it if its own is lower, publish its own.
 */
static const uint32_t loop_prog[] = {
    LWZ(4, 0, 3), ADDI(4, 4, 1), STW(4, 0, 3),
    LD(6, 0, 7), MFTB(5), CMPLD(5, 6), BGE(12),
    LI(9, 1), STW(9, 0, 8),
    STD(5, 0, 7), B(-40),
};

/* Sleep with wait until DEC (r12 ticks) fires; r10/r11 = timebase before/after; spin. */
static const uint32_t waiter_prog[] = {
    MTDEC(12), MFTB(10), WAIT, MFTB(11), B(0),
};

static Hv *machine(int ncpus, uint64_t max_insns)
{
    Hv *hv = calloc(1, sizeof(*hv));
    HvConfig cfg;
    char err[256];
    memset(&cfg, 0, sizeof(cfg));
    mach_config_init(&cfg.mach);
    cfg.mach.ram_size = RAM_SIZE;
    cfg.mach.smp_cpus = ncpus;
    cfg.clock = CPU_CLOCK_ICOUNT;
    cfg.rtc_base = 0;
    cfg.max_insns = max_insns;
    assert_int_equal(hv_init(hv, &cfg, err, sizeof(err)), 0);
    put(hv, CODE, loop_prog, sizeof(loop_prog) / 4);
    put(hv, WAITER, waiter_prog, sizeof(waiter_prog) / 4);
    return hv;
}

static void set_le(CPUState *cpu)
{
    cpu->msr = MSR_SF | MSR_ME | MSR_LE;
    cpu_mode_changed(cpu);
}

static void start(Hv *hv, int i, uint64_t entry)
{
    CPUState *cpu = hv->vcpus[i].cpu;
    if (i == 0)
        cpu->nip = entry;
    else
        hv_vcpu_start(hv, &hv->vcpus[i], &hv->cpu, entry, 0);
    set_le(cpu);
    cpu->gpr[3] = DATA;
    cpu->gpr[7] = LAST_TB;
    cpu->gpr[8] = BACKWARD;
}

static void destroy(Hv *hv)
{
    hv_destroy(hv);
    free(hv);
}

static Hv *run_counting(int ncpus)
{
    Hv *hv = machine(ncpus, RUN_INSNS);
    for (int i = 0; i < ncpus; i++)
        start(hv, i, CODE);
    assert_int_equal(hv_run(hv), HV_LIMIT_REACHED);
    return hv;
}

static void test_smp_same_program_runs_identically(void **state)
{
    Hv *a = run_counting(4), *b = run_counting(4);
    assert_int_equal(a->insns, RUN_INSNS);
    assert_int_equal(b->insns, RUN_INSNS);
    assert_memory_equal(a->ram + DATA, b->ram + DATA, 0x300);
    for (int i = 0; i < 4; i++) {
        CPUState *x = a->vcpus[i].cpu, *y = b->vcpus[i].cpu;
        assert_memory_equal(x->gpr, y->gpr, sizeof(x->gpr));
        assert_int_equal(x->nip, y->nip);
        assert_int_equal(x->icount, y->icount);
        assert_int_equal(cpu_get_tb(x), cpu_get_tb(y));
    }
    destroy(a);
    destroy(b);
}

static void test_smp_runnable_vcpus_share_time_and_one_timebase(void **state)
{
    Hv *hv = run_counting(4);
    uint32_t counter;
    memcpy(&counter, hv->ram + DATA, 4);
    for (int i = 0; i < 4; i++) {
        uint64_t n = hv->vcpus[i].cpu->icount;
        assert_true(n > RUN_INSNS / 4 - RUN_INSNS / 20 && n < RUN_INSNS / 4 + RUN_INSNS / 20);
    }
    assert_int_equal(hv->ram[BACKWARD], 0);   /* no vCPU saw the timebase go back */
    assert_true(counter > 0);
    /* the machine clock is the sum of what everyone executed */
    assert_int_equal(hv->vclock, RUN_INSNS);
    destroy(hv);
}

static void test_smp_idle_vcpu_wakes_exactly_at_its_decrementer(void **state)
{
    Hv *hv = machine(2, RUN_INSNS);
    start(hv, 0, CODE);
    start(hv, 1, WAITER);
    hv->vcpus[1].cpu->gpr[12] = 100000; /* ticks */
    assert_int_equal(hv_run(hv), HV_LIMIT_REACHED);
    CPUState *w = hv->vcpus[1].cpu;
    uint64_t slept = w->gpr[11] - w->gpr[10];
    assert_true(slept > 100000 && slept < 100000 + 16); /* DEC fires at -1; one mftb later */
    /* while it slept the other vCPU had the machine to itself */
    assert_true(hv->cpu.icount > cpu_tb_to_ns(100000));
    destroy(hv);
}

static void test_smp_all_idle_jumps_to_the_earliest_deadline(void **state)
{
    Hv *hv = machine(2, 10000000);
    start(hv, 0, WAITER);
    start(hv, 1, WAITER);
    hv->cpu.gpr[12] = 5000000;
    hv->vcpus[1].cpu->gpr[12] = 9000000;
    assert_int_equal(hv_run(hv), HV_LIMIT_REACHED);
    for (int i = 0; i < 2; i++) {
        CPUState *cpu = hv->vcpus[i].cpu;
        uint64_t want = cpu->gpr[12];
        assert_true(cpu->gpr[11] - cpu->gpr[10] > want && cpu->gpr[11] - cpu->gpr[10] < want + 16);
    }
    destroy(hv);
}

static void test_smp_machine_stops_when_every_vcpu_stopped(void **state)
{
    Hv *hv = machine(2, 0);
    start(hv, 0, CODE);
    hv_vcpu_stop(hv, &hv->vcpus[0]);
    assert_int_equal(hv_run(hv), HV_GUEST_HALTED);
    assert_non_null(strstr(hv->cpu.halt_msg, "all vCPUs stopped"));
    destroy(hv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smp_same_program_runs_identically),
        cmocka_unit_test(test_smp_runnable_vcpus_share_time_and_one_timebase),
        cmocka_unit_test(test_smp_idle_vcpu_wakes_exactly_at_its_decrementer),
        cmocka_unit_test(test_smp_all_idle_jumps_to_the_earliest_deadline),
        cmocka_unit_test(test_smp_machine_stops_when_every_vcpu_stopped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
