/* nesthv-test-args: -M pseries,cap-nested-hv=on */
/*
 * endian.c - a big-endian L1: H_ENTER_NESTED's structures are in the L1's
 * own byte order (MSR[LE] at the hcall), as Linux's L0 reads them
 * (papr-nested.md).  This L1 is little-endian C; it byte-swaps the
 * structures and makes the hcall itself in big-endian mode (a short
 * big-endian trampoline).  QEMU 7.2 copies the structures raw, so a
 * big-endian L1 does not work there (qemu-diff): the version reads as
 * 2 << 56 and H_ENTER_NESTED fails.
 */
#include "nhv.h"

static NhvGuest g;
static struct nhv_hvgs hv_be;
static struct nhv_regs regs_be;

/* long nhv_enter_be(hv, regs): H_ENTER_NESTED made with MSR[LE] = 0. */
long nhv_enter_be(void *hv, void *regs);
__asm__(".text\n"
        ".macro BE_INSN word\n"
        "    .byte ((\\word) >> 24) & 0xff, ((\\word) >> 16) & 0xff, ((\\word) >> 8) & 0xff, (\\word) & 0xff\n"
        ".endm\n"
        ".globl nhv_enter_be\n"
        "nhv_enter_be:\n"
        "    mr 5, 4\n"
        "    mr 4, 3\n"
        "    li 3, 0\n"
        "    ori 3, 3, 0xf804\n"          /* H_ENTER_NESTED */
        "    mflr 10\n"
        "    mfmsr 11\n"
        "    li 9, 1\n"
        "    andc 11, 11, 9\n"            /* MSR[LE] = 0 */
        "    bcl 20, 31, 1f\n"
        "1:  mflr 9\n"
        "    addi 9, 9, 2f - 1b\n"
        "    mtsrr0 9\n"
        "    mtsrr1 11\n"
        "    rfid\n"
        "2:  BE_INSN 0x44000022\n"        /* sc 1 */
        "    BE_INSN 0x7d6000a6\n"        /* mfmsr  r11 */
        "    BE_INSN 0x616b0001\n"        /* ori    r11,r11,1 (LE) */
        "    BE_INSN 0x429f0005\n"        /* bcl    20,31,.+4 */
        "    BE_INSN 0x7d2802a6\n"        /* mflr   r9 */
        "    BE_INSN 0x39290014\n"        /* addi   r9,r9,20 */
        "    BE_INSN 0x7d3a03a6\n"        /* mtsrr0 r9 */
        "    BE_INSN 0x7d7b03a6\n"        /* mtsrr1 r11 */
        "    BE_INSN 0x4c000024\n"        /* rfid */
        "    mtlr 10\n"
        "    blr\n"
        ".purgem BE_INSN\n");

/* Swap a structure of doublewords between byte orders; the doubleword at index `pair` holds two words. */
static void swap(void *p, size_t bytes, int pair)
{
    uint64_t *d = p;
    for (size_t i = 0; i < bytes / 8; i++) {
        if ((int)i == pair) {
            uint32_t *w = (uint32_t *)&d[i];
            w[0] = __builtin_bswap32(w[0]);
            w[1] = __builtin_bswap32(w[1]);
        } else {
            d[i] = __builtin_bswap64(d[i]);
        }
    }
}

static unsigned long l2_fn(unsigned long a)
{
    return (unsigned long)nhv_l2_hcall(NHV_HC_TEST | 5, a, 0) * 3;
}

/* One H_ENTER_NESTED from big-endian mode with g's state; g gets the written-back state. */
static long enter_be(void)
{
    g.hv.hdec_expiry = mftb() + NHV_HDEC_FAR;
    hv_be = g.hv;
    regs_be = g.regs;
    swap(&hv_be, sizeof hv_be, 1);
    swap(&regs_be, sizeof regs_be, -1);
    long v = nhv_enter_be(&hv_be, &regs_be);
    g.hv = hv_be;
    g.regs = regs_be;
    swap(&g.hv, sizeof g.hv, 1);
    swap(&g.regs, sizeof g.regs, -1);
    return v;
}

int main(void)
{
    nhv_init(0);
    nhv_guest_init(&g, 1, NULL);
    test_begin("big-endian L1");
    nhv_call(&g, l2_fn, 7);
    long v = enter_be();
    if (v < 0) {
        printf("H_ENTER_NESTED from big-endian mode: %ld\n", v);
        return test_report();
    }
    printf("exit 0x%lx: hcall 0x%lx(%lu)\n", v, g.regs.gpr[3], g.regs.gpr[4]);
    g.regs.gpr[3] = 11;
    v = enter_be();
    printf("exit 0x%lx: done 0x%lx, result %lu\n", v, g.regs.gpr[3], g.regs.gpr[4]);
    TEST_EQ(g.regs.gpr[4], 33);
    TEST_EQ(g.hv.version, HVGS_VERSION_2);
    TEST_EQ(g.hv.lpid, 1);
    return test_report();
}
