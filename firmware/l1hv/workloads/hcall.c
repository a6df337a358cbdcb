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


int main(void)
{
    printf("hello from L%u\n", fw_bootarg_uint("nesthv.level=", 1));
    unsigned ok = 0, n = fw_bootarg_uint("hcalls=", HCALL_COUNT);
    for (unsigned i = 0; i < n; i++)
        ok += hcall(H_GET_TERM_CHAR, 0) == H_SUCCESS;
    printf("hcalls %u\n", ok);
    console_flush();
    rtas_power_off();
    printf("hcall: RTAS power-off failed\n");
    return 1;
}
