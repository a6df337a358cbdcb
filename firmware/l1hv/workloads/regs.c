/*
 * regs.c - the l1hv workload that checks the hosted state (check.h):
 * "hello from L<N>", then registers an hcall exit does not report (GPR20,
 * GPR29, CTR, SPRG2) and SPRs outside hv_guest_state (DAR, DSISR, AMR,
 * DSCR, DEC) set from a seed, the private hypercall L1HV_H_CHECK to the
 * l1hv right above, which reads them through its API and sets GPR21 and
 * SPRG3; prints "regs: host saw all" / "regs: host saw wrong 0x<mask>" and
 * "regs: host set ok" / "... wrong", power-off.  At L1 (no l1hv above) it
 * prints "regs: no l1hv above".
 */
#include "fw.h"
#include "firmware/l1hv/check.h"

#define SEED_BASE 0x5eed0000UL
#define CHECK_DEC 0x7000000UL   /* far enough not to expire during the check */


/*
 * Set the registers and make the call in one asm block (nothing may touch
 * them in between); r3 = the return code, r4 = the mask, *gpr21 = GPR21 after.
 * The immediates are check.h's values (xori of the seed in r4; DSISR, AMR, DSCR fixed).
 */
static long check_call(unsigned long seed, unsigned long t0, unsigned long dec, unsigned long *mask,
                       unsigned long *gpr21)
{
    register unsigned long r3 __asm__("r3") = L1HV_H_CHECK;
    register unsigned long r4 __asm__("r4") = seed;
    register unsigned long r5 __asm__("r5") = t0;
    register unsigned long r6 __asm__("r6") = dec;
    unsigned long g21;
    __asm__ volatile("xori 20, 4, 0x20\n\t"
                     "xori 29, 4, 0x29\n\t"
                     "xori 0, 4, 0x09\n\t"
                     "mtctr 0\n\t"
                     "xori 0, 4, 0x112\n\t"
                     "mtspr 274, 0\n\t"    /* SPRG2 */
                     "xori 0, 4, 0x19\n\t"
                     "mtspr 19, 0\n\t"     /* DAR */
                     "lis 0, 0x4200\n\t"
                     "mtspr 18, 0\n\t"     /* DSISR */
                     "li 0, 0x30\n\t"
                     "mtspr 29, 0\n\t"     /* AMR */
                     "li 0, 0x5\n\t"
                     "mtspr 17, 0\n\t"     /* DSCR */
                     "mtspr 22, 6\n\t"     /* DEC */
                     "sc 1\n\t"
                     "mr %[g21], 21"
                     : "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), [g21] "=r"(g21)
                     :
                     : "r0", "r7", "r8", "r9", "r10", "r11", "r12", "r20", "r21", "r29", "ctr", "lr", "xer",
                       "cr0", "cr1", "cr5", "cr6", "cr7", "memory");
    *mask = r4;
    *gpr21 = g21;
    return (long)r3;
}

int main(void)
{
    unsigned level = fw_bootarg_uint("nesthv.level=", 1);
    printf("hello from L%u\n", level);
    unsigned long seed = SEED_BASE + level, mask = 0, gpr21 = 0;
    _Static_assert(L1HV_CHK_NR == 9, "check_call sets every register of check.h");
    long rc = check_call(seed, mftb(), CHECK_DEC, &mask, &gpr21);
    unsigned long sprg3 = mfspr(SPR_SPRG3);
    if (rc == H_FUNCTION) {
        printf("regs: no l1hv above\n");
    } else if (rc != H_SUCCESS) {
        printf("regs: check call failed (%ld)\n", rc);
    } else {
        if (mask == 0)
            printf("regs: host saw all\n");
        else
            printf("regs: host saw wrong 0x%lx\n", mask);
        if (gpr21 == l1hv_check_gpr21(seed) && sprg3 == l1hv_check_sprg3(seed))
            printf("regs: host set ok\n");
        else
            printf("regs: host set wrong: gpr21 0x%lx sprg3 0x%lx\n", gpr21, sprg3);
    }
    console_flush();
    rtas_power_off();
    printf("regs: RTAS power-off failed\n");
    return 1;
}
