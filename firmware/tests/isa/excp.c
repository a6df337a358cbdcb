/*
 * excp.c - system calls and the program interrupts a pseries guest sees
 * (Power ISA v3.0B Book III 7.5; QEMU 7.2 pseries as the reference).
 *
 *   sc 0 (and any LEV but 1)  -> 0xC00, SRR0 = next instruction, new MSR
 *                               = SF|ME|LE (LPCR[ILE] set by H_SET_MODE)
 *   sc 1 from problem state   -> hypercall answered H_PRIVILEGE in r3
 *   scv with FSCR[SCV] = 0    -> facility unavailable 0xF60, FSCR[IC] = 12
 *   scv LEV with FSCR[SCV]    -> 0x17000 + 0x20 * LEV, LR = next, CTR = MSR
 *   illegal instruction       -> 0x700, SRR1 0x80000
 *   privileged from PR = 1    -> 0x700, SRR1 0x40000 (mfmsr, mtspr SRR0, rfid)
 *   hypervisor instruction    -> 0x700, SRR1 0x40000 (hrfid from supervisor)
 */
#include "fw.h"
#include "user_mode.h"
#include "ppc/fscr.h"

#define SRR1_CAUSE_BITS (PPC_BITMASK(33, 36) | PPC_BITMASK(42, 47))

static struct fw_trap last;
static unsigned long handler_msr;
static volatile unsigned ntraps;

static int on_trap(struct fw_trap *t)
{
    last = *t;
    ntraps++;
    handler_msr = mfmsr();
    fw_trap_skip(t);
    return 0;
}

extern char sc0_next[], sc2_next[], illegal_at[], hrfid_at[], scv_next[];

static __attribute__((noinline)) void do_sc0(void) { __asm__ volatile("sc 0\nsc0_next:" ::: "memory"); }
static __attribute__((noinline)) void do_sc2(void) { __asm__ volatile("sc 2\nsc2_next:" ::: "memory"); }
static __attribute__((noinline)) void do_illegal(void) { __asm__ volatile("illegal_at: .long 0" ::: "memory"); }
static __attribute__((noinline)) void do_hrfid(void) { __asm__ volatile("hrfid_at: hrfid" ::: "memory"); }
static __attribute__((noinline)) void do_scv(void) { __asm__ volatile("scv 3\nscv_next:" ::: "memory", "lr", "ctr"); }

static unsigned long user_sc1(unsigned long op)
{
    register unsigned long r3 __asm__("r3") = op;
    __asm__ volatile("sc 1" : "+r"(r3) : : "r0", "r4", "r5", "r6", "r7", "r8", "r9", "r10",
                     "r11", "r12", "ctr", "xer", "cr0", "memory");
    return r3;
}

static unsigned long user_mtsrr0(unsigned long x)
{
    __asm__ volatile("mtsrr0 %0" : : "r"(x));
    return 0;
}

static unsigned long user_rfid(unsigned long x)
{
    (void)x;
    __asm__ volatile("rfid" ::: "memory");
    return 0;
}

/* ---- reserved bits of the system instructions (QEMU 7.2 decides) ---- */

static uint32_t code[2] __attribute__((aligned(16)));
extern unsigned long run_word_asm(void *code, unsigned long r3);
__asm__(
"    .text\n"
"    .globl run_word_asm\n"
"run_word_asm:\n"
"    mflr 0\n"
"    std  0, 16(1)\n"
"    mr   12, 3\n"
"    mr   3, 4\n"
"    mtlr 12\n"
"    blrl\n"
"    ld   0, 16(1)\n"
"    mtlr 0\n"
"    blr\n");

static int word_trap(struct fw_trap *t)
{
    last = *t;
    ntraps++;
    t->srr0 = (unsigned long)&code[1];
    return 0;
}

static void try_word(const char *name, uint32_t word, unsigned long r3)
{
    fw_trap_fn prev = fw_set_trap_handler(word_trap);
    unsigned long out;
    code[0] = word;
    code[1] = 0x4e800020u;                  /* blr */
    icache_sync(code, sizeof(code));
    mtspr(SPR_SRR0, (unsigned long)&code[1]);   /* for the rfid forms */
    mtspr(SPR_SRR1, mfmsr());
    ntraps = 0;
    out = run_word_asm(code, r3);
    fw_set_trap_handler(prev);
    if (!ntraps)
        printf("%-26s executes (r3=%lx)\n", name, out == r3 ? 0ul : out);
    else if (last.vec == FW_VEC_PROGRAM)
        printf("%-26s program srr1 cause %lx\n", name, (unsigned long)(last.srr1 & SRR1_CAUSE_BITS));
    else
        printf("%-26s interrupt %lx\n", name, (unsigned long)last.vec);
}

static void test_reserved_bits(void)
{
    unsigned long msr = mfmsr();
    test_begin("reserved bits of system instructions");
    try_word("sc 0 with bit 0", 0x44000003u, 0);
    try_word("sc 0 with bit 12", 0x44001002u, 0);
    try_word("sc 0 with bits 2:4", 0x4400001eu, 0);
    try_word("scv form, bit 0 clear", 0x44000000u, 0);
    try_word("rfid with bits 11:14", 0x4c007824u, 0);
    try_word("rfid with bit 15", 0x4c008024u, 0);
    try_word("rfid with bit 0", 0x4c000025u, 0);
    try_word("mtmsrd r3 with bit 17", 0x7c620164u, msr);
    try_word("mtmsrd r3 with bit 11", 0x7c600964u, msr);
    try_word("mtmsrd r3 with bit 0", 0x7c600165u, msr);
    try_word("mtmsr r3,1 with bit 11", 0x7c610924u, msr);
    try_word("mfmsr r3 with bit 11", 0x7c6008a6u, 0);
    try_word("mfmsr r3 with bit 0", 0x7c6000a7u, 0);
    try_word("mtspr SPRG0 with bit 0", 0x7c7043a7u, 0);
    try_word("mfspr SPRG0 with bit 0", 0x7c7042a7u, 0);
    try_word("mftb r3, LPIDR (319)", 0x7c7f4ae6u, 0);
    try_word("mftb r3, PVR (287)", 0x7c7f42e6u, 0);
    try_word("mftb r3 with bit 0", 0x7c6c42e7u, 0);
    try_word("tw 0 with bit 0", 0x7c000009u, 0);
    try_word("td 0 with bit 0", 0x7c000089u, 0);
    mtmsrd(msr);
}

int main(void)
{
    struct user_res r;
    unsigned long msr = mfmsr();

    TEST_EQ(user_mode_init(), H_SUCCESS);           /* also H_SET_MODE: ILE */
    fw_set_trap_handler(on_trap);

    test_begin("sc 0: system call to the OS");
    do_sc0();
    TEST_EQ(last.vec, FW_VEC_SYSCALL);
    TEST_EQ(last.srr0, (unsigned long)sc0_next);
    TEST_EQ(last.srr1 & ~SRR1_CAUSE_BITS, msr);
    TEST_EQ(last.srr1 & SRR1_CAUSE_BITS, 0);
    TEST_EQ(handler_msr, MSR_SF | MSR_ME | MSR_LE);
    do_sc2();
    TEST_EQ(last.vec, FW_VEC_SYSCALL);
    TEST_EQ(last.srr0, (unsigned long)sc2_next);

    test_begin("illegal instruction");
    do_illegal();
    TEST_EQ(last.vec, FW_VEC_PROGRAM);
    TEST_EQ(last.srr0, (unsigned long)illegal_at);
    TEST_EQ(last.srr1 & SRR1_CAUSE_BITS, FW_SRR1_PROGRAM_ILLEGAL);
    TEST_EQ(handler_msr, MSR_SF | MSR_ME | MSR_LE);

    test_begin("hrfid from supervisor state");
    do_hrfid();
    TEST_EQ(last.vec, FW_VEC_PROGRAM);
    TEST_EQ(last.srr0, (unsigned long)hrfid_at);
    TEST_EQ(last.srr1 & SRR1_CAUSE_BITS, FW_SRR1_PROGRAM_PRIV);

    test_begin("scv");
    mtspr(SPR_FSCR, 0);
    do_scv();
    TEST_EQ(last.vec, FW_VEC_FAC_UNAVAIL);
    TEST_EQ(mfspr(SPR_FSCR) >> FSCR_IC_SHIFT, FSCR_IC_SCV);
    mtspr(SPR_FSCR, FSCR_SCV);
    ntraps = 0;
    do_scv();
    TEST_EQ(ntraps, 1);
    TEST_EQ(last.vec, FW_VEC_SCV + 3 * FW_VEC_SLOT);
    TEST_EQ(last.srr0, (unsigned long)scv_next);       /* LR */
    TEST_EQ(last.srr1, msr);                            /* CTR */
    TEST_EQ(handler_msr, MSR_SF | MSR_ME | MSR_LE | (msr & MSR_RI));
    mtspr(SPR_FSCR, 0);

    test_reserved_bits();
    fw_set_trap_handler(on_trap);

    test_begin("problem state: privileged instructions and sc 1");
    fw_set_trap_handler(NULL);
    TEST_EQ(user_call(user_sc1, H_SET_SPRG0, 0, &r), 1);
    TEST_EQ(r.r3, (unsigned long)H_PRIVILEGE);
    TEST_EQ(user_call(user_mtsrr0, 0, 0, &r), 0);
    TEST_EQ(r.vec, FW_VEC_PROGRAM);
    TEST_EQ(r.srr1 & SRR1_CAUSE_BITS, FW_SRR1_PROGRAM_PRIV);
    TEST_EQ(r.srr1 & (MSR_PR | MSR_EE | MSR_IR | MSR_DR), MSR_PR | MSR_EE | MSR_IR | MSR_DR);
    TEST_EQ(user_call(user_rfid, 0, 0, &r), 0);
    TEST_EQ(r.vec, FW_VEC_PROGRAM);
    TEST_EQ(r.srr1 & SRR1_CAUSE_BITS, FW_SRR1_PROGRAM_PRIV);
    return test_report();
}
