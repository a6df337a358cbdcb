/*
 * fuzz_gsb_seeds.c - writes the starting material for fuzz_gsb from the
 * element table itself (so it never drifts from gsb_ids.h):
 *
 *   fuzz_gsb_seeds DIR     DIR/gsb.dict   one libFuzzer dictionary entry per
 *                                         element header (be16 id, be16 size)
 *                          DIR/seeds/NAME valid buffers for each kind of request
 *
 * Run by `make fuzz` before the fuzzer (which creates DIR/seeds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gsb/gsb.h"

static void write_dict(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/gsb.dict", dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    for (unsigned i = 0; i < GSB_IDX_COUNT; i++) {
        const GsbElemInfo *info = gsb_elem_info_at(i);
        unsigned size = info->size == GSB_SIZE_ANY ? 0 : info->size;
        fprintf(f, "%s=\"\\x%02X\\x%02X\\x%02X\\x%02X\"\n", info->name, info->id >> 8,
                info->id & 0xFF, size >> 8, size & 0xFF);
    }
    fprintf(f, "count1=\"\\x00\\x00\\x00\\x01\"\ncount2=\"\\x00\\x00\\x00\\x02\"\n");
    fprintf(f, "lpcr_bad=\"\\x00\\x10\\x00\\x00\\x00\\x00\\x00\\x00\"\n");
    fclose(f);
}

static void write_seed(const char *dir, const char *name, const GsbBuf *b)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/seeds/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len) {
        perror(path);
        exit(1);
    }
    fclose(f);
}

/* One buffer per scope, holding every element of that scope. */
static void write_scope_seed(const char *dir, const char *name, unsigned scope)
{
    static uint8_t mem[8192];
    static const uint8_t zeros[32];
    GsbBuf b;
    gsb_init(&b, mem, sizeof(mem));
    for (unsigned i = 0; i < GSB_IDX_COUNT; i++) {
        const GsbElemInfo *info = gsb_elem_info_at(i);
        uint16_t size = info->size == GSB_SIZE_ANY ? 0 : (uint16_t)info->size;
        if (info->scope == scope)
            gsb_put(&b, info->id, zeros, size);
    }
    write_seed(dir, name, &b);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    write_dict(argv[1]);
    write_scope_seed(argv[1], "thread", GSB_SCOPE_THREAD);
    write_scope_seed(argv[1], "guest", GSB_SCOPE_GUEST);
    write_scope_seed(argv[1], "host", GSB_SCOPE_HOST);
    return 0;
}
