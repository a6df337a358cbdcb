/*
 * boot.c - where QEMU 7.2's pseries machine puts things in guest memory.
 *
 * Established by running qemu-system-ppc64 7.2 (-M pseries -nodefaults
 * -serial stdio -bios prog.bin [-kernel/-initrd]) with a program that prints
 * r3 at entry, and by dumping its device tree (-M pseries,dumpdtb=F):
 *
 *   -m      r3 (FDT)     memory nodes (base:size)
 *   256M    0x0fe00000   0:256M
 *   512M    0x1fe00000   0:512M            (QEMU's default RAM size)
 *   768M    0x1fe00000   0:512M  512M:256M
 *   1G      0x3fe00000   0:1G
 *   1280M   0x3fe00000   0:1G    1G:256M
 *   2G..6G  0x7fe00000   3G -> 0:2G 2G:1G; 4G -> 0:4G; 6G -> 0:4G 4G:2G
 *
 * so the RMA is the largest power of two <= RAM (the first memory node) and
 * the FDT sits at min(RMA, 2 GiB) - 2 MiB (FDT_MAX_ADDR / FDT_MAX_SIZE in
 * hw/ppc/spapr.c).  RAM must be a multiple of 256 MiB.
 *
 * -kernel: ELF segments at (p_paddr & 0x0fffffff) + 0x400000; QEMU's
 * "kernel size" is what load_elf() returns, the sum of the PT_LOAD p_memsz
 * (a two-segment ELF with memsz 0x1000 + 0x3000 gave qemu,boot-kernel size
 * 0x4000 whatever the gap between the segments).
 * -initrd: at (0x400000 + kernel_size + 0x1ffff) & ~0xffff (64 KiB aligned,
 * at least 64 KiB after the kernel: kernel_size 0x10db0 -> 0x430000, 0x4000
 * -> 0x420000), and it must end below the FDT, else QEMU fails with "could not
 * load initial ram disk".  -initrd needs -kernel.  The rule counts segment
 * sizes, not the span of the image: with gaps between segments the initrd
 * can land on a later segment, which QEMU refuses ("Some ROM regions are
 * overlapping"), and so does mach_load_initrd().
 * -bios: raw at 0, entered at 0x100, at most 4 MiB (4 MiB + 1 byte: "Could
 * not load LPAR firmware").
 */
#include "machine/machine.h"

#include <inttypes.h>
#include <stdio.h>

#define INITRD_GAP    UINT64_C(0x1ffff)    /* QEMU: + 0x1ffff ... */
#define INITRD_ALIGN  UINT64_C(0x10000)    /* ... & ~0xffff */
#define HPT_SHIFT_MIN 18u           /* minimum architected HPT size */
#define HPT_SHIFT_MAX 46u           /* maximum architected HPT size */
#define HPT_RAM_RATIO 7u            /* QEMU sizes the HPT at 1/128 of RAM */

static uint64_t pow2floor(uint64_t v)
{
    if (v == 0)
        return 0;
    return UINT64_C(1) << (63 - __builtin_clzll(v));
}

/* log2 of the smallest power of two >= v (v >= 1) */
static unsigned log2_ceil(uint64_t v)
{
    if (v <= 1)
        return 0;
    return 64 - (unsigned)__builtin_clzll(v - 1);
}

uint64_t mach_rma_size(uint64_t ram_size)
{
    return pow2floor(ram_size);
}

uint64_t mach_fdt_address(uint64_t ram_size)
{
    uint64_t top = mach_rma_size(ram_size);

    if (top > MACH_FDT_MAX_ADDR)
        top = MACH_FDT_MAX_ADDR;
    if (top <= MACH_FDT_MAX_SIZE)
        return 0;
    return top - MACH_FDT_MAX_SIZE;
}

uint64_t mach_initrd_address(uint64_t kernel_addr, uint64_t kernel_size)
{
    uint64_t end = kernel_addr + kernel_size;

    if (end < kernel_addr || end > UINT64_MAX - INITRD_GAP)
        return UINT64_MAX;
    return (end + INITRD_GAP) & ~(INITRD_ALIGN - 1);
}

unsigned mach_hpt_shift(uint64_t ram_size)
{
    unsigned shift = log2_ceil(ram_size);

    shift = shift > HPT_RAM_RATIO ? shift - HPT_RAM_RATIO : 0;
    if (shift < HPT_SHIFT_MIN)
        shift = HPT_SHIFT_MIN;
    if (shift > HPT_SHIFT_MAX)
        shift = HPT_SHIFT_MAX;
    return shift;
}

int mach_load_bios(const uint8_t *file, size_t len, uint8_t *ram, uint64_t ram_size,
                   char *err, size_t errlen)
{
    if ((uint64_t)len > MACH_BIOS_MAX_SIZE) {
        if (err && errlen)
            snprintf(err, errlen,
                     "firmware image is %zu bytes; pseries loads at most 0x%" PRIx64
                     " bytes at address 0", len, MACH_BIOS_MAX_SIZE);
        return MACH_LOAD_NO_FIT;
    }
    return mach_load_raw(file, len, ram, ram_size, MACH_BIOS_ADDR, err, errlen);
}

static bool overlaps_kernel(const MachElfInfo *k, uint64_t base, uint64_t len)
{
    for (int i = 0; i < k->nranges && i < MACH_ELF_MAX_RANGES; i++)
        if (base < k->ranges[i].end && k->ranges[i].start < base + len)
            return true;
    return false;
}

int mach_load_initrd(const uint8_t *file, size_t len, uint8_t *ram, uint64_t ram_size,
                     const MachElfInfo *kernel, uint64_t *start, uint64_t *end,
                     char *err, size_t errlen)
{
    uint64_t base, limit = mach_fdt_address(ram_size);
    int rc;

    if (!kernel) {
        if (err && errlen)   /* QEMU's wording */
            snprintf(err, errlen, "-initrd only allowed with -kernel option");
        return MACH_LOAD_BAD_ARG;
    }
    base = mach_initrd_address(MACH_KERNEL_ADDR, kernel->kernel_size);
    if (base >= limit || (uint64_t)len > limit - base) {
        if (err && errlen)
            snprintf(err, errlen,
                     "initrd of 0x%zx bytes at 0x%" PRIx64 " does not fit below the device tree"
                     " at 0x%" PRIx64 ": give the machine more memory with -m",
                     len, base, limit);
        return MACH_LOAD_NO_FIT;
    }
    if (len && overlaps_kernel(kernel, base, len)) {
        if (err && errlen)
            snprintf(err, errlen,
                     "initrd (0x%zx bytes at 0x%" PRIx64 ") overlaps a kernel segment", len, base);
        return MACH_LOAD_NO_FIT;
    }
    rc = mach_load_raw(file, len, ram, ram_size, base, err, errlen);
    if (rc == 0) {
        if (start)
            *start = base;
        if (end)
            *end = base + len;
    }
    return rc;
}
