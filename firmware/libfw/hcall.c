/*
 * hcall.c - the one place that executes "sc 1" (PAPR hypercall).
 *
 * Register convention (PAPR 14.5.3): r3 = opcode in / status out, r4..r11 =
 * arguments in / results out; r0, r12, CTR, XER and CR0/1/5/6/7 are volatile.
 */
#include "hcall.h"

long hcall_ret(unsigned long *ret, unsigned long op,
               unsigned long a0, unsigned long a1, unsigned long a2, unsigned long a3,
               unsigned long a4, unsigned long a5, unsigned long a6, unsigned long a7)
{
    register unsigned long r3 __asm__("r3") = op;
    register unsigned long r4 __asm__("r4") = a0;
    register unsigned long r5 __asm__("r5") = a1;
    register unsigned long r6 __asm__("r6") = a2;
    register unsigned long r7 __asm__("r7") = a3;
    register unsigned long r8 __asm__("r8") = a4;
    register unsigned long r9 __asm__("r9") = a5;
    register unsigned long r10 __asm__("r10") = a6;
    register unsigned long r11 __asm__("r11") = a7;

    __asm__ volatile("sc 1"
                     : "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7),
                       "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r11)
                     :
                     : "r0", "r12", "ctr", "xer", "cr0", "cr1", "cr5", "cr6", "cr7",
                       "memory");
    if (ret) {
        ret[0] = r4; ret[1] = r5; ret[2] = r6; ret[3] = r7;
        ret[4] = r8; ret[5] = r9; ret[6] = r10; ret[7] = r11;
    }
    return (long)r3;
}
