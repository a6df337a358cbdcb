/*
 * trap.h - catching interrupts in libfw programs.
 *
 * fw_install_vectors() asks for little-endian interrupts (H_SET_MODE
 * resource LE, i.e. LPCR[ILE]) and writes an 8-instruction stub into every
 * 32-byte slot of the real-mode vector area 0x100..0x1fff and the scv area
 * 0x17000..0x17fff.  A stub saves r13/CTR in low memory and jumps to
 * fw_trap_entry (trap_entry.S), which saves the whole register state in a
 * struct fw_trap and calls the registered C handler on a private stack:
 *
 *     static int on_trap(struct fw_trap *t) { t->srr0 += 4; return 0; }
 *     fw_set_trap_handler(on_trap);
 *
 * The handler may change srr0/srr1/gprs; returning 0 resumes through rfid
 * with the (possibly modified) state.  Without a handler, or if it returns
 * non-zero, the program prints "unexpected interrupt 0x<vec> at 0x<srr0>
 * srr1=0x<srr1>" and exits with status 1.  Interrupts are not re-entrant:
 * one taken while a handler runs is reported as fatal.
 *
 * FW_EXPECT_TRAP(vec, code) runs code, checks (as a test assertion) that
 * exactly one interrupt at vec was taken, and moves past the faulting
 * instruction; fw_last_trap then holds the state at the interrupt.
 *
 * Low memory 0xc0..0xff holds the stubs' variables (FW_LOWMEM_*): programs
 * must leave it alone.  Scv vectors report srr0/srr1 from LR/CTR (where
 * scv puts them) and return with rfid.
 */
#ifndef FW_TRAP_H
#define FW_TRAP_H

/* ---- vector area layout -------------------------------------------------- */
#define FW_VEC_SLOT             0x20    /* stub size and vector granule */
#define FW_VEC_AREA_START       0x100
#define FW_VEC_AREA_END         0x2000
#define FW_SCV_LEVELS           128

/* ---- low-memory words used by the stubs (real addresses) ------------------ */
#define FW_LOWMEM_ENTRY         0xc0    /* &fw_trap_entry */
#define FW_LOWMEM_FRAME         0xc8    /* &fw_trap_frame */
#define FW_LOWMEM_TOC           0xd0    /* r2 for the C handler */
#define FW_LOWMEM_STACK         0xd8    /* top of the trap stack */
#define FW_LOWMEM_SAVE_R12      0xe0
#define FW_LOWMEM_SAVE_R13      0xe8
#define FW_LOWMEM_SAVE_CTR      0xf0

/* ---- struct fw_trap layout (shared with trap_entry.S) --------------------- */
#define FW_TRAP_GPR(n)          ((n) * 8)
#define FW_TRAP_CR              256
#define FW_TRAP_LR              264
#define FW_TRAP_CTR             272
#define FW_TRAP_XER             280
#define FW_TRAP_SRR0            288
#define FW_TRAP_SRR1            296
#define FW_TRAP_DAR             304
#define FW_TRAP_DSISR           312
#define FW_TRAP_VEC             320
#define FW_TRAP_SIZE            328

#ifndef __ASSEMBLER__
#include <stdint.h>
#include "ppc/excp.h"

/* Interrupt vectors (Power ISA v3.0B Book III 7.5; include/ppc/excp.h). */
#define FW_VEC_SYSTEM_RESET     EXCP_RESET
#define FW_VEC_MACHINE_CHECK    EXCP_MCHECK
#define FW_VEC_DSI              EXCP_DSI
#define FW_VEC_DSEG             EXCP_DSEG
#define FW_VEC_ISI              EXCP_ISI
#define FW_VEC_ISEG             EXCP_ISEG
#define FW_VEC_EXTERNAL         EXCP_EXTERNAL
#define FW_VEC_ALIGNMENT        EXCP_ALIGN
#define FW_VEC_PROGRAM          EXCP_PROGRAM
#define FW_VEC_FP_UNAVAIL       EXCP_FPU
#define FW_VEC_DECREMENTER      EXCP_DECR
#define FW_VEC_HDECREMENTER     EXCP_HDECR
#define FW_VEC_DOORBELL         EXCP_DOORBELL
#define FW_VEC_SYSCALL          EXCP_SYSCALL
#define FW_VEC_TRACE            EXCP_TRACE
#define FW_VEC_HDSI             EXCP_HDSI
#define FW_VEC_HISI             EXCP_HISI
#define FW_VEC_HEMUL            EXCP_HEAI
#define FW_VEC_HMAINT           EXCP_HMI
#define FW_VEC_HDOORBELL        EXCP_HDOORBELL
#define FW_VEC_HVIRT            EXCP_HVIRT
#define FW_VEC_PERF_MON         EXCP_PERFM
#define FW_VEC_VMX_UNAVAIL      EXCP_VMX_UNAVAIL
#define FW_VEC_VSX_UNAVAIL      EXCP_VSX_UNAVAIL
#define FW_VEC_FAC_UNAVAIL      EXCP_FAC_UNAVAIL
#define FW_VEC_HFAC_UNAVAIL     EXCP_HFAC_UNAVAIL
#define FW_VEC_SOFTPATCH        EXCP_SOFTPATCH
#define FW_VEC_SCV              EXCP_SCV /* + FW_VEC_SLOT * LEV */

/* SRR1 bits set by a program interrupt (ISA Book III 7.5.9). */
#define FW_SRR1_PROGRAM_FP      SRR1_PROG_FP        /* 0x100000: FP enabled exception */
#define FW_SRR1_PROGRAM_ILLEGAL SRR1_PROG_ILLEGAL   /* 0x080000: illegal instruction */
#define FW_SRR1_PROGRAM_PRIV    SRR1_PROG_PRIV      /* 0x040000: privileged instruction */
#define FW_SRR1_PROGRAM_TRAP    SRR1_PROG_TRAP      /* 0x020000: trap instruction */
#define FW_SRR1_PROGRAM_NEXT    SRR1_PROG_NEXT      /* 0x010000: SRR0 = next instruction */

struct fw_trap {
    uint64_t gpr[32];
    uint64_t cr, lr, ctr, xer;
    uint64_t srr0, srr1;
    uint64_t dar, dsisr;
    uint64_t vec;               /* vector address, e.g. 0x700 */
};

typedef int (*fw_trap_fn)(struct fw_trap *t);

/* The current handler (NULL: every interrupt is unexpected). */
extern fw_trap_fn fw_trap_handler;
/* Copy of the state at the last interrupt seen by FW_EXPECT_TRAP, and how
 * many interrupts it saw. */
extern struct fw_trap fw_last_trap;
extern unsigned fw_trap_count;

void fw_install_vectors(void);
/* Installs the vectors if needed; returns the previous handler. */
fw_trap_fn fw_set_trap_handler(fw_trap_fn fn);
/* Move srr0 past the instruction that caused a synchronous interrupt
 * (program, alignment, DSI/DSegI, facility unavailable: srr0 += 4; ISI and
 * ISegI: return to LR, as if the bad branch-and-link target returned). */
void fw_trap_skip(struct fw_trap *t);

void fw_expect_trap_begin(unsigned long vec);
int fw_expect_trap_end(const char *file, int line, const char *what);
/* Calls fn() expecting exactly one interrupt at vec; 1 if so. */
int fw_expect_trap(unsigned long vec, void (*fn)(void));

/* The code may contain commas (inline asm operands). */
#define FW_EXPECT_TRAP(vec, ...)                                 \
    do {                                                         \
        fw_expect_trap_begin(vec);                               \
        __VA_ARGS__;                                             \
        fw_expect_trap_end(__FILE__, __LINE__, #__VA_ARGS__);    \
    } while (0)

/* Called from trap_entry.S only. */
void fw_trap_dispatch(struct fw_trap *t);

#endif /* __ASSEMBLER__ */
#endif /* FW_TRAP_H */
