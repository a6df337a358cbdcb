/*
 * papr_smp.h - PAPR constants for multiprocessor partitions: the XICS
 * interrupt presentation registers, H_REGISTER_VPA subfunctions and the
 * virtual processor area layout, RTAS CPU states.
 * Shared by the L0 hypervisor (host) and firmware (guest side).
 * Sources: PAPR 14.5.4.2 (interrupt hcalls), 14.11.3 / 14.7.1.2 (VPA),
 * Linux arch/powerpc/include/asm/{hvcall,lppaca}.h, QEMU hw/ppc/spapr_hcall.c.
 */
#ifndef PPC_PAPR_SMP_H
#define PPC_PAPR_SMP_H

/* Hypercalls not in ppc/hcall.h: H_XIRR that also returns the timebase, H_JOIN. */
#define H_XIRR_X                  0x2FC
#define H_JOIN                    0x298
/* Return codes not in ppc/hcall.h (PAPR; Linux hvcall.h). */
#ifndef H_RESOURCE
#define H_RESOURCE                -16
#endif
#ifndef H_CONTINUE
#define H_CONTINUE                18          /* H_JOIN by the last unjoined thread */
#endif

/* ---- XICS presentation (XIRR = CPPR || XISR) ---- */
#define XICS_IPI                  0x2u        /* XISR of an inter-processor interrupt */
#define XICS_XISR_MASK            0x00FFFFFFu
#define XICS_CPPR_SHIFT           24
#define XICS_PRIO_LEAST           0xFFu       /* least favoured priority */

/* ---- H_REGISTER_VPA(flags, proc, addr): subfunction in flags bits 16:18 ---- */
#define H_VPA_FUNC_SHIFT          45
#define H_VPA_FUNC_MASK           (7ULL << H_VPA_FUNC_SHIFT)
#define H_VPA_REG_VPA             (1ULL << H_VPA_FUNC_SHIFT)
#define H_VPA_REG_DTL             (2ULL << H_VPA_FUNC_SHIFT)
#define H_VPA_REG_SLB             (3ULL << H_VPA_FUNC_SHIFT)
#define H_VPA_DEREG_VPA           (5ULL << H_VPA_FUNC_SHIFT)
#define H_VPA_DEREG_DTL           (6ULL << H_VPA_FUNC_SHIFT)
#define H_VPA_DEREG_SLB           (7ULL << H_VPA_FUNC_SHIFT)

/* ---- VPA layout (Linux struct lppaca; big-endian fields) ---- */
#define VPA_SIZE_OFFSET           0x4         /* be16: size of the area the OS provides */
#define VPA_SHARED_PROC_OFFSET    0x9         /* byte: bit 0x2 = shared-processor partition */
#define VPA_SHARED_PROC_VAL       0x2
#define VPA_YIELD_COUNT_OFFSET    0x100       /* be32 dispatch counter: odd = not dispatched */
#define VPA_MIN_SIZE              640
#define VPA_ALIGN                 128         /* the data cache line (QEMU: dcache_line_size) */
#define VPA_PAGE                  4096        /* a VPA must not cross one */
/* Dispatch trace log and SLB shadow buffer: be32 size at +4. */
#define VPA_BUF_SIZE_OFFSET       0x4
#define DTL_MIN_SIZE              48
#define SLB_SHADOW_MIN_SIZE       8

/* ---- RTAS query-cpu-stopped-state answers ---- */
#define RTAS_CPU_STOPPED          0
#define RTAS_CPU_RUNNING          2

#endif
