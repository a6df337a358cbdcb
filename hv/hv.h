/*
 * hv.h - L0, the hypervisor built into nesthv.
 *
 * L0 owns the machine's host-real memory and runs one partition (the L1
 * guest, LPID 1) on the emulated threads; the partition's RAM is backed by
 * that memory through a partition-scoped radix tree L0 fills on demand
 * (hv/partition.h).  Its run loop is KVM's: cpu_run() until an exit, handle
 * the exit in C (hypercall, emulation assistance, timer ...), resume.
 *
 *     Hv hv;
 *     hv_init(&hv, &cfg, err, sizeof err);   allocate RAM, build the FDT
 *     hv_load_bios/hv_load_kernel(...)      place images, set entry state
 *     int status = hv_run(&hv);             until power-off or a limit
 *     hv_destroy(&hv);
 *
 * SMP (hv/smp.c): -smp N gives N vCPUs; vCPU 0 starts at the entry point,
 * the others stopped until RTAS start-cpu.  One host thread runs them in
 * turns on one machine-wide virtual clock (deterministic: same program,
 * same output); see hv/smp.c for the scheduler and the timebase.
 */
#ifndef NESTHV_HV_H
#define NESTHV_HV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "hv/nested.h"
#include "hv/partition.h"
#include "hv/xics.h"
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

/* What a vCPU is doing, as the scheduler and RTAS see it. */
typedef enum HvVcpuState {
    HV_VCPU_STOPPED = 0,  /* RTAS stopped: never started, or stop-self */
    HV_VCPU_RUNNING,      /* runnable */
    HV_VCPU_IDLE,         /* H_CEDE / H_CONFER to itself / wait: until an interrupt or H_PROD */
} HvVcpuState;

/* L0's per-vCPU state. */
typedef struct HvVcpu {
    CPUState *cpu;
    HvVcpuState state;
    bool prod;               /* H_PROD remembered: the next H_CEDE returns at once */
    uint64_t wake_at;        /* IDLE, deterministic clock: virtual time its DEC fires (UINT64_MAX: never) */
    XicsIcp icp;             /* interrupt presentation (hv/xics.c) */
    /* H_REGISTER_VPA (hv/vpa.c); 0 = not registered */
    uint64_t vpa, slb_shadow, dtl;
    uint32_t slb_shadow_size, dtl_size;
} HvVcpu;

typedef struct Hv {
    HvConfig cfg;
    Hrm hrm;                 /* host-real memory: the partition table, L0's page pool, RAM backing */
    HvPartition part;        /* the L1 partition (LPID HV_L1_LPID) */
    HvNested *nested;        /* its nested guests (hv/nested.h), NULL without cap-nested-hv */
    uint8_t *ram;            /* its RAM as one flat buffer: the boot-time view (hv_partition_boot_ram) */
    uint64_t ram_size;
    CPUState cpu;            /* vCPU 0 (the boot CPU) */
    HvVcpu *vcpus;           /* vcpus[i].cpu is vCPU i; vcpus[0].cpu == &cpu */
    int nvcpus;
    /* scheduler (hv/smp.c) */
    HvVcpu *current;         /* the vCPU whose turn it is (or was last) */
    uint64_t vclock;         /* machine virtual time, in instructions (CPU_CLOCK_ICOUNT) */
    uint64_t insns;          /* instructions executed by all vCPUs */
    int rr_next;             /* round-robin: the vCPU to consider first for the next turn */
    bool resched;            /* end the current turn (another vCPU became runnable ...) */
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

/* The L1 partition's LPID (LPID 0 is the hypervisor's own, as on POWER9). */
#define HV_L1_LPID 1

/*
 * L0's accesses to the partition's memory, through its partition-scoped
 * tree page by page (pages L0 moved are not in the flat buffer), faulting
 * pages in; writes retire decoded instructions.  0, -EFAULT (not all RAM),
 * -ENOMEM.
 */
static inline bool hv_guest_is_ram(const Hv *hv, uint64_t gra, uint64_t len)
{
    return gra <= hv->ram_size && len <= hv->ram_size - gra;
}

static inline int hv_read_guest(Hv *hv, uint64_t gra, void *buf, size_t len)
{
    return hv_partition_read(&hv->part, gra, buf, len);
}

static inline int hv_write_guest(Hv *hv, uint64_t gra, const void *buf, size_t len)
{
    return hv_partition_write(&hv->part, gra, buf, len);
}

/* Tracing: one line per event with level, vCPU and timebase. */
void hv_trace(Hv *hv, unsigned category, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Exit handlers */
void hv_handle_hcall(Hv *hv, CPUState *cpu);           /* hv/hcall.c */
void hv_handle_partition_fault(Hv *hv, CPUState *cpu); /* hv/hv.c: HDSI/HISI */
void hv_print_hcall_stats(Hv *hv, FILE *out);          /* hv/hcall.c */
/* PAPR services (hv/console.c, hv/rtas.c) */
long hv_put_term_char(Hv *hv, CPUState *cpu);
long hv_get_term_char(Hv *hv, CPUState *cpu);
long hv_rtas_call(Hv *hv, CPUState *cpu);

/* ---- vCPUs and the scheduler (hv/smp.c) ---- */
int  hv_smp_init(Hv *hv, char *err, size_t errlen);   /* called by hv_init() */
const char *hv_exit_name(CpuExit exit);
void hv_smp_destroy(Hv *hv);
static inline HvVcpu *hv_vcpu(Hv *hv, const CPUState *cpu) { return &hv->vcpus[cpu->cpu_index]; }
/* The vCPU with this id (= its interrupt server number, FDT reg), or NULL. */
HvVcpu *hv_vcpu_by_id(Hv *hv, uint64_t id);
/* The vCPU waits for an interrupt or H_PROD (H_CEDE, H_CONFER to itself, wait). */
void hv_vcpu_idle(Hv *hv, HvVcpu *v);
/* An IDLE vCPU has something to do (interrupt line, prod): make it runnable. */
void hv_vcpu_wake(Hv *hv, HvVcpu *v);
/* RTAS start-cpu / stop-self. */
void hv_vcpu_start(Hv *hv, HvVcpu *v, CPUState *caller, uint64_t entry, uint64_t r3);
void hv_vcpu_stop(Hv *hv, HvVcpu *v);
/* Run fn on every vCPU (tlbie broadcast, partition-wide LPCR changes ...). */
void hv_for_each_vcpu(Hv *hv, void (*fn)(CPUState *cpu, void *arg), void *arg);
/* Set LPCR bits in mask to value on every vCPU (QEMU's H_SET_MODE, process table: CPU_FOREACH). */
void hv_set_lpcr_all(Hv *hv, uint64_t mask, uint64_t value);
long hv_h_cede(Hv *hv, CPUState *cpu);
long hv_h_prod(Hv *hv, CPUState *cpu);
long hv_h_confer(Hv *hv, CPUState *cpu);
long hv_h_join(Hv *hv, CPUState *cpu);

/* ---- MMU hypercalls (hv/mmu_hcalls.c) ---- */
long hv_h_register_process_table(Hv *hv, CPUState *cpu);

/* ---- interrupt controller hypercalls (hv/xics.c) ---- */
long hv_h_cppr(Hv *hv, CPUState *cpu);
long hv_h_ipi(Hv *hv, CPUState *cpu);
long hv_h_xirr(Hv *hv, CPUState *cpu);
long hv_h_xirr_x(Hv *hv, CPUState *cpu);
long hv_h_eoi(Hv *hv, CPUState *cpu);
long hv_h_ipoll(Hv *hv, CPUState *cpu);
/* Drive v's external interrupt line from its ICP (and wake it if the line rose). */
void hv_xics_update(Hv *hv, HvVcpu *v);

/* ---- virtual processor areas (hv/vpa.c) ---- */
long hv_h_register_vpa(Hv *hv, CPUState *cpu);
/* Dispatch counter (VPA yield count): odd while v is not dispatched, even while it runs. */
void hv_vpa_set_dispatched(Hv *hv, HvVcpu *v, bool dispatched);

#endif
