/*
 * nest_fake.h - a fake L0 for the nest/ unit tests: host real memory, L0's
 * partition-scoped tree for one L1 (built with radix/, demand-faulted),
 * L1 memory reached through it, the L1's own tables built with radix/ in L1
 * memory, a TLB model that honours flushes, and the NestOps over all that
 * with leak accounting and failure injection.
 *
 * Layout (all sizes are test constants):
 *   host real:  [0, TABLES)                  table pages (shadow trees, L0's tree)
 *               [FRAMES_4K, +)  [FRAMES_64K, +)  [FRAMES_2M, +)   data frames
 *   L1 real:    [0, l1_ram_size)             backed on demand by L0 (page size by 2 MiB region:
 *                                            fake_l0_shift())
 *               FAKE_PTAB                    the L1's partition table (PATS 4: 4096 entries)
 *               [FAKE_L1_TABLES, +)          the L1's radix tables for its guests
 *               [FAKE_L1_DATA, +)            pages the L1 gives its guests
 * Header-only (static): each test_*.c is its own program.
 */
#ifndef NEST_FAKE_H
#define NEST_FAKE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nest/nest.h"
#include "nest/nest_int.h" /* white-box: nest_lock(), internals */
#include "ppc/hcall.h"
#include "ppc/lpcr.h"
#include "ppc/msr.h"

/* Each test uses part of the fake. */
#pragma GCC diagnostic ignored "-Wunused-function"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* host real layout */
#define FAKE_TABLES_SIZE   (320 * MiB)          /* lazily backed: 4095 guests x 64 KiB roots fit */
#define FAKE_FRAMES_4K     FAKE_TABLES_SIZE
#define FAKE_FRAMES_4K_N   8192
#define FAKE_FRAMES_64K    (FAKE_FRAMES_4K + FAKE_FRAMES_4K_N * 4096ULL)
#define FAKE_FRAMES_64K_N  512
#define FAKE_FRAMES_2M     (FAKE_FRAMES_64K + FAKE_FRAMES_64K_N * 65536ULL)
#define FAKE_FRAMES_2M_N   48
#define FAKE_HOST_SIZE     (FAKE_FRAMES_2M + FAKE_FRAMES_2M_N * 2 * MiB)

/* L1 real layout */
#define FAKE_PTAB          0x10000ULL           /* 64 KiB partition table, PATS = 4 */
#define FAKE_PATS          4
#define FAKE_L1_TABLES     (1 * MiB)
#define FAKE_L1_TABLES_SZ  (15 * MiB)
#define FAKE_L1_DATA       (16 * MiB)
#define FAKE_L1_RAM        (4 * GiB)            /* backed on demand */

#define FAKE_SHADOW_LPID_BASE 0x12340u          /* shadow LPIDs beyond 12 bits */
#define FAKE_MAX_LPIDS     16384
#define FAKE_TLB_SIZE      256

/* ---- a pool of naturally aligned power-of-two blocks over some address range ---- */

#define FAKE_POOL_CLASSES 8
typedef struct FakePool {
    uint64_t base, size, bump;
    struct {
        unsigned size;
        uint64_t *free;
        size_t nfree, cap;
    } cls[FAKE_POOL_CLASSES];
} FakePool;

static void pool_init(FakePool *p, uint64_t base, uint64_t size)
{
    memset(p, 0, sizeof(*p));
    p->base = base;
    p->size = size;
    p->bump = base;
}

static void pool_fini(FakePool *p)
{
    for (unsigned i = 0; i < FAKE_POOL_CLASSES; i++) {
        free(p->cls[i].free);
    }
}

/* 0 ok; *recycled says whether the block was used before (needs zeroing). */
static int pool_alloc(FakePool *p, unsigned size, uint64_t *out, bool *recycled)
{
    for (unsigned i = 0; i < FAKE_POOL_CLASSES; i++) {
        if (p->cls[i].size == size && p->cls[i].nfree) {
            *out = p->cls[i].free[--p->cls[i].nfree];
            *recycled = true;
            return 0;
        }
    }
    uint64_t a = (p->bump + size - 1) & ~((uint64_t)size - 1);
    if (a + size > p->base + p->size) {
        return -1;
    }
    p->bump = a + size;
    *out = a;
    *recycled = false;
    return 0;
}

static void pool_free(FakePool *p, uint64_t a, unsigned size)
{
    for (unsigned i = 0; i < FAKE_POOL_CLASSES; i++) {
        if (p->cls[i].size == size || p->cls[i].size == 0) {
            p->cls[i].size = size;
            if (p->cls[i].nfree == p->cls[i].cap) {
                p->cls[i].cap = p->cls[i].cap ? p->cls[i].cap * 2 : 64;
                p->cls[i].free = realloc(p->cls[i].free, p->cls[i].cap * sizeof(uint64_t));
                assert_non_null(p->cls[i].free);
            }
            p->cls[i].free[p->cls[i].nfree++] = a;
            return;
        }
    }
    fail_msg("pool: too many size classes");
}

/* ---- the fake ---------------------------------------------------------------------- */

typedef struct FakeTlbEntry {
    bool valid;
    uint32_t lpid;
    uint64_t n_page;  /* 4 KiB page of the L2 real address */
    uint64_t hra;     /* host real page */
    uint64_t pte;     /* the shadow PTE it came from */
} FakeTlbEntry;

typedef struct Fake Fake;
struct Fake {
    uint8_t *host;
    FakePool tables, f4k, f64k, f2m;
    RadixRoot l0_root;
    uint64_t l1_ram_size;
    bool l0_readonly_start;   /* L0 maps new pages read-only (dirty tracking) */
    FakePool l1_tables;       /* the L1's allocator for its own tables (L1 real) */
    /* accounting */
    long objs, table_blocks, frames, lpids;
    uint32_t next_lpid;
    uint64_t pate_dw0[FAKE_MAX_LPIDS], pate_dw1[FAKE_MAX_LPIDS];
    uint64_t flush_lpid, flush_page;
    FakeTlbEntry tlb[FAKE_TLB_SIZE];
    unsigned tlb_next;
    /* failure injection and hooks */
    int fail_alloc_after;     /* ops->alloc fails once this reaches 0 (-1: never) */
    bool fail_alloc_table, fail_lpid;
    bool fail_read_l1_all;
    uint64_t unreadable_lo, unreadable_hi; /* read_l1 fails in [lo, hi) */
    uint64_t unwritable_lo, unwritable_hi;
    void (*lock_hook)(Fake *f, NestLock *l);
    void (*l0_hook)(Fake *f, uint64_t l1_gra);  /* called inside l1_gra_to_hra */
    int locks_held;
    NestL1 l1;
};

static uint64_t host_ld64(Fake *f, uint64_t hra)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = v << 8 | f->host[hra + i];
    }
    return v;
}

static void host_st64(Fake *f, uint64_t hra, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        f->host[hra + i] = (uint8_t)v;
        v >>= 8;
    }
}

/* host tables (shadow trees and L0's tree) */
static int fake_table_read(void *opaque, radix_addr_t a, uint64_t *v)
{
    Fake *f = opaque;
    if (a + 8 > FAKE_TABLES_SIZE) {
        return -1;
    }
    *v = host_ld64(f, a);
    return 0;
}

static int fake_table_write(void *opaque, radix_addr_t a, uint64_t v)
{
    Fake *f = opaque;
    if (a + 8 > FAKE_TABLES_SIZE) {
        return -1;
    }
    host_st64(f, a, v);
    return 0;
}

static int host_table_alloc(Fake *f, unsigned size, radix_addr_t *out)
{
    bool recycled;
    if (pool_alloc(&f->tables, size, out, &recycled) != 0) {
        return -1;
    }
    if (recycled) {
        memset(f->host + *out, 0, size);
    }
    return 0;
}

static void host_table_free(Fake *f, radix_addr_t a, unsigned size)
{
    memset(f->host + a, 0xA5, size); /* poison: a walk of a freed table finds garbage */
    pool_free(&f->tables, a, size);
}

/* nest's shadow tables (counted) */
static int fake_table_alloc(void *opaque, unsigned size, radix_addr_t *out)
{
    Fake *f = opaque;
    if (f->fail_alloc_table || host_table_alloc(f, size, out) != 0) {
        return -1;
    }
    f->table_blocks++;
    return 0;
}

static void fake_table_free(void *opaque, radix_addr_t a, unsigned size)
{
    Fake *f = opaque;
    host_table_free(f, a, size);
    f->table_blocks--;
}

/* L0's own tree for the L1 (not counted) */
static int l0tab_alloc(void *opaque, unsigned size, radix_addr_t *out)
{
    return host_table_alloc(opaque, size, out);
}

static void l0tab_free(void *opaque, radix_addr_t a, unsigned size)
{
    host_table_free(opaque, a, size);
}

static RadixMem fake_host_mem(Fake *f)
{
    return (RadixMem){ f, fake_table_read, fake_table_write, l0tab_alloc, l0tab_free };
}

/* ---- L0's tree for the L1 -------------------------------------------------------------- */

/* L0's page size for the 2 MiB region of l1_gra: 2M, 64K, or 4K. */
static unsigned fake_l0_shift(uint64_t l1_gra)
{
    switch ((l1_gra >> RADIX_SHIFT_2M) % 4) {
    case 0:
        return RADIX_SHIFT_2M;
    case 1:
        return RADIX_SHIFT_64K;
    default:
        return RADIX_SHIFT_4K;
    }
}

static int frame_alloc(Fake *f, unsigned shift, uint64_t *hra)
{
    FakePool *p = shift == RADIX_SHIFT_2M ? &f->f2m : shift == RADIX_SHIFT_64K ? &f->f64k : &f->f4k;
    bool recycled;
    if (pool_alloc(p, 1u << shift, hra, &recycled) != 0) {
        return -1;
    }
    memset(f->host + *hra, 0, 1u << shift);
    f->frames++;
    return 0;
}

static void frame_free(Fake *f, uint64_t hra, unsigned shift)
{
    FakePool *p = shift == RADIX_SHIFT_2M ? &f->f2m : shift == RADIX_SHIFT_64K ? &f->f64k : &f->f4k;
    memset(f->host + hra, 0xDB, 1u << shift);
    pool_free(p, hra, 1u << shift);
    f->frames--;
}

static void fake_l0_walk(Fake *f, uint64_t l1_gra, RadixWalk *w)
{
    radix_walk(&f->l0_root, l1_gra, fake_table_read, f, w);
}

#define FAKE_L0_FLAGS (RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW | RADIX_PTE_EAA_EXEC)

static int fake_l1_gra_to_hra(void *opaque, gra_t l1_gra, bool writing, NestL0Map *out)
{
    Fake *f = opaque;
    RadixMem m = fake_host_mem(f);
    RadixWalk w;
    if (f->l0_hook) {
        f->l0_hook(f, l1_gra);
    }
    if (l1_gra >= f->l1_ram_size) {
        return NEST_L0_NOT_RAM;
    }
    fake_l0_walk(f, l1_gra, &w);
    if (w.status == RADIX_NOT_PRESENT) {
        unsigned shift = fake_l0_shift(l1_gra);
        uint64_t base = l1_gra & ~((1ULL << shift) - 1), hra;
        uint64_t flags = FAKE_L0_FLAGS;
        if (f->l0_readonly_start && !writing) {
            flags &= ~(RADIX_PTE_EAA_RW | RADIX_PTE_C);
        }
        if (frame_alloc(f, shift, &hra) != 0) {
            return NEST_L0_NOMEM;
        }
        int rc = radix_map(&m, &f->l0_root, base, hra, 1ULL << shift, shift, flags);
        if (rc == RADIX_E_SHAPE) {
            /* L0 split a 64K page of this region into 4K pages earlier: 4K pages only now. */
            frame_free(f, hra, shift);
            shift = RADIX_SHIFT_4K;
            base = l1_gra & ~((1ULL << shift) - 1);
            if (frame_alloc(f, shift, &hra) != 0) {
                return NEST_L0_NOMEM;
            }
            rc = radix_map(&m, &f->l0_root, base, hra, 1ULL << shift, shift, flags);
        }
        assert_int_equal(rc, 0);
        fake_l0_walk(f, l1_gra, &w);
    }
    assert_int_equal(w.status, RADIX_OK);
    if (writing && !(w.pte & RADIX_PTE_EAA_RW)) {
        /* Dirty tracking: the first store makes the page writable (no invalidation needed). */
        uint64_t size = 1ULL << w.page_shift;
        assert_int_equal(radix_protect(&m, &f->l0_root, l1_gra & ~(size - 1), size, 0,
                                       RADIX_PTE_EAA_RW | RADIX_PTE_C), 0);
        fake_l0_walk(f, l1_gra, &w);
    }
    out->hra = w.ra;
    out->page_shift = w.page_shift;
    out->pte_flags = w.pte & (RADIX_PTE_EAA | RADIX_PTE_ATT);
    return NEST_L0_OK;
}

/* ---- L1 memory ----------------------------------------------------------------------------- */

static bool in_range(uint64_t a, size_t len, uint64_t lo, uint64_t hi)
{
    return a < hi && a + len > lo;
}

/* Copy between L1 memory and buf, page by page through L0's tree. */
static int fake_l1_access(Fake *f, uint64_t l1_gra, void *buf, size_t len, bool writing)
{
    uint8_t *b = buf;
    while (len) {
        NestL0Map map;
        if (fake_l1_gra_to_hra(f, l1_gra, writing, &map) != NEST_L0_OK) {
            return -1;
        }
        uint64_t page_end = (map.hra | ((1ULL << map.page_shift) - 1)) + 1;
        size_t n = len < page_end - map.hra ? len : (size_t)(page_end - map.hra);
        if (writing) {
            memcpy(f->host + map.hra, b, n);
        } else {
            memcpy(b, f->host + map.hra, n);
        }
        b += n;
        l1_gra += n;
        len -= n;
    }
    return 0;
}

static int fake_read_l1(void *opaque, gra_t l1_gra, void *buf, size_t len)
{
    Fake *f = opaque;
    if (f->fail_read_l1_all || in_range(l1_gra, len, f->unreadable_lo, f->unreadable_hi) ||
        l1_gra + len > f->l1_ram_size) {
        return -1;
    }
    return fake_l1_access(f, l1_gra, buf, len, false);
}

static int fake_write_l1(void *opaque, gra_t l1_gra, const void *buf, size_t len)
{
    Fake *f = opaque;
    if (in_range(l1_gra, len, f->unwritable_lo, f->unwritable_hi) || l1_gra + len > f->l1_ram_size) {
        return -1;
    }
    return fake_l1_access(f, l1_gra, (void *)buf, len, true);
}

static uint64_t l1_ld64(Fake *f, uint64_t l1_gra)
{
    uint8_t b[8];
    assert_int_equal(fake_l1_access(f, l1_gra, b, 8, false), 0);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = v << 8 | b[i];
    }
    return v;
}

static void l1_st64(Fake *f, uint64_t l1_gra, uint64_t v)
{
    uint8_t b[8];
    for (int i = 7; i >= 0; i--) {
        b[i] = (uint8_t)v;
        v >>= 8;
    }
    assert_int_equal(fake_l1_access(f, l1_gra, b, 8, true), 0);
}

/* The L1's own tables: RadixMem over L1 memory (what an L1 hypervisor does). */
static int l1mem_read(void *opaque, radix_addr_t a, uint64_t *v)
{
    Fake *f = opaque;
    uint8_t b[8];
    if (fake_l1_access(f, a, b, 8, false) != 0) {
        return -1;
    }
    *v = 0;
    for (int i = 0; i < 8; i++) {
        *v = *v << 8 | b[i];
    }
    return 0;
}

static int l1mem_write(void *opaque, radix_addr_t a, uint64_t v)
{
    l1_st64(opaque, a, v);
    return 0;
}

static int l1mem_alloc(void *opaque, unsigned size, radix_addr_t *out)
{
    Fake *f = opaque;
    bool recycled;
    if (pool_alloc(&f->l1_tables, size, out, &recycled) != 0) {
        return -1;
    }
    static const uint8_t zero[4096];
    for (unsigned off = 0; off < size; off += sizeof zero) {
        unsigned n = size - off < sizeof zero ? size - off : (unsigned)sizeof zero;
        assert_int_equal(fake_l1_access(f, *out + off, (void *)zero, n, true), 0);
    }
    return 0;
}

static void l1mem_free(void *opaque, radix_addr_t a, unsigned size)
{
    Fake *f = opaque;
    pool_free(&f->l1_tables, a, size);
}

static RadixMem fake_l1_mem(Fake *f)
{
    return (RadixMem){ f, l1mem_read, l1mem_write, l1mem_alloc, l1mem_free };
}

/* ---- the rest of the ops ------------------------------------------------------------------------ */

static void *fake_alloc(void *opaque, size_t size)
{
    Fake *f = opaque;
    if (f->fail_alloc_after == 0) {
        return NULL;
    }
    if (f->fail_alloc_after > 0) {
        f->fail_alloc_after--;
    }
    void *p = calloc(1, size);
    assert_non_null(p);
    f->objs++;
    return p;
}

static void fake_free(void *opaque, void *p, size_t size)
{
    Fake *f = opaque;
    (void)size;
    free(p);
    f->objs--;
}

static int fake_alloc_lpid(void *opaque, uint32_t *lpid)
{
    Fake *f = opaque;
    if (f->fail_lpid || f->next_lpid >= FAKE_SHADOW_LPID_BASE + FAKE_MAX_LPIDS) {
        return -1;
    }
    *lpid = f->next_lpid++;
    f->lpids++;
    return 0;
}

static void fake_free_lpid(void *opaque, uint32_t lpid)
{
    Fake *f = opaque;
    assert_true(lpid >= FAKE_SHADOW_LPID_BASE && lpid < f->next_lpid);
    f->lpids--;
}

static void fake_set_pate(void *opaque, uint32_t lpid, uint64_t dw0, uint64_t dw1)
{
    Fake *f = opaque;
    assert_true(lpid >= FAKE_SHADOW_LPID_BASE && lpid < FAKE_SHADOW_LPID_BASE + FAKE_MAX_LPIDS);
    f->pate_dw0[lpid - FAKE_SHADOW_LPID_BASE] = dw0;
    f->pate_dw1[lpid - FAKE_SHADOW_LPID_BASE] = dw1;
}

static void fake_flush(void *opaque, uint32_t lpid, NestFlushScope scope, gra_t n_gpa, unsigned shift)
{
    Fake *f = opaque;
    if (scope == NEST_FLUSH_LPID) {
        f->flush_lpid++;
    } else {
        f->flush_page++;
    }
    for (unsigned i = 0; i < FAKE_TLB_SIZE; i++) {
        FakeTlbEntry *e = &f->tlb[i];
        if (e->valid && e->lpid == lpid &&
            (scope == NEST_FLUSH_LPID || (e->n_page >= n_gpa && e->n_page < n_gpa + (1ULL << shift)))) {
            e->valid = false;
        }
    }
}

static void fake_lock(void *opaque, NestLock *l)
{
    Fake *f = opaque;
    if (f->lock_hook) {
        f->lock_hook(f, l);
    }
    f->locks_held++;
}

static void fake_unlock(void *opaque, NestLock *l)
{
    Fake *f = opaque;
    (void)l;
    f->locks_held--;
}

static const NestOps fake_ops = {
    .read_l1 = fake_read_l1,
    .write_l1 = fake_write_l1,
    .read_table = fake_table_read,
    .write_table = fake_table_write,
    .alloc_table = fake_table_alloc,
    .free_table = fake_table_free,
    .alloc = fake_alloc,
    .free = fake_free,
    .l1_gra_to_hra = fake_l1_gra_to_hra,
    .alloc_shadow_lpid = fake_alloc_lpid,
    .free_shadow_lpid = fake_free_lpid,
    .set_pate = fake_set_pate,
    .flush = fake_flush,
    .lock = fake_lock,
    .unlock = fake_unlock,
};

/* A fresh world: L0 tree empty, L1 memory demand-backed, partition table registered. */
static Fake *fake_new(void)
{
    Fake *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->host = calloc(1, FAKE_HOST_SIZE);
    assert_non_null(f->host);
    pool_init(&f->tables, 0x1000, FAKE_TABLES_SIZE - 0x1000);
    pool_init(&f->f4k, FAKE_FRAMES_4K, FAKE_FRAMES_4K_N * 4096ULL);
    pool_init(&f->f64k, FAKE_FRAMES_64K, FAKE_FRAMES_64K_N * 65536ULL);
    pool_init(&f->f2m, FAKE_FRAMES_2M, FAKE_FRAMES_2M_N * 2 * MiB);
    pool_init(&f->l1_tables, FAKE_L1_TABLES, FAKE_L1_TABLES_SZ);
    f->l1_ram_size = FAKE_L1_RAM;
    f->next_lpid = FAKE_SHADOW_LPID_BASE;
    f->fail_alloc_after = -1;
    RadixMem m = fake_host_mem(f);
    assert_int_equal(radix_tree_create(&m, &f->l0_root), 0);
    nest_l1_init(&f->l1, &fake_ops, f);
    return f;
}

static void fake_register_ptab(Fake *f)
{
    assert_int_equal(nest_set_partition_table(&f->l1, FAKE_PTAB | FAKE_PATS), H_SUCCESS);
}

/* Tear down, checking that nest returned everything it took. */
static void fake_free_all(Fake *f)
{
    nest_l1_destroy(&f->l1);
    assert_int_equal(f->objs, 0);
    assert_int_equal(f->table_blocks, 0);
    assert_int_equal(f->lpids, 0);
    assert_int_equal(f->locks_held, 0);
    pool_fini(&f->tables);
    pool_fini(&f->f4k);
    pool_fini(&f->f64k);
    pool_fini(&f->f2m);
    pool_fini(&f->l1_tables);
    free(f->host);
    free(f);
}

/* ---- the L1 hypervisor's side ---------------------------------------------------------------------- */

/* A new empty partition-scoped tree for guest lpid, entered in the L1's partition table. */
static RadixRoot fake_l1_guest(Fake *f, uint32_t lpid, uint64_t prtb_dw1)
{
    RadixMem m = fake_l1_mem(f);
    RadixRoot r;
    assert_int_equal(radix_tree_create(&m, &r), 0);
    l1_st64(f, FAKE_PTAB + lpid * PATE_SIZE, PATE0_HR | radix_root_to_dw0(&r));
    l1_st64(f, FAKE_PTAB + lpid * PATE_SIZE + 8, prtb_dw1);
    return r;
}

static void fake_l1_map(Fake *f, const RadixRoot *r, uint64_t n_gpa, uint64_t l1_gra, unsigned shift,
                        uint64_t flags)
{
    RadixMem m = fake_l1_mem(f);
    assert_int_equal(radix_map(&m, r, n_gpa, l1_gra, 1ULL << shift, shift, flags), 0);
}

/* ---- the hardware's view ---------------------------------------------------------------------------- */

#define L1_ALL (RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW | RADIX_PTE_EAA_EXEC)

static NestFaultIn hdsi(uint64_t n_gpa, bool store)
{
    return (NestFaultIn){ EXCP_HDSI, 0xC000000000010000ULL | (n_gpa & 0xFFF),
                          DSISR_NOPTE | (store ? DSISR_ISSTORE : 0), n_gpa };
}

static NestFaultIn hisi(uint64_t n_gpa)
{
    return (NestFaultIn){ EXCP_HISI, 0xC000000000020000ULL | (n_gpa & 0xFFF), DSISR_NOPTE, n_gpa };
}

#endif
