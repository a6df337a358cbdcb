/*
 * hcall.c - the hypercall table and the basic PAPR hypercalls.
 *
 * A guest in supervisor state executes `sc 1` with the hcall number in r3
 * and arguments in r4..r12; L0 answers in r3 (an H_* code) and r4.. (PAPR
 * 14.5.3).  Hypercalls from problem state get H_PRIVILEGE, as QEMU's
 * pseries answers.  Unknown numbers get H_FUNCTION.  Every handler
 * validates every argument: nothing a guest passes can crash L0.
 */
#include <string.h>

#include "hv/hv.h"
#include "ppc/hcall.h"
#include "ppc/papr_smp.h"

typedef long (*HcallFn)(Hv *hv, CPUState *cpu);

typedef struct HcallDef {
    const char *name;
    HcallFn fn;
} HcallDef;

#define PAPR_HCALL_MAX   0x500     /* PAPR numbers are multiples of 4 below this */
#define PRIVATE_BASE     0xF000    /* KVM/QEMU private range (RTAS, nested v1) */
#define PRIVATE_MAX      0xF810
#define PAGE_4K          4096ULL

/* ---- PAPR basics ---------------------------------------------------------- */

static long h_set_sprg0(Hv *hv, CPUState *cpu)
{
    cpu->spr[SPR_SPRG0] = cpu->gpr[4];
    return H_SUCCESS;
}

/* POWER9 has DAWR, not DABR: QEMU answers H_HARDWARE ("DABR register not available"). */
static long h_set_dabr(Hv *hv, CPUState *cpu)
{
    return H_HARDWARE;
}

/* L0's write to guest memory: H_SUCCESS, or H_NO_MEM if it could not back the page. */
static long write_page(Hv *hv, uint64_t gra, const uint8_t *data)
{
    return hv_write_guest(hv, gra, data, PAGE_4K) == 0 ? H_SUCCESS : H_NO_MEM;
}

/*
 * H_PAGE_INIT(flags, dst, src): zero or copy one 4 KiB page (PAPR 14.5.4.3.1).
 * L0 writes through the partition's translation, which also retires decoded
 * instructions of dst: the icache flags need nothing more.
 */
static long h_page_init(Hv *hv, CPUState *cpu)
{
    static const uint8_t zero[PAGE_4K];
    uint64_t flags = cpu->gpr[4], dst = cpu->gpr[5], src = cpu->gpr[6];
    const uint64_t known = H_PAGE_INIT_ICACHE_INVAL | H_PAGE_INIT_ICACHE_SYNC | H_PAGE_INIT_ZERO | H_PAGE_INIT_COPY;
    if (flags & ~known)
        return H_PARAMETER;
    if (!hv_guest_is_ram(hv, dst, PAGE_4K) || (dst & (PAGE_4K - 1)))
        return H_PARAMETER;
    if (flags & H_PAGE_INIT_COPY) {
        uint8_t page[PAGE_4K];
        if (!hv_guest_is_ram(hv, src, PAGE_4K) || (src & (PAGE_4K - 1)))
            return H_PARAMETER;
        if (hv_read_guest(hv, src, page, PAGE_4K) != 0)
            return H_NO_MEM;
        return write_page(hv, dst, page);
    }
    if (flags & H_PAGE_INIT_ZERO)
        return write_page(hv, dst, zero);
    return H_SUCCESS;
}

/* H_RANDOM: a 64-bit value in r4.  xorshift64*, seeded fixed, so runs stay deterministic. */
static long h_random(Hv *hv, CPUState *cpu)
{
    uint64_t x = hv->rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    hv->rng_state = x;
    cpu->gpr[4] = x * 0x2545F4914F6CDD1DULL;
    return H_SUCCESS;
}

/*
 * H_SET_MODE resource 4: interrupt endianness (LPCR[ILE]). mflags 0 = big, 1 = little.
 * Partition-wide: every vCPU's LPCR changes (QEMU: CPU_FOREACH).
 */
static long set_mode_le(Hv *hv, uint64_t mflags, uint64_t v1, uint64_t v2)
{
    if (v1)
        return H_P3;
    if (v2)
        return H_P4;
    if (mflags > 1)
        return H_UNSUPPORTED_FLAG;
    hv_set_lpcr_all(hv, LPCR_ILE, mflags ? LPCR_ILE : 0);
    return H_SUCCESS;
}

/* H_SET_MODE resource 3: LPCR[AIL] = mflags (0, 2 or 3; 1 is reserved), on every vCPU. */
static long set_mode_ail(Hv *hv, uint64_t mflags, uint64_t v1, uint64_t v2)
{
    if (v1)
        return H_P3;
    if (v2)
        return H_P4;
    if (mflags == 1 || mflags > 3)
        return H_UNSUPPORTED_FLAG;
    hv_set_lpcr_all(hv, LPCR_AIL, mflags << LPCR_AIL_SHIFT);
    return H_SUCCESS;
}

/* H_SET_MODE(mflags, resource, value1, value2); other resources -> H_P2 as QEMU. */
static long h_set_mode(Hv *hv, CPUState *cpu)
{
    uint64_t mflags = cpu->gpr[4], resource = cpu->gpr[5];
    switch (resource) {
    case H_SET_MODE_RESOURCE_LE:
        return set_mode_le(hv, mflags, cpu->gpr[6], cpu->gpr[7]);
    case H_SET_MODE_RESOURCE_ADDR_TRANS_MODE:
        return set_mode_ail(hv, mflags, cpu->gpr[6], cpu->gpr[7]);
    default:
        return H_P2;
    }
}

static long h_put_term_char(Hv *hv, CPUState *cpu) { return hv_put_term_char(hv, cpu); }
static long h_get_term_char(Hv *hv, CPUState *cpu) { return hv_get_term_char(hv, cpu); }
static long h_rtas(Hv *hv, CPUState *cpu) { return hv_rtas_call(hv, cpu); }

/* ---- the table ----------------------------------------------------------- */

#define HCALL(nr, fn) [(nr) / 4] = { #nr, fn }
static const HcallDef papr_hcalls[PAPR_HCALL_MAX / 4] = {
    HCALL(H_SET_SPRG0, h_set_sprg0),
    HCALL(H_SET_DABR, h_set_dabr),
    HCALL(H_PAGE_INIT, h_page_init),
    HCALL(H_GET_TERM_CHAR, h_get_term_char),
    HCALL(H_PUT_TERM_CHAR, h_put_term_char),
    HCALL(H_EOI, hv_h_eoi),
    HCALL(H_CPPR, hv_h_cppr),
    HCALL(H_IPI, hv_h_ipi),
    HCALL(H_IPOLL, hv_h_ipoll),
    HCALL(H_XIRR, hv_h_xirr),
    HCALL(H_REGISTER_VPA, hv_h_register_vpa),
    HCALL(H_CEDE, hv_h_cede),
    HCALL(H_CONFER, hv_h_confer),
    HCALL(H_PROD, hv_h_prod),
    HCALL(H_JOIN, hv_h_join),
    HCALL(H_XIRR_X, hv_h_xirr_x),
    HCALL(H_RANDOM, h_random),
    HCALL(H_SET_MODE, h_set_mode),
    HCALL(H_REGISTER_PROCESS_TABLE, hv_h_register_process_table),
    HCALL(H_RPT_INVALIDATE, hv_h_rpt_invalidate),
    /* PAPR nested API (v2): H_FUNCTION without -M pseries,cap-nested-papr=on */
    HCALL(H_GUEST_GET_CAPABILITIES, hv_h_guest_get_capabilities),
    HCALL(H_GUEST_SET_CAPABILITIES, hv_h_guest_set_capabilities),
    HCALL(H_GUEST_CREATE, hv_h_guest_create),
    HCALL(H_GUEST_CREATE_VCPU, hv_h_guest_create_vcpu),
    HCALL(H_GUEST_GET_STATE, hv_h_guest_get_state),
    HCALL(H_GUEST_SET_STATE, hv_h_guest_set_state),
    HCALL(H_GUEST_RUN_VCPU, hv_h_guest_run_vcpu),
    HCALL(H_GUEST_DELETE, hv_h_guest_delete),
};
#define PRIVATE_HCALL(nr, fn) [((nr) - PRIVATE_BASE) / 4] = { #nr, fn }
static const HcallDef private_hcalls[(PRIVATE_MAX - PRIVATE_BASE) / 4] = {
    PRIVATE_HCALL(KVMPPC_H_RTAS, h_rtas),
    PRIVATE_HCALL(H_SET_PARTITION_TABLE, hv_h_set_partition_table),
    PRIVATE_HCALL(H_ENTER_NESTED, hv_h_enter_nested),
    PRIVATE_HCALL(H_TLB_INVALIDATE, hv_h_tlb_invalidate),
    PRIVATE_HCALL(H_COPY_TOFROM_GUEST, hv_h_copy_tofrom_guest),
};

static const HcallDef *hcall_lookup(uint64_t nr)
{
    const HcallDef *d = NULL;
    if (nr & 3)
        return NULL;
    if (nr < PAPR_HCALL_MAX)
        d = &papr_hcalls[nr / 4];
    else if (nr >= PRIVATE_BASE && nr < PRIVATE_MAX)
        d = &private_hcalls[(nr - PRIVATE_BASE) / 4];
    return d && d->fn ? d : NULL;
}

static void count_hcall(Hv *hv, uint64_t nr)
{
    hv->stats.hcalls++;
    if (nr < PAPR_HCALL_MAX && !(nr & 3))
        hv->stats.hcall_by_nr[nr / 4]++;
    else
        hv->stats.hcall_private++;
}

void hv_handle_hcall(Hv *hv, CPUState *cpu)
{
    uint64_t nr = cpu->gpr[3];
    const HcallDef *d = hcall_lookup(nr);
    long rc;
    count_hcall(hv, nr);
    if (cpu->spr[SPR_HSRR1] & MSR_PR)
        rc = H_PRIVILEGE;
    else if (!d)
        rc = H_FUNCTION;
    else
        rc = d->fn(hv, cpu);
    if (rc == HV_HCALL_NO_RETURN)
        return; /* H_ENTER_NESTED / H_GUEST_RUN_VCPU switched the vCPU to an L2: r3 comes at its exit */
    hv_trace(hv, HV_TRACE_HCALL, "hcall %s(0x%llx, 0x%llx, 0x%llx, 0x%llx) = %ld", d ? d->name : "unknown",
             (unsigned long long)cpu->gpr[4], (unsigned long long)cpu->gpr[5], (unsigned long long)cpu->gpr[6],
             (unsigned long long)cpu->gpr[7], rc);
    cpu->gpr[3] = (uint64_t)rc;
}

void hv_print_hcall_stats(Hv *hv, FILE *out)
{
    for (unsigned i = 0; i < PAPR_HCALL_MAX / 4; i++)
        if (hv->stats.hcall_by_nr[i])
            fprintf(out, "    %-22s %llu\n", papr_hcalls[i].name ? papr_hcalls[i].name : "unknown",
                    (unsigned long long)hv->stats.hcall_by_nr[i]);
    if (hv->stats.hcall_private)
        fprintf(out, "    %-22s %llu\n", "private (RTAS ...)", (unsigned long long)hv->stats.hcall_private);
}
