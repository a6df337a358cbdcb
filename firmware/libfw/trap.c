/*
 * trap.c - vector installation, interrupt dispatch to the registered C
 * handler, and the FW_EXPECT_TRAP helpers (see trap.h).
 */
#include <stddef.h>
#include "asm.h"
#include "console.h"
#include "fwstring.h"
#include "hcall.h"
#include "test.h"
#include "trap.h"

#define TRAP_STACK_SIZE   0x4000
#define INSN_SIZE         4
#define IMM16_MASK        0xffff
#define IMM16_SHIFT       16

_Static_assert(offsetof(struct fw_trap, cr) == FW_TRAP_CR, "fw_trap.cr");
_Static_assert(offsetof(struct fw_trap, srr0) == FW_TRAP_SRR0, "fw_trap.srr0");
_Static_assert(offsetof(struct fw_trap, dsisr) == FW_TRAP_DSISR, "fw_trap.dsisr");
_Static_assert(offsetof(struct fw_trap, vec) == FW_TRAP_VEC, "fw_trap.vec");
_Static_assert(sizeof(struct fw_trap) == FW_TRAP_SIZE, "fw_trap size");

/* From trap_entry.S. */
extern const uint32_t fw_vec_stub[], fw_vec_stub_vec[], fw_vec_stub_end[];
extern void fw_trap_entry(void);

struct fw_trap fw_trap_frame;           /* filled in by trap_entry.S */
struct fw_trap fw_last_trap;
unsigned fw_trap_count;
fw_trap_fn fw_trap_handler;

static uint8_t trap_stack[TRAP_STACK_SIZE] __attribute__((aligned(16)));
static int vectors_installed;
static int trap_depth;

/* A pointer to a fixed real address (hidden from gcc's null-page checks). */
static void *real_ptr(unsigned long addr)
{
    void *p;

    __asm__("" : "=r"(p) : "0"(addr));
    return p;
}

static void lowmem_set(unsigned long addr, unsigned long val)
{
    *(volatile uint64_t *)real_ptr(addr) = val;
}

static void install_stub(unsigned long vec)
{
    uint32_t *dst = real_ptr(vec);
    size_t n = (size_t)(fw_vec_stub_end - fw_vec_stub);
    size_t patch = (size_t)(fw_vec_stub_vec - fw_vec_stub);
    size_t i;

    for (i = 0; i < n; i++)
        dst[i] = fw_vec_stub[i];
    dst[patch] |= (vec >> IMM16_SHIFT) & IMM16_MASK;    /* lis r13, vec@h */
    dst[patch + 1] |= vec & IMM16_MASK;                 /* ori r13, r13, vec@l */
    icache_sync(dst, n * INSN_SIZE);
}

void fw_install_vectors(void)
{
    long rc = hcall(H_SET_MODE, H_SET_MODE_ENDIAN_LITTLE, H_SET_MODE_RESOURCE_LE, 0, 0);
    unsigned long vec;
    int lev;

    if (rc != H_SUCCESS) {
        printf("fw: H_SET_MODE(little-endian interrupts) failed: rc=%ld\n", rc);
        fw_exit(1);
    }
    lowmem_set(FW_LOWMEM_ENTRY, (unsigned long)fw_trap_entry);
    lowmem_set(FW_LOWMEM_FRAME, (unsigned long)&fw_trap_frame);
    lowmem_set(FW_LOWMEM_TOC, get_toc());
    lowmem_set(FW_LOWMEM_STACK, (unsigned long)(trap_stack + TRAP_STACK_SIZE));
    for (vec = FW_VEC_AREA_START; vec < FW_VEC_AREA_END; vec += FW_VEC_SLOT)
        install_stub(vec);
    for (lev = 0; lev < FW_SCV_LEVELS; lev++)
        install_stub(FW_VEC_SCV + (unsigned long)lev * FW_VEC_SLOT);
    vectors_installed = 1;
}

fw_trap_fn fw_set_trap_handler(fw_trap_fn fn)
{
    fw_trap_fn prev = fw_trap_handler;

    if (!vectors_installed)
        fw_install_vectors();
    fw_trap_handler = fn;
    return prev;
}

static int vec_is_data_fault(unsigned long vec)
{
    return vec == FW_VEC_DSI || vec == FW_VEC_DSEG || vec == FW_VEC_ALIGNMENT ||
           vec == FW_VEC_HDSI || vec == FW_VEC_MACHINE_CHECK;
}

static void __attribute__((noreturn)) trap_fatal(const char *what, const struct fw_trap *t)
{
    printf("%s interrupt 0x%lx at 0x%lx srr1=0x%lx\n", what, (unsigned long)t->vec,
           (unsigned long)t->srr0, (unsigned long)t->srr1);
    if (vec_is_data_fault(t->vec))
        printf("  dar=0x%lx dsisr=0x%lx\n", (unsigned long)t->dar, (unsigned long)t->dsisr);
    fw_exit(1);
}

void fw_trap_dispatch(struct fw_trap *t)
{
    if (t->vec >= FW_VEC_SCV) {         /* scv: return address in LR, MSR in CTR */
        t->srr0 = t->lr;
        t->srr1 = t->ctr;
    }
    if (trap_depth)
        trap_fatal("nested", t);
    trap_depth++;
    if (!fw_trap_handler || fw_trap_handler(t) != 0)
        trap_fatal("unexpected", t);
    trap_depth--;
}

void fw_trap_skip(struct fw_trap *t)
{
    switch (t->vec) {
    case FW_VEC_DSI: case FW_VEC_DSEG: case FW_VEC_ALIGNMENT: case FW_VEC_PROGRAM:
    case FW_VEC_FP_UNAVAIL: case FW_VEC_VMX_UNAVAIL: case FW_VEC_VSX_UNAVAIL:
    case FW_VEC_FAC_UNAVAIL: case FW_VEC_HEMUL:
        t->srr0 += INSN_SIZE;
        break;
    case FW_VEC_ISI: case FW_VEC_ISEG:
        t->srr0 = t->lr;
        break;
    default:                            /* srr0 already points past the cause */
        break;
    }
}

/* ---- FW_EXPECT_TRAP ------------------------------------------------------ */

static unsigned long expect_vec;
static fw_trap_fn expect_prev;

static int expect_handler(struct fw_trap *t)
{
    if (t->vec != expect_vec)
        return -1;
    fw_last_trap = *t;
    fw_trap_count++;
    fw_trap_skip(t);
    return 0;
}

void fw_expect_trap_begin(unsigned long vec)
{
    expect_vec = vec;
    fw_trap_count = 0;
    memset(&fw_last_trap, 0, sizeof(fw_last_trap));
    expect_prev = fw_set_trap_handler(expect_handler);
}

int fw_expect_trap_end(const char *file, int line, const char *what)
{
    fw_set_trap_handler(expect_prev);
    return test_checkf(fw_trap_count == 1, file, line,
                       "%s: expected 1 interrupt at 0x%lx, got %u", what,
                       expect_vec, fw_trap_count);
}

int fw_expect_trap(unsigned long vec, void (*fn)(void))
{
    fw_expect_trap_begin(vec);
    fn();
    return fw_expect_trap_end(__FILE__, __LINE__, "fw_expect_trap");
}
