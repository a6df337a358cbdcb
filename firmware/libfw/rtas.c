/*
 * rtas.c - RTAS services via KVMPPC_H_RTAS (see rtas.h).
 */
#include <stddef.h>
#include "fdt.h"
#include "fwstring.h"
#include "hcall.h"
#include "rtas.h"

#define RTAS_HDR_WORDS 3    /* token, nargs, nret */

struct rtas_fallback {
    const char *name;
    int token;
};

/* Used when there is no FDT /rtas node (tokens QEMU and nesthv hand out). */
static const struct rtas_fallback fallback_tokens[] = {
    { "display-character",       RTAS_TOKEN_DISPLAY_CHARACTER },
    { "get-time-of-day",         RTAS_TOKEN_GET_TIME_OF_DAY },
    { "set-time-of-day",         RTAS_TOKEN_SET_TIME_OF_DAY },
    { "power-off",               RTAS_TOKEN_POWER_OFF },
    { "system-reboot",           RTAS_TOKEN_SYSTEM_REBOOT },
    { "query-cpu-stopped-state", RTAS_TOKEN_QUERY_CPU_STOPPED_STATE },
    { "start-cpu",               RTAS_TOKEN_START_CPU },
    { "stop-self",               RTAS_TOKEN_STOP_SELF },
};

static uint32_t rtas_block[RTAS_HDR_WORDS + RTAS_ARGS_MAX] __attribute__((aligned(16)));

int rtas_token(const char *name)
{
    const void *fdt = fw_fdt();
    int node = fdt ? fdt_node_by_path(fdt, "/rtas") : FDT_ERR;
    uint32_t tok;
    size_t i;

    if (node >= 0)
        return fdt_prop_u32(fdt, node, name, &tok) ? -1 : (int)tok;
    for (i = 0; i < sizeof(fallback_tokens) / sizeof(fallback_tokens[0]); i++) {
        if (strcmp(fallback_tokens[i].name, name) == 0)
            return fallback_tokens[i].token;
    }
    return -1;
}

int rtas_call(int token, int nargs, const uint32_t *args, int nret, uint32_t *rets)
{
    uint32_t *a = rtas_block + RTAS_HDR_WORDS;
    int i;

    if (token < 0 || nargs < 0 || nret < 1 || nargs + nret > RTAS_ARGS_MAX)
        return RTAS_ERR_CALL;
    rtas_block[0] = __builtin_bswap32((uint32_t)token);
    rtas_block[1] = __builtin_bswap32((uint32_t)nargs);
    rtas_block[2] = __builtin_bswap32((uint32_t)nret);
    for (i = 0; i < nargs + nret; i++)
        a[i] = i < nargs ? __builtin_bswap32(args[i]) : 0;
    if (hcall(KVMPPC_H_RTAS, (unsigned long)rtas_block) != H_SUCCESS)
        return RTAS_ERR_CALL;
    for (i = 0; i < nret; i++)
        rets[i] = __builtin_bswap32(a[nargs + i]);
    return (int)rets[0];
}

int rtas_call_name(const char *name, int nargs, const uint32_t *args, int nret,
                   uint32_t *rets)
{
    return rtas_call(rtas_token(name), nargs, args, nret, rets);
}

int rtas_power_off(void)
{
    const uint32_t args[2] = { 0, 0 };      /* power-on mask: none */
    uint32_t ret;

    return rtas_call_name("power-off", 2, args, 1, &ret);
}

int rtas_display_character(char c)
{
    const uint32_t arg = (unsigned char)c;
    uint32_t ret;

    return rtas_call_name("display-character", 1, &arg, 1, &ret);
}

int rtas_get_time_of_day(int tod[RTAS_TOD_FIELDS])
{
    uint32_t rets[1 + RTAS_TOD_FIELDS];
    int i, st = rtas_call_name("get-time-of-day", 0, NULL, 1 + RTAS_TOD_FIELDS, rets);

    if (st == RTAS_SUCCESS) {
        for (i = 0; i < RTAS_TOD_FIELDS; i++)
            tod[i] = (int)rets[1 + i];
    }
    return st;
}

int rtas_set_time_of_day(const int tod[RTAS_TOD_FIELDS])
{
    uint32_t args[RTAS_TOD_FIELDS], ret;
    int i;

    for (i = 0; i < RTAS_TOD_FIELDS; i++)
        args[i] = (uint32_t)tod[i];
    return rtas_call_name("set-time-of-day", RTAS_TOD_FIELDS, args, 1, &ret);
}
