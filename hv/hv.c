/*
 * hv.c - L0: the machine's memory and its partition, boot, partition-scoped
 * faults, tracing and statistics.
 *
 * The vCPUs and the run loop (KVM_RUN-style: run a thread until it exits to
 * the hypervisor, handle the exit, resume) are in hv/smp.c; hypercalls in
 * hv/hcall.c.
 */
#include "hv/hv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu/icache.h"
#include "mmu/mmu.h"

static void trace_interrupt(CPUState *cpu, uint32_t vector)
{
    Hv *hv = cpu->opaque;
    hv_trace(hv, HV_TRACE_IRQ, "interrupt 0x%x srr0=0x%016llx srr1=0x%016llx", vector,
             (unsigned long long)cpu->spr[SPR_SRR0], (unsigned long long)cpu->spr[SPR_SRR1]);
}

static void part_for_each_cpu(void *opaque, void (*fn)(CPUState *cpu, void *arg), void *arg)
{
    hv_for_each_vcpu(opaque, fn, arg);
}

/* Every vCPU translates through the machine's partition table as LPID HV_L1_LPID. */
static void enter_partition(CPUState *cpu, void *arg)
{
    Hv *hv = arg;
    mmu_set_partition(cpu, hv->hrm.ptcr, hv->part.lpid);
}

int hv_init(Hv *hv, const HvConfig *cfg, char *err, size_t errlen)
{
    memset(hv, 0, sizeof(*hv));
    hv->cfg = *cfg;
    if (mach_config_check(&cfg->mach, err, errlen) != 0)
        return -1;
    hv->ram_size = cfg->mach.ram_size;
    /* One MAP_NORESERVE mapping: untouched guest pages cost no host memory. */
    if (hrm_init(&hv->hrm, hv->ram_size, err, errlen) != 0 ||
        hv_partition_init(&hv->part, &hv->hrm, HV_L1_LPID, hv->ram_size, err, errlen) != 0)
        return -1;
    hv->part.for_each_cpu = part_for_each_cpu;
    hv->part.cpus = hv;
    hv->ram = hv_partition_boot_ram(&hv->part);
    if (cpu_init(&hv->cpu, hv->hrm.base, hv->hrm.size, cfg->mach.pvr) != 0) {
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
    if (hv_smp_init(hv, err, errlen) != 0) /* after vCPU 0's settings: the others copy them */
        return -1;
    hv_for_each_vcpu(hv, enter_partition, hv);
    return hv_nested_init(hv, err, errlen);
}

void hv_destroy(Hv *hv)
{
    hv_nested_destroy(hv);
    hv_smp_destroy(hv);
    if (hv->cpu.icache)
        cpu_destroy(&hv->cpu);
    hv_partition_destroy(&hv->part);
    hrm_destroy(&hv->hrm);
    hv->ram = NULL;
}

/*
 * HDSI/HISI: L0 backs the page (demand faulting) or, outside RAM, gives the
 * guest what it would see with no memory there (hv/partition.h).
 */
void hv_handle_partition_fault(Hv *hv, CPUState *cpu)
{
    static const char *const what[] = { "mapped", "to the guest", "fatal" };
    bool fetch = cpu->exit_reason == CPU_EXIT_HISI;
    uint64_t cause = fetch ? cpu->spr[SPR_HSRR1] & ~SRR1_MSR_KEEP : cpu->spr[SPR_HDSISR];
    gra_t gra = cpu->spr[SPR_ASDR];
    HvFaultResult r = hv_partition_fault(&hv->part, cpu);
    hv_trace(hv, HV_TRACE_MMU, "%s gra=0x%llx cause=0x%llx: %s", fetch ? "hisi" : "hdsi", (unsigned long long)gra,
             (unsigned long long)cause, what[r]);
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
    /* Boot: nothing has moved yet, the flat buffer is the partition's memory. */
    uint8_t *fdt = hv->fdt_addr && hv->fdt_addr <= hv->ram_size - MACH_FDT_MAX_SIZE ? hv->ram + hv->fdt_addr : NULL;
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
    for (int i = 0; i < hv->nvcpus; i++)
        hv->vcpus[i].cpu->spr[SPR_AMOR] = ~0ULL;
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
    CPUState *cpu = hv->current ? hv->current->cpu : &hv->cpu;
    va_list ap;
    fprintf(out, "[L1 cpu%d tb=%llu] ", cpu->cpu_index, (unsigned long long)cpu_get_tb(cpu));
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
}

static void print_vcpu_stats(CPUState *cpu, FILE *out)
{
    fprintf(out, "nesthv stats: L1 cpu%d\n", cpu->cpu_index);
    fprintf(out, "  instructions      %llu\n", (unsigned long long)cpu->icount);
    fprintf(out, "  timebase          %llu\n", (unsigned long long)cpu_get_tb(cpu));
    fprintf(out, "  interrupts        %llu\n", (unsigned long long)cpu->stat_excp);
    fprintf(out, "  radix walks       %llu process-scoped, %llu partition-scoped\n",
            (unsigned long long)cpu->mmu.stat_walks, (unsigned long long)cpu->mmu.stat_part_walks);
    for (int i = 1; i < CPU_EXIT__COUNT; i++)
        if (cpu->stat_exits[i])
            fprintf(out, "  exits %-11s %llu\n", hv_exit_name((CpuExit)i), (unsigned long long)cpu->stat_exits[i]);
}

void hv_print_stats(Hv *hv, FILE *out)
{
    for (int i = 0; i < hv->nvcpus; i++)
        print_vcpu_stats(hv->vcpus[i].cpu, out);
    if (hv->nvcpus > 1)
        fprintf(out, "nesthv stats: L1 all vCPUs\n  instructions      %llu\n", (unsigned long long)hv->insns);
    fprintf(out, "  hcalls            %llu\n", (unsigned long long)hv->stats.hcalls);
    hv_print_hcall_stats(hv, out);
    hv_partition_print_stats(&hv->part, out);
    hv_nested_print_stats(hv, out);
}
