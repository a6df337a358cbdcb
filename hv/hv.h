/*
 * hv.h - L0, the hypervisor built into nesthv.
 *
 * L0 owns the machine's RAM and runs one partition (the L1 guest) on the
 * emulated thread.  Its run loop is KVM's: cpu_run() until an exit, handle
 * the exit in C (hypercall, emulation assistance, timer ...), resume.
 *
 *     Hv hv;
 *     hv_init(&hv, &cfg, err, sizeof err);   allocate RAM, build the FDT
 *     hv_load_bios/hv_load_kernel(...)      place images, set entry state
 *     int status = hv_run(&hv);             until power-off or a limit
 *     hv_destroy(&hv);
 *
 * Threading: single-threaded; one vCPU for now ("-smp 1").
 */
#ifndef NESTHV_HV_H
#define NESTHV_HV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "machine/machine.h"

/* Trace categories for --trace. */
enum {
    HV_TRACE_HCALL = 1u << 0,
    HV_TRACE_EXIT = 1u << 1,
    HV_TRACE_IRQ = 1u << 2,
    HV_TRACE_MMU = 1u << 3,
};

/* What hv_run() reports; cli/ turns it into the process exit status. */
typedef enum HvStatus {
    HV_POWER_OFF = 0,    /* the guest powered the machine off (RTAS power-off) */
    HV_REBOOT_REQUEST,   /* RTAS system-reboot (treated as the end of the run) */
    HV_GUEST_HALTED,     /* the machine stopped: unimplemented instruction, checkstop */
    HV_LIMIT_REACHED,    /* --max-insns or --timeout */
} HvStatus;

typedef struct HvConfig {
    MachineConfig mach;
    uint64_t max_insns;     /* 0 = unbounded */
    double timeout_s;       /* 0 = unbounded; host wall-clock seconds */
    CpuClock clock;
    unsigned icount_shift;
    int64_t rtc_base;       /* seconds since the epoch at timebase 0; INT64_MIN = host clock */
    unsigned trace;         /* HV_TRACE_* */
    FILE *trace_out;        /* stderr unless --trace-file */
    bool stats;             /* print counters at exit */
} HvConfig;

/* Per-hcall counters. */
typedef struct HvStats {
    uint64_t hcalls;
    uint64_t hcall_by_nr[0x500 / 4];  /* PAPR range 0 .. 0x4FC */
    uint64_t hcall_private;           /* 0xF000 .. range */
    uint64_t heai;
    uint64_t cede;
} HvStats;

typedef struct Hv {
    HvConfig cfg;
    uint8_t *ram;            /* the partition's RAM (guest real 0 .. ram_size) */
    uint64_t ram_size;
    CPUState cpu;            /* vCPU 0 */
    uint64_t fdt_addr;       /* guest real address of the device tree */
    MachElfInfo kernel;      /* what -kernel loaded (kernel.nsegs == 0: none) */
    uint64_t rtc_offset_s;   /* set-time-of-day adjusts this */
    uint64_t rng_state;      /* H_RANDOM generator (deterministic) */
    bool shutdown;
    HvStatus status;
    HvStats stats;
} Hv;

int hv_init(Hv *hv, const HvConfig *cfg, char *err, size_t errlen);
void hv_destroy(Hv *hv);
/* -bios: raw image at real address 0, entered at 0x100 big-endian with MSR = 0 (QEMU pseries). */
int hv_load_bios(Hv *hv, const char *path, char *err, size_t errlen);
/* -kernel: ELF placed as QEMU does; entered at its entry point unless a bios was loaded. */
int hv_load_kernel(Hv *hv, const char *path, bool have_bios, char *err, size_t errlen);
int hv_load_initrd(Hv *hv, const char *path, char *err, size_t errlen);
/* Build the device tree into guest memory and set the boot registers. Call after loading. */
int hv_finish_boot(Hv *hv, char *err, size_t errlen);
HvStatus hv_run(Hv *hv);
void hv_print_stats(Hv *hv, FILE *out);

/* Guest real memory as L0 sees it: NULL if [gra, gra+len) is not all RAM. */
uint8_t *hv_guest_ptr(Hv *hv, uint64_t gra, uint64_t len);

/* Tracing: one line per event with level, vCPU and timebase. */
void hv_trace(Hv *hv, unsigned category, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Exit handlers */
void hv_handle_hcall(Hv *hv, CPUState *cpu);           /* hv/hcall.c */
void hv_print_hcall_stats(Hv *hv, FILE *out);          /* hv/hcall.c */
/* The thread has nothing to do until its next timer event (H_CEDE). */
void hv_idle(Hv *hv, CPUState *cpu);
/* PAPR services (hv/console.c, hv/rtas.c) */
long hv_put_term_char(Hv *hv, CPUState *cpu);
long hv_get_term_char(Hv *hv, CPUState *cpu);
long hv_rtas_call(Hv *hv, CPUState *cpu);

#endif
