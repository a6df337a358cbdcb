/*
 * snapshot_v2.c - the nested v2 section of a snapshot (snapshot_v2.h).
 */
#include "hv/snapshot_v2.h"

#include <string.h>

#include "hv/nested_run.h"
#include "hv/nested_v2.h"
#include "hv/snapshot.h"

#define SNAP_V2_VERSION 1u

#define FAIL(...)                           \
    do {                                    \
        snprintf(err, errlen, __VA_ARGS__); \
        return -1;                          \
    } while (0)

/* The counters, in a fixed order. */
static uint64_t *v2_counter(HvNestedV2Stats *s, unsigned i)
{
    uint64_t *const f[] = { &s->get_caps,  &s->set_caps, &s->create,         &s->create_vcpu,
                            &s->get_state, &s->set_state, &s->run,           &s->del,
                            &s->guests_created, &s->guests_deleted, &s->vcpus_created };
    return i < sizeof(f) / sizeof(f[0]) ? f[i] : NULL;
}

static void save_vcpu(SnapBuf *b, uint32_t id, const HvV2Vcpu *vc)
{
    snap_put_u32(b, id);
    snap_put_u64(b, vc->runs);
    snap_put_u32(b, GSB_IDX_COUNT);
    for (unsigned i = 0; i < GSB_IDX_COUNT; i++) {
        snap_put_u64(b, vc->st.val[i].hi);
        snap_put_u64(b, vc->st.val[i].lo);
    }
}

static void save_guest(SnapBuf *b, const HvV2Guest *g)
{
    snap_put_u32(b, g->id);
    snap_put_u32(b, g->gw.logical_pvr);
    snap_put_u64(b, (uint64_t)g->gw.tb_offset);
    snap_put_u64(b, g->gw.part.addr);
    snap_put_u64(b, g->gw.part.ea_bits);
    snap_put_u64(b, g->gw.part.root_size);
    snap_put_u64(b, g->gw.proc.addr);
    snap_put_u64(b, g->gw.proc.size);
    snap_put_u32(b, g->vcpus ? g->nvcpus : 0);
    for (uint32_t id = 0; g->vcpus && id <= H_GUEST_VCPU_ID_MAX; id++)
        if (g->vcpus[id])
            save_vcpu(b, id, g->vcpus[id]);
}

void hv_snapshot_v2_save(SnapWriter *w, Hv *hv)
{
    HvNestedV2 *v2 = hv->nested ? hv->nested->v2 : NULL;
    if (!v2)
        return;
    SnapBuf *b = snap_section_begin(w, SNAP_SEC_NESTED_V2, SNAP_V2_VERSION, SNAP_SEC_REQUIRED);
    snap_put_u8(b, v2->caps_set);
    snap_put_u64(b, v2->caps);
    for (unsigned i = 0; v2_counter(&v2->stats, i); i++)
        snap_put_u64(b, *v2_counter(&v2->stats, i));
    snap_put_u32(b, v2->nguests);
    for (uint32_t id = 1; id <= H_GUEST_ID_MAX; id++)
        if (v2->guests[id])
            save_guest(b, v2->guests[id]);
    snap_section_end(w);
}

/* ---- loading ------------------------------------------------------------------------------ */

/* A decoded guest, before it is applied. */
typedef struct V2GuestIn {
    uint32_t id, nvcpus;
    NestV2Guest gw;
} V2GuestIn;

static HvV2Guest *new_guest(HvNested *n, const V2GuestIn *in)
{
    long rc;
    HvV2Guest *g = hv_nested_alloc(n, sizeof(*g));
    if (!g)
        return NULL;
    g->id = in->id;
    g->gw = in->gw;
    g->ng = nest_guest_get(&n->l1v2, in->id, true, &rc); /* a new shadow guest: LPID, empty tree */
    if (!g->ng) {
        hv_nested_free(n, g, sizeof(*g));
        return NULL;
    }
    uint64_t dw0, dw1;
    if (nest_v2_pate(&g->gw, &dw0, &dw1))
        nest_guest_set_direct_pate(g->ng, dw0, dw1);
    n->v2->guests[in->id] = g;
    n->v2->nguests++;
    return g;
}

static int load_vcpu(SnapCursor *c, HvNested *n, HvV2Guest *g, uint32_t *prev_id, char *err, size_t errlen)
{
    uint32_t id = snap_get_u32(c);
    uint64_t runs = snap_get_u64(c);
    if (snap_get_u32(c) != GSB_IDX_COUNT)
        FAIL("snapshot of nested v2 vCPU state with another element table (GSB_IDX_COUNT): not this nesthv's");
    if (c->bad || id > H_GUEST_VCPU_ID_MAX || (*prev_id != UINT32_MAX && id <= *prev_id))
        FAIL("damaged snapshot: nested v2 vCPU id %u", id);
    *prev_id = id;
    HvV2Vcpu *vc = NULL;
    if (g) {
        if (!g->vcpus && !(g->vcpus = hv_nested_alloc(n, (H_GUEST_VCPU_ID_MAX + 1) * sizeof(*g->vcpus))))
            FAIL("out of host memory restoring nested v2 guests");
        if (!(vc = hv_nested_alloc(n, sizeof(*vc))))
            FAIL("out of host memory restoring nested v2 guests");
        nest_v2_vcpu_init(&vc->st);
        vc->runs = runs;
        g->vcpus[id] = vc;
        g->nvcpus++;
    }
    for (unsigned i = 0; i < GSB_IDX_COUNT; i++) {
        uint64_t hi = snap_get_u64(c), lo = snap_get_u64(c);
        if (vc)
            vc->st.val[i] = (GsbU128){ hi, lo };
    }
    return 0;
}

static int load_guest(SnapCursor *c, HvNested *n, uint32_t *prev_id, char *err, size_t errlen)
{
    V2GuestIn in = { 0 };
    in.id = snap_get_u32(c);
    in.gw.logical_pvr = snap_get_u32(c);
    in.gw.tb_offset = (int64_t)snap_get_u64(c);
    in.gw.part.addr = snap_get_u64(c);
    in.gw.part.ea_bits = snap_get_u64(c);
    in.gw.part.root_size = snap_get_u64(c);
    in.gw.proc.addr = snap_get_u64(c);
    in.gw.proc.size = snap_get_u64(c);
    in.nvcpus = snap_get_u32(c);
    if (c->bad || in.id < 1 || in.id > H_GUEST_ID_MAX || in.id <= *prev_id || in.nvcpus > H_GUEST_VCPU_ID_MAX + 1)
        FAIL("damaged snapshot: nested v2 guest id %u with %u vCPUs", in.id, in.nvcpus);
    *prev_id = in.id;
    HvV2Guest *g = n ? new_guest(n, &in) : NULL;
    if (n && !g)
        FAIL("out of host memory restoring nested v2 guest %u", in.id);
    uint32_t prev_vcpu = UINT32_MAX;
    for (uint32_t k = 0; k < in.nvcpus && !c->bad; k++)
        if (load_vcpu(c, n, g, &prev_vcpu, err, errlen))
            return -1;
    return 0;
}

int hv_snapshot_v2_load(const SnapSection *sec, const MachineConfig *m, Hv *hv, char *err, size_t errlen)
{
    if (!sec)
        return 0;
    if (!m->cap_nested_papr)
        FAIL("damaged snapshot: nested v2 state in a machine with cap-nested-papr=off");
    if (sec->version != SNAP_V2_VERSION)
        FAIL("snapshot nested v2 section version %u (this nesthv reads %u)", sec->version, SNAP_V2_VERSION);
    HvNested *n = hv ? hv->nested : NULL;
    if (hv && (!n || !n->v2))
        FAIL("internal: no nested v2 state in the restored machine");
    SnapCursor c = snap_cursor(sec);
    HvNestedV2Stats stats = { 0 };
    bool caps_set = snap_get_u8(&c) != 0;
    uint64_t caps = snap_get_u64(&c);
    for (unsigned i = 0; v2_counter(&stats, i); i++)
        *v2_counter(&stats, i) = snap_get_u64(&c);
    uint32_t nguests = snap_get_u32(&c), prev = 0;
    if (c.bad || nguests > H_GUEST_ID_MAX)
        FAIL("damaged snapshot: the nested v2 section does not have the expected layout");
    if (n) {
        n->v2->caps_set = caps_set;
        n->v2->caps = caps;
        n->v2->stats = stats;
    }
    for (uint32_t k = 0; k < nguests && !c.bad; k++)
        if (load_guest(&c, n, &prev, err, errlen))
            return -1;
    if (!snap_cursor_done(&c))
        FAIL("damaged snapshot: the nested v2 section does not have the expected layout");
    return 0;
}
