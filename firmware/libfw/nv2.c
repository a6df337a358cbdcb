/*
 * nv2.c - the L1 side of the PAPR nested API v2: hcall wrappers and the
 * lazy per-vCPU state cache (see nv2.h; seed 001, Linux
 * arch/powerpc/kvm/book3s_hv_nestedv2.c does the same as an L1).
 */
#include "nv2.h"

#include "fw.h"

Nv2Stats nv2_stats;

void nv2_stats_reset(void)
{
    nv2_stats = (Nv2Stats){ 0 };
}

/* ---- layer 1: hcalls ------------------------------------------------------------- */

static void nv2_out(uint64_t *dst, const unsigned long *ret, unsigned i)
{
    if (dst)
        *dst = ret[i];
}

long nv2_get_capabilities(uint64_t flags, uint64_t *caps)
{
    unsigned long ret[HCALL_RET_MAX] = { 0 };
    long rc = hcall_out(ret, H_GUEST_GET_CAPABILITIES, flags);
    __atomic_fetch_add(&nv2_stats.other, 1, __ATOMIC_RELAXED);
    nv2_out(caps, ret, 0);
    return rc;
}

long nv2_set_capabilities(uint64_t flags, uint64_t caps, uint64_t *r4, uint64_t *r5)
{
    unsigned long ret[HCALL_RET_MAX] = { 0 };
    long rc = hcall_out(ret, H_GUEST_SET_CAPABILITIES, flags, caps);
    __atomic_fetch_add(&nv2_stats.other, 1, __ATOMIC_RELAXED);
    nv2_out(r4, ret, 0);
    nv2_out(r5, ret, 1);
    return rc;
}

long nv2_create(uint64_t flags, uint64_t token, uint64_t *guest_id)
{
    unsigned long ret[HCALL_RET_MAX] = { 0 };
    long rc = hcall_out(ret, H_GUEST_CREATE, flags, token);
    __atomic_fetch_add(&nv2_stats.other, 1, __ATOMIC_RELAXED);
    nv2_out(guest_id, ret, 0);
    return rc;
}

long nv2_create_vcpu(uint64_t flags, uint64_t guest_id, uint64_t vcpu_id)
{
    __atomic_fetch_add(&nv2_stats.other, 1, __ATOMIC_RELAXED);
    return hcall(H_GUEST_CREATE_VCPU, flags, guest_id, vcpu_id);
}

long nv2_delete(uint64_t flags, uint64_t guest_id)
{
    __atomic_fetch_add(&nv2_stats.other, 1, __ATOMIC_RELAXED);
    return hcall(H_GUEST_DELETE, flags, guest_id);
}

long nv2_get_state(uint64_t flags, uint64_t guest_id, uint64_t vcpu_id, const void *buf, uint64_t len,
                   uint64_t *r4)
{
    unsigned long ret[HCALL_RET_MAX] = { 0 };
    long rc = hcall_out(ret, H_GUEST_GET_STATE, flags, guest_id, vcpu_id, (unsigned long)buf, len);
    __atomic_fetch_add(&nv2_stats.get_state, 1, __ATOMIC_RELAXED);
    nv2_out(r4, ret, 0);
    return rc;
}

long nv2_set_state(uint64_t flags, uint64_t guest_id, uint64_t vcpu_id, const void *buf, uint64_t len,
                   uint64_t *r4)
{
    unsigned long ret[HCALL_RET_MAX] = { 0 };
    long rc = hcall_out(ret, H_GUEST_SET_STATE, flags, guest_id, vcpu_id, (unsigned long)buf, len);
    __atomic_fetch_add(&nv2_stats.set_state, 1, __ATOMIC_RELAXED);
    nv2_out(r4, ret, 0);
    return rc;
}

long nv2_run_vcpu(uint64_t flags, uint64_t guest_id, uint64_t vcpu_id, uint64_t *r4)
{
    unsigned long ret[HCALL_RET_MAX] = { 0 };
    long rc = hcall_out(ret, H_GUEST_RUN_VCPU, flags, guest_id, vcpu_id);
    __atomic_fetch_add(&nv2_stats.run_vcpu, 1, __ATOMIC_RELAXED);
    nv2_out(r4, ret, 0);
    return rc;
}

long nv2_negotiate(uint64_t want, uint64_t *agreed)
{
    uint64_t offered = 0;
    long rc = nv2_get_capabilities(0, &offered);
    if (rc != H_SUCCESS)
        return rc;
    if (agreed)
        *agreed = offered & want;
    return nv2_set_capabilities(0, offered & want, NULL, NULL);
}

/* ---- element values <-> buffers ----------------------------------------------------- */

/* Append id with the cached value (its table size decides the encoding). */
static GsbErr nv2_put_val(GsbBuf *b, uint16_t id, const Nv2Val *val)
{
    const GsbElemInfo *info = gsb_elem_info(id);
    if (!info)
        return GSB_ERR_ID;
    switch (info->size) {
    case 4:
        return gsb_put_u32(b, id, (uint32_t)val->w[0]);
    case 8:
        return gsb_put_u64(b, id, val->w[0]);
    case 16: /* VSRs, the process table and run-buffer regions: two be64 */
        return gsb_put_u128(b, id, (GsbU128){ .hi = val->w[0], .lo = val->w[1] });
    case GSB_PART_TABLE_SIZE: {
        GsbPartTable pt = { val->w[0], val->w[1], val->w[2] };
        return gsb_put_part_table(b, id, &pt);
    }
    default:
        return GSB_ERR_SIZE;
    }
}

/* Append id with a zero value of its size (a GET request). */
static GsbErr nv2_put_zero(GsbBuf *b, uint16_t id)
{
    static const Nv2Val zero;
    return nv2_put_val(b, id, &zero);
}

/* Decode an element of a parsed buffer. */
static bool nv2_elem_val(const GsbElem *e, Nv2Val *out)
{
    uint32_t u32;
    GsbU128 u128;
    GsbPartTable pt;
    *out = (Nv2Val){ { 0, 0, 0 } };
    switch (e->size) {
    case 4:
        if (!gsb_elem_u32(e, &u32))
            return false;
        out->w[0] = u32;
        return true;
    case 8:
        return gsb_elem_u64(e, &out->w[0]);
    case 16:
        if (!gsb_elem_u128(e, &u128))
            return false;
        out->w[0] = u128.hi;
        out->w[1] = u128.lo;
        return true;
    case GSB_PART_TABLE_SIZE:
        if (!gsb_elem_part_table(e, &pt))
            return false;
        out->w[0] = pt.addr;
        out->w[1] = pt.ea_bits;
        out->w[2] = pt.root_size;
        return true;
    default:
        return false;
    }
}

/* Store every element of a parsed buffer in c as valid (and clean). */
static void nv2_take(Nv2Cache *c, const GsbView *view)
{
    GsbIter it;
    GsbElem e;
    for (gsb_iter_init(&it, view); gsb_iter_next(&it, &e);) {
        int idx = gsb_id_index(e.id);
        if (idx < 0 || e.id == GSB_ID_NOP || !nv2_elem_val(&e, &c->val[idx]))
            continue;
        gsb_bitmap_set(&c->valid, e.id);
        gsb_bitmap_clear(&c->dirty, e.id);
    }
}

static bool nv2_guest_wide(uint16_t id)
{
    const GsbElemInfo *info = gsb_elem_info(id);
    return info && (info->scope & GSB_SCOPE_GUEST) && !(info->scope & GSB_SCOPE_THREAD);
}

/* ---- layer 2: objects ---------------------------------------------------------------- */

long nv2_guest_create(Nv2Guest *g)
{
    memset(g, 0, sizeof(*g));
    long rc = nv2_create(0, NV2_TOKEN_NONE, &g->id);
    if (rc != H_SUCCESS)
        g->err = rc;
    return rc;
}

long nv2_guest_delete(Nv2Guest *g)
{
    return nv2_delete(0, g->id);
}

long nv2_vcpu_create(Nv2Vcpu *v, Nv2Guest *g, uint64_t vcpu_id, void *in, size_t in_size, void *out,
                     size_t out_size)
{
    memset(v, 0, sizeof(*v));
    v->guest = g;
    v->id = vcpu_id;
    v->in = in;
    v->in_size = in_size;
    v->out = out;
    v->out_size = out_size;
    long rc = nv2_create_vcpu(0, g->id, vcpu_id);
    if (rc != H_SUCCESS)
        return v->err = rc;
    /* Linux registers both buffers with one thread-wide SET before the first run. */
    GsbBuf b;
    GsbRegion rin = { (uint64_t)(unsigned long)in, in_size };
    GsbRegion rout = { (uint64_t)(unsigned long)out, out_size };
    gsb_init(&b, v->req, sizeof(v->req));
    gsb_put_region(&b, GSB_ID_RUN_INPUT, &rin);
    gsb_put_region(&b, GSB_ID_RUN_OUTPUT, &rout);
    rc = nv2_set_state(0, g->id, vcpu_id, b.data, gsb_len(&b), &v->err_r4);
    if (rc != H_SUCCESS)
        return v->err = rc;
    Nv2Val vin = { { rin.addr, rin.size, 0 } }, vout = { { rout.addr, rout.size, 0 } };
    v->th.val[GSB_IDX_RUN_INPUT] = vin;
    v->th.val[GSB_IDX_RUN_OUTPUT] = vout;
    /* The buffers' addresses never change behind the cache's back. */
    gsb_bitmap_set(&v->th.valid, GSB_ID_RUN_INPUT);
    gsb_bitmap_set(&v->th.valid, GSB_ID_RUN_OUTPUT);
    return H_SUCCESS;
}

/* ---- writes ---------------------------------------------------------------------------- */

static void nv2_cache_put(Nv2Cache *c, uint16_t id, Nv2Val val)
{
    int idx = gsb_id_index(id);
    if (idx < 0)
        return;
    c->val[idx] = val;
    gsb_bitmap_set(&c->valid, id);
    gsb_bitmap_set(&c->dirty, id);
}

static Nv2Cache *nv2_cache_for(Nv2Vcpu *v, uint16_t id)
{
    return nv2_guest_wide(id) ? &v->guest->gw : &v->th;
}

void nv2_set32(Nv2Vcpu *v, uint16_t id, uint32_t val)
{
    nv2_cache_put(nv2_cache_for(v, id), id, (Nv2Val){ { val, 0, 0 } });
}

void nv2_set64(Nv2Vcpu *v, uint16_t id, uint64_t val)
{
    nv2_cache_put(nv2_cache_for(v, id), id, (Nv2Val){ { val, 0, 0 } });
}

void nv2_set128(Nv2Vcpu *v, uint16_t id, GsbU128 val)
{
    nv2_cache_put(nv2_cache_for(v, id), id, (Nv2Val){ { val.hi, val.lo, 0 } });
}

void nv2_set_part_table(Nv2Guest *g, const GsbPartTable *pt)
{
    nv2_cache_put(&g->gw, GSB_ID_PARTITION_TABLE, (Nv2Val){ { pt->addr, pt->ea_bits, pt->root_size } });
}

void nv2_set_process_table(Nv2Guest *g, const GsbRegion *r)
{
    nv2_cache_put(&g->gw, GSB_ID_PROCESS_TABLE, (Nv2Val){ { r->addr, r->size, 0 } });
}

void nv2_guest_set32(Nv2Guest *g, uint16_t id, uint32_t val)
{
    nv2_cache_put(&g->gw, id, (Nv2Val){ { val, 0, 0 } });
}

void nv2_guest_set64(Nv2Guest *g, uint16_t id, uint64_t val)
{
    nv2_cache_put(&g->gw, id, (Nv2Val){ { val, 0, 0 } });
}

/* ---- reads ----------------------------------------------------------------------------- */

/* One GET_STATE (flags) for the invalid ids of c; results stored valid. */
static long nv2_fetch_into(Nv2Cache *c, uint8_t *req, size_t req_size, uint64_t flags, uint64_t guest_id,
                           uint64_t vcpu_id, const uint16_t *ids, unsigned n, long *err, uint64_t *err_r4)
{
    GsbBuf b;
    gsb_init(&b, req, req_size);
    for (unsigned i = 0; i < n; i++)
        if (!gsb_bitmap_test(&c->valid, ids[i]) && nv2_put_zero(&b, ids[i]) != GSB_OK)
            return *err = H_PARAMETER;
    if (gsb_count(&b) == 0)
        return H_SUCCESS;
    long rc = nv2_get_state(flags, guest_id, vcpu_id, b.data, gsb_len(&b), err_r4);
    if (rc != H_SUCCESS)
        return *err = rc;
    GsbView view;
    if (gsb_parse(b.data, gsb_len(&b), &view, NULL) != GSB_OK)
        return *err = H_HARDWARE;
    nv2_take(c, &view);
    return H_SUCCESS;
}

long nv2_fetch(Nv2Vcpu *v, const uint16_t *ids, unsigned n)
{
    return nv2_fetch_into(&v->th, v->req, sizeof(v->req), 0, v->guest->id, v->id, ids, n, &v->err, &v->err_r4);
}

static Nv2Val nv2_read(Nv2Vcpu *v, uint16_t id)
{
    int idx = gsb_id_index(id);
    if (idx < 0)
        return (Nv2Val){ { 0, 0, 0 } };
    if (nv2_guest_wide(id)) {
        Nv2Guest *g = v->guest;
        nv2_fetch_into(&g->gw, g->req, sizeof(g->req), NV2_STATE_GUEST_WIDE, g->id, 0, &id, 1, &g->err,
                       &g->err_r4);
        return gsb_bitmap_test(&g->gw.valid, id) ? g->gw.val[idx] : (Nv2Val){ { 0, 0, 0 } };
    }
    nv2_fetch(v, &id, 1);
    return gsb_bitmap_test(&v->th.valid, id) ? v->th.val[idx] : (Nv2Val){ { 0, 0, 0 } };
}

uint32_t nv2_get32(Nv2Vcpu *v, uint16_t id)
{
    return (uint32_t)nv2_read(v, id).w[0];
}

uint64_t nv2_get64(Nv2Vcpu *v, uint16_t id)
{
    return nv2_read(v, id).w[0];
}

GsbU128 nv2_get128(Nv2Vcpu *v, uint16_t id)
{
    Nv2Val val = nv2_read(v, id);
    return (GsbU128){ .hi = val.w[0], .lo = val.w[1] };
}

static Nv2Val nv2_guest_read(Nv2Guest *g, uint16_t id)
{
    int idx = gsb_id_index(id);
    if (idx < 0)
        return (Nv2Val){ { 0, 0, 0 } };
    nv2_fetch_into(&g->gw, g->req, sizeof(g->req), NV2_STATE_GUEST_WIDE, g->id, 0, &id, 1, &g->err, &g->err_r4);
    return gsb_bitmap_test(&g->gw.valid, id) ? g->gw.val[idx] : (Nv2Val){ { 0, 0, 0 } };
}

uint64_t nv2_guest_get64(Nv2Guest *g, uint16_t id)
{
    return nv2_guest_read(g, id).w[0];
}

uint32_t nv2_guest_get32(Nv2Guest *g, uint16_t id)
{
    return (uint32_t)nv2_guest_read(g, id).w[0];
}

bool nv2_is_valid(const Nv2Vcpu *v, uint16_t id)
{
    if (nv2_guest_wide(id))
        return gsb_bitmap_test(&v->guest->gw.valid, id);
    return gsb_bitmap_test(&v->th.valid, id);
}

bool nv2_is_dirty(const Nv2Vcpu *v, uint16_t id)
{
    if (nv2_guest_wide(id))
        return gsb_bitmap_test(&v->guest->gw.dirty, id);
    return gsb_bitmap_test(&v->th.dirty, id);
}

/* Every thread-wide element invalid, except the run buffers (L1-owned). */
void nv2_invalidate(Nv2Vcpu *v)
{
    gsb_bitmap_zero(&v->th.valid);
    gsb_bitmap_set(&v->th.valid, GSB_ID_RUN_INPUT);
    gsb_bitmap_set(&v->th.valid, GSB_ID_RUN_OUTPUT);
}

/* ---- flushing and running ----------------------------------------------------------------- */

/* Build the dirty elements of c into b (as many as fit); GSB_ERR_NO_SPACE
 * if some did not. */
static GsbErr nv2_build_dirty(const Nv2Cache *c, GsbBuf *b)
{
    unsigned pos = 0;
    uint16_t id;
    while (gsb_bitmap_next(&c->dirty, &pos, &id)) {
        GsbErr e = nv2_put_val(b, id, &c->val[gsb_id_index(id)]);
        if (e != GSB_OK)
            return e;
    }
    return GSB_OK;
}

static long nv2_flush(Nv2Cache *c, uint8_t *req, size_t req_size, uint64_t flags, uint64_t guest_id,
                      uint64_t vcpu_id, long *err, uint64_t *r4)
{
    GsbBuf b;
    if (gsb_bitmap_count(&c->dirty) == 0)
        return H_SUCCESS;
    gsb_init(&b, req, req_size);
    if (nv2_build_dirty(c, &b) != GSB_OK)
        return *err = H_PARAMETER;
    long rc = nv2_set_state(flags, guest_id, vcpu_id, b.data, gsb_len(&b), r4);
    if (rc != H_SUCCESS)
        return *err = rc;
    gsb_bitmap_zero(&c->dirty);
    return H_SUCCESS;
}

long nv2_flush_guest(Nv2Guest *g)
{
    return nv2_flush(&g->gw, g->req, sizeof(g->req), NV2_STATE_GUEST_WIDE, g->id, 0, &g->err, &g->err_r4);
}

long nv2_flush_vcpu(Nv2Vcpu *v)
{
    return nv2_flush(&v->th, v->req, sizeof(v->req), 0, v->guest->id, v->id, &v->err, &v->err_r4);
}

/* Take in the run output buffer: its elements become the only valid
 * thread-wide values. */
static void nv2_take_output(Nv2Vcpu *v)
{
    GsbView view;
    nv2_invalidate(v);
    v->out_count = 0;
    v->out_bad = false;
    if (!v->out || v->out_size < GSB_HDR_SIZE)
        return;
    if (gsb_parse(v->out, v->out_size, &view, NULL) != GSB_OK) {
        v->out_bad = true;
        return;
    }
    v->out_count = view.count;
    nv2_take(&v->th, &view);
}

long nv2_run(Nv2Vcpu *v, uint64_t flags)
{
    long rc = nv2_flush_guest(v->guest);
    if (rc != H_SUCCESS)
        return v->err = rc;
    GsbBitmap sent = v->th.dirty;
    GsbBuf in;
    if (!v->in || gsb_init(&in, v->in, v->in_size) != GSB_OK) {
        /* No usable input buffer (the run will say so): keep the writes for a SET_STATE. */
        rc = nv2_flush_vcpu(v);
        if (rc != H_SUCCESS)
            return rc;
    } else if (nv2_build_dirty(&v->th, &in) != GSB_OK) {
        /* Too much for the input buffer: send it all with SET_STATE. */
        gsb_reset(&in);
        rc = nv2_flush_vcpu(v);
        if (rc != H_SUCCESS)
            return rc;
    }
    gsb_bitmap_zero(&v->th.dirty);
    rc = nv2_run_vcpu(flags, v->guest->id, v->id, &v->exit);
    if (rc != H_SUCCESS) {
        v->th.dirty = sent; /* nothing was applied (the input buffer is rejected whole) */
        v->err = rc;
        v->err_r4 = v->exit;
        v->exit = 0;
        return rc;
    }
    nv2_take_output(v);
    return H_SUCCESS;
}
