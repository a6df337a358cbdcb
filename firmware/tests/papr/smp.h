/*
 * smp.h - multiprocessor support for the SMP firmware tests (header-only:
 * each test is one .c file that includes it; firmware/tests/isa/smp_*.c
 * include it as "../papr/smp.h").
 *
 * libfw's trap framework and RTAS helper keep their state in globals, so
 * they serve one CPU at a time; this file gives every CPU its own:
 *
 *  - smp_start(id, fn): RTAS start-cpu with entry smp_secondary_entry and
 *    r3 = &smp_cpus[id].  The secondary starts big-endian with MSR = SF|ME
 *    (PAPR / QEMU); the entry records that MSR, r1, r3 and r4, switches to
 *    little-endian, takes its stack, TOC and SPRG1 (its struct smp_cpu),
 *    runs fn(c) and calls RTAS stop-self.
 *  - smp_install_vector(vec): an SMP-safe stub at vec (0x200, 0x500, 0x900,
 *    0xA00 ...): it finds the CPU's struct smp_cpu through SPRG1 (SPRG2 is
 *    scratch), saves the volatile registers on the interrupted stack below
 *    the ABI's 288-byte red zone and calls c->irq(c, frame); the handler may
 *    change frame->srr0/srr1.  Interrupts taken little-endian need
 *    H_SET_MODE(LE) first: smp_init() does it.
 *  - smp_rtas(): RTAS with a per-CPU argument block.
 *
 * Tests must print only from CPU 0 and only what both QEMU (multi-threaded
 * TCG: CPUs really run in parallel) and nesthv (one host thread, turns)
 * agree on: results collected after explicit handshakes, never timings or
 * interleavings.
 */
#ifndef FW_TESTS_SMP_H
#define FW_TESTS_SMP_H

#include "fw.h"
#include "ppc/papr_smp.h"

#define SMP_UNUSED __attribute__((unused))
#define SMP_MAX_CPUS    8
#define SMP_STACK_SIZE  0x4000
#define SMP_RED_ZONE    288        /* ELFv2: below r1, the interrupted code's */
#define SMP_VEC_SPACE   0x100      /* room for a stub at a main vector */

/* struct smp_cpu offsets used by the assembly below */
#define SMP_OFF_STACK   0
#define SMP_OFF_TOC     8
#define SMP_OFF_MAIN    16
#define SMP_OFF_ENTRY_MSR 24
#define SMP_OFF_ENTRY_R1  32
#define SMP_OFF_ENTRY_R3  40
#define SMP_OFF_ENTRY_R4  48
#define SMP_OFF_IRQ_ENTRY 56
#define SMP_OFF_SAVE_R12  64
#define SMP_OFF_SAVE_LR   72
#define SMP_OFF_SAVE_R1   80
#define SMP_OFF_VEC       88

/* Interrupt frame on the interrupted stack (offsets from the new r1). */
#define SMP_FR_GPR(n)   (32 + 8 * (n))  /* r0..r12 (r1 unused) */
#define SMP_FR_CTR      136
#define SMP_FR_CR       144
#define SMP_FR_XER      152
#define SMP_FR_SRR0     160
#define SMP_FR_SRR1     168
#define SMP_FR_VEC      176
#define SMP_FR_SIZE     192

struct smp_frame {
    uint64_t backchain, cr_save, lr_save, toc_save;   /* ELFv2 header, used by the callee */
    uint64_t gpr[13];
    uint64_t ctr, cr, xer, srr0, srr1, vec, pad;
};

struct smp_cpu;
typedef void (*smp_fn)(struct smp_cpu *c);
typedef void (*smp_irq_fn)(struct smp_cpu *c, struct smp_frame *f);

struct smp_cpu {
    uint64_t stack_top;         /* SMP_OFF_STACK */
    uint64_t toc;               /* SMP_OFF_TOC */
    uint64_t main_entry;        /* SMP_OFF_MAIN: smp_secondary_main */
    uint64_t entry_msr;         /* what the secondary found at its entry */
    uint64_t entry_r1, entry_r3, entry_r4;
    uint64_t irq_entry;         /* SMP_OFF_IRQ_ENTRY: smp_irq_entry */
    uint64_t save_r12, save_lr, save_r1, vec;
    /* ---- C side ---- */
    int id;
    smp_fn fn;
    smp_irq_fn irq;
    volatile int started;       /* set by the secondary when it runs C */
    volatile int done;          /* set when fn returned (stop-self follows) */
    volatile unsigned long ipis, decs, externals, doorbells, others;  /* default handler counters */
    volatile unsigned long last_xirr, last_vec, last_srr0, last_srr1;
    volatile unsigned long data[16];   /* free for tests */
    uint32_t rtas[16] __attribute__((aligned(16)));
    uint8_t stack[SMP_STACK_SIZE] __attribute__((aligned(16)));
};

_Static_assert(__builtin_offsetof(struct smp_cpu, entry_msr) == SMP_OFF_ENTRY_MSR, "smp_cpu layout");
_Static_assert(__builtin_offsetof(struct smp_cpu, irq_entry) == SMP_OFF_IRQ_ENTRY, "smp_cpu layout");
_Static_assert(__builtin_offsetof(struct smp_cpu, vec) == SMP_OFF_VEC, "smp_cpu layout");
_Static_assert(__builtin_offsetof(struct smp_frame, gpr) == SMP_FR_GPR(0), "smp_frame layout");
_Static_assert(__builtin_offsetof(struct smp_frame, ctr) == SMP_FR_CTR, "smp_frame layout");
_Static_assert(__builtin_offsetof(struct smp_frame, vec) == SMP_FR_VEC, "smp_frame layout");
_Static_assert(sizeof(struct smp_frame) == SMP_FR_SIZE, "smp_frame layout");

static SMP_UNUSED struct smp_cpu smp_cpus[SMP_MAX_CPUS] __attribute__((aligned(128)));

#define SMP_STR_(x) #x
#define SMP_STR(x) SMP_STR_(x)

/*
 * Secondary entry.  Big-endian part (bytes written explicitly):
 *   mfmsr r12; ori r11,r12,1; bcl 20,31,.+4; mflr r10; addi r10,r10,20;
 *   mtsrr0 r10; mtsrr1 r11; rfid           -> little-endian at +32
 * Then record the entry registers and call smp_secondary_main(r3).
 */
__asm__(
    "    .section .text.smp, \"ax\", @progbits\n"
    "    .balign 8\n"
    "    .globl smp_secondary_entry\n"
    "smp_secondary_entry:\n"
    "    .byte 0x7d,0x80,0x00,0xa6\n"
    "    .byte 0x61,0x8b,0x00,0x01\n"
    "    .byte 0x42,0x9f,0x00,0x05\n"
    "    .byte 0x7d,0x48,0x02,0xa6\n"
    "    .byte 0x39,0x4a,0x00,0x14\n"
    "    .byte 0x7d,0x5a,0x03,0xa6\n"
    "    .byte 0x7d,0x7b,0x03,0xa6\n"
    "    .byte 0x4c,0x00,0x00,0x24\n"
    "    std 12," SMP_STR(SMP_OFF_ENTRY_MSR) "(3)\n"
    "    std 1," SMP_STR(SMP_OFF_ENTRY_R1) "(3)\n"
    "    std 3," SMP_STR(SMP_OFF_ENTRY_R3) "(3)\n"
    "    std 4," SMP_STR(SMP_OFF_ENTRY_R4) "(3)\n"
    "    mtspr 273,3\n"                          /* SPRG1 = this CPU's block */
    "    ld 1," SMP_STR(SMP_OFF_STACK) "(3)\n"
    "    ld 2," SMP_STR(SMP_OFF_TOC) "(3)\n"
    "    ld 12," SMP_STR(SMP_OFF_MAIN) "(3)\n"
    "    mtctr 12\n"
    "    bctrl\n"
    "1:  b 1b\n"
    /* Vector stub template: 10 words, the li (word 5) gets the vector. */
    "    .globl smp_vec_template, smp_vec_template_end\n"
    "smp_vec_template:\n"
    "    mtspr 274,13\n"                         /* SPRG2 = r13 */
    "    mfspr 13,273\n"                         /* r13 = this CPU's block */
    "    std 12," SMP_STR(SMP_OFF_SAVE_R12) "(13)\n"
    "    mflr 12\n"
    "    std 12," SMP_STR(SMP_OFF_SAVE_LR) "(13)\n"
    "    li 12,0\n"
    "    std 12," SMP_STR(SMP_OFF_VEC) "(13)\n"
    "    ld 12," SMP_STR(SMP_OFF_IRQ_ENTRY) "(13)\n"
    "    mtlr 12\n"
    "    blr\n"
    "smp_vec_template_end:\n"
    /* Common interrupt entry: r13 = block; frame below the red zone. */
    "    .globl smp_irq_entry\n"
    "smp_irq_entry:\n"
    "    std 1," SMP_STR(SMP_OFF_SAVE_R1) "(13)\n"
    "    addi 1,1,-(" SMP_STR(SMP_RED_ZONE) "+" SMP_STR(SMP_FR_SIZE) ")\n"
    "    std 0," SMP_STR(SMP_FR_GPR(0)) "(1)\n"
    "    std 2," SMP_STR(SMP_FR_GPR(2)) "(1)\n"
    "    std 3," SMP_STR(SMP_FR_GPR(3)) "(1)\n"
    "    std 4," SMP_STR(SMP_FR_GPR(4)) "(1)\n"
    "    std 5," SMP_STR(SMP_FR_GPR(5)) "(1)\n"
    "    std 6," SMP_STR(SMP_FR_GPR(6)) "(1)\n"
    "    std 7," SMP_STR(SMP_FR_GPR(7)) "(1)\n"
    "    std 8," SMP_STR(SMP_FR_GPR(8)) "(1)\n"
    "    std 9," SMP_STR(SMP_FR_GPR(9)) "(1)\n"
    "    std 10," SMP_STR(SMP_FR_GPR(10)) "(1)\n"
    "    std 11," SMP_STR(SMP_FR_GPR(11)) "(1)\n"
    "    mfctr 0\n    std 0," SMP_STR(SMP_FR_CTR) "(1)\n"
    "    mfcr 0\n     std 0," SMP_STR(SMP_FR_CR) "(1)\n"
    "    mfxer 0\n    std 0," SMP_STR(SMP_FR_XER) "(1)\n"
    "    mfsrr0 0\n   std 0," SMP_STR(SMP_FR_SRR0) "(1)\n"
    "    mfsrr1 0\n   std 0," SMP_STR(SMP_FR_SRR1) "(1)\n"
    "    ld 0," SMP_STR(SMP_OFF_VEC) "(13)\n"
    "    std 0," SMP_STR(SMP_FR_VEC) "(1)\n"
    "    li 0,0\n     std 0,0(1)\n"              /* end of the back chain */
    "    ld 2," SMP_STR(SMP_OFF_TOC) "(13)\n"
    "    mr 3,13\n"
    "    mr 4,1\n"
    "    bl smp_irq_dispatch\n"
    "    nop\n"
    "    mfspr 13,273\n"
    "    ld 0," SMP_STR(SMP_FR_SRR1) "(1)\n  mtsrr1 0\n"
    "    ld 0," SMP_STR(SMP_FR_SRR0) "(1)\n  mtsrr0 0\n"
    "    ld 0," SMP_STR(SMP_FR_XER) "(1)\n   mtxer 0\n"
    "    ld 0," SMP_STR(SMP_FR_CR) "(1)\n    mtcr 0\n"
    "    ld 0," SMP_STR(SMP_FR_CTR) "(1)\n   mtctr 0\n"
    "    ld 0," SMP_STR(SMP_FR_GPR(0)) "(1)\n"
    "    ld 2," SMP_STR(SMP_FR_GPR(2)) "(1)\n"
    "    ld 3," SMP_STR(SMP_FR_GPR(3)) "(1)\n"
    "    ld 4," SMP_STR(SMP_FR_GPR(4)) "(1)\n"
    "    ld 5," SMP_STR(SMP_FR_GPR(5)) "(1)\n"
    "    ld 6," SMP_STR(SMP_FR_GPR(6)) "(1)\n"
    "    ld 7," SMP_STR(SMP_FR_GPR(7)) "(1)\n"
    "    ld 8," SMP_STR(SMP_FR_GPR(8)) "(1)\n"
    "    ld 9," SMP_STR(SMP_FR_GPR(9)) "(1)\n"
    "    ld 10," SMP_STR(SMP_FR_GPR(10)) "(1)\n"
    "    ld 11," SMP_STR(SMP_FR_GPR(11)) "(1)\n"
    "    ld 1," SMP_STR(SMP_OFF_SAVE_R1) "(13)\n"
    "    ld 12," SMP_STR(SMP_OFF_SAVE_LR) "(13)\n"
    "    mtlr 12\n"
    "    ld 12," SMP_STR(SMP_OFF_SAVE_R12) "(13)\n"
    "    mfspr 13,274\n"
    "    rfid\n"
    "    .text\n");

extern char smp_secondary_entry[], smp_vec_template[], smp_vec_template_end[], smp_irq_entry[];

/* ---- RTAS with a per-CPU block ------------------------------------------------ */

static SMP_UNUSED int smp_rtas(struct smp_cpu *c, const char *name, int nargs, const uint32_t *args, int nret,
                    uint32_t *rets)
{
    static int tokens[4];
    static const char *const names[4] = { "start-cpu", "stop-self", "query-cpu-stopped-state", "get-time-of-day" };
    int token = -1;
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, names[i]))
            token = tokens[i] ? tokens[i] : (tokens[i] = rtas_token(name)); /* CPU 0 looks them up first */
    uint32_t *b = c->rtas;
    b[0] = __builtin_bswap32((uint32_t)token);
    b[1] = __builtin_bswap32((uint32_t)nargs);
    b[2] = __builtin_bswap32((uint32_t)nret);
    for (int i = 0; i < nargs + nret; i++)
        b[3 + i] = i < nargs ? __builtin_bswap32(args[i]) : 0;
    if (hcall(KVMPPC_H_RTAS, (unsigned long)b) != H_SUCCESS)
        return RTAS_ERR_CALL;
    for (int i = 0; i < nret; i++)
        rets[i] = __builtin_bswap32(b[3 + nargs + i]);
    return (int)rets[0];
}

static SMP_UNUSED int smp_query(int id)
{
    uint32_t args[1] = { (uint32_t)id }, rets[2] = { 0, 0 };
    int rc = smp_rtas(&smp_cpus[0], "query-cpu-stopped-state", 1, args, 2, rets);
    return rc == RTAS_SUCCESS ? (int)rets[1] : rc;
}

static SMP_UNUSED void smp_stop_self(struct smp_cpu *c)
{
    uint32_t ret;
    smp_rtas(c, "stop-self", 0, NULL, 1, &ret);
    for (;;)
        ;
}

/* ---- interrupts ---------------------------------------------------------------- */

static inline unsigned long smp_xirr(void)
{
    unsigned long out[HCALL_RET_MAX];
    hcall_out(out, H_XIRR);
    return out[0];
}

/* Default: IPIs accepted (MFRR back to least favoured, EOI), DEC pushed far away,
 * doorbells counted; anything else is counted and skipped (srr0 += 4). */
static SMP_UNUSED void smp_default_irq(struct smp_cpu *c, struct smp_frame *f)
{
    c->last_vec = f->vec;
    c->last_srr0 = f->srr0;
    c->last_srr1 = f->srr1;
    if (f->vec == FW_VEC_EXTERNAL) {
        unsigned long xirr = smp_xirr();
        c->last_xirr = xirr;
        c->externals++;
        if ((xirr & XICS_XISR_MASK) == XICS_IPI) {
            c->ipis++;
            hcall(H_IPI, (unsigned long)c->id, XICS_PRIO_LEAST);
        }
        hcall(H_EOI, xirr);
    } else if (f->vec == FW_VEC_DECREMENTER) {
        c->decs++;
        mtdec(0x7fffffffUL);
    } else if (f->vec == FW_VEC_DOORBELL) {
        c->doorbells++;
    } else {
        c->others++;
        f->srr0 += 4;
    }
}

void smp_irq_dispatch(struct smp_cpu *c, struct smp_frame *f);
void smp_irq_dispatch(struct smp_cpu *c, struct smp_frame *f)
{
    (c->irq ? c->irq : smp_default_irq)(c, f);
}

static SMP_UNUSED void smp_install_vector(unsigned long vec)
{
    size_t len = (size_t)(smp_vec_template_end - smp_vec_template);
    uint32_t *dst;
    __asm__("" : "=r"(dst) : "0"(vec)); /* a fixed real address, not an object gcc knows */
    memcpy(dst, smp_vec_template, len);
    dst[5] = 0x39800000u | (uint32_t)vec; /* li r12,vec */
    icache_sync(dst, len);
}

static inline void smp_enable_ee(void) { mtmsrd_ee_ri(mfmsr() | MSR_EE); }
static inline void smp_disable_ee(void) { mtmsrd_ee_ri(mfmsr() & ~MSR_EE); }

/* ---- start-up ------------------------------------------------------------------ */

/* Number of vCPUs: /interrupt-controller ibm,interrupt-server-ranges = <0 n>. */
static SMP_UNUSED int smp_ncpus(void)
{
    const void *fdt = fw_fdt();
    int node = fdt ? fdt_node_by_path(fdt, "/interrupt-controller") : -1;
    uint32_t n = 1;
    if (node >= 0)
        fdt_prop_cell(fdt, node, "ibm,interrupt-server-ranges", 1, &n);
    return n > SMP_MAX_CPUS ? SMP_MAX_CPUS : (int)n;
}

void smp_secondary_main(struct smp_cpu *c);
void smp_secondary_main(struct smp_cpu *c)
{
    sync();
    c->started = 1;
    sync();
    if (c->fn)
        c->fn(c);
    sync();
    c->done = 1;
    sync();
    smp_stop_self(c);
}

/* Per-CPU blocks, CPU 0's SPRG1, little-endian interrupts. */
static SMP_UNUSED void smp_init(void)
{
    for (int i = 0; i < SMP_MAX_CPUS; i++) {
        struct smp_cpu *c = &smp_cpus[i];
        c->id = i;
        c->stack_top = ((uint64_t)(c->stack + SMP_STACK_SIZE) & ~15UL) - 32;
        c->toc = get_toc();
        c->main_entry = (uint64_t)smp_secondary_main;
        c->irq_entry = (uint64_t)smp_irq_entry;
    }
    mtspr(SPR_SPRG1, (unsigned long)&smp_cpus[0]);
    fw_install_vectors();   /* H_SET_MODE(LE) and libfw's stubs for everything else */
}

/* RTAS start-cpu(id, smp_secondary_entry, &smp_cpus[id]); the RTAS status. */
static SMP_UNUSED int smp_start(int id, smp_fn fn)
{
    struct smp_cpu *c = &smp_cpus[id];
    c->fn = fn;
    c->started = 0;
    c->done = 0;
    sync();
    uint32_t args[3] = { (uint32_t)id, (uint32_t)(unsigned long)smp_secondary_entry, (uint32_t)(unsigned long)c };
    uint32_t ret;
    return smp_rtas(&smp_cpus[0], "start-cpu", 3, args, 1, &ret);
}

/* Bounded spin on a flag: 1 when it became non-zero.  The bound is generous
 * (the other CPU may be descheduled on a loaded QEMU host). */
#define SMP_SPIN_LIMIT 2000000000UL
static SMP_UNUSED int smp_wait(volatile int *flag)
{
    for (unsigned long i = 0; i < SMP_SPIN_LIMIT; i++) {
        if (*flag)
            return 1;
        cpu_relax();
    }
    return 0;
}

static SMP_UNUSED int smp_wait_ul(volatile unsigned long *v, unsigned long want)
{
    for (unsigned long i = 0; i < SMP_SPIN_LIMIT; i++) {
        if (*v >= want)
            return 1;
        cpu_relax();
    }
    return 0;
}

/* Wait until id has stopped (query-cpu-stopped-state says 0). */
static SMP_UNUSED int smp_wait_stopped(int id)
{
    for (unsigned long i = 0; i < SMP_SPIN_LIMIT / 1000; i++) {
        if (smp_query(id) == RTAS_CPU_STOPPED)
            return 1;
        cpu_relax();
    }
    return 0;
}

/* Spin for about ticks timebase ticks (for "long enough" waits on QEMU). */
static SMP_UNUSED void smp_delay_tb(unsigned long ticks)
{
    unsigned long t0 = mftb();
    while (mftb() - t0 < ticks)
        cpu_relax();
}

#endif
