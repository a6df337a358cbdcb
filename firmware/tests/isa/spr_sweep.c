/*
 * spr_sweep.c - mfspr/mtspr of all 1024 SPR numbers, in supervisor and in
 * problem state, and the bits each writable SPR implements.
 *
 * For each number the test records what mfspr and mtspr do in each state:
 *   v  mfspr returned a value        n  no-op (RT unchanged)
 *   w  mtspr completed (written, or a no-op)
 *   P  program interrupt, privileged    I  program interrupt, illegal
 *   F<ic>  facility unavailable (0xF60) with FSCR[IC] = ic
 * and, for SPRs readable and writable in supervisor state, the value read
 * back after writing all ones (m1) and all zeros (m0).  Numbers that behave
 * like an undefined SPR of the privileged half (supervisor n/w, problem
 * state P/P) are not printed.  The output is the SPR table of
 * include/ppc/spr.h as a guest sees it: it must be identical on QEMU 7.2
 * and nesthv.
 *
 * Not swept (their values move or the write has effects the sweep cannot
 * undo): LR (8) and CTR (9, the sweep calls through CTR), DEC (22, its own
 * test), and the TB write numbers 284/285, which QEMU 7.2 lets a guest
 * write (a QEMU bug: the ISA makes TB writes hypervisor-only; nesthv raises
 * a privileged program interrupt -- see docs/conformance.md).  Counters stay
 * frozen (MMCR0[FC]) so PMCs hold what is written.  AMR through 13 gets
 * no read-back masks: QEMU 7.2 reads 0 there instead of AMR (a bug).
 */
#include "fw.h"
#include "user_mode.h"

#define SENTINEL1   0x5a5a5a5a12345678ul
#define SENTINEL2   0xa5a5a5a587654321ul
#define INSN_MFSPR  0x7c0002a6u
#define INSN_MTSPR  0x7c0003a6u
#define INSN_BLR    0x4e800020u
#define RT_SHIFT    21
#define SPR_LO(n)   (((n) & 0x1fu) << 16)
#define SPR_HI(n)   (((n) >> 5) << 11)
#define SPR_COUNT   1024
#define MMCR0_FC_ON 0x80000000ul
#define OUT_LEN     16

typedef unsigned long (*snippet_fn)(unsigned long);

static uint32_t snippet[4] __attribute__((aligned(64)));
static volatile int sv_trapped;
static struct fw_trap sv_trap;

static int sv_handler(struct fw_trap *t)
{
    sv_trapped = 1;
    sv_trap = *t;
    t->srr0 = t->lr;            /* return from the snippet */
    return 0;
}

static void set_snippet(uint32_t insn)
{
    snippet[0] = insn;
    snippet[1] = INSN_BLR;
    icache_sync(snippet, sizeof(snippet));
}

static uint32_t mfspr_r3(unsigned n) { return INSN_MFSPR | (3u << RT_SHIFT) | SPR_LO(n) | SPR_HI(n); }
static uint32_t mtspr_r3(unsigned n) { return INSN_MTSPR | (3u << RT_SHIFT) | SPR_LO(n) | SPR_HI(n); }

static const char *outcome(unsigned long vec, unsigned long srr1, char *buf)
{
    if (vec == FW_VEC_PROGRAM && (srr1 & FW_SRR1_PROGRAM_PRIV))
        return "P";
    if (vec == FW_VEC_PROGRAM && (srr1 & FW_SRR1_PROGRAM_ILLEGAL))
        return "I";
    if (vec == FW_VEC_FAC_UNAVAIL) {
        snprintf(buf, OUT_LEN, "F%lu", mfspr(SPR_FSCR) >> 56);
        mtspr(SPR_FSCR, 0);
        return buf;
    }
    snprintf(buf, OUT_LEN, "V%lx", vec);
    return buf;
}

static unsigned long sv_run(uint32_t insn, unsigned long r3)
{
    fw_trap_fn prev = fw_set_trap_handler(sv_handler);
    unsigned long v;

    set_snippet(insn);
    sv_trapped = 0;
    v = ((snippet_fn)snippet)(r3);
    fw_set_trap_handler(prev);
    return v;
}

static const char *sv_read(unsigned n, unsigned long *val, char *buf)
{
    unsigned long a = sv_run(mfspr_r3(n), SENTINEL1), b;

    if (sv_trapped)
        return outcome(sv_trap.vec, sv_trap.srr1, buf);
    b = sv_run(mfspr_r3(n), SENTINEL2);
    if (a == SENTINEL1 && b == SENTINEL2)
        return "n";
    *val = a;
    return "v";
}

static const char *sv_write(unsigned n, unsigned long v, char *buf)
{
    sv_run(mtspr_r3(n), v);
    return sv_trapped ? outcome(sv_trap.vec, sv_trap.srr1, buf) : "w";
}

static const char *pr_read(unsigned n, unsigned long *val, char *buf)
{
    struct user_res r;
    unsigned long a;

    set_snippet(mfspr_r3(n));
    if (!user_call((snippet_fn)snippet, SENTINEL1, 0, &r))
        return outcome(r.vec, r.srr1, buf);
    a = r.r3;
    if (!user_call((snippet_fn)snippet, SENTINEL2, 0, &r))
        return "?";
    if (a == SENTINEL1 && r.r3 == SENTINEL2)
        return "n";
    *val = a;
    return "v";
}

static const char *pr_write(unsigned n, unsigned long v, char *buf)
{
    struct user_res r;

    set_snippet(mtspr_r3(n));
    return user_call((snippet_fn)snippet, v, 0, &r) ? "w" : outcome(r.vec, r.srr1, buf);
}

static int skipped(unsigned n)
{
    return n == SPR_LR || n == SPR_CTR || n == SPR_DEC || n == 284 || n == 285;
}

static void sweep_one(unsigned n)
{
    char b1[OUT_LEN], b2[OUT_LEN], b3[OUT_LEN], b4[OUT_LEN], t[OUT_LEN];
    unsigned long v = 0, uv = 0, m1 = 0, m0 = 0;
    const char *sr, *sw, *ur, *uw;

    sr = sv_read(n, &v, b1);
    sw = sv_write(n, v, b2);
    if (sr[0] == 'v' && sw[0] == 'w' && n != SPR_AMR_U) {
        sv_write(n, ~0ul, t);
        sv_read(n, &m1, t);
        sv_write(n, 0, t);
        m0 = ~0ul;
        sv_read(n, &m0, t);
        sv_write(n, v, t);
    }
    ur = pr_read(n, &uv, b3);
    uw = pr_write(n, ur[0] == 'v' ? uv : 0, b4);
    if (sr[0] == 'n' && sw[0] == 'w' && ur[0] == 'P' && uw[0] == 'P')
        return;
    printf("spr %4u: sv r=%-3s w=%-3s pr r=%-3s w=%-3s m1=%016lx m0=%016lx\n",
           n, sr, sw, ur, uw, m1, m0);
}

int main(void)
{
    unsigned n;

    TEST_EQ(user_mode_init(), H_SUCCESS);
    mtspr(SPR_MMCR0, MMCR0_FC_ON);
    mtspr(SPR_FSCR, 0);
    test_begin("spr sweep (FSCR = 0, MMCR0[PMCC] = 0)");
    for (n = 0; n < SPR_COUNT; n++) {
        if (!skipped(n))
            sweep_one(n);
    }
    return test_report();
}
