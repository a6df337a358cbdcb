/*
 * ldst_exec.h - run one instruction word (or a few) with a chosen register
 * file, byte order and mode, for the load/store, string, atomic, cache,
 * alignment and machine-check tests (firmware/tests/isa/{ldst,string,
 * atomic,cache,align,ldst_mcheck}.c).  It is how those tests cover
 * big-endian mode: the routine is written in big-endian byte order at run
 * time and entered with MSR[LE] = 0.
 *
 * ldst_exec(word, regs, mode) writes a small routine into a code page of its
 * own, in the byte order of the mode it runs in:
 *
 *     load CR, XER and every GPR except r1 from *regs
 *     <word>                         (ldst_exec_seq: several words)
 *     store every GPR except r1, CR and XER back into *regs
 *     tw 31,0,0                      (return to the caller, see below)
 *
 * and enters it with rfid and the MSR of the mode (MSR[LE] changed from the
 * caller's).  The trap at the end comes back through the interrupt handler
 * installed here, which resumes the caller with its own MSR: that is how a
 * big-endian routine returns to little-endian C.  (That trap is an
 * interrupt, so it ends any larx reservation: a larx/stcx. pair must be in
 * one ldst_exec_seq.)  Any other interrupt (the one under test) is recorded
 * in ldst_trap -- vector, SRR0 as an offset from the first word, SRR1, DAR,
 * DSISR -- and execution resumes after the instruction that caused it (or
 * at SRR0 for interrupts that already point past it; or at LR when SRR0 is
 * outside the routine, i.e. a branch-and-link left it).  Problem state is not
 * offered: rfid to MSR[PR] = 1 also sets MSR[IR]/[DR] (Book III 4.4), and
 * these tests run without page tables.  Before the word runs, DAR and DSISR are set to LDST_DAR_INIT and
 * ldst_dsisr_init (normally 0) so that a test sees exactly what the
 * interrupt wrote.
 *
 * Register values are given and returned as numbers: the routine loads and
 * stores them in its own byte order, the C side swaps as needed.
 *
 *     struct ldst_regs r = { 0 };
 *     r.gpr[4] = (unsigned long)buf;
 *     ldst_exec(LDST_D(32, 3, 4, 8), &r, LDST_BE);    // lwz r3,8(r4), big-endian
 *     ... r.gpr[3] is the big-endian word at buf + 8; ldst_trap.count is 0
 */
#ifndef LDST_EXEC_H
#define LDST_EXEC_H

#include "fw.h"

/* ---- instruction encodings used by the tests ------------------------------ */
#define LDST_D(po, rt, ra, d)  (((uint32_t)(po) << 26) | ((uint32_t)(rt) << 21) | \
                                ((uint32_t)(ra) << 16) | ((uint32_t)(d) & 0xffff))
#define LDST_DS(po, rt, ra, ds, xo) (LDST_D(po, rt, ra, (ds) & 0xfffc) | (xo))
#define LDST_DQ(po, rt, ra, dq, xo) (LDST_D(po, rt, ra, (dq) & 0xfff0) | (xo))
#define LDST_X(po, rt, ra, rb, xo) (((uint32_t)(po) << 26) | ((uint32_t)(rt) << 21) | \
                                    ((uint32_t)(ra) << 16) | ((uint32_t)(rb) << 11) | \
                                    ((uint32_t)(xo) << 1))
#define LDST_X31(xo, rt, ra, rb) LDST_X(31, rt, ra, rb, xo)
#define LDST_RC 1u

/* Modes for ldst_exec(). */
#define LDST_LE    0x0u  /* little-endian (the caller's mode) */
#define LDST_BE    0x1u  /* big-endian */
#define LDST_EE    0x2u  /* with MSR[EE] = 1: a decrementer interrupt is recorded
                            and the handler sets DEC back to its maximum */
#define LDST_M32   0x4u  /* in 32-bit mode (MSR[SF] = 0) */

#define LDST_DAR_INIT   0x0123456789abcdefUL

struct ldst_regs {
    uint64_t gpr[32];           /* gpr[1] is ignored */
    uint64_t cr;
    uint64_t xer;
};

struct ldst_trap {
    unsigned count;             /* interrupts taken by the word (0 or 1) */
    unsigned long vec;
    long srr0_off;              /* SRR0 minus the address of the word */
    unsigned long srr1;
    unsigned long dar;
    unsigned long dsisr;
};

/* SRR1 bits that report the cause (Book III 7.5); the rest is the MSR. */
#define LDST_SRR1_CAUSE ((unsigned long)(PPC_BITMASK(33, 36) | PPC_BITMASK(42, 47)))

extern struct ldst_trap ldst_trap;
extern unsigned long ldst_exec_msr; /* MSR the word ran with */
extern unsigned long ldst_dsisr_init;

/* Runs word; returns the number of interrupts it took (details in ldst_trap). */
unsigned ldst_exec(uint32_t word, struct ldst_regs *r, unsigned mode);
/* Runs n words in a row (n <= LDST_SEQ_MAX). */
unsigned ldst_exec_seq(const uint32_t *words, unsigned n, struct ldst_regs *r, unsigned mode);
#define LDST_SEQ_MAX 64

/* The size-byte number at p in the given byte order, and the reverse. */
static inline uint64_t ldst_get(const void *p, unsigned size, int be)
{
    const uint8_t *b = p;
    uint64_t v = 0;
    unsigned i;

    for (i = 0; i < size; i++)
        v |= (uint64_t)b[i] << (8 * (be ? size - 1 - i : i));
    return v;
}

static inline void ldst_put(void *p, unsigned size, int be, uint64_t v)
{
    uint8_t *b = p;
    unsigned i;

    for (i = 0; i < size; i++)
        b[i] = (uint8_t)(v >> (8 * (be ? size - 1 - i : i)));
}

/* Checks that the word took exactly one interrupt at vec, with SRR0 at
 * srr0_off from the word, the cause bits in SRR1 and the MSR it ran with in
 * the rest of SRR1; returns 1 if so. */
#define LDST_CHECK_TRAP(vec, srr0_off, cause) \
    ldst_check_trap((vec), (srr0_off), (cause), __FILE__, __LINE__)
int ldst_check_trap(unsigned long vec, long srr0_off, unsigned long cause, const char *file,
                    int line);

/* ---- implementation (one copy per test program) ---------------------------- */
#ifndef LDST_EXEC_NO_IMPL

#define LDST_CODE_WORDS  1024          /* one 4 KiB page, nothing else on it */
#define LDST_OFF_CR      256
#define LDST_OFF_XER     264
#define LDST_SAVE_CTX    (-8)          /* below r1: the regs pointer */
#define LDST_SAVE_R3     (-16)         /* below r1: r3 after the word */
#define LDST_MSR_LE      0x1UL
#define LDST_MSR_SF      (1UL << 63)
#define LDST_MSR_EE      0x8000UL
#define LDST_DEC_MAX     0x7fffffffUL

/* Instruction words of the generated routine. */
#define LDST_I_LD(rt, ra, d)    LDST_DS(58, rt, ra, d, 0)
#define LDST_I_STD(rs, ra, d)   LDST_DS(62, rs, ra, d, 0)
#define LDST_I_MTCRF_ALL(rs)    (0x7c0ff120u | ((uint32_t)(rs) << 21))
#define LDST_I_MFCR(rt)         (0x7c000026u | ((uint32_t)(rt) << 21))
#define LDST_I_MTXER(rs)        (0x7c0103a6u | ((uint32_t)(rs) << 21))
#define LDST_I_MFXER(rt)        (0x7c0102a6u | ((uint32_t)(rt) << 21))
#define LDST_I_TRAP             0x7fe00008u    /* tw 31,0,0 */

struct ldst_trap ldst_trap;
unsigned long ldst_exec_msr;
unsigned long ldst_dsisr_init;

static uint32_t ldst_code[LDST_CODE_WORDS] __attribute__((aligned(4096)));
static struct ldst_regs ldst_ctx __attribute__((aligned(64)));
static unsigned long ldst_insn_addr, ldst_ret_addr, ldst_home_msr;

/* ldst_enter(code, ctx, msr): rfid to code with r3 = ctx; resumes at
 * ldst_back (via the trap handler) and returns to the caller. */
extern void ldst_enter(unsigned long code, struct ldst_regs *ctx, unsigned long msr);
extern const char ldst_back[];
__asm__(
    "    .text\n"
    "    .globl ldst_enter, ldst_back\n"
    "ldst_enter:\n"
    "    mflr 0\n"
    "    std 0, 16(1)\n"
    "    stdu 1, -192(1)\n"
    "    std 2, 24(1)\n"
    "    .irp n,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "    std \\n, (32 + 8 * (\\n - 13))(1)\n"
    "    .endr\n"
    "    mfcr 12\n"
    "    std 12, 184(1)\n"
    "    mtsrr0 3\n"
    "    mtsrr1 5\n"
    "    mr 3, 4\n"
    "    rfid\n"
    "ldst_back:\n"
    "    ld 2, 24(1)\n"
    "    .irp n,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "    ld \\n, (32 + 8 * (\\n - 13))(1)\n"
    "    .endr\n"
    "    ld 12, 184(1)\n"
    "    mtcrf 0xff, 12\n"
    "    addi 1, 1, 192\n"
    "    ld 0, 16(1)\n"
    "    mtlr 0\n"
    "    blr\n");

static int ldst_on_trap(struct fw_trap *t)
{
    if (t->vec == FW_VEC_PROGRAM && t->srr0 == ldst_ret_addr) {
        t->srr0 = (unsigned long)ldst_back;
        t->srr1 = ldst_home_msr;
        return 0;
    }
    ldst_trap.count++;
    ldst_trap.vec = t->vec;
    ldst_trap.srr0_off = (long)(t->srr0 - ldst_insn_addr);
    ldst_trap.srr1 = t->srr1;
    ldst_trap.dar = t->dar;
    ldst_trap.dsisr = t->dsisr;
    if (t->vec == FW_VEC_DECREMENTER)
        mtdec(LDST_DEC_MAX);
    if (t->srr0 < (unsigned long)ldst_code || t->srr0 >= ldst_ret_addr)
        t->srr0 = t->lr;        /* a branch left the routine: return as if it came back */
    else if (t->vec == FW_VEC_MACHINE_CHECK)
        t->srr0 += 4;
    else
        fw_trap_skip(t);
    return 0;
}

static uint32_t ldst_order32(uint32_t v, int be) { return be ? __builtin_bswap32(v) : v; }
static uint64_t ldst_order64(uint64_t v, int be) { return be ? __builtin_bswap64(v) : v; }

/* Generates the routine around words; returns the index of the first in ldst_code. */
static unsigned ldst_gen(const uint32_t *words, unsigned count, int be)
{
    unsigned n = 0, at, i;
    uint32_t *c = ldst_code;

    c[n++] = LDST_I_STD(3, 1, LDST_SAVE_CTX);
    c[n++] = LDST_I_LD(0, 3, LDST_OFF_CR);
    c[n++] = LDST_I_MTCRF_ALL(0);
    c[n++] = LDST_I_LD(0, 3, LDST_OFF_XER);
    c[n++] = LDST_I_MTXER(0);
    for (i = 0; i < 32; i++)
        if (i != 1 && i != 3)
            c[n++] = LDST_I_LD(i, 3, 8 * i);
    c[n++] = LDST_I_LD(3, 3, 8 * 3);
    at = n;
    for (i = 0; i < count && i < LDST_SEQ_MAX; i++)
        c[n++] = words[i];
    c[n++] = LDST_I_STD(3, 1, LDST_SAVE_R3);
    c[n++] = LDST_I_LD(3, 1, LDST_SAVE_CTX);
    for (i = 0; i < 32; i++)
        if (i != 1 && i != 3)
            c[n++] = LDST_I_STD(i, 3, 8 * i);
    c[n++] = LDST_I_MFCR(0);
    c[n++] = LDST_I_STD(0, 3, LDST_OFF_CR);
    c[n++] = LDST_I_MFXER(0);
    c[n++] = LDST_I_STD(0, 3, LDST_OFF_XER);
    c[n++] = LDST_I_LD(0, 1, LDST_SAVE_R3);
    c[n++] = LDST_I_STD(0, 3, 8 * 3);
    c[n++] = LDST_I_TRAP;
    for (i = 0; i < n; i++)
        c[i] = ldst_order32(c[i], be);
    icache_sync(c, n * sizeof(*c));
    ldst_ret_addr = (unsigned long)&c[n - 1];
    return at;
}

unsigned ldst_exec_seq(const uint32_t *words, unsigned count, struct ldst_regs *r,
                       unsigned mode)
{
    int be = (mode & LDST_BE) != 0;
    unsigned at = ldst_gen(words, count, be), i;
    fw_trap_fn prev;

    ldst_insn_addr = (unsigned long)&ldst_code[at];
    for (i = 0; i < 32; i++)
        ldst_ctx.gpr[i] = ldst_order64(r->gpr[i], be);
    ldst_ctx.cr = ldst_order64(r->cr, be);
    ldst_ctx.xer = ldst_order64(r->xer, be);
    memset(&ldst_trap, 0, sizeof(ldst_trap));
    ldst_home_msr = mfmsr();
    ldst_exec_msr = ldst_home_msr & ~LDST_MSR_LE;
    if (!be)
        ldst_exec_msr |= LDST_MSR_LE;
    if (mode & LDST_EE)
        ldst_exec_msr |= LDST_MSR_EE;
    if (mode & LDST_M32)
        ldst_exec_msr &= ~LDST_MSR_SF;
    prev = fw_set_trap_handler(ldst_on_trap);
    mtspr(SPR_DAR, LDST_DAR_INIT);
    mtspr(SPR_DSISR, ldst_dsisr_init);
    ldst_enter((unsigned long)ldst_code, &ldst_ctx, ldst_exec_msr);
    fw_set_trap_handler(prev);
    for (i = 0; i < 32; i++)
        if (i != 1)
            r->gpr[i] = ldst_order64(ldst_ctx.gpr[i], be);
    r->cr = ldst_order64(ldst_ctx.cr, be);
    r->xer = ldst_order64(ldst_ctx.xer, be);
    return ldst_trap.count;
}

unsigned ldst_exec(uint32_t word, struct ldst_regs *r, unsigned mode)
{
    return ldst_exec_seq(&word, 1, r, mode);
}

int ldst_check_trap(unsigned long vec, long srr0_off, unsigned long cause, const char *file,
                    int line)
{
    unsigned long msr_part = ldst_exec_msr & ~(unsigned long)LDST_SRR1_CAUSE;
    int ok = test_check_eq(ldst_trap.count, 1, file, line, "interrupts", "1");

    ok &= test_check_eq(ldst_trap.vec, vec, file, line, "vector", "expected");
    ok &= test_check_eq((unsigned long)ldst_trap.srr0_off, (unsigned long)srr0_off, file, line,
                        "SRR0 offset", "expected");
    ok &= test_check_eq(ldst_trap.srr1 & LDST_SRR1_CAUSE, cause, file, line, "SRR1 cause",
                        "expected");
    ok &= test_check_eq(ldst_trap.srr1 & ~(unsigned long)LDST_SRR1_CAUSE, msr_part, file, line,
                        "SRR1 MSR bits", "MSR");
    return ok;
}

#endif /* LDST_EXEC_NO_IMPL */
#endif /* LDST_EXEC_H */
