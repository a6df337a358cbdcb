/*
 * hcall.h - PAPR hypercalls ("sc 1") from the guest.
 *
 * hcall_ret() passes the opcode in r3 and up to 8 arguments in r4..r11; it
 * returns r3 and, if ret != NULL, stores the outputs r4..r11 in ret[0..7].
 * The hcall()/hcall_out() macros pad missing arguments with zeros:
 *     hcall(H_SET_MODE, 1, H_SET_MODE_RESOURCE_LE, 0, 0);
 *     unsigned long out[HCALL_RET_MAX];
 *     hcall_out(out, H_RANDOM);
 * Numbers and return codes come from include/ppc/hcall.h.
 */
#ifndef FW_HCALL_H
#define FW_HCALL_H

#include "ppc/hcall.h"

#define HCALL_ARGS_MAX 8    /* r4..r11 in */
#define HCALL_RET_MAX  8    /* r4..r11 out */

long hcall_ret(unsigned long *ret, unsigned long op,
               unsigned long a0, unsigned long a1, unsigned long a2, unsigned long a3,
               unsigned long a4, unsigned long a5, unsigned long a6, unsigned long a7);

/* Keep the first nine of op + arguments + zero padding. */
#define HCALL_PAD9_(op, a0, a1, a2, a3, a4, a5, a6, a7, ...) \
    (op), (a0), (a1), (a2), (a3), (a4), (a5), (a6), (a7)
#define HCALL_PAD9(...) HCALL_PAD9_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0, 0, 0)

/* hcall(op, args...): up to 8 arguments, returns r3. */
#define hcall(...)          hcall_ret((unsigned long *)0, HCALL_PAD9(__VA_ARGS__))
/* hcall_out(ret, op, args...): as hcall(), ret[0..7] = r4..r11 afterwards. */
#define hcall_out(ret, ...) hcall_ret((ret), HCALL_PAD9(__VA_ARGS__))

/* PAPR "long busy" return codes (H_LONG_BUSY_ORDER_1_MSEC..100_SEC). */
#define H_LONG_BUSY_START 9900
#define H_LONG_BUSY_END   9905
#define H_IS_LONG_BUSY(rc) ((rc) >= H_LONG_BUSY_START && (rc) <= H_LONG_BUSY_END)

#endif
