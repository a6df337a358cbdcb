/*
 * test_loadstore.c - load/store, atomic and storage-control handlers
 * (cpu/exec/{loadstore,string,atomic,storage_ctrl}.c) on hand-assembled
 * words in a small RAM, for what the firmware tests cannot show on QEMU 7.2
 * (stqcx. success, the lwat cases QEMU gets wrong, the reservation length)
 * or cannot show at all (icbi after the host changed code behind the
 * decoded-instruction cache, the idle exit of wait), plus the interrupt
 * details the handlers produce (alignment DSISR, invalid forms, machine
 * check causes).
 *
 * Each test ends its code with sc 1 (a CPU_EXIT_HCALL), and puts sc 1 at the
 * interrupt vectors it expects, so cpu_run() returns right after.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/cpu.h"
#include "cpu/icache.h"

#define RAM_SIZE (1u << 20)
#define PVR_P9   0x004e1200u
#define CODE     0x1000u
#define DATA     0x8000u

/* Instruction words (Power ISA v3.0B encodings). */
#define X31(xo, rt, ra, rb) (0x7C000000u | (rt) << 21 | (ra) << 16 | (rb) << 11 | (xo) << 1)
#define LI(rt, v)           (0x38000000u | (rt) << 21 | ((v) & 0xFFFF))
#define SC1                 0x44000022u
#define BLR                 0x4E800020u
#define BL(off)             (0x48000001u | ((off) & 0x3FFFFFC))
#define LWARX(rt, rb)       X31(20, rt, 0, rb)
#define LQARX(rt, rb)       X31(276, rt, 0, rb)
#define STWCX(rs, rb)       (X31(150, rs, 0, rb) | 1)
#define STDCX(rs, rb)       (X31(214, rs, 0, rb) | 1)
#define STQCX(rs, rb)       (X31(182, rs, 0, rb) | 1)
#define LWAT(rt, ra, fc)    X31(582, rt, ra, fc)
#define LDAT(rt, ra, fc)    X31(614, rt, ra, fc)
#define STWAT(rs, ra, fc)   X31(710, rs, ra, fc)
#define ICBI(rb)            X31(982, 0, 0, rb)
#define DCBZ(rb)            X31(1014, 0, 0, rb)
#define LSWI(rt, ra, nb)    X31(597, rt, ra, nb)
#define LBZU(rt, ra, d)     (0x8C000000u | (rt) << 21 | (ra) << 16 | ((d) & 0xFFFF))
#define STB(rs, ra, d)      (0x98000000u | (rs) << 21 | (ra) << 16 | ((d) & 0xFFFF))
#define LD(rt, ra, d)       (0xE8000000u | (rt) << 21 | (ra) << 16 | ((d) & 0xFFFC))
#define WAIT                0x7C00003Cu

#define CR0(cpu)            cpu_get_crf(cpu, 0)

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
    f->cpu.spr[SPR_LPCR] |= LPCR_ILE;       /* interrupts little-endian too */
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

/* The host is little-endian, like the guest here. */
static void put(Fixture *f, uint64_t addr, uint32_t word)
{
    memcpy(f->ram + addr, &word, 4);
}

static void put64(Fixture *f, uint64_t addr, uint64_t v)
{
    memcpy(f->ram + addr, &v, 8);
}

static uint64_t get64(Fixture *f, uint64_t addr)
{
    uint64_t v;
    memcpy(&v, f->ram + addr, 8);
    return v;
}

/* Put words at CODE followed by sc 1, run them, expect the hcall exit.  The
 * words are written by the host: drop any decoded copy of the old ones. */
static void run_words(Fixture *f, const uint32_t *w, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        put(f, CODE + 4 * i, w[i]);
    put(f, CODE + 4 * n, SC1);
    icache_invalidate(&f->cpu, CODE);
    f->cpu.nip = CODE;
    assert_int_equal(cpu_run(&f->cpu, 1000), CPU_EXIT_HCALL);
}

#define RUN(f, ...)                                                        \
    do {                                                                   \
        const uint32_t w_[] = { __VA_ARGS__ };                             \
        run_words(f, w_, sizeof(w_) / sizeof(w_[0]));                      \
    } while (0)

/* ---- reservations ---------------------------------------------------------------- */

static void test_stqcx_when_reservation_matches_stores_pair_le_order(void **state)
{
    Fixture *f = *state;
    put64(f, DATA, 0x1111);
    put64(f, DATA + 8, 0x2222);
    f->cpu.gpr[3] = DATA;
    f->cpu.gpr[10] = 0xAAAA;     /* RS: high doubleword -> EA+8 in LE mode */
    f->cpu.gpr[11] = 0xBBBB;
    RUN(f, LQARX(8, 3), STQCX(10, 3));
    assert_int_equal(f->cpu.gpr[8], 0x2222);
    assert_int_equal(f->cpu.gpr[9], 0x1111);
    assert_int_equal(CR0(&f->cpu), CRF_EQ);
    assert_int_equal(get64(f, DATA), 0xBBBB);
    assert_int_equal(get64(f, DATA + 8), 0xAAAA);
    assert_int_equal(f->cpu.resv_addr, RESV_NONE);
}

static void test_stcx_when_length_differs_fails(void **state)
{
    Fixture *f = *state;
    put64(f, DATA, 0);
    f->cpu.gpr[3] = DATA;
    f->cpu.gpr[6] = 0x1122334455667788ULL;
    RUN(f, LWARX(5, 3), STDCX(6, 3));
    assert_int_equal(CR0(&f->cpu), 0);
    assert_int_equal(get64(f, DATA), 0);
}

static void test_stcx_when_value_changed_fails_and_same_value_succeeds(void **state)
{
    Fixture *f = *state;
    put64(f, DATA, 5);
    f->cpu.gpr[3] = DATA;
    f->cpu.gpr[6] = 7;
    f->cpu.gpr[7] = 9;
    /* lwarx; stb r7 (another value); stwcx. -> fails */
    RUN(f, LWARX(5, 3), STB(7, 3, 0), STWCX(6, 3));
    assert_int_equal(CR0(&f->cpu), 0);
    assert_int_equal(f->ram[DATA], 9);
    /* lwarx; stb r5 (the same value); stwcx. -> stores */
    RUN(f, LWARX(5, 3), STB(5, 3, 0), STWCX(6, 3));
    assert_int_equal(CR0(&f->cpu), CRF_EQ);
    assert_int_equal(f->ram[DATA], 7);
}

static void test_reservation_when_interrupt_taken_is_lost(void **state)
{
    Fixture *f = *state;
    put(f, EXCP_PROGRAM, SC1);
    f->cpu.gpr[3] = DATA;
    RUN(f, LWARX(5, 3), LBZU(5, 0, 0));      /* invalid form: program interrupt */
    assert_int_equal(f->cpu.nip, EXCP_PROGRAM + 4);
    assert_int_equal(f->cpu.resv_addr, RESV_NONE);
    assert_int_equal(f->cpu.spr[SPR_SRR0], CODE + 4);
    assert_true(f->cpu.spr[SPR_SRR1] & SRR1_PROG_ILLEGAL);
}

/* ---- atomic memory operations (what QEMU 7.2 gets wrong) ----------------------------- */

static void test_lwat_when_signed_max_compares_signed(void **state)
{
    Fixture *f = *state;
    put64(f, DATA, 0x80000001u);
    f->cpu.gpr[3] = DATA;
    f->cpu.gpr[5] = 5;                       /* RT+1 */
    RUN(f, LWAT(4, 3, 5));
    assert_int_equal(f->cpu.gpr[4], 0x80000001u);
    assert_int_equal(get64(f, DATA), 5);
}

static void test_lat_when_bound_reached_returns_sign_bit(void **state)
{
    Fixture *f = *state;
    put64(f, DATA, 0x0000000700000007ULL);   /* two equal words */
    put64(f, DATA + 8, 9);
    put64(f, DATA + 16, 9);                  /* two equal doublewords */
    f->cpu.gpr[3] = DATA;
    f->cpu.gpr[7] = DATA + 8;
    RUN(f, LWAT(4, 3, 24), LDAT(5, 7, 24));
    assert_int_equal(f->cpu.gpr[4], 0x80000000u);
    assert_int_equal(f->cpu.gpr[5], 0x8000000000000000ULL);
    assert_int_equal(get64(f, DATA + 8), 9);
}

static void test_stwat_when_fc_undefined_raises_dsi_keeping_dar(void **state)
{
    Fixture *f = *state;
    put(f, EXCP_DSI, SC1);
    f->cpu.gpr[3] = DATA;
    f->cpu.spr[SPR_DAR] = 0x1234;
    RUN(f, STWAT(4, 3, 8));
    assert_int_equal(f->cpu.nip, EXCP_DSI + 4);
    assert_int_equal(f->cpu.spr[SPR_SRR0], CODE);
    assert_int_equal(f->cpu.spr[SPR_DAR], 0x1234);
}

/* ---- alignment interrupt as QEMU 7.2 reports it ------------------------------------------ */

static void test_lwarx_when_unaligned_le_or_swapped_bits_into_dsisr(void **state)
{
    Fixture *f = *state;
    uint32_t w = LWARX(6, 3);
    put(f, EXCP_ALIGN, SC1);
    f->cpu.gpr[3] = DATA + 2;
    f->cpu.spr[SPR_DSISR] = 0x00100000;
    RUN(f, w);
    assert_int_equal(f->cpu.nip, EXCP_ALIGN + 4);
    assert_int_equal(f->cpu.spr[SPR_DAR], DATA + 2);
    assert_int_equal(f->cpu.spr[SPR_DSISR],
                     0x00100000 | ((__builtin_bswap32(w) >> 16) & 0x3FF));
}

static void test_lswi_when_little_endian_aligns_keeping_dar(void **state)
{
    Fixture *f = *state;
    uint32_t w = LSWI(5, 3, 8);
    put(f, EXCP_ALIGN, SC1);
    f->cpu.gpr[3] = DATA;
    f->cpu.spr[SPR_DAR] = 0x4321;
    f->cpu.spr[SPR_DSISR] = 0;
    RUN(f, w);
    assert_int_equal(f->cpu.nip, EXCP_ALIGN + 4);
    assert_int_equal(f->cpu.spr[SPR_SRR0], CODE);
    assert_int_equal(f->cpu.spr[SPR_DAR], 0x4321);
    assert_int_equal(f->cpu.spr[SPR_DSISR], (w >> 16) & 0x3FF);
}

/* ---- storage control ------------------------------------------------------------------ */

static void test_dcbz_when_run_zeroes_aligned_block_only(void **state)
{
    Fixture *f = *state;
    memset(f->ram + DATA, 0xAB, 512);
    f->cpu.gpr[3] = DATA + 0x80 + 0x45;
    RUN(f, DCBZ(3));
    for (unsigned i = 0; i < 512; i++)
        assert_int_equal(f->ram[DATA + i], i >= 0x80 && i < 0x100 ? 0 : 0xAB);
}

/*
 * Code at 0x2000 returns 1 and has been decoded; the host then rewrites it
 * behind the cache's back (as a device or the hypervisor could).  Without
 * icbi the old decoded copy runs; icbi of its block drops it.
 */
static void test_icbi_when_code_changed_behind_cache_runs_new_code(void **state)
{
    Fixture *f = *state;
    put(f, 0x2000, LI(3, 1));
    put(f, 0x2004, BLR);
    f->cpu.gpr[4] = 0x2000;
    RUN(f, BL(0x1000));                      /* bl 0x2000 */
    assert_int_equal(f->cpu.gpr[3], 1);
    put(f, 0x2000, LI(3, 2));                /* not a guest store: no invalidation */
    RUN(f, BL(0x1000));
    assert_int_equal(f->cpu.gpr[3], 1);
    RUN(f, ICBI(4), BL(0x1000 - 4));
    assert_int_equal(f->cpu.gpr[3], 2);
}

static void test_wait_when_run_exits_idle_at_next_instruction(void **state)
{
    Fixture *f = *state;
    put(f, CODE, WAIT);
    f->cpu.nip = CODE;
    assert_int_equal(cpu_run(&f->cpu, 100), CPU_EXIT_IDLE);
    assert_int_equal(f->cpu.nip, CODE + 4);
}

/* ---- machine check causes (as QEMU 10.0 on POWER9) --------------------------------------- */

static void test_store_beyond_ram_machine_check_store_causes(void **state)
{
    Fixture *f = *state;
    put(f, EXCP_MCHECK, SC1);
    f->cpu.gpr[3] = RAM_SIZE;
    f->cpu.spr[SPR_DSISR] = 0x77;
    RUN(f, STB(5, 3, 3));
    assert_int_equal(f->cpu.nip, EXCP_MCHECK + 4);
    assert_int_equal(f->cpu.spr[SPR_SRR0], CODE);
    assert_int_equal(f->cpu.spr[SPR_DAR], RAM_SIZE + 3);
    assert_int_equal(f->cpu.spr[SPR_DSISR], 0x77);
    assert_int_equal(f->cpu.spr[SPR_SRR1] & ~SRR1_MSR_KEEP, SRR1_MC_LOADSTORE | SRR1_MC_STORE);
    assert_int_equal(f->cpu.msr & MSR_ME, 0);
}

static void test_load_beyond_ram_machine_check_load_causes(void **state)
{
    Fixture *f = *state;
    put(f, EXCP_MCHECK, SC1);
    f->cpu.gpr[3] = RAM_SIZE - 4;
    RUN(f, LD(5, 3, 0));                     /* crosses the end of RAM */
    assert_int_equal(f->cpu.spr[SPR_DAR], RAM_SIZE);
    assert_int_equal(f->cpu.spr[SPR_DSISR], DSISR_MC_LOAD);
    assert_int_equal(f->cpu.spr[SPR_SRR1] & ~SRR1_MSR_KEEP, SRR1_MC_LOADSTORE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stqcx_when_reservation_matches_stores_pair_le_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stcx_when_length_differs_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stcx_when_value_changed_fails_and_same_value_succeeds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reservation_when_interrupt_taken_is_lost, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lwat_when_signed_max_compares_signed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lat_when_bound_reached_returns_sign_bit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stwat_when_fc_undefined_raises_dsi_keeping_dar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lwarx_when_unaligned_le_or_swapped_bits_into_dsisr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lswi_when_little_endian_aligns_keeping_dar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dcbz_when_run_zeroes_aligned_block_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_icbi_when_code_changed_behind_cache_runs_new_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_when_run_exits_idle_at_next_instruction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_beyond_ram_machine_check_store_causes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_beyond_ram_machine_check_load_causes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
