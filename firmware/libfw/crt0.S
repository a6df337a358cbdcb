/*
 * crt0.S - entry point of every libfw program.
 *
 * The machine enters _start big-endian in 32-bit mode (via the -bios ROM's
 * branch) with r3 = FDT address, r4, r5 as handed over by the platform.
 * crt0:
 *   1. endian trampoline: word 0 reads 0x48000008 big-endian ("b .+8" into
 *      a big-endian sequence that sets MSR[LE] and rfids to offset 40) and is
 *      a no-op (tdi 0,0,0x48) little-endian (then "b fw_le_entry");
 *   2. switches to MSR = SF|ME|RI|LE (| whatever bits came in) with rfid;
 *   3. sets up r2 (TOC) and a 64 KiB stack, clears .bss;
 *   4. calls fw_start(r3, r4, r5) (start.c), which saves the entry registers,
 *      runs main() and hands its return value to fw_exit().
 * Everything is PC-relative, so crt0 itself does not depend on the run address.
 * r3..r5 are not touched until fw_start is called.
 */
#include "be-insn.h"

#define MSR_SF_SHIFT   63          /* MSR[SF] is the most significant bit */
#define MSR_ME         0x1000
#define MSR_RI         0x2
#define MSR_LE         0x1
#define FW_STACK_SIZE  0x10000     /* 64 KiB */
#define ABI_FRAME_MIN  32          /* ELFv2 minimum stack frame */
#define TRAMPOLINE_END 40          /* offset where the big-endian rfid lands */

    .section .text.entry, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    BE_INSN 0x48000008          /* BE: b .+8      LE: tdi 0,0,0x48 (no-op) */
    b       fw_le_entry         /* entered little-endian already */

    /* Big-endian trampoline: set MSR[LE], rfid to _start + TRAMPOLINE_END. */
    BE_INSN 0x7d6000a6          /* mfmsr  r11             */
    BE_INSN 0x616b0001          /* ori    r11,r11,1 (LE)  */
    BE_INSN 0x429f0005          /* bcl    20,31,.+4       */
    BE_INSN 0x7d4802a6          /* mflr   r10             */
    BE_INSN 0x394a0014          /* addi   r10,r10,20      */
    BE_INSN 0x7d5a03a6          /* mtsrr0 r10             */
    BE_INSN 0x7d7b03a6          /* mtsrr1 r11             */
    BE_INSN 0x4c000024          /* rfid                   */
    .if (. - _start) != TRAMPOLINE_END
    .error "crt0: big-endian trampoline does not land on fw_le_entry"
    .endif

fw_le_entry:
    /* Little-endian, possibly still 32-bit: rfid into SF|ME|RI|LE. */
    mfmsr   r11
    li      r10, 1
    rldicr  r10, r10, MSR_SF_SHIFT, 0
    or      r11, r11, r10
    ori     r11, r11, MSR_ME | MSR_RI | MSR_LE
    bcl     20, 31, 1f
1:  mflr    r10
    addi    r10, r10, 2f - 1b
    mtsrr0  r10
    mtsrr1  r11
    rfid

2:  /* 64-bit little-endian: TOC, stack, .bss. */
    bcl     20, 31, 3f
3:  mflr    r12
    addis   r2, r12, (.TOC. - 3b)@ha
    addi    r2, r2, (.TOC. - 3b)@l
    addis   r1, r12, (fw_stack_top - 3b)@ha
    addi    r1, r1, (fw_stack_top - 3b)@l
    addis   r8, r12, (__bss_start - 3b)@ha
    addi    r8, r8, (__bss_start - 3b)@l
    addis   r9, r12, (__bss_end - 3b)@ha
    addi    r9, r9, (__bss_end - 3b)@l
    li      r0, 0
4:  cmpld   r8, r9
    bge     5f
    std     r0, 0(r8)
    addi    r8, r8, 8
    b       4b
5:  stdu    r0, -ABI_FRAME_MIN(r1)  /* terminate the back chain */
    bl      fw_start                /* r3, r4, r5: entry registers */
    nop
6:  b       6b                      /* fw_start does not return */
    .size _start, . - _start

    .section .bss.fw_stack, "aw", @nobits
    .balign 16
    .space FW_STACK_SIZE
    .globl fw_stack_top
fw_stack_top:
