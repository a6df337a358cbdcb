/*
 * asm.h - inline helpers for privileged instructions (mfmsr/mtmsrd,
 * mfspr/mtspr, mftb, barriers, cache maintenance) and PVR decoding.
 *
 * SPR numbers are the SPR_<NAME> constants of include/ppc/spr.h (shared with
 * the emulator), FSCR bits come from include/ppc/fscr.h.  mfspr()/mtspr()
 * need a compile-time constant SPR number:  mtspr(SPR_DEC, 1000);
 */
#ifndef FW_ASM_H
#define FW_ASM_H

/* PVR: version in the upper half, revision in the lower half. */
#define PVR_VERSION(pvr)   (((pvr) >> 16) & 0xffff)
#define PVR_REVISION(pvr)  ((pvr) & 0xffff)
#define PVR_VER_POWER8E    0x004b
#define PVR_VER_POWER8NVL  0x004c
#define PVR_VER_POWER8     0x004d
#define PVR_VER_POWER9     0x004e
#define PVR_VER_POWER10    0x0080

/* Smallest cache block size of any Book III-S implementation: stepping by it
 * is always enough for cache maintenance loops. */
#define FW_CACHE_BLOCK_MIN 32

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>
#include "ppc/fscr.h"
#include "ppc/spr.h"

#define mfspr(spr) ({                                                    \
        unsigned long __v;                                              \
        __asm__ volatile("mfspr %0, %1" : "=r"(__v) : "i"(spr));         \
        __v; })

#define mtspr(spr, val)                                                  \
        __asm__ volatile("mtspr %0, %1"                                 \
                         : : "i"(spr), "r"((unsigned long)(val)) : "memory")

static inline unsigned long mfmsr(void)
{
    unsigned long v;
    __asm__ volatile("mfmsr %0" : "=r"(v));
    return v;
}

/* Write the whole MSR (mtmsrd L=0). */
static inline void mtmsrd(unsigned long v)
{
    __asm__ volatile("mtmsrd %0" : : "r"(v) : "memory");
}

/* Write only MSR[EE] and MSR[RI] (mtmsrd L=1). */
static inline void mtmsrd_ee_ri(unsigned long v)
{
    __asm__ volatile("mtmsrd %0, 1" : : "r"(v) : "memory");
}

static inline unsigned long mftb(void)
{
    unsigned long v;
    __asm__ volatile("mftb %0" : "=r"(v));
    return v;
}

static inline unsigned long mfdec(void)  { return mfspr(SPR_DEC); }
static inline void mtdec(unsigned long v) { mtspr(SPR_DEC, v); }
static inline unsigned long mfpvr(void)  { return mfspr(SPR_PVR); }

static inline void sync(void)   { __asm__ volatile("sync" : : : "memory"); }
static inline void lwsync(void) { __asm__ volatile("lwsync" : : : "memory"); }
static inline void isync(void)  { __asm__ volatile("isync" : : : "memory"); }
static inline void eieio(void)  { __asm__ volatile("eieio" : : : "memory"); }
static inline void barrier(void) { __asm__ volatile("" : : : "memory"); }

/* Thread priority low then medium: the usual spin-loop body. */
static inline void cpu_relax(void)
{
    __asm__ volatile("or 1,1,1\n\tor 2,2,2" : : : "memory");
}

static inline unsigned long get_r1(void)
{
    unsigned long v;
    __asm__ volatile("mr %0, 1" : "=r"(v));
    return v;
}

static inline unsigned long get_toc(void)
{
    unsigned long v;
    __asm__ volatile("mr %0, 2" : "=r"(v));
    return v;
}

/* Make instructions written to [addr, addr+len) visible to instruction fetch. */
static inline void icache_sync(const void *addr, size_t len)
{
    uintptr_t start = (uintptr_t)addr & ~(uintptr_t)(FW_CACHE_BLOCK_MIN - 1);
    uintptr_t end = (uintptr_t)addr + len;
    uintptr_t p;

    for (p = start; p < end; p += FW_CACHE_BLOCK_MIN)
        __asm__ volatile("dcbst 0, %0" : : "r"(p) : "memory");
    sync();
    for (p = start; p < end; p += FW_CACHE_BLOCK_MIN)
        __asm__ volatile("icbi 0, %0" : : "r"(p) : "memory");
    sync();
    isync();
}

#endif /* __ASSEMBLER__ */
#endif /* FW_ASM_H */
