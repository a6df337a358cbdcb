/*
 * hv.c - L0: the partition's memory, its boot, and the vCPU run loop.
 *
 * hv_run() is the KVM_RUN loop: run the thread until it exits to the
 * hypervisor, handle the exit, resume.  Exits and what L0 does with them:
 *   HCALL  sc 1             -> hv_handle_hcall() (hv/hcall.c)
 *   HEAI   illegal insn     -> program interrupt (illegal) into the guest,
 *                              as KVM and QEMU do for a pseries guest
 *   IDLE   H_CEDE           -> advance to the next timer event
 *   HALT   cannot continue  -> stop and report cpu->halt_msg
 */
#include "hv/hv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "cpu/icache.h"

#define RUN_SLICE  (1ULL << 24) /* instructions between host-side checks */

static const char *const exit_names[CPU_EXIT__COUNT] = {
    [CPU_EXIT_BUDGET] = "budget", [CPU_EXIT_HCALL] = "hcall",  [CPU_EXIT_HDSI] = "hdsi",
    [CPU_EXIT_HISI] = "hisi",     [CPU_EXIT_HDEC] = "hdec",    [CPU_EXIT_HEAI] = "heai",
    [CPU_EXIT_HFAC] = "hfac",     [CPU_EXIT_HVIRT] = "hvirt",  [CPU_EXIT_IDLE] = "idle",
    [CPU_EXIT_HALT] = "halt",
};

static void trace_interrupt(CPUState *cpu, uint32_t vector)
{
    Hv *hv = cpu->opaque;
    hv_trace(hv, HV_TRACE_IRQ, "interrupt 0x%x srr0=0x%016llx srr1=0x%016llx", vector,
             (unsigned long long)cpu->spr[SPR_SRR0], (unsigned long long)cpu->spr[SPR_SRR1]);
}

int hv_init(Hv *hv, const HvConfig *cfg, char *err, size_t errlen)
{
    memset(hv, 0, sizeof(*hv));
    hv->cfg = *cfg;
    if (mach_config_check(&cfg->mach, err, errlen) != 0)
        return -1;
    hv->ram_size = cfg->mach.ram_size;
    /* Anonymous mapping: untouched guest pages cost no host memory. */
    void *ram = mmap(NULL, hv->ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (ram == MAP_FAILED) {
        snprintf(err, errlen, "cannot allocate %llu MiB of guest RAM: use a smaller -m",
                 (unsigned long long)(hv->ram_size >> 20));
        return -1;
    }
    hv->ram = ram;
    if (cpu_init(&hv->cpu, hv->ram, hv->ram_size, cfg->mach.pvr) != 0) {
        snprintf(err, errlen, "out of host memory");
        return -1;
    }
    hv->cpu.opaque = hv;
    hv->cpu.clock = cfg->clock;
    hv->cpu.icount_shift = cfg->icount_shift;
    if (cfg->trace & HV_TRACE_IRQ)
        hv->cpu.on_interrupt = trace_interrupt;
    hv->rng_state = 0x9E3779B97F4A7C15ULL;
    if (cfg->clock == CPU_CLOCK_HOST) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        hv->cpu.host_ns0 = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
    }
    hv->rtc_offset_s = cfg->rtc_base == INT64_MIN ? (uint64_t)time(NULL) : (uint64_t)cfg->rtc_base;
    return 0;
}

void hv_destroy(Hv *hv)
{
    cpu_destroy(&hv->cpu);
    if (hv->ram)
        munmap(hv->ram, hv->ram_size);
    hv->ram = NULL;
}

uint8_t *hv_guest_ptr(Hv *hv, uint64_t gra, uint64_t len)
{
    if (gra > hv->ram_size || len > hv->ram_size - gra)
        return NULL;
    return hv->ram + gra;
}

int hv_load_bios(Hv *hv, const char *path, char *err, size_t errlen)
{
    uint8_t *data;
    size_t len;
    if (mach_read_file(path, &data, &len, err, errlen) != 0)
        return -1;
    int rc = mach_load_bios(data, len, hv->ram, hv->ram_size, err, errlen);
    free(data);
    if (rc != 0)
        return -1;
    hv->cpu.nip = MACH_BIOS_ENTRY;
    return 0;
}

int hv_load_kernel(Hv *hv, const char *path, bool have_bios, char *err, size_t errlen)
{
    uint8_t *data;
    size_t len;
    MachElfInfo *info = &hv->kernel;
    if (mach_read_file(path, &data, &len, err, errlen) != 0)
        return -1;
    int rc = mach_load_elf_info(data, len, hv->ram, hv->ram_size, info, err, errlen);
    free(data);
    if (rc != 0)
        return -1;
    hv->cfg.mach.kernel_addr = MACH_KERNEL_ADDR;
    hv->cfg.mach.kernel_size = info->kernel_size;
    hv->cfg.mach.kernel_le = info->little_endian;
    if (!have_bios)
        hv->cpu.nip = info->entry_real;
    return 0;
}

int hv_load_initrd(Hv *hv, const char *path, char *err, size_t errlen)
{
    uint8_t *data;
    size_t len;
    if (mach_read_file(path, &data, &len, err, errlen) != 0)
        return -1;
    int rc = mach_load_initrd(data, len, hv->ram, hv->ram_size, hv->kernel.nsegs ? &hv->kernel : NULL,
                              &hv->cfg.mach.initrd_start, &hv->cfg.mach.initrd_end, err, errlen);
    free(data);
    return rc != 0 ? -1 : 0;
}

/*
 * Entry state of QEMU's pseries (reference/pseries-boot.md): MSR = 0 (big-endian,
 * 32-bit, real mode), r3 = FDT address, r4 = r5 = 0, interrupts big-endian.
 */
int hv_finish_boot(Hv *hv, char *err, size_t errlen)
{
    size_t fdt_size;
    hv->fdt_addr = mach_fdt_address(hv->ram_size);
    uint8_t *fdt = hv->fdt_addr ? hv_guest_ptr(hv, hv->fdt_addr, MACH_FDT_MAX_SIZE) : NULL;
    if (!fdt) {
        snprintf(err, errlen, "RAM too small for the device tree: use a larger -m");
        return -1;
    }
    if (mach_build_fdt(&hv->cfg.mach, fdt, MACH_FDT_MAX_SIZE, &fdt_size) != 0) {
        snprintf(err, errlen, "cannot build the device tree");
        return -1;
    }
    CPUState *cpu = &hv->cpu;
    cpu->msr = 0;
    /* L0 lets the partition use every AMR key, as QEMU's and KVM's pseries do. */
    cpu->spr[SPR_AMOR] = ~0ULL;
    cpu->gpr[3] = hv->fdt_addr;
    cpu->gpr[4] = 0;
    cpu->gpr[5] = 0;
    icache_flush(cpu);
    cpu_mode_changed(cpu);
    return 0;
}

void hv_trace(Hv *hv, unsigned category, const char *fmt, ...)
{
    if (!(hv->cfg.trace & category))
        return;
    FILE *out = hv->cfg.trace_out ? hv->cfg.trace_out : stderr;
    va_list ap;
    fprintf(out, "[L1 cpu%d tb=%llu] ", hv->cpu.cpu_index, (unsigned long long)cpu_get_tb(&hv->cpu));
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
}

/* Book III 7.5.17 + PAPR: an illegal instruction in a pseries guest is a program interrupt. */
static void handle_heai(Hv *hv, CPUState *cpu)
{
    hv->stats.heai++;
    cpu_interrupt(cpu, EXCP_PROGRAM, cpu->spr[SPR_HSRR0], SRR1_PROG_ILLEGAL);
}

/*
 * H_CEDE with nothing pending: the thread idles until its next timer event.
 * Deterministic time jumps there; host time sleeps there.
 */
void hv_idle(Hv *hv, CPUState *cpu)
{
    hv->stats.cede++;
    uint64_t wait = cpu_insns_until_dec(cpu);
    if (wait == UINT64_MAX)
        return;
    if (cpu->clock == CPU_CLOCK_ICOUNT) {
        cpu->icount += wait;
        return;
    }
    uint64_t ns = cpu_tb_to_ns((uint64_t)cpu_get_dec(cpu) + 1);
    struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ULL), .tv_nsec = (long)(ns % 1000000000ULL) };
    nanosleep(&ts, NULL);
}

static void handle_exit(Hv *hv, CPUState *cpu, CpuExit exit)
{
    if (exit != CPU_EXIT_BUDGET && exit != CPU_EXIT_HCALL)
        hv_trace(hv, HV_TRACE_EXIT, "exit %s vector=0x%x nip=0x%016llx", exit_names[exit], cpu->exit_vector,
                 (unsigned long long)cpu->nip);
    switch (exit) {
    case CPU_EXIT_BUDGET:
        break;
    case CPU_EXIT_HCALL:
        hv_handle_hcall(hv, cpu);
        break;
    case CPU_EXIT_HEAI:
        handle_heai(hv, cpu);
        break;
    case CPU_EXIT_IDLE:
        hv_idle(hv, cpu);
        break;
    case CPU_EXIT_HALT:
        hv->shutdown = true;
        hv->status = HV_GUEST_HALTED;
        break;
    default:
        /* A partition-scoped fault or hypervisor timer cannot happen without nesting yet. */
        cpu_halt(cpu, "unexpected hypervisor exit %s (vector 0x%x) at 0x%016llx", exit_names[exit],
                 cpu->exit_vector, (unsigned long long)cpu->nip);
        hv->shutdown = true;
        hv->status = HV_GUEST_HALTED;
        break;
    }
}

static double host_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

HvStatus hv_run(Hv *hv)
{
    CPUState *cpu = &hv->cpu;
    double deadline = hv->cfg.timeout_s > 0 ? host_seconds() + hv->cfg.timeout_s : 0;
    while (!hv->shutdown) {
        uint64_t slice = RUN_SLICE;
        if (hv->cfg.max_insns) {
            if (cpu->icount >= hv->cfg.max_insns) {
                hv->status = HV_LIMIT_REACHED;
                break;
            }
            if (hv->cfg.max_insns - cpu->icount < slice)
                slice = hv->cfg.max_insns - cpu->icount;
        }
        handle_exit(hv, cpu, cpu_run(cpu, slice));
        if (deadline && host_seconds() > deadline) {
            hv->status = HV_LIMIT_REACHED;
            break;
        }
    }
    fflush(stdout);
    return hv->status;
}

void hv_print_stats(Hv *hv, FILE *out)
{
    CPUState *cpu = &hv->cpu;
    fprintf(out, "nesthv stats: L1 cpu0\n");
    fprintf(out, "  instructions      %llu\n", (unsigned long long)cpu->icount);
    fprintf(out, "  timebase          %llu\n", (unsigned long long)cpu_get_tb(cpu));
    fprintf(out, "  interrupts        %llu\n", (unsigned long long)cpu->stat_excp);
    for (int i = 1; i < CPU_EXIT__COUNT; i++)
        if (cpu->stat_exits[i])
            fprintf(out, "  exits %-11s %llu\n", exit_names[i], (unsigned long long)cpu->stat_exits[i]);
    fprintf(out, "  hcalls            %llu\n", (unsigned long long)hv->stats.hcalls);
    hv_print_hcall_stats(hv, out);
}
