/*
 * test_spr.c - the mtspr/mfspr dispatch table (cpu/spr.c): every SPR of
 * SPR_LIST is in spr_table with its access and width, numbers outside the
 * list follow the undefined-SPR rules, and the special kinds (XER, AMR
 * through 13, PMU aliases, FSCR/TM guards, 32-bit registers) behave as on
 * QEMU 7.2.  Guest-visible behaviour is also checked end to end by
 * firmware/tests/isa/spr*.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/cpu.h"
#include "cpu/spr.h"
#include "ppc/fscr.h"

#define RAM_SIZE   (1u << 20)
#define PVR_P9     0x004e1200u
#define NIP        0x1000u
#define KERNEL_MSR (MSR_SF | MSR_ME | MSR_RI | MSR_LE)
#define USER_MSR   (KERNEL_MSR | MSR_PR | MSR_EE | MSR_IR | MSR_DR)

static int setup(void **state)
{
    CPUState *cpu = calloc(1, sizeof(*cpu));
    uint8_t *ram = calloc(1, RAM_SIZE);
    assert_non_null(cpu);
    assert_non_null(ram);
    assert_int_equal(cpu_init(cpu, ram, RAM_SIZE, PVR_P9), 0);
    cpu->msr = KERNEL_MSR;
    *state = cpu;
    return 0;
}

static int teardown(void **state)
{
    CPUState *cpu = *state;
    uint8_t *ram = cpu->mem.ram;
    cpu_destroy(cpu);
    free(ram);
    free(cpu);
    return 0;
}

/* Set the state an instruction at NIP - 4 runs in; returns the interrupt count. */
static uint64_t enter(CPUState *cpu, uint64_t msr)
{
    cpu->msr = msr;
    cpu->cia = NIP - 4;
    cpu->nip = NIP;
    return cpu->stat_excp;
}

/* The vector of the interrupt the last access raised, or 0. */
static uint64_t raised(CPUState *cpu, uint64_t before)
{
    return cpu->stat_excp == before ? 0 : cpu->nip;
}

static void test_spr_table_has_every_listed_spr(void **state)
{
#define CHECK_ENTRY(name, num, r, w, wd, k)                                 \
    do {                                                                          \
        const SprDesc *d = &spr_table[num];                                       \
        assert_int_equal(d->defined, SPR_ACCESS_##r != SPR_ACCESS_O);             \
        assert_int_equal(d->read, SPR_ACCESS_##r);                                \
        assert_int_equal(d->write, SPR_ACCESS_##w);                               \
        assert_int_equal(d->width, wd);                                        \
        assert_int_equal(d->kind, SPR_KIND_##k);                               \
    } while (0);
    SPR_LIST(CHECK_ENTRY)
#undef CHECK_ENTRY
}

static void test_spr_table_unlisted_numbers_are_undefined(void **state)
{
    unsigned listed = 0, defined = 0;
#define COUNT(name, num, r, w, wd, k) listed += SPR_ACCESS_##r != SPR_ACCESS_O;
    SPR_LIST(COUNT)
#undef COUNT
    for (unsigned n = 0; n < SPR_NUM; n++)
        defined += spr_table[n].defined;
    assert_int_equal(defined, listed);
}

static void test_spr_undefined_priv_half_when_supervisor_is_noop(void **state)
{
    CPUState *cpu = *state;
    uint64_t v = 7, n = enter(cpu, KERNEL_MSR);
    assert_false(cpu_mfspr(cpu, 0x1f0, &v));
    assert_false(cpu_mtspr(cpu, 0x1f0, 1));
    assert_int_equal(raised(cpu, n), 0);
}

static void test_spr_undefined_when_problem_state_is_privileged(void **state)
{
    CPUState *cpu = *state;
    uint64_t v, n = enter(cpu, USER_MSR);
    assert_false(cpu_mfspr(cpu, 0x1f0, &v));
    assert_int_equal(raised(cpu, n), EXCP_PROGRAM);
    assert_true(cpu->spr[SPR_SRR1] & SRR1_PROG_PRIV);
    n = enter(cpu, USER_MSR);
    assert_false(cpu_mtspr(cpu, 3, 1));                 /* user half: hv-emulation class */
    assert_int_equal(raised(cpu, n), EXCP_PROGRAM);
    assert_true(cpu->spr[SPR_SRR1] & SRR1_PROG_PRIV);
}

static void test_spr_undefined_user_half_sv_reads_of_0_4_5_6_raise(void **state)
{
    CPUState *cpu = *state;
    uint64_t v, n;
    static const unsigned raising[] = { 0, 4, 5, 6 };
    for (unsigned i = 0; i < sizeof(raising) / sizeof(raising[0]); i++) {
        n = enter(cpu, KERNEL_MSR);
        assert_false(cpu_mfspr(cpu, raising[i], &v));
        assert_int_equal(raised(cpu, n), EXCP_PROGRAM);
    }
    n = enter(cpu, KERNEL_MSR);
    assert_false(cpu_mtspr(cpu, 4, 1));                 /* only mtspr 0 raises */
    assert_int_equal(raised(cpu, n), 0);
    assert_false(cpu_mfspr(cpu, 3, &v));                /* no DSCR alias on QEMU 7.2 */
    assert_int_equal(raised(cpu, n), 0);
}

static void test_spr_nop_numbers_808_811_never_raise(void **state)
{
    CPUState *cpu = *state;
    uint64_t v, n = enter(cpu, USER_MSR);
    for (unsigned s = SPR_NOP_FIRST; s <= SPR_NOP_LAST; s++) {
        assert_false(cpu_mfspr(cpu, s, &v));
        assert_false(cpu_mtspr(cpu, s, 1));
    }
    assert_int_equal(raised(cpu, n), 0);
}

static void test_spr_xer_keeps_low_word_split(void **state)
{
    CPUState *cpu = *state;
    uint64_t v;
    enter(cpu, USER_MSR);
    assert_true(cpu_mtspr(cpu, SPR_XER, ~0ULL));
    assert_int_equal(cpu->so, 1);
    assert_int_equal(cpu->ca32, 1);
    assert_int_equal(cpu->xer_bc, 0x7f);
    assert_true(cpu_mfspr(cpu, SPR_XER, &v));
    assert_int_equal(v, 0xFFFFFFFFULL);
    cpu_write_xer(cpu, 0x20040005ULL);                  /* CA, CA32, byte count 5 */
    assert_int_equal(cpu->ca, 1);
    assert_int_equal(cpu->ov, 0);
    assert_int_equal(cpu_read_xer(cpu), 0x20040005ULL);
}

static void test_spr_width32_drops_high_word(void **state)
{
    CPUState *cpu = *state;
    uint64_t v;
    enter(cpu, KERNEL_MSR);
    assert_true(cpu_mtspr(cpu, SPR_PSPB, ~0ULL));
    assert_true(cpu_mfspr(cpu, SPR_PSPB, &v));
    assert_int_equal(v, 0xFFFFFFFFULL);
    assert_true(cpu_mtspr(cpu, SPR_BESCRSU, 0x12345678ULL));
    assert_true(cpu_mfspr(cpu, SPR_BESCRS, &v));
    assert_int_equal(v >> 32, 0x12345678ULL);
}

static void test_spr_amr_alias_masked_by_uamor_in_problem_state(void **state)
{
    CPUState *cpu = *state;
    enter(cpu, KERNEL_MSR);
    assert_true(cpu_mtspr(cpu, SPR_AMR, 0));
    assert_true(cpu_mtspr(cpu, SPR_UAMOR, 0xF0F0ULL));
    assert_true(cpu_mtspr(cpu, SPR_AMR_U, ~0ULL));      /* supervisor: AMOR (0) */
    assert_int_equal(cpu->spr[SPR_AMR], 0);
    enter(cpu, USER_MSR);
    assert_true(cpu_mtspr(cpu, SPR_AMR_U, ~0ULL));
    assert_int_equal(cpu->spr[SPR_AMR], 0xF0F0ULL);
}

static void test_spr_pmu_alias_follows_pmcc(void **state)
{
    CPUState *cpu = *state;
    uint64_t v, n;
    cpu->spr[SPR_MMCR0] = MMCR0_FC;                     /* PMCC = 00: read only */
    n = enter(cpu, USER_MSR);
    assert_true(cpu_mfspr(cpu, SPR_UPMC1, &v));
    assert_false(cpu_mtspr(cpu, SPR_UPMC1, 1));
    assert_int_equal(raised(cpu, n), EXCP_PROGRAM);
    cpu->spr[SPR_MMCR0] = MMCR0_FC | (1ULL << MMCR0_PMCC_SHIFT);   /* 01: unavailable */
    n = enter(cpu, USER_MSR);
    assert_false(cpu_mfspr(cpu, SPR_UPMC1, &v));
    assert_int_equal(raised(cpu, n), EXCP_FAC_UNAVAIL);
    assert_int_equal(cpu->spr[SPR_FSCR] >> FSCR_IC_SHIFT, FSCR_IC_PM);
    n = enter(cpu, USER_MSR);
    assert_true(cpu_mfspr(cpu, SPR_USIAR, &v));        /* group B stays readable */
    cpu->spr[SPR_MMCR0] = MMCR0_FC | (3ULL << MMCR0_PMCC_SHIFT);   /* 11: PMC5/6 out */
    n = enter(cpu, USER_MSR);
    assert_true(cpu_mtspr(cpu, SPR_UPMC4, 44));
    assert_int_equal(cpu->spr[SPR_PMC4], 44);
    assert_false(cpu_mtspr(cpu, SPR_UPMC5, 1));
    assert_int_equal(raised(cpu, n), EXCP_FAC_UNAVAIL);
}

static void test_spr_fscr_guards_tar_in_problem_state_only(void **state)
{
    CPUState *cpu = *state;
    uint64_t v, n;
    cpu->spr[SPR_FSCR] = 0;
    n = enter(cpu, KERNEL_MSR);
    assert_true(cpu_mtspr(cpu, SPR_TAR, 0x1234));
    assert_int_equal(raised(cpu, n), 0);
    n = enter(cpu, USER_MSR);
    assert_false(cpu_mfspr(cpu, SPR_TAR, &v));
    assert_int_equal(raised(cpu, n), EXCP_FAC_UNAVAIL);
    assert_int_equal(cpu->spr[SPR_FSCR] >> FSCR_IC_SHIFT, FSCR_IC_TAR);
    cpu->spr[SPR_FSCR] = FSCR_TAR;
    enter(cpu, USER_MSR);
    assert_true(cpu_mfspr(cpu, SPR_TAR, &v));
    assert_int_equal(v, 0x1234);
}

static void test_spr_tm_needs_msr_tm_in_every_state(void **state)
{
    CPUState *cpu = *state;
    uint64_t v, n = enter(cpu, KERNEL_MSR);
    assert_false(cpu_mfspr(cpu, SPR_TEXASR, &v));
    assert_int_equal(raised(cpu, n), EXCP_FAC_UNAVAIL);
    enter(cpu, KERNEL_MSR | MSR_TM);
    assert_true(cpu_mtspr(cpu, SPR_TEXASRU, 0xABCDULL));
    assert_true(cpu_mfspr(cpu, SPR_TEXASR, &v));
    assert_int_equal(v, 0xABCDULL << 32);
}

static void test_spr_hypervisor_spr_from_supervisor_is_privileged(void **state)
{
    CPUState *cpu = *state;
    uint64_t v, n = enter(cpu, KERNEL_MSR);
    assert_false(cpu_mfspr(cpu, SPR_LPCR, &v));
    assert_int_equal(raised(cpu, n), EXCP_PROGRAM);
    assert_true(cpu->spr[SPR_SRR1] & SRR1_PROG_PRIV);
}

static void test_spr_read_only_numbers(void **state)
{
    CPUState *cpu = *state;
    uint64_t v, n = enter(cpu, KERNEL_MSR);
    assert_true(cpu_mfspr(cpu, SPR_PVR, &v));
    assert_int_equal(v, PVR_P9);
    assert_false(cpu_mtspr(cpu, SPR_PVR, 0));
    assert_int_equal(raised(cpu, n), EXCP_PROGRAM);
    cpu->cpu_index = 3;
    enter(cpu, KERNEL_MSR);
    assert_true(cpu_mfspr(cpu, SPR_PIR, &v));
    assert_int_equal(v, 3);
    cpu->spr[SPR_SPRG3] = 0x55;
    enter(cpu, USER_MSR);
    assert_true(cpu_mfspr(cpu, SPR_SPRG3_U, &v));
    assert_int_equal(v, 0x55);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spr_table_has_every_listed_spr),
        cmocka_unit_test(test_spr_table_unlisted_numbers_are_undefined),
        cmocka_unit_test_setup_teardown(test_spr_undefined_priv_half_when_supervisor_is_noop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spr_undefined_when_problem_state_is_privileged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spr_undefined_user_half_sv_reads_of_0_4_5_6_raise, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spr_nop_numbers_808_811_never_raise, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spr_xer_keeps_low_word_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spr_width32_drops_high_word, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spr_amr_alias_masked_by_uamor_in_problem_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spr_pmu_alias_follows_pmcc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spr_fscr_guards_tar_in_problem_state_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spr_tm_needs_msr_tm_in_every_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spr_hypervisor_spr_from_supervisor_is_privileged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spr_read_only_numbers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
