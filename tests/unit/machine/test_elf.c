/*
 * test_elf.c - ELF / raw image loading and whole-file reading: placement as
 * QEMU's pseries does it, and every kind of malformed input refused with a
 * message instead of a crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "machine/machine.h"

#define RAM_SIZE   (64u << 20)    /* small RAM keeps the tests quick */
#define FILL       0xAA
#define DATA_OFF   0x1000         /* segment data starts here in built images */
#define EHDR       64
#define PHDR       56
#define EM_PPC64_  21
#define EM_PPC_    20
#define ET_EXEC_   2
#define ET_DYN_    3
#define ET_REL_    1
#define PT_LOAD_   1
#define PT_NOTE_   4

typedef struct TSeg {
    uint32_t type;
    uint64_t paddr, vaddr, filesz, memsz;
    uint64_t offset;              /* 0: next free offset */
    uint8_t  byte;                /* file contents */
} TSeg;

typedef struct TElf {
    bool     be;
    uint16_t type, machine;
    uint64_t entry;
    int      nsegs;
    TSeg     seg[4];
} TElf;

static uint8_t ram_buf[RAM_SIZE];
static char err[256];

static void put(uint8_t *p, uint64_t v, int size, bool be)
{
    for (int i = 0; i < size; i++)
        p[be ? size - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* Builds an ELF64 image; *len gets its size (malloc'ed). */
static uint8_t *mkelf(TElf *e, size_t *len)
{
    uint64_t off = DATA_OFF;
    size_t size = DATA_OFF;
    uint8_t *f;

    for (int i = 0; i < e->nsegs; i++) {
        if (!e->seg[i].offset) {
            e->seg[i].offset = off;
            off += e->seg[i].filesz;
        }
        if (e->seg[i].offset < (1u << 24) && e->seg[i].filesz < (1u << 24)
            && e->seg[i].offset + e->seg[i].filesz > size)
            size = e->seg[i].offset + e->seg[i].filesz;
    }
    f = calloc(1, size);
    assert_non_null(f);
    memcpy(f, "\177ELF", 4);
    f[4] = 2;                       /* ELFCLASS64 */
    f[5] = e->be ? 2 : 1;           /* EI_DATA */
    f[6] = 1;                       /* EV_CURRENT */
    put(f + 16, e->type, 2, e->be);
    put(f + 18, e->machine, 2, e->be);
    put(f + 20, 1, 4, e->be);
    put(f + 24, e->entry, 8, e->be);
    put(f + 32, EHDR, 8, e->be);    /* e_phoff */
    put(f + 52, EHDR, 2, e->be);
    put(f + 54, PHDR, 2, e->be);
    put(f + 56, (uint64_t)e->nsegs, 2, e->be);
    for (int i = 0; i < e->nsegs; i++) {
        uint8_t *ph = f + EHDR + i * PHDR;
        TSeg *s = &e->seg[i];

        put(ph + 0, s->type, 4, e->be);
        put(ph + 4, 7, 4, e->be);
        put(ph + 8, s->offset, 8, e->be);
        put(ph + 16, s->vaddr, 8, e->be);
        put(ph + 24, s->paddr, 8, e->be);
        put(ph + 32, s->filesz, 8, e->be);
        put(ph + 40, s->memsz, 8, e->be);
        if (s->offset <= size && s->filesz <= size - s->offset)
            memset(f + s->offset, s->byte, s->filesz);
    }
    *len = size;
    return f;
}

static void one_seg(TElf *e, bool be)
{
    memset(e, 0, sizeof(*e));
    e->be = be;
    e->type = ET_EXEC_;
    e->machine = EM_PPC64_;
    e->entry = 0x400010;
    e->nsegs = 1;
    e->seg[0] = (TSeg){ PT_LOAD_, 0x0, 0x400000, 0x200, 0x1000, 0, 0x5a };
}

static void reset_ram(void)
{
    memset(ram_buf, FILL, sizeof(ram_buf));
    err[0] = 0;
}

static bool ram_untouched(void)
{
    for (size_t i = 0; i < sizeof(ram_buf); i += 8)
        if (ram_buf[i] != FILL)
            return false;
    return true;
}

/* Loads e with its last `trim` bytes cut off. */
static int load_trim(TElf *e, uint64_t *entry, size_t trim)
{
    size_t len;
    uint8_t *f = mkelf(e, &len);
    int rc;

    assert_true(trim <= len);
    reset_ram();
    rc = mach_load_elf(f, len - trim, ram_buf, RAM_SIZE, entry, err, sizeof(err));
    free(f);
    return rc;
}

static int load(TElf *e, uint64_t *entry)
{
    return load_trim(e, entry, 0);
}

static void assert_msg(const char *want)
{
    if (!strstr(err, want))
        fail_msg("message \"%s\" lacks \"%s\"", err, want);
}

/* Little-endian ET_EXEC like the spike's prog.elf: vaddr 0x400000, paddr 0. */
static void test_load_le(void **state)
{
    TElf e;
    uint64_t entry = 0;
    MachElfInfo info;
    size_t len;
    uint8_t *f;

    one_seg(&e, false);
    assert_int_equal(load(&e, &entry), 0);
    assert_int_equal(entry, 0x400010);
    assert_int_equal(ram_buf[0x400000], 0x5a);
    assert_int_equal(ram_buf[0x4001ff], 0x5a);
    assert_int_equal(ram_buf[0x400200], 0);       /* bss zeroed ... */
    assert_int_equal(ram_buf[0x400fff], 0);
    assert_int_equal(ram_buf[0x401000], FILL);    /* ... and no further */
    assert_int_equal(ram_buf[0x3fffff], FILL);

    f = mkelf(&e, &len);
    reset_ram();
    assert_int_equal(mach_load_elf_info(f, len, ram_buf, RAM_SIZE, &info, err, sizeof(err)), 0);
    assert_true(info.little_endian);
    assert_int_equal(info.kernel_size, 0x1000);
    assert_int_equal(info.low, 0x400000);
    assert_int_equal(info.high, 0x401000);
    assert_int_equal(info.nsegs, 1);
    free(f);
}

/* Big-endian ET_DYN, two segments; paddr bits above 0x0fffffff dropped as QEMU does. */
static void test_load_be_two_segments(void **state)
{
    TElf e;
    uint64_t entry = 0;
    MachElfInfo info;
    size_t len;
    uint8_t *f;

    one_seg(&e, true);
    e.type = ET_DYN_;
    e.nsegs = 3;
    e.seg[0] = (TSeg){ PT_LOAD_, 0xc000000000000000ull, 0xc000000000000000ull, 0x100, 0x100, 0, 0x11 };
    e.seg[1] = (TSeg){ PT_NOTE_, 0, 0, 0x10, 0x10, 0, 0x77 };
    e.seg[2] = (TSeg){ PT_LOAD_, 0x10100000, 0xc000000000100000ull, 0x80, 0x3000, 0, 0x22 };
    e.entry = 0xc000000000100040ull;
    assert_int_equal(load(&e, &entry), 0);
    assert_int_equal(entry, 0x500040);
    assert_int_equal(ram_buf[0x400000], 0x11);
    assert_int_equal(ram_buf[0x500000], 0x22);
    assert_int_equal(ram_buf[0x500080], 0);
    assert_int_equal(ram_buf[0x502fff], 0);

    f = mkelf(&e, &len);
    reset_ram();
    assert_int_equal(mach_load_elf_info(f, len, ram_buf, RAM_SIZE, &info, err, sizeof(err)), 0);
    assert_false(info.little_endian);
    assert_int_equal(info.kernel_size, 0x3100);   /* QEMU: sum of p_memsz */
    assert_int_equal(info.high, 0x503000);
    assert_int_equal(info.nsegs, 2);
    assert_int_equal(info.nranges, 2);
    assert_int_equal(info.ranges[0].start, 0x400000);
    assert_int_equal(info.ranges[0].end, 0x400100);
    assert_int_equal(info.ranges[1].start, 0x500000);
    assert_int_equal(info.ranges[1].end, 0x503000);
    free(f);
}

/* An entry outside every segment is translated like a physical address. */
static void test_entry_outside_segments(void **state)
{
    TElf e;
    uint64_t entry = 0;

    one_seg(&e, false);
    e.entry = 0x10000100;
    assert_int_equal(load(&e, &entry), 0);
    assert_int_equal(entry, 0x400100);
}

/* QEMU's loader takes EM_PPC in an ELF64 for the ppc64 machine too. */
static void test_em_ppc_accepted(void **state)
{
    TElf e;

    one_seg(&e, true);
    e.machine = EM_PPC_;
    assert_int_equal(load(&e, NULL), 0);
}

static void test_not_elf(void **state)
{
    static const uint8_t junk[100] = "MZ this is not an ELF";

    reset_ram();
    assert_int_equal(mach_load_elf(junk, sizeof(junk), ram_buf, RAM_SIZE, NULL, err, sizeof(err)),
                     MACH_LOAD_NOT_ELF);
    assert_msg("not an ELF file");
    assert_int_equal(mach_load_elf(junk, 0, ram_buf, RAM_SIZE, NULL, err, sizeof(err)),
                     MACH_LOAD_NOT_ELF);
    assert_int_equal(mach_load_elf(NULL, 100, ram_buf, RAM_SIZE, NULL, err, sizeof(err)),
                     MACH_LOAD_NOT_ELF);
    assert_true(ram_untouched());
}

static void test_truncated_header(void **state)
{
    TElf e;
    size_t len;
    uint8_t *f;

    one_seg(&e, false);
    f = mkelf(&e, &len);
    for (size_t n = 4; n < EHDR; n++) {
        reset_ram();
        assert_int_equal(mach_load_elf(f, n, ram_buf, RAM_SIZE, NULL, err, sizeof(err)),
                         MACH_LOAD_MALFORMED);
        assert_msg("truncated ELF header");
    }
    /* header complete, program headers cut off */
    assert_int_equal(mach_load_elf(f, EHDR + 10, ram_buf, RAM_SIZE, NULL, err, sizeof(err)),
                     MACH_LOAD_MALFORMED);
    assert_msg("program headers");
    free(f);
    assert_true(ram_untouched());
}

static void test_wrong_arch(void **state)
{
    TElf e;
    size_t len;
    uint8_t *f;

    one_seg(&e, false);
    e.machine = 62;   /* x86-64 */
    assert_int_equal(load(&e, NULL), MACH_LOAD_BAD_ARCH);
    assert_msg("ELF machine 62");
    one_seg(&e, false);
    e.type = ET_REL_;
    assert_int_equal(load(&e, NULL), MACH_LOAD_BAD_ARCH);
    assert_msg("not an executable");

    one_seg(&e, false);
    f = mkelf(&e, &len);
    f[4] = 1;         /* ELFCLASS32 */
    assert_int_equal(mach_load_elf(f, len, ram_buf, RAM_SIZE, NULL, err, sizeof(err)),
                     MACH_LOAD_BAD_ARCH);
    assert_msg("64-bit");
    f[4] = 2;
    f[5] = 7;         /* bad EI_DATA */
    assert_int_equal(mach_load_elf(f, len, ram_buf, RAM_SIZE, NULL, err, sizeof(err)),
                     MACH_LOAD_BAD_ARCH);
    assert_msg("data encoding");
    free(f);
}

static void test_phoff_out_of_file(void **state)
{
    TElf e;
    size_t len;
    uint8_t *f;

    one_seg(&e, false);
    f = mkelf(&e, &len);
    put(f + 32, len + 8, 8, false);                 /* e_phoff past the end */
    assert_int_equal(mach_load_elf(f, len, ram_buf, RAM_SIZE, NULL, err, sizeof(err)),
                     MACH_LOAD_MALFORMED);
    assert_msg("outside the file");
    put(f + 32, UINT64_MAX - 16, 8, false);         /* would wrap */
    assert_int_equal(mach_load_elf(f, len, ram_buf, RAM_SIZE, NULL, err, sizeof(err)),
                     MACH_LOAD_MALFORMED);
    put(f + 32, EHDR, 8, false);
    put(f + 56, 0xffff, 2, false);                  /* e_phnum: table beyond the file */
    assert_int_equal(mach_load_elf(f, len, ram_buf, RAM_SIZE, NULL, err, sizeof(err)),
                     MACH_LOAD_MALFORMED);
    put(f + 56, 0, 2, false);
    assert_int_equal(mach_load_elf(f, len, ram_buf, RAM_SIZE, NULL, err, sizeof(err)),
                     MACH_LOAD_MALFORMED);
    assert_msg("no program headers");
    put(f + 56, 1, 2, false);
    put(f + 54, 32, 2, false);                      /* e_phentsize too small */
    assert_int_equal(mach_load_elf(f, len, ram_buf, RAM_SIZE, NULL, err, sizeof(err)),
                     MACH_LOAD_MALFORMED);
    free(f);
}

static void test_filesz_gt_memsz(void **state)
{
    TElf e;

    one_seg(&e, false);
    e.seg[0].memsz = 0x100;                         /* filesz 0x200 */
    assert_int_equal(load(&e, NULL), MACH_LOAD_MALFORMED);
    assert_msg("segment 0: file size 0x200 exceeds memory size 0x100");
    assert_true(ram_untouched());
}

static void test_data_outside_file(void **state)
{
    TElf e;

    one_seg(&e, false);                             /* data runs 1 byte past the end */
    assert_int_equal(load_trim(&e, NULL, 1), MACH_LOAD_MALFORMED);
    assert_msg("segment 0: data (0x200 bytes at offset 0x1000) lies outside the file (0x11ff bytes)");
    one_seg(&e, false);
    assert_int_equal(load_trim(&e, NULL, 0), 0);

    one_seg(&e, false);                             /* offset + filesz overflows */
    e.seg[0].offset = UINT64_MAX - 0x10;
    e.seg[0].filesz = 0x100;
    e.seg[0].memsz = 0x100;
    assert_int_equal(load(&e, NULL), MACH_LOAD_MALFORMED);
    assert_msg("lies outside the file");

    one_seg(&e, false);                             /* huge filesz, offset in the file */
    e.seg[0].offset = DATA_OFF;
    e.seg[0].filesz = UINT64_MAX - DATA_OFF + 1;
    e.seg[0].memsz = UINT64_MAX;
    assert_int_equal(load(&e, NULL), MACH_LOAD_MALFORMED);
    assert_true(ram_untouched());
}

static void test_segment_beyond_ram(void **state)
{
    TElf e;

    one_seg(&e, false);
    e.nsegs = 3;
    e.seg[1] = (TSeg){ PT_LOAD_, 0x100000, 0x500000, 0x10, 0x10, 0, 0x33 };
    e.seg[2] = (TSeg){ PT_LOAD_, RAM_SIZE - 0x400000 - 0x10, 0x600000, 0x10, 0x20, 0, 0x44 };
    assert_int_equal(load(&e, NULL), MACH_LOAD_NO_FIT);
    assert_msg("segment 2 does not fit in RAM (ends at 0x4000010, RAM is 0x4000000)");
    assert_msg("-m");
    assert_true(ram_untouched());                   /* nothing loaded, not even segment 0 */

    one_seg(&e, false);                             /* memsz wraps the address space */
    e.seg[0].memsz = UINT64_MAX - 0x100;
    assert_int_equal(load(&e, NULL), MACH_LOAD_NO_FIT);
    assert_true(ram_untouched());

    one_seg(&e, false);                             /* exactly up to the end: fine */
    e.seg[0].paddr = RAM_SIZE - 0x400000 - 0x1000;
    assert_int_equal(load(&e, NULL), 0);
    assert_int_equal(ram_buf[RAM_SIZE - 1], 0);
}

static void test_overlap_and_empty(void **state)
{
    TElf e;

    one_seg(&e, false);
    e.nsegs = 2;
    e.seg[1] = (TSeg){ PT_LOAD_, 0x800, 0x400800, 0x10, 0x10, 0, 0x33 };
    assert_int_equal(load(&e, NULL), MACH_LOAD_MALFORMED);
    assert_msg("overlap");

    one_seg(&e, false);
    e.seg[0].type = PT_NOTE_;
    assert_int_equal(load(&e, NULL), MACH_LOAD_MALFORMED);
    assert_msg("no loadable segment");
}

static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

/* Random corruption of a valid image never crashes nor writes outside RAM. */
static void test_fuzz(void **state)
{
    TElf e;
    size_t len;
    uint8_t *f, *g;
    uint64_t small_ram = 8u << 20;
    uint8_t *ram = malloc(small_ram);                /* exact size: ASan sees overruns */

    assert_non_null(ram);
    one_seg(&e, false);
    e.nsegs = 2;
    e.seg[1] = (TSeg){ PT_LOAD_, 0x100000, 0x500000, 0x40, 0x80, 0, 0x33 };
    f = mkelf(&e, &len);
    g = malloc(len);
    assert_non_null(g);
    for (int iter = 0; iter < 20000; iter++) {
        size_t cut = (iter % 7 == 0) ? rng() % (len + 1) : len;
        memcpy(g, f, len);
        for (int k = 0, n = 1 + (int)(rng() % 4); k < n; k++) {
            size_t at = rng() % (EHDR + 2 * PHDR);
            g[at] = (uint8_t)rng();
        }
        (void)mach_load_elf(g, cut, ram, small_ram, NULL, err, sizeof(err));
    }
    free(g);
    free(f);
    free(ram);
}

static void test_raw(void **state)
{
    static const uint8_t img[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

    reset_ram();
    assert_int_equal(mach_load_raw(img, sizeof(img), ram_buf, RAM_SIZE, 0, err, sizeof(err)), 0);
    assert_memory_equal(ram_buf, img, sizeof(img));
    assert_int_equal(ram_buf[16], FILL);
    assert_int_equal(mach_load_raw(img, sizeof(img), ram_buf, RAM_SIZE, RAM_SIZE - 16, err,
                                   sizeof(err)), 0);
    assert_int_equal(mach_load_raw(img, sizeof(img), ram_buf, RAM_SIZE, RAM_SIZE - 15, err,
                                   sizeof(err)), MACH_LOAD_NO_FIT);
    assert_msg("does not fit in RAM");
    assert_int_equal(mach_load_raw(img, sizeof(img), ram_buf, RAM_SIZE, UINT64_MAX - 4, err,
                                   sizeof(err)), MACH_LOAD_NO_FIT);
    assert_int_equal(mach_load_raw(img, 0, ram_buf, RAM_SIZE, RAM_SIZE, err, sizeof(err)), 0);
    assert_int_equal(mach_load_raw(NULL, 4, ram_buf, RAM_SIZE, 0, err, sizeof(err)),
                     MACH_LOAD_BAD_ARG);
    assert_int_equal(mach_load_elf(img, sizeof(img), NULL, RAM_SIZE, NULL, err, sizeof(err)),
                     MACH_LOAD_BAD_ARG);
    /* a NULL or zero-length err buffer is fine */
    assert_int_equal(mach_load_raw(img, sizeof(img), ram_buf, RAM_SIZE, RAM_SIZE, NULL, 0),
                     MACH_LOAD_NO_FIT);
}

static void test_read_file(void **state)
{
    char path[] = "/tmp/nesthv-test-elf-XXXXXX";
    int fd = mkstemp(path);
    uint8_t *data = NULL;
    size_t len = 99;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, "hello\0world", 11), 11);
    close(fd);
    assert_int_equal(mach_read_file(path, &data, &len, err, sizeof(err)), 0);
    assert_int_equal(len, 11);
    assert_memory_equal(data, "hello\0world", 11);
    free(data);

    fd = open(path, O_WRONLY | O_TRUNC);
    close(fd);
    assert_int_equal(mach_read_file(path, &data, &len, err, sizeof(err)), 0);
    assert_int_equal(len, 0);
    assert_non_null(data);
    free(data);
    unlink(path);

    assert_int_equal(mach_read_file(path, &data, &len, err, sizeof(err)), MACH_LOAD_IO);
    assert_msg(path);
    assert_msg("No such file or directory");
    assert_int_equal(mach_read_file("/tmp", &data, &len, err, sizeof(err)), MACH_LOAD_IO);
    assert_msg("/tmp: Is a directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_le),
        cmocka_unit_test(test_load_be_two_segments),
        cmocka_unit_test(test_entry_outside_segments),
        cmocka_unit_test(test_em_ppc_accepted),
        cmocka_unit_test(test_not_elf),
        cmocka_unit_test(test_truncated_header),
        cmocka_unit_test(test_wrong_arch),
        cmocka_unit_test(test_phoff_out_of_file),
        cmocka_unit_test(test_filesz_gt_memsz),
        cmocka_unit_test(test_data_outside_file),
        cmocka_unit_test(test_segment_beyond_ram),
        cmocka_unit_test(test_overlap_and_empty),
        cmocka_unit_test(test_fuzz),
        cmocka_unit_test(test_raw),
        cmocka_unit_test(test_read_file),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
