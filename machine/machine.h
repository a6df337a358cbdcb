/*
 * machine.h - the emulated machine: QEMU 7.2's PAPR `pseries` as an
 * unmodified pseries program sees it (configuration, device tree, image
 * loading, boot placement).
 *
 * Everything here follows what QEMU 7.2 (`qemu-system-ppc64 -M pseries
 * -nodefaults -serial stdio`) was observed to do; the facts are recorded next
 * to the constants below and in machine/boot.c.
 */
#ifndef NESTHV_MACHINE_MACHINE_H
#define NESTHV_MACHINE_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- CPU models (QEMU 7.2 `-cpu power9` = power9_v2.0, `-cpu power10` = power10_v2.0) ---- */
#define MACH_PVR_POWER9          0x004e1200u   /* POWER9 DD2.0 */
#define MACH_PVR_POWER10         0x00800200u   /* POWER10 DD2.0 as QEMU 7.2 defines it */

/* ---- Machine defaults ---- */
#define MACH_DEFAULT_RAM_SIZE  (UINT64_C(1) << 30)   /* nesthv's default; QEMU's is 512 MiB */
#define MACH_DEFAULT_TB_FREQ   UINT64_C(512000000)   /* pseries timebase: 512 MHz */
#define MACH_MAX_CPUS          1024                  /* nesthv's limit (keeps the FDT small) */
#define MACH_MAX_THREADS       8                     /* SMT8: POWER9/10 and QEMU 8.1+ TCG */
#define MACH_RAM_ALIGN         (UINT64_C(256) << 20) /* QEMU: "... is not aligned to 256 MiB" */

/* ---- Boot layout (QEMU hw/ppc/spapr.c, checked against QEMU 7.2) ---- */
#define MACH_BIOS_ADDR         UINT64_C(0)           /* -bios image loaded raw at real address 0 */
#define MACH_BIOS_ENTRY        UINT64_C(0x100)       /* ... and entered at 0x100 */
#define MACH_BIOS_MAX_SIZE     UINT64_C(0x400000)    /* bigger: "Could not load LPAR firmware" */
#define MACH_KERNEL_ADDR       UINT64_C(0x400000)    /* ELF at (p_paddr & 0x0fffffff) + this */
#define MACH_KERNEL_PADDR_MASK UINT64_C(0x0fffffff)
#define MACH_FDT_MAX_SIZE      UINT64_C(0x200000)    /* FDT this far below min(RMA, 2 GiB) */
#define MACH_FDT_MAX_ADDR      UINT64_C(0x80000000)

typedef struct MachineConfig {
    uint64_t ram_size;          /* bytes; default 1 GiB */
    int      smp_cpus;          /* number of vCPUs (threads in total) */
    int      smp_threads;       /* SMT threads per core: 1, 2, 4 or 8 (QEMU 7.2 TCG allows only 1) */
    int      smp_sockets;       /* sockets (chips): ibm,chip-id of each core */
    uint32_t pvr;               /* MACH_PVR_POWER9 / MACH_PVR_POWER10 */
    const char *cpu_model;      /* "POWER9" / "POWER10": CPU node names "PowerPC,<model>@<id>" */
    const char *bootargs;       /* -append, may be NULL */
    uint64_t initrd_start, initrd_end; /* 0 when absent */
    bool     cap_nested_hv;     /* -M pseries,cap-nested-hv=on (adds hcall-rpt-invalidate to the tree) */
    bool     cap_nested_papr;   /* -M pseries,cap-nested-papr=on (does not change the tree) */
    uint64_t timebase_freq;     /* 512000000 */
    /* -kernel: where it was loaded and QEMU's "kernel size" (the sum of the
     * PT_LOAD p_memsz, see MachElfInfo). kernel_size 0 = no kernel.  They give
     * /chosen/qemu,boot-kernel[-le] and a memory reservation, as in QEMU. */
    uint64_t kernel_addr, kernel_size;
    bool     kernel_le;
} MachineConfig;

/* Defaults: 1 GiB, 1 CPU, 1 thread, POWER9, 512 MHz timebase, nothing loaded. */
void mach_config_init(MachineConfig *cfg);

/* Checks a configuration the way QEMU does before starting (RAM a non-zero
 * multiple of 256 MiB, CPU counts, threads per core a power of two up to 8
 * as QEMU 8.1+ allows under TCG, whole cores per socket, initrd range
 * sane).  0 or -1 with a message. */
int mach_config_check(const MachineConfig *cfg, char *err, size_t errlen);

/* -cpu NAME (case-insensitive: power9, power9_v2.0, power10, power10_v2.0)
 * to PVR and node model name.  0, or -1 if unknown. */
int mach_cpu_lookup(const char *name, uint32_t *pvr, const char **model);

/* ---- machine/fdt.c ---- */
/* Builds the flattened device tree into buf.  0 and *out_size = totalsize,
 * or a negative libfdt error (-FDT_ERR_NOSPACE if buf is too small,
 * -FDT_ERR_BADVALUE for an unusable configuration). */
int mach_build_fdt(const MachineConfig *cfg, void *buf, size_t bufsize, size_t *out_size);

/* ---- machine/elf.c ---- */
enum {
    MACH_LOAD_OK        = 0,
    MACH_LOAD_NOT_ELF   = -1,   /* bad magic / too short */
    MACH_LOAD_BAD_ARCH  = -2,   /* not ELF64 PowerPC, not EXEC/DYN */
    MACH_LOAD_MALFORMED = -3,   /* headers or segments outside the file, inconsistent sizes */
    MACH_LOAD_NO_FIT    = -4,   /* does not fit in guest RAM */
    MACH_LOAD_IO        = -5,   /* file could not be read */
    MACH_LOAD_NOMEM     = -6,
    MACH_LOAD_BAD_ARG   = -7,   /* NULL pointers etc. */
};

#define MACH_ELF_MAX_RANGES 32

typedef struct MachElfRange {
    uint64_t start, end;        /* real addresses [start, end) */
} MachElfRange;

typedef struct MachElfInfo {
    uint64_t entry_real;        /* real address where e_entry lands */
    uint64_t low, high;         /* lowest / one past highest real address loaded */
    uint64_t kernel_size;       /* QEMU's load_elf() result: sum of PT_LOAD p_memsz */
    bool     little_endian;     /* EI_DATA == ELFDATA2LSB (qemu,boot-kernel-le) */
    int      nsegs;             /* PT_LOAD segments loaded */
    /* Where the segments went, in program header order; past
     * MACH_ELF_MAX_RANGES segments the last range covers all the rest. */
    int          nranges;
    MachElfRange ranges[MACH_ELF_MAX_RANGES];
} MachElfInfo;

int mach_load_elf(const uint8_t *file, size_t len, uint8_t *ram, uint64_t ram_size,
                  uint64_t *entry_real, char *err, size_t errlen);
/* Same, with everything learnt about the image (info may be NULL). */
int mach_load_elf_info(const uint8_t *file, size_t len, uint8_t *ram, uint64_t ram_size,
                       MachElfInfo *info, char *err, size_t errlen);
/* Copies file[0..len) to real address addr. */
int mach_load_raw(const uint8_t *file, size_t len, uint8_t *ram, uint64_t ram_size,
                  uint64_t addr, char *err, size_t errlen);
/* Reads a whole file into a malloc'ed buffer (*data freed by the caller;
 * non-NULL even for an empty file). */
int mach_read_file(const char *path, uint8_t **data, size_t *len, char *err, size_t errlen);

/* ---- machine/boot.c ---- */
/* QEMU's real mode area for a non-NUMA machine: the largest power of two <= RAM. */
uint64_t mach_rma_size(uint64_t ram_size);
/* Where the FDT goes (and r3 at entry): min(RMA, 2 GiB) - 2 MiB; 0 if RAM is too small. */
uint64_t mach_fdt_address(uint64_t ram_size);
/* Where QEMU puts the initrd: (kernel_addr + kernel_size + 0x1ffff) & ~0xffff. */
uint64_t mach_initrd_address(uint64_t kernel_addr, uint64_t kernel_size);
/* HPT size QEMU advertises in ibm,pft-size: log2(pow2ceil(RAM)) - 7, within [18, 46]. */
unsigned mach_hpt_shift(uint64_t ram_size);
/* -bios: raw at 0, at most MACH_BIOS_MAX_SIZE. */
int mach_load_bios(const uint8_t *file, size_t len, uint8_t *ram, uint64_t ram_size,
                   char *err, size_t errlen);
/* -initrd: at mach_initrd_address(MACH_KERNEL_ADDR, kernel->kernel_size).  It
 * must end at or below the FDT address, and must not overlap a kernel
 * segment: QEMU's rule counts segment sizes, not the image's span, so with
 * gaps between segments the initrd can land on a later one, which QEMU
 * refuses ("Some ROM regions are overlapping").  kernel is the -kernel image's
 * MachElfInfo; NULL is refused as QEMU does ("-initrd only allowed with
 * -kernel option").  On success *start / *end are the initrd's real range. */
int mach_load_initrd(const uint8_t *file, size_t len, uint8_t *ram, uint64_t ram_size,
                     const MachElfInfo *kernel, uint64_t *start, uint64_t *end,
                     char *err, size_t errlen);

#endif
