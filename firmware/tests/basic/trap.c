/*
 * trap.c - libfw's interrupt support: program interrupts (illegal
 * instruction, tw/tdi traps), sc 0 to the 0xc00 vector, scv 0/1 to the
 * 0x17000 vectors, a handler that edits the saved GPRs, and register
 * preservation across an interrupt.
 */
#include "fw.h"

#define STR_(x)       #x
#define STR(x)        STR_(x)
#define MAGIC_R3      0x1234
#define HANDLER_R3    0x5678

/* Each helper labels its faulting instruction so SRR0 can be checked. */
extern void do_illegal(void), do_trap(void), do_sc(void), do_scv0(void), do_scv1(void);
extern unsigned long do_trap_r3(void), trap_keep_regs(void);
extern const char illegal_insn[], trap_insn[], sc_next[], scv0_next[], scv1_next[];

__asm__(
    "    .text\n"
    "    .globl do_illegal, illegal_insn\n"
    "do_illegal:\n"
    "illegal_insn:\n"
    "    .long 0\n"                     /* primary opcode 0: illegal */
    "    blr\n"
    "    .globl do_trap, trap_insn\n"
    "do_trap:\n"
    "trap_insn:\n"
    "    tw 31, 0, 0\n"
    "    blr\n"
    "    .globl do_sc, sc_next\n"
    "do_sc:\n"
    "    sc 0\n"
    "sc_next:\n"
    "    blr\n"
    /* scv puts the return address in LR: keep ours in the caller's frame. */
    "    .globl do_scv0, scv0_next, do_scv1, scv1_next\n"
    "do_scv0:\n"
    "    mflr 0\n"
    "    std 0, 16(1)\n"
    "    scv 0\n"
    "scv0_next:\n"
    "    ld 0, 16(1)\n"
    "    mtlr 0\n"
    "    blr\n"
    "do_scv1:\n"
    "    mflr 0\n"
    "    std 0, 16(1)\n"
    "    scv 1\n"
    "scv1_next:\n"
    "    ld 0, 16(1)\n"
    "    mtlr 0\n"
    "    blr\n"
    /* r3 = MAGIC_R3, trap; the handler may change r3 before we return it. */
    "    .globl do_trap_r3\n"
    "do_trap_r3:\n"
    "    li 3, " STR(MAGIC_R3) "\n"
    "    trap\n"
    "    blr\n"
    /* Returns 0 if r0, r11, r12, r13, CTR, XER and CR0/1/5-7 survive a trap. */
    "    .globl trap_keep_regs\n"
    "trap_keep_regs:\n"
    "    mr 9, 13\n"
    "    li 0, 0x100\n"
    "    li 11, 0x111\n"
    "    li 12, 0x122\n"
    "    li 13, 0x133\n"
    "    li 10, 0x1ff\n"
    "    mtctr 10\n"
    "    lis 10, 0x2000\n"              /* XER[CA] */
    "    mtxer 10\n"
    "    lis 10, 0x4800\n"
    "    ori 10, 10, 0x0a5\n"
    "    mtcrf 0xc7, 10\n"              /* cr0, cr1, cr5, cr6, cr7 */
    "    trap\n"
    "    xori 3, 0, 0x100\n"
    "    xori 10, 11, 0x111\n"
    "    or 3, 3, 10\n"
    "    xori 10, 12, 0x122\n"
    "    or 3, 3, 10\n"
    "    xori 10, 13, 0x133\n"
    "    or 3, 3, 10\n"
    "    mfctr 10\n"
    "    xori 10, 10, 0x1ff\n"
    "    or 3, 3, 10\n"
    "    mfxer 10\n"
    "    xoris 10, 10, 0x2000\n"
    "    or 3, 3, 10\n"
    "    mfcr 10\n"
    "    andis. 11, 10, 0xff00\n"       /* cr0, cr1 */
    "    xoris 11, 11, 0x4800\n"
    "    or 3, 3, 11\n"
    "    andi. 11, 10, 0x0fff\n"        /* cr5, cr6, cr7 */
    "    xori 11, 11, 0x0a5\n"
    "    or 3, 3, 11\n"
    "    mr 13, 9\n"
    "    blr\n");

static void test_program_interrupts(void)
{
    test_begin("program interrupts");
    FW_EXPECT_TRAP(FW_VEC_PROGRAM, do_illegal());
    TEST_EQ(fw_last_trap.vec, FW_VEC_PROGRAM);
    TEST_EQ(fw_last_trap.srr0, (unsigned long)illegal_insn);
    TEST_EQ(fw_last_trap.srr1 & FW_SRR1_PROGRAM_ILLEGAL, FW_SRR1_PROGRAM_ILLEGAL);
    TEST_EQ(fw_last_trap.srr1 & MSR_LE, MSR_LE);

    FW_EXPECT_TRAP(FW_VEC_PROGRAM, do_trap());
    TEST_EQ(fw_last_trap.srr0, (unsigned long)trap_insn);
    TEST_EQ(fw_last_trap.srr1 & FW_SRR1_PROGRAM_TRAP, FW_SRR1_PROGRAM_TRAP);
    TEST_EQ(fw_last_trap.srr1 & FW_SRR1_PROGRAM_ILLEGAL, 0);

    FW_EXPECT_TRAP(FW_VEC_PROGRAM, __asm__ volatile("tdi 31, 0, 0"));
    TEST_EQ(fw_last_trap.srr1 & FW_SRR1_PROGRAM_TRAP, FW_SRR1_PROGRAM_TRAP);
}

static void test_syscall(void)
{
    test_begin("system call");
    FW_EXPECT_TRAP(FW_VEC_SYSCALL, do_sc());
    TEST_EQ(fw_last_trap.vec, FW_VEC_SYSCALL);
    TEST_EQ(fw_last_trap.srr0, (unsigned long)sc_next);
    TEST_EQ(fw_last_trap.srr1 & (MSR_SF | MSR_LE), MSR_SF | MSR_LE);
}

static void test_scv(void)
{
    test_begin("system call vectored");
    mtspr(SPR_FSCR, mfspr(SPR_FSCR) | FSCR_SCV);
    FW_EXPECT_TRAP(FW_VEC_SCV, do_scv0());
    TEST_EQ(fw_last_trap.vec, FW_VEC_SCV);
    TEST_EQ(fw_last_trap.srr0, (unsigned long)scv0_next);      /* from LR */
    TEST_EQ(fw_last_trap.srr1 & (MSR_SF | MSR_LE), MSR_SF | MSR_LE);   /* from CTR */
    FW_EXPECT_TRAP(FW_VEC_SCV + FW_VEC_SLOT, do_scv1());
    TEST_EQ(fw_last_trap.srr0, (unsigned long)scv1_next);
}

static int set_r3_handler(struct fw_trap *t)
{
    if (t->vec != FW_VEC_PROGRAM || t->gpr[3] != MAGIC_R3)
        return -1;
    t->gpr[3] = HANDLER_R3;
    fw_trap_skip(t);
    return 0;
}

static int skip_handler(struct fw_trap *t)
{
    fw_trap_skip(t);
    return 0;
}

static void test_handler_edits(void)
{
    fw_trap_fn prev;

    test_begin("handler edits state");
    prev = fw_set_trap_handler(set_r3_handler);
    TEST_EQ(do_trap_r3(), HANDLER_R3);
    fw_set_trap_handler(skip_handler);
    TEST_EQ(trap_keep_regs(), 0);
    fw_set_trap_handler(prev);
}

int main(void)
{
    fw_install_vectors();
    test_program_interrupts();
    test_syscall();
    test_scv();
    test_handler_edits();
    return test_report();
}
