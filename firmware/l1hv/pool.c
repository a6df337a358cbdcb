/*
 * pool.c - l1hv's memory for radix tables and nest/'s objects: the region
 * [L1HV_POOL, L1HV_POOL_END) of our own real memory, handed out in
 * power-of-two blocks aligned to their size (a radix table must be aligned
 * to its size: 256 B, 4 KiB, 64 KiB), zeroed, with one free list per size.
 * Single-threaded: l1hv runs on its boot vCPU only.
 */
#include "fw.h"
#include "l1hv.h"

#define POOL_MIN_ORDER 5    /* 32-byte blocks */
#define POOL_MAX_ORDER 24   /* 16 MiB */

static uint64_t pool_bump = L1HV_POOL;
static void *pool_free_list[POOL_MAX_ORDER + 1];
static uint64_t pool_bytes;

static unsigned order_of(size_t size)
{
    unsigned o = POOL_MIN_ORDER;
    while (((size_t)1 << o) < size)
        o++;
    return o;
}

static L1hvSpin pool_lock;  /* several CPUs of ours allocate (smp.c) */

void *l1hv_pool_alloc(size_t size)
{
    unsigned o = order_of(size);
    if (o > POOL_MAX_ORDER)
        return NULL;
    uint64_t bytes = 1ULL << o;
    l1hv_spin_lock(&pool_lock);
    void *p = pool_free_list[o];
    if (p) {
        pool_free_list[o] = *(void **)p;
    } else {
        uint64_t a = (pool_bump + bytes - 1) & ~(bytes - 1);
        if (a + bytes > L1HV_POOL_END) {
            l1hv_spin_unlock(&pool_lock);
            return NULL;
        }
        pool_bump = a + bytes;
        p = l1hv_real(a);
    }
    pool_bytes += bytes;
    l1hv_spin_unlock(&pool_lock);
    memset(p, 0, bytes);
    return p;
}

void l1hv_pool_free(void *p, size_t size)
{
    unsigned o = order_of(size);
    if (!p || o > POOL_MAX_ORDER)
        return;
    l1hv_spin_lock(&pool_lock);
    *(void **)p = pool_free_list[o];
    pool_free_list[o] = p;
    pool_bytes -= 1ULL << o;
    l1hv_spin_unlock(&pool_lock);
}

uint64_t l1hv_pool_used(void)
{
    return pool_bytes;
}

/* ---- radix tables in our real memory (big-endian entries) -------------------------- */

static int tab_read(void *opaque, radix_addr_t a, uint64_t *v)
{
    (void)opaque;
    if (a < L1HV_POOL || a + 8 > L1HV_POOL_END)
        return -1;
    *v = __builtin_bswap64(*(volatile uint64_t *)l1hv_real(a));
    return 0;
}

static int tab_write(void *opaque, radix_addr_t a, uint64_t v)
{
    (void)opaque;
    if (a < L1HV_POOL || a + 8 > L1HV_POOL_END)
        return -1;
    *(volatile uint64_t *)l1hv_real(a) = __builtin_bswap64(v);
    return 0;
}

static int tab_alloc(void *opaque, unsigned size, radix_addr_t *out)
{
    (void)opaque;
    void *p = l1hv_pool_alloc(size);
    if (!p)
        return -1;
    *out = (radix_addr_t)(uintptr_t)p;
    return 0;
}

static void tab_free(void *opaque, radix_addr_t a, unsigned size)
{
    (void)opaque;
    l1hv_pool_free(l1hv_real(a), size);
}

const RadixMem l1hv_radix_mem = { 0, tab_read, tab_write, tab_alloc, tab_free };
