/*
 * fdt.h - a tiny read-only flattened device tree (DTB v17) reader.
 *
 * Nodes are named by their offset in the structure block (an int >= 0);
 * every lookup returns a negative value (FDT_ERR) when something is missing
 * or the blob is malformed.  All reads are bounds-checked against the
 * header's block sizes, which are themselves checked against totalsize, so a
 * corrupt blob yields errors, never out-of-bounds reads.  Property values
 * are big-endian: use fdt_be32()/fdt_be64() or the fdt_prop_* helpers.
 *
 *     const void *fdt = fw_fdt();
 *     int cpus = fdt_node_by_path(fdt, "/cpus");
 *     int cpu = fdt_child_by_type(fdt, cpus, "cpu");
 *     uint32_t tb;
 *     if (fdt_prop_u32(fdt, cpu, "timebase-frequency", &tb) == 0) ...
 */
#ifndef FW_FDT_H
#define FW_FDT_H

#include <stdint.h>
#include <stddef.h>

#define FDT_MAGIC       0xd00dfeedu
#define FDT_BEGIN_NODE  1
#define FDT_END_NODE    2
#define FDT_PROP        3
#define FDT_NOP         4
#define FDT_END         9
#define FDT_ERR         (-1)

/* Largest blob accepted, and the highest address fw_fdt() trusts r3 with
 * (QEMU places the FDT below 2 GiB, inside the RMA). */
#define FDT_MAX_SIZE        0x1000000u
#define FW_FDT_ADDR_LIMIT   0x80000000ul

static inline uint32_t fdt_be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t fdt_be64(const void *p)
{
    return (uint64_t)fdt_be32(p) << 32 | fdt_be32((const uint8_t *)p + 4);
}

/* The FDT passed in r3 at entry, or NULL if r3 holds no valid blob. */
const void *fw_fdt(void);

/* 0 if fdt points to a well-formed header (magic, version, block bounds). */
int fdt_valid(const void *fdt);
uint32_t fdt_totalsize(const void *fdt);
uint32_t fdt_boot_cpuid(const void *fdt);

/* ---- nodes ---- */
int fdt_root(const void *fdt);
int fdt_first_child(const void *fdt, int node);
int fdt_next_sibling(const void *fdt, int node);
int fdt_parent(const void *fdt, int node);
const char *fdt_node_name(const void *fdt, int node);   /* "" for the root */
/* "/a/b@1/c": a component without '@' also matches "name@unit". */
int fdt_node_by_path(const void *fdt, const char *path);
int fdt_child_by_name(const void *fdt, int parent, const char *name);
/* First child of parent (after "after", if >= 0) whose device_type is type. */
int fdt_child_by_type(const void *fdt, int parent, const char *type);
int fdt_next_child_by_type(const void *fdt, int parent, int after, const char *type);

#define fdt_for_each_child(fdt, parent, child)                   \
    for ((child) = fdt_first_child((fdt), (parent)); (child) >= 0; \
         (child) = fdt_next_sibling((fdt), (child)))

/* ---- properties ---- */
/* Pointer to the value (and its length in *len if len != NULL), or NULL. */
const void *fdt_prop(const void *fdt, int node, const char *name, int *len);
/* The value if it is a NUL-terminated string, else NULL. */
const char *fdt_prop_str(const void *fdt, int node, const char *name);
/* 1 if the string list property contains str. */
int fdt_prop_has_string(const void *fdt, int node, const char *name, const char *str);
/* Cell (32-bit) number index of the property. 0 or FDT_ERR. */
int fdt_prop_cell(const void *fdt, int node, const char *name, int index, uint32_t *out);
int fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t *out);
/* A one- or two-cell property as a 64-bit number. 0 or FDT_ERR. */
int fdt_prop_u64(const void *fdt, int node, const char *name, uint64_t *out);
/* ncells (1 or 2) cells starting at cell "first", as one number. */
int fdt_prop_cells(const void *fdt, int node, const char *name, int first, int ncells,
                   uint64_t *out);

/* #address-cells / #size-cells of node (defaults 2 and 1). */
int fdt_address_cells(const void *fdt, int node);
int fdt_size_cells(const void *fdt, int node);
/* Entry "index" of node's "reg", decoded with its parent's cell counts. */
int fdt_reg(const void *fdt, int node, int index, uint64_t *addr, uint64_t *size);

/* ---- boot arguments ---- */
/* The decimal value of a "key" (e.g. "nesthv.level=") starting a word of the
 * boot FDT's /chosen bootargs; def when absent. */
unsigned fw_bootarg_uint(const char *key, unsigned def);

#endif
