/*
 * fdt.c - read-only flattened device tree walker (see fdt.h).
 *
 * Every function re-reads and re-checks the header (cheap) and every tag
 * read goes through next_tag(), which bounds-checks it against the structure
 * block; property names are checked against the strings block.  Walks only
 * move forward, so they terminate on any input.
 */
#include <stdbool.h>
#include "boot.h"
#include "fdt.h"
#include "fwstring.h"

/* Header field offsets (bytes) and the format versions understood. */
#define HDR_MAGIC             0
#define HDR_TOTALSIZE         4
#define HDR_OFF_DT_STRUCT     8
#define HDR_OFF_DT_STRINGS    12
#define HDR_VERSION           20
#define HDR_LAST_COMP_VERSION 24
#define HDR_BOOT_CPUID_PHYS   28
#define HDR_SIZE_DT_STRINGS   32
#define HDR_SIZE_DT_STRUCT    36
#define HDR_SIZE              40
#define FDT_VERSION_MIN       17   /* first version with size_dt_struct */

#define FDT_TAG_SIZE          4
#define FDT_PROP_HDR_SIZE     8    /* len, nameoff */
#define FDT_CELL_SIZE         4
#define FDT_MAX_DEPTH         32
#define DEFAULT_ADDRESS_CELLS 2
#define DEFAULT_SIZE_CELLS    1
#define MAX_NUMBER_CELLS      2    /* numbers are read into 64 bits */

struct view {
    const uint8_t *st;      /* structure block */
    uint32_t st_size;
    const char *str;        /* strings block */
    uint32_t str_size;
};

static uint32_t align4(uint32_t x)
{
    return (x + 3) & ~3u;
}

static bool block_fits(uint32_t off, uint32_t size, uint32_t total)
{
    return (uint64_t)off + size <= total;
}

static int view_of(const void *fdt, struct view *v)
{
    const uint8_t *b = fdt;
    uint32_t total, off_st, off_str;

    if (!b || fdt_be32(b + HDR_MAGIC) != FDT_MAGIC)
        return FDT_ERR;
    total = fdt_be32(b + HDR_TOTALSIZE);
    if (total < HDR_SIZE || total > FDT_MAX_SIZE ||
        fdt_be32(b + HDR_VERSION) < FDT_VERSION_MIN ||
        fdt_be32(b + HDR_LAST_COMP_VERSION) > FDT_VERSION_MIN)
        return FDT_ERR;
    off_st = fdt_be32(b + HDR_OFF_DT_STRUCT);
    off_str = fdt_be32(b + HDR_OFF_DT_STRINGS);
    v->st_size = fdt_be32(b + HDR_SIZE_DT_STRUCT);
    v->str_size = fdt_be32(b + HDR_SIZE_DT_STRINGS);
    if ((off_st & 3) || !block_fits(off_st, v->st_size, total) ||
        !block_fits(off_str, v->str_size, total))
        return FDT_ERR;
    v->st = b + off_st;
    v->str = (const char *)b + off_str;
    return 0;
}

/* Reads the tag at off into *tag; returns the offset of the following tag. */
static int next_tag(const struct view *v, int off, uint32_t *tag)
{
    uint32_t o = (uint32_t)off, len;
    size_t n;

    if (off < 0 || (o & 3) || o + FDT_TAG_SIZE > v->st_size)
        return FDT_ERR;
    *tag = fdt_be32(v->st + o);
    o += FDT_TAG_SIZE;
    switch (*tag) {
    case FDT_BEGIN_NODE:
        n = strnlen((const char *)v->st + o, v->st_size - o);
        if (o + n >= v->st_size)
            return FDT_ERR;             /* unterminated name */
        return (int)align4(o + n + 1);
    case FDT_PROP:
        if (o + FDT_PROP_HDR_SIZE > v->st_size)
            return FDT_ERR;
        len = fdt_be32(v->st + o);
        if (len > v->st_size - o - FDT_PROP_HDR_SIZE)
            return FDT_ERR;
        return (int)align4(o + FDT_PROP_HDR_SIZE + len);
    case FDT_END_NODE:
    case FDT_NOP:
    case FDT_END:
        return (int)o;
    default:
        return FDT_ERR;
    }
}

/* Offset of the first non-NOP tag at or after off (its tag in *tag). */
static int skip_nops(const struct view *v, int off, uint32_t *tag)
{
    int next;

    for (;;) {
        next = next_tag(v, off, tag);
        if (next < 0)
            return FDT_ERR;
        if (*tag != FDT_NOP)
            return off;
        off = next;
    }
}

/* Offset of the first tag inside node (its properties, then children). */
static int node_body(const struct view *v, int node)
{
    uint32_t tag;
    int next = next_tag(v, node, &tag);

    return (next >= 0 && tag == FDT_BEGIN_NODE) ? next : FDT_ERR;
}

/* Offset just past node's FDT_END_NODE. */
static int skip_node(const struct view *v, int node)
{
    uint32_t tag;
    int depth = 0, off = node;

    do {
        off = next_tag(v, off, &tag);
        if (off < 0 || tag == FDT_END)
            return FDT_ERR;
        if (tag == FDT_BEGIN_NODE)
            depth++;
        else if (tag == FDT_END_NODE)
            depth--;
    } while (depth > 0);
    return off;
}

/* ---- header ------------------------------------------------------------ */

int fdt_valid(const void *fdt)
{
    struct view v;

    return view_of(fdt, &v);
}

uint32_t fdt_totalsize(const void *fdt)
{
    return fdt_valid(fdt) ? 0 : fdt_be32((const uint8_t *)fdt + HDR_TOTALSIZE);
}

uint32_t fdt_boot_cpuid(const void *fdt)
{
    return fdt_valid(fdt) ? 0 : fdt_be32((const uint8_t *)fdt + HDR_BOOT_CPUID_PHYS);
}

const void *fw_fdt(void)
{
    unsigned long a = fw_boot.r3;

    if (a == 0 || a >= FW_FDT_ADDR_LIMIT || (a & 7))
        return NULL;
    return fdt_valid((const void *)a) ? NULL : (const void *)a;
}

/* ---- nodes ------------------------------------------------------------- */

int fdt_root(const void *fdt)
{
    struct view v;
    uint32_t tag;
    int off;

    if (view_of(fdt, &v))
        return FDT_ERR;
    off = skip_nops(&v, 0, &tag);
    return (off >= 0 && tag == FDT_BEGIN_NODE) ? off : FDT_ERR;
}

int fdt_first_child(const void *fdt, int node)
{
    struct view v;
    uint32_t tag;
    int off;

    if (view_of(fdt, &v))
        return FDT_ERR;
    off = node_body(&v, node);
    for (;;) {
        off = skip_nops(&v, off, &tag);
        if (off < 0 || tag != FDT_PROP)
            break;
        off = next_tag(&v, off, &tag);
    }
    return (off >= 0 && tag == FDT_BEGIN_NODE) ? off : FDT_ERR;
}

int fdt_next_sibling(const void *fdt, int node)
{
    struct view v;
    uint32_t tag;
    int off;

    if (view_of(fdt, &v))
        return FDT_ERR;
    off = skip_nops(&v, skip_node(&v, node), &tag);
    return (off >= 0 && tag == FDT_BEGIN_NODE) ? off : FDT_ERR;
}

int fdt_parent(const void *fdt, int node)
{
    struct view v;
    uint32_t tag;
    int stack[FDT_MAX_DEPTH];
    int depth = 0, off = 0, next;

    if (view_of(fdt, &v))
        return FDT_ERR;
    for (; (next = next_tag(&v, off, &tag)) >= 0 && tag != FDT_END; off = next) {
        if (tag == FDT_BEGIN_NODE) {
            if (off == node)
                return depth ? stack[depth - 1] : FDT_ERR;
            if (depth == FDT_MAX_DEPTH)
                return FDT_ERR;
            stack[depth++] = off;
        } else if (tag == FDT_END_NODE) {
            if (depth == 0)
                return FDT_ERR;
            depth--;
        }
    }
    return FDT_ERR;
}

const char *fdt_node_name(const void *fdt, int node)
{
    struct view v;

    if (view_of(fdt, &v) || node_body(&v, node) < 0)
        return NULL;
    return (const char *)v.st + node + FDT_TAG_SIZE;
}

/* name matches the len-byte path component comp ("cpus", "memory@0"...). */
static bool name_matches(const char *name, const char *comp, size_t len)
{
    size_t i;

    if (strncmp(name, comp, len) != 0)
        return false;
    if (name[len] == '\0')
        return true;
    for (i = 0; i < len; i++) {
        if (comp[i] == '@')
            return false;
    }
    return name[len] == '@';
}

static int child_by_name_len(const void *fdt, int parent, const char *comp, size_t len)
{
    int child;

    fdt_for_each_child(fdt, parent, child) {
        if (name_matches(fdt_node_name(fdt, child), comp, len))
            return child;
    }
    return FDT_ERR;
}

int fdt_child_by_name(const void *fdt, int parent, const char *name)
{
    return child_by_name_len(fdt, parent, name, strlen(name));
}

int fdt_node_by_path(const void *fdt, const char *path)
{
    int node = fdt_root(fdt);
    size_t len;

    if (!path || path[0] != '/')
        return FDT_ERR;
    while (node >= 0) {
        while (*path == '/')
            path++;
        if (!*path)
            break;
        for (len = 0; path[len] && path[len] != '/'; len++)
            ;
        node = child_by_name_len(fdt, node, path, len);
        path += len;
    }
    return node;
}

int fdt_next_child_by_type(const void *fdt, int parent, int after, const char *type)
{
    int child = after >= 0 ? fdt_next_sibling(fdt, after) : fdt_first_child(fdt, parent);
    const char *t;

    for (; child >= 0; child = fdt_next_sibling(fdt, child)) {
        t = fdt_prop_str(fdt, child, "device_type");
        if (t && strcmp(t, type) == 0)
            return child;
    }
    return FDT_ERR;
}

int fdt_child_by_type(const void *fdt, int parent, const char *type)
{
    return fdt_next_child_by_type(fdt, parent, FDT_ERR, type);
}

/* ---- properties -------------------------------------------------------- */

/* The strings-block entry at nameoff equals name. */
static bool prop_name_is(const struct view *v, uint32_t nameoff, const char *name)
{
    size_t n = strlen(name);

    if (nameoff >= v->str_size || n >= v->str_size - nameoff)
        return false;
    return strncmp(v->str + nameoff, name, n) == 0 && v->str[nameoff + n] == '\0';
}

const void *fdt_prop(const void *fdt, int node, const char *name, int *len)
{
    struct view v;
    uint32_t tag;
    int off, next;

    if (view_of(fdt, &v))
        return NULL;
    for (off = node_body(&v, node);; off = next) {
        off = skip_nops(&v, off, &tag);
        if (off < 0 || tag != FDT_PROP)
            return NULL;
        next = next_tag(&v, off, &tag);
        if (prop_name_is(&v, fdt_be32(v.st + off + FDT_TAG_SIZE + FDT_CELL_SIZE), name)) {
            if (len)
                *len = (int)fdt_be32(v.st + off + FDT_TAG_SIZE);
            return v.st + off + FDT_TAG_SIZE + FDT_PROP_HDR_SIZE;
        }
    }
}

const char *fdt_prop_str(const void *fdt, int node, const char *name)
{
    int len;
    const char *s = fdt_prop(fdt, node, name, &len);

    return (s && len > 0 && s[len - 1] == '\0') ? s : NULL;
}

int fdt_prop_has_string(const void *fdt, int node, const char *name, const char *str)
{
    int len, pos = 0, n;
    const char *s = fdt_prop(fdt, node, name, &len);

    if (!s)
        return 0;
    while (pos < len) {
        n = (int)strnlen(s + pos, (size_t)(len - pos));
        if (pos + n < len && strcmp(s + pos, str) == 0)
            return 1;
        pos += n + 1;
    }
    return 0;
}

int fdt_prop_cells(const void *fdt, int node, const char *name, int first, int ncells,
                   uint64_t *out)
{
    int len, i;
    const uint8_t *p = fdt_prop(fdt, node, name, &len);
    uint64_t v = 0;

    if (!p || first < 0 || ncells < 0 || ncells > MAX_NUMBER_CELLS ||
        (first + ncells) * FDT_CELL_SIZE > len)
        return FDT_ERR;
    for (i = 0; i < ncells; i++)
        v = v << 32 | fdt_be32(p + (first + i) * FDT_CELL_SIZE);
    *out = v;
    return 0;
}

int fdt_prop_cell(const void *fdt, int node, const char *name, int index, uint32_t *out)
{
    uint64_t v;

    if (fdt_prop_cells(fdt, node, name, index, 1, &v))
        return FDT_ERR;
    *out = (uint32_t)v;
    return 0;
}

int fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t *out)
{
    return fdt_prop_cell(fdt, node, name, 0, out);
}

int fdt_prop_u64(const void *fdt, int node, const char *name, uint64_t *out)
{
    int len;

    if (!fdt_prop(fdt, node, name, &len) ||
        (len != FDT_CELL_SIZE && len != 2 * FDT_CELL_SIZE))
        return FDT_ERR;
    return fdt_prop_cells(fdt, node, name, 0, len / FDT_CELL_SIZE, out);
}

int fdt_address_cells(const void *fdt, int node)
{
    uint32_t v;

    return fdt_prop_u32(fdt, node, "#address-cells", &v) ? DEFAULT_ADDRESS_CELLS : (int)v;
}

int fdt_size_cells(const void *fdt, int node)
{
    uint32_t v;

    return fdt_prop_u32(fdt, node, "#size-cells", &v) ? DEFAULT_SIZE_CELLS : (int)v;
}

int fdt_reg(const void *fdt, int node, int index, uint64_t *addr, uint64_t *size)
{
    int parent = fdt_parent(fdt, node);
    int ac, sc;

    if (parent < 0 || index < 0)
        return FDT_ERR;
    ac = fdt_address_cells(fdt, parent);
    sc = fdt_size_cells(fdt, parent);
    if (ac < 1 || ac > MAX_NUMBER_CELLS || sc < 0 || sc > MAX_NUMBER_CELLS)
        return FDT_ERR;
    if (fdt_prop_cells(fdt, node, "reg", index * (ac + sc), ac, addr) ||
        fdt_prop_cells(fdt, node, "reg", index * (ac + sc) + ac, sc, size))
        return FDT_ERR;
    return 0;
}

unsigned fw_bootarg_uint(const char *key, unsigned def)
{
    const void *fdt = fw_fdt();
    int chosen = fdt ? fdt_node_by_path(fdt, "/chosen") : FDT_ERR;
    const char *args = chosen >= 0 ? fdt_prop_str(fdt, chosen, "bootargs") : NULL;
    size_t klen = strlen(key);
    for (const char *p = args; p && *p; p++) {
        if ((p == args || p[-1] == ' ') && strncmp(p, key, klen) == 0) {
            unsigned v = 0;
            for (p += klen; *p >= '0' && *p <= '9'; p++)
                v = v * 10 + (unsigned)(*p - '0');
            return v;
        }
    }
    return def;
}
