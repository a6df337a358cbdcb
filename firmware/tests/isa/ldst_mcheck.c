/*
 * ldst_mcheck.c - machine check on a real-mode access to a real address
 * with no storage behind it (run with -m 1G: RAM ends at 0x40000000), for
 * loads, stores, the cache instructions that access storage, larx/stcx.,
 * lq, load multiple and instruction fetch.
 *
 * What nesthv reports is what QEMU 10.0 reports on POWER9 (see
 * include/ppc/excp.h):
 *   load:  SRR0 = the instruction, SRR1[42] = 1, DAR = EA of the first byte
 *          with no storage, DSISR = 0x40 (bit 57)
 *   store: SRR1[36,42,43,45] = 1, DAR = EA, DSISR unchanged
 *   fetch: SRR0 = the fetch address, SRR1[36,44,45] = 1, DAR/DSISR unchanged
 * dcbz counts as a store at its aligned block, dcbf/dcbst as a load of EA,
 * icbi as a load of its aligned block; dcbt, and stcx. without a
 * reservation, do not access storage.  MSR[ME] is cleared in the handler.
 *
 * QEMU 7.2 raises no machine check at all (loads read zeros, stores are
 * dropped, a fetch runs zeros: illegal instruction): its output differs,
 * declared in ldst_mcheck.qemu-diff.
 */
#include "ldst_exec.h"

#define COUNT(t)      (sizeof(t) / sizeof((t)[0]))
#define RAM_END       0x40000000UL
#define REG_INIT(i)   (0x5a5a000000000000UL | (i))
#define MC_LOAD       PPC_BIT(42)
#define MC_STORE      (PPC_BIT(36) | PPC_BIT(42) | PPC_BIT(43) | PPC_BIT(45))
#define MC_FETCH      (PPC_BIT(36) | PPC_BIT(44) | PPC_BIT(45))
#define DSISR_LOAD    0x40UL

enum kind { NONE, LOAD, STORE };

struct mc_case {
    const char *name;
    uint32_t seq[2];
    unsigned n;
    uint64_t ea;                /* r3 */
    unsigned mode;
    enum kind kind;
    uint64_t dar;               /* expected DAR */
};

static const struct mc_case cases[] = {
    { "ld",              { LDST_DS(58, 5, 3, 0, 0) }, 1, RAM_END, LDST_LE, LOAD, RAM_END },
    { "lbz +0x123",      { LDST_D(34, 5, 3, 0x123) }, 1, RAM_END, LDST_LE, LOAD, RAM_END + 0x123 },
    { "lwz across end",  { LDST_D(32, 5, 3, 0) }, 1, RAM_END - 2, LDST_LE, LOAD, RAM_END },
    { "ldx top bits set", { LDST_X31(21, 5, 0, 3) }, 1, 0xc000000000000000UL | RAM_END, LDST_LE,
      LOAD, 0xc000000000000000UL | RAM_END },
    { "lhbrx BE",        { LDST_X31(790, 5, 0, 3) }, 1, RAM_END + 8, LDST_BE, LOAD, RAM_END + 8 },
    { "lq",              { LDST_DQ(56, 6, 3, 16, 0) }, 1, RAM_END, LDST_LE, LOAD, RAM_END + 16 },
    { "lwarx",           { LDST_X31(20, 5, 0, 3) }, 1, RAM_END + 4, LDST_LE, LOAD, RAM_END + 4 },
    { "lmw BE",          { LDST_D(46, 28, 3, 0) }, 1, RAM_END - 8, LDST_BE, LOAD, RAM_END },
    { "stb",             { LDST_D(38, 5, 3, 1) }, 1, RAM_END, LDST_LE, STORE, RAM_END + 1 },
    { "std",             { LDST_DS(62, 5, 3, 0, 0) }, 1, RAM_END + 0x1000, LDST_LE, STORE,
      RAM_END + 0x1000 },
    { "stdu",            { LDST_DS(62, 5, 3, 8, 1) }, 1, RAM_END, LDST_BE, STORE, RAM_END + 8 },
    { "dcbz",            { LDST_X31(1014, 0, 0, 3) }, 1, RAM_END + 0x88, LDST_LE, STORE,
      RAM_END + 0x80 },
    { "dcbf",            { LDST_X31(86, 0, 0, 3) }, 1, RAM_END + 0x88, LDST_LE, LOAD,
      RAM_END + 0x88 },
    { "dcbst",           { LDST_X31(54, 0, 0, 3) }, 1, RAM_END + 0x88, LDST_LE, LOAD,
      RAM_END + 0x88 },
    { "icbi",            { LDST_X31(982, 0, 0, 3) }, 1, RAM_END + 0x88, LDST_LE, LOAD,
      RAM_END + 0x80 },
    { "dcbt",            { LDST_X31(278, 0, 0, 3) }, 1, RAM_END + 0x88, LDST_LE, NONE, 0 },
    { "stwcx. no resv",  { LDST_X31(150, 5, 0, 3) | LDST_RC }, 1, RAM_END, LDST_LE, NONE, 0 },
};

static void test_data(void)
{
    struct ldst_regs r;
    unsigned i;

    test_begin("data accesses beyond RAM");
    for (i = 0; i < COUNT(cases); i++) {
        const struct mc_case *c = &cases[i];
        unsigned k;
        int ok;
        memset(&r, 0, sizeof(r));
        for (k = 0; k < 32; k++)
            r.gpr[k] = REG_INIT(k);
        r.gpr[3] = c->ea;
        ldst_exec_seq(c->seq, c->n, &r, c->mode);
        /* one check per case, so that QEMU 7.2's output (no machine check) stays short */
        if (c->kind == NONE)
            ok = ldst_trap.count == 0;
        else
            ok = ldst_trap.count == 1 && ldst_trap.vec == FW_VEC_MACHINE_CHECK &&
                 ldst_trap.srr0_off == 0 &&
                 ldst_trap.srr1 == ((ldst_exec_msr & ~LDST_SRR1_CAUSE) |
                                    (c->kind == LOAD ? MC_LOAD : MC_STORE)) &&
                 ldst_trap.dar == c->dar &&
                 ldst_trap.dsisr == (c->kind == LOAD ? DSISR_LOAD : 0) &&
                 r.gpr[5] == REG_INIT(5);
        test_checkf(ok, __FILE__, __LINE__, "%s: not the expected machine check", c->name);
        printf("%-16s ", c->name);
        if (ldst_trap.count)
            printf("vec=%lx srr0=+%ld srr1=%lx dar=ea%+ld dsisr=%lx\n", ldst_trap.vec,
                   ldst_trap.srr0_off, ldst_trap.srr1 & LDST_SRR1_CAUSE,
                   (long)(ldst_trap.dar - c->ea), ldst_trap.dsisr);
        else
            printf("no interrupt, r5=%016llx\n", (unsigned long long)r.gpr[5]);
    }
}

/* Branch to RAM_END: mtctr r9; bctrl.  SRR0 = the target; the handler returns to LR. */
static void test_fetch(void)
{
    static const uint32_t seq[] = { 0x7d2903a6u, 0x4e800421u };
    struct ldst_regs r;

    test_begin("instruction fetch beyond RAM");
    memset(&r, 0, sizeof(r));
    r.gpr[9] = RAM_END;
    ldst_exec_seq(seq, COUNT(seq), &r, LDST_LE);
    test_checkf(ldst_trap.count == 1 && ldst_trap.vec == FW_VEC_MACHINE_CHECK &&
                ldst_trap.srr0_off + (long)ldst_insn_addr == (long)RAM_END &&
                (ldst_trap.srr1 & LDST_SRR1_CAUSE) == MC_FETCH &&
                ldst_trap.dar == LDST_DAR_INIT && ldst_trap.dsisr == 0,
                __FILE__, __LINE__, "fetch: not the expected machine check");
    printf("bctrl to 0x40000000: vec=%lx srr0=%s srr1=%lx dar=%s dsisr=%lx\n", ldst_trap.vec,
           ldst_trap.srr0_off + (long)ldst_insn_addr == (long)RAM_END ? "target" : "?",
           ldst_trap.srr1 & LDST_SRR1_CAUSE,
           ldst_trap.dar == LDST_DAR_INIT ? "unchanged" : "written", ldst_trap.dsisr);
}

int main(void)
{
    test_data();
    test_fetch();
    return test_report();
}
