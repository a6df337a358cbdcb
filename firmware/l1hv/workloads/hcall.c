/*
 * hcall.c - the l1hv benchmark workload: "hello from L<N>", then
 * hcalls=COUNT (boot argument, default 256) null hypercalls
 * (H_GET_TERM_CHAR: answered by the l1hv right above it without a call
 * further up), "hcalls <count>", power-off.  Runs with hcalls=0 and
 * hcalls=256 differ only by the hypercalls: their difference in L0 exits
 * and instructions, over 256, is the price of one guest hypercall at that
 * depth (tests/l1hv/bench.sh, docs/l1hv.md).
 */
#include "fw.h"

#define HCALL_COUNT 256  /* default */

/* The decimal value of "key" in /chosen bootargs, or def. */
static unsigned boot_arg(const char *key, unsigned def)
{
    const void *fdt = fw_fdt();
    int chosen = fdt ? fdt_node_by_path(fdt, "/chosen") : FDT_ERR;
    const char *args = chosen >= 0 ? fdt_prop_str(fdt, chosen, "bootargs") : NULL;
    unsigned v = def;
    for (const char *p = args; p && *p; p++) {
        if ((p == args || p[-1] == ' ') && strncmp(p, key, strlen(key)) == 0) {
            v = 0;
            for (p += strlen(key); *p >= '0' && *p <= '9'; p++)
                v = v * 10 + (unsigned)(*p - '0');
            break;
        }
    }
    return v;
}

int main(void)
{
    printf("hello from L%u\n", boot_arg("nesthv.level=", 1));
    unsigned ok = 0, n = boot_arg("hcalls=", HCALL_COUNT);
    for (unsigned i = 0; i < n; i++)
        ok += hcall(H_GET_TERM_CHAR, 0) == H_SUCCESS;
    printf("hcalls %u\n", ok);
    console_flush();
    rtas_power_off();
    printf("hcall: RTAS power-off failed\n");
    return 1;
}
