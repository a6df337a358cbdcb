/*
 * snapshot_format.c - the snapshot container (see snapshot_format.h):
 * little-endian encoding, sections with CRC32, all-or-nothing parsing.
 */
#include "hv/snapshot_format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CRC32 of IEEE 802.3 (reflected polynomial 0xEDB88320), four bits at a time. */
static const uint32_t crc32_nibble[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
    0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu, 0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};

uint32_t snap_crc32(uint32_t crc, const void *p, size_t n)
{
    const uint8_t *b = p;
    crc = ~crc;
    while (n--) {
        crc ^= *b++;
        crc = (crc >> 4) ^ crc32_nibble[crc & 0xF];
        crc = (crc >> 4) ^ crc32_nibble[crc & 0xF];
    }
    return ~crc;
}

/* ---- writing ------------------------------------------------------------------------- */

static bool reserve(SnapBuf *b, size_t n)
{
    if (b->oom)
        return false;
    if (n <= b->cap - b->len)
        return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < n) {
        if (cap > SIZE_MAX / 2) {
            b->oom = true;
            return false;
        }
        cap *= 2;
    }
    uint8_t *d = realloc(b->data, cap);
    if (!d) {
        b->oom = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

void snap_buf_free(SnapBuf *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}

void snap_put_bytes(SnapBuf *b, const void *p, size_t n)
{
    if (!n || !reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void store_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t load_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

void snap_put_u8(SnapBuf *b, uint8_t v) { snap_put_bytes(b, &v, 1); }

void snap_put_u32(SnapBuf *b, uint32_t v)
{
    uint8_t p[4];
    store_le(p, v, 4);
    snap_put_bytes(b, p, 4);
}

void snap_put_u64(SnapBuf *b, uint64_t v)
{
    uint8_t p[8];
    store_le(p, v, 8);
    snap_put_bytes(b, p, 8);
}

void snap_put_str(SnapBuf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    snap_put_u32(b, (uint32_t)n);
    snap_put_bytes(b, s, n);
}

void snap_writer_init(SnapWriter *w)
{
    static const uint8_t zero[SNAP_HEADER_LEN - SNAP_MAGIC_LEN];
    memset(w, 0, sizeof(*w));
    w->sec_start = SIZE_MAX;
    snap_put_bytes(&w->out, SNAP_MAGIC, SNAP_MAGIC_LEN);
    snap_put_bytes(&w->out, zero, sizeof(zero)); /* filled by snap_writer_finish() */
}

SnapBuf *snap_section_begin(SnapWriter *w, uint32_t id, uint32_t version, uint32_t flags)
{
    static const uint8_t zero[8];
    w->sec_start = w->out.len;
    snap_put_u32(&w->out, id);
    snap_put_u32(&w->out, version);
    snap_put_u32(&w->out, flags);
    snap_put_u32(&w->out, 0);               /* CRC, below */
    snap_put_bytes(&w->out, zero, sizeof(zero)); /* length, below */
    return &w->out;
}

void snap_section_end(SnapWriter *w)
{
    if (w->sec_start == SIZE_MAX || w->out.oom)
        return;
    uint8_t *h = w->out.data + w->sec_start;
    uint64_t len = w->out.len - w->sec_start - SNAP_SEC_HEADER_LEN;
    store_le(h + 16, len, 8);
    uint32_t crc = snap_crc32(0, h, SNAP_SEC_HEADER_LEN);   /* CRC field still 0 */
    crc = snap_crc32(crc, h + SNAP_SEC_HEADER_LEN, len);
    store_le(h + 12, crc, 4);
    w->nsections++;
    w->sec_start = SIZE_MAX;
}

int snap_writer_finish(SnapWriter *w)
{
    if (!reserve(&w->out, SNAP_TRAILER_LEN))
        return -1;
    uint8_t *h = w->out.data;
    store_le(h + 8, SNAP_FORMAT_VERSION, 4);
    store_le(h + 12, w->nsections, 4);
    store_le(h + 16, w->out.len + SNAP_TRAILER_LEN, 8);
    uint32_t crc = snap_crc32(0, w->out.data, w->out.len);
    snap_put_bytes(&w->out, SNAP_END_MAGIC, SNAP_MAGIC_LEN);
    snap_put_u32(&w->out, crc);
    snap_put_u32(&w->out, 0);
    return w->out.oom ? -1 : 0;
}

int snap_write_file(const char *path, const SnapBuf *b, char *err, size_t errlen)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
        snprintf(err, errlen, "snapshot file name too long: %s", path);
        return -1;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, errlen, "cannot write snapshot %s: %s", tmp, strerror(errno));
        return -1;
    }
    bool ok = fwrite(b->data, 1, b->len, f) == b->len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write snapshot %s: %s (disk full?)", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

/* ---- reading ------------------------------------------------------------------------- */

#define FAIL(...)                           \
    do {                                    \
        snprintf(err, errlen, __VA_ARGS__); \
        snap_file_free(f);                  \
        return -1;                          \
    } while (0)

void snap_file_free(SnapFile *f)
{
    free(f->sections);
    memset(f, 0, sizeof(*f));
}

static int parse_header(const uint8_t *data, size_t len, SnapFile *f, char *err, size_t errlen)
{
    if (len < SNAP_MAGIC_LEN || memcmp(data, SNAP_MAGIC, SNAP_MAGIC_LEN))
        FAIL("not a nesthv snapshot (no \"%s\" magic at the start)", SNAP_MAGIC);
    if (len < SNAP_HEADER_LEN + SNAP_TRAILER_LEN)
        FAIL("truncated snapshot: %zu bytes, shorter than an empty snapshot", len);
    f->version = (uint32_t)load_le(data + 8, 4);
    f->nsections = (uint32_t)load_le(data + 12, 4);
    uint64_t total = load_le(data + 16, 8);
    if (total != len)
        FAIL("truncated or damaged snapshot: the file has %zu bytes, its header says %llu", len,
             (unsigned long long)total);
    uint32_t crc = snap_crc32(0, data, len - SNAP_TRAILER_LEN);
    const uint8_t *t = data + len - SNAP_TRAILER_LEN;
    if (memcmp(t, SNAP_END_MAGIC, SNAP_MAGIC_LEN) || load_le(t + 12, 4) != 0)
        FAIL("truncated or damaged snapshot: no end marker");
    if (load_le(t + 8, 4) != crc)
        FAIL("corrupt snapshot: the file checksum does not match its contents");
    if (f->version != SNAP_FORMAT_VERSION)
        FAIL("snapshot format version %u is not supported (this nesthv reads version %u)", f->version,
             SNAP_FORMAT_VERSION);
    if (f->nsections > SNAP_MAX_SECTIONS)
        FAIL("corrupt snapshot: %u sections", f->nsections);
    return 0;
}

int snap_parse(const uint8_t *data, size_t len, SnapFile *f, char *err, size_t errlen)
{
    memset(f, 0, sizeof(*f));
    if (parse_header(data, len, f, err, errlen))
        return -1;
    f->sections = calloc(f->nsections ? f->nsections : 1, sizeof(*f->sections));
    if (!f->sections)
        FAIL("out of host memory reading the snapshot");
    size_t off = SNAP_HEADER_LEN, end = len - SNAP_TRAILER_LEN;
    for (uint32_t i = 0; i < f->nsections; i++) {
        if (end - off < SNAP_SEC_HEADER_LEN)
            FAIL("corrupt snapshot: section %u of %u starts past the end", i + 1, f->nsections);
        const uint8_t *h = data + off;
        SnapSection *s = &f->sections[i];
        s->id = (uint32_t)load_le(h, 4);
        s->version = (uint32_t)load_le(h + 4, 4);
        s->flags = (uint32_t)load_le(h + 8, 4);
        s->len = load_le(h + 16, 8);
        if (s->len > end - off - SNAP_SEC_HEADER_LEN)
            FAIL("corrupt snapshot: section %u (id %u) is longer than the file", i + 1, s->id);
        uint8_t hcopy[SNAP_SEC_HEADER_LEN];
        memcpy(hcopy, h, sizeof(hcopy));
        memset(hcopy + 12, 0, 4);
        s->data = h + SNAP_SEC_HEADER_LEN;
        uint32_t crc = snap_crc32(snap_crc32(0, hcopy, sizeof(hcopy)), s->data, s->len);
        if (crc != load_le(h + 12, 4))
            FAIL("corrupt snapshot: section %u (id %u) fails its CRC32 check", i + 1, s->id);
        if (s->flags & ~SNAP_SEC_FLAGS_KNOWN)
            FAIL("snapshot section %u (id %u) has flags 0x%x this nesthv does not know", i + 1, s->id, s->flags);
        off += SNAP_SEC_HEADER_LEN + s->len;
    }
    if (off != end)
        FAIL("corrupt snapshot: %zu stray bytes after the last section", end - off);
    return 0;
}

const SnapSection *snap_find(const SnapFile *f, uint32_t id, unsigned nth)
{
    for (uint32_t i = 0; i < f->nsections; i++)
        if (f->sections[i].id == id && nth-- == 0)
            return &f->sections[i];
    return NULL;
}

unsigned snap_count(const SnapFile *f, uint32_t id)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < f->nsections; i++)
        n += f->sections[i].id == id;
    return n;
}

SnapCursor snap_cursor(const SnapSection *s)
{
    if (!s)
        return (SnapCursor){ NULL, 0, true };
    return (SnapCursor){ s->data, s->len, false };
}

const uint8_t *snap_get_bytes(SnapCursor *c, uint64_t n)
{
    if (c->bad || n > c->left) {
        c->bad = true;
        return NULL;
    }
    const uint8_t *p = c->p;
    c->p += n;
    c->left -= n;
    return p;
}

uint8_t snap_get_u8(SnapCursor *c)
{
    const uint8_t *p = snap_get_bytes(c, 1);
    return p ? *p : 0;
}

uint32_t snap_get_u32(SnapCursor *c)
{
    const uint8_t *p = snap_get_bytes(c, 4);
    return p ? (uint32_t)load_le(p, 4) : 0;
}

uint64_t snap_get_u64(SnapCursor *c)
{
    const uint8_t *p = snap_get_bytes(c, 8);
    return p ? load_le(p, 8) : 0;
}

void snap_get_str(SnapCursor *c, char *buf, size_t bufsize)
{
    uint32_t n = snap_get_u32(c);
    const uint8_t *p = snap_get_bytes(c, n);
    buf[0] = '\0';
    if (!p || n >= bufsize || memchr(p, 0, n)) {
        c->bad = true;
        return;
    }
    memcpy(buf, p, n);
    buf[n] = '\0';
}
