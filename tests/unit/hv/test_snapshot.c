/*
 * test_snapshot.c - machine snapshots (hv/snapshot_format.h, hv/snapshot.h):
 * the container round-trips, refuses every truncation and every changed
 * byte before reporting anything, skips unknown optional sections and
 * refuses unknown required ones; a machine restored from a snapshot runs on
 * exactly as the machine that was saved (registers, memory, timebase); a
 * CRC-valid snapshot whose contents do not fit together is refused; the
 * nested v2 state L0 holds survives, its shadow guests rebuilt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hv/hv.h"
#include "hv/nested_v2.h"
#include "hv/snapshot.h"
#include "hv/snapshot_format.h"

/* ---- the container ---------------------------------------------------------------------------- */

static SnapBuf small_file(void)
{
    SnapWriter w;
    snap_writer_init(&w);
    SnapBuf *b = snap_section_begin(&w, 10, 1, SNAP_SEC_REQUIRED);
    snap_put_u64(b, 0x0123456789ABCDEFULL);
    snap_put_u32(b, 0xCAFEF00Du);
    snap_put_str(b, "hello");
    snap_section_end(&w);
    b = snap_section_begin(&w, 11, 3, 0);
    snap_put_u8(b, 7);
    snap_section_end(&w);
    snap_section_begin(&w, 10, 1, SNAP_SEC_REQUIRED); /* an empty second section of id 10 */
    snap_section_end(&w);
    assert_int_equal(snap_writer_finish(&w), 0);
    return w.out;
}

static void test_snapshot_crc32_is_ieee(void **state)
{
    assert_int_equal(snap_crc32(0, "123456789", 9), 0xCBF43926u); /* the standard check value */
    assert_int_equal(snap_crc32(snap_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
}

static void test_snapshot_container_round_trips(void **state)
{
    SnapBuf b = small_file();
    SnapFile f;
    char err[256], str[16];
    assert_int_equal(snap_parse(b.data, b.len, &f, err, sizeof(err)), 0);
    assert_int_equal(f.nsections, 3);
    assert_int_equal(snap_count(&f, 10), 2);
    SnapCursor c = snap_cursor(snap_find(&f, 10, 0));
    assert_int_equal(snap_get_u64(&c), 0x0123456789ABCDEFULL);
    assert_int_equal(snap_get_u32(&c), 0xCAFEF00Du);
    snap_get_str(&c, str, sizeof(str));
    assert_string_equal(str, "hello");
    assert_true(snap_cursor_done(&c));
    const SnapSection *s11 = snap_find(&f, 11, 0);
    assert_non_null(s11);
    assert_int_equal(s11->version, 3);
    c = snap_cursor(s11);
    assert_int_equal(snap_get_u8(&c), 7);
    assert_int_equal(snap_get_u8(&c), 0); /* past the end */
    assert_true(c.bad);
    assert_int_equal(snap_find(&f, 10, 1)->len, 0);
    assert_null(snap_find(&f, 10, 2));
    snap_file_free(&f);
    snap_buf_free(&b);
}

static void test_snapshot_container_refuses_every_truncation(void **state)
{
    SnapBuf b = small_file();
    SnapFile f;
    char err[256];
    for (size_t len = 0; len < b.len; len++) {
        err[0] = '\0';
        assert_int_equal(snap_parse(b.data, len, &f, err, sizeof(err)), -1);
        assert_true(err[0] != '\0');
        assert_null(f.sections);
    }
    snap_buf_free(&b);
}

static void test_snapshot_container_refuses_every_changed_byte(void **state)
{
    SnapBuf b = small_file();
    SnapFile f;
    char err[256];
    for (size_t off = 0; off < b.len; off++)
        for (unsigned bit = 0; bit < 8; bit++) {
            b.data[off] ^= (uint8_t)(1u << bit);
            assert_int_equal(snap_parse(b.data, b.len, &f, err, sizeof(err)), -1);
            b.data[off] ^= (uint8_t)(1u << bit);
        }
    assert_int_equal(snap_parse(b.data, b.len, &f, err, sizeof(err)), 0);
    snap_file_free(&f);
    snap_buf_free(&b);
}

static void test_snapshot_container_says_what_is_wrong(void **state)
{
    SnapBuf b = small_file();
    SnapFile f;
    char err[256];
    assert_int_equal(snap_parse(b.data, b.len - 1, &f, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "truncated"));
    b.data[0] = 'X';
    assert_int_equal(snap_parse(b.data, b.len, &f, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "not a nesthv snapshot"));
    b.data[0] = 'N';
    b.data[SNAP_HEADER_LEN + SNAP_SEC_HEADER_LEN] ^= 1; /* first payload byte */
    assert_int_equal(snap_parse(b.data, b.len, &f, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "checksum"));
    snap_buf_free(&b);
}

/* ---- a machine ------------------------------------------------------------------------------------ */

#define RAM_SIZE  (256ULL << 20)
#define CODE      0x10000ULL
#define DATA      0x20000ULL
#define HALF      400000ULL

#define LWZ(rt, d, ra)  (0x80000000u | (rt) << 21 | (ra) << 16 | ((d) & 0xFFFF))
#define STW(rs, d, ra)  (0x90000000u | (rs) << 21 | (ra) << 16 | ((d) & 0xFFFF))
#define ADDI(rt, ra, v) (0x38000000u | (rt) << 21 | (ra) << 16 | ((v) & 0xFFFF))
#define MFTB(rt)        (0x7C0C42A6u | (rt) << 21)
#define STD(rs, d, ra)  (0xF8000000u | (rs) << 21 | (ra) << 16 | ((d) & 0xFFFC))
#define B(off)          (0x48000000u | ((off) & 0x3FFFFFC))

/* Every vCPU: a shared counter++ (no atomics: the interleaving shows), its timebase stored per vCPU. */
static const uint32_t prog[] = {
    LWZ(4, 0, 3), ADDI(4, 4, 1), STW(4, 0, 3), MFTB(5), STD(5, 0, 7), ADDI(6, 6, 3), B(-24),
};

static Hv *machine(const HvConfig *cfg)
{
    Hv *hv = calloc(1, sizeof(*hv));
    char err[256];
    assert_int_equal(hv_init(hv, cfg, err, sizeof(err)), 0);
    return hv;
}

static HvConfig config(int ncpus)
{
    HvConfig cfg;
    memset(&cfg, 0, sizeof(cfg));
    mach_config_init(&cfg.mach);
    cfg.mach.ram_size = RAM_SIZE;
    cfg.mach.smp_cpus = ncpus;
    cfg.mach.cap_nested_hv = true;
    cfg.clock = CPU_CLOCK_ICOUNT;
    cfg.rtc_base = 0;
    return cfg;
}

static Hv *booted(int ncpus)
{
    HvConfig cfg = config(ncpus);
    Hv *hv = machine(&cfg);
    memcpy(hv->ram + CODE, prog, sizeof(prog));
    for (int i = 0; i < ncpus; i++) {
        CPUState *cpu = hv->vcpus[i].cpu;
        if (i == 0)
            cpu->nip = CODE;
        else
            hv_vcpu_start(hv, &hv->vcpus[i], &hv->cpu, CODE, 0);
        cpu->msr = MSR_SF | MSR_ME | MSR_LE;
        cpu->gpr[3] = DATA;
        cpu->gpr[7] = DATA + 0x100 + 8 * (uint64_t)i;
        cpu->spr[SPR_SPRG2] = 0x5000 + (uint64_t)i; /* an SPR the program never touches */
        cpu_mode_changed(cpu);
    }
    hv->vcpus[ncpus - 1].icp.mfrr = 0x42;
    hv->vcpus[ncpus - 1].vpa = 0x30000;
    return hv;
}

static void run_to(Hv *hv, uint64_t insns)
{
    hv->cfg.max_insns = insns;
    assert_int_equal(hv_run(hv), HV_LIMIT_REACHED);
    assert_int_equal(hv->insns, insns);
}

static Hv *restored(const SnapBuf *b)
{
    HvSnapshot s;
    char err[256];
    uint8_t *copy = malloc(b->len);
    memcpy(copy, b->data, b->len);
    assert_int_equal(hv_snapshot_parse(copy, b->len, &s, err, sizeof(err)), 0);
    HvConfig cfg = config(1); /* overridden by the snapshot's machine */
    hv_snapshot_config(&s, &cfg);
    Hv *hv = machine(&cfg);
    assert_int_equal(hv_snapshot_restore(hv, &s, err, sizeof(err)), 0);
    hv_snapshot_close(&s);
    return hv;
}

static void destroy(Hv *hv)
{
    hv_destroy(hv);
    free(hv);
}

static void test_snapshot_restored_machine_runs_on_identically(void **state)
{
    Hv *a = booted(4);
    run_to(a, HALF);
    SnapBuf b;
    char err[256];
    assert_int_equal(hv_snapshot_build(a, &b, err, sizeof(err)), 0);
    Hv *r = restored(&b);
    assert_int_equal(r->nvcpus, 4);
    assert_int_equal(r->insns, HALF);
    assert_int_equal(r->vcpus[3].icp.mfrr, 0x42);
    assert_int_equal(r->vcpus[3].vpa, 0x30000);
    run_to(a, 2 * HALF);
    run_to(r, 2 * HALF);
    assert_memory_equal(a->ram + DATA, r->ram + DATA, 0x200);
    assert_memory_equal(a->ram + CODE, r->ram + CODE, sizeof(prog));
    assert_int_equal(a->vclock, r->vclock);
    for (int i = 0; i < 4; i++) {
        CPUState *x = a->vcpus[i].cpu, *y = r->vcpus[i].cpu;
        assert_memory_equal(x->gpr, y->gpr, sizeof(x->gpr));
        assert_int_equal(x->nip, y->nip);
        assert_int_equal(x->msr, y->msr);
        assert_int_equal(x->icount, y->icount);
        assert_int_equal(cpu_get_tb(x), cpu_get_tb(y));
        assert_int_equal(cpu_get_dec(x), cpu_get_dec(y));
        assert_int_equal(y->spr[SPR_SPRG2], 0x5000 + (uint64_t)i);
    }
    snap_buf_free(&b);
    destroy(a);
    destroy(r);
}

static void test_snapshot_machine_file_damage_is_refused(void **state)
{
    Hv *a = booted(2);
    run_to(a, 1000);
    SnapBuf b;
    HvSnapshot s;
    char err[256];
    assert_int_equal(hv_snapshot_build(a, &b, err, sizeof(err)), 0);
    /* Every length near the ends, and a stride through the middle (each parse checks the whole file). */
    for (size_t len = 0; len < b.len; len += (len < 512 || len > b.len - 512) ? 1 : 61)
        assert_int_equal(hv_snapshot_parse(b.data, len, &s, err, sizeof(err)), -1);
    for (size_t off = 0; off < b.len; off += 37) {
        b.data[off] ^= 0x10;
        assert_int_equal(hv_snapshot_parse(b.data, b.len, &s, err, sizeof(err)), -1);
        b.data[off] ^= 0x10;
    }
    assert_int_equal(hv_snapshot_parse(b.data, b.len, &s, err, sizeof(err)), 0);
    snap_file_free(&s.file);
    snap_buf_free(&b);
    destroy(a);
}

/* A well-formed container whose sections do not fit together: one vCPU section left out. */
static void test_snapshot_inconsistent_contents_are_refused(void **state)
{
    Hv *a = booted(2);
    run_to(a, 1000);
    SnapBuf b;
    SnapFile f;
    HvSnapshot s;
    char err[256];
    assert_int_equal(hv_snapshot_build(a, &b, err, sizeof(err)), 0);
    assert_int_equal(snap_parse(b.data, b.len, &f, err, sizeof(err)), 0);
    SnapWriter w;
    snap_writer_init(&w);
    for (uint32_t i = 0; i < f.nsections; i++) {
        const SnapSection *sec = &f.sections[i];
        if (sec == snap_find(&f, SNAP_SEC_VCPU, 1))
            continue;
        SnapBuf *o = snap_section_begin(&w, sec->id, sec->version, sec->flags);
        snap_put_bytes(o, sec->data, sec->len);
        snap_section_end(&w);
    }
    assert_int_equal(snap_writer_finish(&w), 0);
    assert_int_equal(hv_snapshot_parse(w.out.data, w.out.len, &s, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "vCPU"));
    snap_file_free(&f);
    snap_buf_free(&w.out);
    snap_buf_free(&b);
    destroy(a);
}

static void test_snapshot_unknown_required_section_is_refused(void **state)
{
    Hv *a = booted(1);
    run_to(a, 100);
    SnapBuf b;
    SnapFile f;
    HvSnapshot s;
    char err[256];
    assert_int_equal(hv_snapshot_build(a, &b, err, sizeof(err)), 0);
    assert_int_equal(snap_parse(b.data, b.len, &f, err, sizeof(err)), 0);
    for (int required = 0; required < 2; required++) {
        SnapWriter w;
        snap_writer_init(&w);
        for (uint32_t i = 0; i < f.nsections; i++) {
            const SnapSection *sec = &f.sections[i];
            SnapBuf *o = snap_section_begin(&w, sec->id, sec->version, sec->flags);
            snap_put_bytes(o, sec->data, sec->len);
            snap_section_end(&w);
        }
        snap_put_u64(snap_section_begin(&w, 99, 1, required ? SNAP_SEC_REQUIRED : 0), 1); /* a newer nesthv's */
        snap_section_end(&w);
        assert_int_equal(snap_writer_finish(&w), 0);
        int rc = hv_snapshot_parse(w.out.data, w.out.len, &s, err, sizeof(err));
        if (required) {
            assert_int_equal(rc, -1);
            assert_non_null(strstr(err, "section id 99"));
        } else {
            assert_int_equal(rc, 0);
            snap_file_free(&s.file);
        }
        snap_buf_free(&w.out);
    }
    snap_file_free(&f);
    snap_buf_free(&b);
    destroy(a);
}

/* The v2 state L0 holds survives: capabilities, the guest's guest-wide and vCPU elements; shadow rebuilt. */
static void test_snapshot_v2_guests_survive(void **state)
{
    HvConfig cfg = config(1);
    cfg.mach.cap_nested_papr = true;
    Hv *a = machine(&cfg);
    HvNestedV2 *v2 = a->nested->v2;
    assert_non_null(v2);
    v2->caps_set = true;
    v2->caps = nest_v2_caps_supported(a->cfg.mach.pvr);
    CPUState *cpu = &a->cpu;
    cpu->gpr[4] = 0;
    cpu->gpr[5] = H_GUEST_CREATE_NO_TOKEN;
    assert_int_equal(hv_h_guest_create(a, cpu), H_SUCCESS);
    uint64_t id = cpu->gpr[4];
    cpu->gpr[4] = 0;
    cpu->gpr[5] = id;
    cpu->gpr[6] = 3;
    assert_int_equal(hv_h_guest_create_vcpu(a, cpu), H_SUCCESS);
    HvV2Guest *g = v2->guests[id];
    g->gw.tb_offset = -12345;
    g->vcpus[3]->st.val[5] = (GsbU128){ 0x1111, 0x2222 };
    g->vcpus[3]->runs = 7;
    run_to(a, 100);
    SnapBuf b;
    char err[256];
    assert_int_equal(hv_snapshot_build(a, &b, err, sizeof(err)), 0);
    Hv *r = restored(&b);
    HvNestedV2 *rv = r->nested->v2;
    assert_true(rv->caps_set);
    assert_int_equal(rv->caps, v2->caps);
    assert_int_equal(rv->nguests, 1);
    HvV2Guest *rg = rv->guests[id];
    assert_non_null(rg);
    assert_non_null(rg->ng); /* a new shadow guest */
    assert_int_equal(nest_guest_count(&r->nested->l1v2), 1);
    assert_int_equal(rg->gw.tb_offset, -12345);
    assert_int_equal(rg->gw.logical_pvr, g->gw.logical_pvr);
    assert_int_equal(rg->nvcpus, 1);
    assert_non_null(rg->vcpus[3]);
    assert_memory_equal(rg->vcpus[3]->st.val, g->vcpus[3]->st.val, sizeof(g->vcpus[3]->st.val));
    assert_int_equal(rg->vcpus[3]->runs, 7);
    assert_int_equal(rv->stats.create, 1);
    snap_buf_free(&b);
    destroy(a);
    destroy(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_crc32_is_ieee),
        cmocka_unit_test(test_snapshot_container_round_trips),
        cmocka_unit_test(test_snapshot_container_refuses_every_truncation),
        cmocka_unit_test(test_snapshot_container_refuses_every_changed_byte),
        cmocka_unit_test(test_snapshot_container_says_what_is_wrong),
        cmocka_unit_test(test_snapshot_restored_machine_runs_on_identically),
        cmocka_unit_test(test_snapshot_machine_file_damage_is_refused),
        cmocka_unit_test(test_snapshot_inconsistent_contents_are_refused),
        cmocka_unit_test(test_snapshot_unknown_required_section_is_refused),
        cmocka_unit_test(test_snapshot_v2_guests_survive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
