/* Test stub of cpu/decode_helpers.h: the !function helpers used by the
 * tests/decode/ok_*.decode files (the emulator has its own). */
#ifndef TESTS_DECODE_HELPERS_H
#define TESTS_DECODE_HELPERS_H

#include <stdint.h>

static inline int32_t times_4(int32_t x)
{
    return (int32_t)((uint32_t)x << 2);
}

static inline int32_t negate(int32_t x)
{
    return -x;
}

#endif
