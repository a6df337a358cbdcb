/*
 * mmu.h - the emulated translation hardware.
 *
 * mmu_xlate() maps an effective address to a guest real address and a host
 * pointer for one access, raising the architected fault when it cannot.
 *
 * Status: real mode only.  With MSR[IR]/[DR] = 0 a guest's EA (top 4 bits
 * ignored, Book III 6.7.3) is its real address; partition scope is the
 * identity onto the partition's RAM, and an address beyond RAM is a machine
 * check, as QEMU's pseries does.  Relocation on (radix process- and
 * partition-scoped trees, the tagged TLB, tlbie) is the radix MMU issue: until
 * then a relocated access raises a data/instruction segment interrupt
 * (0x380/0x480), which is what a pseries guest observes on QEMU 7.2 before it
 * registers a process table (the partition starts in HPT mode with an empty SLB).
 */
#ifndef NESTHV_MMU_H
#define NESTHV_MMU_H

#include "cpu/cpu.h"

typedef enum MmuAccess { MMU_READ = 0, MMU_WRITE = 1, MMU_EXEC = 2 } MmuAccess;

/* Real mode drops EA bits 0:3 (Book III 6.7.3). */
#define MMU_REAL_MODE_MASK 0x0FFFFFFFFFFFFFFFULL

/* Translate; on false the interrupt has been raised (DSI/ISI/machine check). */
bool mmu_xlate(CPUState *cpu, ea_t ea, MmuAccess acc, gra_t *gra, uint8_t **host);

/* Context tags for the software TLB (low 12 bits of a tag; bit 0 is never set). */
uint32_t mmu_ctx_for(const CPUState *cpu, bool insn);

#endif
