/*
 * timebase.c - timebase and decrementer (Power ISA v3.0B Book II 5, Book III 9).
 *
 * The timebase runs at 512 MHz, the POWER9 value a pseries guest reads from
 * the device tree.  By default it is derived from the instruction count
 * (each instruction takes 2^icount_shift ns of virtual time), so a run is
 * deterministic: same program, same output, same counts.  CPU_CLOCK_HOST
 * follows the host monotonic clock instead, for interactive use.
 *
 * Virtual time: cpu_vclock() = instructions executed + vclock_adj, the time
 * the thread spent not executing (idle in H_CEDE, or other threads' turns:
 * hv/smp.c runs the threads of a machine in turns on one virtual clock and
 * moves each thread's clock to the machine's when its turn starts).
 *
 * DEC: with LPCR[LD] the decrementer is 56 bits wide (ibm,dec-bits = 56),
 * otherwise 32; reads sign-extend from that width.  It counts down from the
 * last value written; it is "negative" (pending) once it has passed zero.
 */
#include <time.h>

#include "cpu/cpu.h"

#define TB_FREQ_HZ  512000000ULL
/* ns -> ticks is * 64 / 125 at 512 MHz */
#define TB_PER_NS_NUM 64ULL
#define TB_PER_NS_DEN 125ULL

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t cpu_tb_to_ns(uint64_t tb)
{
    return (uint64_t)((unsigned __int128)tb * TB_PER_NS_DEN / TB_PER_NS_NUM);
}

/* Timebase before the partition offset. */
static uint64_t raw_tb(const CPUState *cpu)
{
    uint64_t ns;
    if (cpu->clock == CPU_CLOCK_HOST)
        ns = host_ns() - cpu->host_ns0;
    else
        ns = cpu_vclock(cpu) << cpu->icount_shift;
    if (ns < (UINT64_MAX / TB_PER_NS_NUM)) /* the common case: no 128-bit division */
        return ns * TB_PER_NS_NUM / TB_PER_NS_DEN;
    return (uint64_t)((unsigned __int128)ns * TB_PER_NS_NUM / TB_PER_NS_DEN);
}

/*
 * At reset DEC holds 0xFFFFFFFF (QEMU's pseries: 32 ones, which the 56-bit
 * large decrementer reads as a positive count of about 8.4 s), so no
 * decrementer interrupt is pending when a program first enables MSR[EE].
 */
#define DEC_RESET_VALUE 0xFFFFFFFFULL

void cpu_timebase_reset(CPUState *cpu)
{
    cpu->dec_written = DEC_RESET_VALUE;
    cpu->dec_base_tb = cpu_get_tb(cpu);
}

uint64_t cpu_vclock(const CPUState *cpu)
{
    return cpu->icount + cpu->vclock_adj;
}

void cpu_set_vclock(CPUState *cpu, uint64_t t)
{
    cpu->vclock_adj = t - cpu->icount;
}

uint64_t cpu_get_tb(CPUState *cpu)
{
    return raw_tb(cpu) + (uint64_t)cpu->tb_offset;
}

static unsigned dec_bits(const CPUState *cpu)
{
    return (cpu->spr[SPR_LPCR] & LPCR_LD) ? 56 : 32;
}

static uint64_t sign_extend(uint64_t v, unsigned bits)
{
    unsigned sh = 64 - bits;
    return (uint64_t)((int64_t)(v << sh) >> sh);
}

/* DEC as a 64-bit signed count (not truncated to its width). */
static int64_t dec_now(CPUState *cpu)
{
    return (int64_t)(cpu->dec_written - (cpu_get_tb(cpu) - cpu->dec_base_tb));
}

uint64_t cpu_get_dec(CPUState *cpu)
{
    return sign_extend((uint64_t)dec_now(cpu), dec_bits(cpu));
}

void cpu_set_dec(CPUState *cpu, uint64_t value)
{
    cpu->dec_written = sign_extend(value, dec_bits(cpu));
    cpu->dec_base_tb = cpu_get_tb(cpu);
    cpu->end_block = true; /* the next deadline changed */
}

bool cpu_dec_pending(CPUState *cpu)
{
    return (int64_t)cpu_get_dec(cpu) < 0;
}

/* Instructions for `ticks` more timebase ticks to pass (rounded up). */
static uint64_t ticks_to_insns(const CPUState *cpu, unsigned __int128 ticks)
{
    unsigned __int128 ns = (ticks * TB_PER_NS_DEN + TB_PER_NS_NUM - 1) / TB_PER_NS_NUM;
    unsigned __int128 insns = (ns + ((1ULL << cpu->icount_shift) - 1)) >> cpu->icount_shift;
    return insns > UINT64_MAX ? UINT64_MAX : (uint64_t)insns;
}

uint64_t cpu_insns_until_dec(CPUState *cpu)
{
    int64_t dec = dec_now(cpu);
    if (dec < 0 || cpu->clock == CPU_CLOCK_HOST)
        return dec < 0 ? 0 : UINT64_MAX;
    /* DEC reaches -1 after dec + 1 more ticks. */
    return ticks_to_insns(cpu, (unsigned __int128)(uint64_t)dec + 1);
}

/*
 * HDEC: L0 arms it with the timebase (before the partition's offset) at
 * which an L2's run must end; there is no HDEC register value to read.
 */
bool cpu_hdec_pending(CPUState *cpu)
{
    return cpu->hdec_expiry != UINT64_MAX && raw_tb(cpu) >= cpu->hdec_expiry;
}

uint64_t cpu_insns_until_hdec(CPUState *cpu)
{
    if (cpu->hdec_expiry == UINT64_MAX || cpu->clock == CPU_CLOCK_HOST)
        return UINT64_MAX;
    uint64_t now = raw_tb(cpu);
    if (now >= cpu->hdec_expiry)
        return 0;
    /* One more instruction may still leave the TB one tick short after rounding: the check repeats. */
    return ticks_to_insns(cpu, cpu->hdec_expiry - now);
}
