/*
 * align.c - unaligned loads and stores (Power ISA v3.0B Book I 1.11.1:
 * POWER9 and QEMU perform them, no alignment interrupt), including
 * accesses that cross a 4 KiB page boundary, in both byte orders: the
 * plain D/X forms of every size, sign-extending forms, byte-reverse, lq/stq
 * and (big-endian) load/store multiple and string.
 *
 * The buffer is two pages; every access is placed so that it starts k
 * bytes before the page boundary (k = 1..size-1 crosses it) or at an odd
 * offset inside the first page.  Lines print the value loaded / the bytes
 * around the boundary after a store; each is checked against the buffer.
 */
#include "ldst_exec.h"

#define COUNT(t)     (sizeof(t) / sizeof((t)[0]))
#define PAGE         4096
#define REG_INIT(i)  (0x5a5a000000000000UL | (i))
#define STORE_VAL    0x0123456789abcdefUL
#define FILL         0xee

static uint8_t pages[2 * PAGE] __attribute__((aligned(PAGE)));
static const char *const mode_name[] = { "LE", "BE" };

static void fill_pattern(void)
{
    unsigned i;

    for (i = 0; i < 2 * PAGE; i++)
        pages[i] = (uint8_t)(0x80 ^ (i * 7));
}

static void regs_init(struct ldst_regs *r)
{
    unsigned i;

    memset(r, 0, sizeof(*r));
    for (i = 0; i < 32; i++)
        r->gpr[i] = REG_INIT(i);
}

static uint64_t sext(uint64_t v, unsigned size)
{
    unsigned sh = 64 - 8 * size;

    return (uint64_t)((int64_t)(v << sh) >> sh);
}

struct op {
    const char *name;
    unsigned xo;                 /* X-form extended opcode, RT=5 RA=3 RB=4 */
    unsigned size;
    int store, sign, reverse;
};

static const struct op ops[] = {
    { "lhzx", 279, 2, 0, 0, 0 }, { "lhax", 343, 2, 0, 1, 0 }, { "lwzx", 23, 4, 0, 0, 0 },
    { "lwax", 341, 4, 0, 1, 0 }, { "ldx", 21, 8, 0, 0, 0 },
    { "lhbrx", 790, 2, 0, 0, 1 }, { "lwbrx", 534, 4, 0, 0, 1 }, { "ldbrx", 532, 8, 0, 0, 1 },
    { "sthx", 407, 2, 1, 0, 0 }, { "stwx", 151, 4, 1, 0, 0 }, { "stdx", 149, 8, 1, 0, 0 },
    { "sthbrx", 918, 2, 1, 0, 1 }, { "stwbrx", 662, 4, 1, 0, 1 }, { "stdbrx", 660, 8, 1, 0, 1 },
};

/* Runs op at pages + off; checks and prints. */
static void run_op(const struct op *op, unsigned off, unsigned mode)
{
    struct ldst_regs r;
    int be = (mode & LDST_BE) != 0, order = op->reverse ? !be : be;
    uint8_t want[16];
    unsigned i;

    fill_pattern();
    regs_init(&r);
    r.gpr[3] = (uint64_t)pages;
    r.gpr[4] = off;
    r.gpr[5] = STORE_VAL;
    memcpy(want, pages + off - 4, sizeof(want));
    if (op->store)
        ldst_put(want + 4, op->size, order, STORE_VAL);
    TEST_EQ(ldst_exec(LDST_X31(op->xo, 5, 3, 4), &r, mode), 0);
    printf("%-6s %s %s%-4d ", op->name, mode_name[be], off < PAGE ? "page-" : "page+",
           off < PAGE ? (int)(PAGE - off) : (int)(off - PAGE));
    if (op->store) {
        TEST_EQ(memcmp(pages + off - 4, want, sizeof(want)), 0);
        for (i = 0; i < op->size + 2; i++)
            printf("%02x", pages[off - 1 + i]);
        printf("\n");
    } else {
        uint64_t v = ldst_get(pages + off, op->size, order);
        TEST_EQ(r.gpr[5], op->sign ? sext(v, op->size) : v);
        printf("%016llx\n", (unsigned long long)r.gpr[5]);
    }
}

static void test_plain(void)
{
    unsigned i, k, mode;

    test_begin("unaligned and page-crossing");
    for (mode = LDST_LE; mode <= LDST_BE; mode++) {
        for (i = 0; i < COUNT(ops); i++) {
            run_op(&ops[i], PAGE + 1, mode);            /* inside the second page, odd */
            for (k = 1; k < ops[i].size; k++)
                run_op(&ops[i], PAGE - k, mode);        /* crosses the boundary */
        }
    }
}

/* D-form and update forms across the boundary: RA = the boundary, d < 0. */
static void test_dform(void)
{
    static const struct {
        const char *name;
        uint32_t word;
        int disp;
        unsigned size, update, store, sign;
    } d[] = {
        { "lwzu r5,-3(r3)", LDST_D(33, 5, 3, -3), -3, 4, 1, 0, 0 },
        { "lhau r5,-1(r3)", LDST_D(43, 5, 3, -1), -1, 2, 1, 0, 1 },
        { "ldu r5,-4(r3)",  LDST_DS(58, 5, 3, -4, 1), -4, 8, 1, 0, 0 },
        { "lwa r5,-4(r3)",  LDST_DS(58, 5, 3, -4, 2), -4, 4, 0, 0, 1 },
        { "stdu r5,-4(r3)", LDST_DS(62, 5, 3, -4, 1), -4, 8, 1, 1, 0 },
        { "sthu r5,-1(r3)", LDST_D(45, 5, 3, -1), -1, 2, 1, 1, 0 },
    };
    struct ldst_regs r;
    unsigned i, mode;

    test_begin("D forms across the boundary");
    for (mode = LDST_LE; mode <= LDST_BE; mode++) {
        for (i = 0; i < COUNT(d); i++) {
            uint64_t base = (uint64_t)pages + PAGE, ea = base + (uint64_t)(int64_t)d[i].disp;
            uint64_t v;
            fill_pattern();
            v = ldst_get((void *)ea, d[i].size, mode);
            regs_init(&r);
            r.gpr[3] = base;
            r.gpr[5] = STORE_VAL;
            TEST_EQ(ldst_exec(d[i].word, &r, mode), 0);
            if (d[i].store)
                TEST_EQ(ldst_get((void *)ea, d[i].size, mode),
                        STORE_VAL & (~0UL >> (64 - 8 * d[i].size)));
            else
                TEST_EQ(r.gpr[5], d[i].sign ? sext(v, d[i].size) : v);
            TEST_EQ(r.gpr[3], d[i].update ? ea : base);
            printf("%-15s %s r5=%016llx ra=%s mem=%016llx\n", d[i].name, mode_name[mode],
                   (unsigned long long)r.gpr[5],
                   r.gpr[3] == ea ? "ea" : r.gpr[3] == base ? "kept" : "?",
                   (unsigned long long)ldst_get((void *)(base - 4), 8, 1));
        }
    }
}

/* lq/stq, lmw/stmw and string across the boundary. */
static void test_multi(void)
{
    struct ldst_regs r;
    unsigned mode, i;

    test_begin("lq/stq, multiple and string across the boundary");
    for (mode = LDST_LE; mode <= LDST_BE; mode++) {
        int be = mode == LDST_BE;
        fill_pattern();
        regs_init(&r);
        r.gpr[3] = (uint64_t)pages + PAGE - 12;
        TEST_EQ(ldst_exec(LDST_DQ(56, 8, 3, 0, 0), &r, mode), 0);
        TEST_EQ(r.gpr[8], ldst_get(pages + PAGE - (be ? 12 : 4), 8, be));
        TEST_EQ(r.gpr[9], ldst_get(pages + PAGE - (be ? 4 : 12), 8, be));
        printf("lq page-12 %s: %016llx %016llx\n", mode_name[mode],
               (unsigned long long)r.gpr[8], (unsigned long long)r.gpr[9]);
        r.gpr[8] = 0x0011223344556677UL;
        r.gpr[9] = 0x8899aabbccddeeffUL;
        TEST_EQ(ldst_exec(LDST_DS(62, 8, 3, 0, 2), &r, mode), 0);
        TEST_EQ(ldst_get(pages + PAGE - 12, 8, be), be ? r.gpr[8] : r.gpr[9]);
        TEST_EQ(ldst_get(pages + PAGE - 4, 8, be), be ? r.gpr[9] : r.gpr[8]);
        printf("stq page-12 %s: %016llx%016llx\n", mode_name[mode],
               (unsigned long long)ldst_get(pages + PAGE - 12, 8, 1),
               (unsigned long long)ldst_get(pages + PAGE - 4, 8, 1));
    }
    /* big-endian only: lmw r27,-6(r3) and lswi r20,r3,11 across the boundary */
    fill_pattern();
    regs_init(&r);
    r.gpr[3] = (uint64_t)pages + PAGE;
    TEST_EQ(ldst_exec(LDST_D(46, 27, 3, -6), &r, LDST_BE), 0);
    for (i = 27; i < 32; i++)
        TEST_EQ(r.gpr[i], ldst_get(pages + PAGE - 6 + 4 * (i - 27), 4, 1));
    printf("lmw r27,-6 BE: r27=%08llx r28=%08llx r31=%08llx\n", (unsigned long long)r.gpr[27],
           (unsigned long long)r.gpr[28], (unsigned long long)r.gpr[31]);
    for (i = 27; i < 32; i++)
        r.gpr[i] = 0x1111111111111111UL * (i - 26);
    TEST_EQ(ldst_exec(LDST_D(47, 27, 3, -7), &r, LDST_BE), 0);
    for (i = 27; i < 32; i++)
        TEST_EQ(ldst_get(pages + PAGE - 7 + 4 * (i - 27), 4, 1), 0x11111111U * (i - 26));
    printf("stmw r27,-7 BE: mem=%016llx\n", (unsigned long long)ldst_get(pages + PAGE - 4, 8, 1));
    r.gpr[3] = (uint64_t)pages + PAGE - 5;
    TEST_EQ(ldst_exec(LDST_X31(597, 20, 3, 11), &r, LDST_BE), 0);
    printf("lswi r20,11 BE: r20=%08llx r21=%08llx r22=%08llx\n", (unsigned long long)r.gpr[20],
           (unsigned long long)r.gpr[21], (unsigned long long)r.gpr[22]);
    TEST_EQ(r.gpr[22], ldst_get(pages + PAGE + 3, 3, 1) << 8);
}

int main(void)
{
    test_plain();
    test_dform();
    test_multi();
    return test_report();
}
