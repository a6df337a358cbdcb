/*
 * check.c - the l1hv side of the register check (check.h): the guest's
 * L1HV_H_CHECK(seed, tb before its mtdec, its dec).  Reads every checked
 * register of the guest through our own API -- v2: one H_GUEST_GET_STATE
 * through the lazy cache (what a hypervisor does after an exit: our
 * hypervisor, if it is an l1hv hosting v2 for us, must give the values
 * the guest set although the hcall exit did not report them); v1: the
 * hv_guest_state/pt_regs write-back, and the CPU for the SPRs v1 passes
 * through -- prints one line, sets GPR21 and SPRG3 for the guest to check.
 * And L1HV_H_INJECT(flags) of the "irq" workload: its next run gets these
 * run flags (v2: passed to our hypervisor; v1: delivered by inject.c).
 */
#include "check.h"

#include "fw.h"
#include "l1hv.h"

static const uint16_t check_ids[L1HV_CHK_NR] = {
    GSB_ID_GPR(20), GSB_ID_GPR(29), GSB_ID_CTR, GSB_ID_SPRG2, GSB_ID_DAR,
    GSB_ID_DSISR,   GSB_ID_AMR,     GSB_ID_DSCR, GSB_ID_DEC_EXPIRY_TB,
};

static void read_v2(L1hvGuest *g, uint64_t *val)
{
    Nv2Vcpu *v = &g->v2->v;
    long rc = nv2_fetch(v, check_ids, L1HV_CHK_NR);
    if (rc != H_SUCCESS)
        l1hv_die("check: H_GUEST_GET_STATE failed (%ld)", rc);
    for (unsigned i = 0; i < L1HV_CHK_NR; i++)
        val[i] = nv2_get64(v, check_ids[i]);
}

/* v1: DAR, DSISR, AMR, DSCR and DEC are the guest's in our CPU until we change them (we do not). */
static void read_v1(L1hvGuest *g, uint64_t *val)
{
    val[L1HV_CHK_GPR20] = g->r.gpr[20];
    val[L1HV_CHK_GPR29] = g->r.gpr[29];
    val[L1HV_CHK_CTR] = g->r.ctr;
    val[L1HV_CHK_SPRG2] = g->hvs.sprg[2];
    val[L1HV_CHK_DAR] = mfspr(SPR_DAR);
    val[L1HV_CHK_DSISR] = (uint32_t)mfspr(SPR_DSISR);
    val[L1HV_CHK_AMR] = mfspr(SPR_AMR);
    val[L1HV_CHK_DSCR] = mfspr(SPR_DSCR);
    val[L1HV_CHK_DEC] = mftb() + (uint64_t)(int64_t)(int32_t)mfdec();
}

long l1hv_check_hcall(L1hvGuest *g)
{
    static const char *const names[L1HV_CHK_NR] = L1HV_CHK_NAMES;
    uint64_t seed = l1hv_gpr(g, 4), t0 = l1hv_gpr(g, 5), dec = l1hv_gpr(g, 6);
    uint64_t val[L1HV_CHK_NR], mask = 0;
    if (g->v2)
        read_v2(g, val);
    else
        read_v1(g, val);
    uint64_t now = mftb();
    /* QEMU derives DEC and TB from the host clock separately: a switch (v1 upward: expiry = TB + DEC
     * read back) may be off by a few ticks.  A wrong or lost DEC is off by far more than dec / 256. */
    uint64_t slack = dec >> 8;
    for (unsigned i = 0; i < L1HV_CHK_NR; i++) {
        /* DEC: the expiry lies between the guest's mtdec (after t0) and now, plus dec. */
        bool ok = i == L1HV_CHK_DEC ? val[i] + slack >= t0 + dec && val[i] <= now + dec + slack
                                    : val[i] == l1hv_check_value(seed, (enum l1hv_check_reg)i);
        if (!ok) {
            mask |= 1ULL << i;
            printf("l1hv L%u: check of L%u: %s = 0x%llx, set 0x%llx\n", l1hv_cfg.level, l1hv_cfg.level + 1,
                   names[i], (unsigned long long)val[i],
                   (unsigned long long)(i == L1HV_CHK_DEC ? t0 + dec : l1hv_check_value(seed, (enum l1hv_check_reg)i)));
        }
    }
    if (!mask)
        printf("l1hv L%u: check of L%u: all %u registers as it set them\n", l1hv_cfg.level, l1hv_cfg.level + 1,
               (unsigned)L1HV_CHK_NR);
    l1hv_set_gpr(g, 4, mask);
    l1hv_set_gpr(g, 21, l1hv_check_gpr21(seed));
    if (g->v2)
        nv2_set64(&g->v2->v, GSB_ID_SPRG3, l1hv_check_sprg3(seed));
    else
        g->hvs.sprg[3] = l1hv_check_sprg3(seed);
    return H_SUCCESS;
}

long l1hv_inject_hcall(L1hvGuest *g)
{
    uint64_t flags = l1hv_gpr(g, 4);
    if (flags & ~(uint64_t)L1HV_RUN_FLAGS)
        return H_PARAMETER;
    g->inject = flags;
    return H_SUCCESS;
}
