/*
 * snapshot_format.h - the container of a nesthv machine snapshot: tagged,
 * versioned, checksummed sections (hv/snapshot.h decides what goes in them).
 *
 * Layout (every integer little-endian, whatever the host):
 *
 *   header   magic "NESTHVSN" | u32 format version (SNAP_FORMAT_VERSION)
 *            | u32 number of sections | u64 file length in bytes
 *   section  u32 id | u32 section version | u32 flags | u32 CRC32 | u64 payload length
 *            | payload (length bytes)                          ... repeated
 *   trailer  magic "NHVSNEND" | u32 CRC32 of every byte before the trailer | u32 0
 *
 * A section's CRC32 (IEEE 802.3, as zlib's crc32()) covers its header with
 * the CRC field taken as 0, then its payload: a flipped id, version, flag
 * or length is caught there, before anything reads the payload.  The
 * trailer's CRC covers the whole file, the file header included.
 *
 * Reading is all-or-nothing: snap_parse() checks the file length, the
 * header, every section's bounds and CRC and the trailer before it reports
 * a single section, so a truncated or corrupt file is refused with one
 * clear message and nothing is loaded from it.  A reader skips sections
 * it does not know unless SNAP_SEC_REQUIRED is set in their flags (a newer
 * nesthv marks what an older one cannot do without: refused).
 *
 * Usage:
 *     SnapWriter w;  snap_writer_init(&w);
 *     SnapBuf *b = snap_section_begin(&w, id, 1, SNAP_SEC_REQUIRED);
 *     snap_put_u64(b, x); ...  snap_section_end(&w);
 *     snap_writer_finish(&w);  snap_write_file(path, &w.out, err, sizeof err);
 *
 *     SnapFile f;  snap_parse(data, len, &f, err, sizeof err);
 *     SnapCursor c = snap_cursor(snap_find(&f, id, 0));
 *     x = snap_get_u64(&c);  ...  if (!snap_cursor_done(&c)) refuse;
 *
 * Host only (hv/), single-threaded.
 */
#ifndef NESTHV_HV_SNAPSHOT_FORMAT_H
#define NESTHV_HV_SNAPSHOT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SNAP_MAGIC          "NESTHVSN"
#define SNAP_END_MAGIC      "NHVSNEND"
#define SNAP_MAGIC_LEN      8
#define SNAP_FORMAT_VERSION 1u
#define SNAP_HEADER_LEN     24u  /* magic, version, section count, file length */
#define SNAP_SEC_HEADER_LEN 24u  /* id, version, flags, CRC, payload length */
#define SNAP_TRAILER_LEN    16u  /* magic, CRC, reserved */
#define SNAP_MAX_SECTIONS   65536u

/* Section flags. */
#define SNAP_SEC_REQUIRED   1u   /* a reader that does not know the id must refuse the file */
#define SNAP_SEC_FLAGS_KNOWN SNAP_SEC_REQUIRED

/* A growing byte buffer; after an allocation failure it stays short and oom is set. */
typedef struct SnapBuf {
    uint8_t *data;
    size_t len, cap;
    bool oom;
} SnapBuf;

void snap_buf_free(SnapBuf *b);
void snap_put_u8(SnapBuf *b, uint8_t v);
void snap_put_u32(SnapBuf *b, uint32_t v);
void snap_put_u64(SnapBuf *b, uint64_t v);
void snap_put_bytes(SnapBuf *b, const void *p, size_t n);
/* u32 length, then the bytes (NULL: length 0). */
void snap_put_str(SnapBuf *b, const char *s);

typedef struct SnapWriter {
    SnapBuf out;          /* the whole file once finished */
    size_t sec_start;     /* offset of the open section's header; SIZE_MAX: none open */
    uint32_t nsections;
} SnapWriter;

void snap_writer_init(SnapWriter *w);
/* Open a section; its payload is appended to the returned buffer until snap_section_end(). */
SnapBuf *snap_section_begin(SnapWriter *w, uint32_t id, uint32_t version, uint32_t flags);
void snap_section_end(SnapWriter *w);
/* Fill in the header, append the trailer.  0, or -1 if memory ran out (w->out.oom). */
int snap_writer_finish(SnapWriter *w);
/* Write atomically: PATH.tmp, then rename.  0 or -1 with a message naming the file. */
int snap_write_file(const char *path, const SnapBuf *b, char *err, size_t errlen);

/* CRC32 (IEEE 802.3, reflected, init and final xor 0xFFFFFFFF); crc = 0 to start. */
uint32_t snap_crc32(uint32_t crc, const void *p, size_t n);

typedef struct SnapSection {
    uint32_t id, version, flags;
    const uint8_t *data;  /* the payload, inside the parsed buffer */
    uint64_t len;
} SnapSection;

typedef struct SnapFile {
    uint32_t version;
    uint32_t nsections;
    SnapSection *sections; /* malloc'ed, in file order */
} SnapFile;

/* Check the whole container (see the header comment).  0, or -1 with a message; *f is freed on error. */
int snap_parse(const uint8_t *data, size_t len, SnapFile *f, char *err, size_t errlen);
void snap_file_free(SnapFile *f);
/* The nth (0-based) section with this id, or NULL. */
const SnapSection *snap_find(const SnapFile *f, uint32_t id, unsigned nth);
unsigned snap_count(const SnapFile *f, uint32_t id);

/* Reading a payload: every get past the end sets bad and returns 0. */
typedef struct SnapCursor {
    const uint8_t *p;
    uint64_t left;
    bool bad;
} SnapCursor;

SnapCursor snap_cursor(const SnapSection *s);  /* NULL: an empty, bad cursor */
uint8_t snap_get_u8(SnapCursor *c);
uint32_t snap_get_u32(SnapCursor *c);
uint64_t snap_get_u64(SnapCursor *c);
/* n bytes in place (NULL and bad if fewer are left). */
const uint8_t *snap_get_bytes(SnapCursor *c, uint64_t n);
/* A snap_put_str() string copied into buf (NUL-terminated); bad if it does not fit or holds a NUL. */
void snap_get_str(SnapCursor *c, char *buf, size_t bufsize);
/* Everything read, nothing left over, no overrun. */
static inline bool snap_cursor_done(const SnapCursor *c) { return !c->bad && c->left == 0; }

#endif
