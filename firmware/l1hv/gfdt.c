/*
 * gfdt.c - the guest's device tree: a filtered copy of ours (so a guest sees
 * what nesthv or QEMU gave the L1: root properties, /cpus, /rtas tokens,
 * the vty), written as a DTB v17 at guest real L1HV_FDT with:
 *   - /chosen: our bootargs, linux,initrd-start/end for the guest's bundle
 *     (32-bit cells, as QEMU) instead of ours;
 *   - one /memory@0 node with the guest's RAM instead of our memory nodes;
 *   - /cpus: our first l1hv_nvcpus CPUs (smp.c; one unless the guest is an SMP workload);
 *   - /vdevice: the vty only;
 *   - /rtas ibm,hypertas-functions: the hcall sets l1hv implements;
 *   - nothing else at the top level (no PCI, interrupt controller, event
 *     sources: l1hv emulates no devices), no qemu,boot-kernel, no
 *     memory reservations.
 * Tokens and layout: Devicetree Specification v0.4 ch. 5.
 */
#include "fw.h"
#include "l1hv.h"

#define FDT_HDR_SIZE     40
#define FDT_RSV_SIZE     16
#define FDT_VERSION      17
#define FDT_LAST_COMPAT  16
#define GFDT_STRINGS_MAX 8192
#define GFDT_DEPTH_MAX   16

/* l1hv handles H_PUT_TERM_CHAR/H_GET_TERM_CHAR, H_SET_MODE, H_RPT_INVALIDATE (nested). */
static const char gfdt_hypertas[] = "hcall-term\0hcall-set-mode\0hcall-rpt-invalidate";

enum node_kind { K_ROOT, K_CHOSEN, K_CPUS, K_RTAS, K_VDEVICE, K_OTHER };

typedef struct Writer {
    uint8_t *base;        /* the whole blob */
    uint32_t off;         /* next struct byte */
    uint32_t limit;
    char strings[GFDT_STRINGS_MAX];
    uint32_t strings_len;
} Writer;

static Writer gw;

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void w_bytes(const void *src, uint32_t n)
{
    uint32_t padded = (n + 3) & ~3u;
    if (gw.off + padded > gw.limit)
        l1hv_die("guest device tree too large");
    memcpy(gw.base + gw.off, src, n);
    memset(gw.base + gw.off + n, 0, padded - n);
    gw.off += padded;
}

static void w_token(uint32_t t)
{
    uint8_t b[4];
    put_be32(b, t);
    w_bytes(b, 4);
}

static uint32_t string_off(const char *name)
{
    size_t n = strlen(name) + 1;
    for (uint32_t i = 0; i < gw.strings_len;) {
        if (strcmp(gw.strings + i, name) == 0)
            return i;
        i += (uint32_t)strlen(gw.strings + i) + 1;
    }
    if (gw.strings_len + n > sizeof(gw.strings))
        l1hv_die("guest device tree: too many property names");
    memcpy(gw.strings + gw.strings_len, name, n);
    gw.strings_len += (uint32_t)n;
    return gw.strings_len - (uint32_t)n;
}

static void w_prop(const char *name, const void *val, uint32_t len)
{
    w_token(FDT_PROP);
    w_token(len);
    w_token(string_off(name));
    if (len)
        w_bytes(val, len);
}

static void w_prop_u32(const char *name, uint32_t v)
{
    uint8_t b[4];
    put_be32(b, v);
    w_prop(name, b, 4);
}

static void w_begin(const char *name)
{
    w_token(FDT_BEGIN_NODE);
    w_bytes(name, (uint32_t)strlen(name) + 1);
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static enum node_kind top_kind(const char *name)
{
    if (strcmp(name, "chosen") == 0)
        return K_CHOSEN;
    if (strcmp(name, "cpus") == 0)
        return K_CPUS;
    if (strcmp(name, "rtas") == 0)
        return K_RTAS;
    if (strcmp(name, "vdevice") == 0)
        return K_VDEVICE;
    return K_OTHER;
}

typedef struct GuestDt {
    const char *bootargs;
    uint64_t initrd_start, initrd_end, mem_size;
} GuestDt;

static void w_chosen_extra(const GuestDt *d)
{
    w_prop_u32("linux,initrd-end", (uint32_t)d->initrd_end);
    w_prop_u32("linux,initrd-start", (uint32_t)d->initrd_start);
    w_prop("bootargs", d->bootargs, (uint32_t)strlen(d->bootargs) + 1);
}

static void w_memory(uint64_t size)
{
    uint8_t reg[16];
    put_be32(reg, 0);
    put_be32(reg + 4, 0);
    put_be32(reg + 8, (uint32_t)(size >> 32));
    put_be32(reg + 12, (uint32_t)size);
    w_begin("memory@0");
    w_prop("reg", reg, sizeof reg);
    w_prop("device_type", "memory", 7);
    w_token(FDT_END_NODE);
}

/* Copy our struct block, filtered (see the header). */
static void copy_tree(const uint8_t *fdt, const GuestDt *d)
{
    const uint8_t *st = fdt + fdt_be32(fdt + 8), *strs = fdt + fdt_be32(fdt + 12);
    uint32_t st_size = fdt_be32(fdt + 36), pos = 0;
    enum node_kind kind[GFDT_DEPTH_MAX];
    int depth = -1, skip_depth = -1;      /* skipping the subtree opened at skip_depth */
    int children[GFDT_DEPTH_MAX] = { 0 }; /* children seen at each depth */

    while (pos + 4 <= st_size) {
        uint32_t tok = fdt_be32(st + pos);
        pos += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *name = (const char *)st + pos;
            pos += ((uint32_t)strnlen(name, st_size - pos) + 4) & ~3u;
            if (++depth >= GFDT_DEPTH_MAX)
                l1hv_die("our device tree is too deep");
            children[depth] = 0;
            if (depth > 0)
                children[depth - 1]++;
            if (skip_depth >= 0)
                continue;
            enum node_kind k = depth == 0 ? K_ROOT : depth == 1 ? top_kind(name) : kind[depth - 1];
            bool keep = depth != 1 || k != K_OTHER;
            if (depth == 2 && kind[1] == K_CPUS)
                keep = (unsigned)children[1] <= l1hv_nvcpus; /* its vCPUs: our first CPUs (smp.c) */
            if (depth == 2 && kind[1] == K_VDEVICE)
                keep = starts(name, "vty");
            if (!keep) {
                skip_depth = depth;
                continue;
            }
            kind[depth] = k;
            w_begin(name);
        } else if (tok == FDT_END_NODE) {
            if (skip_depth >= 0) {
                if (skip_depth == depth)
                    skip_depth = -1;
            } else {
                if (depth == 1 && kind[1] == K_CHOSEN)
                    w_chosen_extra(d);
                if (depth == 0)
                    w_memory(d->mem_size);
                w_token(FDT_END_NODE);
            }
            depth--;
        } else if (tok == FDT_PROP) {
            uint32_t len = fdt_be32(st + pos), nameoff = fdt_be32(st + pos + 4);
            const uint8_t *val = st + pos + 8;
            pos += 8 + ((len + 3) & ~3u);
            if (skip_depth >= 0 || depth < 0)
                continue;
            const char *name = (const char *)strs + nameoff;
            if (depth == 0 && strcmp(name, "qemu,boot-kernel") == 0)
                continue;
            if (depth == 1 && kind[1] == K_CHOSEN &&
                (strcmp(name, "bootargs") == 0 || starts(name, "linux,initrd-")))
                continue;
            if (depth == 1 && kind[1] == K_RTAS && strcmp(name, "ibm,hypertas-functions") == 0) {
                w_prop(name, gfdt_hypertas, sizeof gfdt_hypertas);
                continue;
            }
            w_prop(name, val, len);
        } else if (tok == FDT_NOP) {
            continue;
        } else {
            break; /* FDT_END */
        }
    }
    w_token(FDT_END);
}

uint32_t l1hv_guest_fdt(L1hvGuest *g, const char *bootargs, uint64_t initrd_start, uint64_t initrd_end)
{
    const uint8_t *ours = fw_fdt();
    if (!ours)
        l1hv_die("no device tree of our own to copy");
    uint8_t *blob = l1hv_guest_ptr(g, L1HV_FDT, L1HV_FDT_MAX);
    if (!blob)
        l1hv_die("guest too small for its device tree");
    GuestDt d = { bootargs, initrd_start, initrd_end, g->size };
    gw.base = blob;
    gw.off = FDT_HDR_SIZE + FDT_RSV_SIZE;
    gw.limit = L1HV_FDT_MAX - GFDT_STRINGS_MAX;
    gw.strings_len = 0;
    memset(blob, 0, gw.off);
    copy_tree(ours, &d);
    uint32_t st_off = FDT_HDR_SIZE + FDT_RSV_SIZE, st_size = gw.off - st_off;
    memcpy(blob + gw.off, gw.strings, gw.strings_len);
    uint32_t total = gw.off + gw.strings_len;
    put_be32(blob + 0, FDT_MAGIC);
    put_be32(blob + 4, total);
    put_be32(blob + 8, st_off);
    put_be32(blob + 12, gw.off);
    put_be32(blob + 16, FDT_HDR_SIZE);
    put_be32(blob + 20, FDT_VERSION);
    put_be32(blob + 24, FDT_LAST_COMPAT);
    put_be32(blob + 28, fdt_boot_cpuid(ours));
    put_be32(blob + 32, gw.strings_len);
    put_be32(blob + 36, st_size);
    return total;
}
