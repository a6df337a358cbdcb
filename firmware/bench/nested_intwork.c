/*
 * nested_intwork.c - the integer workload of intwork.c run by an L2 guest
 * (an L1 hypervisor, the nested tests' nhv.h, enters it with H_ENTER_NESTED
 * and forwards its console output): compared with intwork, what nesting
 * costs on straight-line code (seed 000: close to a non-nested guest).
 * Same checks, same output as intwork.
 */
#define main intwork_main
#include "intwork.c"
#undef main
#include "../tests/nested/nhv.h"

static NhvGuest g;

static unsigned long l2_intwork(unsigned long unused)
{
    (void)unused;
    return (unsigned long)intwork_main();
}

int main(void)
{
    nhv_init(0);
    nhv_guest_init(&g, 1, NULL);
    nhv_call(&g, l2_intwork, 0);
    return (int)nhv_run_done(&g);
}
