/*
 * test_fast.c - the specialized handlers of cpu/exec/fast.h and the
 * straight-line stepping of the run loop (cpu/cpu.c run_block()).
 *
 * A fast handler must leave the whole CPUState exactly as the general
 * handler does: every word below is decoded twice, once left as decoded
 * (exec_NAME -> trans_NAME) and once passed through exec_specialize(), and
 * both run from the same pseudo-random register states, in 64-bit and
 * 32-bit mode; the two CPUStates must be byte-identical.  The forms that
 * must not be specialized (Rc = 1, OE = 1, the "or N,N,N" hints, bc with
 * LK/AA or both tests, RA = 0 and invalid update forms) are checked to keep
 * their decoded handler.  Loads and stores also compare the whole RAM, with
 * and without the soft TLB warmed for the address, faults included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/cpu.h"
#include "cpu/exec/fast.h"
#include "cpu/mem.h"

#define RAM_SIZE (1u << 20)
#define PVR_P9 0x004e1200u
#define STATES 64

typedef struct {
    uint32_t word;
    const char *text;   /* GNU assembler spelling */
    bool specialized;   /* exec_specialize() must replace the handler */
} FastRow;

static const FastRow rows[] = {
    { 0x7c832378, "or 3,4,4 (mr 3,4)", true },
    { 0x7c832b78, "or 3,4,5", true },
    { 0x7c632378, "or 3,3,4", true },
    { 0x7c210b78, "or 1,1,1 (priority hint)", false },
    { 0x7c832b79, "or. 3,4,5", false },
    { 0x7c832a78, "xor 3,4,5", true },
    { 0x7c832a79, "xor. 3,4,5", false },
    { 0x7c832838, "and 3,4,5", true },
    { 0x7c832839, "and. 3,4,5", false },
    { 0x7c642a14, "add 3,4,5", true },
    { 0x7c642e14, "addo 3,4,5", false },
    { 0x7c642a15, "add. 3,4,5", false },
    { 0x3860fffe, "li 3,-2", true },
    { 0x3864fffe, "addi 3,4,-2", true },
    { 0x38637fff, "addi 3,3,0x7fff", true },
    { 0x5483402e, "rlwinm 3,4,8,0,23", true },
    { 0x5483c03e, "rotlwi 3,4,24", true },
    { 0x548300c6, "rlwinm 3,4,0,3,3", true },
    { 0x54831fb8, "rlwinm 3,4,3,30,28 (wrapping mask)", true },
    { 0x5483402f, "rlwinm. 3,4,8,0,23", false },
    { 0x78831f20, "rldicl 3,4,3,60", true },
    { 0x78830020, "rldicl 3,4,0,32 (clrldi)", true },
    { 0x788307e4, "rldicr 3,4,0,63", true },
    { 0x78831764, "rldicr 3,4,2,61 (sldi 3,4,2)", true },
    { 0x78831f68, "rldic 3,4,3,61", true },
    { 0x78831f21, "rldicl. 3,4,3,60", false },
    { 0x41820010, "beq 0x10", true },
    { 0x4086fff0, "bne 1,-0x10", true },
    { 0x4200fff8, "bdnz -8", true },
    { 0x42400010, "bdz 0x10", true },
    { 0x41820011, "beql 0x10", false },
    { 0x41820012, "beqa 0x10", false },
    { 0x41000010, "bdnzt 0,0x10 (CR and CTR)", false },
    { 0x42800010, "bc 20,0,0x10 (always)", false },
};

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Registers worth trying: random, small, zero, sign boundaries, 32-bit edges. */
static uint64_t interesting(void)
{
    static const uint64_t edges[] = { 0, 1, 2, 0xFFFFFFFFULL, 0x80000000ULL, 0x7FFFFFFFULL,
                                      0x8000000000000000ULL, ~0ULL, 0x100000000ULL };
    uint64_t r = rng();
    return (r & 3) ? rng() : edges[r % (sizeof(edges) / sizeof(edges[0]))];
}

static void random_state(CPUState *cpu, bool sf)
{
    for (unsigned i = 0; i < 32; i++)
        cpu->gpr[i] = interesting();
    cpu->cr = (uint32_t)rng();
    cpu->ctr = (rng() & 1) ? interesting() : rng() & 3; /* often near the CTR = 0 test */
    cpu->so = rng() & 1;
    cpu->ca = rng() & 1;
    cpu->ov = rng() & 1;
    cpu->msr = (sf ? MSR_SF : 0) | MSR_ME | MSR_LE | ((rng() & 1) ? MSR_PR : 0);
    cpu->cia = sf ? (rng() & ~3ULL) : (rng() & 0xFFFFFFFCULL);
    cpu->nip = (cpu->cia + 4) & (sf ? ~0ULL : 0xFFFFFFFFULL);
    cpu->spr[SPR_PPR] = rng();
    cpu->spr[SPR_CFAR] = rng();
}

static void test_fast_when_specialized_matches_general_handler(void **state)
{
    (void)state;
    CPUState *general = calloc(1, sizeof(*general));
    CPUState *fast = calloc(1, sizeof(*fast));
    assert_non_null(general);
    assert_non_null(fast);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        DecodedInsn d, f;
        decode_insn(rows[i].word, &d);
        f = d;
        exec_specialize(&f);
        if ((f.fn != d.fn) != rows[i].specialized)
            fail_msg("%s: specialized %d, expected %d", rows[i].text, f.fn != d.fn, rows[i].specialized);
        assert_int_equal(f.id, d.id);   /* tracing and HEIR see the same instruction */
        assert_int_equal(f.raw, d.raw);
        for (unsigned s = 0; s < STATES; s++) {
            random_state(general, s & 1);
            memcpy(fast, general, sizeof(*fast));
            d.fn(general, &d);
            f.fn(fast, &f);
            if (memcmp(general, fast, sizeof(*fast)) != 0)
                fail_msg("%s: state %u differs from the general handler", rows[i].text, s);
        }
    }
    free(general);
    free(fast);
}

/* ---- run loop: straight-line stepping ------------------------------------------------- */

#define ADDI(rt, ra, v) (0x38000000u | (rt) << 21 | (ra) << 16 | ((v) & 0xFFFF))
#define B(off)          (0x48000000u | ((off) & 0x3FFFFFC))

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

static void put_word(Fixture *f, uint64_t addr, uint32_t w)
{
    memcpy(f->ram + addr, &w, 4); /* little-endian host, MSR[LE] guest */
}

/* "addi 3,3,1" from start to a "b ." after n words. */
static void put_counting_run(Fixture *f, uint64_t start, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        put_word(f, start + 4 * i, ADDI(3, 3, 1));
    put_word(f, start + 4 * n, B(0));
}

static void test_fast_when_run_crosses_pages_every_word_runs_once(void **state)
{
    Fixture *f = *state;
    uint64_t start = 0x3000 - 4 * 100; /* 100 words in one page, 900 in the next */
    put_counting_run(f, start, 1000);
    f->cpu.nip = start;
    f->cpu.gpr[3] = 0;
    assert_int_equal(cpu_run(&f->cpu, 1000), CPU_EXIT_BUDGET);
    assert_int_equal(f->cpu.gpr[3], 1000);
    assert_int_equal(f->cpu.nip, start + 4000);
    assert_int_equal(f->cpu.icount, 1000);
}

static void test_fast_when_budget_ends_mid_page_stops_exactly(void **state)
{
    Fixture *f = *state;
    put_counting_run(f, 0x2000, 600);
    f->cpu.nip = 0x2000;
    for (unsigned k = 1; k <= 5; k++) {
        assert_int_equal(cpu_run(&f->cpu, 7), CPU_EXIT_BUDGET);
        assert_int_equal(f->cpu.gpr[3], 7 * k);
        assert_int_equal(f->cpu.nip, 0x2000 + 28 * k);
        assert_int_equal(f->cpu.icount, 7 * k);
    }
}

/* 32-bit mode takes the loop's other copy (NIP masked to 32 bits): it must step across pages too. */
static void test_fast_when_32bit_mode_run_crosses_page_every_word_runs_once(void **state)
{
    Fixture *f = *state;
    put_counting_run(f, 0x4000 - 8, 4);
    f->cpu.nip = 0x4000 - 8;
    f->cpu.msr &= ~MSR_SF;
    cpu_mode_changed(&f->cpu);
    assert_int_equal(cpu_run(&f->cpu, 4), CPU_EXIT_BUDGET);
    assert_int_equal(f->cpu.gpr[3], 4);
    assert_int_equal(f->cpu.nip, 0x4000 + 8);
}

/* ---- loads and stores: same registers, same memory, same faults ------------------------ */

static const FastRow mem_rows[] = {
    { 0x88640011, "lbz 3,17(4)", true },
    { 0x80640008, "lwz 3,8(4)", true },
    { 0x8064fffe, "lwz 3,-2(4) (unaligned)", true },
    { 0x80600008, "lwz 3,8(0)", false },
    { 0xe8640010, "ld 3,16(4)", true },
    { 0x84640004, "lwzu 3,4(4)", true },
    { 0x84840004, "lwzu 4,4(4) (invalid form)", false },
    { 0x7c64282e, "lwzx 3,4,5", true },
    { 0x7c64282a, "ldx 3,4,5", true },
    { 0x7c60282e, "lwzx 3,0,5", false },
    { 0x90640008, "stw 3,8(4)", true },
    { 0xf8640010, "std 3,16(4)", true },
    { 0x94640004, "stwu 3,4(4)", true },
    { 0x94840004, "stwu 4,4(4) (RS = RA)", true },
    { 0x7c64292e, "stwx 3,4,5", true },
    { 0x7c64292a, "stdx 3,4,5", true },
};

/* Registers 4 and 5 make EAs inside RAM (some at page ends, some past RAM: machine check), or anywhere. */
static void random_mem_state(CPUState *cpu, bool sf)
{
    random_state(cpu, sf);
    cpu->msr = (sf ? MSR_SF : 0) | MSR_ME | MSR_LE; /* real mode: EA = real address */
    uint64_t r = rng();
    cpu->gpr[4] = (r & 1) ? (rng() % RAM_SIZE) : (r & 2) ? (rng() % 8) * 0x1000 - 8 + 0x2000 : interesting();
    cpu->gpr[5] = (rng() & 1) ? rng() % 64 : interesting();
}

static void test_fast_when_specialized_access_matches_general_handler(void **state)
{
    Fixture *f = *state;
    CPUState *fast = malloc(sizeof(*fast));
    uint8_t *ram_general = malloc(RAM_SIZE);
    assert_non_null(fast);
    assert_non_null(ram_general);
    for (unsigned i = 0; i < RAM_SIZE; i++)
        f->ram[i] = (uint8_t)rng();
    for (size_t i = 0; i < sizeof(mem_rows) / sizeof(mem_rows[0]); i++) {
        DecodedInsn d, fd;
        decode_insn(mem_rows[i].word, &d);
        fd = d;
        exec_specialize(&fd);
        if ((fd.fn != d.fn) != mem_rows[i].specialized)
            fail_msg("%s: specialized %d, expected %d", mem_rows[i].text, fd.fn != d.fn, mem_rows[i].specialized);
        for (unsigned s = 0; s < STATES; s++) {
            random_mem_state(&f->cpu, s & 1);
            cpu_mode_changed(&f->cpu);
            if (s & 2) {
                uint64_t v; /* warm the soft TLB for the EA, so that the fast path hits */
                ea_t ea = (f->cpu.gpr[4] + (s & 4 ? 8 : 0)) & ((s & 1) ? ~0ULL : 0xFFFFFFFFULL);
                (void)cpu_ld(&f->cpu, ea, 1, &v);
                (void)cpu_st(&f->cpu, ea, 1, f->ram[ea % RAM_SIZE]);
            }
            memcpy(fast, &f->cpu, sizeof(*fast));
            uint8_t *ram_before = malloc(RAM_SIZE);
            assert_non_null(ram_before);
            memcpy(ram_before, f->ram, RAM_SIZE);
            d.fn(&f->cpu, &d);
            memcpy(ram_general, f->ram, RAM_SIZE);
            memcpy(f->ram, ram_before, RAM_SIZE);
            fd.fn(fast, &fd);
            if (memcmp(&f->cpu, fast, sizeof(*fast)) != 0)
                fail_msg("%s: state %u: registers differ from the general handler", mem_rows[i].text, s);
            if (memcmp(ram_general, f->ram, RAM_SIZE) != 0)
                fail_msg("%s: state %u: memory differs from the general handler", mem_rows[i].text, s);
            free(ram_before);
        }
    }
    free(ram_general);
    free(fast);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_when_specialized_matches_general_handler),
        cmocka_unit_test_setup_teardown(test_fast_when_specialized_access_matches_general_handler, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fast_when_run_crosses_pages_every_word_runs_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fast_when_budget_ends_mid_page_stops_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fast_when_32bit_mode_run_crosses_page_every_word_runs_once, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
