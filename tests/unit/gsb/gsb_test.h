/*
 * gsb_test.h - helpers shared by the gsb/ unit tests: a raw byte writer for
 * buffers the library would refuse to build (hostile input), and exact-size
 * heap copies so AddressSanitizer catches any read past a buffer's end.
 */
#ifndef NESTHV_TEST_GSB_H
#define NESTHV_TEST_GSB_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gsb/gsb.h"

#define RAW_MAX 8192

typedef struct Raw {
    uint8_t b[RAW_MAX];
    size_t n;
} Raw;

static inline void raw_be(Raw *r, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        r->b[r->n++] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
}

/* Start a buffer whose header claims count elements. */
static inline void raw_init(Raw *r, uint32_t count)
{
    r->n = 0;
    raw_be(r, count, 4);
}

/* An element header plus size value bytes, each = fill. */
static inline void raw_elem(Raw *r, uint16_t id, uint16_t size, uint8_t fill)
{
    raw_be(r, id, 2);
    raw_be(r, size, 2);
    memset(r->b + r->n, fill, size);
    r->n += size;
}

static inline void raw_u32(Raw *r, uint16_t id, uint32_t v)
{
    raw_be(r, id, 2);
    raw_be(r, 4, 2);
    raw_be(r, v, 4);
}

static inline void raw_u64(Raw *r, uint16_t id, uint64_t v)
{
    raw_be(r, id, 2);
    raw_be(r, 8, 2);
    raw_be(r, v, 8);
}

/* A malloc'd copy of exactly n bytes (ASan redzone right after it). */
static inline uint8_t *dup_exact(const void *p, size_t n)
{
    uint8_t *q = malloc(n ? n : 1);
    if (n)
        memcpy(q, p, n);
    return q;
}

#endif
