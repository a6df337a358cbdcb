/* nesthv-test-args: -smp 2 */
/*
 * smp_resv.c - load-and-reserve / store-conditional between two CPUs
 * (Power ISA v3.0B Book II 4.6.2):
 *  - CPU 1 storing a different value to the reserved word between CPU 0's
 *    lwarx and stwcx. makes the stwcx. fail (the reservation is lost);
 *    likewise for ldarx/stdcx. and lqarx/stqcx.;
 *  - a store by CPU 1 elsewhere leaves it, and the stwcx. succeeds;
 *  - CPU 1's own lwarx/stwcx. pair on the word in between makes CPU 0's
 *    stwcx. fail;
 *  - both CPUs incrementing one counter with lwarx/stwcx. loops lose no
 *    increment;
 *  - an unaligned lwarx on CPU 1 raises the alignment interrupt there,
 *    with DAR = the address.
 * (A store of the same value does not end the reservation on QEMU or
 * nesthv -- both compare values -- and is not tested.)
 * QEMU 7.2 with more than one CPU (multi-threaded TCG) raises a data
 * segment interrupt for lqarx in real mode (smp_resv.qemu-diff).
 */
#include "../papr/smp.h"

#define INCREMENTS 20000

static volatile uint32_t word __attribute__((aligned(128)));
static volatile uint64_t dword __attribute__((aligned(128)));
static volatile uint64_t qword[2] __attribute__((aligned(128)));
static volatile uint32_t elsewhere __attribute__((aligned(128)));
static volatile uint32_t counter __attribute__((aligned(128)));
static volatile int request, reply;

enum { REQ_NONE, REQ_STORE_WORD, REQ_STORE_DWORD, REQ_STORE_QWORD, REQ_STORE_ELSEWHERE,
       REQ_ATOMIC_WORD, REQ_INCREMENT, REQ_UNALIGNED, REQ_QUIT };

static inline uint32_t lwarx(volatile uint32_t *p)
{
    uint32_t v;
    __asm__ volatile("lwarx %0,0,%1" : "=r"(v) : "r"(p) : "memory");
    return v;
}

/* 1 if the store was performed (CR0[EQ]). */
static inline int stwcx(volatile uint32_t *p, uint32_t v)
{
    unsigned long cr;
    __asm__ volatile("stwcx. %2,0,%1\n\tmfcr %0" : "=r"(cr) : "r"(p), "r"(v) : "memory", "cr0");
    return (cr >> 29) & 1;
}

static inline uint64_t ldarx(volatile uint64_t *p)
{
    uint64_t v;
    __asm__ volatile("ldarx %0,0,%1" : "=r"(v) : "r"(p) : "memory");
    return v;
}

static inline int stdcx(volatile uint64_t *p, uint64_t v)
{
    unsigned long cr;
    __asm__ volatile("stdcx. %2,0,%1\n\tmfcr %0" : "=r"(cr) : "r"(p), "r"(v) : "memory", "cr0");
    return (cr >> 29) & 1;
}

/* lqarx into r10:r11, stqcx. from r10:r11 (even register pairs). */
static inline void lqarx(volatile uint64_t *p)
{
    __asm__ volatile("lqarx 10,0,%0" : : "r"(p) : "r10", "r11", "memory");
}

static inline int stqcx(volatile uint64_t *p, uint64_t hi, uint64_t lo)
{
    register uint64_t r10 __asm__("r10") = hi;
    register uint64_t r11 __asm__("r11") = lo;
    unsigned long cr;
    __asm__ volatile("stqcx. 10,0,%1\n\tmfcr %0" : "=r"(cr) : "r"(p), "r"(r10), "r"(r11) : "memory", "cr0");
    return (cr >> 29) & 1;
}

static void atomic_inc(volatile uint32_t *p)
{
    uint32_t v;
    do
        v = lwarx(p);
    while (!stwcx(p, v + 1));
}

static void align_irq(struct smp_cpu *c, struct smp_frame *f)
{
    c->last_vec = f->vec;
    c->data[8] = mfspr(SPR_DAR);
    c->data[9] = f->srr0;
    f->srr0 += 4;
}

static void helper(struct smp_cpu *c)
{
    for (;;) {
        int r;
        while ((r = request) == REQ_NONE)
            cpu_relax();
        switch (r) {
        case REQ_STORE_WORD: word = word + 1; break;
        case REQ_STORE_DWORD: dword = dword + 1; break;
        case REQ_STORE_QWORD: qword[1] = qword[1] + 1; break;
        case REQ_STORE_ELSEWHERE: elsewhere = elsewhere + 1; break;
        case REQ_ATOMIC_WORD: atomic_inc(&word); break;
        case REQ_INCREMENT:
            for (int i = 0; i < INCREMENTS; i++)
                atomic_inc(&counter);
            break;
        case REQ_UNALIGNED:
            c->irq = align_irq;
            __asm__ volatile("lwarx %0,0,%1" : "=r"(c->data[7]) : "r"((unsigned long)&word + 2) : "memory");
            c->irq = NULL;
            break;
        }
        sync();
        request = REQ_NONE;
        reply++;
        if (r == REQ_QUIT)
            return;
    }
}

/* Ask CPU 1 for something and wait until it is done. */
static int ask(int what)
{
    int want = reply + 1;
    sync();
    request = what;
    for (unsigned long i = 0; i < SMP_SPIN_LIMIT && reply < want; i++)
        cpu_relax();
    return reply >= want;
}

static const char *outcome(int ok) { return ok ? "succeeded" : "failed"; }

int main(void)
{
    smp_init();
    smp_install_vector(FW_VEC_ALIGNMENT);
    smp_install_vector(FW_VEC_DSEG);
    test_begin("reservations across CPUs");
    TEST_EQ(smp_start(1, helper), RTAS_SUCCESS);
    TEST_ASSERT(smp_wait(&smp_cpus[1].started));

    uint32_t v = lwarx(&word);
    TEST_ASSERT(ask(REQ_STORE_WORD));
    int ok = stwcx(&word, v + 100);
    printf("lwarx, other cpu stores the word, stwcx.: %s\n", outcome(ok));
    TEST_EQ(ok, 0);

    v = lwarx(&word);
    TEST_ASSERT(ask(REQ_STORE_ELSEWHERE));
    ok = stwcx(&word, v + 100);
    printf("lwarx, other cpu stores elsewhere, stwcx.: %s\n", outcome(ok));
    TEST_EQ(ok, 1);
    TEST_EQ(word, v + 100);

    v = lwarx(&word);
    TEST_ASSERT(ask(REQ_ATOMIC_WORD));
    ok = stwcx(&word, v + 100);
    printf("lwarx, other cpu lwarx/stwcx. on the word, stwcx.: %s\n", outcome(ok));
    TEST_EQ(ok, 0);
    TEST_EQ(word, v + 1);

    uint64_t d = ldarx(&dword);
    TEST_ASSERT(ask(REQ_STORE_DWORD));
    ok = stdcx(&dword, d + 100);
    printf("ldarx, other cpu stores the doubleword, stdcx.: %s\n", outcome(ok));
    TEST_EQ(ok, 0);

    /* (the default handler of the smp vectors counts and skips an unexpected interrupt) */
    smp_cpus[0].others = 0;
    lqarx(qword);
    TEST_ASSERT(ask(REQ_STORE_QWORD));
    ok = stqcx(qword, 7, 7);
    if (smp_cpus[0].others)
        printf("lqarx: interrupt 0x%lx\n", (unsigned long)smp_cpus[0].last_vec);
    else
        printf("lqarx, other cpu stores the quadword, stqcx.: %s\n", outcome(ok));
    TEST_EQ(ok, 0);
    TEST_EQ(smp_cpus[0].others, 0);

    test_begin("contended atomic increments");
    counter = 0;
    sync();
    request = REQ_INCREMENT;
    for (int i = 0; i < INCREMENTS; i++)
        atomic_inc(&counter);
    while (request != REQ_NONE)
        cpu_relax();
    sync();
    printf("counter after 2 x %d increments: %u\n", INCREMENTS, counter);
    TEST_EQ(counter, 2 * INCREMENTS);

    test_begin("unaligned lwarx on another CPU");
    TEST_ASSERT(ask(REQ_UNALIGNED));
    TEST_EQ(smp_cpus[1].last_vec, FW_VEC_ALIGNMENT);
    TEST_EQ(smp_cpus[1].data[8], (unsigned long)&word + 2);
    printf("cpu 1: unaligned lwarx -> interrupt 0x%lx, dar = word + 2\n", (unsigned long)smp_cpus[1].last_vec);

    TEST_ASSERT(ask(REQ_QUIT));
    TEST_ASSERT(smp_wait(&smp_cpus[1].done));
    return test_report();
}
