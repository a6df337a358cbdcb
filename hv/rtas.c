/*
 * rtas.c - Run-Time Abstraction Services through hcall 0xF000 (KVMPPC_H_RTAS).
 *
 * With no linux,rtas-entry property in the device tree, pseries programs
 * call RTAS by passing, in r4, the guest real address of a big-endian block
 * { token, nargs, nret, args[nargs], rets[nret] } (reference/pseries-boot.md).
 * Status codes in rets[0] are RTAS's (PAPR 7.2.8): 0 success, -1 hardware
 * error, -3 parameter error.  The block is validated as a whole before any
 * field is read; an unknown token answers -3 and H_PARAMETER, as QEMU does.
 */
#include <string.h>
#include <time.h>

#include "hv/hv.h"
#include "ppc/hcall.h"
#include "ppc/papr_smp.h"

#define RTAS_OUT_SUCCESS      0
#define RTAS_OUT_HW_ERROR    -1
#define RTAS_OUT_PARAM_ERROR -3
#define RTAS_MAX_CELLS       64  /* nargs, and nret: generous for every call we implement */

#define RTAS_HDR_SIZE        12  /* token, nargs, nret */

/* The call's block is copied in, and its return cells out, through the partition's translation. */
typedef struct RtasCall {
    CPUState *cpu;       /* the calling vCPU */
    uint8_t block[RTAS_HDR_SIZE + 4 * 2 * RTAS_MAX_CELLS]; /* header, args, rets */
    uint32_t token, nargs, nret;
    bool returned;       /* a return cell was written: copy them out */
} RtasCall;

static uint32_t be32_load(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void be32_store(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t arg(const RtasCall *c, unsigned i) { return be32_load(c->block + RTAS_HDR_SIZE + 4 * i); }

static void ret(RtasCall *c, unsigned i, int32_t v)
{
    if (i < c->nret) {
        be32_store(c->block + RTAS_HDR_SIZE + 4 * (c->nargs + i), (uint32_t)v);
        c->returned = true;
    }
}

static bool shape_is(RtasCall *c, uint32_t nargs, uint32_t nret)
{
    if (c->nargs == nargs && c->nret == nret)
        return true;
    ret(c, 0, RTAS_OUT_PARAM_ERROR);
    return false;
}

/*
 * Wall-clock seconds the guest sees: the RTC base (-rtc base=, or the host
 * clock when nesthv started) plus the guest time elapsed since, read from
 * the caller's timebase -- so it advances with guest time (in virtual time
 * under the deterministic clock, e.g. across a long H_CEDE).
 */
static uint64_t guest_seconds(Hv *hv, CPUState *cpu)
{
    return hv->rtc_offset_s + cpu_tb_to_ns(cpu_get_tb(cpu)) / 1000000000ULL;
}

static void rtas_get_time_of_day(Hv *hv, RtasCall *c)
{
    if (!shape_is(c, 0, 8))
        return;
    time_t t = (time_t)guest_seconds(hv, c->cpu);
    struct tm tm;
    gmtime_r(&t, &tm);
    ret(c, 0, RTAS_OUT_SUCCESS);
    ret(c, 1, tm.tm_year + 1900);
    ret(c, 2, tm.tm_mon + 1);
    ret(c, 3, tm.tm_mday);
    ret(c, 4, tm.tm_hour);
    ret(c, 5, tm.tm_min);
    ret(c, 6, tm.tm_sec);
    ret(c, 7, 0);
}

static void rtas_set_time_of_day(Hv *hv, RtasCall *c)
{
    if (!shape_is(c, 7, 1))
        return;
    struct tm tm = {
        .tm_year = (int)arg(c, 0) - 1900, .tm_mon = (int)arg(c, 1) - 1, .tm_mday = (int)arg(c, 2),
        .tm_hour = (int)arg(c, 3),        .tm_min = (int)arg(c, 4),     .tm_sec = (int)arg(c, 5),
    };
    time_t t = timegm(&tm);
    if (t == (time_t)-1) {
        ret(c, 0, RTAS_OUT_PARAM_ERROR);
        return;
    }
    uint64_t elapsed = guest_seconds(hv, c->cpu) - hv->rtc_offset_s;
    hv->rtc_offset_s = (uint64_t)t - elapsed;
    ret(c, 0, RTAS_OUT_SUCCESS);
}

static void rtas_power_off(Hv *hv, RtasCall *c)
{
    if (!shape_is(c, 2, 1))
        return;
    ret(c, 0, RTAS_OUT_SUCCESS);
    hv->shutdown = true;
    hv->status = HV_POWER_OFF;
    c->cpu->end_block = true;
}

static void rtas_system_reboot(Hv *hv, RtasCall *c)
{
    if (!shape_is(c, 0, 1))
        return;
    ret(c, 0, RTAS_OUT_SUCCESS);
    hv->shutdown = true;
    hv->status = HV_REBOOT_REQUEST;
}

static void rtas_display_character(Hv *hv, RtasCall *c)
{
    if (c->nargs < 1) {
        ret(c, 0, RTAS_OUT_PARAM_ERROR);
        return;
    }
    putchar((int)(arg(c, 0) & 0xFF));
    fflush(stdout);
    ret(c, 0, RTAS_OUT_SUCCESS);
}

/* query-cpu-stopped-state(id) -> 0 stopped, 2 running (idle in H_CEDE counts as running). */
static void rtas_query_cpu_stopped_state(Hv *hv, RtasCall *c)
{
    if (!shape_is(c, 1, 2))
        return;
    HvVcpu *v = hv_vcpu_by_id(hv, arg(c, 0));
    if (!v) {
        ret(c, 0, RTAS_OUT_PARAM_ERROR);
        return;
    }
    ret(c, 0, RTAS_OUT_SUCCESS);
    ret(c, 1, v->state == HV_VCPU_STOPPED ? RTAS_CPU_STOPPED : RTAS_CPU_RUNNING);
}

/* start-cpu(id, entry, r3): unknown id -> parameter error; not stopped -> hardware error. */
static void rtas_start_cpu(Hv *hv, RtasCall *c)
{
    if (!shape_is(c, 3, 1))
        return;
    HvVcpu *v = hv_vcpu_by_id(hv, arg(c, 0));
    if (!v) {
        ret(c, 0, RTAS_OUT_PARAM_ERROR);
        return;
    }
    if (v->state != HV_VCPU_STOPPED) {
        ret(c, 0, RTAS_OUT_HW_ERROR);
        return;
    }
    hv_vcpu_start(hv, v, c->cpu, arg(c, 1), arg(c, 2));
    ret(c, 0, RTAS_OUT_SUCCESS);
}

/* stop-self: the caller stops (no return, no status written, as QEMU); start-cpu revives it. */
static void rtas_stop_self(Hv *hv, RtasCall *c)
{
    hv_vcpu_stop(hv, hv_vcpu(hv, c->cpu));
}

typedef void (*RtasFn)(Hv *hv, RtasCall *c);

static RtasFn rtas_lookup(uint32_t token)
{
    switch (token) {
    case RTAS_TOKEN_DISPLAY_CHARACTER: return rtas_display_character;
    case RTAS_TOKEN_GET_TIME_OF_DAY: return rtas_get_time_of_day;
    case RTAS_TOKEN_SET_TIME_OF_DAY: return rtas_set_time_of_day;
    case RTAS_TOKEN_POWER_OFF: return rtas_power_off;
    case RTAS_TOKEN_SYSTEM_REBOOT: return rtas_system_reboot;
    case RTAS_TOKEN_QUERY_CPU_STOPPED_STATE: return rtas_query_cpu_stopped_state;
    case RTAS_TOKEN_START_CPU: return rtas_start_cpu;
    case RTAS_TOKEN_STOP_SELF: return rtas_stop_self;
    default: return NULL;
    }
}

/* The return cells go back into the guest's block. */
static void copy_out(Hv *hv, uint64_t addr, const RtasCall *c)
{
    uint64_t off = RTAS_HDR_SIZE + 4ULL * c->nargs;
    if (c->returned)
        (void)hv_write_guest(hv, addr + off, c->block + off, 4ULL * c->nret); /* read before: RAM */
}

long hv_rtas_call(Hv *hv, CPUState *cpu)
{
    uint64_t addr = cpu->gpr[4];
    RtasCall c = { .cpu = cpu };
    if (hv_read_guest(hv, addr, c.block, RTAS_HDR_SIZE) != 0)
        return H_PARAMETER;
    c.token = be32_load(c.block);
    c.nargs = be32_load(c.block + 4);
    c.nret = be32_load(c.block + 8);
    if (c.nargs > RTAS_MAX_CELLS || c.nret > RTAS_MAX_CELLS)
        return H_PARAMETER;
    if (hv_read_guest(hv, addr, c.block, RTAS_HDR_SIZE + 4ULL * (c.nargs + c.nret)) != 0)
        return H_PARAMETER;
    RtasFn fn = rtas_lookup(c.token);
    hv_trace(hv, HV_TRACE_HCALL, "rtas token 0x%x nargs %u nret %u", c.token, c.nargs, c.nret);
    if (!fn) {
        ret(&c, 0, RTAS_OUT_PARAM_ERROR);
        copy_out(hv, addr, &c);
        return H_PARAMETER;
    }
    fn(hv, &c);
    copy_out(hv, addr, &c);
    return H_SUCCESS;
}
