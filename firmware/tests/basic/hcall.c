/*
 * hcall.c - hypercalls through libfw's hcall()/hcall_out(): unknown and
 * misaligned opcodes, output registers (H_GET_TERM_CHAR with no input),
 * H_SET_SPRG0, H_SET_DABR availability and H_PAGE_INIT zero/copy/errors.
 */
#include "fw.h"

#define PAGE_SIZE       4096
#define HCALL_UNKNOWN   0x3ffc      /* aligned, beyond every defined opcode */
#define HCALL_MISALIGN  0x5a        /* opcodes are multiples of 4 */
#define SPRG0_VALUE     0x0123456789abcdeful
#define FILL            0xa5

static uint8_t page_a[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t page_b[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static int all_bytes(const uint8_t *p, uint8_t v)
{
    size_t i;

    for (i = 0; i < PAGE_SIZE; i++) {
        if (p[i] != v)
            return 0;
    }
    return 1;
}

static void test_opcodes(void)
{
    unsigned long out[HCALL_RET_MAX];

    test_begin("hcall opcodes");
    TEST_EQ(hcall(HCALL_UNKNOWN), H_FUNCTION);
    TEST_EQ(hcall(HCALL_MISALIGN), H_FUNCTION);
    memset(out, 0xff, sizeof(out));
    TEST_EQ(hcall_out(out, H_GET_TERM_CHAR, FW_CONSOLE_TERM), H_SUCCESS);
    TEST_EQ(out[0], 0);                 /* no input pending */
    TEST_NE(hcall(H_SET_DABR, 0), H_PRIVILEGE);
}

static void test_sprg0(void)
{
    test_begin("H_SET_SPRG0");
    TEST_EQ(hcall(H_SET_SPRG0, SPRG0_VALUE), H_SUCCESS);
    TEST_EQ(mfspr(SPR_SPRG0), SPRG0_VALUE);
}

static void test_page_init(void)
{
    unsigned long a = (unsigned long)page_a, b = (unsigned long)page_b;

    test_begin("H_PAGE_INIT");
    memset(page_a, FILL, PAGE_SIZE);
    TEST_EQ(hcall(H_PAGE_INIT, H_PAGE_INIT_ZERO, a, 0), H_SUCCESS);
    TEST_ASSERT(all_bytes(page_a, 0));
    memset(page_b, FILL, PAGE_SIZE);
    TEST_EQ(hcall(H_PAGE_INIT, H_PAGE_INIT_COPY, a, b), H_SUCCESS);
    TEST_ASSERT(all_bytes(page_a, FILL));
    TEST_EQ(hcall(H_PAGE_INIT, H_PAGE_INIT_ZERO, a + 8, 0), H_PARAMETER);
    TEST_EQ(hcall(H_PAGE_INIT, H_PAGE_INIT_COPY, a, b + 8), H_PARAMETER);
}

int main(void)
{
    test_opcodes();
    test_sprg0();
    test_page_init();
    return test_report();
}
