/*
 * vpa.c - H_REGISTER_VPA (PAPR 14.11.3.1): the virtual processor area, the
 * dispatch trace log and the SLB shadow buffer of a vCPU, and the VPA's
 * dispatch counter.
 *
 * H_REGISTER_VPA(flags, proc, addr) makes the same checks, in the same
 * order, as QEMU's spapr_hcall.c:
 *   proc names no vCPU                        -> H_PARAMETER
 *   flags not exactly one known subfunction   -> H_PARAMETER
 *   register VPA: addr 0 -> H_HARDWARE; not 128-byte aligned, be16 size at
 *     +4 below 640, or crossing a 4 KiB page  -> H_PARAMETER
 *   register SLB shadow: addr 0 -> H_HARDWARE; be32 size at +4 below 8 or
 *     crossing 4 KiB -> H_PARAMETER; no VPA -> H_RESOURCE
 *   register DTL: addr 0 -> H_HARDWARE; be32 size at +4 below 48
 *     -> H_PARAMETER; no VPA -> H_RESOURCE
 *   deregister VPA while a DTL or SLB shadow is registered -> H_RESOURCE
 * plus one QEMU lacks: an area that is not all in RAM is H_PARAMETER (QEMU
 * reads its size from wherever the address points; outside RAM it reads 0,
 * which gives H_PARAMETER too except for a DTL straddling the end of RAM).
 * L0 never touches guest memory it has not checked.
 *
 * Registering a VPA sets its shared-processor bit (byte 9, 0x2), as QEMU
 * and KVM do.  Dispatch counter (the be32 "yield count" at 0x100): odd
 * while the vCPU is not dispatched (stopped, idle in H_CEDE, conferring),
 * even while it runs; L0 increments it at every change, so it grows across
 * an H_CEDE that waits.  Registration leaves the count as the guest wrote
 * it, except that a running vCPU's odd count is made even (QEMU corrects
 * it the same way at its next dispatch; a stopped vCPU's count is left
 * alone until it starts, as on QEMU and KVM).  QEMU 7.2 counts its own
 * TCG loop exits and entries, which happen at host-timing-dependent
 * moments; nesthv counts only the guest-visible changes above.  nesthv
 * writes no dispatch trace log entries (QEMU neither).
 */
#include "hv/hv.h"
#include "ppc/hcall.h"
#include "ppc/papr_smp.h"

static uint32_t load_be(const uint8_t *p, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v = v << 8 | p[i];
    return v;
}

/* The big-endian size field at addr + VPA_BUF_SIZE_OFFSET; 0 if it is not in RAM (as QEMU reads it). */
static uint32_t area_size(Hv *hv, uint64_t addr, unsigned width)
{
    uint8_t p[4];
    if (addr > UINT64_MAX - VPA_BUF_SIZE_OFFSET || hv_read_guest(hv, addr + VPA_BUF_SIZE_OFFSET, p, width) != 0)
        return 0;
    return load_be(p, width);
}

static bool crosses_page(uint64_t addr, uint64_t size)
{
    return addr / VPA_PAGE != (addr + size - 1) / VPA_PAGE;
}

void hv_vpa_set_dispatched(Hv *hv, HvVcpu *v, bool dispatched)
{
    uint64_t addr = v->vpa + VPA_YIELD_COUNT_OFFSET;
    uint8_t p[4];
    if (!v->vpa || hv_read_guest(hv, addr, p, sizeof(p)) != 0)
        return;
    uint32_t count = load_be(p, 4);
    if ((count & 1) == (dispatched ? 0u : 1u))
        return;
    count++;
    p[0] = (uint8_t)(count >> 24);
    p[1] = (uint8_t)(count >> 16);
    p[2] = (uint8_t)(count >> 8);
    p[3] = (uint8_t)count;
    (void)hv_write_guest(hv, addr, p, sizeof(p)); /* read a moment ago: RAM */
}

static long register_vpa(Hv *hv, HvVcpu *t, uint64_t addr)
{
    if (addr == 0)
        return H_HARDWARE;
    if (addr % VPA_ALIGN)
        return H_PARAMETER;
    uint32_t size = area_size(hv, addr, 2);
    if (size < VPA_MIN_SIZE || crosses_page(addr, size))
        return H_PARAMETER;
    uint8_t flags;
    if (!hv_guest_is_ram(hv, addr, size) || hv_read_guest(hv, addr + VPA_SHARED_PROC_OFFSET, &flags, 1) != 0)
        return H_PARAMETER;
    t->vpa = addr;
    flags |= VPA_SHARED_PROC_VAL;
    (void)hv_write_guest(hv, addr + VPA_SHARED_PROC_OFFSET, &flags, 1);
    if (t->state == HV_VCPU_RUNNING)
        hv_vpa_set_dispatched(hv, t, true);
    return H_SUCCESS;
}

static long deregister_vpa(HvVcpu *t)
{
    if (t->slb_shadow || t->dtl)
        return H_RESOURCE;
    t->vpa = 0;
    return H_SUCCESS;
}

static long register_slb_shadow(Hv *hv, HvVcpu *t, uint64_t addr)
{
    if (addr == 0)
        return H_HARDWARE;
    uint32_t size = area_size(hv, addr, 4);
    if (size < SLB_SHADOW_MIN_SIZE || crosses_page(addr, size) || !hv_guest_is_ram(hv, addr, size))
        return H_PARAMETER;
    if (!t->vpa)
        return H_RESOURCE;
    t->slb_shadow = addr;
    t->slb_shadow_size = size;
    return H_SUCCESS;
}

static long register_dtl(Hv *hv, HvVcpu *t, uint64_t addr)
{
    if (addr == 0)
        return H_HARDWARE;
    uint32_t size = area_size(hv, addr, 4);
    if (size < DTL_MIN_SIZE || !hv_guest_is_ram(hv, addr, size))
        return H_PARAMETER;
    if (!t->vpa)
        return H_RESOURCE;
    t->dtl = addr;
    t->dtl_size = size;
    return H_SUCCESS;
}

/* H_REGISTER_VPA(flags, proc, addr) */
long hv_h_register_vpa(Hv *hv, CPUState *cpu)
{
    uint64_t flags = cpu->gpr[4], addr = cpu->gpr[6];
    HvVcpu *t = hv_vcpu_by_id(hv, cpu->gpr[5]);
    if (!t)
        return H_PARAMETER;
    switch (flags) {
    case H_VPA_REG_VPA:
        return register_vpa(hv, t, addr);
    case H_VPA_DEREG_VPA:
        return deregister_vpa(t);
    case H_VPA_REG_SLB:
        return register_slb_shadow(hv, t, addr);
    case H_VPA_DEREG_SLB:
        t->slb_shadow = 0;
        t->slb_shadow_size = 0;
        return H_SUCCESS;
    case H_VPA_REG_DTL:
        return register_dtl(hv, t, addr);
    case H_VPA_DEREG_DTL:
        t->dtl = 0;
        t->dtl_size = 0;
        return H_SUCCESS;
    default:
        return H_PARAMETER;
    }
}
