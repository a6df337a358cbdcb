/*
 * trap_entry.S - interrupt entry for libfw (see trap.h).
 *
 * fw_vec_stub is a template that fw_install_vectors() copies into every
 * vector slot, patching the vector number into its lis/ori pair.  It only
 * uses absolute real addresses, so it runs anywhere: it parks r13 and CTR
 * in low memory, loads the address of fw_trap_entry from low memory, puts
 * the vector number in r13 and branches.
 *
 * fw_trap_entry saves every GPR, CR, LR, CTR, XER, SRR0, SRR1, DAR, DSISR
 * and the vector into fw_trap_frame, switches to the trap stack and the
 * program's TOC, calls fw_trap_dispatch(frame), then restores the (maybe
 * modified) frame and returns with rfid.  Interrupts arrive with IR = DR = 0,
 * EE = 0 and MSR[LE] = LPCR[ILE] = 1.
 */
#include "trap.h"

#define TRAP_C_FRAME 112    /* ELFv2 frame for the call into C, 16-aligned */
#define CR_ALL       0xff

    /* ---- the vector stub template (copied, never executed in place) ---- */
    .section .rodata.fw_vec_stub, "a", @progbits
    .balign 4
    .globl fw_vec_stub, fw_vec_stub_vec, fw_vec_stub_end
fw_vec_stub:
    std     r13, FW_LOWMEM_SAVE_R13(0)
    mfctr   r13
    std     r13, FW_LOWMEM_SAVE_CTR(0)
    ld      r13, FW_LOWMEM_ENTRY(0)
    mtctr   r13
fw_vec_stub_vec:
    lis     r13, 0              /* patched: vector >> 16 */
    ori     r13, r13, 0         /* patched: vector & 0xffff */
    bctr
fw_vec_stub_end:
    .if (fw_vec_stub_end - fw_vec_stub) > FW_VEC_SLOT
    .error "trap_entry.S: vector stub does not fit in a vector slot"
    .endif

    /* ---- common entry ---- */
    .text
    .balign 16
    .globl fw_trap_entry
    .type fw_trap_entry, @function
fw_trap_entry:
    std     r12, FW_LOWMEM_SAVE_R12(0)
    ld      r12, FW_LOWMEM_FRAME(0)
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    std     \n, FW_TRAP_GPR(\n)(r12)
    .endr
    ld      r0, FW_LOWMEM_SAVE_R12(0)
    std     r0, FW_TRAP_GPR(12)(r12)
    ld      r0, FW_LOWMEM_SAVE_R13(0)
    std     r0, FW_TRAP_GPR(13)(r12)
    std     r13, FW_TRAP_VEC(r12)
    mfcr    r0
    std     r0, FW_TRAP_CR(r12)
    mflr    r0
    std     r0, FW_TRAP_LR(r12)
    ld      r0, FW_LOWMEM_SAVE_CTR(0)
    std     r0, FW_TRAP_CTR(r12)
    mfxer   r0
    std     r0, FW_TRAP_XER(r12)
    mfsrr0  r0
    std     r0, FW_TRAP_SRR0(r12)
    mfsrr1  r0
    std     r0, FW_TRAP_SRR1(r12)
    mfdar   r0
    std     r0, FW_TRAP_DAR(r12)
    mfdsisr r0
    std     r0, FW_TRAP_DSISR(r12)

    ld      r1, FW_LOWMEM_STACK(0)
    ld      r2, FW_LOWMEM_TOC(0)
    li      r0, 0
    stdu    r0, -TRAP_C_FRAME(r1)
    mr      r3, r12
    bl      fw_trap_dispatch
    nop

    ld      r12, FW_LOWMEM_FRAME(0)
    ld      r0, FW_TRAP_SRR0(r12)
    mtsrr0  r0
    ld      r0, FW_TRAP_SRR1(r12)
    mtsrr1  r0
    ld      r0, FW_TRAP_CR(r12)
    mtcrf   CR_ALL, r0
    ld      r0, FW_TRAP_LR(r12)
    mtlr    r0
    ld      r0, FW_TRAP_CTR(r12)
    mtctr   r0
    ld      r0, FW_TRAP_XER(r12)
    mtxer   r0
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld      \n, FW_TRAP_GPR(\n)(r12)
    .endr
    ld      r12, FW_TRAP_GPR(12)(r12)
    rfid
    .size fw_trap_entry, . - fw_trap_entry
