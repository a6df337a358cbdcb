/*
 * fpunavail.c - FP, VMX and VSX instructions with their facility off
 * (Power ISA v3.0B Book III 7.5.11 FP unavailable 0x800, 7.5.22 vector
 * unavailable 0xF20, 7.5.23 VSX unavailable 0xF40).  SRR0 = the
 * instruction, no SRR1 cause bits.
 *
 * Which MSR bit each instruction checks is QEMU 7.2's choice: FP loads/
 * stores and opcodes 59/63 MSR[FP]; VMX and opcode 4 MSR[VEC]; VSX
 * loads/stores, lxsd and opcode 60 MSR[VSX]; lxv/lxvx/lxvl/lxvwsx (and the
 * stores) MSR[VSX] for VSR 0..31 but MSR[VEC] for VSR 32..63.  Only
 * configurations where the checked bit is off are run (the instructions
 * themselves are not emulated yet).
 */
#include "fw.h"

#define ALL_FAC (MSR_FP | MSR_VEC | MSR_VSX)
#define CAUSE_BITS (PPC_BITMASK(33, 36) | PPC_BITMASK(42, 47))

static struct fw_trap last;
static volatile unsigned ntraps;
static uint64_t buf[4] __attribute__((aligned(64)));
static uint32_t code[2] __attribute__((aligned(16)));

static int on_trap(struct fw_trap *t)
{
    last = *t;
    ntraps++;
    t->srr0 = t->lr;                    /* leave the generated code */
    return 0;
}

extern void run_word_asm(void *code, void *buf);
__asm__(
"    .text\n"
"    .globl run_word_asm\n"
"run_word_asm:\n"
"    mflr 0\n"
"    std  0, 16(1)\n"
"    mtlr 3\n"
"    mr   9, 4\n"                     /* RA = 9 in the words below */
"    li   10, 0\n"
"    blrl\n"
"    ld   0, 16(1)\n"
"    mtlr 0\n"
"    blr\n");

static void try_word(const char *name, uint32_t word, unsigned long on, unsigned long want)
{
    unsigned long m = mfmsr();
    code[0] = word;
    code[1] = 0x4e800020u;
    icache_sync(code, sizeof(code));
    ntraps = 0;
    last.vec = 0;
    mtmsrd((m & ~ALL_FAC) | on);
    run_word_asm(code, buf);
    mtmsrd(m);
    printf("%-22s on=%c%c%c -> %u x %lx\n", name, (on & MSR_FP) ? 'F' : '-', (on & MSR_VEC) ? 'V' : '-',
           (on & MSR_VSX) ? 'X' : '-', ntraps, (unsigned long)last.vec);
    TEST_EQ(last.vec, want);
    TEST_EQ(last.srr0, (unsigned long)code);
    TEST_EQ(last.srr1 & CAUSE_BITS, 0);
}

int main(void)
{
    fw_set_trap_handler(on_trap);
    test_begin("FP unavailable");
    try_word("lfd f0,0(r9)", 0xc8090000u, MSR_VEC | MSR_VSX, FW_VEC_FP_UNAVAIL);
    try_word("stfs f1,8(r9)", 0xd0290008u, MSR_VEC | MSR_VSX, FW_VEC_FP_UNAVAIL);
    try_word("lfdx f0,r9,r10", 0x7c0954aeu, 0, FW_VEC_FP_UNAVAIL);
    try_word("lfiwzx f0,r9,r10", 0x7c0956eeu, 0, FW_VEC_FP_UNAVAIL);
    try_word("lfdp f0,0(r9)", 0xe4090000u, MSR_VEC | MSR_VSX, FW_VEC_FP_UNAVAIL);
    try_word("fadd f0,f0,f2", 0xfc00102au, MSR_VEC | MSR_VSX, FW_VEC_FP_UNAVAIL);
    try_word("fmadds f0,f1,f2,f3", 0xec0110fau, 0, FW_VEC_FP_UNAVAIL);
    try_word("fcmpu cr0,f0,f1", 0xfc000800u, 0, FW_VEC_FP_UNAVAIL);
    try_word("mffs f0", 0xfc00048eu, MSR_VEC | MSR_VSX, FW_VEC_FP_UNAVAIL);
    try_word("mtfsf 0xff,f0", 0xfdfe058eu, 0, FW_VEC_FP_UNAVAIL);
    try_word("fctidz f0,f1", 0xfc00065eu, 0, FW_VEC_FP_UNAVAIL);

    test_begin("vector unavailable");
    try_word("lvx v0,r9,r10", 0x7c0950ceu, MSR_FP | MSR_VSX, FW_VEC_VMX_UNAVAIL);
    try_word("stvx v0,r9,r10", 0x7c0951ceu, MSR_FP | MSR_VSX, FW_VEC_VMX_UNAVAIL);
    try_word("lvsl v0,r9,r10", 0x7c09500cu, MSR_FP | MSR_VSX, FW_VEC_VMX_UNAVAIL);
    try_word("mfvscr v0", 0x10000604u, MSR_FP | MSR_VSX, FW_VEC_VMX_UNAVAIL);
    try_word("vaddubm v0,v0,v0", 0x10000000u, MSR_FP | MSR_VSX, FW_VEC_VMX_UNAVAIL);
    try_word("vperm v0,v1,v2,v3", 0x100110ebu, MSR_FP | MSR_VSX, FW_VEC_VMX_UNAVAIL);
    try_word("lxvx vs32,r9,r10", 0x7c095219u, MSR_FP | MSR_VSX, FW_VEC_VMX_UNAVAIL);
    try_word("lxv vs32,0(r9)", 0xf4090009u, MSR_FP | MSR_VSX, FW_VEC_VMX_UNAVAIL);
    try_word("stxv vs32,16(r9)", 0xf409001du, MSR_FP | MSR_VSX, FW_VEC_VMX_UNAVAIL);

    test_begin("VSX unavailable");
    try_word("lxvd2x vs0,r9,r10", 0x7c095698u, MSR_FP | MSR_VEC, FW_VEC_VSX_UNAVAIL);
    try_word("lxvd2x vs32,r9,r10", 0x7c095699u, MSR_FP | MSR_VEC, FW_VEC_VSX_UNAVAIL);
    try_word("stxvd2x vs0,r9,r10", 0x7c095798u, MSR_FP | MSR_VEC, FW_VEC_VSX_UNAVAIL);
    try_word("lxvx vs0,r9,r10", 0x7c095218u, MSR_FP | MSR_VEC, FW_VEC_VSX_UNAVAIL);
    try_word("lxv vs0,0(r9)", 0xf4090001u, MSR_FP | MSR_VEC, FW_VEC_VSX_UNAVAIL);
    try_word("lxsd v0,0(r9)", 0xe4090002u, MSR_FP | MSR_VEC, FW_VEC_VSX_UNAVAIL);
    try_word("lxsibzx vs32,r9,r10", 0x7c09561bu, MSR_FP | MSR_VEC, FW_VEC_VSX_UNAVAIL);
    try_word("lxvb16x vs32,r9,r10", 0x7c0956d9u, MSR_FP | MSR_VEC, FW_VEC_VSX_UNAVAIL);
    try_word("xxlor vs0,vs0,vs0", 0xf0000490u, MSR_FP | MSR_VEC, FW_VEC_VSX_UNAVAIL);
    try_word("xsadddp vs0,vs0,vs0", 0xf0000100u, MSR_FP | MSR_VEC, FW_VEC_VSX_UNAVAIL);
    try_word("lxvd2x vs0 all off", 0x7c095698u, 0, FW_VEC_VSX_UNAVAIL);
    return test_report();
}
