/*
 * test.c - check counters, failure reports, and fw_exit().
 */
#include "asm.h"
#include "fwstring.h"
#include "rtas.h"
#include "test.h"

int test_checks;
int test_failures;

void test_begin(const char *name)
{
    printf("TEST %s\n", name);
}

int test_report(void)
{
    if (test_failures)
        printf("FAILED: %d of %d checks\n", test_failures, test_checks);
    else
        printf("PASSED: %d checks\n", test_checks);
    return test_failures;
}

static int count(int ok)
{
    test_checks++;
    if (!ok)
        test_failures++;
    return ok;
}

int test_check(int ok, const char *file, int line, const char *expr)
{
    if (!count(ok))
        printf("FAIL %s:%d: %s\n", file, line, expr);
    return ok;
}

int test_check_eq(unsigned long long a, unsigned long long b, const char *file, int line,
                  const char *ea, const char *eb)
{
    int ok = count(a == b);

    if (!ok)
        printf("FAIL %s:%d: %s == %s: 0x%llx != 0x%llx\n", file, line, ea, eb, a, b);
    return ok;
}

int test_check_ne(unsigned long long a, unsigned long long b, const char *file, int line,
                  const char *ea, const char *eb)
{
    int ok = count(a != b);

    if (!ok)
        printf("FAIL %s:%d: %s != %s: both 0x%llx\n", file, line, ea, eb, a);
    return ok;
}

int test_check_str(const char *a, const char *b, const char *file, int line,
                   const char *ea, const char *eb)
{
    int ok = count(a && b && strcmp(a, b) == 0);

    if (!ok)
        printf("FAIL %s:%d: %s == %s: \"%s\" != \"%s\"\n", file, line, ea, eb,
               a ? a : "(null)", b ? b : "(null)");
    return ok;
}

int test_checkf(int ok, const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    if (!count(ok)) {
        printf("FAIL %s:%d: ", file, line);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
    }
    return ok;
}

void fw_exit(int code)
{
    console_flush();
    printf("EXIT: STATUS=%d\n", (int)(((unsigned)code << 1) | 1));
    rtas_power_off();
    printf("fw_exit: RTAS power-off failed\n");
    for (;;)
        cpu_relax();
}
