/*
 * invalid.c - words that decode to no instruction.
 *
 * Book III 7.5.17: an illegal instruction causes a Hypervisor Emulation
 * Assistance interrupt, which ends cpu_run() with CPU_EXIT_HEAI; L0 then
 * decides what the guest sees (a pseries guest gets a program interrupt,
 * as under KVM and QEMU).
 */
#include "cpu/exec/exec.h"

void trans_INVALID(CPUState *cpu, const DecodedInsn *d)
{
    (void)d;
    cpu_raise_heai(cpu);
}
