/*
 * loadstore.h - helpers shared by the load/store, string, atomic and
 * storage-control handlers (cpu/exec/{loadstore,string,atomic,
 * storage_ctrl}.c): effective addresses, invalid forms, and the alignment
 * interrupt exactly as QEMU 7.2 reports it.
 *
 * Effective addresses (Book I 1.10.3): (RA|0) + displacement or (RA|0) +
 * (RB), computed modulo 2^64 and truncated to 32 bits in 32-bit mode
 * (MSR[SF] = 0); update forms write that same EA into RA.
 */
#ifndef NESTHV_CPU_EXEC_LOADSTORE_H
#define NESTHV_CPU_EXEC_LOADSTORE_H

#include "cpu/exec/exec.h"

/*
 * POWER9 cache block size: dcbz zeroes one block, icbi probes the start of
 * one.  Must match the d-cache-block-size the device tree reports.
 */
#define CPU_CACHE_BLOCK 128u

#define WORD_BYTES  4u
#define DWORD_BYTES 8u
#define QWORD_BYTES 16u
#define NGPRS       32u

static inline ea_t ea_disp(const CPUState *cpu, int ra, int32_t d)
{
    return cpu_ea(cpu, reg_or_zero(cpu, ra) + (uint64_t)(int64_t)d);
}

static inline ea_t ea_index(const CPUState *cpu, int ra, int rb)
{
    return cpu_ea(cpu, reg_or_zero(cpu, ra) + cpu->gpr[rb]);
}

/* The next byte/word of a multi-part access, wrapping like any EA. */
static inline ea_t ea_add(const CPUState *cpu, ea_t ea, uint64_t n)
{
    return cpu_ea(cpu, ea + n);
}

/* Sign-extend the low size bytes of v. */
static inline uint64_t sext(uint64_t v, unsigned size)
{
    unsigned sh = 64 - 8 * size;
    return (uint64_t)((int64_t)(v << sh) >> sh);
}

/*
 * An invalid instruction form (Book I 1.8.1) that QEMU 7.2 rejects: the
 * illegal-instruction program interrupt, as for an unknown opcode.
 */
static inline void raise_invalid_form(CPUState *cpu)
{
    cpu_raise_program(cpu, SRR1_PROG_ILLEGAL);
}

/*
 * Alignment interrupt (Book III 7.5.8).  The ISA leaves DSISR undefined for
 * it; QEMU 7.2 ORs instruction bits 6:15 (RT/RS and RA) into DSISR bits
 * 54:63 and keeps the rest of the old DSISR.  Two flavours, both QEMU's:
 *
 *  - raise_align_no_le(): load/store multiple and string in little-endian
 *    mode (Book I 3.3.7-3.3.8: "an Alignment interrupt occurs").  DAR is
 *    not written; the bits come from the instruction word itself.
 *  - raise_align_atomic(): larx/stcx. (and lqarx/stqcx.) whose EA is not a
 *    multiple of the operand size.  DAR = EA; QEMU re-reads the word from
 *    memory big-endian whatever MSR[LE] is, so in little-endian mode the
 *    bits come from the byte-reversed word.
 */
#define DSISR_ALIGN_INSN_SHIFT 16
#define DSISR_ALIGN_INSN_MASK  0x3FFu

static inline void align_dsisr_or(CPUState *cpu, uint32_t image)
{
    cpu->spr[SPR_DSISR] |= (image >> DSISR_ALIGN_INSN_SHIFT) & DSISR_ALIGN_INSN_MASK;
}

static inline void raise_align_no_le(CPUState *cpu)
{
    align_dsisr_or(cpu, cpu_current_insn(cpu)->raw);
    cpu_raise_alignment(cpu, cpu->spr[SPR_DAR]);
}

static inline void raise_align_atomic(CPUState *cpu, ea_t ea)
{
    uint32_t raw = cpu_current_insn(cpu)->raw;
    align_dsisr_or(cpu, cpu_big_endian(cpu) ? raw : __builtin_bswap32(raw));
    cpu_raise_alignment(cpu, ea);
}

#endif
