/*
 * cache.c - storage control (Power ISA v3.0B Book II chapter 4): dcbz
 * zeroes exactly its aligned 128-byte block; the cache hints and barriers
 * run without side effects (dcbt/dcbtst never fault, even on an address
 * with no storage); icbi makes rewritten instructions visible, both for a
 * routine rewritten between calls and for the very next instructions of
 * the running code; wait stops until an interrupt; and which reserved-bit
 * forms QEMU 7.2 treats as illegal.
 *
 * Faults of the cache instructions that do access storage (dcbz like a
 * store, dcbf/dcbst/icbi like a load) on a real address beyond RAM are in
 * ldst_mcheck.c.
 */
#include "ldst_exec.h"

#define COUNT(t)      (sizeof(t) / sizeof((t)[0]))
#define BLOCK         128
#define ZBUF_SIZE     (4 * BLOCK)
#define FILL          0xab
#define REG_INIT(i)   (0x5a5a000000000000UL | (i))
#define NO_STORAGE    0x40000000UL     /* 1 GiB: just past RAM with -m 1G */
#define DEC_WAIT      51200000UL       /* 100 ms at 512 MHz: long enough that QEMU (real time) reaches the wait even on a loaded host */

#define XO_DCBZ   1014
#define XO_DCBT   278
#define XO_DCBTST 246
#define XO_DCBF   86
#define XO_DCBST  54
#define XO_ICBI   982
#define XO_SYNC   598
#define XO_EIEIO  854
#define ISYNC     0x4c00012cu
#define WAIT      0x7c00003cu
#define CPABORT   0x7c00068cu

static uint8_t zbuf[ZBUF_SIZE] __attribute__((aligned(BLOCK)));
static const char *const mode_name[] = { "LE", "BE" };

static void regs_init(struct ldst_regs *r)
{
    unsigned i;

    memset(r, 0, sizeof(*r));
    for (i = 0; i < 32; i++)
        r->gpr[i] = REG_INIT(i);
}

/* ---- dcbz ------------------------------------------------------------------------ */

static void test_dcbz(void)
{
    static const unsigned offs[] = { 0x80, 0xc5, 0xff, 0x17f };
    struct ldst_regs r;
    unsigned i, j, mode;

    test_begin("dcbz");
    for (mode = LDST_LE; mode <= LDST_BE; mode++) {
        for (i = 0; i < COUNT(offs); i++) {
            unsigned block = offs[i] & ~(BLOCK - 1u), bad = 0;
            memset(zbuf, FILL, ZBUF_SIZE);
            regs_init(&r);
            r.gpr[3] = (uint64_t)zbuf + 0x40;
            r.gpr[4] = offs[i] - 0x40;
            TEST_EQ(ldst_exec(LDST_X31(XO_DCBZ, 0, 3, 4), &r, mode), 0);
            for (j = 0; j < ZBUF_SIZE; j++)
                bad += zbuf[j] != (j >= block && j < block + BLOCK ? 0 : FILL);
            TEST_EQ(bad, 0);
            printf("dcbz +%#x %s: zeroed +%#x..+%#x, %u bytes wrong\n", offs[i], mode_name[mode],
                   block, block + BLOCK - 1, bad);
        }
    }
    /* RA = 0: EA = RB */
    memset(zbuf, FILL, ZBUF_SIZE);
    regs_init(&r);
    r.gpr[4] = (uint64_t)zbuf + 0x101;
    TEST_EQ(ldst_exec(LDST_X31(XO_DCBZ, 0, 0, 4), &r, LDST_LE), 0);
    TEST_EQ(zbuf[0x100], 0);
    TEST_EQ(zbuf[0x17f], 0);
    TEST_EQ(zbuf[0xff], FILL);
    TEST_EQ(zbuf[0x180], FILL);
    printf("dcbz 0,rb: block +0x100 zeroed %d\n", zbuf[0x100] == 0 && zbuf[0x17f] == 0);
}

/* ---- hints and barriers: run, change nothing, never fault ------------------------ */

static void test_hints(void)
{
    static const struct { const char *name; uint32_t word; } ops[] = {
        { "dcbt",          LDST_X31(XO_DCBT, 0, 3, 4) },
        { "dcbt th=16",    LDST_X31(XO_DCBT, 16, 3, 4) },
        { "dcbt th=8",     LDST_X31(XO_DCBT, 8, 3, 4) },
        { "dcbtst",        LDST_X31(XO_DCBTST, 0, 3, 4) },
        { "dcbtst th=16",  LDST_X31(XO_DCBTST, 16, 3, 4) },
        { "dcbf",          LDST_X31(XO_DCBF, 0, 3, 4) },
        { "dcbfl",         LDST_X31(XO_DCBF, 1, 3, 4) },
        { "dcbst",         LDST_X31(XO_DCBST, 0, 3, 4) },
        { "icbi",          LDST_X31(XO_ICBI, 0, 3, 4) },
        { "sync",          LDST_X31(XO_SYNC, 0, 0, 0) },
        { "lwsync",        LDST_X31(XO_SYNC, 1, 0, 0) },
        { "ptesync",       LDST_X31(XO_SYNC, 2, 0, 0) },
        { "sync l=3",      LDST_X31(XO_SYNC, 3, 0, 0) },
        { "eieio",         LDST_X31(XO_EIEIO, 0, 0, 0) },
        { "eieio bit 6",   LDST_X31(XO_EIEIO, 16, 0, 0) },
        { "isync",         ISYNC },
        { "cpabort",       CPABORT },
    };
    struct ldst_regs r, before;
    unsigned i, pass;

    test_begin("hints and barriers");
    for (i = 0; i < COUNT(ops); i++) {
        memset(zbuf, FILL, ZBUF_SIZE);
        regs_init(&r);
        r.gpr[3] = (uint64_t)zbuf;
        r.gpr[4] = 0x90;
        r.cr = 0x12345678;
        r.xer = 0x20000000;
        before = r;
        TEST_EQ(ldst_exec(ops[i].word, &r, LDST_LE), 0);
        TEST_EQ(memcmp(&r, &before, sizeof(r)), 0);
        TEST_EQ(zbuf[0x90], FILL);
        printf("%-13s runs, no change %d\n", ops[i].name, memcmp(&r, &before, sizeof(r)) == 0);
    }
    /* the touch hints do not fault even where there is no storage */
    for (pass = 0; pass < 2; pass++) {
        static const uint64_t addrs[] = { NO_STORAGE + 0x88, 0xffffffffffff0000UL };
        for (i = 0; i < 3; i++) {
            uint32_t w = i == 0 ? LDST_X31(XO_DCBT, 0, 0, 4)
                       : i == 1 ? LDST_X31(XO_DCBTST, 0, 0, 4) : LDST_X31(XO_DCBT, 16, 0, 4);
            regs_init(&r);
            r.gpr[4] = addrs[pass];
            TEST_EQ(ldst_exec(w, &r, LDST_LE), 0);
            printf("%s at %016llx: %s\n", i == 1 ? "dcbtst" : "dcbt  ",
                   (unsigned long long)addrs[pass], ldst_trap.count ? "fault" : "no fault");
        }
    }
}

/* ---- reserved bits -------------------------------------------------------------- */

static void test_reserved(void)
{
    static const struct { const char *name; uint32_t word; int illegal; } cases[] = {
        { "dcbz rt=1",     LDST_X31(XO_DCBZ, 1, 3, 4), 0 },
        { "dcbz rt=2",     LDST_X31(XO_DCBZ, 2, 3, 4), 1 },
        { "dcbz rt=16",    LDST_X31(XO_DCBZ, 16, 3, 4), 1 },
        { "dcbz rc=1",     LDST_X31(XO_DCBZ, 0, 3, 4) | LDST_RC, 1 },
        { "dcbf l=2",      LDST_X31(XO_DCBF, 2, 3, 4), 1 },
        { "dcbf l=3",      LDST_X31(XO_DCBF, 3, 3, 4), 1 },
        { "dcbf bit 6",    LDST_X31(XO_DCBF, 16, 3, 4), 1 },
        { "dcbf rc=1",     LDST_X31(XO_DCBF, 0, 3, 4) | LDST_RC, 1 },
        { "dcbst rt=1",    LDST_X31(XO_DCBST, 1, 3, 4), 1 },
        { "dcbst rc=1",    LDST_X31(XO_DCBST, 0, 3, 4) | LDST_RC, 1 },
        { "dcbt rc=1",     LDST_X31(XO_DCBT, 0, 3, 4) | LDST_RC, 1 },
        { "dcbtst rc=1",   LDST_X31(XO_DCBTST, 0, 3, 4) | LDST_RC, 1 },
        { "icbi rt=1",     LDST_X31(XO_ICBI, 1, 3, 4), 1 },
        { "icbi rc=1",     LDST_X31(XO_ICBI, 0, 3, 4) | LDST_RC, 1 },
        { "icbt",          LDST_X31(22, 0, 3, 4), 1 },
        { "dcba",          LDST_X31(758, 0, 3, 4), 1 },
        { "dcbi rt=1",     LDST_X31(470, 1, 3, 4), 1 },
        { "dcbi rc=1",     LDST_X31(470, 0, 3, 4) | LDST_RC, 1 },
        { "sync bit 6",    LDST_X31(XO_SYNC, 16, 0, 0), 1 },
        { "sync bit 8",    LDST_X31(XO_SYNC, 4, 0, 0), 1 },
        { "sync ra",       LDST_X31(XO_SYNC, 0, 1, 0), 1 },
        { "sync rb",       LDST_X31(XO_SYNC, 0, 0, 1), 1 },
        { "sync rc=1",     LDST_X31(XO_SYNC, 0, 0, 0) | LDST_RC, 1 },
        { "eieio bit 7",   LDST_X31(XO_EIEIO, 8, 0, 0), 1 },
        { "eieio bit 10",  LDST_X31(XO_EIEIO, 1, 0, 0), 1 },
        { "eieio ra",      LDST_X31(XO_EIEIO, 0, 1, 0), 1 },
        { "eieio rc=1",    LDST_X31(XO_EIEIO, 0, 0, 0) | LDST_RC, 1 },
        { "isync rt",      ISYNC | (1u << 21), 1 },
        { "isync rb",      ISYNC | (1u << 11), 1 },
        { "isync rc=1",    ISYNC | LDST_RC, 1 },
        { "wait wc=1",     WAIT | (1u << 21), 1 },
        { "wait wc=3",     WAIT | (3u << 21), 1 },
        { "wait ra=4",     WAIT | (4u << 16), 1 },
        { "wait rb",       WAIT | (1u << 11), 1 },
        { "wait rc=1",     WAIT | LDST_RC, 1 },
        { "cpabort rt",    CPABORT | (1u << 21), 1 },
        { "cpabort rc=1",  CPABORT | LDST_RC, 1 },
        { "copy",          LDST_X31(774, 0, 3, 4), 1 },
        { "paste.",        LDST_X31(902, 0, 3, 4) | LDST_RC, 1 },
    };
    struct ldst_regs r;
    unsigned i;

    test_begin("reserved bits");
    for (i = 0; i < COUNT(cases); i++) {
        memset(zbuf, FILL, ZBUF_SIZE);
        regs_init(&r);
        r.gpr[3] = (uint64_t)zbuf;
        r.gpr[4] = 0x80;
        ldst_exec(cases[i].word, &r, LDST_LE);
        if (cases[i].illegal)
            LDST_CHECK_TRAP(FW_VEC_PROGRAM, 0, FW_SRR1_PROGRAM_ILLEGAL);
        else
            TEST_EQ(ldst_trap.count, 0);
        printf("%-13s %08x %s\n", cases[i].name, cases[i].word,
               ldst_trap.count ? "illegal" : "runs");
    }
}

/* ---- self-modifying code --------------------------------------------------------- */

#define LI_R3(v)   (0x38600000u | ((v) & 0xffff))     /* li r3,v */
#define BLR        0x4e800020u

static uint32_t smc[1024] __attribute__((aligned(4096)));   /* a code page of its own */

static unsigned long call_smc(void)
{
    unsigned long (*volatile fn)(void) = (unsigned long (*)(void))(uintptr_t)smc;

    return fn();
}

/* Write "li r3,v; blr" at smc[0], then dcbst/sync/icbi/sync/isync. */
static void smc_write(unsigned v)
{
    smc[0] = LI_R3(v);
    smc[1] = BLR;
    icache_sync(smc, 2 * sizeof(uint32_t));
}

static void test_smc(void)
{
    struct ldst_regs r;
    unsigned v, mode;

    test_begin("self-modifying code");
    for (v = 1; v <= 3; v++) {
        unsigned long got;
        smc_write(v);
        got = call_smc();
        TEST_EQ(got, v);
        printf("rewritten routine returns %lu\n", got);
    }
    /* rewrite an instruction a few words ahead of the running code:
     *   bcl 20,31,+4; mflr r12; addi r11,r12,24; stw r5,0(r11); sync;
     *   icbi 0,r11; isync; li r3,1   <- replaced by r5 = li r3,2 */
    for (mode = LDST_LE; mode <= LDST_BE; mode++) {
        const uint32_t seq[] = { 0x429f0005u, 0x7d8802a6u, 0x396c0018u, 0x90ab0000u,
                                 LDST_X31(XO_SYNC, 0, 0, 0), LDST_X31(XO_ICBI, 0, 0, 11),
                                 ISYNC, LI_R3(1) };
        regs_init(&r);
        r.gpr[5] = LI_R3(2);
        TEST_EQ(ldst_exec_seq(seq, COUNT(seq), &r, mode), 0);
        TEST_EQ(r.gpr[3], 2);
        printf("next instruction rewritten %s: r3=%llu\n", mode_name[mode],
               (unsigned long long)r.gpr[3]);
    }
}

/* ---- wait: stops until an interrupt; SRR0 points after it ------------------------- */

static void test_wait(void)
{
    struct ldst_regs r;
    unsigned mode;

    test_begin("wait");
    for (mode = LDST_LE; mode <= LDST_BE; mode++) {
        regs_init(&r);
        mtdec(DEC_WAIT);
        ldst_exec(WAIT, &r, mode | LDST_EE);
        mtdec(0x7fffffffUL);
        TEST_EQ(ldst_trap.count, 1);
        TEST_EQ(ldst_trap.vec, FW_VEC_DECREMENTER);
        TEST_EQ(ldst_trap.srr0_off, 4);
        printf("wait %s: woken by vec=%lx, srr0=wait%+ld\n", mode_name[mode], ldst_trap.vec,
               ldst_trap.srr0_off);
    }
    /* the PL field (ISA 3.1) is ignored */
    regs_init(&r);
    mtdec(DEC_WAIT);
    ldst_exec(WAIT | (3u << 16), &r, LDST_LE | LDST_EE);
    mtdec(0x7fffffffUL);
    TEST_EQ(ldst_trap.vec, FW_VEC_DECREMENTER);
    TEST_EQ(ldst_trap.srr0_off, 4);
    printf("wait pl=3: woken by vec=%lx, srr0=wait%+ld\n", ldst_trap.vec, ldst_trap.srr0_off);
}

int main(void)
{
    test_dcbz();
    test_hints();
    test_reserved();
    test_smc();
    test_wait();
    return test_report();
}
