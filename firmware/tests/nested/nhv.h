/*
 * nhv.h - a tiny L1 hypervisor for the nested-HV v1 conformance tests
 * (H_SET_PARTITION_TABLE / H_ENTER_NESTED, the API KVM-HV uses as an L1,
 * seed 003; ../shared/reference/papr-nested.md).  Header-only, included
 * once by each test in firmware/tests/nested/.  The same ELF runs on
 * nesthv and on QEMU 7.2 with -M pseries,cap-nested-hv=on.
 *
 * The L1 (this program) runs in real mode.  Its partition table for its
 * guests is NHV_PTAB; every L2 gets a partition-scoped radix tree built in
 * L1 memory with radix/ (the emulator's own builder, compiled for ppc64le):
 *
 *   L2 guest real [0, 0x2000)           -> NHV_VEC: the L2's interrupt
 *        vectors, one stub per 0x20 slot that reports the interrupt to the
 *        L1 as an hcall (r3 = NHV_HC_IRQ | vector, r4 = SRR0, r5 = SRR1,
 *        r6 = DAR, r7 = DSISR; the L2's r3 is in SPRG0), and NHV_DONE_GPA,
 *        where an L2 function returns to (r3 = NHV_HC_DONE, r4 = result);
 *   L2 guest real [NHV_ID_START, NHV_ID_END) -> the same L1 real addresses
 *        (2 MiB pages): the L1's own program, so an L2 payload is just a C
 *        function of this file, run by the L2 in real mode with the L1's
 *        TOC and a stack of its own (nhv_call());
 *   anything else a test maps itself (nhv_map()).
 *
 *     nhv_init(0);                                  table with 256 entries
 *     NhvGuest g; nhv_guest_init(&g, 1, NULL);
 *     nhv_call(&g, my_l2_function, 42);
 *     long v = nhv_run(&g);                         H_ENTER_NESTED, r3
 *     if (v == EXCP_SYSCALL && nhv_hc(&g) == NHV_HC_DONE) ... g.regs.gpr[4]
 *
 * An L2 payload calls nhv_l2_hcall() for an hcall to its hypervisor (the
 * L1 sees exit 0xC00 with the number in gpr[3]).
 */
#ifndef FW_TESTS_NESTED_NHV_H
#define FW_TESTS_NESTED_NHV_H

#include "fw.h"
#include "ppc/excp.h"
#include "ppc/hvgs.h"
#include "ppc/lpcr.h"
#include "ppc/radix_fmt.h"
#include "radix/radix.h"

/* ---- L1 memory layout (real addresses; the program is at 0x400000) ----------------- */
#define NHV_VEC          0x01000000UL   /* L2 vector page(s), 8 KiB */
#define NHV_STACKS       0x01C00000UL   /* 64 KiB L2 stacks, by lpid % NHV_NSTACKS */
#define NHV_NSTACKS      64
#define NHV_STACK_SIZE   0x10000UL
#define NHV_PTAB         0x02000000UL   /* the L1's partition table, up to 64 KiB (PATS 4) */
#define NHV_POOL         0x04000000UL   /* table memory for the L1's trees (64 MiB) */
#define NHV_POOL_BYTES   0x04000000UL
#define NHV_DATA         0x10000000UL   /* pages tests map into their L2s */

/* ---- L2 guest real layout --------------------------------------------------------- */
#define NHV_VEC_BYTES    0x2000UL
#define NHV_ID_START     0x00200000UL   /* identity window (2 MiB pages) */
#define NHV_ID_END       0x02000000UL
#define NHV_COMMON_OFF   0x1C00UL       /* shared tail of every vector stub */
#define NHV_DONE_GPA     0x1D00UL       /* L2 functions return here */
#define NHV_L2_DATA      0x40000000UL   /* where tests usually map data for an L2 */

/* ---- what the L2 tells the L1 through sc 1 ---------------------------------------- */
#define NHV_HC_IRQ       0x10000UL      /* | vector: the L2 took an interrupt */
#define NHV_HC_DONE      0x20000UL      /* the L2 function returned, r4 = its result */
#define NHV_HC_TEST      0x30000UL      /* a test-defined hcall (| n) */

#define NHV_PAGE         0x1000UL
#define NHV_2M           0x200000UL
#define NHV_RW           (RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW)
#define NHV_RWX          (NHV_RW | RADIX_PTE_EAA_EXEC)
#define NHV_L2_MSR       (MSR_SF | MSR_ME | MSR_RI | MSR_LE)
#define NHV_TB_HZ        512000000UL
#define NHV_HDEC_FAR     (NHV_TB_HZ * 100)  /* an HDEC deadline no test reaches */

/* struct hv_guest_state, the L1's byte order (little-endian here): ppc/hvgs.h */
struct nhv_hvgs {
    uint64_t version;
    uint32_t lpid, vcpu_token;
    uint64_t lpcr, pcr, amor, dpdes, hfscr;
    int64_t tb_offset;
    uint64_t dawr0, dawrx0, ciabr, hdec_expiry, purr, spurr, ic, vtb;
    uint64_t hdar, hdsisr, heir, asdr, srr0, srr1, sprg[4], pidr, cfar, ppr;
    uint64_t dawr1, dawrx1;
};
/* struct pt_regs as H_ENTER_NESTED takes it */
struct nhv_regs {
    uint64_t gpr[32];
    uint64_t nip, msr, orig_gpr3, ctr, link, xer, ccr, softe, trap, dar, dsisr, result;
};
_Static_assert(sizeof(struct nhv_hvgs) == HVGS_SIZE_V2, "hv_guest_state layout");
_Static_assert(sizeof(struct nhv_regs) == PTREGS_SIZE, "pt_regs layout");

typedef struct NhvGuest {
    uint32_t lpid;
    RadixRoot tree;          /* the L1's partition-scoped tree for it (in NHV_POOL) */
    struct nhv_hvgs hv;
    struct nhv_regs regs;
} NhvGuest;

/* ---- table memory ----------------------------------------------------------------- */

static unsigned long nhv_bump = NHV_POOL;
static radix_addr_t nhv_free_list[3][256];
static unsigned nhv_nfree[3];

static inline int nhv_class(unsigned size)
{
    return size == 256 ? 0 : size == 4096 ? 1 : 2;
}

static inline int nhv_alloc(void *opaque, unsigned size, radix_addr_t *out)
{
    int c = nhv_class(size);
    unsigned long a;
    (void)opaque;
    if (nhv_nfree[c]) {
        a = nhv_free_list[c][--nhv_nfree[c]];
    } else {
        a = (nhv_bump + size - 1) & ~(unsigned long)(size - 1);
        if (a + size > NHV_POOL + NHV_POOL_BYTES)
            return -1;
        nhv_bump = a + size;
    }
    memset((void *)a, 0, size);
    *out = a;
    return 0;
}

static inline void nhv_free(void *opaque, radix_addr_t a, unsigned size)
{
    int c = nhv_class(size);
    (void)opaque;
    if (nhv_nfree[c] < 256)
        nhv_free_list[c][nhv_nfree[c]++] = a;
}

static inline int nhv_rd(void *opaque, radix_addr_t a, uint64_t *v)
{
    (void)opaque;
    *v = __builtin_bswap64(*(volatile uint64_t *)a);
    return 0;
}

static inline int nhv_wr(void *opaque, radix_addr_t a, uint64_t v)
{
    (void)opaque;
    *(volatile uint64_t *)a = __builtin_bswap64(v);
    return 0;
}

static const RadixMem nhv_mem = { 0, nhv_rd, nhv_wr, nhv_alloc, nhv_free };

/* A pointer to a fixed real address (hidden from gcc's range checks). */
static inline void *nhv_real(unsigned long addr)
{
    void *p;
    __asm__("" : "=r"(p) : "0"(addr));
    return p;
}

static inline uint64_t nhv_ld64(unsigned long addr)
{
    return *(volatile uint64_t *)nhv_real(addr);
}

static inline void nhv_st64(unsigned long addr, uint64_t v)
{
    *(volatile uint64_t *)nhv_real(addr) = v;
}

static inline void nhv_die(const char *what, long rc)
{
    printf("nhv: %s failed (%ld)\n", what, rc);
    fw_exit(1);
}

/* ---- instruction words for the vector stubs ---------------------------------------- */

#define NHV_SPR_FIELD(spr) ((((spr) & 0x1f) << 5 | ((spr) >> 5)) << 11)
#define NHV_MTSPR(spr, rs) (0x7c0003a6u | (rs) << 21 | NHV_SPR_FIELD(spr))
#define NHV_MFSPR(rt, spr) (0x7c0002a6u | (rt) << 21 | NHV_SPR_FIELD(spr))
#define NHV_LI(rt, imm)    (0x38000000u | (rt) << 21 | ((imm) & 0xffff))
#define NHV_ORIS(ra, rs, imm) (0x64000000u | (rs) << 21 | (ra) << 16 | ((imm) & 0xffff))
#define NHV_LIS(rt, imm)   (0x3c000000u | (rt) << 21 | ((imm) & 0xffff))
#define NHV_MR(ra, rs)     (0x7c000378u | (rs) << 21 | (ra) << 16 | (rs) << 11)
#define NHV_B(from, to)    (0x48000000u | ((uint32_t)((to) - (from)) & 0x03fffffcu))
#define NHV_SC1            0x44000022u

static inline void nhv_put_insn(unsigned long addr, uint32_t w)
{
    *(volatile uint32_t *)nhv_real(addr) = w;
}

/*
 * The vector page: at every 0x20 slot "mtsprg0 r3; li r3, vec; b common";
 * common: r3 |= NHV_HC_IRQ, r4..r7 = SRR0, SRR1, DAR, DSISR, sc 1, and
 * "b common" again should the L1 resume it there.  NHV_DONE_GPA:
 * r4 = r3, r3 = NHV_HC_DONE, sc 1.
 */
static inline void nhv_build_vectors(void)
{
    unsigned long base = NHV_VEC, common = base + NHV_COMMON_OFF, done = base + NHV_DONE_GPA;
    memset(nhv_real(base), 0, NHV_VEC_BYTES);
    for (unsigned long v = EXCP_RESET; v < NHV_COMMON_OFF; v += 0x20) {
        nhv_put_insn(base + v, NHV_MTSPR(SPR_SPRG0, 3));
        nhv_put_insn(base + v + 4, NHV_LI(3, v));
        nhv_put_insn(base + v + 8, NHV_B(v + 8, NHV_COMMON_OFF));
    }
    static const uint32_t tail[] = {
        NHV_ORIS(3, 3, NHV_HC_IRQ >> 16), NHV_MFSPR(4, SPR_SRR0), NHV_MFSPR(5, SPR_SRR1),
        NHV_MFSPR(6, SPR_DAR),            NHV_MFSPR(7, SPR_DSISR), NHV_SC1,
    };
    for (unsigned i = 0; i < sizeof tail / sizeof tail[0]; i++)
        nhv_put_insn(common + 4 * i, tail[i]);
    nhv_put_insn(common + 4 * 6, NHV_B(6 * 4, 0));
    nhv_put_insn(done, NHV_MR(4, 3));
    nhv_put_insn(done + 4, NHV_LIS(3, NHV_HC_DONE >> 16));
    nhv_put_insn(done + 8, NHV_SC1);
    nhv_put_insn(done + 12, NHV_B(12, 8));
    icache_sync(nhv_real(base), NHV_VEC_BYTES);
}

/* ---- the partition table ------------------------------------------------------------ */

static unsigned nhv_pats;

static inline unsigned long nhv_ptcr(void)
{
    return NHV_PTAB | nhv_pats;
}

static inline void nhv_set_pate(uint32_t lpid, uint64_t dw0, uint64_t dw1)
{
    nhv_st64(NHV_PTAB + lpid * PATE_SIZE, __builtin_bswap64(dw0));
    nhv_st64(NHV_PTAB + lpid * PATE_SIZE + 8, __builtin_bswap64(dw1));
    sync();
}

/* Zero the table (2^(pats+12) bytes), build the vectors, register it. */
static inline void nhv_init(unsigned pats)
{
    nhv_pats = pats;
    memset(nhv_real(NHV_PTAB), 0, 1UL << (pats + 12));
    nhv_build_vectors();
    long rc = hcall(H_SET_PARTITION_TABLE, nhv_ptcr());
    if (rc != H_SUCCESS)
        nhv_die("H_SET_PARTITION_TABLE", rc);
}

/* ---- guests --------------------------------------------------------------------------- */

static inline int nhv_map(NhvGuest *g, uint64_t gpa, unsigned long l1ra, uint64_t size, unsigned shift,
                          uint64_t flags)
{
    return radix_map(&nhv_mem, &g->tree, gpa, l1ra, size, shift, flags);
}

static inline void nhv_guest_pate(NhvGuest *g, uint64_t prtb_dw1)
{
    nhv_set_pate(g->lpid, PATE0_HR | radix_root_to_dw0(&g->tree), prtb_dw1);
}

/*
 * A guest with lpid: a new tree (or share's, when share != NULL) mapping the
 * vectors and the identity window, its partition-table entry, and the
 * register state of a real-mode L2 with nothing to run yet.
 */
static inline void nhv_guest_init(NhvGuest *g, uint32_t lpid, const NhvGuest *share)
{
    memset(g, 0, sizeof(*g));
    g->lpid = lpid;
    if (share) {
        g->tree = share->tree;
    } else {
        if (radix_tree_create(&nhv_mem, &g->tree) != 0)
            nhv_die("radix_tree_create", -1);
        if (nhv_map(g, 0, NHV_VEC, NHV_VEC_BYTES, 12, NHV_RWX) != 0 ||
            nhv_map(g, NHV_ID_START, NHV_ID_START, NHV_ID_END - NHV_ID_START, 21, NHV_RWX) != 0)
            nhv_die("nhv_map", -1);
    }
    nhv_guest_pate(g, 0);
    g->hv.version = HVGS_VERSION_2;
    g->hv.lpid = lpid;
    g->hv.lpcr = LPCR_ILE;
    g->hv.amor = ~0UL;
    g->hv.hdec_expiry = ~0UL;
    g->regs.msr = NHV_L2_MSR;
}

/* Make the L2 call fn(arg) in real mode; it returns through NHV_DONE_GPA. */
static inline void nhv_call(NhvGuest *g, unsigned long (*fn)(unsigned long), unsigned long arg)
{
    unsigned long toc;
    __asm__("mr %0, 2" : "=r"(toc));
    g->regs.nip = (unsigned long)fn;
    g->regs.gpr[12] = (unsigned long)fn; /* ELFv2 global entry: r2 from r12 */
    g->regs.gpr[2] = toc;
    g->regs.gpr[1] = NHV_STACKS + (g->lpid % NHV_NSTACKS + 1) * NHV_STACK_SIZE - 64;
    g->regs.gpr[3] = arg;
    g->regs.link = NHV_DONE_GPA;
    g->regs.msr = NHV_L2_MSR;
}

/* H_ENTER_NESTED as it is (hdec_expiry untouched); r3. */
static inline long nhv_enter(NhvGuest *g)
{
    return hcall(H_ENTER_NESTED, (unsigned long)&g->hv, (unsigned long)&g->regs);
}

/* H_ENTER_NESTED with a far HDEC deadline; r3 (the exit vector, or an error). */
static inline long nhv_run(NhvGuest *g)
{
    g->hv.hdec_expiry = mftb() + NHV_HDEC_FAR;
    return nhv_enter(g);
}

/* The L2's hcall number at an 0xC00 exit. */
static inline unsigned long nhv_hc(const NhvGuest *g)
{
    return g->regs.gpr[3];
}

/* Run until the L2 function returns (forwarding its console output); its result, or dies. */
static inline unsigned long nhv_run_done(NhvGuest *g)
{
    for (;;) {
        long v = nhv_run(g);
        if (v == EXCP_SYSCALL && nhv_hc(g) == NHV_HC_DONE)
            return g->regs.gpr[4];
        if (v == EXCP_SYSCALL && nhv_hc(g) == H_PUT_TERM_CHAR) {
            g->regs.gpr[3] = hcall(H_PUT_TERM_CHAR, g->regs.gpr[4], g->regs.gpr[5], g->regs.gpr[6],
                                   g->regs.gpr[7]);
            continue;
        }
        printf("nhv: lpid %u exit 0x%lx r3=0x%lx nip=0x%lx\n", g->lpid, (unsigned long)v,
               (unsigned long)g->regs.gpr[3], (unsigned long)g->regs.nip);
        fw_exit(1);
    }
}

/* ---- L2 side ---------------------------------------------------------------------------- */

static inline long nhv_l2_hcall(unsigned long nr, unsigned long a0, unsigned long a1)
{
    register unsigned long r3 __asm__("r3") = nr;
    register unsigned long r4 __asm__("r4") = a0;
    register unsigned long r5 __asm__("r5") = a1;
    __asm__ volatile("sc 1"
                     : "+r"(r3), "+r"(r4), "+r"(r5)
                     :
                     : "r0", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr", "lr", "xer", "cr0", "cr1",
                       "cr5", "cr6", "cr7", "memory");
    return (long)r3;
}

#endif
