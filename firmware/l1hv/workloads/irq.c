/*
 * irq.c - the l1hv workload that checks the run flags of H_GUEST_RUN_VCPU
 * (check.h L1HV_H_INJECT): it asks the l1hv right above for a system reset,
 * an external interrupt with MSR[EE] off and on, and a privileged doorbell
 * taken when it enables MSR[EE], and prints what it took.  Every l1hv on
 * the way delivers them like the hardware (v2: our hypervisor injects them;
 * v1: l1hv writes the interrupt into the state), so the lines are the same
 * at every level:
 *   irq: reset taken 1 at 0x100
 *   irq: external with EE=0 taken 0
 *   irq: external with EE=1 taken 1 at 0x500
 *   irq: doorbell taken 0 before EE, 1 at 0xa00 after
 * At L1 (no l1hv above): "irq: no l1hv above".
 */
#include "fw.h"
#include "firmware/l1hv/check.h"
#include "trap.h"

#define DEC_FAR 0x7fffffffUL   /* no decrementer interrupt while EE is on */

static volatile unsigned long ntraps, last_vec, last_srr1;

static int on_trap(struct fw_trap *t)
{
    ntraps++;
    last_vec = t->vec;
    last_srr1 = t->srr1;
    return 0; /* asynchronous: resume where it was taken */
}


/* mtmsrd L=1: only MSR[EE] and MSR[RI] change. */
static void ee(bool on)
{
    unsigned long msr = MSR_RI | (on ? MSR_EE : 0);
    __asm__ volatile("mtmsrd %0, 1" : : "r"(msr) : "memory");
}

/* L1HV_H_INJECT(flags), with MSR[EE] as given during and right after the call. */
static long inject(uint64_t flags, bool with_ee)
{
    ntraps = 0;
    last_vec = 0;
    ee(with_ee);
    long rc = hcall(L1HV_H_INJECT, flags);
    ee(false);
    return rc;
}

int main(void)
{
    printf("hello from L%u\n", fw_bootarg_uint("nesthv.level=", 1));
    mtdec(DEC_FAR);
    fw_set_trap_handler(on_trap);
    if (inject(0, false) == H_FUNCTION) {
        printf("irq: no l1hv above\n");
    } else {
        inject(H_GUEST_RUN_SYSTEM_RESET, false);
        printf("irq: reset taken %lu at 0x%lx\n", ntraps, last_vec);
        inject(H_GUEST_RUN_EXT_INTERRUPT, false);
        printf("irq: external with EE=0 taken %lu\n", ntraps);
        mtdec(DEC_FAR);
        inject(H_GUEST_RUN_EXT_INTERRUPT, true);
        printf("irq: external with EE=1 taken %lu at 0x%lx\n", ntraps, last_vec);
        inject(H_GUEST_RUN_PRIV_DOORBELL, false);
        unsigned long before = ntraps;
        mtdec(DEC_FAR);
        ee(true);
        __asm__ volatile("nop; nop" ::: "memory");
        ee(false);
        printf("irq: doorbell taken %lu before EE, %lu at 0x%lx after\n", before, ntraps - before, last_vec);
    }
    console_flush();
    rtas_power_off();
    printf("irq: RTAS power-off failed\n");
    return 1;
}
