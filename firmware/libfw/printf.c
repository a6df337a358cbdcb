/*
 * printf.c - the printf formatter (fw_vformat) and snprintf/vsnprintf.
 *
 * Integer-only (no FP).  Supports %d %i %u %x %X %o %c %s %p %%, the flags
 * '-' '0' '+' ' ' '#', width and precision (digits or '*') and the length
 * modifiers hh h l ll z t j.  Output goes character by character through an
 * emit callback, so there is no length limit.
 */
#include <stdbool.h>
#include <stdint.h>
#include "console.h"

enum fmt_len { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

struct fmt_spec {
    bool left, zero, plus, space, alt;
    int width;              /* 0 = none */
    int prec;               /* -1 = none */
    enum fmt_len len;
    char conv;
};

struct fmt_out {
    fw_emit_fn emit;
    void *ctx;
    int count;
};

#define NUM_BUF_MAX 24      /* 64-bit value in octal: 22 digits */

static void out_char(struct fmt_out *o, char c)
{
    o->emit(o->ctx, c);
    o->count++;
}

static void out_repeat(struct fmt_out *o, char c, int n)
{
    while (n-- > 0)
        out_char(o, c);
}

static void out_mem(struct fmt_out *o, const char *s, int n)
{
    while (n-- > 0)
        out_char(o, *s++);
}

/* ---- parsing ----------------------------------------------------------- */

static const char *parse_flags(const char *f, struct fmt_spec *s)
{
    for (;; f++) {
        switch (*f) {
        case '-': s->left = true; break;
        case '0': s->zero = true; break;
        case '+': s->plus = true; break;
        case ' ': s->space = true; break;
        case '#': s->alt = true; break;
        default: return f;
        }
    }
}

/* A decimal number (0 if absent) or '*' (taken from the arguments). */
static const char *parse_count(const char *f, va_list *ap, int *out)
{
    if (*f == '*') {
        *out = va_arg(*ap, int);
        return f + 1;
    }
    *out = 0;
    for (; *f >= '0' && *f <= '9'; f++)
        *out = *out * 10 + (*f - '0');
    return f;
}

static const char *parse_length(const char *f, enum fmt_len *len)
{
    *len = LEN_INT;
    switch (*f) {
    case 'h':
        if (f[1] == 'h') { *len = LEN_CHAR; return f + 2; }
        *len = LEN_SHORT;
        return f + 1;
    case 'l':
        if (f[1] == 'l') { *len = LEN_LLONG; return f + 2; }
        *len = LEN_LONG;
        return f + 1;
    case 'j': *len = LEN_LLONG; return f + 1;
    case 'z': case 't': *len = LEN_SIZE; return f + 1;
    default: return f;
    }
}

/* f points just past '%'; returns the position after the conversion char. */
static const char *parse_spec(const char *f, va_list *ap, struct fmt_spec *s)
{
    *s = (struct fmt_spec){ .prec = -1 };
    f = parse_flags(f, s);
    f = parse_count(f, ap, &s->width);
    if (s->width < 0) {                 /* "*" with a negative value */
        s->left = true;
        s->width = -s->width;
    }
    if (*f == '.') {
        f = parse_count(f + 1, ap, &s->prec);
        if (s->prec < 0)
            s->prec = -1;
    }
    f = parse_length(f, &s->len);
    s->conv = *f;
    return *f ? f + 1 : f;
}

/* ---- arguments --------------------------------------------------------- */

static unsigned long long arg_unsigned(va_list *ap, enum fmt_len len)
{
    switch (len) {
    case LEN_CHAR:  return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_LONG:  return va_arg(*ap, unsigned long);
    case LEN_LLONG: return va_arg(*ap, unsigned long long);
    case LEN_SIZE:  return va_arg(*ap, size_t);
    default:        return va_arg(*ap, unsigned int);
    }
}

static long long arg_signed(va_list *ap, enum fmt_len len)
{
    switch (len) {
    case LEN_CHAR:  return (signed char)va_arg(*ap, int);
    case LEN_SHORT: return (short)va_arg(*ap, int);
    case LEN_LONG:  return va_arg(*ap, long);
    case LEN_LLONG: return va_arg(*ap, long long);
    case LEN_SIZE:  return va_arg(*ap, long);      /* ssize_t / ptrdiff_t */
    default:        return va_arg(*ap, int);
    }
}

/* ---- conversions ------------------------------------------------------- */

/* Digits of v in base, least significant first; returns the digit count. */
static int digits_rev(char *buf, unsigned long long v, unsigned base, bool upper)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;

    while (v) {
        buf[n++] = set[v % base];
        v /= base;
    }
    return n;
}

static const char *int_prefix(const struct fmt_spec *s, bool neg, bool nonzero)
{
    if (neg)
        return "-";
    if (s->conv == 'd' || s->conv == 'i')
        return s->plus ? "+" : s->space ? " " : "";
    if (s->conv == 'p' || (s->alt && nonzero && s->conv == 'x'))
        return "0x";
    if (s->alt && nonzero && s->conv == 'X')
        return "0X";
    return "";
}

static void fmt_integer(struct fmt_out *o, const struct fmt_spec *s,
                        unsigned long long mag, bool neg)
{
    char buf[NUM_BUF_MAX];
    unsigned base = (s->conv == 'o') ? 8 : (s->conv == 'x' || s->conv == 'X' ||
                                            s->conv == 'p') ? 16 : 10;
    int ndig = digits_rev(buf, mag, base, s->conv == 'X');
    int prec = s->prec < 0 ? 1 : s->prec;
    int zeros = prec > ndig ? prec - ndig : 0;
    const char *prefix = int_prefix(s, neg, mag != 0);
    int plen = 0, pad;

    if (s->conv == 'o' && s->alt && zeros == 0 && (ndig == 0 || buf[ndig - 1] != '0'))
        zeros = 1;                      /* "%#o": the result starts with 0 */
    while (prefix[plen])
        plen++;
    pad = s->width - (plen + zeros + ndig);
    if (!s->left && !(s->zero && s->prec < 0))
        out_repeat(o, ' ', pad);
    out_mem(o, prefix, plen);
    if (!s->left && s->zero && s->prec < 0)
        out_repeat(o, '0', pad);
    out_repeat(o, '0', zeros);
    while (ndig > 0)
        out_char(o, buf[--ndig]);
    if (s->left)
        out_repeat(o, ' ', pad);
}

static void fmt_string(struct fmt_out *o, const struct fmt_spec *s, const char *str)
{
    int n = 0;

    if (!str)
        str = "(null)";
    while (str[n] && (s->prec < 0 || n < s->prec))
        n++;
    if (!s->left)
        out_repeat(o, ' ', s->width - n);
    out_mem(o, str, n);
    if (s->left)
        out_repeat(o, ' ', s->width - n);
}

static void fmt_one(struct fmt_out *o, struct fmt_spec *s, va_list *ap)
{
    char c;
    long long v;

    switch (s->conv) {
    case 'd': case 'i':
        v = arg_signed(ap, s->len);
        fmt_integer(o, s, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v,
                    v < 0);
        break;
    case 'u': case 'x': case 'X': case 'o':
        fmt_integer(o, s, arg_unsigned(ap, s->len), false);
        break;
    case 'p':
        fmt_integer(o, s, (uintptr_t)va_arg(*ap, void *), false);
        break;
    case 's':
        fmt_string(o, s, va_arg(*ap, const char *));
        break;
    case 'c':
        c = (char)va_arg(*ap, int);
        if (!s->left)
            out_repeat(o, ' ', s->width - 1);
        out_char(o, c);
        if (s->left)
            out_repeat(o, ' ', s->width - 1);
        break;
    case '%':
        out_char(o, '%');
        break;
    default:                            /* unknown: print it as written */
        out_char(o, '%');
        if (s->conv)
            out_char(o, s->conv);
        break;
    }
}

int fw_vformat(fw_emit_fn emit, void *ctx, const char *fmt, va_list ap)
{
    struct fmt_out o = { emit, ctx, 0 };
    struct fmt_spec spec;
    va_list aq;

    va_copy(aq, ap);
    while (*fmt) {
        if (*fmt != '%') {
            out_char(&o, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &aq, &spec);
        fmt_one(&o, &spec, &aq);
    }
    va_end(aq);
    return o.count;
}

/* ---- snprintf ---------------------------------------------------------- */

struct sn_buf {
    char *buf;
    size_t size;
    size_t pos;
};

static void emit_buf(void *ctx, char c)
{
    struct sn_buf *b = ctx;

    if (b->pos + 1 < b->size)
        b->buf[b->pos] = c;
    b->pos++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sn_buf b = { buf, size, 0 };
    int n = fw_vformat(emit_buf, &b, fmt, ap);

    if (size)
        buf[b.pos < size ? b.pos : size - 1] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
