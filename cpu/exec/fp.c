/*
 * fp.c - Floating-Point, VMX and VSX facility checks (Power ISA v3.0B
 * Book I 4, 6, 7; Book III 7.5.11 FP unavailable, 7.5.22 vector
 * unavailable, 7.5.23 VSX unavailable).
 *
 * The instructions themselves are not emulated yet.  With its facility off
 * (MSR[FP], MSR[VEC], MSR[VSX]) an instruction raises the facility
 * unavailable interrupt, which is what a guest OS that saves FP/vector
 * state lazily relies on; with the facility on the machine halts with the
 * mnemonic -- never a silent no-op.
 *
 * Which facility bit an instruction checks is QEMU 7.2's choice
 * (firmware/tests/isa/fpunavail.c): most VSX loads/stores, lxsd/lxssp/
 * stxsd/stxssp and opcode 60 check MSR[VSX] whatever the register;
 * lxv, stxv, lxvx, stxvx, lxvl(l), stxvl(l) and lxvwsx check MSR[VSX] for
 * VSR 0..31 and MSR[VEC] for VSR 32..63.
 */
#include "cpu/exec/exec.h"

static NESTHV_COLD void unimplemented(CPUState *cpu)
{
    cpu_halt(cpu, "unimplemented instruction %s at 0x%016llx",
             insn_names[cpu_current_insn(cpu)->id], (unsigned long long)cpu->cia);
}

static inline void need_facility(CPUState *cpu, uint64_t msr_bit, uint32_t vector)
{
    if (!(cpu->msr & msr_bit))
        cpu_raise_facility_unavailable(cpu, vector);
    else
        unimplemented(cpu);
}

static inline void do_fp(CPUState *cpu)  { need_facility(cpu, MSR_FP, EXCP_FPU); }
static inline void do_vmx(CPUState *cpu) { need_facility(cpu, MSR_VEC, EXCP_VMX_UNAVAIL); }
static inline void do_vsx(CPUState *cpu) { need_facility(cpu, MSR_VSX, EXCP_VSX_UNAVAIL); }

/* ISA 3.0 VSX loads/stores: VSR 32..63 are the vector registers. */
static inline void do_vsx_reg(CPUState *cpu, int tx)
{
    if (tx)
        do_vmx(cpu);
    else
        do_vsx(cpu);
}

/* MSR[FP]: FP loads/stores, opcodes 59 and 63 */
#define FP_INSNS(X) \
    X(LFS) X(LFSU) X(LFD) X(LFDU) X(STFS) X(STFSU) \
    X(STFD) X(STFDU) X(LFSX) X(LFSUX) X(LFDX) X(LFDUX) \
    X(LFIWAX) X(LFIWZX) X(STFSX) X(STFSUX) X(STFDX) X(STFDUX) \
    X(STFIWX) X(LFDPX) X(STFDPX) X(LFDP) X(STFDP) X(FDIVS) \
    X(FSUBS) X(FADDS) X(FSQRTS) X(FRES) X(FMULS) X(FRSQRTES) \
    X(FMSUBS) X(FMADDS) X(FNMSUBS) X(FNMADDS) X(FCFIDS) X(FCFIDUS) \
    X(FP_OP59) X(FDIV) X(FSUB) X(FADD) X(FSQRT) X(FSEL) \
    X(FRE) X(FMUL) X(FRSQRTE) X(FMSUB) X(FMADD) X(FNMSUB) \
    X(FNMADD) X(FCMPU) X(FCMPO) X(FCPSGN) X(FRSP) X(FCTIW) \
    X(FCTIWZ) X(MTFSB1) X(FNEG) X(MCRFS) X(MTFSB0) X(FMR) \
    X(MTFSFI) X(FNABS) X(FABS) X(FRIN) X(FRIZ) X(FRIP) \
    X(FRIM) X(MFFS) X(MTFSF) X(FCTID) X(FCTIDZ) X(FCFID) \
    X(FCFIDU) X(FP_OP63) \
    /* end */

/* MSR[VEC]: VMX loads/stores and opcode 4 */
#define VMX_INSNS(X) \
    X(LVSL) X(LVSR) X(LVEBX) X(LVEHX) X(LVEWX) X(LVX) \
    X(LVXL) X(STVEBX) X(STVEHX) X(STVEWX) X(STVX) X(STVXL) \
    X(MFVSCR) X(MTVSCR) X(VMX_OP4) X(VMX_OP4_VA2) X(VMX_OP4_VA4) \
    X(VMX_OP4_VA5) \
    /* end */

/* MSR[VSX] whatever the register: the XX1-form VSX loads/stores without a
   vector-register variant in QEMU 7.2 */
#define VSX_INSNS(X) \
    X(LXSIWZX) X(LXSIWAX) X(LXVDSX) X(STXSIWX) X(LXSSPX) X(LXSDX) \
    X(STXSSPX) X(STXSDX) X(LXVW4X) X(LXVD2X) X(STXVW4X) X(STXVD2X) \
    X(LXSIBZX) X(LXSIHZX) X(STXSIBX) X(STXSIHX) X(LXVH8X) X(LXVB16X) \
    X(STXVH8X) X(STXVB16X) \
    /* end */

/* MSR[VSX] or MSR[VEC] by the target/source register */
#define VSX_REG_INSNS(X) \
    X(LXV) X(STXV) X(LXVX) X(STXVX) X(LXVL) X(LXVLL) \
    X(STXVL) X(STXVLL) X(LXVWSX) \
    /* end */

#define DEF_FP(NAME)  void trans_##NAME(CPUState *cpu, const arg_empty *a) { do_fp(cpu); }
#define DEF_VMX(NAME) void trans_##NAME(CPUState *cpu, const arg_empty *a) { do_vmx(cpu); }
#define DEF_VSX(NAME) void trans_##NAME(CPUState *cpu, const arg_vsx_reg *a) { do_vsx(cpu); }
#define DEF_VSX_REG(NAME) \
    void trans_##NAME(CPUState *cpu, const arg_vsx_reg *a) { do_vsx_reg(cpu, a->tx); }

FP_INSNS(DEF_FP)
VMX_INSNS(DEF_VMX)
VSX_INSNS(DEF_VSX)
VSX_REG_INSNS(DEF_VSX_REG)

/* MSR[VSX]: opcode 60 (VSX arithmetic, logical, permute) and the DS-form
   scalar loads/stores lxsd, lxssp, stxsd, stxssp (QEMU 7.2 checks MSR[VSX]
   for them although they only reach VSR 32..63). */
#define VSX_NOREG_INSNS(X) \
    X(VSX_OP60) X(LXSD) X(LXSSP) X(STXSD) X(STXSSP)

#define DEF_VSX_NOREG(NAME) void trans_##NAME(CPUState *cpu, const arg_empty *a) { do_vsx(cpu); }

VSX_NOREG_INSNS(DEF_VSX_NOREG)
