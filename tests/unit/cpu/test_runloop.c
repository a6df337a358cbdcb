/*
 * test_runloop.c - the run loop, decoded-instruction cache, decrementer
 * deadlines and hypervisor exits of cpu/cpu.c, driven with hand-assembled
 * instruction words in a small RAM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/cpu.h"

#define RAM_SIZE (1u << 20)
#define PVR_P9 0x004e1200u

/* Instruction words (Power ISA v3.0B encodings). */
#define LI(rt, v)        (0x38000000u | (rt) << 21 | ((v) & 0xFFFF))           /* addi rt,0,v */
#define ADDI(rt, ra, v)  (0x38000000u | (rt) << 21 | (ra) << 16 | ((v) & 0xFFFF))
#define LIS(rt, v)       (0x3C000000u | (rt) << 21 | ((v) & 0xFFFF))
#define ORI(ra, rs, v)   (0x60000000u | (rs) << 21 | (ra) << 16 | ((v) & 0xFFFF))
#define STW(rs, d)       (0x90000000u | (rs) << 21 | ((d) & 0xFFFF))           /* stw rs,d(0) */
#define B(off)           (0x48000000u | ((off) & 0x3FFFFFC))
#define BL(off)          (0x48000001u | ((off) & 0x3FFFFFC))
#define BLR              0x4E800020u
#define SC1              0x44000022u
#define NOP              0x60000000u

typedef struct Fixture {
    uint8_t *ram;
    CPUState cpu;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof(*f));
    f->ram = calloc(1, RAM_SIZE);
    assert_int_equal(cpu_init(&f->cpu, f->ram, RAM_SIZE, PVR_P9), 0);
    f->cpu.msr = MSR_SF | MSR_ME | MSR_LE;
    f->cpu.spr[SPR_LPCR] |= LPCR_ILE; /* interrupts little-endian too */
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

static void put(Fixture *f, uint64_t addr, uint32_t word)
{
    memcpy(f->ram + addr, &word, 4); /* host is little-endian, like the guest here */
}

static void test_runloop_when_budget_given_executes_exactly_that_many(void **state)
{
    Fixture *f = *state;
    for (int i = 0; i < 64; i++)
        put(f, 0x1000 + 4 * i, ADDI(3, 3, 1));
    put(f, 0x1000 + 4 * 64, B(0));
    f->cpu.nip = 0x1000;
    assert_int_equal(cpu_run(&f->cpu, 40), CPU_EXIT_BUDGET);
    assert_int_equal(f->cpu.gpr[3], 40);
    assert_int_equal(f->cpu.icount, 40);
    assert_int_equal(f->cpu.nip, 0x1000 + 4 * 40);
}

static void test_runloop_when_sc1_exits_with_hcall_and_next_nip(void **state)
{
    Fixture *f = *state;
    put(f, 0x1000, LI(3, 0x58));
    put(f, 0x1004, SC1);
    f->cpu.nip = 0x1000;
    assert_int_equal(cpu_run(&f->cpu, 100), CPU_EXIT_HCALL);
    assert_int_equal(f->cpu.exit_vector, EXCP_SYSCALL);
    assert_int_equal(f->cpu.nip, 0x1008);
    assert_int_equal(f->cpu.spr[SPR_HSRR0], 0x1008);
    assert_int_equal(f->cpu.gpr[3], 0x58);
}

static void test_runloop_when_word_is_illegal_exits_heai_with_heir(void **state)
{
    Fixture *f = *state;
    put(f, 0x1000, NOP);
    put(f, 0x1004, 0x00000000u); /* primary opcode 0: illegal */
    f->cpu.nip = 0x1000;
    assert_int_equal(cpu_run(&f->cpu, 100), CPU_EXIT_HEAI);
    assert_int_equal(f->cpu.spr[SPR_HSRR0], 0x1004);
    assert_int_equal(f->cpu.spr[SPR_HEIR], 0);
    put(f, 0x3000, 0x07000000u); /* opcode 1: illegal on POWER9 (prefixes are POWER10) */
    f->cpu.nip = 0x3000;
    assert_int_equal(cpu_run(&f->cpu, 100), CPU_EXIT_HEAI);
    assert_int_equal(f->cpu.spr[SPR_HSRR0], 0x3000);
    assert_int_equal(f->cpu.spr[SPR_HEIR], 0x07000000u);
}

/*
 * Code at 0x2000 returns 1; the guest then overwrites its first word with
 * "li r3,2" through an ordinary store and calls it again: the decoded copy
 * must not be used.
 */
static void test_runloop_when_code_is_stored_to_runs_new_code(void **state)
{
    Fixture *f = *state;
    put(f, 0x2000, LI(3, 1));
    put(f, 0x2004, BLR);
    put(f, 0x1000, BL(0x1000));           /* bl 0x2000 */
    put(f, 0x1004, ORI(5, 3, 0));         /* r5 = r3 */
    put(f, 0x1008, LIS(4, LI(3, 2) >> 16));
    put(f, 0x100C, ORI(4, 4, LI(3, 2) & 0xFFFF));
    put(f, 0x1010, STW(4, 0x2000));
    put(f, 0x1014, BL(0x2000 - 0x1014));  /* bl 0x2000 */
    put(f, 0x1018, SC1);
    f->cpu.nip = 0x1000;
    assert_int_equal(cpu_run(&f->cpu, 100), CPU_EXIT_HCALL);
    assert_int_equal(f->cpu.gpr[5], 1);
    assert_int_equal(f->cpu.gpr[3], 2);
}

/*
 * DEC = 1000 goes negative (-1) after 1001 ticks of the 512 MHz timebase,
 * 1955.08 ns; at 1 ns per instruction that is after the 1956th instruction,
 * and the interrupt is taken with SRR0 = the next instruction to execute.
 */
static void test_runloop_when_dec_expires_interrupt_is_exact(void **state)
{
    Fixture *f = *state;
    for (int i = 0; i < 4096; i++)
        put(f, 0x10000 + 4 * i, ADDI(3, 3, 1));
    put(f, EXCP_DECR, SC1);
    f->cpu.nip = 0x10000;
    cpu_set_dec(&f->cpu, 1000);
    f->cpu.msr |= MSR_EE;
    assert_int_equal(cpu_run(&f->cpu, 10000), CPU_EXIT_HCALL);
    assert_int_equal(f->cpu.gpr[3], 1956);
    assert_int_equal(f->cpu.spr[SPR_SRR0], 0x10000 + 4 * 1956);
    assert_true((int64_t)cpu_get_dec(&f->cpu) < 0);
    assert_int_equal(f->cpu.msr & MSR_EE, 0);
}

static void test_runloop_when_dec_written_reads_back_56_bits(void **state)
{
    Fixture *f = *state;
    cpu_set_dec(&f->cpu, 0x00FFFFFFFFFFFFFFULL); /* bit 55 set: negative in 56 bits */
    assert_int_equal(cpu_get_dec(&f->cpu), 0xFFFFFFFFFFFFFFFFULL);
    cpu_set_dec(&f->cpu, 0x007FFFFFFFFFFFFFULL);
    assert_int_equal(cpu_get_dec(&f->cpu), 0x007FFFFFFFFFFFFFULL);
    f->cpu.spr[SPR_LPCR] &= ~LPCR_LD; /* 32-bit decrementer */
    cpu_set_dec(&f->cpu, 0x180000000ULL);
    assert_int_equal(cpu_get_dec(&f->cpu), 0xFFFFFFFF80000000ULL);
}

static void test_runloop_when_fetch_beyond_ram_machine_checks(void **state)
{
    Fixture *f = *state;
    put(f, EXCP_MCHECK, SC1);
    f->cpu.nip = RAM_SIZE + 0x100;
    assert_int_equal(cpu_run(&f->cpu, 10), CPU_EXIT_HCALL);
    assert_int_equal(f->cpu.spr[SPR_SRR0], RAM_SIZE + 0x100);
    assert_int_equal(f->cpu.nip, EXCP_MCHECK + 4);
}

static void test_runloop_when_me_clear_machine_check_stops(void **state)
{
    Fixture *f = *state;
    f->cpu.msr &= ~MSR_ME;
    cpu_mode_changed(&f->cpu);
    f->cpu.nip = RAM_SIZE + 0x100;
    assert_int_equal(cpu_run(&f->cpu, 10), CPU_EXIT_HALT);
    assert_non_null(strstr(f->cpu.halt_msg, "checkstop"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_runloop_when_budget_given_executes_exactly_that_many, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runloop_when_sc1_exits_with_hcall_and_next_nip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runloop_when_word_is_illegal_exits_heai_with_heir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runloop_when_code_is_stored_to_runs_new_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runloop_when_dec_expires_interrupt_is_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runloop_when_dec_written_reads_back_56_bits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runloop_when_fetch_beyond_ram_machine_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runloop_when_me_clear_machine_check_stops, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
