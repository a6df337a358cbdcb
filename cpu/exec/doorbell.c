/*
 * doorbell.c - directed privileged doorbells (Power ISA v3.0B Book III 11.2;
 * 7.5.x "Directed Privileged Doorbell Interrupt", vector 0xA00): msgsndp
 * and msgclrp.  Encodings: cpu/insn-doorbell.decode.
 *
 * msgsndp RB: bits 32:36 the message type, which must be 5 ("directed
 * privileged doorbell") or the instruction does nothing; bits 57:63 the
 * target thread (TIR) within the sender's core.  The doorbell exception of
 * that thread (its DPDES bit) is set; the interrupt is taken when MSR[EE] =
 * 1 and clears the exception (cpu_check_interrupts()).  A target thread
 * number the core does not have does nothing.  msgclrp clears the
 * exception of the executing thread.  Both are privileged.
 *
 * Linux on pseries uses msgsndp for IPIs between SMT siblings (when the
 * partition has more than one thread per core and no KVM /hypervisor
 * node), so -smp N,threads=T > 1 needs them.  QEMU 7.2 cannot be the oracle
 * here: TCG pseries refuses threads > 1, and its POWER9 aborts on the
 * doorbell interrupt ("SDOOR exception not implemented").
 */
#include "cpu/exec/exec.h"
#include "ppc/hfscr.h"

/* HFSCR[MSGP] gates both instructions (Book III 9.2; an L2 whose L1 withholds it exits with HFAC). */
#define REQUIRE_HFSCR_MSGP(cpu)                        \
    do {                                               \
        if (!((cpu)->spr[SPR_HFSCR] & HFSCR_MSGP)) {   \
            cpu_raise_hfac((cpu), HFSCR_IC_MSGP);      \
            return;                                    \
        }                                              \
    } while (0)

#define DBELL_TYPE_SHIFT   (63 - 36)             /* RB bits 32:36 */
#define DBELL_TYPE_MASK    (0x1FULL << DBELL_TYPE_SHIFT)
#define DBELL_TYPE_PRIV    5ULL                  /* directed privileged doorbell */
#define DBELL_TIR_MASK     0x7FULL               /* RB bits 57:63 */

static bool is_priv_doorbell(uint64_t rb)
{
    return ((rb & DBELL_TYPE_MASK) >> DBELL_TYPE_SHIFT) == DBELL_TYPE_PRIV;
}

typedef struct DoorbellTarget {
    int core_first;   /* cpu_index of the core's thread 0 */
    int thread;
} DoorbellTarget;

static void ring(CPUState *target, void *arg)
{
    const DoorbellTarget *t = arg;
    if (target->cpu_index == t->core_first + t->thread)
        target->irq_doorbell = true;
}

void trans_MSGSNDP(CPUState *cpu, const arg_X_rb *a)
{
    uint64_t rb = cpu->gpr[a->rb];
    REQUIRE_SUPERVISOR(cpu);
    REQUIRE_HFSCR_MSGP(cpu);
    unsigned threads = cpu->smt_threads ? cpu->smt_threads : 1;
    uint64_t tir = rb & DBELL_TIR_MASK;
    if (!is_priv_doorbell(rb) || tir >= threads)
        return;
    DoorbellTarget t = { .core_first = cpu->cpu_index - cpu->cpu_index % (int)threads, .thread = (int)tir };
    cpu_for_each_cpu(cpu, ring, &t);
    cpu->end_block = true; /* a doorbell to itself is taken at once if MSR[EE] allows */
}

void trans_MSGCLRP(CPUState *cpu, const arg_X_rb *a)
{
    REQUIRE_SUPERVISOR(cpu);
    REQUIRE_HFSCR_MSGP(cpu);
    if (is_priv_doorbell(cpu->gpr[a->rb]))
        cpu->irq_doorbell = false;
}
