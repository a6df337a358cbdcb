/*
 * printf.c - libfw's formatter: snprintf results against expected strings
 * for every conversion, flag, width, precision and length modifier, plus
 * truncation and the return value.
 */
#include "fw.h"

static char buf[128];
static const char *volatile null_str;   /* NULL, hidden from format checks */

#define CHECK_FMT(expect, ...)                                   \
    do {                                                         \
        int n_ = snprintf(buf, sizeof(buf), __VA_ARGS__);        \
        TEST_STREQ(buf, expect);                                 \
        TEST_EQ(n_, strlen(expect));                             \
    } while (0)

static void test_integers(void)
{
    test_begin("printf integers");
    CHECK_FMT("0 -1 42", "%d %i %d", 0, -1, 42);
    CHECK_FMT("-2147483648 2147483647", "%d %d", (int)0x80000000u, 0x7fffffff);
    CHECK_FMT("4294967295", "%u", 0xffffffffu);
    CHECK_FMT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
    CHECK_FMT("777", "%o", 0777);
    CHECK_FMT("-9223372036854775808", "%ld", (long)0x8000000000000000ul);
    CHECK_FMT("18446744073709551615", "%lu", ~0ul);
    CHECK_FMT("ffffffffffffffff", "%lx", ~0ul);
    CHECK_FMT("123456789abcdef0", "%llx", 0x123456789abcdef0ull);
    CHECK_FMT("-1234567890123", "%lld", -1234567890123ll);
    CHECK_FMT("9876543210", "%llu", 9876543210ull);
    CHECK_FMT("4096 -5", "%zu %zd", (size_t)4096, (long)-5);
    CHECK_FMT("255 65535", "%hhu %hu", 0x1ff, 0x1ffff);
    CHECK_FMT("-1", "%hhd", 0xff);
}

static void test_flags(void)
{
    test_begin("printf flags and widths");
    CHECK_FMT("[   42]", "[%5d]", 42);
    CHECK_FMT("[42   ]", "[%-5d]", 42);
    CHECK_FMT("[00042]", "[%05d]", 42);
    CHECK_FMT("[-0042]", "[%05d]", -42);
    CHECK_FMT("[  -42]", "[%5d]", -42);
    CHECK_FMT("[+42] [ 42]", "[%+d] [% d]", 42, 42);
    CHECK_FMT("[0x00ff]", "[0x%04x]", 0xff);
    CHECK_FMT("[0000000000001000]", "[%016lx]", 0x1000ul);
    CHECK_FMT("[0xff] [0XFF] [0] [017]", "[%#x] [%#X] [%#x] [%#o]", 0xff, 0xff, 0, 017);
    CHECK_FMT("[  007]", "[%5.3d]", 7);
    CHECK_FMT("[]", "[%.0d]", 0);
    CHECK_FMT("[    7]", "[%*d]", 5, 7);
    CHECK_FMT("[7    ]", "[%*d]", -5, 7);
    CHECK_FMT("[42]", "[%1d]", 42);
}

static void test_strings(void)
{
    test_begin("printf strings and chars");
    CHECK_FMT("hello", "%s", "hello");
    CHECK_FMT("[  abc]", "[%5s]", "abc");
    CHECK_FMT("[abc  ]", "[%-5s]", "abc");
    CHECK_FMT("[ab]", "[%.2s]", "abc");
    CHECK_FMT("[ab]", "[%.*s]", 2, "abcdef");
    CHECK_FMT("(null)", "%s", null_str);
    CHECK_FMT("x y", "%c %c", 'x', 'y');
    CHECK_FMT("[  z]", "[%3c]", 'z');
    CHECK_FMT("100%", "100%%");
    CHECK_FMT("0x1234", "%p", (void *)0x1234);
    CHECK_FMT("0x0", "%p", (void *)0);
    CHECK_FMT("", "%s", "");
}

static void test_truncation(void)
{
    char small[6];
    int n;

    test_begin("snprintf truncation");
    memset(small, 'X', sizeof(small));
    n = snprintf(small, sizeof(small), "%s", "0123456789");
    TEST_EQ(n, 10);
    TEST_STREQ(small, "01234");
    n = snprintf(small, 1, "abc");
    TEST_EQ(n, 3);
    TEST_EQ(small[0], '\0');
    small[0] = 'Q';
    n = snprintf(small, 0, "abc");
    TEST_EQ(n, 3);
    TEST_EQ(small[0], 'Q');
}

static void test_console(void)
{
    static const char line[] = "console: 0123456789abcdef0123456789ABC";

    test_begin("console");
    /* 39 characters: three H_PUT_TERM_CHAR calls, the last one partial. */
    TEST_EQ(printf("%s\n", line), sizeof(line));
    puts("console: puts works");
    putchar('c');
    putchar('\n');
}

int main(void)
{
    test_integers();
    test_flags();
    test_strings();
    test_truncation();
    test_console();
    return test_report();
}
