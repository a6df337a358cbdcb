/*
 * string.c - libfw's memory and string functions, including overlapping
 * memmove in both directions and the sign of comparison results.
 */
#include "fw.h"

static char a[64], b[64];

static void test_mem(void)
{
    test_begin("mem*");
    TEST_EQ(memset(a, 0x5a, sizeof(a)), a);
    TEST_EQ(a[0], 0x5a);
    TEST_EQ(a[63], 0x5a);
    memset(a + 1, 0, 3);
    TEST_EQ(a[0] | a[4], 0x5a);
    TEST_EQ(a[1] | a[2] | a[3], 0);

    TEST_EQ(memcpy(b, "0123456789", 11), b);
    TEST_STREQ(b, "0123456789");
    memmove(b + 2, b, 8);                   /* destination above source */
    TEST_STREQ(b, "0101234567");
    memcpy(b, "0123456789", 11);
    memmove(b, b + 3, 7);                   /* destination below source */
    TEST_STREQ(b, "3456789789");

    TEST_EQ(memcmp("abc", "abc", 3), 0);
    TEST_ASSERT(memcmp("abc", "abd", 3) < 0);
    TEST_ASSERT(memcmp("\xff", "\x01", 1) > 0);     /* unsigned bytes */
    TEST_EQ(memcmp("abc", "xyz", 0), 0);
}

static void test_str(void)
{
    const char *s = "hello, world";

    test_begin("str*");
    TEST_EQ(strlen(""), 0);
    TEST_EQ(strlen(s), 12);
    TEST_EQ(strnlen(s, 5), 5);
    TEST_EQ(strnlen(s, 100), 12);
    TEST_EQ(strcmp(s, "hello, world"), 0);
    TEST_ASSERT(strcmp("abc", "abd") < 0);
    TEST_ASSERT(strcmp("abcd", "abc") > 0);
    TEST_ASSERT(strcmp("\xff", "a") > 0);
    TEST_EQ(strncmp("abcdef", "abcxyz", 3), 0);
    TEST_ASSERT(strncmp("abcdef", "abcxyz", 4) < 0);
    TEST_EQ(strncmp("ab", "ab", 10), 0);
    TEST_EQ(strchr(s, 'w'), s + 7);
    TEST_EQ(strchr(s, '\0'), s + 12);
    TEST_ASSERT(strchr(s, 'z') == NULL);
}

int main(void)
{
    test_mem();
    test_str();
    return test_report();
}
