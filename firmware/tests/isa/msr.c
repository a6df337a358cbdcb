/*
 * msr.c - which MSR bits rfid, mtmsrd and mtmsr can change
 * (Power ISA v3.0B Book III 4.2, 4.4; behaviour of QEMU 7.2 pseries).
 *
 * Each bit of the current MSR is flipped, one at a time, through
 *   rfid (SRR1), mtmsrd L=0, mtmsrd L=1, mtmsr L=0, mtmsr L=1,
 * and the MSR read back by mfmsr is compared: the printed masks are the
 * bits each form changed.  Expected: rfid reaches the implemented bits
 * (SF TM VEC VSX EE PR FP ME FE0 SE BE FE1 IR DR PMM RI LE), never HV, S
 * or TS; mtmsrd L=0 also leaves ME and LE alone; mtmsr L=0 only writes the
 * low word; L=1 writes EE and RI only.  MSR[PR] = 1 forces EE, IR and DR.
 *
 * Not printed: clearing ME.  The ISA says a non-hypervisor rfid leaves ME
 * unchanged; nesthv keeps ME set once it is set, QEMU 7.2 lets rfid clear
 * it (docs/conformance.md).  LE, IR and SE are covered elsewhere (the code
 * would run byte-swapped / untranslated / traced).
 */
#include "fw.h"
#include "user_mode.h"

extern unsigned long probe_rfid(unsigned long srr1, void *target, unsigned long r5);
extern char probe_recover[], snip_mfmsr[], snip_mtmsrd0[], snip_mtmsrd1[], snip_mtmsr0[],
    snip_mtmsr1[], snip_32bit[];

/* probe_rfid(srr1, target, r5): rfid to target with MSR = srr1; the target
   ends with sc 0, whose handler resumes at probe_recover (returns r3). */
__asm__(
"    .text\n"
"    .globl probe_rfid, probe_recover\n"
"probe_rfid:\n"
"    mflr  12\n"
"    mtsrr0 4\n"
"    mtsrr1 3\n"
"    rfid\n"
"probe_recover:\n"
"    mtlr  12\n"
"    blr\n"
"    .globl snip_mfmsr, snip_mtmsrd0, snip_mtmsrd1, snip_mtmsr0, snip_mtmsr1, snip_32bit\n"
"snip_mfmsr:   mfmsr 3\n      sc 0\n"
"snip_mtmsrd0: mtmsrd 5, 0\n  mfmsr 3\n  sc 0\n"
"snip_mtmsrd1: mtmsrd 5, 1\n  mfmsr 3\n  sc 0\n"
"snip_mtmsr0:  mtmsr 5, 0\n   mfmsr 3\n  sc 0\n"
"snip_mtmsr1:  mtmsr 5, 1\n   mfmsr 3\n  sc 0\n"
/* 32-bit mode: bl sets LR to a 32-bit address; return LR in r3, r4 = MSR */
"snip_32bit:   bl 1f\n"
"1:            mflr 3\n   mfmsr 4\n  sc 0\n");

#define MSR_SKIP  (MSR_LE | MSR_IR | MSR_SE | MSR_PR)   /* covered by other tests */
#define MSR_ME_BIT 51

static unsigned long kmsr;
static struct fw_trap last;

static int on_trap(struct fw_trap *t)
{
    last = *t;
    t->srr0 = (unsigned long)probe_recover;
    t->srr1 = kmsr;
    return 0;
}

/* Bits that changed when each bit of kmsr was flipped through form `snip`. */
static unsigned long changed_mask(void *snip, int via_rfid)
{
    unsigned long mask = 0;
    int b;

    for (b = 0; b < 64; b++) {
        unsigned long bit = PPC_BIT(b), want = kmsr ^ bit, got;
        if ((bit & MSR_SKIP) || (b == MSR_ME_BIT && (kmsr & MSR_ME)))
            continue;
        got = via_rfid ? probe_rfid(want, snip, 0) : probe_rfid(kmsr, snip, want);
        if (last.vec != FW_VEC_SYSCALL)
            printf("bit %d: unexpected interrupt 0x%lx\n", b, (unsigned long)last.vec);
        mask |= (got ^ kmsr) & bit;
    }
    return mask;
}

static unsigned long pr_msr(unsigned long x) { (void)x; return 0; }

int main(void)
{
    struct user_res r;

    mtdec(0x7fffffff);
    TEST_EQ(user_mode_init(), H_SUCCESS);
    fw_set_trap_handler(on_trap);
    kmsr = mfmsr();
    printf("MSR at start: %016lx\n", kmsr);

    test_begin("MSR bits each form can change");
    printf("rfid:      %016lx\n", changed_mask(snip_mfmsr, 1));
    printf("mtmsrd 0:  %016lx\n", changed_mask(snip_mtmsrd0, 0));
    printf("mtmsrd 1:  %016lx\n", changed_mask(snip_mtmsrd1, 0));
    printf("mtmsr 0:   %016lx\n", changed_mask(snip_mtmsr0, 0));
    printf("mtmsr 1:   %016lx\n", changed_mask(snip_mtmsr1, 0));

    test_begin("mtmsrd cannot clear MSR[ME]");
    TEST_EQ(probe_rfid(kmsr, snip_mtmsrd0, kmsr & ~MSR_ME) & MSR_ME, MSR_ME);

    test_begin("rfid into 32-bit mode and back");
    {
        unsigned long lr = probe_rfid(kmsr & ~MSR_SF, snip_32bit, 0);
        TEST_EQ(lr, ((unsigned long)snip_32bit + 4) & 0xffffffffu);
        TEST_EQ(last.gpr[4] & MSR_SF, 0);
        TEST_EQ(last.srr1 & MSR_SF, 0);           /* SRR1 of the sc: 32-bit */
        TEST_EQ(mfmsr() & MSR_SF, MSR_SF);        /* the interrupt returned to 64-bit */
        /* SRR0 with high bits: the rfid target is truncated to 32 bits */
        lr = probe_rfid(kmsr & ~MSR_SF, (void *)((unsigned long)snip_32bit | 0xabcd000000000000ul), 0);
        TEST_EQ(lr, ((unsigned long)snip_32bit + 4) & 0xffffffffu);
    }

    test_begin("problem state forces EE, IR, DR");
    fw_set_trap_handler(NULL);
    TEST_EQ(user_call(pr_msr, 0, 0, &r), 1);
    TEST_EQ(r.srr1 & (MSR_PR | MSR_EE | MSR_IR | MSR_DR), MSR_PR | MSR_EE | MSR_IR | MSR_DR);
    {
        /* mfmsr is privileged: program interrupt with SRR1[PRIV] */
        static unsigned long (*const f)(unsigned long) = (unsigned long (*)(unsigned long))snip_mfmsr;
        TEST_EQ(user_call(f, 0, 0, &r), 0);
        TEST_EQ(r.vec, FW_VEC_PROGRAM);
        TEST_EQ(r.srr1 & FW_SRR1_PROGRAM_PRIV, FW_SRR1_PROGRAM_PRIV);
        TEST_EQ(r.srr0, (unsigned long)snip_mfmsr);
    }
    return test_report();
}
