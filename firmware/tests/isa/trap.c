/*
 * trap.c - tw, twi, td, tdi (Power ISA v3.0B Book I 3.3.11): each TO bit
 * alone against signed/unsigned less, greater and equal operands, word
 * forms comparing the low words only, and the program interrupt a trap
 * raises (SRR0 = the trap, SRR1[46] = trap).  TO = 0 never traps, TO = 31
 * always does ("trap" = tw 31,0,0).
 */
#include "fw.h"

#define TO_LT  0x10
#define TO_GT  0x08
#define TO_EQ  0x04
#define TO_LTU 0x02
#define TO_GTU 0x01
#define TO_ALL 0x1f

static unsigned traps;
static struct fw_trap last;

static int on_trap(struct fw_trap *t)
{
    if (t->vec != FW_VEC_PROGRAM)
        return -1;
    traps++;
    last = *t;
    fw_trap_skip(t);
    return 0;
}

/* Register forms need TO as an immediate: one function per TO value. */
#define TW_FN(to)                                                           \
    static unsigned tw_##to(unsigned long a, unsigned long b)               \
    {                                                                       \
        unsigned before = traps;                                            \
        __asm__ volatile("tw " #to ", %0, %1" : : "r"(a), "r"(b) : "memory"); \
        return traps - before;                                              \
    }                                                                       \
    static unsigned td_##to(unsigned long a, unsigned long b)               \
    {                                                                       \
        unsigned before = traps;                                            \
        __asm__ volatile("td " #to ", %0, %1" : : "r"(a), "r"(b) : "memory"); \
        return traps - before;                                              \
    }                                                                       \
    static unsigned twi_##to(unsigned long a)                               \
    {                                                                       \
        unsigned before = traps;                                            \
        __asm__ volatile("twi " #to ", %0, -2" : : "r"(a) : "memory");      \
        return traps - before;                                              \
    }                                                                       \
    static unsigned tdi_##to(unsigned long a)                               \
    {                                                                       \
        unsigned before = traps;                                            \
        __asm__ volatile("tdi " #to ", %0, -2" : : "r"(a) : "memory");      \
        return traps - before;                                              \
    }

TW_FN(0) TW_FN(1) TW_FN(2) TW_FN(4) TW_FN(8) TW_FN(16) TW_FN(31)

typedef unsigned (*trap2_fn)(unsigned long, unsigned long);
typedef unsigned (*trap1_fn)(unsigned long);

static const struct { unsigned to; trap2_fn tw, td; trap1_fn twi, tdi; } forms[] = {
    { 0, tw_0, td_0, twi_0, tdi_0 },     { TO_GTU, tw_1, td_1, twi_1, tdi_1 },
    { TO_LTU, tw_2, td_2, twi_2, tdi_2 }, { TO_EQ, tw_4, td_4, twi_4, tdi_4 },
    { TO_GT, tw_8, td_8, twi_8, tdi_8 },  { TO_LT, tw_16, td_16, twi_16, tdi_16 },
    { TO_ALL, tw_31, td_31, twi_31, tdi_31 },
};

/* Operand pairs: equal, signed/unsigned disagreeing, equal low words only. */
static const struct { unsigned long a, b; } pairs[] = {
    { 5, 5 }, { 3, 7 }, { 7, 3 }, { (unsigned long)-1, 1 }, { 1, (unsigned long)-1 },
    { 0x100000005ul, 5 }, { 0x80000000ul, 1 }, { 0xfffffffffffffffeul, 0xfffffffeul },
};

int main(void)
{
    unsigned f, p;

    fw_set_trap_handler(on_trap);
    test_begin("trap: tw td twi tdi, TO bits x operands");
    for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
        printf("TO=%02x tw/td:", forms[f].to);
        for (p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++)
            printf(" %u%u", forms[f].tw(pairs[p].a, pairs[p].b), forms[f].td(pairs[p].a, pairs[p].b));
        printf("  twi/tdi(-2):");
        for (p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++)
            printf(" %u%u", forms[f].twi(pairs[p].a), forms[f].tdi(pairs[p].a));
        printf("\n");
    }

    test_begin("trap: interrupt state");
    traps = 0;
    __asm__ volatile("trap_here: trap" : : : "memory");
    {
        extern char trap_here[];
        TEST_EQ(traps, 1);
        TEST_EQ(last.srr0, (unsigned long)trap_here);
        TEST_EQ(last.srr1 & (FW_SRR1_PROGRAM_TRAP | FW_SRR1_PROGRAM_ILLEGAL | FW_SRR1_PROGRAM_PRIV |
                             FW_SRR1_PROGRAM_NEXT), FW_SRR1_PROGRAM_TRAP);
        TEST_EQ(last.srr1 & (MSR_SF | MSR_LE | MSR_ME), MSR_SF | MSR_LE | MSR_ME);
    }
    return test_report();
}
