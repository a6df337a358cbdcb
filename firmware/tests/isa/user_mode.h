/*
 * user_mode.h - run a function in problem state (MSR[PR] = 1) from a libfw
 * test, and catch the interrupt that ends it.  Header-only, shared by the
 * ISA tests spr*.c, msr*.c, excp*.c, trace*.c.
 *
 * MSR[PR] = 1 forces MSR[IR] = MSR[DR] = 1 (Book III 4.2.1; QEMU and nesthv
 * both do it), so problem-state code needs a translation: user_mode_init()
 * registers a radix process table (H_REGISTER_PROCESS_TABLE) whose PID 0
 * tree maps the first 4 GiB 1:1 with 1 GiB pages readable, writable and
 * executable from problem state.  Supervisor code keeps running in real
 * mode (IR = DR = 0) and is unaffected.
 *
 * user_call(fn, arg, extra_msr, &res) rfids into fn(arg) with MSR = the
 * current MSR | PR | IR | DR | extra_msr, LR = user_exit (which does sc 0).
 * The first interrupt ends the call: its vector, SRR0, SRR1 and r3 land in
 * res, and the caller's registers are restored.  user_call() returns 1 if
 * fn returned normally (the sc 0 at user_exit), 0 otherwise:
 *
 *     static unsigned long f(unsigned long x) { return mfspr(SPR_TB) + x; }
 *     struct user_res r;
 *     user_mode_init();
 *     if (user_call(f, 1, 0, &r)) ... r.r3 ...; else ... r.vec, r.srr1 ...
 */
#ifndef FW_TESTS_ISA_USER_MODE_H
#define FW_TESTS_ISA_USER_MODE_H

#include "fw.h"

/* H_REGISTER_PROCESS_TABLE flags (PAPR; Linux hvcall.h) */
#define UM_PT_NEW       0x18
#define UM_PT_RADIX     0x04
#define UM_PT_GTSE      0x01
/* Radix entries (Book III 6.7.10) */
#define UM_PDE_VALID    PPC_BIT(0)
#define UM_PTE_LEAF     PPC_BIT(1)
#define UM_PTE_R        PPC_BIT(55)
#define UM_PTE_C        PPC_BIT(56)
#define UM_PTE_RWX      0x7ul          /* EAA: read, read/write, execute; problem state allowed */
#define UM_ROOT_BITS    13             /* 8192-entry root: EA bits 12:24 of a 52-bit space */
#define UM_PUD_BITS     9              /* 512 entries of 1 GiB */
#define UM_GIB_SHIFT    30
#define UM_GIB_MAPPED   4
#define UM_RTS_52       ((0x2ul << 61) | (0x5ul << 5))  /* radix tree size 52 bits */
#define UM_DEC_FAR      0x7ffffffful   /* keep the decrementer quiet while PR forces EE on */

static uint64_t um_root[1u << UM_ROOT_BITS] __attribute__((aligned(1u << (UM_ROOT_BITS + 3))));
static uint64_t um_pud[1u << UM_PUD_BITS] __attribute__((aligned(4096)));
static uint64_t um_proc_table[512] __attribute__((aligned(4096)));

static inline uint64_t um_be64(uint64_t v) { return __builtin_bswap64(v); }

/* Returns the hcall status (0 = H_SUCCESS). */
static inline long user_mode_init(void)
{
    uint64_t i;

    for (i = 0; i < UM_GIB_MAPPED; i++)
        um_pud[i] = um_be64(UM_PDE_VALID | UM_PTE_LEAF | (i << UM_GIB_SHIFT) |
                            UM_PTE_R | UM_PTE_C | UM_PTE_RWX);
    um_root[0] = um_be64(UM_PDE_VALID | (uint64_t)um_pud | UM_PUD_BITS);
    um_proc_table[0] = um_be64(UM_RTS_52 | (uint64_t)um_root | UM_ROOT_BITS);
    sync();
    fw_install_vectors();
    return hcall(H_REGISTER_PROCESS_TABLE, UM_PT_NEW | UM_PT_RADIX | UM_PT_GTSE,
                 (unsigned long)um_proc_table, 0, 0);
}

struct user_res {
    unsigned long vec, srr0, srr1, r3;
};

/* From the assembly below. */
extern void user_enter(unsigned long fn, unsigned long arg, unsigned long msr);
extern char user_exit[], user_recover[];
unsigned long um_ctx[22];

/* Save r1, r2, LR, CR, r14-r31; rfid to fn; user_recover restores them. */
__asm__(
"    .text\n"
"    .globl user_enter, user_exit, user_recover\n"
"user_enter:\n"
"    addis 11, 2, um_ctx@toc@ha\n"
"    addi  11, 11, um_ctx@toc@l\n"
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
"    mtsrr1 5\n"
"    mr    12, 3\n"                  /* ELFv2: r12 = entry address */
"    mr    3, 4\n"
"    addis 11, 2, user_exit@toc@ha\n"
"    addi  11, 11, user_exit@toc@l\n"
"    mtlr  11\n"
"    rfid\n"
"user_exit:\n"
"    sc    0\n"
"user_recover:\n"
"    addis 11, 2, um_ctx@toc@ha\n"
"    addi  11, 11, um_ctx@toc@l\n"
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
"    blr\n");

static unsigned long um_kmsr;
static struct user_res um_last;

static int um_handler(struct fw_trap *t)
{
    um_last.vec = t->vec;
    um_last.srr0 = t->srr0;
    um_last.srr1 = t->srr1;
    um_last.r3 = t->gpr[3];
    t->srr0 = (unsigned long)user_recover;
    t->srr1 = um_kmsr;
    return 0;
}

static inline int user_call(unsigned long (*fn)(unsigned long), unsigned long arg,
                            unsigned long extra_msr, struct user_res *res)
{
    fw_trap_fn prev;

    um_kmsr = mfmsr();
    mtdec(UM_DEC_FAR);
    prev = fw_set_trap_handler(um_handler);
    user_enter((unsigned long)fn, arg, um_kmsr | MSR_PR | MSR_IR | MSR_DR | extra_msr);
    fw_set_trap_handler(prev);
    *res = um_last;
    return um_last.vec == FW_VEC_SYSCALL && um_last.srr0 == (unsigned long)user_exit + 4;
}

#endif
