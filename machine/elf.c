/*
 * elf.c - loading guest images into guest RAM the way QEMU's pseries does.
 *
 * -kernel ELF: every PT_LOAD segment goes to real address
 * (p_paddr & 0x0fffffff) + 0x400000 (translate_kernel_address in
 * hw/ppc/spapr.c), p_filesz bytes copied and the rest up to p_memsz zeroed.
 * Like QEMU we take big- and little-endian images, ET_EXEC and ET_DYN, and
 * e_machine EM_PPC64 or EM_PPC (QEMU's loader accepts both for a 64-bit
 * target).  Unlike QEMU we refuse ELF32 files, segments that do not fit in
 * RAM (QEMU silently drops the part beyond RAM) and segments that overlap
 * once placed (QEMU 7.2 loads them one over the other, a corrupt image).
 *
 * The image is untrusted: every header field is checked against the file
 * size and RAM size, with overflow-safe arithmetic, and nothing is written
 * to RAM until the whole image has been validated.
 */
#include "machine/machine.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EHDR64_SIZE   64
#define PHDR64_SIZE   56
#define READ_CHUNK    (1u << 20)

/* ELF64 header field offsets */
#define OFF_TYPE      16
#define OFF_MACHINE   18
#define OFF_ENTRY     24
#define OFF_PHOFF     32
#define OFF_PHENTSIZE 54
#define OFF_PHNUM     56
/* ELF64 program header field offsets */
#define PH_TYPE       0
#define PH_OFFSET     8
#define PH_VADDR      16
#define PH_PADDR      24
#define PH_FILESZ     32
#define PH_MEMSZ      40

typedef struct Seg {
    int      index;      /* program header index, for messages */
    uint64_t offset, filesz, memsz, vaddr, dest;
} Seg;

typedef struct Image {
    const uint8_t *file;
    size_t         len;
    bool           le;
} Image;

__attribute__((format(printf, 4, 5)))
static int seterr(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    va_list ap;

    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

static uint64_t rd(const Image *im, size_t off, int size)
{
    uint64_t v = 0;

    for (int i = 0; i < size; i++) {
        int shift = im->le ? 8 * i : 8 * (size - 1 - i);
        v |= (uint64_t)im->file[off + (size_t)i] << shift;
    }
    return v;
}

static uint64_t translate(uint64_t addr)
{
    return (addr & MACH_KERNEL_PADDR_MASK) + MACH_KERNEL_ADDR;
}

/* Magic, class, encoding, machine, type. */
static int check_ident(Image *im, char *err, size_t errlen)
{
    const uint8_t *f = im->file;
    unsigned machine, type;

    if (im->len < SELFMAG || memcmp(f, ELFMAG, SELFMAG) != 0)
        return seterr(err, errlen, MACH_LOAD_NOT_ELF, "not an ELF file");
    if (im->len < EHDR64_SIZE)
        return seterr(err, errlen, MACH_LOAD_MALFORMED,
                      "truncated ELF header (%zu bytes, an ELF64 header is %d)", im->len,
                      EHDR64_SIZE);
    if (f[EI_CLASS] != ELFCLASS64)
        return seterr(err, errlen, MACH_LOAD_BAD_ARCH,
                      "not a 64-bit ELF file (class %u): pseries loads ELF64 PowerPC images",
                      f[EI_CLASS]);
    if (f[EI_DATA] != ELFDATA2LSB && f[EI_DATA] != ELFDATA2MSB)
        return seterr(err, errlen, MACH_LOAD_BAD_ARCH, "unknown ELF data encoding %u",
                      f[EI_DATA]);
    im->le = f[EI_DATA] == ELFDATA2LSB;
    machine = (unsigned)rd(im, OFF_MACHINE, 2);
    if (machine != EM_PPC64 && machine != EM_PPC)
        return seterr(err, errlen, MACH_LOAD_BAD_ARCH,
                      "ELF machine %u is not PowerPC 64 (%u): wrong architecture", machine,
                      EM_PPC64);
    type = (unsigned)rd(im, OFF_TYPE, 2);
    if (type != ET_EXEC && type != ET_DYN)
        return seterr(err, errlen, MACH_LOAD_BAD_ARCH,
                      "ELF type %u is not an executable (ET_EXEC or ET_DYN)", type);
    return 0;
}

/* Program header table within the file. */
static int check_phdrs(const Image *im, uint64_t *phoff, unsigned *phnum, unsigned *phentsize,
                       char *err, size_t errlen)
{
    *phoff = rd(im, OFF_PHOFF, 8);
    *phnum = (unsigned)rd(im, OFF_PHNUM, 2);
    *phentsize = (unsigned)rd(im, OFF_PHENTSIZE, 2);

    if (*phnum == 0)
        return seterr(err, errlen, MACH_LOAD_MALFORMED, "ELF file has no program headers");
    if (*phentsize < PHDR64_SIZE)
        return seterr(err, errlen, MACH_LOAD_MALFORMED,
                      "ELF program header size %u is smaller than %d", *phentsize,
                      PHDR64_SIZE);
    if (*phoff > im->len || (uint64_t)*phnum * *phentsize > im->len - *phoff)
        return seterr(err, errlen, MACH_LOAD_MALFORMED,
                      "ELF program headers (%u x %u bytes at 0x%" PRIx64
                      ") lie outside the file (0x%zx bytes)",
                      *phnum, *phentsize, *phoff, im->len);
    return 0;
}

/* One PT_LOAD header: sizes consistent, data inside the file, destination in RAM. */
static int check_seg(const Image *im, size_t ph, int index, uint64_t ram_size, Seg *s,
                     char *err, size_t errlen)
{
    s->index = index;
    s->offset = rd(im, ph + PH_OFFSET, 8);
    s->vaddr = rd(im, ph + PH_VADDR, 8);
    s->filesz = rd(im, ph + PH_FILESZ, 8);
    s->memsz = rd(im, ph + PH_MEMSZ, 8);
    s->dest = translate(rd(im, ph + PH_PADDR, 8));

    if (s->filesz > s->memsz)
        return seterr(err, errlen, MACH_LOAD_MALFORMED,
                      "segment %d: file size 0x%" PRIx64 " exceeds memory size 0x%" PRIx64,
                      index, s->filesz, s->memsz);
    if (s->offset > im->len || s->filesz > im->len - s->offset)
        return seterr(err, errlen, MACH_LOAD_MALFORMED,
                      "segment %d: data (0x%" PRIx64 " bytes at offset 0x%" PRIx64
                      ") lies outside the file (0x%zx bytes)",
                      index, s->filesz, s->offset, im->len);
    if (s->memsz > UINT64_MAX - s->dest)
        return seterr(err, errlen, MACH_LOAD_NO_FIT,
                      "segment %d: memory size 0x%" PRIx64 " at 0x%" PRIx64
                      " wraps around the address space", index, s->memsz, s->dest);
    if (s->dest + s->memsz > ram_size)
        return seterr(err, errlen, MACH_LOAD_NO_FIT,
                      "segment %d does not fit in RAM (ends at 0x%" PRIx64 ", RAM is 0x%" PRIx64
                      "): give the machine more memory with -m",
                      index, s->dest + s->memsz, ram_size);
    return 0;
}

static int check_overlap(const Seg *segs, int n, char *err, size_t errlen)
{
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
            const Seg *a = &segs[i], *b = &segs[j];

            if (a->dest < b->dest + b->memsz && b->dest < a->dest + a->memsz)
                return seterr(err, errlen, MACH_LOAD_MALFORMED,
                              "segments %d and %d overlap in memory (at 0x%" PRIx64
                              " and 0x%" PRIx64 ")", b->index, a->index, b->dest, a->dest);
        }
    }
    return 0;
}

/* Real address where e_entry lands: through the segment that contains it, or translated. */
static uint64_t entry_address(const Seg *segs, int n, uint64_t entry)
{
    for (int i = 0; i < n; i++)
        if (entry >= segs[i].vaddr && entry - segs[i].vaddr < segs[i].memsz)
            return segs[i].dest + (entry - segs[i].vaddr);
    return translate(entry);
}

static void add_range(MachElfInfo *info, int i, const Seg *s)
{
    MachElfRange *r;

    if (i < MACH_ELF_MAX_RANGES) {
        info->ranges[i] = (MachElfRange){ s->dest, s->dest + s->memsz };
        info->nranges = i + 1;
        return;
    }
    r = &info->ranges[MACH_ELF_MAX_RANGES - 1];   /* widen the last range over the rest */
    if (s->dest < r->start)
        r->start = s->dest;
    if (s->dest + s->memsz > r->end)
        r->end = s->dest + s->memsz;
}

static void fill_info(const Seg *segs, int n, const Image *im, MachElfInfo *info)
{
    memset(info, 0, sizeof(*info));
    info->low = UINT64_MAX;
    for (int i = 0; i < n; i++) {
        add_range(info, i, &segs[i]);
        info->kernel_size += segs[i].memsz;   /* disjoint segments within RAM: no overflow */
        if (segs[i].dest < info->low)
            info->low = segs[i].dest;
        if (segs[i].dest + segs[i].memsz > info->high)
            info->high = segs[i].dest + segs[i].memsz;
    }
    info->entry_real = entry_address(segs, n, rd(im, OFF_ENTRY, 8));
    info->little_endian = im->le;
    info->nsegs = n;
}

/* Validates everything and collects the PT_LOAD segments (*segs malloc'ed). */
static int parse(Image *im, uint64_t ram_size, Seg **segs, int *nsegs, char *err, size_t errlen)
{
    uint64_t phoff;
    unsigned phnum, phentsize;
    int rc, n = 0;
    Seg *s;

    if ((rc = check_ident(im, err, errlen)) || (rc = check_phdrs(im, &phoff, &phnum, &phentsize,
                                                                   err, errlen)))
        return rc;
    s = calloc(phnum, sizeof(*s));
    if (!s)
        return seterr(err, errlen, MACH_LOAD_NOMEM, "out of memory");
    for (unsigned i = 0; i < phnum; i++) {
        size_t ph = (size_t)phoff + (size_t)i * phentsize;

        if (rd(im, ph + PH_TYPE, 4) != PT_LOAD
            || (rd(im, ph + PH_MEMSZ, 8) == 0 && rd(im, ph + PH_FILESZ, 8) == 0))
            continue;
        if ((rc = check_seg(im, ph, (int)i, ram_size, &s[n], err, errlen)))
            goto fail;
        n++;
    }
    rc = n ? check_overlap(s, n, err, errlen)
           : seterr(err, errlen, MACH_LOAD_MALFORMED, "ELF file has no loadable segment");
    if (rc)
        goto fail;
    *segs = s;
    *nsegs = n;
    return 0;
fail:
    free(s);
    return rc;
}

int mach_load_elf_info(const uint8_t *file, size_t len, uint8_t *ram, uint64_t ram_size,
                       MachElfInfo *info, char *err, size_t errlen)
{
    Image im = { file, len, false };
    Seg *segs = NULL;
    int n = 0, rc;

    if (!ram)
        return seterr(err, errlen, MACH_LOAD_BAD_ARG, "no guest RAM");
    if (!file)
        len = 0;
    im.len = len;
    if ((rc = parse(&im, ram_size, &segs, &n, err, errlen)))
        return rc;
    for (int i = 0; i < n; i++) {
        memcpy(ram + segs[i].dest, file + segs[i].offset, (size_t)segs[i].filesz);
        memset(ram + segs[i].dest + segs[i].filesz, 0, (size_t)(segs[i].memsz - segs[i].filesz));
    }
    if (info)
        fill_info(segs, n, &im, info);
    free(segs);
    return 0;
}

int mach_load_elf(const uint8_t *file, size_t len, uint8_t *ram, uint64_t ram_size,
                  uint64_t *entry_real, char *err, size_t errlen)
{
    MachElfInfo info;
    int rc = mach_load_elf_info(file, len, ram, ram_size, &info, err, errlen);

    if (rc == 0 && entry_real)
        *entry_real = info.entry_real;
    return rc;
}

int mach_load_raw(const uint8_t *file, size_t len, uint8_t *ram, uint64_t ram_size,
                  uint64_t addr, char *err, size_t errlen)
{
    if (!ram || (!file && len))
        return seterr(err, errlen, MACH_LOAD_BAD_ARG, "no guest RAM or no image");
    if (addr > ram_size || (uint64_t)len > ram_size - addr)
        return seterr(err, errlen, MACH_LOAD_NO_FIT,
                      "image of 0x%zx bytes at 0x%" PRIx64 " does not fit in RAM (0x%" PRIx64
                      " bytes): give the machine more memory with -m", len, addr, ram_size);
    if (len)
        memcpy(ram + addr, file, len);
    return 0;
}

/* Reads fd to EOF into a growing buffer (works for pipes and /proc files too). */
static int read_all(int fd, size_t hint, uint8_t **data, size_t *len)
{
    size_t cap = hint ? hint + 1 : READ_CHUNK, n = 0;
    uint8_t *buf = malloc(cap);

    if (!buf)
        return ENOMEM;
    for (;;) {
        ssize_t r;

        if (n == cap) {
            uint8_t *nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return ENOMEM;
            }
            buf = nb;
            cap *= 2;
        }
        r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            return e;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *data = buf;
    *len = n;
    return 0;
}

int mach_read_file(const char *path, uint8_t **data, size_t *len, char *err, size_t errlen)
{
    struct stat st;
    int fd, e;

    if (!path || !data || !len)
        return seterr(err, errlen, MACH_LOAD_BAD_ARG, "no file name");
    fd = open(path, O_RDONLY);
    if (fd < 0)
        return seterr(err, errlen, MACH_LOAD_IO, "%s: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0)
        e = errno;
    else
        e = S_ISDIR(st.st_mode) ? EISDIR : 0;
    if (e) {
        close(fd);
        return seterr(err, errlen, MACH_LOAD_IO, "%s: %s", path, strerror(e));
    }
    e = read_all(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, data, len);
    close(fd);
    if (e)
        return seterr(err, errlen, e == ENOMEM ? MACH_LOAD_NOMEM : MACH_LOAD_IO, "%s: %s", path,
                      strerror(e));
    return 0;
}
