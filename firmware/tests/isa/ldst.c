/*
 * ldst.c - fixed-point loads and stores (Power ISA v3.0B Book I 3.3.2-3.3.7):
 * every D/DS/X form with and without update, in little- and big-endian
 * mode and in 32-bit mode, the invalid update forms, byte-reverse loads and
 * stores, lq/stq register-pair order, load/store multiple, and which
 * reserved-bit forms QEMU 7.2 treats as illegal.
 *
 * Each instruction runs alone through ldst_exec() (ldst_exec.h) on a
 * 64-byte buffer whose byte i is 0x80 + i, so halfwords and words are
 * negative in both byte orders and sign extension shows.  Lines print the
 * register results and the bytes stored; addresses are printed relative to
 * the buffer ("ea+0" = RA after an update points at the accessed byte).
 * Every line is also checked against the value computed here from the
 * buffer.
 */
#include "ldst_exec.h"

#define COUNT(t)  (sizeof(t) / sizeof((t)[0]))
#define BUF_SIZE  64
#define EA_OFF    16            /* every access below is at buf + EA_OFF */
#define STORE_VAL 0x8182838485868788UL
#define FILL      0xee
#define RT        5
#define RA        6
#define RB        7

static uint8_t buf[BUF_SIZE] __attribute__((aligned(64)));
static const char *const mode_name[] = { "LE", "BE" };

static void fill_pattern(void)
{
    unsigned i;

    for (i = 0; i < BUF_SIZE; i++)
        buf[i] = (uint8_t)(0x80 + i);
}

#define REG_INIT(i) (0x5a5a000000000000UL | (i))

static void regs_init(struct ldst_regs *r)
{
    unsigned i;

    memset(r, 0, sizeof(*r));
    for (i = 0; i < 32; i++)
        r->gpr[i] = REG_INIT(i);
}

/* ---- one form, both byte orders ---------------------------------------------- */

enum form { D, DS, X };

struct ldst_form {
    const char *name;
    enum form form;
    unsigned po;                /* primary opcode (D, DS) */
    unsigned xo;                /* DS: the 2-bit XO; X: the extended opcode */
    unsigned size;
    int sign;                   /* loads: sign-extending */
    int update;
};

static const struct ldst_form loads[] = {
    { "lbz",   D,  34, 0,   1, 0, 0 }, { "lbzu",  D,  35, 0,   1, 0, 1 },
    { "lhz",   D,  40, 0,   2, 0, 0 }, { "lhzu",  D,  41, 0,   2, 0, 1 },
    { "lha",   D,  42, 0,   2, 1, 0 }, { "lhau",  D,  43, 0,   2, 1, 1 },
    { "lwz",   D,  32, 0,   4, 0, 0 }, { "lwzu",  D,  33, 0,   4, 0, 1 },
    { "lwa",   DS, 58, 2,   4, 1, 0 }, { "ld",    DS, 58, 0,   8, 0, 0 },
    { "ldu",   DS, 58, 1,   8, 0, 1 },
    { "lbzx",  X,  31, 87,  1, 0, 0 }, { "lbzux", X,  31, 119, 1, 0, 1 },
    { "lhzx",  X,  31, 279, 2, 0, 0 }, { "lhzux", X,  31, 311, 2, 0, 1 },
    { "lhax",  X,  31, 343, 2, 1, 0 }, { "lhaux", X,  31, 375, 2, 1, 1 },
    { "lwzx",  X,  31, 23,  4, 0, 0 }, { "lwzux", X,  31, 55,  4, 0, 1 },
    { "lwax",  X,  31, 341, 4, 1, 0 }, { "lwaux", X,  31, 373, 4, 1, 1 },
    { "ldx",   X,  31, 21,  8, 0, 0 }, { "ldux",  X,  31, 53,  8, 0, 1 },
};

static const struct ldst_form stores[] = {
    { "stb",   D,  38, 0,   1, 0, 0 }, { "stbu",  D,  39, 0,   1, 0, 1 },
    { "sth",   D,  44, 0,   2, 0, 0 }, { "sthu",  D,  45, 0,   2, 0, 1 },
    { "stw",   D,  36, 0,   4, 0, 0 }, { "stwu",  D,  37, 0,   4, 0, 1 },
    { "std",   DS, 62, 0,   8, 0, 0 }, { "stdu",  DS, 62, 1,   8, 0, 1 },
    { "stbx",  X,  31, 215, 1, 0, 0 }, { "stbux", X,  31, 247, 1, 0, 1 },
    { "sthx",  X,  31, 407, 2, 0, 0 }, { "sthux", X,  31, 439, 2, 0, 1 },
    { "stwx",  X,  31, 151, 4, 0, 0 }, { "stwux", X,  31, 183, 4, 0, 1 },
    { "stdx",  X,  31, 149, 8, 0, 0 }, { "stdux", X,  31, 181, 8, 0, 1 },
};

/* The word for f with RT/RS = rt, RA = ra, RB = rb or displacement d. */
static uint32_t encode(const struct ldst_form *f, unsigned rt, unsigned ra, unsigned rb, int d)
{
    switch (f->form) {
    case D:  return LDST_D(f->po, rt, ra, d);
    case DS: return LDST_DS(f->po, rt, ra, d, f->xo);
    default: return LDST_X31(f->xo, rt, ra, rb);
    }
}

/* Registers for an access at base + off: D forms RA = base + off + 8 with
 * d = -8 (a negative displacement), X forms RA = base + off - 24, RB = 24. */
static uint32_t setup(const struct ldst_form *f, struct ldst_regs *r, uint64_t base, unsigned off)
{
    if (f->form == X) {
        r->gpr[RA] = base + off - 24;
        r->gpr[RB] = 24;
    } else {
        r->gpr[RA] = base + off + 8;
    }
    return encode(f, RT, RA, RB, -8);
}

static void check_ra(const struct ldst_form *f, const struct ldst_regs *r, uint64_t ra_before,
                     uint64_t ea)
{
    TEST_EQ(r->gpr[RA], f->update ? ea : ra_before);
    if (f->form == X)
        TEST_EQ(r->gpr[RB], 24);
}

static void test_load(const struct ldst_form *f, unsigned mode)
{
    struct ldst_regs r;
    uint64_t base = (uint64_t)buf, ea = base + EA_OFF, want, ra;
    int be = mode & LDST_BE;
    uint32_t w;

    fill_pattern();
    regs_init(&r);
    w = setup(f, &r, base, EA_OFF);
    ra = r.gpr[RA];
    want = ldst_get(buf + EA_OFF, f->size, be);
    if (f->sign)
        want = (uint64_t)((int64_t)(want << (64 - 8 * f->size)) >> (64 - 8 * f->size));
    TEST_EQ(ldst_exec(w, &r, mode), 0);
    TEST_EQ(r.gpr[RT], want);
    check_ra(f, &r, ra, ea);
    printf("%-6s %s rt=%016llx%s\n", f->name, mode_name[be], (unsigned long long)r.gpr[RT],
           f->update ? (r.gpr[RA] == ea ? " ra=ea" : " ra=?") : "");
}

static void test_store(const struct ldst_form *f, unsigned mode)
{
    struct ldst_regs r;
    uint64_t base = (uint64_t)buf, ea = base + EA_OFF, ra;
    int be = mode & LDST_BE;
    uint8_t want[BUF_SIZE];
    unsigned i;
    uint32_t w;

    memset(buf, FILL, BUF_SIZE);
    memset(want, FILL, BUF_SIZE);
    ldst_put(want + EA_OFF, f->size, be, STORE_VAL);
    regs_init(&r);
    w = setup(f, &r, base, EA_OFF);
    ra = r.gpr[RA];
    r.gpr[RT] = STORE_VAL;
    TEST_EQ(ldst_exec(w, &r, mode), 0);
    TEST_EQ(memcmp(buf, want, BUF_SIZE), 0);
    check_ra(f, &r, ra, ea);
    printf("%-6s %s mem=", f->name, mode_name[be]);
    for (i = EA_OFF - 1; i < EA_OFF + f->size + 1; i++)
        printf("%02x", buf[i]);
    printf("%s\n", f->update ? (r.gpr[RA] == ea ? " ra=ea" : " ra=?") : "");
}

static void test_forms(void)
{
    unsigned i, mode;

    test_begin("loads");
    for (mode = LDST_LE; mode <= LDST_BE; mode++)
        for (i = 0; i < COUNT(loads); i++)
            test_load(&loads[i], mode);
    test_begin("stores");
    for (mode = LDST_LE; mode <= LDST_BE; mode++)
        for (i = 0; i < COUNT(stores); i++)
            test_store(&stores[i], mode);
}

/* ---- special operands ----------------------------------------------------------- */

static void test_operands(void)
{
    struct ldst_regs r;
    uint64_t base = (uint64_t)buf;

    test_begin("operands");
    /* RA = 0: EA = RB (X) */
    fill_pattern();
    regs_init(&r);
    r.gpr[RB] = base + 8;
    TEST_EQ(ldst_exec(LDST_X31(21, RT, 0, RB), &r, LDST_LE), 0);       /* ldx r5,0,r7 */
    TEST_EQ(r.gpr[RT], ldst_get(buf + 8, 8, 0));
    printf("ldx ra=0: rt=%016llx\n", (unsigned long long)r.gpr[RT]);
    /* store with update, RS = RA: the old RA is stored, then RA = EA */
    memset(buf, FILL, BUF_SIZE);
    regs_init(&r);
    r.gpr[RA] = base;
    TEST_EQ(ldst_exec(LDST_DS(62, RA, RA, 8, 1), &r, LDST_LE), 0);     /* stdu r6,8(r6) */
    TEST_EQ(ldst_get(buf + 8, 8, 0), base);
    TEST_EQ(r.gpr[RA], base + 8);
    printf("stdu rs=ra: stored old ra %d, ra=ea %d\n", ldst_get(buf + 8, 8, 0) == base,
           r.gpr[RA] == base + 8);
    /* RT = RB for an update load is valid */
    fill_pattern();
    regs_init(&r);
    r.gpr[RA] = base;
    r.gpr[RB] = 4;
    TEST_EQ(ldst_exec(LDST_X31(55, RB, RA, RB), &r, LDST_BE), 0);      /* lwzux r7,r6,r7 */
    TEST_EQ(r.gpr[RB], ldst_get(buf + 4, 4, 1));
    TEST_EQ(r.gpr[RA], base + 4);
    printf("lwzux rt=rb: rt=%08llx ra=ea %d\n", (unsigned long long)r.gpr[RB],
           r.gpr[RA] == base + 4);
}

/* ---- 32-bit mode: EA and RA updates are 32 bits -------------------------------- */

static void test_mode32(void)
{
    struct ldst_regs r;
    uint64_t base = (uint64_t)buf;
    const uint64_t high = 0xffffffff00000000UL;

    test_begin("32-bit mode");
    /* lwzu: RA's high word is ignored, RA <- the 32-bit EA */
    fill_pattern();
    regs_init(&r);
    r.gpr[RA] = high | (base + 8);
    TEST_EQ(ldst_exec(LDST_D(33, RT, RA, 8), &r, LDST_LE | LDST_M32), 0);
    TEST_EQ(r.gpr[RT], ldst_get(buf + 16, 4, 0));
    TEST_EQ(r.gpr[RA], base + 16);
    printf("lwzu m32: rt=%08llx ra=ea %d\n", (unsigned long long)r.gpr[RT], r.gpr[RA] == base + 16);
    /* ldux: RA + RB wraps at 2^32 */
    regs_init(&r);
    r.gpr[RA] = 0xfffffff0UL;
    r.gpr[RB] = base + 0x10 + 24;
    TEST_EQ(ldst_exec(LDST_X31(53, RT, RA, RB), &r, LDST_BE | LDST_M32), 0);
    TEST_EQ(r.gpr[RT], ldst_get(buf + 24, 8, 1));
    TEST_EQ(r.gpr[RA], base + 24);
    printf("ldux m32 wrap: rt=%016llx ra=ea %d\n", (unsigned long long)r.gpr[RT],
           r.gpr[RA] == base + 24);
    /* stwu with a negative displacement across 0: EA = 2^32 - 4 + 4 + base */
    memset(buf, FILL, BUF_SIZE);
    regs_init(&r);
    r.gpr[RA] = high | (base + 36);
    r.gpr[RT] = STORE_VAL;
    TEST_EQ(ldst_exec(LDST_D(37, RT, RA, -4), &r, LDST_LE | LDST_M32), 0);
    TEST_EQ(ldst_get(buf + 32, 4, 0), STORE_VAL & 0xffffffffUL);
    TEST_EQ(r.gpr[RA], base + 32);
    printf("stwu m32: mem=%08llx ra=ea %d\n", (unsigned long long)ldst_get(buf + 32, 4, 0),
           r.gpr[RA] == base + 32);
}

/* ---- invalid forms: illegal-instruction program interrupt (as QEMU 7.2) ---------- */

struct word_case {
    const char *name;
    uint32_t word;
};

static const struct word_case invalid_forms[] = {
    { "lbzu ra=0",    LDST_D(35, RT, 0, 8) },
    { "lbzu ra=rt",   LDST_D(35, RA, RA, 8) },
    { "lhzu ra=rt",   LDST_D(41, RA, RA, 8) },
    { "lhau ra=0",    LDST_D(43, RT, 0, 8) },
    { "lwzu ra=rt",   LDST_D(33, RA, RA, 8) },
    { "ldu ra=0",     LDST_DS(58, RT, 0, 8, 1) },
    { "ldu ra=rt",    LDST_DS(58, RA, RA, 8, 1) },
    { "lbzux ra=0",   LDST_X31(119, RT, 0, RB) },
    { "lhzux ra=rt",  LDST_X31(311, RA, RA, RB) },
    { "lhaux ra=rt",  LDST_X31(375, RA, RA, RB) },
    { "lwzux ra=0",   LDST_X31(55, RT, 0, RB) },
    { "lwaux ra=rt",  LDST_X31(373, RA, RA, RB) },
    { "ldux ra=rt",   LDST_X31(53, RA, RA, RB) },
    { "stbu ra=0",    LDST_D(39, RT, 0, 8) },
    { "sthu ra=0",    LDST_D(45, RT, 0, 8) },
    { "stwu ra=0",    LDST_D(37, RT, 0, 8) },
    { "stdu ra=0",    LDST_DS(62, RT, 0, 8, 1) },
    { "stbux ra=0",   LDST_X31(247, RT, 0, RB) },
    { "stdux ra=0",   LDST_X31(181, RT, 0, RB) },
    { "lq rt=ra",     LDST_DQ(56, 6, 6, 16, 0) },
    { "lq rt=ra=0",   LDST_DQ(56, 0, 0, 16, 0) },
};

static void test_invalid_forms(void)
{
    struct ldst_regs r, before;
    unsigned i;

    test_begin("invalid forms");
    for (i = 0; i < COUNT(invalid_forms); i++) {
        regs_init(&r);
        r.gpr[RA] = (uint64_t)buf;
        r.gpr[RB] = 8;
        before = r;
        ldst_exec(invalid_forms[i].word, &r, LDST_LE);
        LDST_CHECK_TRAP(FW_VEC_PROGRAM, 0, FW_SRR1_PROGRAM_ILLEGAL);
        TEST_EQ(memcmp(r.gpr, before.gpr, sizeof(r.gpr)), 0);
        printf("%-12s vec=%lx srr1=%lx\n", invalid_forms[i].name, ldst_trap.vec,
               ldst_trap.srr1 & LDST_SRR1_CAUSE);
    }
}

/* ---- reserved bits: which forms QEMU 7.2 runs and which are illegal ------------- */

struct rsv_case {
    const char *name;
    uint32_t word;
    int illegal;
};

#define X_RC(xo, rt, ra, rb) (LDST_X31(xo, rt, ra, rb) | LDST_RC)

static const struct rsv_case reserved[] = {
    { "lbzx rc=1",    X_RC(87, RT, 0, RB), 0 },   { "lhzx rc=1",   X_RC(279, RT, 0, RB), 0 },
    { "lhax rc=1",    X_RC(343, RT, 0, RB), 0 },  { "lwzx rc=1",   X_RC(23, RT, 0, RB), 0 },
    { "lwax rc=1",    X_RC(341, RT, 0, RB), 0 },  { "ldx rc=1",    X_RC(21, RT, 0, RB), 0 },
    { "lbzux rc=1",   X_RC(119, RT, RA, RB), 0 }, { "lhzux rc=1",  X_RC(311, RT, RA, RB), 0 },
    { "lhaux rc=1",   X_RC(375, RT, RA, RB), 0 }, { "lwzux rc=1",  X_RC(55, RT, RA, RB), 0 },
    { "lwaux rc=1",   X_RC(373, RT, RA, RB), 0 }, { "ldux rc=1",   X_RC(53, RT, RA, RB), 0 },
    { "stbx rc=1",    X_RC(215, RT, 0, RB), 0 },  { "sthx rc=1",   X_RC(407, RT, 0, RB), 0 },
    { "stwx rc=1",    X_RC(151, RT, 0, RB), 0 },  { "stdx rc=1",   X_RC(149, RT, 0, RB), 0 },
    { "stbux rc=1",   X_RC(247, RT, RA, RB), 0 }, { "sthux rc=1",  X_RC(439, RT, RA, RB), 0 },
    { "stwux rc=1",   X_RC(183, RT, RA, RB), 0 }, { "stdux rc=1",  X_RC(181, RT, RA, RB), 0 },
    { "lhbrx rc=1",   X_RC(790, RT, 0, RB), 1 },  { "lwbrx rc=1",  X_RC(534, RT, 0, RB), 1 },
    { "ldbrx rc=1",   X_RC(532, RT, 0, RB), 1 },  { "sthbrx rc=1", X_RC(918, RT, 0, RB), 0 },
    { "stwbrx rc=1",  X_RC(662, RT, 0, RB), 0 },  { "stdbrx rc=1", X_RC(660, RT, 0, RB), 0 },
    { "po58 xo=3",    LDST_DS(58, RT, RA, 8, 3), 1 },
    { "po62 xo=3",    LDST_DS(62, RT, RA, 8, 3), 1 },
    { "lq dq low=5",  LDST_DQ(56, 8, RA, 16, 5), 0 },
    { "lq rt odd",    LDST_DQ(56, 9, RA, 16, 0), 1 },
    { "stq rs odd",   LDST_DS(62, 9, RA, 16, 2), 1 },
    { "stq rs=ra",    LDST_DS(62, RA, RA, 16, 2), 0 },
};

static void test_reserved(void)
{
    struct ldst_regs r;
    unsigned i;

    test_begin("reserved bits");
    for (i = 0; i < COUNT(reserved); i++) {
        fill_pattern();
        regs_init(&r);
        r.gpr[RA] = (uint64_t)buf;
        r.gpr[RB] = (uint64_t)buf + 16;
        ldst_exec(reserved[i].word, &r, LDST_LE);
        if (reserved[i].illegal)
            LDST_CHECK_TRAP(FW_VEC_PROGRAM, 0, FW_SRR1_PROGRAM_ILLEGAL);
        else
            TEST_EQ(ldst_trap.count, 0);
        printf("%-12s %08x %s\n", reserved[i].name, reserved[i].word,
               ldst_trap.count ? "illegal" : "runs");
    }
    /* lq ignores DQ bits 28:31: same result as without them */
    fill_pattern();
    regs_init(&r);
    r.gpr[RA] = (uint64_t)buf;
    ldst_exec(LDST_DQ(56, 8, RA, 16, 0xf), &r, LDST_BE);
    TEST_EQ(r.gpr[8], ldst_get(buf + 16, 8, 1));
    TEST_EQ(r.gpr[9], ldst_get(buf + 24, 8, 1));
    printf("lq dq low=f: rt=%016llx\n", (unsigned long long)r.gpr[8]);
}

/* ---- byte-reverse (Book I 3.3.6) ------------------------------------------------------ */

static void test_byte_reverse(void)
{
    static const struct { const char *name; unsigned xo, size, store; } ops[] = {
        { "lhbrx", 790, 2, 0 }, { "lwbrx", 534, 4, 0 }, { "ldbrx", 532, 8, 0 },
        { "sthbrx", 918, 2, 1 }, { "stwbrx", 662, 4, 1 }, { "stdbrx", 660, 8, 1 },
    };
    struct ldst_regs r;
    unsigned i, mode;

    test_begin("byte-reverse");
    for (mode = LDST_LE; mode <= LDST_BE; mode++) {
        for (i = 0; i < COUNT(ops); i++) {
            int rev_be = !(mode & LDST_BE);     /* the opposite of the mode's order */
            fill_pattern();
            regs_init(&r);
            r.gpr[RA] = (uint64_t)buf;
            r.gpr[RB] = EA_OFF;
            r.gpr[RT] = STORE_VAL;
            TEST_EQ(ldst_exec(LDST_X31(ops[i].xo, RT, RA, RB), &r, mode), 0);
            if (ops[i].store) {
                TEST_EQ(ldst_get(buf + EA_OFF, ops[i].size, rev_be),
                        STORE_VAL & (~0UL >> (64 - 8 * ops[i].size)));
                printf("%-6s %s mem=%016llx\n", ops[i].name, mode_name[mode],
                       (unsigned long long)ldst_get(buf + EA_OFF, 8, 1));
            } else {
                TEST_EQ(r.gpr[RT], ldst_get(buf + EA_OFF, ops[i].size, rev_be));
                printf("%-6s %s rt=%016llx\n", ops[i].name, mode_name[mode],
                       (unsigned long long)r.gpr[RT]);
            }
        }
    }
}

/* ---- lq/stq (Book I 3.3.5): RT = high doubleword, at EA+8 in LE mode ------------------ */

static void test_quad(void)
{
    struct ldst_regs r;
    unsigned mode;

    test_begin("lq/stq");
    for (mode = LDST_LE; mode <= LDST_BE; mode++) {
        int be = mode & LDST_BE;
        fill_pattern();
        regs_init(&r);
        r.gpr[RA] = (uint64_t)buf + 32;
        TEST_EQ(ldst_exec(LDST_DQ(56, 8, RA, -16, 0), &r, mode), 0);      /* lq r8,-16(r6) */
        TEST_EQ(r.gpr[8], ldst_get(buf + (be ? 16 : 24), 8, be));
        TEST_EQ(r.gpr[9], ldst_get(buf + (be ? 24 : 16), 8, be));
        printf("lq  %s rt=%016llx rt+1=%016llx\n", mode_name[mode],
               (unsigned long long)r.gpr[8], (unsigned long long)r.gpr[9]);

        memset(buf, FILL, BUF_SIZE);
        r.gpr[10] = 0x0001020304050607UL;
        r.gpr[11] = 0x08090a0b0c0d0e0fUL;
        TEST_EQ(ldst_exec(LDST_DS(62, 10, RA, 0, 2), &r, mode), 0);       /* stq r10,0(r6) */
        TEST_EQ(ldst_get(buf + 32, 8, be), be ? r.gpr[10] : r.gpr[11]);
        TEST_EQ(ldst_get(buf + 40, 8, be), be ? r.gpr[11] : r.gpr[10]);
        printf("stq %s mem=%016llx%016llx\n", mode_name[mode],
               (unsigned long long)ldst_get(buf + 32, 8, 1),
               (unsigned long long)ldst_get(buf + 40, 8, 1));
    }
    /* QEMU 7.2 (and POWER9 in this respect) needs no quadword alignment for lq */
    fill_pattern();
    regs_init(&r);
    r.gpr[RA] = (uint64_t)buf + 4;
    TEST_EQ(ldst_exec(LDST_DQ(56, 8, RA, 0, 0), &r, LDST_BE), 0);
    TEST_EQ(r.gpr[8], ldst_get(buf + 4, 8, 1));
    printf("lq +4 BE rt=%016llx\n", (unsigned long long)r.gpr[8]);
}

/* ---- load/store multiple (Book I 3.3.7) --------------------------------------------- */

static void test_multiple(void)
{
    struct ldst_regs r;
    unsigned i;
    int ok = 1;

    test_begin("lmw/stmw");
    /* big-endian: lmw r26,8(r6) loads 6 words, high halves cleared */
    fill_pattern();
    regs_init(&r);
    r.gpr[RA] = (uint64_t)buf;
    TEST_EQ(ldst_exec(LDST_D(46, 26, RA, 8), &r, LDST_BE), 0);
    for (i = 26; i < 32; i++)
        ok &= TEST_EQ(r.gpr[i], ldst_get(buf + 8 + 4 * (i - 26), 4, 1));
    printf("lmw r26 BE: r26=%08llx r31=%08llx %s\n", (unsigned long long)r.gpr[26],
           (unsigned long long)r.gpr[31], ok ? "ok" : "bad");
    /* stmw r28,1(r6): unaligned is fine in big-endian mode */
    memset(buf, FILL, BUF_SIZE);
    for (i = 28; i < 32; i++)
        r.gpr[i] = 0xa0a0a0a000000000UL | (0x11111111U * (i - 27));
    TEST_EQ(ldst_exec(LDST_D(47, 28, RA, 1), &r, LDST_BE), 0);
    for (i = 28; i < 32; i++)
        TEST_EQ(ldst_get(buf + 1 + 4 * (i - 28), 4, 1), 0x11111111U * (i - 27));
    printf("stmw r28 BE +1: mem=%016llx%016llx\n", (unsigned long long)ldst_get(buf, 8, 1),
           (unsigned long long)ldst_get(buf + 8, 8, 1));
    /* RA in the loaded range is not rejected: registers load in order from the first EA */
    fill_pattern();
    regs_init(&r);
    r.gpr[29] = (uint64_t)buf;
    TEST_EQ(ldst_exec(LDST_D(46, 28, 29, 0), &r, LDST_BE), 0);
    TEST_EQ(r.gpr[29], ldst_get(buf + 4, 4, 1));
    TEST_EQ(r.gpr[31], ldst_get(buf + 12, 4, 1));
    printf("lmw r28,0(r29) BE: r29=%08llx r31=%08llx\n", (unsigned long long)r.gpr[29],
           (unsigned long long)r.gpr[31]);
    /* little-endian: alignment interrupt, DAR unchanged, DSISR[54:63] = RT||RA */
    for (i = 0; i < 2; i++) {
        uint32_t w = i ? LDST_D(47, 28, RA, 0) : LDST_D(46, 26, RA, 8);
        regs_init(&r);
        r.gpr[RA] = (uint64_t)buf;
        ldst_exec(w, &r, LDST_LE);
        LDST_CHECK_TRAP(FW_VEC_ALIGNMENT, 0, 0);
        TEST_EQ(ldst_trap.dar, LDST_DAR_INIT);
        TEST_EQ(ldst_trap.dsisr, (w >> 16) & 0x3ff);
        TEST_EQ(r.gpr[26], REG_INIT(26));
        printf("%s LE: vec=%lx dar=%s dsisr=%lx\n", i ? "stmw" : "lmw", ldst_trap.vec,
               ldst_trap.dar == LDST_DAR_INIT ? "unchanged" : "written", ldst_trap.dsisr);
    }
    /* QEMU ORs those bits into the old DSISR */
    ldst_dsisr_init = 0x12340000UL;
    regs_init(&r);
    r.gpr[RA] = (uint64_t)buf;
    ldst_exec(LDST_D(46, 26, RA, 8), &r, LDST_LE);
    ldst_dsisr_init = 0;
    TEST_EQ(ldst_trap.dsisr, 0x12340000UL | (26 << 5) | RA);
    printf("lmw LE, old DSISR 12340000: dsisr=%lx\n", ldst_trap.dsisr);
}

int main(void)
{
    test_forms();
    test_operands();
    test_mode32();
    test_invalid_forms();
    test_reserved();
    test_byte_reverse();
    test_quad();
    test_multiple();
    return test_report();
}
