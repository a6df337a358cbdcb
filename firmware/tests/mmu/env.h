/*
 * env.h - the environment of the MMU firmware tests: a guest that builds
 * its own radix trees with radix/ (the same builder the emulator uses,
 * compiled for ppc64le here), registers its process table with
 * H_REGISTER_PROCESS_TABLE, and runs single accesses with translation on.
 * Header-only, included once by each test in firmware/tests/mmu/.
 *
 * Memory (guest real addresses; the program itself runs in real mode at
 * 0x400000):
 *   ENV_PRTB        the process table, 4 KiB (PRTS = 0, PIDs 0..255)
 *   ENV_POOL        16 MiB of table memory for the builder
 *   ENV_DATA        data pages the tests map (filled with a known pattern)
 *
 * Running an access: env_run(pc, msr, r3, r4) rfids to pc with MSR = the
 * current MSR | msr, r3/r4 set; the code there does one thing and ends
 * with sc 0.  The first interrupt ends the run: vector, SRR0, SRR1, DAR,
 * DSISR and r3 land in env_res, and the program continues in real mode.
 * The stubs live in one page (env_stub_page) that tests map wherever code
 * must run translated:
 *
 *     env_init();
 *     RadixRoot t = env_tree();
 *     env_map(&t, 0x10000000, ENV_DATA, 0x1000, 12, ENV_RW);   (quadrant bits of
 *                                       the EA are dropped: the tree maps the rest)
 *     env_set_pid(0, &t);
 *     env_register(PROC_TABLE_GTSE);
 *     env_ld(0x10000000, 0);            one load with MSR[DR] = 1
 *     env_print("ld");                  "ld: vec=0xc00 r3=..." or the fault
 */
#ifndef FW_TESTS_MMU_ENV_H
#define FW_TESTS_MMU_ENV_H

#include "fw.h"
#include "ppc/excp.h"
#include "ppc/radix_fmt.h"

/* The radix library is freestanding: the firmware compiles the emulator's source. */
#include "../../../radix/build.c"
#include "../../../radix/walk.c"

#define ENV_PRTB        0x07F00000UL
#define ENV_PRTB_BYTES  0x1000UL
#define ENV_POOL        0x08000000UL
#define ENV_POOL_BYTES  0x01000000UL
#define ENV_DATA        0x10000000UL
#define ENV_DATA_BYTES  0x10000000UL   /* 256 MiB of data pages */
#define ENV_RW          (RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW)
#define ENV_RWX         (ENV_RW | RADIX_PTE_EAA_EXEC)
#define ENV_Q3          0xC000000000000000UL
#define ENV_DEC_FAR     0x7ffffffful
#define ENV_SRR1_CAUSE  ((unsigned long)(PPC_BITMASK(33, 36) | PPC_BITMASK(42, 47)))
#define ENV_PAGE        0x1000UL

/* ---- table memory for the builder ------------------------------------------ */

static unsigned long env_bump = ENV_POOL;
static radix_addr_t env_free_list[3][64];
static unsigned env_nfree[3];

static inline int env_class(unsigned size)
{
    return size == 256 ? 0 : size == 4096 ? 1 : 2;
}

static inline int env_alloc(void *opaque, unsigned size, radix_addr_t *out)
{
    int c = env_class(size);
    unsigned long a;
    (void)opaque;
    if (env_nfree[c]) {
        a = env_free_list[c][--env_nfree[c]];
    } else {
        a = (env_bump + size - 1) & ~(unsigned long)(size - 1);
        if (a + size > ENV_POOL + ENV_POOL_BYTES)
            return -1;
        env_bump = a + size;
    }
    memset((void *)a, 0, size);
    *out = a;
    return 0;
}

static inline void env_free(void *opaque, radix_addr_t a, unsigned size)
{
    int c = env_class(size);
    (void)opaque;
    if (env_nfree[c] < 64)
        env_free_list[c][env_nfree[c]++] = a;
}

static inline int env_rd(void *opaque, radix_addr_t a, uint64_t *v)
{
    (void)opaque;
    *v = __builtin_bswap64(*(volatile uint64_t *)a);
    return 0;
}

static inline int env_wr(void *opaque, radix_addr_t a, uint64_t v)
{
    (void)opaque;
    *(volatile uint64_t *)a = __builtin_bswap64(v);
    return 0;
}

static const RadixMem env_mem = { 0, env_rd, env_wr, env_alloc, env_free };

/* A pointer to a fixed real address (hidden from gcc's range checks). */
static inline void *env_real(unsigned long addr)
{
    void *p;
    __asm__("" : "=r"(p) : "0"(addr));
    return p;
}

static inline RadixRoot env_tree(void)
{
    RadixRoot r;
    if (radix_tree_create(&env_mem, &r) != 0) {
        printf("env: out of table memory\n");
        fw_exit(1);
    }
    return r;
}

static inline void env_map(const RadixRoot *r, unsigned long ea, unsigned long ra, unsigned long size,
                    unsigned shift, uint64_t flags)
{
    int rc = radix_map(&env_mem, r, ea & RADIX_EA_OFFSET, ra, size, shift, flags);
    if (rc)
        printf("env: radix_map(0x%lx, 0x%lx, 0x%lx, %u) = %d\n", ea, ra, size, shift, rc);
    sync();
}

static inline void env_unmap(const RadixRoot *r, unsigned long ea, unsigned long size)
{
    int rc = radix_unmap(&env_mem, r, ea & RADIX_EA_OFFSET, size);
    if (rc)
        printf("env: radix_unmap(0x%lx, 0x%lx) = %d\n", ea, size, rc);
    sync();
}

static inline void env_protect(const RadixRoot *r, unsigned long ea, unsigned long size, uint64_t clear, uint64_t set)
{
    int rc = radix_protect(&env_mem, r, ea & RADIX_EA_OFFSET, size, clear, set);
    if (rc)
        printf("env: radix_protect(0x%lx, 0x%lx) = %d\n", ea, size, rc);
    sync();
}

/* The leaf PTE for ea (host order), or 0. */
static inline uint64_t env_pte(const RadixRoot *r, unsigned long ea)
{
    RadixWalk w;
    radix_walk(r, ea & RADIX_EA_OFFSET, env_rd, 0, &w);
    return w.status == RADIX_OK ? w.pte : 0;
}

static inline uint64_t *env_pte_ptr(const RadixRoot *r, unsigned long ea)
{
    RadixWalk w;
    radix_walk(r, ea & RADIX_EA_OFFSET, env_rd, 0, &w);
    return w.status == RADIX_OK ? env_real(w.entry_addr) : 0;
}

/* Process-table entry of pid: dw0 = the tree's root (0: none). */
static inline void env_set_prte(unsigned pid, uint64_t dw0)
{
    volatile uint64_t *e = env_real(ENV_PRTB + (unsigned long)pid * PRTE_SIZE);
    e[0] = __builtin_bswap64(dw0);
    e[1] = 0;
    sync();
}

static inline void env_set_pid(unsigned pid, const RadixRoot *r)
{
    env_set_prte(pid, radix_root_to_dw0(r));
}

static inline long env_register(unsigned long extra_flags)
{
    return hcall(H_REGISTER_PROCESS_TABLE, PROC_TABLE_NEW | PROC_TABLE_RADIX | extra_flags, ENV_PRTB, 0, 0);
}

/* ---- data pages -------------------------------------------------------------- */

/* The pattern at real address a (each doubleword names itself). */
static inline uint64_t env_pattern(unsigned long a)
{
    return a ^ 0x5A5A000000000000UL;
}

static inline void env_fill(unsigned long ra, unsigned long size)
{
    for (unsigned long a = ra; a < ra + size; a += 8)
        *(volatile uint64_t *)env_real(a) = env_pattern(a);
}

/* ---- running one access translated ---------------------------------------------- */

struct env_result {
    unsigned long vec, srr0, srr1, dar, dsisr, r3;
};

static struct env_result env_res;
static unsigned long env_kmsr;

extern void env_enter(unsigned long pc, unsigned long msr, unsigned long r3, unsigned long r4);
extern char env_recover[], env_stub_page[], env_stub_ld[], env_stub_lbz[], env_stub_std[], env_stub_stb[],
    env_stub_bctr[], env_stub_target[], env_stub_target_end[], env_stub_ld_cross[],
    env_stub_tlbie[], env_stub_tlbiel[];
unsigned long env_ctx[22];

/* Save r1, r2, LR, CR, r14-r31; rfid to pc; env_recover restores them. */
__asm__(
"    .text\n"
"    .globl env_enter, env_recover\n"
"env_enter:\n"
"    addis 11, 2, env_ctx@toc@ha\n"
"    addi  11, 11, env_ctx@toc@l\n"
"    std   1, 0(11)\n"
"    std   2, 8(11)\n"
"    mflr  0\n"
"    std   0, 16(11)\n"
"    mfcr  0\n"
"    std   0, 24(11)\n"
"    std   14, 32(11)\n  std 15, 40(11)\n  std 16, 48(11)\n  std 17, 56(11)\n"
"    std   18, 64(11)\n  std 19, 72(11)\n  std 20, 80(11)\n  std 21, 88(11)\n"
"    std   22, 96(11)\n  std 23, 104(11)\n std 24, 112(11)\n std 25, 120(11)\n"
"    std   26, 128(11)\n std 27, 136(11)\n std 28, 144(11)\n std 29, 152(11)\n"
"    std   30, 160(11)\n std 31, 168(11)\n"
"    mtsrr0 3\n"
"    mtsrr1 4\n"
"    mr    3, 5\n"
"    mr    4, 6\n"
"    rfid\n"
"env_recover:\n"
"    addis 11, 2, env_ctx@toc@ha\n"
"    addi  11, 11, env_ctx@toc@l\n"
"    ld    1, 0(11)\n"
"    ld    2, 8(11)\n"
"    ld    0, 16(11)\n"
"    mtlr  0\n"
"    ld    0, 24(11)\n"
"    mtcr  0\n"
"    ld    14, 32(11)\n  ld 15, 40(11)\n  ld 16, 48(11)\n  ld 17, 56(11)\n"
"    ld    18, 64(11)\n  ld 19, 72(11)\n  ld 20, 80(11)\n  ld 21, 88(11)\n"
"    ld    22, 96(11)\n  ld 23, 104(11)\n ld 24, 112(11)\n ld 25, 120(11)\n"
"    ld    26, 128(11)\n ld 27, 136(11)\n ld 28, 144(11)\n ld 29, 152(11)\n"
"    ld    30, 160(11)\n ld 31, 168(11)\n"
"    blr\n"
/* The stub page: every stub does one thing and ends with sc 0. */
"    .balign 4096\n"
"    .globl env_stub_page, env_stub_ld, env_stub_lbz, env_stub_std, env_stub_stb, env_stub_bctr\n"
"    .globl env_stub_target, env_stub_target_end, env_stub_ld_cross, env_stub_tlbie, env_stub_tlbiel\n"
"env_stub_page:\n"
"env_stub_ld:     ld 3, 0(3)\n     sc 0\n"
"env_stub_lbz:    lbz 3, 0(3)\n    sc 0\n"
"env_stub_std:    std 4, 0(3)\n    sc 0\n"
"env_stub_stb:    stb 4, 0(3)\n    sc 0\n"
"env_stub_bctr:   mtctr 3\n        bctr\n"
"env_stub_ld_cross: ld 3, 0(3)\n   sc 0\n"
"env_stub_tlbie:  .long 0x7c831a64\n sc 0\n"   /* tlbie 3,4,0,1,1 */
"env_stub_tlbiel: .long 0x7c831a24\n sc 0\n"   /* tlbiel 3,4,0,1,1 */
"env_stub_target: li 3, 0x55\n     sc 0\n"
"env_stub_target_end:\n"
"    .balign 4096\n");

static inline int env_handler(struct fw_trap *t)
{
    env_res.vec = t->vec;
    env_res.srr0 = t->srr0;
    env_res.srr1 = t->srr1;
    env_res.dar = t->dar;
    env_res.dsisr = t->dsisr;
    env_res.r3 = t->gpr[3];
    t->srr0 = (unsigned long)env_recover;
    t->srr1 = env_kmsr;
    return 0;
}

/* Run pc with MSR |= msr; 1 if it ended with the stub's sc 0. */
static inline int env_run(unsigned long pc, unsigned long msr, unsigned long r3, unsigned long r4)
{
    fw_trap_fn prev;
    memset(&env_res, 0, sizeof(env_res));
    env_kmsr = mfmsr();
    mtdec(ENV_DEC_FAR);
    prev = fw_set_trap_handler(env_handler);
    env_enter(pc, env_kmsr | msr, r3, r4);
    fw_set_trap_handler(prev);
    return env_res.vec == EXCP_SYSCALL;
}

/* One access with MSR[DR] = 1 (supervisor, code untranslated). */
static inline int env_ld(unsigned long ea, unsigned long msr) { return env_run((unsigned long)env_stub_ld, MSR_DR | msr, ea, 0); }
static inline int env_lbz(unsigned long ea, unsigned long msr) { return env_run((unsigned long)env_stub_lbz, MSR_DR | msr, ea, 0); }
static inline int env_std(unsigned long ea, unsigned long v, unsigned long msr)
{
    return env_run((unsigned long)env_stub_std, MSR_DR | msr, ea, v);
}
static inline int env_stb(unsigned long ea, unsigned long v, unsigned long msr)
{
    return env_run((unsigned long)env_stub_stb, MSR_DR | msr, ea, v);
}

/* Branch to ea with MSR[IR] = MSR[DR] = 1 from the stub page mapped at stub_ea. */
static inline int env_exec(unsigned long stub_ea, unsigned long ea, unsigned long msr)
{
    unsigned long off = (unsigned long)env_stub_bctr - (unsigned long)env_stub_page;
    return env_run(stub_ea + off, MSR_IR | MSR_DR | msr, ea, 0);
}

/* EA of a stub when the stub page is mapped at stub_ea. */
static inline unsigned long env_stub_at(unsigned long stub_ea, const char *stub)
{
    return stub_ea + (unsigned long)(stub - env_stub_page);
}

/* Copy the "li r3,0x55; sc 0" target into real page ra (offset off). */
static inline void env_put_target(unsigned long ra)
{
    unsigned long n = (unsigned long)(env_stub_target_end - env_stub_target);
    memcpy(env_real(ra), env_stub_target, n);
    icache_sync(env_real(ra), n);
}

/* Print the outcome of the last run: the value, or the interrupt and its registers. */
static inline void env_print(const char *what)
{
    switch (env_res.vec) {
    case EXCP_SYSCALL:
        printf("%s: ok r3=0x%lx\n", what, env_res.r3);
        break;
    case EXCP_DSI:
        printf("%s: DSI dar=0x%lx dsisr=0x%lx\n", what, env_res.dar, env_res.dsisr);
        break;
    case EXCP_DSEG:
        printf("%s: DSEG dar=0x%lx\n", what, env_res.dar);
        break;
    case EXCP_ISI:
        printf("%s: ISI srr0=0x%lx srr1.cause=0x%lx\n", what, env_res.srr0, env_res.srr1 & ENV_SRR1_CAUSE);
        break;
    case EXCP_ISEG:
        printf("%s: ISEG srr0=0x%lx srr1.cause=0x%lx\n", what, env_res.srr0, env_res.srr1 & ENV_SRR1_CAUSE);
        break;
    default:
        printf("%s: vec=0x%lx srr0=0x%lx srr1=0x%lx dar=0x%lx dsisr=0x%lx\n", what, env_res.vec, env_res.srr0,
               env_res.srr1, env_res.dar, env_res.dsisr);
        break;
    }
}

/*
 * Print the outcome and check it: vec, then for a DSI (dar, dsisr), an ISI
 * (srr0, srr1 cause), DSEG (dar), ISEG (srr0), sc 0 completion (r3).
 */
static inline void env_expect(const char *what, unsigned long vec, unsigned long a, unsigned long b,
                              const char *file, int line)
{
    unsigned long ga = 0, gb = 0;
    env_print(what);
    switch (env_res.vec) {
    case EXCP_DSI: ga = env_res.dar; gb = env_res.dsisr; break;
    case EXCP_ISI: ga = env_res.srr0; gb = env_res.srr1 & ENV_SRR1_CAUSE; break;
    case EXCP_DSEG: ga = env_res.dar; break;
    case EXCP_ISEG: ga = env_res.srr0; break;
    case EXCP_SYSCALL: ga = env_res.r3; break;
    default: break;
    }
    test_checkf(env_res.vec == vec && ga == a && gb == b, file, line,
                "%s: expected vec 0x%lx 0x%lx 0x%lx, got 0x%lx 0x%lx 0x%lx", what, vec, a, b, env_res.vec, ga, gb);
}
#define ENV_EXPECT(what, vec, a, b) env_expect((what), (vec), (a), (b), __FILE__, __LINE__)
#define ENV_OK(what, r3)            env_expect((what), EXCP_SYSCALL, (r3), 0, __FILE__, __LINE__)

/* ---- TLB management from supervisor real mode --------------------------------------- */

/* tlbie/tlbiel word with RS = r4, RB = r3 (Book III 5.10.1 X-form). */
#define ENV_XO_TLBIE   306u
#define ENV_XO_TLBIEL  274u
#define ENV_XO_TLBSYNC 566u
static inline uint32_t env_tlbie_word(unsigned ric, unsigned prs, unsigned r, int local)
{
    return (31u << 26) | (4u << 21) | (ric << 18) | (prs << 17) | (r << 16) | (3u << 11) |
           ((local ? ENV_XO_TLBIEL : ENV_XO_TLBIE) << 1);
}

static uint32_t env_dyn[4] __attribute__((aligned(64)));
static struct fw_trap env_word_trap;
static int env_word_traps;

static inline int env_word_handler(struct fw_trap *t)
{
    env_word_trap = *t;
    env_word_traps++;
    t->srr0 += 4;
    return 0;
}

/* Execute one instruction word in supervisor real mode with r3 = a, r4 = b; the vector it raised, or 0. */
static inline unsigned long env_word(uint32_t w, unsigned long a, unsigned long b)
{
    fw_trap_fn prev = fw_set_trap_handler(env_word_handler);
    env_dyn[0] = w;
    env_dyn[1] = 0x4e800020; /* blr */
    icache_sync(env_dyn, 8);
    env_word_traps = 0;
    ((void (*)(unsigned long, unsigned long))(void *)env_dyn)(a, b);
    fw_set_trap_handler(prev);
    return env_word_traps ? (unsigned long)env_word_trap.vec : 0;
}

/* "vec=0x700 cause=0x40000" or "ok" for the last env_word(). */
static inline void env_word_print(const char *what, unsigned long vec)
{
    if (vec)
        printf("%s: vec=0x%lx srr1.cause=0x%lx\n", what, vec,
               (unsigned long)(env_word_trap.srr1 & ENV_SRR1_CAUSE));
    else
        printf("%s: ok\n", what);
}

static inline unsigned long env_tlbie(unsigned long rb, unsigned long rs, unsigned ric, unsigned prs, int local)
{
    unsigned long v = env_word(env_tlbie_word(ric, prs, 1, local), rb, rs);
    __asm__ volatile("ptesync" ::: "memory");
    return v;
}

/* RB for an invalidation: IS and, for one page, its EA and AP. */
static inline unsigned long env_rb(unsigned is, unsigned long ea, unsigned ap)
{
    return (ea & TLBIE_RB_EPN) | ((unsigned long)is << TLBIE_RB_IS_SHIFT) | ((unsigned long)ap << TLBIE_RB_AP_SHIFT);
}

/* Invalidate every translation of this thread (tlbiel IS=3 RIC=2 PRS=1: allowed in every mode). */
static inline void env_flush(void)
{
    env_tlbie(env_rb(TLBIE_IS_ALL, 0, 0), 0, TLBIE_RIC_ALL, 1, 1);
}

static inline void env_init(void)
{
    fw_install_vectors();
    memset(env_real(ENV_PRTB), 0, ENV_PRTB_BYTES);
    sync();
}

#endif
