/*
 * console.h - console output through the PAPR virtual terminal
 * (H_PUT_TERM_CHAR) and a small printf family.
 *
 * putchar() buffers up to 16 bytes (the most one H_PUT_TERM_CHAR carries)
 * and flushes at '\n' or when full; printf()/puts() flush when they return.
 * Formats: %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '+' ' ' '#', width
 * and precision (numbers or '*'), length modifiers hh h l ll z t j.
 */
#ifndef FW_CONSOLE_H
#define FW_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

#define FW_CONSOLE_TERM   0    /* vty unit address; 0 = the machine's default vty */
#define FW_TERM_CHARS_MAX 16   /* bytes per H_PUT_TERM_CHAR: 8 in r6, 8 in r7 */

#define FW_PRINTF(fmt_idx, arg_idx) __attribute__((format(printf, fmt_idx, arg_idx)))

int putchar(int c);
int puts(const char *s);                    /* writes s and a newline */
void console_write(const char *s, size_t n);
void console_flush(void);

int printf(const char *fmt, ...) FW_PRINTF(1, 2);
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) FW_PRINTF(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* The formatter behind all of them: emit(ctx, c) per output character;
 * returns the number of characters produced. */
typedef void (*fw_emit_fn)(void *ctx, char c);
int fw_vformat(fw_emit_fn emit, void *ctx, const char *fmt, va_list ap);

#endif
