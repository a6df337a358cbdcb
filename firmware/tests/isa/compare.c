/*
 * compare.c - fixed-point compare instructions (Power ISA v3.0B Book I
 * 3.3.10: cmpi, cmp, cmpli, cmpl with L = 0/1, cmprb, cmpeqb), setb,
 * isel (3.3.12) for every BC, and which reserved-bit forms of the
 * fixed-point instructions are illegal.
 *
 * Compares print the whole CR (the target field is not CR0, to show that
 * only BF changes) with XER[SO] copied into the field.  L=1 compares
 * doublewords even in 32-bit mode; L=0 compares low words in both.
 *
 * "forms": the ISA says reserved instruction bits are ignored, but QEMU 7.2
 * (the oracle for a pseries guest) makes some of them illegal.  nesthv
 * follows QEMU bit for bit (cpu/insn-fixedpoint.decode); each line says
 * whether the word raised an illegal-instruction program interrupt.
 * Output: see arith_harness.h.
 */
#include "arith_harness.h"

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* ---- compares: "<insn> <BF>,<L>,ra,rb" printed as the whole CR ------------- */
#define DEF_CMP(fn, text, mode)                                                \
    static void __attribute__((noinline)) fn(uint64_t a, uint64_t b, uint64_t xin, fx_res *r) \
    {                                                                          \
        uint64_t rt = r->rt, cr, xer, msr, tmp;                                \
        __asm__ volatile(FX_PRE FX_##mode##_PRE text FX_##mode##_POST FX_POST  \
                         : FX_OUTS(rt)                                         \
                         : [ra] "b"(a), [rb] "b"(b), [xin] "r"(xin), [zero] "r"(0UL) \
                         : FX_CLOBBERS);                                       \
        r->rt = rt;                                                            \
        r->cr = cr;                                                            \
        r->xer = xer;                                                          \
    }

DEF_CMP(cmpw_, "cmp 3,0,%[ra],%[rb]", M64)
DEF_CMP(cmpd_, "cmp 3,1,%[ra],%[rb]", M64)
DEF_CMP(cmplw_, "cmpl 5,0,%[ra],%[rb]", M64)
DEF_CMP(cmpld_, "cmpl 5,1,%[ra],%[rb]", M64)
DEF_CMP(cmpd32_, "cmp 0,1,%[ra],%[rb]", M32)
DEF_CMP(cmpw32_, "cmp 0,0,%[ra],%[rb]", M32)
DEF_CMP(cmpld32_, "cmpl 7,1,%[ra],%[rb]", M32)
DEF_CMP(cmprb0_, "cmprb 2,0,%[ra],%[rb]", M64)
DEF_CMP(cmprb1_, "cmprb 6,1,%[ra],%[rb]", M64)
DEF_CMP(cmpeqb_, "cmpeqb 4,%[ra],%[rb]", M64)

static const fx_rrr_op cmp_ops[] = {
    { "cmp3,0", cmpw_ },  { "cmp3,1", cmpd_ },  { "cmpl5,0", cmplw_ }, { "cmpl5,1", cmpld_ },
    { "cmpeqb4", cmpeqb_ },
};
static const fx_rrr_op cmp32_ops[] = {
    { "32:cmp0,1", cmpd32_ }, { "32:cmp0,0", cmpw32_ }, { "32:cmpl7,1", cmpld32_ },
};

/* Immediate compares: one instruction per immediate. */
#define SWEEP_CMPI(text, imm, xv, label)                                       \
    do {                                                                       \
        for (unsigned i = 0; i < FX_NVALS; i++) {                              \
            fx_res r = { .rt = FX_RT_INIT };                                   \
            uint64_t rt = r.rt, cr, xer, msr, tmp;                             \
            __asm__ volatile(FX_PRE text "," imm FX_POST                        \
                             : FX_OUTS(rt)                                     \
                             : [ra] "b"(fx_vals[i]), [xin] "r"((uint64_t)(xv)), \
                               [zero] "r"(0UL)                                 \
                             : FX_CLOBBERS);                                   \
            r.cr = cr;                                                         \
            r.xer = xer;                                                       \
            (void)msr;                                                         \
            (void)tmp;                                                         \
            fx_print(label "," imm, (int)i, -1, xv, &r);                       \
        }                                                                      \
    } while (0)

static void sweep_cmpi(void)
{
    SWEEP_CMPI("cmpi 1,0,%[ra]", "0", 0, "cmpi1,0");
    SWEEP_CMPI("cmpi 1,0,%[ra]", "-1", XER_SO, "cmpi1,0");
    SWEEP_CMPI("cmpi 1,0,%[ra]", "0x7fff", 0, "cmpi1,0");
    SWEEP_CMPI("cmpi 1,1,%[ra]", "-0x8000", 0, "cmpi1,1");
    SWEEP_CMPI("cmpi 1,1,%[ra]", "1", XER_SO, "cmpi1,1");
    SWEEP_CMPI("cmpli 7,0,%[ra]", "0", 0, "cmpli7,0");
    SWEEP_CMPI("cmpli 7,0,%[ra]", "0xffff", XER_SO, "cmpli7,0");
    SWEEP_CMPI("cmpli 7,1,%[ra]", "0x8000", 0, "cmpli7,1");
    SWEEP_CMPI("cmpli 7,1,%[ra]", "1", 0, "cmpli7,1");
}

static void sweep_cmp(void)
{
    for (unsigned k = 0; k < COUNT(cmp_ops); k++) {
        fx_sweep_rrr(cmp_ops[k].name, cmp_ops[k].fn, 0);
        fx_sweep_few_rrr(cmp_ops[k].name, cmp_ops[k].fn, XER_SO);
    }
    for (unsigned k = 0; k < COUNT(cmp32_ops); k++)
        fx_sweep_few_rrr(cmp32_ops[k].name, cmp32_ops[k].fn, XER_SO);
}

/* cmprb: bytes against ranges (hi:lo in RB's low halfword, and the next one for L=1). */
static const uint64_t rb_bytes[] = {
    0x00, 0x2f, 0x30, 0x35, 0x39, 0x3a, 0x41, 0x5a, 0x61, 0x7a, 0x7b, 0xff,
    0xffffffffffffff30UL, 0x1234567800000041UL,
};
static const uint64_t rb_ranges[] = {
    0x3930, 0x5a41, 0x7a615a41, 0x5a417a61, 0x0000, 0xff00, 0x00ff, 0x3039,
    0xffffffff3930ffffUL, 0x3930UL << 32,
};

static void sweep_cmprb(void)
{
    for (unsigned i = 0; i < COUNT(rb_bytes); i++) {
        for (unsigned j = 0; j < COUNT(rb_ranges); j++) {
            fx_res r0 = fx_rrr(cmprb0_, rb_bytes[i], rb_ranges[j], XER_SO);
            fx_res r1 = fx_rrr(cmprb1_, rb_bytes[i], rb_ranges[j], XER_SO);
            printf("cmprb %016lx %016lx: %08lx %08lx\n", rb_bytes[i], rb_ranges[j], r0.cr, r1.cr);
        }
    }
}

/* ---- setb and isel read CR: run with a chosen CR ------------------------------ */
#define SETB(bfa, crv)                                                         \
    ({                                                                         \
        uint64_t v_;                                                           \
        __asm__ volatile("mtcrf 0xff,%1\n\tsetb %0," #bfa : "=r"(v_) : "r"((uint64_t)(crv)) \
                         : "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7"); \
        v_;                                                                    \
    })

static void check_setb(void)
{
    printf("setb:");
    for (unsigned f = 0; f < 16; f++) {
        uint64_t v6 = SETB(6, (uint64_t)f << 4), v0 = SETB(0, (uint64_t)f << 28);
        printf(" %lx/%lx", v6, v0);
        uint64_t expect = (f & 8) ? ~0UL : (f & 4) ? 1 : 0;   /* LT -> -1, GT -> 1 */
        TEST_EQ(v6, expect);
        TEST_EQ(v0, expect);
    }
    printf("\n");
}

#define ISEL(bc, crv, a, b)                                                    \
    ({                                                                         \
        uint64_t v_;                                                           \
        __asm__ volatile("mtcrf 0xff,%3\n\tisel %0,%1,%2," #bc : "=&r"(v_)     \
                         : "b"((uint64_t)(a)), "r"((uint64_t)(b)), "r"((uint64_t)(crv)) \
                         : "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7"); \
        v_;                                                                    \
    })
#define ISEL0(bc, crv, b)                                                      \
    ({                                                                         \
        uint64_t v_;                                                           \
        __asm__ volatile("li 0,77\n\tmtcrf 0xff,%2\n\tisel %0,0,%1," #bc : "=&r"(v_) \
                         : "r"((uint64_t)(b)), "r"((uint64_t)(crv))            \
                         : "r0", "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7"); \
        v_;                                                                    \
    })

#define ISEL_CR 0xa5c30f96UL
#define ISEL_BIT(bc) ((ISEL_CR >> (31 - (bc))) & 1)
#define ISEL_ONE(bc)                                                           \
    do {                                                                       \
        uint64_t v_ = ISEL(bc, ISEL_CR, 0x1111, 0x2222);                       \
        printf(" %lx", v_);                                                    \
        TEST_EQ(v_, ISEL_BIT(bc) ? 0x1111 : 0x2222);                           \
    } while (0)

static void check_isel(void)
{
    printf("isel:");
    ISEL_ONE(0); ISEL_ONE(1); ISEL_ONE(2); ISEL_ONE(3); ISEL_ONE(4); ISEL_ONE(5);
    ISEL_ONE(6); ISEL_ONE(7); ISEL_ONE(8); ISEL_ONE(9); ISEL_ONE(10); ISEL_ONE(11);
    ISEL_ONE(12); ISEL_ONE(13); ISEL_ONE(14); ISEL_ONE(15); ISEL_ONE(16); ISEL_ONE(17);
    ISEL_ONE(18); ISEL_ONE(19); ISEL_ONE(20); ISEL_ONE(21); ISEL_ONE(22); ISEL_ONE(23);
    ISEL_ONE(24); ISEL_ONE(25); ISEL_ONE(26); ISEL_ONE(27); ISEL_ONE(28); ISEL_ONE(29);
    ISEL_ONE(30); ISEL_ONE(31);
    printf("\n");
    TEST_EQ(ISEL0(0, ISEL_CR, 5), 0);           /* CR bit 0 set: RA = 0 reads as 0, not r0 */
    TEST_EQ(ISEL0(1, ISEL_CR, 5), 5);           /* CR bit 1 clear: RB */
}

/* ---- known answers ---------------------------------------------------------------- */

#define CRF(bf, v) ((uint64_t)(v) << (28 - 4 * (bf)))
#define LT 8
#define GT 4
#define EQ 2
#define SO 1

static void known_cmp(void)
{
    fx_res r;
    r = fx_rrr(cmpw_, 0x00000000ffffffffUL, 0, XER_SO);      /* low words: -1 < 0 */
    FX_CHECK("cmpw -1,0", &r, FX_RT_INIT, CRF(3, LT | SO), XER_SO);
    r = fx_rrr(cmpd_, 0x00000000ffffffffUL, 0, 0);           /* doublewords: > */
    FX_CHECK("cmpd", &r, FX_RT_INIT, CRF(3, GT), 0);
    r = fx_rrr(cmplw_, 0x1234567800000001UL, 0xffffffff00000001UL, 0);
    FX_CHECK("cmplw eq", &r, FX_RT_INIT, CRF(5, EQ), 0);
    r = fx_rrr(cmpld_, 1, ~0UL, 0);
    FX_CHECK("cmpld", &r, FX_RT_INIT, CRF(5, LT), 0);
    r = fx_rrr(cmpd32_, 0x100000000UL, 1, 0);                /* L=1 in 32-bit mode: 64-bit */
    FX_CHECK("32:cmpd", &r, FX_RT_INIT, CRF(0, GT), 0);
    r = fx_rrr(cmpw32_, 0x100000000UL, 1, 0);
    FX_CHECK("32:cmpw", &r, FX_RT_INIT, CRF(0, LT), 0);
    r = fx_rrr(cmprb0_, 0x35, 0x3930, XER_SO);               /* '5' in '0'..'9'; SO not copied */
    FX_CHECK("cmprb digit", &r, FX_RT_INIT, CRF(2, GT), XER_SO);
    r = fx_rrr(cmprb0_, 0x61, 0x7a615a41, 0);                /* 'a': only in the second range */
    FX_CHECK("cmprb L=0", &r, FX_RT_INIT, 0, 0);
    r = fx_rrr(cmprb1_, 0x61, 0x7a615a41, 0);
    FX_CHECK("cmprb L=1", &r, FX_RT_INIT, CRF(6, GT), 0);
    r = fx_rrr(cmpeqb_, 0x1234567800000041UL, 0x0102034104050607UL, XER_SO);
    FX_CHECK("cmpeqb", &r, FX_RT_INIT, CRF(4, GT), XER_SO);
    r = fx_rrr(cmpeqb_, 0x42, 0x0102034104050607UL, 0);
    FX_CHECK("cmpeqb none", &r, FX_RT_INIT, 0, 0);
}

/* ---- reserved-bit forms: illegal on QEMU 7.2 or not --------------------------------- */
static unsigned form_traps;
static uint64_t form_srr1;

static int on_form_trap(struct fw_trap *t)
{
    if (t->vec != FW_VEC_PROGRAM)
        return -1;
    form_traps++;
    form_srr1 = t->srr1;
    fw_trap_skip(t);
    return 0;
}

/* Run one word with r3..r5 and CR/XER as scratch; 1 if it was illegal. */
#define FORM(word, illegal)                                                    \
    do {                                                                       \
        form_traps = 0;                                                        \
        form_srr1 = 0;                                                         \
        __asm__ volatile("li 3,0x55\n\tli 4,0x66\n\tli 5,7\n\t.long " #word    \
                         : : : "r3", "r4", "r5", "cr0", "cr1", "cr2", "cr4", "cr6", "cr7", \
                           "xer", "memory");                                   \
        int ill_ = form_traps == 1 && (form_srr1 & FW_SRR1_PROGRAM_ILLEGAL);   \
        printf("form %s: %s\n", #word, ill_ ? "illegal" : form_traps ? "trap" : "ok"); \
        test_checkf(ill_ == (illegal) && form_traps == (unsigned)(illegal),    \
                    __FILE__, __LINE__, "form %s\n", #word);                   \
    } while (0)

static void check_forms(void)
{
    fw_trap_fn prev = fw_set_trap_handler(on_form_trap);
    /* Checked by QEMU: illegal. */
    FORM(0x7c6428d0, 1);    /* neg with RB != 0 */
    FORM(0x7c6429d4, 1);    /* addme with RB != 0 */
    FORM(0x7c642c96, 1);    /* mulhw with OE = 1 */
    FORM(0x7c642c92, 1);    /* mulhd with OE = 1 */
    FORM(0x7c6400f5, 1);    /* popcntb with Rc = 1 */
    FORM(0x7c6428f4, 1);    /* popcntb with RB != 0 */
    FORM(0x7c642e17, 1);    /* modsw with Rc = 1 */
    FORM(0x7c64295f, 1);    /* isel with bit 31 (ISA) set */
    FORM(0x7c6423f9, 1);    /* cmpb. */
    FORM(0x7c6421f9, 1);    /* bpermd. */
    FORM(0x7c6a0100, 1);    /* setb with BFA's low bits set */
    FORM(0x7c602900, 1);    /* setb with RB != 0 */
    FORM(0x7c600101, 1);    /* setb. */
    FORM(0x7c2321c0, 1);    /* cmpeqb with L = 1 */
    FORM(0x7c432180, 1);    /* cmprb with bit 9 (ISA) set */
    FORM(0x7c032181, 1);    /* cmprb. */
    FORM(0x7c7c05e6, 1);    /* darn with reserved bits 11:13 (ISA) set */
    FORM(0x7c600de6, 1);    /* darn with RB != 0 */
    FORM(0x7c642b54, 1);    /* addex with CY = 1 (reserved) */
    /* Ignored by QEMU: executes. */
    FORM(0x7c632000, 0);    /* cmp with bit 9 (ISA) set */
    FORM(0x7c232001, 0);    /* cmp. */
    FORM(0x7c232041, 0);    /* cmpl. */
    FORM(0x2c430005, 0);    /* cmpi with bit 9 set */
    FORM(0x7c832774, 0);    /* extsb with RB != 0 */
    FORM(0x7c832034, 0);    /* cntlzw with RB != 0 */
    FORM(0x7c0321c1, 0);    /* cmpeqb. */
    FORM(0x7c642955, 0);    /* addex with bit 31 set */
    FORM(0x7c642c95, 0);    /* addg6s with bits 21 and 31 set */
    FORM(0x7c832a35, 0);    /* cdtbcd with RB != 0 and bit 31 set */
    fw_set_trap_handler(prev);
}

int main(void)
{
    test_begin("isa/compare");
    known_cmp();
    check_setb();
    check_isel();
    check_forms();
    sweep_cmp();
    sweep_cmpi();
    sweep_cmprb();
    return test_report();
}
