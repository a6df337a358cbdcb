/*
 * v2.c - l1hv toward a hypervisor that speaks the PAPR nested API v2
 * (H_GUEST_*), through libfw's nv2 client and its lazy state cache (seed
 * 001/004: valid and dirty per element, only what changed is sent, only
 * what is invalid is fetched).
 *
 * A vCPU we run (the guest itself, or a shadow of one of its nested
 * guests) is one v2 guest with one vCPU.  Its partition-scoped tree goes in
 * as element 0x0005 (root address, 52 EA bits, root size), its process
 * table, when it has one, as 0x0006.
 *
 * The guest itself is accessed lazily (exits.c reads only the registers a
 * hypercall needs; an hcall exit brings GPR3..12 in the run output buffer).
 * A shadow vCPU carries a whole hv_guest_state/pt_regs in and out, as the
 * guest's H_ENTER_NESTED demands: l1hv_v2_push() sets only the elements
 * whose value differs from the cache, l1hv_v2_pull() fetches what the
 * output buffer did not carry in one H_GUEST_GET_STATE.
 */
#include "fw.h"
#include "l1hv.h"
#include "ppc/hvgs.h"

#define V2_FAR_TICKS (1ULL << 62)

bool l1hv_v2_negotiate(void)
{
    uint64_t caps = 0;
    return nv2_negotiate(NV2_CAP_POWER9 | NV2_CAP_POWER10 | NV2_CAP_POWER11, &caps) == H_SUCCESS;
}

void l1hv_v2_create(L1hvV2 *s)
{
    long rc = nv2_guest_create(&s->g);
    if (rc != H_SUCCESS)
        l1hv_die("H_GUEST_CREATE failed (%ld)", rc);
    rc = nv2_vcpu_create(&s->v, &s->g, 0, s->in, sizeof s->in, s->out, sizeof s->out);
    if (rc != H_SUCCESS)
        l1hv_die("H_GUEST_CREATE_VCPU failed (%ld)", rc);
    /* v1's hv_guest_state has no DEC: the L2's decrementer is not ours to stop. */
    nv2_set64(&s->v, GSB_ID_DEC_EXPIRY_TB, mftb() + V2_FAR_TICKS);
}

void l1hv_v2_create_vcpu(L1hvV2 *s, L1hvV2 *first, unsigned vcpu_id)
{
    long rc = nv2_vcpu_create(&s->v, &first->g, vcpu_id, s->in, sizeof s->in, s->out, sizeof s->out);
    if (rc != H_SUCCESS)
        l1hv_die("H_GUEST_CREATE_VCPU %u failed (%ld)", vcpu_id, rc);
    nv2_set64(&s->v, GSB_ID_DEC_EXPIRY_TB, mftb() + V2_FAR_TICKS);
}

void l1hv_v2_delete(L1hvV2 *s)
{
    (void)nv2_guest_delete(&s->g);
}

/* The guest-wide cache of a v2 guest is shared by its vCPUs, which several CPUs of ours may run. */
static L1hvSpin guest_wide_lock;

/* Partition-table dw0 / dw1 of the vCPU's partition, as elements 0x0005 / 0x0006. */
void l1hv_v2_set_tables(L1hvV2 *s, uint64_t dw0, uint64_t dw1)
{
    l1hv_spin_lock(&guest_wide_lock);
    RadixRoot root;
    if (dw0 && radix_root_from_dw0(dw0, &root)) {
        GsbPartTable pt = { root.base, 52, 8ULL << root.rpds };
        nv2_set_part_table(&s->g, &pt);
    }
    if (dw1 & PATE1_PRTB) {
        GsbRegion r = { dw1 & PATE1_PRTB, 1ULL << ((dw1 & PATE1_PRTS) + 12) };
        nv2_set_process_table(&s->g, &r);
    }
    l1hv_spin_unlock(&guest_wide_lock);
}

long l1hv_v2_run(L1hvV2 *s, uint64_t flags)
{
    l1hv_spin_lock(&guest_wide_lock);
    long rc = nv2_flush_guest(s->v.guest); /* so that nv2_run() finds nothing guest-wide to send */
    l1hv_spin_unlock(&guest_wide_lock);
    if (rc != H_SUCCESS)
        l1hv_die("H_GUEST_SET_STATE of guest %llu failed (%ld)", (unsigned long long)s->v.guest->id, rc);
    uint64_t t0 = mftb();
    rc = nv2_run(&s->v, flags);
    l1hv_stats.guest_tb += mftb() - t0;
    if (rc != H_SUCCESS)
        l1hv_die("H_GUEST_RUN_VCPU of guest %llu failed (%ld, r4 0x%llx)", (unsigned long long)s->v.guest->id, rc,
                 (unsigned long long)s->v.err_r4);
    l1hv_count_exit((long)s->v.exit);
    return (long)s->v.exit;
}

/*
 * Only what differs from L0's copy (s->known: what the last pull read or the
 * last push sent) becomes dirty: a re-entry after an hcall sends GPR3..
 * and the HDEC deadline, not 60 elements.  PURR/SPURR/IC/VTB are not
 * carried (they count on their own in L0; a v1 guest setting them is ignored).
 */
#define PUT64(field, id, val)                          \
    do {                                               \
        if (!s->known_valid || (field) != (val) || (forced && gsb_bitmap_test(&s->force, (id)))) \
            nv2_set64(v, (id), (field) = (val));       \
    } while (0)
#define PUT32(field, id, val)                          \
    do {                                               \
        if (!s->known_valid || (field) != (val) || (forced && gsb_bitmap_test(&s->force, (id)))) \
            nv2_set32(v, (id), (uint32_t)((field) = (val))); \
    } while (0)

void l1hv_v2_push(L1hvV2 *s, const NestHvgs *h, const NestPtRegs *r)
{
    Nv2Vcpu *v = &s->v;
    NestHvgs *kh = &s->known_hv;
    NestPtRegs *kr = &s->known_regs;
    bool forced = gsb_bitmap_count(&s->force) != 0;
    for (unsigned i = 0; i < PTREGS_NR_GPR; i++)
        PUT64(kr->gpr[i], (uint16_t)GSB_ID_GPR(i), r->gpr[i]);
    PUT64(kr->nip, GSB_ID_NIA, r->nip);
    PUT64(kr->msr, GSB_ID_MSR, r->msr & GSB_MASK_MSR);
    PUT64(kr->ctr, GSB_ID_CTR, r->ctr);
    PUT64(kr->link, GSB_ID_LR, r->link);
    PUT64(kr->xer, GSB_ID_XER, r->xer);
    PUT32(kr->ccr, GSB_ID_CR, (uint32_t)r->ccr);
    PUT64(kh->lpcr, GSB_ID_LPCR, h->lpcr & GSB_MASK_LPCR);
    PUT64(kh->amor, GSB_ID_AMOR, h->amor);
    PUT64(kh->dpdes, GSB_ID_DPDES, h->dpdes);
    PUT64(kh->hfscr, GSB_ID_HFSCR, h->hfscr);
    PUT64(kh->dawr0, GSB_ID_DAWR0, h->dawr0);
    PUT32(kh->dawrx0, GSB_ID_DAWRX0, (uint32_t)h->dawrx0);
    PUT64(kh->dawr1, GSB_ID_DAWR1, h->dawr1);
    PUT32(kh->dawrx1, GSB_ID_DAWRX1, (uint32_t)h->dawrx1);
    PUT64(kh->ciabr, GSB_ID_CIABR, h->ciabr);
    PUT64(kh->hdec_expiry, GSB_ID_HDEC_EXPIRY_TB, h->hdec_expiry);
    PUT64(kh->srr0, GSB_ID_SRR0, h->srr0);
    PUT64(kh->srr1, GSB_ID_SRR1, h->srr1);
    for (unsigned i = 0; i < HVGS_NR_SPRG; i++)
        PUT64(kh->sprg[i], (uint16_t)(GSB_ID_SPRG0 + i), h->sprg[i]);
    PUT32(kh->pidr, GSB_ID_PIDR, (uint32_t)h->pidr);
    PUT64(kh->cfar, GSB_ID_CFAR, h->cfar);
    PUT64(kh->ppr, GSB_ID_PPR, h->ppr);
    s->known_valid = true;
    if (forced)
        gsb_bitmap_zero(&s->force);
    if (h->tb_offset != s->tb_offset) {
        l1hv_spin_lock(&guest_wide_lock);
        nv2_guest_set64(s->v.guest, GSB_ID_TB_OFFSET, (uint64_t)h->tb_offset);
        l1hv_spin_unlock(&guest_wide_lock);
        s->tb_offset = h->tb_offset;
    }
}
#undef PUT64
#undef PUT32

/* Everything a v1 write-back needs besides GPR0..31, in one H_GUEST_GET_STATE for the invalid ones. */
const uint16_t l1hv_v2_pull_ids[] = {
    GSB_ID_NIA,   GSB_ID_MSR,  GSB_ID_CTR,   GSB_ID_LR,    GSB_ID_XER,   GSB_ID_CR,    GSB_ID_SRR0,
    GSB_ID_SRR1,  GSB_ID_SPRG0, GSB_ID_SPRG1, GSB_ID_SPRG2, GSB_ID_SPRG3, GSB_ID_PIDR, GSB_ID_CFAR,
    GSB_ID_PPR,   GSB_ID_DPDES, GSB_ID_HFSCR,
};
const unsigned l1hv_v2_pull_count = sizeof l1hv_v2_pull_ids / sizeof l1hv_v2_pull_ids[0];

#define PASS_ID(n) GSB_ID_##n,
const uint16_t l1hv_v2_pass_ids[] = { GSB_ID_DEC_EXPIRY_TB, L1HV_PASS_SPRS(PASS_ID) };
#undef PASS_ID
const unsigned l1hv_v2_pass_count = sizeof l1hv_v2_pass_ids / sizeof l1hv_v2_pass_ids[0];

/*
 * After a shadow run: the whole state (full: one GET_STATE for what the
 * output buffer did not carry), or only what the exit carried (lazy).
 * full is what a v1 guest's H_ENTER_NESTED needs: its write-back is
 * memory it may read at will.  Lazy is for a hosted v2 vCPU (hostv2.c):
 * every field the exit did not carry keeps the value it entered with here
 * and in known_* (so the next push does not send it back), and hostv2.c
 * marks it "valid upward only": a GET_STATE of the guest fetches it from
 * our hypervisor (this vCPU's nv2 cache) on demand, a SET of it forces the
 * next push to send it.  One hypercall (the run) per reflected exit, and
 * still every value the guest reads is the true one (seed 004: the L1
 * reads what it needs, when it needs it).
 */
#define PULL64(dst, id, known)                                 \
    do {                                                       \
        if (full || nv2_is_valid(v, (id)))                     \
            (dst) = (known) = nv2_get64(v, (id));              \
    } while (0)
#define PULL32(dst, id, known)                                 \
    do {                                                       \
        if (full || nv2_is_valid(v, (id)))                     \
            (dst) = (known) = nv2_get32(v, (id));              \
    } while (0)
#define PULLX(dst, id)                                         \
    do {                                                       \
        if (full || nv2_is_valid(v, (id)))                     \
            (dst) = nv2_get64(v, (id));                        \
    } while (0)

void l1hv_v2_pull(L1hvV2 *s, long vector, NestHvgs *h, NestPtRegs *r, bool full)
{
    Nv2Vcpu *v = &s->v;
    NestHvgs *kh = &s->known_hv;
    NestPtRegs *kr = &s->known_regs;
    if (full) {
        uint16_t ids[sizeof l1hv_v2_pull_ids / sizeof l1hv_v2_pull_ids[0] + PTREGS_NR_GPR +
                     sizeof l1hv_v2_pass_ids / sizeof l1hv_v2_pass_ids[0] + 4];
        unsigned n = 0;
        for (unsigned i = 0; i < PTREGS_NR_GPR; i++)
            ids[n++] = (uint16_t)GSB_ID_GPR(i);
        for (unsigned i = 0; i < l1hv_v2_pull_count; i++)
            ids[n++] = l1hv_v2_pull_ids[i];
        for (unsigned i = 0; i < l1hv_v2_pass_count; i++)
            ids[n++] = l1hv_v2_pass_ids[i]; /* the caller takes them from the cache */
        if (vector == EXCP_HDSI || vector == EXCP_HISI) {
            ids[n++] = GSB_ID_HDAR;
            ids[n++] = GSB_ID_HDSISR;
            ids[n++] = GSB_ID_ASDR;
        } else if (vector == EXCP_HEAI) {
            ids[n++] = GSB_ID_HEIR;
        }
        long rc = nv2_fetch(v, ids, n);
        if (rc != H_SUCCESS)
            l1hv_die("H_GUEST_GET_STATE of guest %llu failed (%ld)", (unsigned long long)s->g.id, rc);
    }
    for (unsigned i = 0; i < PTREGS_NR_GPR; i++)
        PULL64(r->gpr[i], (uint16_t)GSB_ID_GPR(i), kr->gpr[i]);
    PULL64(r->nip, GSB_ID_NIA, kr->nip);
    if (full || nv2_is_valid(v, GSB_ID_MSR)) {
        r->msr = nv2_get64(v, GSB_ID_MSR);
        kr->msr = r->msr & GSB_MASK_MSR;
    }
    PULL64(r->ctr, GSB_ID_CTR, kr->ctr);
    PULL64(r->link, GSB_ID_LR, kr->link);
    PULL64(r->xer, GSB_ID_XER, kr->xer);
    PULL32(r->ccr, GSB_ID_CR, kr->ccr);
    PULL64(h->srr0, GSB_ID_SRR0, kh->srr0);
    PULL64(h->srr1, GSB_ID_SRR1, kh->srr1);
    for (unsigned i = 0; i < HVGS_NR_SPRG; i++)
        PULL64(h->sprg[i], (uint16_t)(GSB_ID_SPRG0 + i), kh->sprg[i]);
    PULL32(h->pidr, GSB_ID_PIDR, kh->pidr);
    PULL64(h->cfar, GSB_ID_CFAR, kh->cfar);
    PULL64(h->ppr, GSB_ID_PPR, kh->ppr);
    PULL64(h->dpdes, GSB_ID_DPDES, kh->dpdes);
    PULL64(h->hfscr, GSB_ID_HFSCR, kh->hfscr);
    if (vector == EXCP_HDSI || vector == EXCP_HISI) {
        PULLX(h->hdar, GSB_ID_HDAR);
        if (full || nv2_is_valid(v, GSB_ID_HDSISR))
            h->hdsisr = nv2_get32(v, GSB_ID_HDSISR);
        PULLX(h->asdr, GSB_ID_ASDR);
    } else if (vector == EXCP_HEAI) {
        PULLX(h->heir, GSB_ID_HEIR);
    }
}
#undef PULL64
#undef PULL32
#undef PULLX
