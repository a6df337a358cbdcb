/*
 * console.c - buffered console output via H_PUT_TERM_CHAR, plus printf,
 * vprintf and puts on top of the formatter in printf.c.
 *
 * H_PUT_TERM_CHAR(r4 = terminal, r5 = length <= 16, r6/r7 = the bytes
 * packed big-endian: first byte in the most significant byte of r6).
 */
#include "console.h"
#include "fwstring.h"
#include "hcall.h"

#define TERM_BYTES_PER_REG 8
#define TERM_BUSY_RETRIES  1000

static char con_buf[FW_TERM_CHARS_MAX];
static size_t con_len;

/* Pack up to 8 bytes big-endian into one register image. */
static unsigned long pack_be(const char *s, size_t n)
{
    unsigned long v = 0;
    size_t i;

    for (i = 0; i < TERM_BYTES_PER_REG; i++)
        v = (v << 8) | (i < n ? (unsigned char)s[i] : 0);
    return v;
}

static void term_put(const char *s, size_t n)
{
    unsigned long hi = pack_be(s, n);
    unsigned long lo = n > TERM_BYTES_PER_REG ?
                       pack_be(s + TERM_BYTES_PER_REG, n - TERM_BYTES_PER_REG) : 0;
    int tries;

    for (tries = 0; tries < TERM_BUSY_RETRIES; tries++) {
        if (hcall(H_PUT_TERM_CHAR, FW_CONSOLE_TERM, n, hi, lo) != H_BUSY)
            break;
    }
}

void console_flush(void)
{
    if (con_len) {
        term_put(con_buf, con_len);
        con_len = 0;
    }
}

int putchar(int c)
{
    con_buf[con_len++] = (char)c;
    if (con_len == FW_TERM_CHARS_MAX || c == '\n')
        console_flush();
    return (unsigned char)c;
}

void console_write(const char *s, size_t n)
{
    while (n--)
        putchar(*s++);
}

int puts(const char *s)
{
    console_write(s, strlen(s));
    putchar('\n');
    return 0;
}

static void emit_console(void *ctx, char c)
{
    (void)ctx;
    putchar(c);
}

int vprintf(const char *fmt, va_list ap)
{
    int n = fw_vformat(emit_console, NULL, fmt, ap);

    console_flush();
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}
