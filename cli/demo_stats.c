/*
 * demo_stats.c - NHV-STATS lines in, the per-level table out (demo_stats.h).
 */
#include "cli/demo_stats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(...)                           \
    do {                                    \
        snprintf(err, errlen, __VA_ARGS__); \
        return -1;                          \
    } while (0)

static const char *const exit_keys[DEMO_EXIT_NR] = { "hcall", "hdec", "hdsi", "hisi", "heai", "other" };

/* Skip "[Lk] " prefixes (any number, as each level forwards its guest's console with its own). */
static const char *skip_prefixes(const char *p)
{
    while (p[0] == '[' && p[1] == 'L') {
        const char *q = p + 2;
        while (*q >= '0' && *q <= '9')
            q++;
        if (q == p + 2 || q[0] != ']')
            break;
        p = q + 1;
        while (*p == ' ')
            p++;
    }
    return p;
}

static int parse_dec(const char *s, size_t n, uint64_t *out)
{
    char buf[32];
    char *end;
    if (n == 0 || n >= sizeof(buf) || s[0] < '0' || s[0] > '9')
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

/* The counter a key names, or NULL (unknown keys are ignored). */
static uint64_t *key_slot(DemoLevelStats *o, const char *k, size_t n, unsigned *bit)
{
    static const char *const names[] = { "exits", "handled", "reflected", "shadow_faults", "hcalls", "guest_tb" };
    uint64_t *slots[] = { &o->exits, &o->handled, &o->reflected, &o->shadow_faults, &o->hcalls, &o->guest_tb };
    for (unsigned i = 0; i < DEMO_EXIT_NR; i++)
        if (strlen(exit_keys[i]) == n && !memcmp(k, exit_keys[i], n)) {
            *bit = i;
            return &o->by_reason[i];
        }
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i]) == n && !memcmp(k, names[i], n)) {
            *bit = DEMO_EXIT_NR + i;
            return slots[i];
        }
    return NULL;
}

#define ALL_KEYS ((1u << (DEMO_EXIT_NR + 6)) - 1)

static int parse_pairs(const char *p, DemoLevelStats *o, char *err, size_t errlen)
{
    unsigned seen = 0;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (!*p)
            break;
        const char *eq = strchr(p, '='), *end = p + strcspn(p, " \t\r");
        if (!eq || eq > end)
            FAIL("NHV-STATS L%d: '%.*s' is not key=value", o->level, (int)(end - p), p);
        if (!strncmp(p, "api=", 4)) {
            size_t n = (size_t)(end - eq - 1);
            if (!((n == 2 && !memcmp(eq + 1, "v1", 2)) || (n == 2 && !memcmp(eq + 1, "v2", 2))))
                FAIL("NHV-STATS L%d: api=%.*s (want v1 or v2)", o->level, (int)n, eq + 1);
            memcpy(o->api, eq + 1, 2);
            o->api[2] = '\0';
        } else {
            unsigned bit;
            uint64_t *slot = key_slot(o, p, (size_t)(eq - p), &bit);
            if (slot) {
                if (parse_dec(eq + 1, (size_t)(end - eq - 1), slot))
                    FAIL("NHV-STATS L%d: %.*s is not a decimal number", o->level, (int)(end - p), p);
                seen |= 1u << bit;
            }
        }
        p = end;
    }
    if (!o->api[0])
        FAIL("NHV-STATS L%d: no api=", o->level);
    for (unsigned i = 0; i < DEMO_EXIT_NR + 6; i++)
        if (!(seen & (1u << i))) {
            static const char *const rest[] = { "exits", "handled", "reflected", "shadow_faults", "hcalls", "guest_tb" };
            FAIL("NHV-STATS L%d: no %s=", o->level, i < DEMO_EXIT_NR ? exit_keys[i] : rest[i - DEMO_EXIT_NR]);
        }
    return 0;
}

int demo_parse_stats_line(const char *line, DemoLevelStats *out, char *err, size_t errlen)
{
    const char *p = skip_prefixes(line);
    size_t tag = strlen(DEMO_STATS_TAG);
    if (strncmp(p, DEMO_STATS_TAG, tag) || (p[tag] != ' ' && p[tag] != '\0'))
        return 0;
    memset(out, 0, sizeof(*out));
    p += tag;
    while (*p == ' ')
        p++;
    uint64_t level;
    size_t n = strcspn(p + 1, " \t\r");
    if (p[0] != 'L' || parse_dec(p + 1, n, &level) || level < 1 || level >= DEMO_MAX_LEVELS)
        FAIL("malformed NHV-STATS line (want 'NHV-STATS L<k> api=...' with k from 1 to %d): %.80s",
             DEMO_MAX_LEVELS - 1, line);
    out->level = (int)level;
    if (parse_pairs(p + 1 + n, out, err, errlen))
        return -1;
    out->present = true;
    return 1;
}

int demo_missing_level(const DemoStats *s)
{
    for (int k = 1; k < s->depth; k++)
        if (!s->level[k].present)
            return k;
    return 0;
}

/* Time the subtree from level k down ran: L1's is the whole machine's, L(k+1)'s is what Lk reported. */
static uint64_t subtree_tb(const DemoStats *s, int k)
{
    return s->level[k - 1].guest_tb;
}

double demo_level_share(const DemoStats *s, int k)
{
    uint64_t total = s->level[0].guest_tb;
    if (!s->clock_counts_insns || total == 0 || k < 1 || k > s->depth || demo_missing_level(s))
        return -1;
    uint64_t mine = subtree_tb(s, k);
    uint64_t below = k < s->depth ? subtree_tb(s, k + 1) : 0;
    return mine > below ? (double)(mine - below) / (double)total : 0.0;
}

/* ---- rendering ------------------------------------------------------------------------- */

static void role(const DemoStats *s, int k, char *buf, size_t n)
{
    if (k == 0)
        snprintf(buf, n, "nesthv L0 (C)");
    else if (k == s->depth)
        snprintf(buf, n, "workload %s", s->workload ? s->workload : "?");
    else if (!s->level[k].present)
        snprintf(buf, n, "l1hv (no NHV-STATS)");
    else
        snprintf(buf, n, "l1hv (%s to L%d)", s->level[k].api, k - 1);
}

static void print_row(FILE *out, const DemoStats *s, int k)
{
    char r[48], share[16] = "-";
    const DemoLevelStats *l = &s->level[k];
    role(s, k, r, sizeof(r));
    double sh = k ? demo_level_share(s, k) : -1;
    if (sh >= 0)
        snprintf(share, sizeof(share), "%.1f%%", 100.0 * sh);
    else if (k)
        snprintf(share, sizeof(share), "n/a");
    fprintf(out, "L%-3d %-20s", k, r);
    if (k == s->depth || !l->present) {
        fprintf(out, " %9s %8s %7s %7s %7s %6s %7s %9s %9s %8s %8s %7s\n", "-", "-", "-", "-", "-", "-", "-", "-", "-",
                "-", "-", share);
        return;
    }
    fprintf(out, " %9llu", (unsigned long long)l->exits);
    static const int width[DEMO_EXIT_NR] = { 8, 7, 7, 7, 6, 7 };
    for (int i = 0; i < DEMO_EXIT_NR; i++)
        fprintf(out, " %*llu", width[i], (unsigned long long)l->by_reason[i]);
    fprintf(out, " %9llu %9llu %8llu %8llu %7s\n", (unsigned long long)l->handled, (unsigned long long)l->reflected,
            (unsigned long long)l->shadow_faults, (unsigned long long)l->hcalls, share);
}

void demo_print_table(FILE *out, const DemoStats *s)
{
    fprintf(out, "\nnesthv demo: depth %d, api %s, workload %s\n", s->depth, s->api ? s->api : "mixed",
            s->workload ? s->workload : "hello");
    fprintf(out, "%-25s %9s %8s %7s %7s %7s %6s %7s %9s %9s %8s %8s %7s\n", "level", "exits", "hcall", "hdec", "hdsi",
            "hisi", "heai", "other", "handled", "reflected", "shadow-f", "hcalls", "insns");
    for (int k = 0; k <= s->depth; k++)
        print_row(out, s, k);
    fprintf(out,
            "exits: exits of the guests that level's hypervisor runs, by reason (L0: its L1 and the shadow guests\n"
            "  it runs for it -- every deeper level runs on L0 as one of those); handled there, or reflected: passed\n"
            "  on to the next level, the hypervisor of the guest that exited.  shadow-f: nested-guest faults fixed\n"
            "  in that level's shadow page tables.  hcalls: L0: hypercalls it handled (all made by L1); Lk: the\n"
            "  hypercalls l1hv at level k made to its own hypervisor.\n"
            "insns: share of the machine's guest instructions executed at that level.  Under the deterministic\n"
            "  clock the timebase counts instructions, so the time level k's guest ran (guest_tb of NHV-STATS Lk)\n"
            "  minus the time its own guest ran is level k's share; L1's time is the whole run.  Idle time counts\n"
            "  where the vCPU idled; with several vCPUs, times are summed over them.  Level k times its guest\n"
            "  around its own enter/run hypercall, so that time also holds what the levels above spend switching\n"
            "  it in and out: the subtraction charges it to the deeper levels, and a level whose guest's time\n"
            "  exceeds its own shows 0.0%% (then the shares add up to more than 100%%: approximate above L1).\n");
}
