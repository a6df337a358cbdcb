/*
 * xics.h - the XICS interrupt presentation controller of one vCPU (PAPR
 * 14.5.4.2 "Interrupt Support hcalls"; the ICP of IBM's XICS).
 *
 * Each vCPU has an ICP with three registers:
 *   XIRR = CPPR (current processor priority, bits 0:7) || XISR (24-bit source)
 *   MFRR   most favoured request register: the IPI, pending while it is more
 *          favoured (numerically lower) than CPPR
 * and one output line to the thread (cpu->irq_ext, 0x500): up while XISR
 * holds an interrupt more favoured than CPPR.  Priority 0 is the most
 * favoured, 0xFF the least (0xFF as CPPR accepts everything but 0xFF).
 *
 * The state machine is QEMU's hw/intc/xics.c (icp_set_cppr, icp_set_mfrr,
 * icp_accept, icp_eoi, icp_check_ipi), so a pseries program sees the same
 * XIRR values, with one simplification nesthv's machine allows: no ICS
 * source (the VIO terminal, EPOW, hotplug) ever asserts, so XISR is 0 or
 * XICS_IPI and an EOI of any other source number only sets CPPR.
 *
 * Pure state: no Hv, no CPU.  hv/xics.c wires it to the hypercalls and to
 * the vCPUs' interrupt lines.
 */
#ifndef NESTHV_HV_XICS_H
#define NESTHV_HV_XICS_H

#include <stdbool.h>
#include <stdint.h>

#include "ppc/papr_smp.h"   /* XICS_IPI, XICS_XISR_MASK, XICS_CPPR_SHIFT, XICS_PRIO_LEAST */

typedef struct XicsIcp {
    uint32_t xirr;             /* CPPR << 24 | XISR */
    uint8_t  pending_priority; /* priority of the interrupt in XISR (0xFF: none) */
    uint8_t  mfrr;
    bool     output;           /* the line to the thread */
} XicsIcp;

/* Reset state (QEMU icp_reset): CPPR 0 (everything masked), no XISR, MFRR 0xFF. */
void xics_icp_reset(XicsIcp *icp);
/* H_CPPR: a more favoured CPPR may reject the pending interrupt; a less favoured one re-presents. */
void xics_icp_set_cppr(XicsIcp *icp, uint8_t cppr);
/* H_IPI on this ICP: the IPI is presented when MFRR is more favoured than CPPR. */
void xics_icp_set_mfrr(XicsIcp *icp, uint8_t mfrr);
/* H_XIRR: returns XIRR and accepts the interrupt: CPPR takes its priority, XISR clears, line drops. */
uint32_t xics_icp_accept(XicsIcp *icp);
/* H_EOI: CPPR from the given XIRR; then a still-favoured IPI is presented again. */
void xics_icp_eoi(XicsIcp *icp, uint32_t xirr);

static inline uint8_t xics_icp_cppr(const XicsIcp *icp) { return (uint8_t)(icp->xirr >> XICS_CPPR_SHIFT); }
static inline uint32_t xics_icp_xisr(const XicsIcp *icp) { return icp->xirr & XICS_XISR_MASK; }

#endif
