/*
 * boot.c - the state crt0 leaves for main(): MSR = SF|ME|RI|LE with
 * translation and interrupts off, a valid FDT in the entry r3, a 16-byte
 * aligned stack inside the image, initialised .data and zeroed .bss.
 */
#include "fw.h"

#define STACK_ALIGN   16
#define DATA_MAGIC    0x1122334455667788ul

extern char __image_start[], __image_end[];

static unsigned long data_word = DATA_MAGIC;
static unsigned long bss_words[64];

static void test_msr(void)
{
    unsigned long msr = mfmsr();

    test_begin("entry MSR");
    TEST_EQ(msr & (MSR_SF | MSR_ME | MSR_RI | MSR_LE), MSR_SF | MSR_ME | MSR_RI | MSR_LE);
    TEST_EQ(msr & (MSR_HV | MSR_PR | MSR_IR | MSR_DR | MSR_EE), 0);
}

static void test_registers(void)
{
    unsigned long sp = get_r1();
    size_t i;
    unsigned long any = 0;

    test_begin("entry registers and memory");
    TEST_ASSERT(fw_fdt() != NULL);
    TEST_EQ(fw_fdt(), fw_boot.r3);
    TEST_EQ(fw_boot.r4, 0);
    TEST_EQ(fw_boot.r5, 0);
    TEST_EQ((unsigned long)__image_start, 0x400000);
    TEST_EQ(sp % STACK_ALIGN, 0);
    TEST_ASSERT(sp > (unsigned long)__image_start && sp < (unsigned long)__image_end);
    TEST_EQ(data_word, DATA_MAGIC);
    for (i = 0; i < sizeof(bss_words) / sizeof(bss_words[0]); i++)
        any |= bss_words[i];
    TEST_EQ(any, 0);
}

static void test_pvr(void)
{
    test_begin("PVR");
    TEST_EQ(PVR_VERSION(mfpvr()), PVR_VER_POWER9);
}

int main(void)
{
    test_msr();
    test_registers();
    test_pvr();
    return test_report();
}
