/*
 * test.h - self-checking test helpers and program exit.
 *
 * A test program counts failed checks and returns that count from main();
 * crt0 then calls fw_exit(count).  Checks print nothing when they pass and
 * "FAIL <file>:<line>: <expression> ..." (values in hex) when they fail, so
 * the output is identical on every correct machine.
 *
 *     int main(void)
 *     {
 *         test_begin("arith");
 *         TEST_EQ(6 * 7, 42);
 *         TEST_ASSERT(mfmsr() & MSR_LE);
 *         return test_report();
 *     }
 */
#ifndef FW_TEST_H
#define FW_TEST_H

#include "console.h"

extern int test_checks;     /* checks run so far */
extern int test_failures;   /* checks failed so far */

/* Prints "TEST <name>" (a section header). */
void test_begin(const char *name);
/* Prints "PASSED: N checks" or "FAILED: F of N checks"; returns F. */
int test_report(void);

int test_check(int ok, const char *file, int line, const char *expr);
int test_check_eq(unsigned long long a, unsigned long long b, const char *file, int line,
                  const char *ea, const char *eb);
int test_check_ne(unsigned long long a, unsigned long long b, const char *file, int line,
                  const char *ea, const char *eb);
int test_check_str(const char *a, const char *b, const char *file, int line,
                   const char *ea, const char *eb);
int test_checkf(int ok, const char *file, int line, const char *fmt, ...) FW_PRINTF(4, 5);

/* Each returns 1 if the check passed. */
#define TEST_ASSERT(cond) test_check(!!(cond), __FILE__, __LINE__, #cond)
#define TEST_EQ(a, b) \
    test_check_eq((unsigned long long)(a), (unsigned long long)(b), __FILE__, __LINE__, #a, #b)
#define TEST_NE(a, b) \
    test_check_ne((unsigned long long)(a), (unsigned long long)(b), __FILE__, __LINE__, #a, #b)
#define TEST_STREQ(a, b) test_check_str((a), (b), __FILE__, __LINE__, #a, #b)

/* Prints "EXIT: STATUS=<(code << 1) | 1>" and powers the machine off. */
void fw_exit(int code) __attribute__((noreturn));

#endif
