/*
 * decode_helpers.h - field post-processing functions named by `!function=`
 * in the cpu/insn-<chapter>.decode files; included by the generated decoder only.
 */
#ifndef NESTHV_CPU_DECODE_HELPERS_H
#define NESTHV_CPU_DECODE_HELPERS_H

#include <stdint.h>

/* DS/DQ-form displacements and branch offsets are stored without their low zero bits. */
static inline int32_t times_4(int32_t x) { return (int32_t)((uint32_t)x << 2); }
static inline int32_t times_16(int32_t x) { return (int32_t)((uint32_t)x << 4); }

#endif
