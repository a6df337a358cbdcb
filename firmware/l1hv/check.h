/*
 * check.h - the register check between the "regs" workload and the l1hv
 * right above it (docs/l1hv.md "Checking the hosted state").
 *
 * The workload sets registers that an hcall exit does not report (GPR20,
 * GPR29, CTR, SPRG2) and SPRs outside hv_guest_state (DAR, DSISR, AMR,
 * DSCR, DEC), all derived from a seed, then makes the private hypercall
 * L1HV_H_CHECK(seed, tb before mtdec, dec).  Its l1hv reads them through
 * its own API (v2: H_GUEST_GET_STATE through the lazy cache; v1: the
 * write-back and the CPU), prints one line, and answers r4 = the mask of
 * wrong ones, with GPR21 and SPRG3 set to values the workload checks
 * after the call (the SET direction).  Each l1hv between them and L0 must
 * have carried every value both ways.
 */
#ifndef FW_L1HV_CHECK_H
#define FW_L1HV_CHECK_H

#include <stdint.h>

/* Private hypercalls in the KVM-specific range (KVMPPC_H_RTAS is 0xF000); L0 answers H_FUNCTION. */
#define L1HV_H_CHECK  0xF0F0
/* L1HV_H_INJECT(flags): the caller's next run gets these H_GUEST_RUN_VCPU flags (the "irq" workload). */
#define L1HV_H_INJECT 0xF0F1

enum l1hv_check_reg {
    L1HV_CHK_GPR20, L1HV_CHK_GPR29, L1HV_CHK_CTR, L1HV_CHK_SPRG2, L1HV_CHK_DAR, L1HV_CHK_DSISR,
    L1HV_CHK_AMR, L1HV_CHK_DSCR, L1HV_CHK_DEC, L1HV_CHK_NR
};
#define L1HV_CHK_NAMES { "gpr20", "gpr29", "ctr", "sprg2", "dar", "dsisr", "amr", "dscr", "dec" }

/* What the workload puts in each (DEC: checked as an expiry range, not a value). */
static inline uint64_t l1hv_check_value(uint64_t seed, enum l1hv_check_reg r)
{
    switch (r) {
    case L1HV_CHK_GPR20: return seed ^ 0x20;
    case L1HV_CHK_GPR29: return seed ^ 0x29;
    case L1HV_CHK_CTR:   return seed ^ 0x09;
    case L1HV_CHK_SPRG2: return seed ^ 0x112;
    case L1HV_CHK_DAR:   return seed ^ 0x19;
    case L1HV_CHK_DSISR: return 0x42000000;
    case L1HV_CHK_AMR:   return 0x30;
    case L1HV_CHK_DSCR:  return 0x5;
    default:             return 0;
    }
}

/* What the l1hv sets in return (GPR21 and SPRG3). */
static inline uint64_t l1hv_check_gpr21(uint64_t seed) { return seed ^ 0x21; }
static inline uint64_t l1hv_check_sprg3(uint64_t seed) { return seed ^ 0x113; }

#endif
