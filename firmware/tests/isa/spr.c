/*
 * spr.c - the OS-visible SPRs of a POWER9 pseries guest (Power ISA v3.0B
 * Book III 5.4.4; QEMU 7.2 as the reference): values read back after a
 * pattern is written (all SPRs are 64-bit on QEMU except PSPB, CTRL and
 * the "upper half" numbers), aliases (SPRG3 259, CTRL 136/152, AMR 13,
 * problem-state PMU numbers), AMR masking by UAMOR, problem-state access
 * (privileged SPR -> program interrupt with SRR1[PRIV]; FSCR-controlled
 * TAR/EBB -> facility unavailable 0xF60 with FSCR[IC]; PMU SPRs follow
 * MMCR0[PMCC]; TM SPRs need MSR[TM]), hypervisor SPRs from supervisor
 * state, and the priority nops (or Rx,Rx,Rx set PPR[PRI]).
 * spr_sweep.c covers all 1024 numbers; this test checks values.
 */
#include "fw.h"
#include "user_mode.h"
#include "ppc/fscr.h"

#define PAT          0xa5a5f00f12345678ul
#define PVR_POWER9   0x004e1200ul
#define CTRL_RUN     1ul
#define PPR_PRI_SHIFT 50
#define PPR_PRI_MASK (7ul << PPR_PRI_SHIFT)
#define CAUSE_BITS   (PPC_BITMASK(33, 36) | PPC_BITMASK(42, 47))

#define RW(spr) ({ unsigned long o_ = mfspr(spr), v_; mtspr(spr, PAT); v_ = mfspr(spr); \
                   mtspr(spr, o_); v_; })

static void test_supervisor_values(void)
{
    test_begin("supervisor read-back of a pattern");
    printf("SPRG0..3 %lx %lx %lx %lx\n", RW(SPR_SPRG0), RW(SPR_SPRG1), RW(SPR_SPRG2), RW(SPR_SPRG3));
    printf("SRR0 %lx SRR1 %lx DAR %lx DSISR %lx\n", RW(SPR_SRR0), RW(SPR_SRR1), RW(SPR_DAR), RW(SPR_DSISR));
    printf("DSCR %lx FSCR %lx UAMOR %lx PSPB %lx\n", RW(SPR_DSCR), RW(SPR_FSCR), RW(SPR_UAMOR), RW(SPR_PSPB));
    printf("TIDR %lx VRSAVE %lx PPR %lx TAR %lx\n", RW(SPR_TIDR), RW(SPR_VRSAVE), RW(SPR_PPR), RW(SPR_TAR));
    printf("IAMR %lx AMR %lx PIDR %lx\n", RW(SPR_IAMR), RW(SPR_AMR), RW(SPR_PIDR));
    printf("EBBHR %lx EBBRR %lx BESCR %lx\n", RW(SPR_EBBHR), RW(SPR_EBBRR), RW(SPR_BESCR));
    printf("SIER %lx MMCRA %lx PMC1 %lx SDAR %lx\n", RW(SPR_SIER), RW(SPR_MMCRA), RW(SPR_PMC1), RW(SPR_SDAR));
    printf("XER %lx\n", RW(SPR_XER));
    mtspr(SPR_BESCRS, 0);
    mtspr(SPR_BESCRSU, 0x89abcdeful);
    printf("BESCRSU -> BESCRS %lx, BESCRSU %lx\n", mfspr(SPR_BESCRS), mfspr(SPR_BESCRSU));
    mtspr(SPR_BESCRS, 0);
    TEST_EQ(mfspr(SPR_PVR), PVR_POWER9);
    TEST_EQ(mfspr(SPR_PIR), 0);
    TEST_EQ(mfspr(SPR_TIR), 0);
    mtspr(SPR_SPRG3, 0x3333);
    TEST_EQ(mfspr(SPR_SPRG3_U), 0x3333);
    /* CTRL: written at 152, read at 136 (32 bits) */
    mtspr(SPR_CTRL, PAT);
    printf("CTRL after writing the pattern: %lx\n", mfspr(SPR_CTRL_RD));
    mtspr(SPR_CTRL, CTRL_RUN);
    TEST_EQ(mfspr(SPR_CTRL_RD), CTRL_RUN);
    /* the PMU problem-state numbers alias the supervisor ones */
    mtspr(SPR_MMCR0, MMCR0_FC);
    mtspr(SPR_PMC3, 0x1234);
    TEST_EQ(mfspr(SPR_PMC3 - 16), 0x1234);
    mtspr(SPR_PMC3 - 16, 0x4321);
    TEST_EQ(mfspr(SPR_PMC3), 0x4321);
    mtspr(SPR_PMC3, 0);
    /* AMR through 13 in supervisor state is masked by AMOR (all ones for a
       pseries guest).  Reads of 13 are not checked: QEMU 7.2 returns 0
       instead of AMR (docs/conformance.md). */
    mtspr(SPR_AMR, 0x1111);
    mtspr(SPR_AMR_U, 0x2222);
    printf("AMR after supervisor write of 2222 via 13: %lx\n", mfspr(SPR_AMR));
    mtspr(SPR_AMR, 0);
}

static void test_timebase_sprs(void)
{
    unsigned long tb, tbu, purr;
    test_begin("TB, TBU, PURR");
    tb = mfspr(SPR_TB);
    tbu = mfspr(SPR_TBU);
    purr = mfspr(SPR_PURR);
    TEST_EQ(tbu, tb >> 32);
    TEST_ASSERT(mfspr(SPR_TB) >= tb);
    TEST_ASSERT(mfspr(SPR_PURR) >= purr);
}

/* ---- problem state -------------------------------------------------------- */

static unsigned long u_read(unsigned long which);
static unsigned long u_write(unsigned long which);

#define U_CASES(X) X(0, SPR_SPRG0) X(1, SPR_SRR0) X(2, SPR_TAR) X(3, SPR_EBBHR) X(4, SPR_UPMC1) \
    X(5, SPR_USIAR) X(6, SPR_UPMC5) X(7, SPR_UMMCR0) X(8, SPR_TEXASR) X(9, SPR_AMR_U) \
    X(10, SPR_SPRG3_U) X(11, SPR_TB) X(12, SPR_LPCR) X(13, SPR_PVR) X(14, SPR_PPR) \
    X(15, SPR_UMMCR2) X(16, SPR_CTRL_RD) X(17, SPR_DSCR)
#define U_READ_CASE(n, spr) case n: return mfspr(spr);
#define U_WRITE_CASE(n, spr) case n: mtspr(spr, ~0ul); return 0;
static unsigned long u_read(unsigned long which) { switch (which) { U_CASES(U_READ_CASE) } return 0; }
static unsigned long u_write(unsigned long which) { switch (which) { U_CASES(U_WRITE_CASE) } return 0; }
#define U_NAME(n, spr) #spr,
static const char *const u_names[] = { U_CASES(U_NAME) };

static const char *outcome(int ok, const struct user_res *r, char *buf, size_t n)
{
    if (ok)
        return "ok";
    if (r->vec == FW_VEC_PROGRAM)
        return (r->srr1 & FW_SRR1_PROGRAM_PRIV) ? "priv" : "program";
    if (r->vec == FW_VEC_FAC_UNAVAIL) {
        snprintf(buf, n, "fac(ic=%lu)", mfspr(SPR_FSCR) >> FSCR_IC_SHIFT);
        return buf;
    }
    snprintf(buf, n, "vec %lx", r->vec);
    return buf;
}

static void pr_matrix(const char *title, unsigned long extra_msr)
{
    unsigned i;
    char b1[24], b2[24];
    test_begin(title);
    for (i = 0; i < sizeof(u_names) / sizeof(u_names[0]); i++) {
        struct user_res r;
        const char *ro, *wo;
        unsigned long fscr = mfspr(SPR_FSCR);
        ro = outcome(user_call(u_read, i, extra_msr, &r), &r, b1, sizeof(b1));
        mtspr(SPR_FSCR, fscr);
        wo = outcome(user_call(u_write, i, extra_msr, &r), &r, b2, sizeof(b2));
        mtspr(SPR_FSCR, fscr);
        printf("  %-12s read %-10s write %s\n", u_names[i], ro, wo);
    }
}

static unsigned long u_amr(unsigned long v) { mtspr(SPR_AMR_U, v); return 0; }
static unsigned long u_mmcr0(unsigned long v) { mtspr(SPR_UMMCR0, v); return 0; }
static unsigned long u_mmcr2(unsigned long v) { mtspr(SPR_UMMCR2, v); return 0; }
static unsigned long u_bctar(unsigned long v) { (void)v; __asm__ volatile("bctar 20, 0" ::: "memory"); return 0; }
extern char bctar_target[];
__asm__("    .text\nbctar_target:\n    li 3, 42\n    blr\n");

static void test_problem_state(void)
{
    struct user_res r;

    mtspr(SPR_MMCR0, MMCR0_FC);
    mtspr(SPR_FSCR, 0);
    pr_matrix("problem state, FSCR = 0, MMCR0[PMCC] = 00", 0);
    mtspr(SPR_FSCR, FSCR_TAR | FSCR_EBB | FSCR_DSCR);
    mtspr(SPR_MMCR0, MMCR0_FC | (2ul << MMCR0_PMCC_SHIFT));
    pr_matrix("problem state, FSCR = TAR|EBB|DSCR, PMCC = 10, MSR[TM]", MSR_TM);
    mtspr(SPR_MMCR0, MMCR0_FC | (1ul << MMCR0_PMCC_SHIFT));
    pr_matrix("problem state, PMCC = 01", 0);
    mtspr(SPR_MMCR0, MMCR0_FC | (3ul << MMCR0_PMCC_SHIFT));
    pr_matrix("problem state, PMCC = 11", 0);

    test_begin("problem-state writes: AMR by UAMOR, MMCR0 and MMCR2 bits");
    mtspr(SPR_AMR, 0);
    mtspr(SPR_UAMOR, 0xf0f0f0f000000000ul);
    TEST_EQ(user_call(u_amr, ~0ul, 0, &r), 1);
    printf("AMR after PR write of ~0 with UAMOR f0f0f0f000000000: %lx\n", mfspr(SPR_AMR));
    mtspr(SPR_AMR, 0);
    mtspr(SPR_UAMOR, 0);
    mtspr(SPR_MMCR0, MMCR0_FC | (2ul << MMCR0_PMCC_SHIFT));
    mtspr(SPR_MMCR2, 0);
    TEST_EQ(user_call(u_mmcr2, ~0ul, 0, &r), 1);
    printf("MMCR2 after PR write of ~0: %lx\n", mfspr(SPR_MMCR2));
    TEST_EQ(user_call(u_mmcr0, 0, 0, &r), 1);
    printf("MMCR0 after PR write of 0: %lx\n", mfspr(SPR_MMCR0));
    mtspr(SPR_MMCR0, MMCR0_FC | (2ul << MMCR0_PMCC_SHIFT));
    TEST_EQ(user_call(u_mmcr0, ~0ul, 0, &r), 1);
    printf("MMCR0 after PR write of ~0: %lx\n", mfspr(SPR_MMCR0));
    mtspr(SPR_MMCR0, MMCR0_FC);
    mtspr(SPR_MMCR2, 0);

    test_begin("bctar in problem state");
    mtspr(SPR_TAR, (unsigned long)bctar_target);
    mtspr(SPR_FSCR, 0);
    printf("bctar with FSCR[TAR] = 0: %s r3=%lu\n", user_call(u_bctar, 0, 0, &r) ? "ok" : "interrupt", r.r3);
    mtspr(SPR_FSCR, 0);
}

static void test_hypervisor_sprs(void)
{
    static const unsigned long hv[] = { SPR_LPCR, SPR_HSRR0, SPR_HDEC, SPR_LPIDR, SPR_PTCR, SPR_AMOR };
    unsigned i;
    test_begin("hypervisor SPRs from supervisor state");
    for (i = 0; i < sizeof(hv) / sizeof(hv[0]); i++) {
        FW_EXPECT_TRAP(FW_VEC_PROGRAM, ({
            switch (hv[i]) {
            case SPR_LPCR:  (void)mfspr(SPR_LPCR); break;
            case SPR_HSRR0: mtspr(SPR_HSRR0, 0); break;
            case SPR_HDEC:  (void)mfspr(SPR_HDEC); break;
            case SPR_LPIDR: mtspr(SPR_LPIDR, 0); break;
            case SPR_PTCR:  (void)mfspr(SPR_PTCR); break;
            default:        (void)mfspr(SPR_AMOR); break;
            }
        }));
        TEST_EQ(fw_last_trap.srr1 & CAUSE_BITS, FW_SRR1_PROGRAM_PRIV);
    }
}

static void test_priority_nops(void)
{
    static const char *const names[] = { "or 31,31,31", "or 1,1,1", "or 6,6,6", "or 2,2,2",
                                         "or 5,5,5", "or 3,3,3", "or 7,7,7" };
    unsigned long v[7];
    unsigned i;
    test_begin("priority nops set PPR[PRI]");
    __asm__ volatile("or 31,31,31" ::: "memory"); v[0] = mfspr(SPR_PPR);
    __asm__ volatile("or 1,1,1" ::: "memory");    v[1] = mfspr(SPR_PPR);
    __asm__ volatile("or 6,6,6" ::: "memory");    v[2] = mfspr(SPR_PPR);
    __asm__ volatile("or 2,2,2" ::: "memory");    v[3] = mfspr(SPR_PPR);
    __asm__ volatile("or 5,5,5" ::: "memory");    v[4] = mfspr(SPR_PPR);
    __asm__ volatile("or 3,3,3" ::: "memory");    v[5] = mfspr(SPR_PPR);
    __asm__ volatile("or 7,7,7" ::: "memory");    v[6] = mfspr(SPR_PPR);
    for (i = 0; i < 7; i++)
        printf("%-12s PPR[PRI] = %lu\n", names[i], (v[i] & PPR_PRI_MASK) >> PPR_PRI_SHIFT);
    __asm__ volatile("or 2,2,2" ::: "memory");
}

int main(void)
{
    TEST_EQ(user_mode_init(), H_SUCCESS);
    test_supervisor_values();
    test_timebase_sprs();
    test_hypervisor_sprs();
    test_priority_nops();
    test_problem_state();
    return test_report();
}
