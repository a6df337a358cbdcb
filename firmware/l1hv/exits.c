/*
 * exits.c - the guest's hypercalls (exit 0xC00, number in gpr[3], arguments
 * in gpr[4..]; the guest resumes after its sc 1 with gpr[3] = the return
 * code).  What libfw programs and l1hv itself use:
 *   H_PUT_TERM_CHAR / H_GET_TERM_CHAR   console (term.c)
 *   KVMPPC_H_RTAS                       RTAS: power-off ends the guest,
 *                                       display-character to the console,
 *                                       anything else forwarded to ours
 *   H_SET_MODE                          LE (LPCR[ILE]) and AIL of the guest
 *   H_REGISTER_VPA, H_CEDE, H_CONFER, H_PROD   accepted, nothing to do
 *   H_RANDOM                            forwarded
 *   nested v1 (host.c / nest/)          H_SET_PARTITION_TABLE, H_ENTER_NESTED,
 *                                       H_TLB_INVALIDATE, H_RPT_INVALIDATE,
 *                                       H_COPY_TOFROM_GUEST
 *   H_GUEST_* (nested v2)               hosted: hostv2.c (H_GUEST_COPY_MEMORY: H_FUNCTION)
 *   L1HV_H_CHECK, L1HV_H_INJECT         the "regs" and "irq" workloads (check.c)
 * Registers go through l1hv_gpr()/l1hv_set_gpr(): under v2 an hcall exit
 * brought GPR3..12 along, so handling one costs no extra hypercall.
 * Anything else: H_FUNCTION, with a message on our console.
 */
#include "check.h"
#include "fw.h"
#include "l1hv.h"
#include "ppc/hvgs.h"
#include "ppc/lpcr.h"

#define TERM_BYTES_PER_REG 8
#define RTAS_HDR_WORDS     3

static unsigned guest_level(void)
{
    return l1hv_cfg.level + 1;
}

static void put_term_char(L1hvGuest *g)
{
    uint64_t len = l1hv_gpr(g, 5);
    char buf[FW_TERM_CHARS_MAX];
    if (len > FW_TERM_CHARS_MAX) {
        l1hv_set_gpr(g, 3, (uint64_t)H_PARAMETER);
        return;
    }
    for (unsigned i = 0; i < len; i++) {
        uint64_t reg = i < TERM_BYTES_PER_REG ? l1hv_gpr(g, 6) : l1hv_gpr(g, 7);
        buf[i] = (char)(reg >> (8 * (TERM_BYTES_PER_REG - 1 - i % TERM_BYTES_PER_REG)));
    }
    l1hv_term_put(guest_level(), buf, len);
    l1hv_set_gpr(g, 3, H_SUCCESS);
}

static uint32_t be32_at(const uint8_t *p)
{
    return fdt_be32(p);
}

static void be32_put(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* KVMPPC_H_RTAS(r4 = guest real address of {token, nargs, nret, args..., rets...}, big-endian). */
static void guest_rtas(L1hvGuest *g)
{
    uint8_t *blk = l1hv_guest_ptr(g, l1hv_gpr(g, 4), RTAS_HDR_WORDS * 4);
    if (!blk) {
        l1hv_set_gpr(g, 3, (uint64_t)H_PARAMETER);
        return;
    }
    uint32_t token = be32_at(blk), nargs = be32_at(blk + 4), nret = be32_at(blk + 8);
    if (nargs > RTAS_ARGS_MAX || nret > RTAS_ARGS_MAX || nargs + nret > RTAS_ARGS_MAX || nret < 1) {
        l1hv_set_gpr(g, 3, (uint64_t)H_PARAMETER);
        return;
    }
    uint8_t *a = l1hv_guest_ptr(g, l1hv_gpr(g, 4), (RTAS_HDR_WORDS + (uint64_t)nargs + nret) * 4);
    if (!a) {
        l1hv_set_gpr(g, 3, (uint64_t)H_PARAMETER);
        return;
    }
    uint32_t args[RTAS_ARGS_MAX], rets[RTAS_ARGS_MAX] = { 0 };
    for (uint32_t i = 0; i < nargs; i++)
        args[i] = be32_at(a + 4 * (RTAS_HDR_WORDS + i));
    if ((int)token == l1hv_self.power_off_token) {
        l1hv_term_flush(guest_level());
        g->done = true;
        l1hv_guest_over = 1; /* every vCPU of it stops */
        rets[0] = RTAS_SUCCESS;
    } else if (l1hv_smp_rtas(g, (int)token, nargs, args, rets)) {
        /* start-cpu, stop-self, query-cpu-stopped-state: its vCPUs are ours to run (smp.c) */
    } else if ((int)token == rtas_token("display-character") && nargs >= 1) {
        char c = (char)args[0];
        l1hv_term_put(guest_level(), &c, 1);
        rets[0] = RTAS_SUCCESS;
    } else if (rtas_call((int)token, (int)nargs, args, (int)nret, rets) == RTAS_ERR_CALL) {
        rets[0] = (uint32_t)RTAS_PARAM_ERROR;
    }
    for (uint32_t i = 0; i < nret; i++)
        be32_put(a + 4 * (RTAS_HDR_WORDS + nargs + i), rets[i]);
    l1hv_set_gpr(g, 3, H_SUCCESS);
}

/* H_SET_MODE(mflags, resource, value1, value2): the resources a libfw guest sets. */
static long guest_set_mode(L1hvGuest *g)
{
    uint64_t mflags = l1hv_gpr(g, 4), resource = l1hv_gpr(g, 5);
    switch (resource) {
    case H_SET_MODE_RESOURCE_LE:
        if (mflags == H_SET_MODE_ENDIAN_LITTLE)
            g->lpcr |= LPCR_ILE;
        else if (mflags == H_SET_MODE_ENDIAN_BIG)
            g->lpcr &= ~(uint64_t)LPCR_ILE;
        else
            return H_UNSUPPORTED_FLAG;
        return H_SUCCESS;
    case H_SET_MODE_RESOURCE_ADDR_TRANS_MODE:
        if (mflags > 3 || mflags == 1)
            return H_UNSUPPORTED_FLAG;
        g->lpcr = (g->lpcr & ~(uint64_t)LPCR_AIL) | (mflags << LPCR_AIL_SHIFT);
        return H_SUCCESS;
    default:
        return H_P2;
    }
}

static long guest_rpt_invalidate(L1hvGuest *g)
{
    uint64_t id = l1hv_gpr(g, 4), target = l1hv_gpr(g, 5), type = l1hv_gpr(g, 6);
    if (l1hv_gpr(g, 9) < l1hv_gpr(g, 8))
        return H_P5;
    if (!(type & H_RPTI_TYPE_NESTED))
        return H_SUCCESS; /* its own process scope: it runs in real mode, nothing of it is cached by us */
    if (target != H_RPTI_TARGET_CMMU)
        return H_P2;
    if (id > UINT32_MAX)
        return H_SUCCESS;
    /* A v2 guest's id (its hypervisor flushing it, Linux kvmhv_flush_lpid()), else a v1 lpid. */
    NestL1 *v2 = l1hv_host_v2_table();
    long rc2 = H_NOT_FOUND;
    if (v2) {
        long rc;
        NestGuest *ng = nest_guest_get(v2, (uint32_t)id, false, &rc);
        if (ng) {
            nest_guest_put(ng);
            rc2 = nest_rpt_invalidate(v2, (uint32_t)id, type, l1hv_gpr(g, 7), l1hv_gpr(g, 8), l1hv_gpr(g, 9));
        }
    }
    if (rc2 != H_NOT_FOUND)
        return rc2;
    return nest_rpt_invalidate(g->nestp, (uint32_t)id, type, l1hv_gpr(g, 7), l1hv_gpr(g, 8), l1hv_gpr(g, 9));
}

void l1hv_guest_hcall(L1hvGuest *g)
{
    uint64_t nr = l1hv_gpr(g, 3);
    uint64_t r[12];   /* r4..r11: the arguments (v2: they came with the exit) */
    long rc;
    for (unsigned i = 4; i < 12; i++)
        r[i] = l1hv_gpr(g, i);
    l1hv_stats.handled++;
    switch (nr) {
    case H_PUT_TERM_CHAR:
        put_term_char(g);
        return;
    case H_GET_TERM_CHAR:
        for (unsigned i = 4; i <= 6; i++)
            l1hv_set_gpr(g, i, 0); /* nothing typed */
        rc = H_SUCCESS;
        break;
    case KVMPPC_H_RTAS:
        guest_rtas(g);
        return;
    case H_SET_MODE:
        rc = guest_set_mode(g);
        break;
    case H_REGISTER_VPA:
    case H_CEDE:
    case H_CONFER:
    case H_PROD:
        rc = H_SUCCESS;
        break;
    case H_RANDOM: {
        unsigned long out[HCALL_RET_MAX];
        rc = hcall_out(out, H_RANDOM);
        l1hv_set_gpr(g, 4, out[0]);
        break;
    }
    case H_SET_PARTITION_TABLE:
        rc = nest_set_partition_table(g->nestp, r[4]);
        break;
    case H_ENTER_NESTED:
        rc = l1hv_host_enter_nested(g);
        break;
    case H_TLB_INVALIDATE:
        rc = nest_tlb_invalidate(g->nestp, (uint32_t)r[4], r[5], r[6]);
        break;
    case H_RPT_INVALIDATE:
        rc = guest_rpt_invalidate(g);
        break;
    case H_COPY_TOFROM_GUEST:
        rc = r[4] > UINT32_MAX ? H_PARAMETER : nest_copy_tofrom_guest(g->nestp, (uint32_t)r[4], r[5], r[6], r[7], r[8], r[9]);
        break;
    case H_GUEST_GET_CAPABILITIES:
    case H_GUEST_SET_CAPABILITIES:
    case H_GUEST_CREATE:
    case H_GUEST_CREATE_VCPU:
    case H_GUEST_GET_STATE:
    case H_GUEST_SET_STATE:
    case H_GUEST_RUN_VCPU:
    case H_GUEST_COPY_MEMORY:
    case H_GUEST_DELETE:
        rc = l1hv_host_v2_hcall(g, nr); /* hostv2.c */
        break;
    case L1HV_H_CHECK:
        rc = l1hv_check_hcall(g); /* check.c: the "regs" workload */
        break;
    case L1HV_H_INJECT:
        rc = l1hv_inject_hcall(g); /* check.c: the "irq" workload */
        break;
    default:
        printf("l1hv L%u: guest hcall 0x%llx not implemented: H_FUNCTION\n", l1hv_cfg.level,
               (unsigned long long)nr);
        rc = H_FUNCTION;
        break;
    }
    l1hv_set_gpr(g, 3, (uint64_t)rc);
}
