/*
 * config.c - l1hv's boot arguments (/chosen bootargs, docs/l1hv.md):
 *   nesthv.depth=N      the workload runs at level N (default: our level + 1)
 *   nesthv.level=K      our level (default 1); the guest gets K+1
 *   nesthv.api=v1|v2|mixed|auto
 *   nesthv.workload=NAME (default hello)
 *   nesthv.pagesize=4k|64k|2m (default 2m)
 *   nesthv.slice=TICKS  HDEC time slice (default: one second of timebase)
 *   nesthv.v2sync=lazy|full  write-back of nested guests run through v2 (v2.c; default lazy)
 *   nesthv.smp=N             vCPUs of a workload guest (smp.c; default: as many as our CPUs)
 * Anything else is kept and passed on to the guest unchanged.
 */
#include "fw.h"
#include "l1hv.h"

L1hvConfig l1hv_cfg;

static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

static bool eq(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static void append(char *buf, size_t size, const char *s, size_t n)
{
    size_t len = strlen(buf);
    if (len + n + 2 > size)
        l1hv_die("bootargs too long");
    if (len)
        buf[len++] = ' ';
    memcpy(buf + len, s, n);
    buf[len + n] = 0;
}

/* One "key=value" word; false if it is not ours. */
static bool parse_word(const char *w, size_t n)
{
    const char *eqs = NULL;
    for (size_t i = 0; i < n && !eqs; i++)
        if (w[i] == '=')
            eqs = w + i;
    if (!eqs || n < 7 || memcmp(w, "nesthv.", 7) != 0)
        return false;
    const char *key = w + 7, *val = eqs + 1;
    size_t klen = (size_t)(eqs - key), vlen = n - (size_t)(val - w);
    uint64_t v;
    if (eq(key, klen, "depth")) {
        if (!parse_u64(val, vlen, &v) || v < 1 || v > L1HV_MAX_LEVEL)
            l1hv_die("bad nesthv.depth (1..%d)", L1HV_MAX_LEVEL);
        l1hv_cfg.depth = (unsigned)v;
    } else if (eq(key, klen, "level")) {
        if (!parse_u64(val, vlen, &v) || v < 1 || v > L1HV_MAX_LEVEL)
            l1hv_die("bad nesthv.level");
        l1hv_cfg.level = (unsigned)v;
    } else if (eq(key, klen, "api")) {
        if (eq(val, vlen, "v1"))
            l1hv_cfg.api = L1HV_API_V1;
        else if (eq(val, vlen, "v2"))
            l1hv_cfg.api = L1HV_API_V2;
        else if (eq(val, vlen, "mixed"))
            l1hv_cfg.api = L1HV_API_MIXED;
        else if (eq(val, vlen, "auto"))
            l1hv_cfg.api = L1HV_API_AUTO;
        else
            l1hv_die("bad nesthv.api (v1, v2, mixed, auto)");
    } else if (eq(key, klen, "workload")) {
        if (vlen == 0 || vlen >= sizeof(l1hv_cfg.workload))
            l1hv_die("bad nesthv.workload");
        memcpy(l1hv_cfg.workload, val, vlen);
        l1hv_cfg.workload[vlen] = 0;
    } else if (eq(key, klen, "pagesize")) {
        if (eq(val, vlen, "4k"))
            l1hv_cfg.page_shift = RADIX_SHIFT_4K;
        else if (eq(val, vlen, "64k"))
            l1hv_cfg.page_shift = RADIX_SHIFT_64K;
        else if (eq(val, vlen, "2m"))
            l1hv_cfg.page_shift = RADIX_SHIFT_2M;
        else
            l1hv_die("bad nesthv.pagesize (4k, 64k, 2m)");
    } else if (eq(key, klen, "v2sync")) {
        if (eq(val, vlen, "full"))
            l1hv_cfg.v2_full = true;
        else if (eq(val, vlen, "lazy"))
            l1hv_cfg.v2_full = false;
        else
            l1hv_die("bad nesthv.v2sync (lazy, full)");
    } else if (eq(key, klen, "smp")) {
        if (!parse_u64(val, vlen, &v) || v < 1 || v > L1HV_MAX_CPUS)
            l1hv_die("bad nesthv.smp (1..%d)", L1HV_MAX_CPUS);
        l1hv_cfg.smp = (unsigned)v;
    } else if (eq(key, klen, "slice")) {
        if (!parse_u64(val, vlen, &v) || v == 0)
            l1hv_die("bad nesthv.slice");
        l1hv_cfg.slice = v;
    } else {
        return false;
    }
    return true;
}

void l1hv_config_parse(const char *bootargs)
{
    l1hv_cfg.level = 1;
    l1hv_cfg.api = L1HV_API_AUTO;
    l1hv_cfg.page_shift = RADIX_SHIFT_2M;
    memcpy(l1hv_cfg.workload, "hello", 6);
    const char *p = bootargs ? bootargs : "";
    while (*p) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t n = (size_t)(p - w);
        if (n && !parse_word(w, n))
            append(l1hv_cfg.extra, sizeof(l1hv_cfg.extra), w, n);
    }
    if (!l1hv_cfg.depth)
        l1hv_cfg.depth = l1hv_cfg.level + 1;
    if (l1hv_cfg.depth <= l1hv_cfg.level)
        l1hv_die("nesthv.depth=%u: the workload must run below level %u", l1hv_cfg.depth, l1hv_cfg.level);
    if (!l1hv_cfg.slice)
        l1hv_cfg.slice = l1hv_self.tb_hz;
}

const char *l1hv_api_name(enum l1hv_api api)
{
    static const char *const names[] = { "v1", "v2", "mixed", "auto" };
    return names[api];
}

size_t l1hv_config_guest_args(char *buf, size_t size)
{
    static const char *const ps[] = { [RADIX_SHIFT_4K] = "4k", [RADIX_SHIFT_64K] = "64k", [RADIX_SHIFT_2M] = "2m" };
    char smp_arg[24] = "";
    if (l1hv_cfg.smp)
        snprintf(smp_arg, sizeof smp_arg, " nesthv.smp=%u", l1hv_cfg.smp);
    int n = snprintf(buf, size,
                     "nesthv.depth=%u nesthv.level=%u nesthv.api=%s nesthv.workload=%s nesthv.pagesize=%s "
                     "nesthv.slice=%llu nesthv.v2sync=%s%s%s%s",
                     l1hv_cfg.depth, l1hv_cfg.level + 1, l1hv_api_name(l1hv_cfg.api), l1hv_cfg.workload,
                     ps[l1hv_cfg.page_shift], (unsigned long long)l1hv_cfg.slice, l1hv_cfg.v2_full ? "full" : "lazy",
                     smp_arg,
                     l1hv_cfg.extra[0] ? " " : "",
                     l1hv_cfg.extra);
    if (n < 0 || (size_t)n >= size)
        l1hv_die("guest bootargs too long");
    return (size_t)n;
}
