/*
 * cpu.h - one emulated POWER9-class hardware thread (Power ISA v3.0B).
 *
 * The CPU only ever runs guest code (MSR[HV] = 0 in the emulated thread):
 * L0, the hypervisor, is C code in hv/.  An interrupt that targets the
 * hypervisor (sc 1, HDSI, HISI, HDEC, HEAI, HFAC, HVIRT) does not branch to
 * a vector: it fills the hypervisor registers the way hardware would
 * (HSRR0/HSRR1, HDAR, HDSISR, ASDR, HEIR) and ends cpu_run() with an exit
 * reason, exactly like KVM_RUN returning to a VMM.  Interrupts that target
 * the guest OS (DSI, ISI, DEC, program, system call ...) are delivered
 * inside the guest by cpu_interrupt().
 *
 * Speed: instructions are decoded once into DecodedInsn records kept per
 * 4 KiB page of real memory (cpu/icache.c); the run loop fetches through a
 * pointer to the current decoded page.  Memory accesses go through a small
 * software TLB of EA page -> host pointer (cpu/mem.h).  Timers are checked
 * at block boundaries: the run loop executes at most up to the next timer
 * deadline, and anything that may unmask an interrupt ends the block.
 *
 * Threading: a CPUState is owned by the thread running cpu_run() on it
 * ("vCPU thread only").  The threads of one machine (SMP) share only the
 * decoded-instruction cache (cpu_init_sibling()) and RAM; the machine runs
 * them one at a time and may touch a thread's state (its interrupt inputs,
 * its TLB through cpu_for_each_cpu()) only while it is not in cpu_run().
 */
#ifndef NESTHV_CPU_H
#define NESTHV_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppc/bits.h"
#include "ppc/excp.h"
#include "ppc/lpcr.h"
#include "ppc/msr.h"
#include "ppc/spr.h"
#include "decode.h"
#include "mmu/mmu_state.h"

typedef uint64_t ea_t;  /* effective address, as the program sees it */
typedef uint64_t gra_t; /* guest real address (after process-scoped translation) */
typedef uint64_t hra_t; /* host-real address: offset into the machine RAM backing all partitions */

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define NESTHV_COLD __attribute__((noinline, cold))
#define NESTHV_MUST_CHECK __attribute__((warn_unused_result))

#define CPU_PAGE_BITS 12
#define CPU_PAGE_SIZE (1ULL << CPU_PAGE_BITS)
#define CPU_PAGE_MASK (~(CPU_PAGE_SIZE - 1))

/* Why cpu_run() returned. */
typedef enum CpuExit {
    CPU_EXIT_BUDGET = 0,  /* executed the requested number of instructions */
    CPU_EXIT_HCALL,       /* sc 1 from guest supervisor state (vector 0xC00 to the HV) */
    CPU_EXIT_HDSI,        /* partition-scoped data storage fault */
    CPU_EXIT_HISI,        /* partition-scoped instruction storage fault */
    CPU_EXIT_HDEC,        /* hypervisor decrementer */
    CPU_EXIT_HEAI,        /* hypervisor emulation assistance (HEIR holds the word) */
    CPU_EXIT_HFAC,        /* hypervisor facility unavailable */
    CPU_EXIT_HVIRT,       /* hypervisor virtualization interrupt */
    CPU_EXIT_HEXT,        /* external interrupt to the hypervisor (LPCR[LPES] = 0: an L2 runs) */
    CPU_EXIT_IDLE,        /* the thread has nothing to run until an interrupt (wait/cede) */
    CPU_EXIT_HALT,        /* the machine cannot continue: see cpu->halt_msg */
    CPU_EXIT__COUNT
} CpuExit;

/* Timebase source. */
typedef enum CpuClock {
    CPU_CLOCK_ICOUNT = 0, /* deterministic: timebase derived from executed instructions */
    CPU_CLOCK_HOST,       /* real time: timebase follows the host monotonic clock */
} CpuClock;

/* One software TLB entry: tag = EA page | context, host = addend + EA. */
typedef struct TlbEntry {
    uint64_t tag;
    uintptr_t addend;
} TlbEntry;

#define TLB_BITS 8
#define TLB_SIZE (1u << TLB_BITS)
#define TLB_INVALID_TAG 1ULL /* never matches: real tags have 0 in bit 0 of the context */

typedef struct ICache ICache;
typedef struct DecodedPage DecodedPage;

/*
 * Real memory as the hardware sees it: L0's host-real space (hv/partition.h;
 * guest real addresses reach it through the partition-scoped tree, mmu/), or
 * a unit test's buffer (no partition table: partition scope is the identity).
 */
typedef struct PhysMem {
    uint8_t *ram;        /* host pointer of real address 0 */
    uint64_t ram_size;   /* bytes of real memory */
} PhysMem;

typedef struct CPUState {
    /* ---- hot architectural state ---- */
    uint64_t gpr[32];
    uint64_t nip;        /* next instruction address (set to cia+4 before a handler runs) */
    uint64_t cia;        /* address of the instruction being executed */
    uint64_t msr;
    uint64_t lr, ctr;
    uint32_t cr;         /* CR0 in bits 31:28 (ISA bits 32:35) ... CR7 in 3:0 */
    /* XER, split for speed; xer_rest holds the bits that are not SO/OV/CA/OV32/CA32/BC */
    uint8_t  so, ov, ca, ov32, ca32;
    uint8_t  xer_bc;     /* string byte count, XER bits 57:63 */
    uint64_t xer_rest;
    uint64_t spr[1024];  /* every other SPR, indexed by SPR number (see cpu/spr.c for the special ones) */

    /* ---- reservation (larx/stcx.) ---- */
    gra_t    resv_addr;  /* real address of the reservation, or RESV_NONE */
    uint64_t resv_val[2];/* value seen by the larx (stcx. succeeds only if memory still holds it) */
    uint8_t  resv_len;

    /* ---- memory ---- */
    PhysMem  mem;
    uint32_t mmu_ctx_data; /* TLB context tag for data accesses (mmu_ctx_for: MSR, PIDR, AMR ...) */
    uint32_t mmu_ctx_insn; /* ... and for instruction fetch */
    TlbEntry tlb_read[TLB_SIZE];
    TlbEntry tlb_write[TLB_SIZE];
    ICache  *icache;       /* decoded-instruction cache (cpu/icache.c) */
    DecodedPage *fetch_page; /* decoded page for the current instruction page */
    /* EA page | insn context of fetch_page, or TLB_INVALID_TAG.  Whatever changes mmu_ctx_insn,
       the translation or the decoded page must reset it: the run loop steps on while it is unchanged. */
    uint64_t fetch_tag;
    uint64_t icache_code_seen;   /* icache epochs this thread has caught up with (icache_sync()) */
    uint64_t icache_retire_seen;

    /* ---- interrupt inputs (level-sensitive, driven by the machine) ---- */
    bool     irq_ext;      /* external interrupt line from the interrupt controller (0x500) */
    bool     irq_doorbell; /* directed privileged doorbell exception, this thread's DPDES bit (0xA00) */

    /* ---- time ---- */
    CpuClock clock;
    unsigned icount_shift; /* -icount shift=N: each instruction takes 2^N ns of virtual time */
    uint64_t icount;       /* instructions executed so far */
    uint64_t vclock_adj;   /* virtual time not spent executing (idle, other threads' turns), in instructions */
    int64_t  tb_offset;    /* guest timebase = raw timebase + tb_offset */
    uint64_t dec_base_tb;  /* timebase when DEC was last written */
    uint64_t dec_written;  /* value written then (already sign-extended to 64 bits) */
    uint64_t host_ns0;     /* CPU_CLOCK_HOST: host ns at timebase 0 */
    uint64_t hdec_expiry;  /* timebase before tb_offset at which HDEC fires (an L2 runs); UINT64_MAX: never */

    /* ---- run loop control ---- */
    bool     end_block;    /* stop after the current instruction and re-evaluate interrupts */
    CpuExit  exit_reason;
    uint32_t exit_vector;  /* the hypervisor vector behind exit_reason (0xC00, 0xE00 ...) */
    bool     halted;
    char     halt_msg[160];

    /* ---- machine integration ---- */
    int      cpu_index;
    uint8_t  smt_threads;  /* threads per core (msgsndp targets; 0 or 1: one) */
    void    *opaque;       /* owner (hv/) */
    void   (*on_interrupt)(struct CPUState *cpu, uint32_t vector); /* tracing hook, or NULL */
    /* Every thread of the machine, this one included (tlbie broadcast ...); NULL: only this one. */
    void   (*for_each_cpu)(struct CPUState *cpu, void (*fn)(struct CPUState *target, void *arg), void *arg);
    uint64_t stat_exits[CPU_EXIT__COUNT];
    uint64_t stat_excp;    /* interrupts delivered to the guest */

    /* ---- translation (mmu/): partition-table entry, TLB contexts, fetch TLB ---- */
    MmuState mmu;
} CPUState;

#define RESV_NONE (~0ULL)

/* ---- lifecycle and run loop (cpu/cpu.c) ---- */
int  cpu_init(CPUState *cpu, uint8_t *ram, uint64_t ram_size, uint32_t pvr) NESTHV_MUST_CHECK;
/* Another thread of first's machine: same RAM and PVR, shares its decoded-instruction cache. */
int  cpu_init_sibling(CPUState *cpu, CPUState *first) NESTHV_MUST_CHECK;
void cpu_destroy(CPUState *cpu);
/* Run until an exit; executes at most max_insns instructions (CPU_EXIT_BUDGET). */
CpuExit cpu_run(CPUState *cpu, uint64_t max_insns);
/* Stop the machine with a message (unimplemented instruction, internal limit). */
void cpu_halt(CPUState *cpu, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The decoded record of the instruction being executed (valid inside a handler). */
const DecodedInsn *cpu_current_insn(const CPUState *cpu);

/* ---- interrupts (cpu/interrupt.c) ---- */
/* Deliver an interrupt to the guest OS: SRR0 = srr0, SRR1 = MSR bits | cause, new MSR per LPCR[ILE]/[AIL]. */
void cpu_interrupt(CPUState *cpu, uint32_t vector, uint64_t srr0, uint64_t srr1_cause);
void cpu_raise_program(CPUState *cpu, uint64_t srr1_cause);       /* SRR0 = cia */
void cpu_raise_dsi(CPUState *cpu, ea_t dar, uint32_t dsisr);
void cpu_raise_isi(CPUState *cpu, uint64_t srr1_cause);
void cpu_raise_alignment(CPUState *cpu, ea_t dar);
/* The access a machine check interrupted (selects its SRR1/DSISR causes). */
typedef enum CpuMcAccess { CPU_MC_LOAD, CPU_MC_STORE, CPU_MC_FETCH } CpuMcAccess;
void cpu_raise_machine_check(CPUState *cpu, ea_t dar, CpuMcAccess access);
void cpu_raise_facility_unavailable(CPUState *cpu, uint32_t vector); /* FP/VMX/VSX unavailable */
void cpu_raise_fscr_unavailable(CPUState *cpu, unsigned fscr_cause); /* 0xF60, FSCR[IC] = cause */
/* Instruction is illegal/unimplemented: HEAI to L0 (which reflects a program interrupt to a pseries guest). */
void cpu_raise_heai(CPUState *cpu);
/* A facility HFSCR does not grant (cause: HFSCR_IC_*, ppc/hfscr.h): HFAC exit to L0. */
void cpu_raise_hfac(CPUState *cpu, unsigned hfscr_cause);
/* Privileged instruction attempted in problem state. */
void cpu_raise_priv(CPUState *cpu);
/* Hypervisor-privileged instruction/SPR in guest supervisor state: HEAI if LPCR[EVIRT], else privileged program. */
void cpu_raise_hv_priv(CPUState *cpu);
/* Leave cpu_run() with a hypervisor exit; hsrr0 is where the guest resumes by default. */
void cpu_hv_exit(CPUState *cpu, CpuExit reason, uint32_t vector, uint64_t hsrr0, uint64_t hsrr1_cause);
/* Check timers and pending interrupts at a block boundary; may deliver one. */
void cpu_check_interrupts(CPUState *cpu);
/* An interrupt is pending whatever MSR[EE] says (external line, DEC, doorbell): what wakes a waiting thread. */
bool cpu_interrupt_pending(CPUState *cpu);
/* Run fn on every thread of the machine (this one included): broadcast operations like tlbie. */
void cpu_for_each_cpu(CPUState *cpu, void (*fn)(CPUState *target, void *arg), void *arg);

/* ---- MSR and mode changes ---- */
/* Write the MSR as rfid/mtmsrd do for a guest (HV and ME preserved), and resync derived state. */
void cpu_write_msr(CPUState *cpu, uint64_t new_msr);
/* Recompute TLB contexts after MSR/LPCR/PIDR change. */
void cpu_mode_changed(CPUState *cpu);

/* ---- time (cpu/timebase.c) ---- */
void     cpu_timebase_reset(CPUState *cpu);  /* DEC to its reset value (cpu_init does it) */
uint64_t cpu_get_tb(CPUState *cpu);          /* guest-visible timebase (includes tb_offset) */
uint64_t cpu_get_dec(CPUState *cpu);         /* DEC as mfspr returns it */
void     cpu_set_dec(CPUState *cpu, uint64_t value);
bool     cpu_dec_pending(CPUState *cpu);     /* DEC has gone negative */
uint64_t cpu_insns_until_dec(CPUState *cpu); /* instructions until DEC goes negative (UINT64_MAX: never) */
/* Hypervisor decrementer, as L0 uses it to bound an L2's run: the deadline hdec_expiry has passed. */
bool     cpu_hdec_pending(CPUState *cpu);
uint64_t cpu_insns_until_hdec(CPUState *cpu); /* instructions until then (UINT64_MAX: never or host clock) */
uint64_t cpu_tb_to_ns(uint64_t tb);
/* Virtual time in instruction units (CPU_CLOCK_ICOUNT): the timebase is derived from it. */
uint64_t cpu_vclock(const CPUState *cpu);
/* Move the virtual clock to t (>= cpu_vclock(): idle time, other threads' turns). */
void     cpu_set_vclock(CPUState *cpu, uint64_t t);

/* ---- SPRs (cpu/spr.c) ---- */
uint64_t cpu_read_xer(const CPUState *cpu);
void     cpu_write_xer(CPUState *cpu, uint64_t v);

/* ---- condition register helpers ---- */
static inline unsigned cpu_get_crf(const CPUState *cpu, unsigned bf)
{
    return (cpu->cr >> (28 - 4 * bf)) & 0xF;
}

static inline void cpu_set_crf(CPUState *cpu, unsigned bf, unsigned v)
{
    unsigned sh = 28 - 4 * bf;
    cpu->cr = (cpu->cr & ~(0xFu << sh)) | ((v & 0xF) << sh);
}

/* CR bit n in ISA numbering relative to CR (0 = CR0[LT]). */
static inline unsigned cpu_get_crbit(const CPUState *cpu, unsigned n)
{
    return (cpu->cr >> (31 - n)) & 1;
}

static inline void cpu_set_crbit(CPUState *cpu, unsigned n, unsigned v)
{
    cpu->cr = (cpu->cr & ~(1u << (31 - n))) | ((v & 1u) << (31 - n));
}

#define CRF_LT 8
#define CRF_GT 4
#define CRF_EQ 2
#define CRF_SO 1

/* Record form: CR0 from a 64-bit (or, in 32-bit mode, 32-bit) signed compare against 0. */
static inline void cpu_set_cr0(CPUState *cpu, uint64_t result)
{
    int64_t v = (cpu->msr & MSR_SF) ? (int64_t)result : (int64_t)(int32_t)result;
    unsigned c = v < 0 ? CRF_LT : v > 0 ? CRF_GT : CRF_EQ;
    cpu_set_crf(cpu, 0, c | cpu->so);
}

/* Effective-address arithmetic wraps at 32 bits in 32-bit mode (MSR[SF] = 0). */
static inline ea_t cpu_ea(const CPUState *cpu, uint64_t ea)
{
    return (cpu->msr & MSR_SF) ? ea : (uint32_t)ea;
}

static inline bool cpu_is_pr(const CPUState *cpu) { return (cpu->msr & MSR_PR) != 0; }

#endif
