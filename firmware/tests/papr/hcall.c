/*
 * hcall.c - the basic PAPR hypercalls and their error codes, as a pseries
 * guest sees them (PAPR 14.5; the values QEMU's pseries returns).
 *
 * Covered: unknown numbers (H_FUNCTION), H_SET_SPRG0, H_SET_DABR, H_PAGE_INIT, H_SET_MODE,
 * H_PUT_TERM_CHAR / H_GET_TERM_CHAR, H_RANDOM, H_CEDE.
 * Not here yet: hcalls from problem state (H_PRIVILEGE).  MSR[PR] = 1 forces
 * MSR[IR] = MSR[DR] = 1 (Book III 4.2.1), so such a test needs page tables:
 * it belongs with the radix MMU tests.
 */
#include "fw.h"

#define PAGE 4096UL

static uint8_t page_a[PAGE] __attribute__((aligned(PAGE)));
static uint8_t page_b[PAGE] __attribute__((aligned(PAGE)));

static unsigned long ram_size(void)
{
    const void *fdt = fw_fdt();
    uint64_t addr, size;
    int node = fdt ? fdt_node_by_path(fdt, "/memory@0") : -1;
    if (node < 0 || fdt_reg(fdt, node, 0, &addr, &size) != 0)
        return 1UL << 30;
    return size;
}

static void test_unknown(void)
{
    test_begin("unknown hcalls");
    TEST_EQ(hcall(0x1234), H_FUNCTION);
    TEST_EQ(hcall(0x5), H_FUNCTION);
}

static void test_sprg0_dabr(void)
{
    test_begin("H_SET_SPRG0 / H_SET_DABR");
    TEST_EQ(hcall(H_SET_SPRG0, 0x1122334455667788UL), H_SUCCESS);
    TEST_EQ(mfspr(SPR_SPRG0), 0x1122334455667788UL);
    /* POWER9 has no DABR (it has DAWR): the answer is H_HARDWARE, never H_PRIVILEGE. */
    TEST_EQ(hcall(H_SET_DABR, 0x1000 | 7), H_HARDWARE);
}

static void test_page_init(void)
{
    unsigned long a = (unsigned long)page_a, b = (unsigned long)page_b;
    test_begin("H_PAGE_INIT");
    memset(page_a, 0x5a, PAGE);
    memset(page_b, 0xa5, PAGE);
    TEST_EQ(hcall(H_PAGE_INIT, H_PAGE_INIT_ZERO, a, 0), H_SUCCESS);
    TEST_EQ(page_a[0] | page_a[PAGE - 1] | page_a[PAGE / 2], 0);
    TEST_EQ(hcall(H_PAGE_INIT, H_PAGE_INIT_COPY, a, b), H_SUCCESS);
    TEST_EQ(page_a[0], 0xa5);
    TEST_EQ(page_a[PAGE - 1], 0xa5);
    TEST_EQ(hcall(H_PAGE_INIT, 1UL, a, 0), H_PARAMETER);                       /* reserved flag */
    TEST_EQ(hcall(H_PAGE_INIT, H_PAGE_INIT_ZERO, a + 8, 0), H_PARAMETER);      /* unaligned dst */
    TEST_EQ(hcall(H_PAGE_INIT, H_PAGE_INIT_ZERO, ram_size(), 0), H_PARAMETER); /* beyond RAM */
    TEST_EQ(hcall(H_PAGE_INIT, H_PAGE_INIT_COPY, a, b + 8), H_PARAMETER);      /* unaligned src */
    TEST_EQ(hcall(H_PAGE_INIT, H_PAGE_INIT_COPY, a, ram_size()), H_PARAMETER); /* src beyond RAM */
    TEST_EQ(hcall(H_PAGE_INIT, H_PAGE_INIT_ZERO, -4096UL, 0), H_PARAMETER);    /* wraps */
}

static void test_set_mode(void)
{
    test_begin("H_SET_MODE");
    TEST_EQ(hcall(H_SET_MODE, 1, H_SET_MODE_RESOURCE_LE, 1, 0), H_P3);
    TEST_EQ(hcall(H_SET_MODE, 1, H_SET_MODE_RESOURCE_LE, 0, 1), H_P4);
    TEST_EQ(hcall(H_SET_MODE, 2, H_SET_MODE_RESOURCE_LE, 0, 0), H_UNSUPPORTED_FLAG);
    TEST_EQ(hcall(H_SET_MODE, 1, H_SET_MODE_RESOURCE_LE, 0, 0), H_SUCCESS);
    TEST_EQ(hcall(H_SET_MODE, 1, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0), H_UNSUPPORTED_FLAG);
    TEST_EQ(hcall(H_SET_MODE, 3, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 1, 0), H_P3);
    TEST_EQ(hcall(H_SET_MODE, 3, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 1), H_P4);
    TEST_EQ(hcall(H_SET_MODE, 3, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0), H_SUCCESS);
    TEST_EQ(hcall(H_SET_MODE, 0, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0), H_SUCCESS);
    TEST_EQ(hcall(H_SET_MODE, 0, 99, 0, 0), H_P2);
}

static void test_console(void)
{
    unsigned long out[HCALL_RET_MAX];
    test_begin("H_PUT_TERM_CHAR / H_GET_TERM_CHAR");
    /* "ok\n" through the vty's unit address rather than 0 */
    TEST_EQ(hcall(H_PUT_TERM_CHAR, 0x71000000UL, 3, 0x6f6b0a0000000000UL, 0), H_SUCCESS);
    TEST_EQ(hcall(H_PUT_TERM_CHAR, 0, 17, 0, 0), H_PARAMETER);
    TEST_EQ(hcall(H_PUT_TERM_CHAR, 5, 1, 0x4100000000000000UL, 0), H_PARAMETER);
    TEST_EQ(hcall(H_PUT_TERM_CHAR, 0, 0, 0, 0), H_SUCCESS);
    TEST_EQ(hcall_out(out, H_GET_TERM_CHAR, 0), H_SUCCESS);
    TEST_EQ(out[0], 0); /* stdin is empty under the test runner */
    TEST_EQ(hcall(H_GET_TERM_CHAR, 5), H_PARAMETER);
}

static void test_random(void)
{
    unsigned long a[HCALL_RET_MAX], b[HCALL_RET_MAX];
    test_begin("H_RANDOM");
    /* nesthv always has a random source; QEMU needs -device spapr-rng (the test runner adds it). */
    TEST_EQ(hcall_out(a, H_RANDOM), H_SUCCESS);
    TEST_EQ(hcall_out(b, H_RANDOM), H_SUCCESS);
    TEST_NE(a[0], b[0]);
}

/* ---- H_CEDE wakes on the decrementer ---- */

static volatile int dec_seen;

static int on_dec(struct fw_trap *t)
{
    if (t->vec != FW_VEC_DECREMENTER)
        return 1;
    dec_seen++;
    mtspr(SPR_DEC, 0x7fffffffUL); /* silence it */
    return 0;
}

static void test_cede(void)
{
    test_begin("H_CEDE");
    fw_trap_fn old = fw_set_trap_handler(on_dec);
    mtmsrd(mfmsr() & ~MSR_EE);
    mtspr(SPR_DEC, 100000);
    TEST_EQ(hcall(H_CEDE), H_SUCCESS); /* enables MSR[EE]; returns when the DEC fires */
    for (int i = 0; i < 1000 && !dec_seen; i++)
        ;
    TEST_EQ(dec_seen, 1);
    mtmsrd(mfmsr() & ~MSR_EE);
    fw_set_trap_handler(old);
}

int main(void)
{
    fw_install_vectors();
    test_unknown();
    test_sprg0_dabr();
    test_page_init();
    test_set_mode();
    test_console();
    test_random();
    test_cede();
    return test_report();
}
