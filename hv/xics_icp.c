/*
 * xics_icp.c - the per-vCPU XICS presentation state machine (see xics.h).
 */
#include "hv/xics.h"

#define XICS_CPPR_MASK (~XICS_XISR_MASK)

void xics_icp_reset(XicsIcp *icp)
{
    icp->xirr = 0;
    icp->pending_priority = XICS_PRIO_LEAST;
    icp->mfrr = XICS_PRIO_LEAST;
    icp->output = false;
}

/* Present the IPI unless XISR already holds something at least as favoured. */
static void check_ipi(XicsIcp *icp)
{
    if (xics_icp_xisr(icp) && icp->pending_priority <= icp->mfrr)
        return;
    icp->xirr = (icp->xirr & XICS_CPPR_MASK) | XICS_IPI;
    icp->pending_priority = icp->mfrr;
    icp->output = true;
}

/* XISR became free: an IPI still more favoured than CPPR comes back. */
static void resend(XicsIcp *icp)
{
    if (icp->mfrr < xics_icp_cppr(icp))
        check_ipi(icp);
}

void xics_icp_set_cppr(XicsIcp *icp, uint8_t cppr)
{
    uint8_t old = xics_icp_cppr(icp);
    icp->xirr = (icp->xirr & XICS_XISR_MASK) | (uint32_t)cppr << XICS_CPPR_SHIFT;
    if (cppr < old) {
        /* More favoured: the pending interrupt is rejected if it no longer beats CPPR. */
        if (xics_icp_xisr(icp) && cppr <= icp->pending_priority) {
            icp->xirr &= XICS_CPPR_MASK;
            icp->pending_priority = XICS_PRIO_LEAST;
            icp->output = false;
        }
    } else if (!xics_icp_xisr(icp)) {
        resend(icp);
    }
}

void xics_icp_set_mfrr(XicsIcp *icp, uint8_t mfrr)
{
    icp->mfrr = mfrr;
    if (mfrr < xics_icp_cppr(icp))
        check_ipi(icp);
}

uint32_t xics_icp_accept(XicsIcp *icp)
{
    uint32_t xirr = icp->xirr;
    icp->output = false;
    icp->xirr = (uint32_t)icp->pending_priority << XICS_CPPR_SHIFT;
    icp->pending_priority = XICS_PRIO_LEAST;
    return xirr;
}

void xics_icp_eoi(XicsIcp *icp, uint32_t xirr)
{
    icp->xirr = (icp->xirr & XICS_XISR_MASK) | (xirr & XICS_CPPR_MASK);
    if (!xics_icp_xisr(icp))
        resend(icp);
}
