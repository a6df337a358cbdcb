/*
 * testmem.h - a "real memory" for radix unit tests: a host buffer whose
 * offsets are real addresses, holding big-endian table entries, with a
 * table allocator that checks every free and counts live tables, and
 * failure injection (allocation number N fails; reads or writes of one
 * address fail).  Header-only; shared by test_walk.c and test_build.c.
 */
#ifndef TESTS_UNIT_RADIX_TESTMEM_H
#define TESTS_UNIT_RADIX_TESTMEM_H

#include <stdlib.h>
#include <string.h>

#include "radix/radix.h"

#define TM_SIZE      (64u << 20)  /* table memory */
#define TM_GRAIN     256u         /* smallest table (5-bit) */
#define TM_NO_ADDR   (~(radix_addr_t)0)

typedef struct TestMem {
    uint8_t *buf;
    uint64_t bump;              /* next never-used address */
    uint8_t *live;              /* per TM_GRAIN unit: log2(size) of a live table starting there, or 0 */
    radix_addr_t free_list[3][4096];
    unsigned nfree[3];
    unsigned live_tables;
    unsigned allocs;            /* successful allocations so far */
    int fail_alloc_at;          /* allocation number that fails (-1: none) */
    radix_addr_t fail_read;     /* reads of this address fail */
    radix_addr_t fail_write;    /* writes of this address fail */
    unsigned bad_frees;         /* frees of something not allocated (must stay 0) */
} TestMem;

static inline int tm_class(unsigned size)
{
    return size == 256 ? 0 : size == 4096 ? 1 : size == 65536 ? 2 : -1;
}

static inline void tm_init(TestMem *tm)
{
    memset(tm, 0, sizeof(*tm));
    tm->buf = calloc(1, TM_SIZE);
    tm->live = calloc(1, TM_SIZE / TM_GRAIN);
    tm->bump = 0x10000; /* keep address 0 unused */
    tm->fail_alloc_at = -1;
    tm->fail_read = TM_NO_ADDR;
    tm->fail_write = TM_NO_ADDR;
}

static inline void tm_fini(TestMem *tm)
{
    free(tm->buf);
    free(tm->live);
}

static inline uint64_t tm_get(const TestMem *tm, radix_addr_t a)
{
    uint64_t v;
    memcpy(&v, tm->buf + a, 8);
    return __builtin_bswap64(v);
}

static inline void tm_put(TestMem *tm, radix_addr_t a, uint64_t v)
{
    v = __builtin_bswap64(v);
    memcpy(tm->buf + a, &v, 8);
}

static inline int tm_read(void *opaque, radix_addr_t a, uint64_t *v)
{
    TestMem *tm = opaque;
    if (a == tm->fail_read || a > TM_SIZE - 8 || (a & 7))
        return -1;
    *v = tm_get(tm, a);
    return 0;
}

static inline int tm_write(void *opaque, radix_addr_t a, uint64_t v)
{
    TestMem *tm = opaque;
    if (a == tm->fail_write || a > TM_SIZE - 8 || (a & 7))
        return -1;
    tm_put(tm, a, v);
    return 0;
}

static inline int tm_alloc(void *opaque, unsigned size, radix_addr_t *out)
{
    TestMem *tm = opaque;
    int c = tm_class(size);
    radix_addr_t a;
    if (c < 0 || (int)tm->allocs == tm->fail_alloc_at)
        return -1;
    if (tm->nfree[c]) {
        a = tm->free_list[c][--tm->nfree[c]];
    } else {
        a = (tm->bump + size - 1) & ~(uint64_t)(size - 1);
        if (a + size > TM_SIZE)
            return -1;
        tm->bump = a + size;
    }
    memset(tm->buf + a, 0, size);
    tm->live[a / TM_GRAIN] = (uint8_t)__builtin_ctz(size);
    tm->live_tables++;
    tm->allocs++;
    *out = a;
    return 0;
}

static inline void tm_free(void *opaque, radix_addr_t a, unsigned size)
{
    TestMem *tm = opaque;
    int c = tm_class(size);
    if (c < 0 || a >= TM_SIZE || (a & (size - 1)) || tm->live[a / TM_GRAIN] != __builtin_ctz(size)) {
        tm->bad_frees++;
        return;
    }
    tm->live[a / TM_GRAIN] = 0;
    tm->live_tables--;
    memset(tm->buf + a, 0xA5, size); /* a stale read of a freed table shows */
    if (tm->nfree[c] < 4096)
        tm->free_list[c][tm->nfree[c]++] = a;
}

static inline RadixMem tm_radix_mem(TestMem *tm)
{
    return (RadixMem){ tm, tm_read, tm_write, tm_alloc, tm_free };
}

#endif
