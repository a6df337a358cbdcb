/*
 * be-insn.h - assembler macro that emits one instruction word in big-endian
 * byte order from a little-endian assembly file.
 *
 * Used for the code that runs before the CPU is switched to little-endian:
 * the -bios ROM and the endian trampoline at the start of crt0.S.  Each use
 * carries the instruction it encodes in a comment.
 */
#ifndef FW_BE_INSN_H
#define FW_BE_INSN_H

#ifdef __ASSEMBLER__
.macro BE_INSN word
    .byte ((\word) >> 24) & 0xff, ((\word) >> 16) & 0xff, ((\word) >> 8) & 0xff, (\word) & 0xff
.endm
#endif

/* I-form branch "b": opcode 18, word offset LI in bits 6:29 (AA = LK = 0). */
#define PPC_INSN_B          0x48000000
#define PPC_INSN_B_LI_MASK  0x03fffffc

#endif
