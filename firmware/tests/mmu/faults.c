/*
 * faults.c - every radix translation fault a pseries guest can take, with
 * the values it reports (Power ISA v3.0B Book III 6.7, 7.5.3/7.5.5;
 * QEMU 7.2 decides where the ISA leaves room):
 *
 *   not present        DSI DSISR 0x40000000 (| 0x02000000 store), DAR = EA;
 *                      ISI SRR1 0x40000000, SRR0 = EA
 *   protection         DSI 0x08000000 (read) / 0x0A000000 (store);
 *                      ISI 0x10000000 for every execute denial (no EAA X,
 *                      privileged page from problem state, IAMR,
 *                      non-idempotent I/O)
 *   tree shape         DSI 0x00080000 / ISI 0x00080000 (BADCONFIG): zero or
 *                      malformed process-table entry, NLS POWER9 does not walk
 *   PID past the table DSI/ISI NOPTE
 *   segment            0x380 (DAR = EA) / 0x480: quadrant 1 or 2, EA bits 2:11
 *   page crossing      the second page's fault reports DAR = its first byte
 *   AMR / IAMR key 0   supervisor access to non-privileged pages
 *
 * QEMU 7.2 difference (faults.qemu-diff): a leaf in the root directory
 * (a "512 GiB page") translates on QEMU; POWER9 supports 4K, 64K, 2M and 1G
 * pages only and nesthv reports BADCONFIG, as the shape checks QEMU itself
 * applies to every other level would.
 */
#include "env.h"

#define EA         0x10000000UL            /* quadrant-0 test pages */
#define STUB_USER  0x30000000UL            /* problem-state alias of the stub page */
#define PG(n)      (EA + (n) * ENV_PAGE)
#define RA(n)      (ENV_DATA + (n) * ENV_PAGE)
#define Q1         0x4000000000000000UL
#define Q2         0x8000000000000000UL
#define PID_EMPTY  5                       /* process-table entry left zero */
#define PID_BAD    6                       /* entry rewritten to malformed shapes */
#define AMR_NO_RW  0xC000000000000000UL    /* key 0: no write (bit 0), no read (bit 1) */
#define AMR_NO_W   0x8000000000000000UL
#define AMR_NO_R   0x4000000000000000UL
#define IAMR_NO_X  0x4000000000000000UL
#define DSISR_ST   (DSISR_NOPTE | DSISR_ISSTORE)
#define PROT_ST    (DSISR_PROTFAULT | DSISR_ISSTORE)
#define ISI_X      DSISR_NOEXEC_OR_G       /* SRR1 bit 35 */

enum { P_RW, P_RO, P_XO, P_PRIV, P_NOX, P_NI, P_TOL, P_USER, P_CROSS, P_HOLE, NPAGES };

static unsigned long stub;                 /* real (and quadrant-0) address of the stub page */
static RadixRoot t0;

static void build(void)
{
    static const uint64_t flags[NPAGES] = {
        [P_RW] = ENV_RW,
        [P_RO] = RADIX_PTE_R | RADIX_PTE_EAA_READ,
        [P_XO] = RADIX_PTE_R | RADIX_PTE_EAA_EXEC,
        [P_PRIV] = ENV_RWX | RADIX_PTE_EAA_PRIV,
        [P_NOX] = ENV_RW,
        [P_NI] = ENV_RWX | RADIX_PTE_ATT_NON_IDEMPOTENT,
        [P_TOL] = ENV_RWX | RADIX_PTE_ATT_TOLERANT,
        [P_USER] = ENV_RWX,
        [P_CROSS] = ENV_RW,
    };
    t0 = env_tree();
    for (unsigned i = 0; i < P_HOLE; i++) {
        env_fill(RA(i), ENV_PAGE);
        if (i != P_RW && i != P_CROSS)
            env_put_target(RA(i)); /* "li r3,0x55; sc 0" at offset 0 */
        env_map(&t0, PG(i), RA(i), ENV_PAGE, 12, flags[i]);
    }
    env_map(&t0, stub, stub, ENV_PAGE, 12, ENV_RWX | RADIX_PTE_EAA_PRIV);
    env_map(&t0, STUB_USER, stub, ENV_PAGE, 12, RADIX_PTE_R | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_EXEC);
    env_set_pid(0, &t0);
    if (env_register(PROC_TABLE_GTSE) != H_SUCCESS)
        printf("register failed\n");
}

static int pr_run(const char *s, unsigned long ea, unsigned long v)
{
    return env_run(env_stub_at(STUB_USER, s), MSR_PR | MSR_IR | MSR_DR, ea, v);
}

static void not_present(void)
{
    test_begin("not present");
    env_ld(PG(P_HOLE), 0);
    ENV_EXPECT("ld hole", EXCP_DSI, PG(P_HOLE), DSISR_NOPTE);
    env_std(PG(P_HOLE) + 8, 1, 0);
    ENV_EXPECT("std hole", EXCP_DSI, PG(P_HOLE) + 8, DSISR_ST);
    env_exec(stub, PG(P_HOLE), 0);
    ENV_EXPECT("exec hole", EXCP_ISI, PG(P_HOLE), DSISR_NOPTE);
    env_ld(0x000FFFFFFFFFF000UL, 0);
    ENV_EXPECT("ld top of the 52-bit space", EXCP_DSI, 0x000FFFFFFFFFF000UL, DSISR_NOPTE);
    env_ld(ENV_Q3 | PG(P_HOLE), 0);
    ENV_EXPECT("ld q3 hole", EXCP_DSI, ENV_Q3 | PG(P_HOLE), DSISR_NOPTE);
    pr_run(env_stub_ld, PG(P_HOLE), 0);
    ENV_EXPECT("pr ld hole", EXCP_DSI, PG(P_HOLE), DSISR_NOPTE);
    env_run((unsigned long)env_stub_ld, MSR_DR, PG(P_HOLE) + 0x123, 0);
    ENV_EXPECT("ld hole unaligned", EXCP_DSI, PG(P_HOLE) + 0x123, DSISR_NOPTE);
}

static void protection(void)
{
    test_begin("protection");
    env_ld(PG(P_RO) + 8, 0);
    ENV_OK("ld read-only", env_pattern(RA(P_RO) + 8));
    env_std(PG(P_RO), 1, 0);
    ENV_EXPECT("std read-only", EXCP_DSI, PG(P_RO), PROT_ST);
    env_stb(PG(P_RO) + 3, 1, 0);
    ENV_EXPECT("stb read-only", EXCP_DSI, PG(P_RO) + 3, PROT_ST);
    env_ld(PG(P_XO), 0);
    ENV_EXPECT("ld execute-only", EXCP_DSI, PG(P_XO), DSISR_PROTFAULT);
    env_std(PG(P_XO), 1, 0);
    ENV_EXPECT("std execute-only", EXCP_DSI, PG(P_XO), PROT_ST);
    env_exec(stub, PG(P_XO), 0);
    ENV_OK("exec execute-only", 0x55);
    env_exec(stub, PG(P_NOX), 0);
    ENV_EXPECT("exec no-execute", EXCP_ISI, PG(P_NOX), ISI_X);
    env_exec(stub, PG(P_RO), 0);
    ENV_EXPECT("exec read-only", EXCP_ISI, PG(P_RO), ISI_X);
    env_exec(stub, PG(P_NI), 0);
    ENV_EXPECT("exec non-idempotent I/O", EXCP_ISI, PG(P_NI), ISI_X);
    env_ld(PG(P_NI) + 16, 0);
    ENV_OK("ld non-idempotent I/O", env_pattern(RA(P_NI) + 16));
    env_exec(stub, PG(P_TOL), 0);
    ENV_OK("exec tolerant I/O", 0x55);
}

static void privilege(void)
{
    test_begin("privilege");
    env_ld(PG(P_PRIV) + 8, 0);
    ENV_OK("sv ld privileged", env_pattern(RA(P_PRIV) + 8));
    env_exec(stub, PG(P_PRIV), 0);
    ENV_OK("sv exec privileged", 0x55);
    pr_run(env_stub_ld, PG(P_PRIV), 0);
    ENV_EXPECT("pr ld privileged", EXCP_DSI, PG(P_PRIV), DSISR_PROTFAULT);
    pr_run(env_stub_std, PG(P_PRIV), 7);
    ENV_EXPECT("pr std privileged", EXCP_DSI, PG(P_PRIV), PROT_ST);
    pr_run(env_stub_ld, PG(P_USER) + 8, 0);
    ENV_OK("pr ld user", env_pattern(RA(P_USER) + 8));
    pr_run(env_stub_std, PG(P_USER) + 8, 9);
    ENV_OK("pr std user", PG(P_USER) + 8);
    env_run(env_stub_at(STUB_USER, env_stub_bctr), MSR_PR | MSR_IR | MSR_DR, PG(P_PRIV), 0);
    ENV_EXPECT("pr exec privileged", EXCP_ISI, PG(P_PRIV), ISI_X);
    env_run(env_stub_at(STUB_USER, env_stub_bctr), MSR_PR | MSR_IR | MSR_DR, PG(P_USER), 0);
    ENV_OK("pr exec user", 0x55);
    env_run(env_stub_at(stub, env_stub_ld), MSR_PR | MSR_IR | MSR_DR, PG(P_USER), 0);
    ENV_EXPECT("pr fetch from privileged stub", EXCP_ISI, env_stub_at(stub, env_stub_ld), ISI_X);
}

static void segments(void)
{
    static const unsigned long bad[] = { 1UL << 52, 1UL << 55, 1UL << 61, Q1, Q2, ENV_Q3 | (1UL << 54) };
    test_begin("segments");
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        env_ld(bad[i] | PG(P_RW), 0);
        ENV_EXPECT("ld", EXCP_DSEG, bad[i] | PG(P_RW), 0);
        env_std(bad[i] | PG(P_RW), 1, 0);
        ENV_EXPECT("std", EXCP_DSEG, bad[i] | PG(P_RW), 0);
        env_exec(stub, bad[i] | PG(P_RW), 0);
        ENV_EXPECT("exec", EXCP_ISEG, bad[i] | PG(P_RW), 0);
    }
    pr_run(env_stub_ld, Q2 | PG(P_USER), 0);
    ENV_EXPECT("pr ld q2", EXCP_DSEG, Q2 | PG(P_USER), 0);
}

/* The doubleword a little-endian load at real address ra would read. */
static unsigned long real_ld(unsigned long ra1, unsigned long ra2_first_byte, unsigned n1)
{
    uint8_t b[8];
    memcpy(b, env_real(ra1), n1);
    memcpy(b + n1, env_real(ra2_first_byte), 8 - n1);
    unsigned long v;
    memcpy(&v, b, 8);
    return v;
}

static void crossing(void)
{
    test_begin("page crossing");
    env_run((unsigned long)env_stub_ld_cross, MSR_DR, PG(P_CROSS) + ENV_PAGE - 4, 0);
    ENV_EXPECT("ld into the hole", EXCP_DSI, PG(P_HOLE), DSISR_NOPTE);
    env_std(PG(P_RW) + ENV_PAGE - 2, 1, 0);
    ENV_EXPECT("std into read-only", EXCP_DSI, PG(P_RO), PROT_ST);
    env_ld(PG(P_RW) + ENV_PAGE - 4, 0);
    ENV_OK("ld into read-only", real_ld(RA(P_RW) + ENV_PAGE - 4, RA(P_RO), 4));
}

/* A process-table entry for PID_BAD with root dw0 changed; then one load. */
static void bad_root(const char *what, uint64_t dw0)
{
    env_set_prte(PID_BAD, dw0);
    env_flush();
    env_ld(PG(P_RW), 0);
    ENV_EXPECT(what, EXCP_DSI, PG(P_RW), DSISR_BADCONFIG);
}

/* Overwrite the entry at level `level` on the path of PG(P_RW) in tree t with e (host order). */
static uint64_t *path_entry(const RadixRoot *t, unsigned level)
{
    uint64_t ea = PG(P_RW);
    static const unsigned shift[] = { 39, 30, 21, 12 }, nls[] = { 13, 9, 9, 9 };
    uint64_t base = t->base;
    uint64_t *e = 0;
    for (unsigned l = 0; l <= level; l++) {
        e = env_real(base + ((ea >> shift[l]) & ((1UL << nls[l]) - 1)) * 8);
        base = __builtin_bswap64(*e) & RADIX_PDE_NLB;
    }
    return e;
}

static void shapes(void)
{
    uint64_t dw0 = radix_root_to_dw0(&t0);
    test_begin("tree shapes");
    mtspr(SPR_PIDR, PID_EMPTY);
    env_ld(PG(P_RW), 0);
    ENV_EXPECT("zero process-table entry", EXCP_DSI, PG(P_RW), DSISR_BADCONFIG);
    env_run(env_stub_at(ENV_Q3 | stub, env_stub_bctr), MSR_IR | MSR_DR, PG(P_RW), 0);
    ENV_EXPECT("exec, zero process-table entry", EXCP_ISI, PG(P_RW), DSISR_BADCONFIG);
    env_ld(ENV_Q3 | PG(P_RW), 0);
    ENV_OK("q3 uses PID 0", env_pattern(RA(P_RW)));

    mtspr(SPR_PIDR, PID_BAD);
    bad_root("root of 12 bits", (dw0 & ~RADIX_RPDS) | 12);
    bad_root("51-bit tree", (dw0 & ~RADIX_RTS2) | (4UL << RADIX_RTS2_SHIFT));
    bad_root("53-bit tree", (dw0 & ~RADIX_RTS2) | (6UL << RADIX_RTS2_SHIFT));
    env_set_prte(PID_BAD, dw0);
    env_flush();
    env_ld(PG(P_RW), 0);
    ENV_OK("same tree as PID 0", env_pattern(RA(P_RW)));

    static const struct { const char *what; unsigned level, nls; } nls[] = {
        { "level 1 of 8 bits", 0, 8 }, { "level 1 of 13 bits", 0, 13 }, { "level 2 of 5 bits", 1, 5 },
        { "level 3 of 7 bits", 2, 7 }, { "level 3 of 13 bits", 2, 13 },
    };
    for (unsigned i = 0; i < sizeof(nls) / sizeof(nls[0]); i++) {
        uint64_t *e = path_entry(&t0, nls[i].level), saved = *e;
        *e = __builtin_bswap64((__builtin_bswap64(saved) & ~RADIX_PDE_NLS) | nls[i].nls);
        env_flush();
        env_ld(PG(P_RW), 0);
        ENV_EXPECT(nls[i].what, EXCP_DSI, PG(P_RW), DSISR_BADCONFIG);
        *e = saved;
    }
    /* A directory where the 4K leaf should be: a fifth level does not exist. */
    uint64_t *leaf = path_entry(&t0, 3), saved = *leaf;
    *leaf = __builtin_bswap64(RADIX_PDE_V | RA(P_HOLE) | 9);
    env_flush();
    env_ld(PG(P_RW), 0);
    ENV_EXPECT("directory at the last level", EXCP_DSI, PG(P_RW), DSISR_BADCONFIG);
    env_exec(stub, PG(P_RW), 0);
    ENV_EXPECT("exec, directory at the last level", EXCP_ISI, PG(P_RW), DSISR_BADCONFIG);
    *leaf = saved;
    /* Directory bases ignore the bits below the table size. */
    uint64_t *pud = path_entry(&t0, 0), spud = *pud;
    *pud = __builtin_bswap64(__builtin_bswap64(spud) | 0x800);
    env_flush();
    env_ld(PG(P_RW) + 16, 0);
    ENV_OK("misaligned directory base", env_pattern(RA(P_RW) + 16));
    /* A directory outside RAM reads as zeros: not present. */
    *pud = __builtin_bswap64((__builtin_bswap64(spud) & ~RADIX_PDE_NLB) | 0x80000000UL);
    env_flush();
    env_ld(PG(P_RW), 0);
    ENV_EXPECT("directory outside RAM", EXCP_DSI, PG(P_RW), DSISR_NOPTE);
    *pud = spud;
    env_flush();
    mtspr(SPR_PIDR, 0);
}

/* QEMU 7.2 translates a 512 GiB leaf in the root: see faults.qemu-diff. */
static void root_leaf(void)
{
    uint64_t *root = env_real(t0.base + ((PG(P_RW) >> 39) & 0x1FFF) * 8);
    uint64_t saved = *root;
    test_begin("root leaf");
    *root = __builtin_bswap64(RADIX_PTE_V | RADIX_PTE_L | ENV_RW);
    env_flush();
    env_ld(PG(P_RW), 0);
    env_print("leaf in the root directory");
    *root = saved;
    env_flush();
}

static void pid_range(void)
{
    test_begin("PID range");
    mtspr(SPR_PIDR, ENV_PRTB_BYTES / PRTE_SIZE); /* one past the 4 KiB table */
    env_ld(PG(P_RW), 0);
    ENV_EXPECT("PID past the table", EXCP_DSI, PG(P_RW), DSISR_NOPTE);
    env_run(env_stub_at(ENV_Q3 | stub, env_stub_bctr), MSR_IR | MSR_DR, PG(P_RW), 0);
    ENV_EXPECT("exec, PID past the table", EXCP_ISI, PG(P_RW), DSISR_NOPTE);
    env_ld(ENV_Q3 | PG(P_RW), 0);
    ENV_OK("q3 unaffected", env_pattern(RA(P_RW)));
    mtspr(SPR_PIDR, 0);
}

static void amr(void)
{
    test_begin("AMR and IAMR");
    mtspr(SPR_AMR, AMR_NO_RW);
    env_flush();
    env_ld(PG(P_USER), 0);
    ENV_EXPECT("AMR 11: ld user page", EXCP_DSI, PG(P_USER), DSISR_PROTFAULT);
    env_std(PG(P_USER), 1, 0);
    ENV_EXPECT("AMR 11: std user page", EXCP_DSI, PG(P_USER), PROT_ST);
    env_ld(PG(P_PRIV), 0);
    ENV_OK("AMR 11: ld privileged page", 0x4400000238600055UL);
    pr_run(env_stub_ld, PG(P_USER) + 8, 0);
    ENV_OK("AMR 11: pr ld user page", 9); /* stored by "pr std user" */
    mtspr(SPR_AMR, AMR_NO_R);
    env_flush();
    env_ld(PG(P_USER) + 8, 0);
    ENV_EXPECT("AMR 01: ld", EXCP_DSI, PG(P_USER) + 8, DSISR_PROTFAULT);
    env_std(PG(P_USER) + 8, 3, 0);
    ENV_OK("AMR 01: std", PG(P_USER) + 8);
    mtspr(SPR_AMR, AMR_NO_W);
    env_flush();
    env_ld(PG(P_USER) + 8, 0);
    ENV_OK("AMR 10: ld", 3);
    env_std(PG(P_USER) + 8, 4, 0);
    ENV_EXPECT("AMR 10: std", EXCP_DSI, PG(P_USER) + 8, PROT_ST);
    mtspr(SPR_AMR, 0);
    mtspr(SPR_IAMR, IAMR_NO_X);
    env_flush();
    env_exec(stub, PG(P_USER), 0);
    ENV_EXPECT("IAMR: exec user page", EXCP_ISI, PG(P_USER), ISI_X);
    env_exec(stub, PG(P_PRIV), 0);
    ENV_OK("IAMR: exec privileged page", 0x55);
    env_ld(PG(P_USER) + 16, 0);
    ENV_OK("IAMR: ld user page", env_pattern(RA(P_USER) + 16));
    mtspr(SPR_IAMR, 0);
    env_flush();
    env_exec(stub, PG(P_USER), 0);
    ENV_OK("IAMR 0: exec user page", 0x55);
}

static void cache_ops(void)
{
    extern char stub_dcbz[], stub_dcbst[];
    test_begin("cache operations");
    env_run((unsigned long)stub_dcbz, MSR_DR, PG(P_RO) + 0x40, 0);
    ENV_EXPECT("dcbz read-only", EXCP_DSI, PG(P_RO), PROT_ST); /* DAR: the 128-byte block */
    env_run((unsigned long)stub_dcbz, MSR_DR, PG(P_HOLE) + 0x47, 0);
    ENV_EXPECT("dcbz hole", EXCP_DSI, PG(P_HOLE), DSISR_ST);
    env_run((unsigned long)stub_dcbst, MSR_DR, PG(P_HOLE) + 0x48, 0);
    ENV_EXPECT("dcbst hole", EXCP_DSI, PG(P_HOLE) + 0x48, DSISR_NOPTE);
}

__asm__(".text\n.globl stub_dcbz, stub_dcbst\n"
        "stub_dcbz:  dcbz 0, 3\n  sc 0\n"
        "stub_dcbst: dcbst 0, 3\n sc 0\n");

int main(void)
{
    env_init();
    stub = (unsigned long)env_stub_page;
    build();
    not_present();
    protection();
    privilege();
    segments();
    crossing();
    shapes();
    root_leaf();
    pid_range();
    amr();
    cache_ops();
    return test_report();
}
