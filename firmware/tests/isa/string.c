/*
 * string.c - move assist instructions lswi, lswx, stswi, stswx (Power ISA
 * v3.0B Book I 3.3.8).
 *
 * Big-endian mode (through ldst_exec.h, which runs the word with
 * MSR[LE] = 0): bytes fill the low words of RT, RT+1, ... wrapping from r31
 * to r0, most significant byte first, the last register padded with zeros,
 * high words cleared; NB = 0 means 32 bytes; lswx/stswx take the count from
 * XER[BC] and do nothing when it is 0.  Invalid forms (RA or RB in the range
 * of registers loaded) raise the illegal-instruction program interrupt on
 * QEMU 7.2 -- for lswi RA = 0 counts, for lswx it does not.
 *
 * Little-endian mode: every string instruction raises the alignment
 * interrupt (Book I 3.3.8), before any other check, leaving registers and
 * storage alone.  As QEMU 7.2 reports it: SRR0 = the instruction, DAR
 * unchanged, DSISR[54:63] = the instruction's RT and RA fields OR-ed into
 * the old DSISR.
 */
#include "ldst_exec.h"

#define COUNT(t)   (sizeof(t) / sizeof((t)[0]))
#define BUF_SIZE   64
#define FILL       0xee
#define REG_INIT(i) (0x5a5a000000000000UL | (i))
#define XO_LSWI    597
#define XO_LSWX    533
#define XO_STSWI   725
#define XO_STSWX   661

static uint8_t buf[BUF_SIZE] __attribute__((aligned(64)));

static void fill_pattern(void)
{
    unsigned i;

    for (i = 0; i < BUF_SIZE; i++)
        buf[i] = (uint8_t)(0x10 + i);
}

static void regs_init(struct ldst_regs *r)
{
    unsigned i;

    memset(r, 0, sizeof(*r));
    for (i = 0; i < 32; i++)
        r->gpr[i] = REG_INIT(i);
}

/* What a string load of n bytes from p puts in the k-th register. */
static uint64_t lsw_reg(const uint8_t *p, unsigned n, unsigned k)
{
    uint64_t v = 0;
    unsigned i;

    for (i = 0; i < 4; i++)
        v = (v << 8) | (4 * k + i < n ? p[4 * k + i] : 0);
    return v;
}

/* Checks a string load of n bytes from buf + off into rt...; prints the registers. */
static void check_lsw(const char *name, const struct ldst_regs *r, unsigned rt, unsigned n,
                      unsigned off)
{
    unsigned k, nregs = (n + 3) / 4;

    TEST_EQ(ldst_trap.count, 0);
    printf("%-16s", name);
    for (k = 0; k < nregs; k++) {
        unsigned reg = (rt + k) % 32;
        TEST_EQ(r->gpr[reg], lsw_reg(buf + off, n, k));
        printf(" r%u=%llx", reg, (unsigned long long)r->gpr[reg]);
    }
    /* the register after the last one is untouched */
    TEST_EQ(r->gpr[(rt + nregs) % 32], REG_INIT((rt + nregs) % 32));
    printf("\n");
}

static void test_loads(void)
{
    struct ldst_regs r;
    static const struct { const char *name; unsigned rt, nb; } lswi[] = {
        { "lswi r5,nb=7", 5, 7 }, { "lswi r5,nb=4", 5, 4 }, { "lswi r20,nb=0", 20, 0 },
        { "lswi r30,nb=9", 30, 9 }, { "lswi r8,nb=1", 8, 1 },
    };
    static const struct { const char *name; unsigned rt, bc; } lswx[] = {
        { "lswx r8,bc=10", 8, 10 }, { "lswx r8,bc=1", 8, 1 }, { "lswx r9,bc=16", 9, 16 },
        { "lswx r29,bc=13", 29, 13 },
    };
    unsigned i;

    test_begin("string loads (big-endian)");
    for (i = 0; i < COUNT(lswi); i++) {
        fill_pattern();
        regs_init(&r);
        r.gpr[4] = (uint64_t)buf;
        ldst_exec(LDST_X31(XO_LSWI, lswi[i].rt, 4, lswi[i].nb), &r, LDST_BE);
        check_lsw(lswi[i].name, &r, lswi[i].rt, lswi[i].nb ? lswi[i].nb : 32, 0);
    }
    for (i = 0; i < COUNT(lswx); i++) {
        fill_pattern();
        regs_init(&r);
        r.gpr[3] = (uint64_t)buf;
        r.gpr[4] = 5;
        r.xer = lswx[i].bc;
        ldst_exec(LDST_X31(XO_LSWX, lswx[i].rt, 3, 4), &r, LDST_BE);
        check_lsw(lswx[i].name, &r, lswx[i].rt, lswx[i].bc, 5);
        TEST_EQ(r.xer & 0x7f, lswx[i].bc);
    }
    /* XER[BC] = 0: nothing happens, whatever the registers */
    fill_pattern();
    regs_init(&r);
    r.gpr[3] = (uint64_t)buf;
    r.gpr[4] = 0;
    ldst_exec(LDST_X31(XO_LSWX, 3, 3, 4), &r, LDST_BE);
    TEST_EQ(ldst_trap.count, 0);
    TEST_EQ(r.gpr[3], (uint64_t)buf);
    printf("lswx r3,r3,r4 bc=0: nothing (r3 %s)\n", r.gpr[3] == (uint64_t)buf ? "kept" : "lost");
    /* lswx with RA = 0 in the range (wrapping to r0) is valid */
    fill_pattern();
    regs_init(&r);
    r.gpr[4] = (uint64_t)buf;
    r.xer = 12;
    ldst_exec(LDST_X31(XO_LSWX, 30, 0, 4), &r, LDST_BE);
    check_lsw("lswx r30,0,r4 12", &r, 30, 12, 0);
}

static void test_stores(void)
{
    struct ldst_regs r;
    static const struct { const char *name; unsigned rs, n, indexed; } ops[] = {
        { "stswi r5,nb=6", 5, 6, 0 }, { "stswi r24,nb=0", 24, 32, 0 },
        { "stswi r31,nb=7", 31, 7, 0 }, { "stswx r5,bc=5", 5, 5, 1 },
        { "stswx r6,bc=8", 6, 8, 1 }, { "stswx r5,bc=0", 5, 0, 1 },
    };
    uint8_t want[BUF_SIZE];
    unsigned i, k;

    test_begin("string stores (big-endian)");
    for (i = 0; i < COUNT(ops); i++) {
        unsigned n = ops[i].n;
        memset(buf, FILL, BUF_SIZE);
        memset(want, FILL, BUF_SIZE);
        regs_init(&r);
        for (k = 0; k < 32; k++)
            if (k != 3 && k != 4)
                r.gpr[k] = 0xf0f0f0f000000000UL | (0x01010101U * (k + 1));
        r.gpr[3] = (uint64_t)buf + 8;
        r.gpr[4] = 4;
        for (k = 0; k < n; k++) {
            unsigned reg = (ops[i].rs + k / 4) % 32;
            want[8 + (ops[i].indexed ? 4 : 0) + k] = (uint8_t)(r.gpr[reg] >> (24 - 8 * (k % 4)));
        }
        r.xer = ops[i].indexed ? n : 0;
        ldst_exec(ops[i].indexed ? LDST_X31(XO_STSWX, ops[i].rs, 3, 4)
                                 : LDST_X31(XO_STSWI, ops[i].rs, 3, n % 32), &r, LDST_BE);
        TEST_EQ(ldst_trap.count, 0);
        TEST_EQ(memcmp(buf, want, BUF_SIZE), 0);
        printf("%-16s mem=", ops[i].name);
        for (k = 7; k < 8 + 4 + n + 1 && k < BUF_SIZE; k++)
            printf("%02x", buf[k]);
        printf("\n");
    }
}

/* ---- invalid forms (big-endian): illegal-instruction program interrupt ----------------- */

static void test_invalid(void)
{
    static const struct { const char *name; uint32_t word; unsigned bc; int illegal; } cases[] = {
        { "lswi ra in range", LDST_X31(XO_LSWI, 3, 4, 8), 0, 1 },
        { "lswi ra=rt",       LDST_X31(XO_LSWI, 4, 4, 1), 0, 1 },
        { "lswi ra=0 wrap",   LDST_X31(XO_LSWI, 31, 0, 8), 0, 1 },
        { "lswi ra after",    LDST_X31(XO_LSWI, 3, 4, 4), 0, 0 },
        { "lswx ra in range", LDST_X31(XO_LSWX, 3, 4, 5), 8, 1 },
        { "lswx rb in range", LDST_X31(XO_LSWX, 4, 3, 5), 8, 1 },
        { "lswx rb=rt",       LDST_X31(XO_LSWX, 5, 3, 5), 1, 1 },
        { "lswx bc=127",      LDST_X31(XO_LSWX, 8, 3, 5), 127, 1 },
        { "lswx bc=0 rb=rt",  LDST_X31(XO_LSWX, 5, 3, 5), 0, 0 },
        { "stswi ra in range", LDST_X31(XO_STSWI, 3, 4, 8), 0, 0 },
    };
    struct ldst_regs r, before;
    unsigned i;

    test_begin("invalid forms (big-endian)");
    for (i = 0; i < COUNT(cases); i++) {
        fill_pattern();
        regs_init(&r);
        r.gpr[3] = (uint64_t)buf;
        r.gpr[4] = (uint64_t)buf + 8;
        r.gpr[5] = 4;
        r.xer = cases[i].bc;
        before = r;
        ldst_exec(cases[i].word, &r, LDST_BE);
        if (cases[i].illegal) {
            LDST_CHECK_TRAP(FW_VEC_PROGRAM, 0, FW_SRR1_PROGRAM_ILLEGAL);
            TEST_EQ(memcmp(r.gpr, before.gpr, sizeof(r.gpr)), 0);
        } else {
            TEST_EQ(ldst_trap.count, 0);
        }
        printf("%-18s %s\n", cases[i].name, ldst_trap.count ? "illegal" : "runs");
    }
}

/* ---- little-endian: alignment interrupt ------------------------------------------- */

static void test_little_endian(void)
{
    static const struct { const char *name; uint32_t word; unsigned bc; } cases[] = {
        { "lswi r5,r3,8",  LDST_X31(XO_LSWI, 5, 3, 8), 0 },
        { "lswx r7,r3,r4", LDST_X31(XO_LSWX, 7, 3, 4), 8 },
        { "lswx bc=0",     LDST_X31(XO_LSWX, 7, 3, 4), 0 },
        { "lswi invalid",  LDST_X31(XO_LSWI, 3, 3, 8), 0 },
        { "stswi r5,r3,8", LDST_X31(XO_STSWI, 5, 3, 8), 0 },
        { "stswx r9,r3,r4", LDST_X31(XO_STSWX, 9, 3, 4), 8 },
    };
    struct ldst_regs r, before;
    uint8_t copy[BUF_SIZE];
    unsigned i;

    test_begin("little-endian: alignment interrupt");
    for (i = 0; i < COUNT(cases); i++) {
        fill_pattern();
        memcpy(copy, buf, BUF_SIZE);
        regs_init(&r);
        r.gpr[3] = (uint64_t)buf;
        r.gpr[4] = 8;
        r.xer = cases[i].bc;
        before = r;
        ldst_exec(cases[i].word, &r, LDST_LE);
        LDST_CHECK_TRAP(FW_VEC_ALIGNMENT, 0, 0);
        TEST_EQ(ldst_trap.dar, LDST_DAR_INIT);
        TEST_EQ(ldst_trap.dsisr, (cases[i].word >> 16) & 0x3ff);
        TEST_EQ(memcmp(r.gpr, before.gpr, sizeof(r.gpr)), 0);
        TEST_EQ(memcmp(buf, copy, BUF_SIZE), 0);
        printf("%-16s vec=%lx srr1=%lx dar=%s dsisr=%lx\n", cases[i].name, ldst_trap.vec,
               ldst_trap.srr1 & LDST_SRR1_CAUSE,
               ldst_trap.dar == LDST_DAR_INIT ? "unchanged" : "written", ldst_trap.dsisr);
    }
    /* the bits are OR-ed into the old DSISR */
    ldst_dsisr_init = 0x0a000001UL;
    regs_init(&r);
    r.gpr[3] = (uint64_t)buf;
    ldst_exec(LDST_X31(XO_LSWI, 5, 3, 8), &r, LDST_LE);
    ldst_dsisr_init = 0;
    TEST_EQ(ldst_trap.dsisr, 0x0a000001UL | (5 << 5) | 3);
    printf("lswi LE, old DSISR 0a000001: dsisr=%lx\n", ldst_trap.dsisr);
}

/* ---- reserved bit: Rc = 1 is illegal on QEMU 7.2 -------------------------------- */

static void test_reserved(void)
{
    static const struct { const char *name; uint32_t word; } cases[] = {
        { "lswi rc=1",  LDST_X31(XO_LSWI, 5, 3, 8) | LDST_RC },
        { "lswx rc=1",  LDST_X31(XO_LSWX, 5, 3, 4) | LDST_RC },
        { "stswi rc=1", LDST_X31(XO_STSWI, 5, 3, 8) | LDST_RC },
        { "stswx rc=1", LDST_X31(XO_STSWX, 5, 3, 4) | LDST_RC },
    };
    struct ldst_regs r;
    unsigned i;

    test_begin("reserved bits");
    for (i = 0; i < COUNT(cases); i++) {
        regs_init(&r);
        r.gpr[3] = (uint64_t)buf;
        r.gpr[4] = 8;
        r.xer = 4;
        ldst_exec(cases[i].word, &r, LDST_BE);
        LDST_CHECK_TRAP(FW_VEC_PROGRAM, 0, FW_SRR1_PROGRAM_ILLEGAL);
        printf("%-10s %08x %s\n", cases[i].name, cases[i].word,
               ldst_trap.count ? "illegal" : "runs");
    }
}

int main(void)
{
    test_loads();
    test_stores();
    test_invalid();
    test_little_endian();
    test_reserved();
    return test_report();
}
