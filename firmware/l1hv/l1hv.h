/*
 * l1hv.h - the reference nested hypervisor (docs/l1hv.md): one freestanding
 * ppc64le program that boots as a pseries guest at any level k, carves one
 * guest out of its RAM and runs in it either another copy of itself (level
 * k+1 < depth) or a workload, hosting that guest's nested-HV v1 hypercalls
 * with the same nest/ core L0 uses (seed 003 "Nested Nested").
 *
 * Every level uses the same real-address layout (its own guest real space):
 *
 *   0x0000000  low memory: libfw's interrupt stubs (unused), FW_LOWMEM words
 *   0x0100000  L1HV_FDT: the device tree (moved here at boot; what a guest
 *              gets from its l1hv is already here)
 *   0x0400000  the program (link.ld's FW_RUN_ADDR), .bss and stack
 *   0x0800000  L1HV_BUNDLE: the bundle (moved here from linux,initrd-start)
 *   0x1000000  L1HV_PTAB: this level's partition table (64 KiB, 4096 LPIDs):
 *              lpid 1 = the guest, 2.. = shadow LPIDs of the guest's guests
 *   0x1100000  L1HV_POOL: radix tables (the guest's tree, shadow trees) and
 *              nest/'s bookkeeping objects
 *   0x4000000  L1HV_GUEST_BASE: the guest's RAM (guest real 0 = this address)
 *
 * so a guest's FDT and bundle are written where it wants them anyway.
 */
#ifndef FW_L1HV_L1HV_H
#define FW_L1HV_L1HV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nest/nest.h"
#include "nv2.h"
#include "radix/radix.h"

/* ---- layout (real addresses at every level) --------------------------------------- */
#define L1HV_FDT            0x00100000UL
#define L1HV_FDT_MAX        0x00300000UL   /* up to the program */
#define L1HV_IMAGE          0x00400000UL
#define L1HV_BUNDLE         0x00800000UL
#define L1HV_BUNDLE_MAX     0x00800000UL   /* 8 MiB */
#define L1HV_PTAB           0x01000000UL
#define L1HV_PTAB_PATS      4              /* 2^(4+12) bytes = 4096 entries */
#define L1HV_PTAB_BYTES     (1UL << (L1HV_PTAB_PATS + 12))
#define L1HV_POOL           0x01100000UL
#define L1HV_POOL_END       0x04000000UL
#define L1HV_GUEST_BASE     0x04000000UL
#define L1HV_GUEST_MIN      0x04000000UL   /* a guest gets at least 64 MiB */

#define L1HV_GUEST_LPID     1              /* the guest's entry in our partition table */
#define L1HV_MAX_LEVEL      64
#define L1HV_TERM_LINE      256            /* forwarded console line buffer */
#define L1HV_MAX_CPUS       8              /* our CPUs used, and vCPUs of a guest */

/* ---- configuration from /chosen bootargs --------------------------------------------- */
enum l1hv_api { L1HV_API_V1, L1HV_API_V2, L1HV_API_MIXED, L1HV_API_AUTO };

typedef struct L1hvConfig {
    unsigned depth;         /* nesthv.depth: the workload runs at this level */
    unsigned level;         /* nesthv.level: ours */
    enum l1hv_api api;      /* nesthv.api as given (passed on unchanged) */
    char workload[32];      /* nesthv.workload */
    unsigned page_shift;    /* nesthv.pagesize: 12, 16 or 21 */
    uint64_t slice;         /* nesthv.slice: HDEC time slice in timebase ticks */
    unsigned smp;           /* nesthv.smp: vCPUs of a workload guest (0: as many as our CPUs) */
    bool v2_full;           /* nesthv.v2sync=full: fetch a shadow's whole state after each v2 run
                               (default lazy: only where a v1 write-back needs it, hostv2.c fetches on GET) */
    char extra[256];        /* other bootargs, passed on to the guest */
} L1hvConfig;

/* ---- what this level knows about itself --------------------------------------------------- */
typedef struct L1hvSelf {
    uint64_t ram_size;      /* sum of the /memory nodes (contiguous from 0) */
    uint64_t tb_hz;         /* /cpus/cpu timebase-frequency */
    int power_off_token;    /* RTAS "power-off" in our tree (the guest's copy has the same) */
    unsigned ncpus;         /* /cpus/cpu nodes (ids 0 .. ncpus-1), at most L1HV_MAX_CPUS */
} L1hvSelf;

/* ---- statistics (the NHV-STATS line) ------------------------------------------------------ */
typedef struct L1hvStats {
    uint64_t exits, hcall, hdec, hdsi, hisi, heai, other;
    uint64_t handled, reflected;
    uint64_t hcalls;        /* hypercalls we made (every sc 1, libfw's console included) */
    uint64_t guest_tb;      /* timebase ticks spent inside H_ENTER_NESTED */
} L1hvStats;

/* ---- v2.c: a vCPU run through our hypervisor's v2 API (one v2 guest, one vCPU) ---------- */
#define L1HV_V2_RUNBUF 4096
typedef struct L1hvV2 {
    Nv2Guest g;
    Nv2Vcpu v;
    int64_t tb_offset;      /* the guest-wide TB_OFFSET last sent */
    bool known_valid;       /* known_*: L0's values of the elements a shadow push sends */
    NestHvgs known_hv;
    NestPtRegs known_regs;
    GsbBitmap force;        /* elements the next push sends even if equal to known_* (their L0 value is unknown) */
    const void *owner;      /* hostv2.c: the hosted vCPU whose state L0 holds in this vCPU (NULL: none) */
    uint8_t in[L1HV_V2_RUNBUF] __attribute__((aligned(128)));
    uint8_t out[L1HV_V2_RUNBUF] __attribute__((aligned(128)));
} L1hvV2;

/* H_GUEST_GET/SET_CAPABILITIES: true if our hypervisor offers v2. */
bool l1hv_v2_negotiate(void);
void l1hv_v2_create(L1hvV2 *s);
/* Another vCPU (vcpu_id) of first's v2 guest. */
void l1hv_v2_create_vcpu(L1hvV2 *s, L1hvV2 *first, unsigned vcpu_id);
void l1hv_v2_delete(L1hvV2 *s);
void l1hv_v2_set_tables(L1hvV2 *s, uint64_t pate_dw0, uint64_t pate_dw1);
/* H_GUEST_RUN_VCPU with run flags (dies on failure); the exit vector, counted. */
long l1hv_v2_run(L1hvV2 *s, uint64_t flags);
/* Whole-state transfer for a shadow vCPU (only changed elements sent, only invalid ones fetched). */
void l1hv_v2_push(L1hvV2 *s, const NestHvgs *h, const NestPtRegs *r);
/* full: one GET_STATE for everything the exit did not carry (a v1 write-back needs it all);
 * else only what the exit carried (the rest stays valid upward: hostv2.c fetches it on demand). */
void l1hv_v2_pull(L1hvV2 *s, long vector, NestHvgs *h, NestPtRegs *r, bool full);
/* The thread elements a shadow pull carries (registers a nested guest changes while it runs). */
extern const uint16_t l1hv_v2_pull_ids[];
extern const unsigned l1hv_v2_pull_count;
/*
 * SPRs outside hv_guest_state a nested guest runs with, besides DEC: v1
 * passes them through the CPU (the L1 switches them itself around
 * H_ENTER_NESTED, hv/nested_run.c), v2 keeps them per vCPU (elements).
 * l1hv carries them (and DEC expiry) for every nested vCPU it runs:
 * hostv2.c, host.c.  PMU, EBB, TAR, FP/VMX/VSX are not carried.
 */
#define L1HV_PASS_SPRS(X) X(DAR) X(DSISR) X(AMR) X(IAMR) X(UAMOR) X(DSCR) X(FSCR) X(PSPB)
/* Their elements and DEC_EXPIRY_TB (a full pull fetches them too). */
extern const uint16_t l1hv_v2_pass_ids[];
extern const unsigned l1hv_v2_pass_count;

extern L1hvConfig l1hv_cfg;
extern enum l1hv_api l1hv_api_used;   /* L1HV_API_V1 or L1HV_API_V2, toward our hypervisor */
extern L1hvSelf l1hv_self;
/* Statistics are per CPU of ours (no shared counters); the stats line adds them up. */
extern L1hvStats l1hv_stats_cpu[L1HV_MAX_CPUS];
#define l1hv_stats (l1hv_stats_cpu[l1hv_cpu()])
/* Our CPU's index (0: the boot CPU), kept in SPRG0 (smp.c). */
static inline unsigned l1hv_cpu(void)
{
    unsigned long i;
    __asm__ volatile("mfspr %0, 272" : "=r"(i)); /* SPRG0 */
    return (unsigned)i % L1HV_MAX_CPUS;
}

/* Print "l1hv L<k>: <msg>" and power off with a failure status. */
void l1hv_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* A pointer to a real address (hidden from gcc's object-size checks). */
static inline void *l1hv_real(uint64_t addr)
{
    void *p;
    __asm__("" : "=r"(p) : "0"(addr));
    return p;
}

/* ---- config.c ------------------------------------------------------------------------------ */
void l1hv_config_parse(const char *bootargs);
/* The bootargs of our guest (level + 1); returns the length. */
size_t l1hv_config_guest_args(char *buf, size_t size);
const char *l1hv_api_name(enum l1hv_api api);

/* ---- pool.c: memory of the pool (tables and objects), zeroed, naturally aligned ---------- */
void *l1hv_pool_alloc(size_t size);
void l1hv_pool_free(void *p, size_t size);
uint64_t l1hv_pool_used(void);
extern const RadixMem l1hv_radix_mem;   /* tables in our own real memory */

/* ---- guest.c: the guest partition ------------------------------------------------------------ */
typedef struct L1hvGuest {
    uint64_t base;          /* our real address of its guest real 0 */
    uint64_t size;          /* bytes of RAM */
    unsigned page_shift;    /* of its partition-scoped tree */
    RadixRoot tree;
    uint8_t *mapped;        /* one byte per page: 1 = mapped (demand faults) */
    uint64_t premapped;     /* [0, premapped) mapped at creation */
    uint8_t hv[HVGS_SIZE_V2] __attribute__((aligned(8)));  /* its hv_guest_state (LE) */
    uint8_t regs[PTREGS_SIZE] __attribute__((aligned(8))); /* its pt_regs (LE) */
    NestHvgs hvs;           /* decoded copies, host order */
    NestPtRegs r;
    uint64_t lpcr;          /* the LPCR bits we give it (H_SET_MODE LE/AIL) */
    bool done;              /* it powered off */
    uint64_t inject;        /* run flags (L1HV_RUN_FLAGS) of its next run: L1HV_H_INJECT */
    bool msr_seen;          /* v2: r.msr was fetched once (l1hv_guest_msr_cached) */
    unsigned vcpu;          /* its vCPU number (0: the boot vCPU; smp.c runs the others) */
    volatile int state;     /* L1HV_VCPU_*: secondaries start stopped (RTAS start-cpu) */
    L1hvV2 *v2;             /* API v2: its v2 guest (registers live in the nv2 cache), else NULL */
    NestL1 nest;            /* its nested guests (it is an L1 to nest/): the boot vCPU's copy is the one */
    NestL1 *nestp;          /* = &(boot vCPU)->nest, for every vCPU */
} L1hvGuest;

enum { L1HV_VCPU_STOPPED, L1HV_VCPU_START, L1HV_VCPU_RUNNING };

void l1hv_guest_create(L1hvGuest *g, uint64_t size);
/* Map the page around gra (demand fault); false if gra is not its RAM. */
bool l1hv_guest_fault_in(L1hvGuest *g, uint64_t gra);
/* Our pointer to [gra, gra + len) of its RAM, or NULL. */
void *l1hv_guest_ptr(const L1hvGuest *g, uint64_t gra, uint64_t len);
/* Run it until it powers off. */
void l1hv_guest_run(L1hvGuest *g);
/* One H_ENTER_NESTED for lpid with hv/regs (our LE images); r3. */
long l1hv_enter(uint8_t *hv, uint8_t *regs);
/* Count one exit of a run in the stats. */
void l1hv_count_exit(long vector);
/* The guest's registers, whichever API runs it (v2: through the lazy cache). */
uint64_t l1hv_gpr(L1hvGuest *g, unsigned n);
void l1hv_set_gpr(L1hvGuest *g, unsigned n, uint64_t val);
uint64_t l1hv_guest_msr(L1hvGuest *g);
uint64_t l1hv_guest_msr_cached(L1hvGuest *g);  /* no hypercall: see guest.c */
uint64_t l1hv_guest_nip(L1hvGuest *g);

/* ---- exits.c: the guest's hypercalls ------------------------------------------------------ */
/* Handle the guest's hcall (gpr[3] = number) and set its gpr[3..]; false if unsupported fatal. */
void l1hv_guest_hcall(L1hvGuest *g);

/* ---- inject.c: run-flag interrupts delivered into a vCPU's state (v1 upward) ---------------- */
#define L1HV_RUN_FLAGS (H_GUEST_RUN_EXT_INTERRUPT | H_GUEST_RUN_PRIV_DOORBELL | H_GUEST_RUN_SYSTEM_RESET)
typedef struct L1hvIrqRegs {
    uint64_t *nip, *msr, *srr0, *srr1, *dpdes;
    uint64_t lpcr;          /* ILE, AIL of the vCPU's partition */
} L1hvIrqRegs;
void l1hv_inject(const L1hvIrqRegs *r, uint64_t flags);

/* ---- check.c: L1HV_H_CHECK of the "regs" workload (check.h) ------------------------------- */
long l1hv_check_hcall(L1hvGuest *g);
/* L1HV_H_INJECT(flags) of the "irq" workload: the run flags of its next run (g->inject). */
long l1hv_inject_hcall(L1hvGuest *g);

/* ---- host.c: hosting the guest's nested guests (v1) --------------------------------------- */
void l1hv_host_init(L1hvGuest *g);
/* A nest/ guest table of g over our NestOps (v1: g->nest; v2: hostv2.c's direct table). */
void l1hv_host_init_table(L1hvGuest *g, NestL1 *l1);
long l1hv_host_enter_nested(L1hvGuest *g);
/* How l1hv_host_run() runs a nested vCPU. */
typedef struct L1hvRunOpts {
    uint64_t flags;         /* H_GUEST_RUN_VCPU flags passed up with the first run (v2 upward only) */
    bool full_pull;         /* v2 upward: fetch the whole state after each run (else only what the exit carried) */
    unsigned slot;          /* v2 upward: which vCPU of the shadow LPID's v2 guest (the nested vCPU, < L1HV_MAX_CPUS) */
} L1hvRunOpts;
/* Run e->l2 under its shadow LPID until an exit that is the guest's (fills *x). */
void l1hv_host_run(L1hvGuest *g, NestEnter *e, NestExit *x, const L1hvRunOpts *o);
/* vCPU slot of the v2 guest of ours that runs a shadow LPID (v2 upward), created on first use. */
L1hvV2 *l1hv_host_shadow_v2(uint32_t shadow_lpid, unsigned slot);
L1hvV2 *l1hv_host_shadow_v2_find(uint32_t shadow_lpid, unsigned slot);   /* NULL if none */
uint64_t l1hv_host_shadow_faults(L1hvGuest *g);

/* ---- hostv2.c: hosting the guest's v2 API (H_GUEST_*) ----------------------------------- */
long l1hv_host_v2_hcall(L1hvGuest *g, uint64_t nr);
/* The direct table of the guest's v2 guests, or NULL before its first H_GUEST_CREATE. */
NestL1 *l1hv_host_v2_table(void);

/* ---- smp.c: more vCPUs for a workload guest, each run by one CPU of ours ---------------------- */
/* How many vCPUs the guest gets (l1hv_nvcpus): nesthv.smp for a workload, capped by our CPUs; 1 for an l1hv. */
void l1hv_smp_plan(void);
/* The guest's secondary vCPUs (copies of boot, stopped) and our secondary CPUs, one for each. */
void l1hv_smp_start(L1hvGuest *boot);
extern unsigned l1hv_nvcpus;          /* vCPUs of the guest (1 unless l1hv_smp_start gave more) */
extern volatile int l1hv_guest_over;  /* the guest powered off: every vCPU stops */
/* Guest RTAS start-cpu / stop-self / query-cpu-stopped-state: true if token was one of them. */
bool l1hv_smp_rtas(L1hvGuest *g, int token, uint32_t nargs, const uint32_t *args, uint32_t *rets);
/* After the boot vCPU's end: wait for our secondaries, add up the counters. */
void l1hv_smp_finish(void);
/* Spin locks (several CPUs of ours share memory; the scheduler above is preemptive). */
typedef volatile int L1hvSpin;
void l1hv_spin_lock(L1hvSpin *l);
void l1hv_spin_unlock(L1hvSpin *l);
/* The console lock (several CPUs of ours print). */
void l1hv_lock(void);
void l1hv_unlock(void);

/* ---- term.c: the guest's console ---------------------------------------------------------- */
void l1hv_term_put(unsigned level, const char *s, size_t n);
void l1hv_term_flush(unsigned level);

/* ---- load.c: bundle and ELF ------------------------------------------------------------------- */
/* The file called name in the bundle at L1HV_BUNDLE: pointer and size, or NULL. */
const void *l1hv_bundle_find(const char *name, uint64_t *size);
uint64_t l1hv_bundle_size(void);
/* Load an ELF image into the guest; returns its entry (guest real) or dies. */
uint64_t l1hv_elf_load(L1hvGuest *g, const void *elf, uint64_t size);

/* ---- gfdt.c: the guest's device tree -------------------------------------------------------- */
/* Write the guest's tree at guest real L1HV_FDT; its size. */
uint32_t l1hv_guest_fdt(L1hvGuest *g, const char *bootargs, uint64_t initrd_start, uint64_t initrd_end);

#endif
