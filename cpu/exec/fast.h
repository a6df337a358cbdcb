/*
 * fast.h - specialized handlers for the commonest forms of the hottest
 * instructions (the run loop's fast paths).
 *
 * When a slot of the decoded-instruction cache is first decoded,
 * exec_specialize() may replace its handler with one of these: a handler
 * that takes the DecodedInsn directly (no exec_NAME -> trans_NAME call),
 * handles only forms fixed at decode time (Rc = 0, OE = 0, a simple BO ...)
 * and may read an operand precomputed into d->aux (a rotate mask, a load or
 * store displacement).  Each is defined next to the general handler it
 * stands for and must do exactly what that handler does for those forms
 * (tests/unit/cpu/test_fast.c checks it); the slot keeps its id and raw
 * word, so tracing, HEIR and cpu_current_insn() are unchanged.
 */
#ifndef NESTHV_CPU_EXEC_FAST_H
#define NESTHV_CPU_EXEC_FAST_H

#include "cpu/cpu.h"

/* Pick a specialized handler for a freshly decoded slot (cpu/exec/fast.c); else leave it. */
void exec_specialize(DecodedInsn *d);

/* logical.c: X-form, Rc = 0, not the "or N,N,N" hints. */
void fast_OR(CPUState *cpu, const DecodedInsn *d);
void fast_MR(CPUState *cpu, const DecodedInsn *d);   /* or RA,RS,RS */
void fast_XOR(CPUState *cpu, const DecodedInsn *d);
void fast_AND(CPUState *cpu, const DecodedInsn *d);

/* arith.c: add with OE = 0, Rc = 0; addi with RA = 0 (li) or not, aux = SI sign-extended. */
void fast_ADD(CPUState *cpu, const DecodedInsn *d);
void fast_LI(CPUState *cpu, const DecodedInsn *d);
void fast_ADDI(CPUState *cpu, const DecodedInsn *d);

/* rotate.c: Rc = 0, aux = the mask (rlw_mask_of(), fx_mask ...). */
void fast_RLWINM(CPUState *cpu, const DecodedInsn *d);
void fast_RLDIC_any(CPUState *cpu, const DecodedInsn *d); /* rldicl, rldicr, rldic */
uint64_t exec_rlwinm_mask(int32_t mb, int32_t me);
uint64_t exec_rldic_mask(uint16_t id, int32_t sh, int32_t m);

/* loadstore.c: D/DS and X forms with RA != 0 (update load: RA != RT); aux = the displacement.
   The soft-TLB hit inline, everything else through the general handler. */
void fast_LBZ(CPUState *cpu, const DecodedInsn *d);
void fast_LWZ(CPUState *cpu, const DecodedInsn *d);
void fast_LD(CPUState *cpu, const DecodedInsn *d);
void fast_LWZU(CPUState *cpu, const DecodedInsn *d);
void fast_LWZX(CPUState *cpu, const DecodedInsn *d);
void fast_LDX(CPUState *cpu, const DecodedInsn *d);
void fast_STW(CPUState *cpu, const DecodedInsn *d);
void fast_STD(CPUState *cpu, const DecodedInsn *d);
void fast_STWU(CPUState *cpu, const DecodedInsn *d);
void fast_STWX(CPUState *cpu, const DecodedInsn *d);
void fast_STDX(CPUState *cpu, const DecodedInsn *d);

/* branch.c: bc with AA = 0, LK = 0: on one CR bit only, or bdnz/bdz only. */
void fast_BC_cr(CPUState *cpu, const DecodedInsn *d);
void fast_BC_ctr(CPUState *cpu, const DecodedInsn *d);
/* Which fast bc handler fits this BO (NULL: none). */
insn_exec_fn exec_bc_fast_for(int32_t bo);

#endif
