/*
 * gsb.h - Guest State Buffers of the PAPR nested API (v2): build, parse,
 * look up, iterate, validate for an operation, and a bitmap of element ids.
 *
 * A Guest State Buffer is how an L1 hypervisor and the L0 exchange L2 state
 * (H_GUEST_GET_STATE, H_GUEST_SET_STATE, the H_GUEST_RUN_VCPU input and
 * output buffers).  Everything in it is big-endian:
 *
 *     be32 count | be16 id, be16 size, value[size] | be16 id, ... (count times)
 *
 * The element table (ids, sizes, scopes, access, masks) is GSB_ELEMENTS in
 * include/ppc/gsb_ids.h; this library is its only interpreter.
 *
 * FREESTANDING: L0 (host C) and ppc64le firmware (an L1 hypervisor, tests)
 * compile this same source.  No libc beyond <stdint.h>, <stddef.h>,
 * <stdbool.h>; no globals except const tables; no allocation: every buffer
 * is caller memory with an explicit length.  Input buffers are hostile (an
 * L1 wrote them): no byte outside [buf, buf + len) is ever read, loops are
 * bounded by len, every id and size is checked against the table.
 *
 * Building (an L1 request, or L0 filling a run output buffer):
 *
 *     uint8_t mem[256];
 *     GsbBuf b;
 *     gsb_init(&b, mem, sizeof(mem));
 *     gsb_put_u64(&b, GSB_ID_GPR(3), 42);
 *     gsb_put_u32(&b, GSB_ID_CR, 0x20000000);
 *     hcall(H_GUEST_SET_STATE, 0, guest, vcpu, mem, gsb_len(&b));
 *
 * Checking what an L1 sent (L0), then reading it:
 *
 *     GsbView v;
 *     GsbResult r;
 *     if (gsb_validate(buf, len, GSB_OP_SET_THREAD, &v, &r) != GSB_OK)
 *         return hcall_fail(gsb_err_hcall(r.err, GSB_OP_SET_THREAD), r.index);
 *     GsbIter it;
 *     GsbElem e;
 *     for (gsb_iter_init(&it, &v); gsb_iter_next(&it, &e);)
 *         apply(e.id, e.val, e.size);
 *
 * Error codes (gsb_err_hcall, the only place GsbErr meets H_*): the code
 * names what the L1 must change to make the element acceptable -- its id
 * (unknown, not allowed in this request's scope, or not readable/writable
 * in this direction: H_INVALID_ELEMENT_ID), its size (H_INVALID_ELEMENT_SIZE)
 * or its value (bits outside the mask on SET: H_INVALID_ELEMENT_VALUE).
 * r.index is the 0-based index of the first bad element (r4 of GET/SET_STATE)
 * and r.offset its byte offset in the buffer (r4 of RUN_VCPU for its input
 * buffer, as the PAPR text says).  A buffer too short for what its header
 * claims is a buffer error: H_P5 (the size argument) for GET/SET_STATE,
 * H_INPUT_BUFFER_TOO_SMALL for the run input buffer.
 *
 * Elements after the count in the header are not part of the buffer: Linux
 * passes its buffer capacity as the length, with stale bytes after the last
 * element.  A buffer may repeat an id; lookups return the first occurrence.
 * 0x0000 (NOP) may have any size and is valid in every request.
 */
#ifndef NESTHV_GSB_H
#define NESTHV_GSB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppc/gsb_ids.h"

/* ---- errors ------------------------------------------------------------ */

typedef enum GsbErr {
    GSB_OK = 0,
    GSB_ERR_ARG,        /* caller error: NULL pointer, impossible operation */
    GSB_ERR_NO_SPACE,   /* builder: the element does not fit the capacity */
    GSB_ERR_BUF_SHORT,  /* the buffer is shorter than its 4-byte header */
    GSB_ERR_TRUNCATED,  /* the header counts more elements than the buffer holds */
    GSB_ERR_ID,         /* unknown (reserved) element id */
    GSB_ERR_SCOPE,      /* element not allowed in this request's scope */
    GSB_ERR_ACCESS,     /* read-only element in a SET, write-only in a GET */
    GSB_ERR_SIZE,       /* value size differs from the table */
    GSB_ERR_VALUE,      /* SET value has bits outside the element's mask */
} GsbErr;

/* What the first bad element was (or err == GSB_OK). */
typedef struct GsbResult {
    GsbErr err;
    uint32_t index;     /* 0-based element index (TRUNCATED: the first that does
                           not fit; BUF_SHORT: 0) */
    size_t offset;      /* byte offset of that element's header in the buffer */
    uint16_t id;        /* its id (0 when the buffer ended before it) */
} GsbResult;

/* Operations a buffer is validated for: direction | scope (| run input). */
typedef enum GsbOp {
    GSB_OP_GET_THREAD = 0,
    GSB_OP_SET        = 0x1, /* flag: the L1 supplies values */
    GSB_OP_GUEST      = 0x2, /* flag: guest-wide request */
    GSB_OP_HOST       = 0x4, /* flag: host-wide request (PAPR defines it for GET) */
    GSB_OP_RUN        = 0x8, /* flag: the H_GUEST_RUN_VCPU input buffer */
    GSB_OP_GET_GUEST  = GSB_OP_GUEST,
    GSB_OP_GET_HOST   = GSB_OP_HOST,
    GSB_OP_SET_THREAD = GSB_OP_SET,
    GSB_OP_SET_GUEST  = GSB_OP_SET | GSB_OP_GUEST,
    GSB_OP_SET_HOST   = GSB_OP_SET | GSB_OP_HOST,
    GSB_OP_RUN_INPUT  = GSB_OP_SET | GSB_OP_RUN,
} GsbOp;

/* The H_* return code for err in a request of kind op (H_SUCCESS for GSB_OK). */
int64_t gsb_err_hcall(GsbErr err, GsbOp op);
/* A short name for err ("unknown id", ...), for traces. */
const char *gsb_err_name(GsbErr err);

/* ---- the element table ------------------------------------------------- */

typedef struct GsbElemInfo {
    uint16_t id;
    uint8_t scope;      /* GSB_SCOPE_* bits: requests it may appear in */
    uint8_t access;     /* GSB_ACC_* bits */
    uint32_t size;      /* value bytes, or GSB_SIZE_ANY */
    uint64_t mask;      /* bits a SET may carry (4-byte values: low 32 bits) */
    const char *name;   /* "GPR3" */
} GsbElemInfo;

/* Dense index of id (0 .. GSB_IDX_COUNT-1), or -1 for an unknown id. */
int gsb_id_index(uint16_t id);
/* Table row of id, or NULL for an unknown id. */
const GsbElemInfo *gsb_elem_info(uint16_t id);
/* Table row number idx (< GSB_IDX_COUNT), or NULL. */
const GsbElemInfo *gsb_elem_info_at(unsigned idx);
/* Element name, or NULL for an unknown id. */
const char *gsb_id_name(uint16_t id);
/* Bytes an element with this id takes in a buffer (header + value); 0 if the
 * id is unknown or has no fixed size (NOP). */
size_t gsb_elem_space(uint16_t id);

/* ---- values ------------------------------------------------------------ */

/* A 128-bit register: hi = ISA bits 0:63 (doubleword 0, the FPR half of
 * VSR0-31), written first; lo = bits 64:127. */
typedef struct GsbU128 {
    uint64_t hi;
    uint64_t lo;
} GsbU128;

/* 0x0005: the L2's partition-scoped radix tree. */
typedef struct GsbPartTable {
    uint64_t addr;      /* L1 real address of the root directory */
    uint64_t ea_bits;   /* effective address bits (52) */
    uint64_t root_size; /* root directory size in bytes */
} GsbPartTable;

/* 0x0006 (process table), 0x0C00 / 0x0C01 (run input / output buffers). */
typedef struct GsbRegion {
    uint64_t addr;
    uint64_t size;
} GsbRegion;

/* ---- building ---------------------------------------------------------- */

/* A buffer being built in caller memory. */
typedef struct GsbBuf {
    uint8_t *data;      /* header, then elements */
    size_t cap;         /* bytes available at data */
    size_t len;         /* bytes used, header included */
    uint32_t count;     /* elements (mirrors the be32 header) */
} GsbBuf;

/* Start an empty buffer (count 0) over mem[0..cap); GSB_ERR_NO_SPACE if cap
 * cannot hold the header. */
GsbErr gsb_init(GsbBuf *b, void *mem, size_t cap);
/* Empty it again (same memory). */
void gsb_reset(GsbBuf *b);
static inline size_t gsb_len(const GsbBuf *b) { return b->len; }
static inline size_t gsb_capacity(const GsbBuf *b) { return b->cap; }
static inline uint32_t gsb_count(const GsbBuf *b) { return b->count; }

/* Append an element whose value is already big-endian bytes.  The id must be
 * known and size must be its table size; on any error nothing changes. */
GsbErr gsb_put(GsbBuf *b, uint16_t id, const void *val_be, uint16_t size);
GsbErr gsb_put_u32(GsbBuf *b, uint16_t id, uint32_t v);
GsbErr gsb_put_u64(GsbBuf *b, uint16_t id, uint64_t v);
GsbErr gsb_put_u128(GsbBuf *b, uint16_t id, GsbU128 v);
GsbErr gsb_put_part_table(GsbBuf *b, uint16_t id, const GsbPartTable *pt);
GsbErr gsb_put_region(GsbBuf *b, uint16_t id, const GsbRegion *r);

/* ---- parsing ----------------------------------------------------------- */

/* A buffer that passed gsb_parse or gsb_validate. */
typedef struct GsbView {
    const uint8_t *data;
    size_t len;         /* bytes the header and its elements cover */
    uint32_t count;
} GsbView;

/* One element of a view; val points into the buffer. */
typedef struct GsbElem {
    uint16_t id;
    uint16_t size;
    const uint8_t *val;
    uint32_t index;     /* position in the buffer */
    size_t offset;      /* byte offset of its header */
} GsbElem;

/* Structural check of buf[0..len): the header's count of elements is
 * present, each has a known id and its table size.  On success *v describes
 * it; on failure r (if not NULL) says which element and why. */
GsbErr gsb_parse(const void *buf, size_t len, GsbView *v, GsbResult *r);

/* gsb_parse plus the rules of op, element by element in buffer order, so
 * r->index is the first element that breaks any rule.  Per element: unknown
 * id, scope, access (-> the id is wrong), then size, then the buffer end,
 * then (SET only) the value mask. */
GsbErr gsb_validate(const void *buf, size_t len, GsbOp op, GsbView *v, GsbResult *r);

/* The rules of op for one element whose header and value are in bounds. */
GsbErr gsb_check_elem(const GsbElemInfo *info, GsbOp op, const uint8_t *val, uint16_t size);

typedef struct GsbIter {
    const GsbView *v;
    size_t pos;         /* offset of the next element */
    uint32_t index;     /* its index */
} GsbIter;

void gsb_iter_init(GsbIter *it, const GsbView *v);
/* The next element into *e; false after the last. */
bool gsb_iter_next(GsbIter *it, GsbElem *e);
/* The first element with this id; false if there is none. */
bool gsb_find(const GsbView *v, uint16_t id, GsbElem *e);

/* Typed reads: false (and *out unchanged) if the element's size differs. */
bool gsb_elem_u32(const GsbElem *e, uint32_t *out);
bool gsb_elem_u64(const GsbElem *e, uint64_t *out);
bool gsb_elem_u128(const GsbElem *e, GsbU128 *out);
bool gsb_elem_part_table(const GsbElem *e, GsbPartTable *out);
bool gsb_elem_region(const GsbElem *e, GsbRegion *out);
/* Find + typed read. */
bool gsb_find_u32(const GsbView *v, uint16_t id, uint32_t *out);
bool gsb_find_u64(const GsbView *v, uint16_t id, uint64_t *out);
bool gsb_find_u128(const GsbView *v, uint16_t id, GsbU128 *out);

/* Fill an element's value in place (GET: the L1 wrote ids and sizes, L0
 * writes the values).  buf/len is the buffer e was parsed from (writable);
 * GSB_ERR_SIZE if e's size differs, GSB_ERR_ARG if e is not inside it. */
GsbErr gsb_write_u32(void *buf, size_t len, const GsbElem *e, uint32_t v);
GsbErr gsb_write_u64(void *buf, size_t len, const GsbElem *e, uint64_t v);
GsbErr gsb_write_u128(void *buf, size_t len, const GsbElem *e, GsbU128 v);
GsbErr gsb_write_part_table(void *buf, size_t len, const GsbElem *e, const GsbPartTable *pt);
GsbErr gsb_write_region(void *buf, size_t len, const GsbElem *e, const GsbRegion *r);

/* ---- a set of ids ------------------------------------------------------ */

#define GSB_BITMAP_WORDS ((GSB_IDX_COUNT + 63) / 64)

/* One bit per known id (dense index), e.g. an L1's valid/dirty sets.
 * Zero-initialise it ({0}) or gsb_bitmap_zero it. */
typedef struct GsbBitmap {
    uint64_t w[GSB_BITMAP_WORDS];
} GsbBitmap;

void gsb_bitmap_zero(GsbBitmap *bm);
void gsb_bitmap_fill(GsbBitmap *bm);            /* every known id */
/* false (bitmap unchanged) for an unknown id. */
bool gsb_bitmap_set(GsbBitmap *bm, uint16_t id);
bool gsb_bitmap_clear(GsbBitmap *bm, uint16_t id);
bool gsb_bitmap_test(const GsbBitmap *bm, uint16_t id);
unsigned gsb_bitmap_count(const GsbBitmap *bm);
/* Iterate in id order: start with *pos = 0; each call stores the next id in
 * the set into *id and returns true, false at the end. */
bool gsb_bitmap_next(const GsbBitmap *bm, unsigned *pos, uint16_t *id);

#endif
