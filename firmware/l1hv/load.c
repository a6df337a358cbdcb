/*
 * load.c - the bundle (docs/l1hv.md "Bundle format") and the ELF loader.
 *
 * Bundle, all numbers little-endian:
 *   0   char magic[8] = "L1HVBNDL"
 *   8   u32 version = 1
 *   12  u32 count
 *   16  count entries of 48 bytes: char name[32] (NUL-padded), u64 offset
 *       (from the start of the bundle, 64-byte aligned), u64 size
 *   ... the files
 *
 * ELF: a ppc64le executable whose PT_LOAD segments are placed as QEMU's
 * pseries -kernel loader places them: (p_paddr & 0x0fffffff) + 0x400000;
 * the entry point is e_entry's place in its segment (libfw programs: the
 * first byte of the image, entered little-endian in 64-bit mode).
 */
#include "fw.h"
#include "l1hv.h"

#define BUNDLE_MAGIC    "L1HVBNDL"
#define BUNDLE_VERSION  1
#define BUNDLE_HDR      16
#define BUNDLE_ENTRY    48
#define BUNDLE_NAME     32

#define ELF_KERNEL_ADDR 0x400000ULL
#define ELF_PADDR_MASK  0x0fffffffULL
#define ELF_PT_LOAD     1
#define ELF_EHDR_SIZE   64
#define ELF_PHDR_SIZE   56
#define ELF_MACHINE_PPC64 21

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

uint64_t l1hv_bundle_size(void)
{
    const uint8_t *b = l1hv_real(L1HV_BUNDLE);
    if (memcmp(b, BUNDLE_MAGIC, 8) != 0 || le32(b + 8) != BUNDLE_VERSION)
        return 0;
    uint32_t count = le32(b + 12);
    uint64_t end = BUNDLE_HDR + (uint64_t)count * BUNDLE_ENTRY;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *e = b + BUNDLE_HDR + i * BUNDLE_ENTRY;
        uint64_t last = le64(e + BUNDLE_NAME) + le64(e + BUNDLE_NAME + 8);
        if (last > end)
            end = last;
    }
    return end <= L1HV_BUNDLE_MAX ? end : 0;
}

const void *l1hv_bundle_find(const char *name, uint64_t *size)
{
    const uint8_t *b = l1hv_real(L1HV_BUNDLE);
    uint64_t total = l1hv_bundle_size();
    if (!total)
        return NULL;
    uint32_t count = le32(b + 12);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *e = b + BUNDLE_HDR + i * BUNDLE_ENTRY;
        if (strnlen((const char *)e, BUNDLE_NAME) == strlen(name) && strncmp((const char *)e, name, BUNDLE_NAME) == 0) {
            uint64_t off = le64(e + BUNDLE_NAME), len = le64(e + BUNDLE_NAME + 8);
            if (off + len > total)
                return NULL;
            *size = len;
            return b + off;
        }
    }
    return NULL;
}

uint64_t l1hv_elf_load(L1hvGuest *g, const void *elf, uint64_t size)
{
    const uint8_t *e = elf;
    if (size < ELF_EHDR_SIZE || memcmp(e, "\177ELF", 4) != 0 || e[4] != 2 /* 64-bit */ || e[5] != 1 /* LE */ ||
        le16(e + 18) != ELF_MACHINE_PPC64)
        l1hv_die("guest image is not a ppc64le ELF");
    uint64_t entry = le64(e + 24), phoff = le64(e + 32), guest_entry = 0;
    unsigned phnum = le16(e + 56);
    if (le16(e + 54) != ELF_PHDR_SIZE || phoff > size || (uint64_t)phnum * ELF_PHDR_SIZE > size - phoff)
        l1hv_die("bad ELF program headers");
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = e + phoff + (uint64_t)i * ELF_PHDR_SIZE;
        if (le32(ph) != ELF_PT_LOAD)
            continue;
        uint64_t off = le64(ph + 8), vaddr = le64(ph + 16), paddr = le64(ph + 24);
        uint64_t filesz = le64(ph + 32), memsz = le64(ph + 40);
        uint64_t gra = (paddr & ELF_PADDR_MASK) + ELF_KERNEL_ADDR;
        uint8_t *dst = l1hv_guest_ptr(g, gra, memsz);
        if (filesz > memsz || off > size || filesz > size - off || !dst)
            l1hv_die("ELF segment %u does not fit", i);
        if (gra + memsz > L1HV_BUNDLE)
            l1hv_die("ELF segment %u [0x%llx, 0x%llx) overlaps the guest's bundle at 0x%lx", i,
                     (unsigned long long)gra, (unsigned long long)(gra + memsz), L1HV_BUNDLE);
        memcpy(dst, e + off, filesz);
        memset(dst + filesz, 0, memsz - filesz);
        icache_sync(dst, filesz);
        if (entry >= vaddr && entry - vaddr < memsz)
            guest_entry = gra + (entry - vaddr);
    }
    if (!guest_entry)
        l1hv_die("ELF entry point outside its segments");
    return guest_entry;
}
