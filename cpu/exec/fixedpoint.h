/*
 * fixedpoint.h - pure helpers of the fixed-point instructions (Power ISA
 * v3.0B Book I chapter 3): carries and overflows, rotate masks, counts,
 * division with the results QEMU 7.2 gives where the ISA leaves them
 * undefined, and the densely-packed-decimal conversions of the BCD assist
 * instructions.
 *
 * Everything here is a static inline function of its arguments (no CPU
 * state), so tests/unit/cpu/test_fixedpoint.c checks it directly.  The
 * handlers are in arith.c, logical.c and rotate.c.
 *
 * Carries and overflows are computed once for both widths: an addition
 * x + y + c (c = 0 or 1; subtraction is ~RA + RB + 1) yields the full 64-bit
 * sum r, and
 *   - the carry out of bit 0 (64-bit) and out of bit 32 (low word),
 *   - the signed overflow of the 64-bit and of the low 32-bit addition
 * all follow from x, y and r.  ISA 3.0 (Book I 3.3.9): CA32/OV32 always take
 * the low-word value; CA/OV take the 64-bit value in 64-bit mode and the
 * low-word value in 32-bit mode (MSR[SF] = 0).  QEMU 7.2 does the same.
 */
#ifndef NESTHV_CPU_EXEC_FIXEDPOINT_H
#define NESTHV_CPU_EXEC_FIXEDPOINT_H

#include <stdbool.h>
#include <stdint.h>

#define FX_WORD_BITS 32
#define FX_DWORD_BITS 64
#define FX_SIGN64 (1ULL << 63)
#define FX_LOW32 0xFFFFFFFFULL

/* ---- carries and overflows of r = x + y + c --------------------------------- */

/* Carry out of the most significant bit (ISA bit 0). */
static inline unsigned fx_carry64(uint64_t x, uint64_t y, uint64_t r)
{
    return (unsigned)(((x & y) | ((x | y) & ~r)) >> 63);
}

/* Carry out of the low word (out of ISA bit 32, into bit 31). */
static inline unsigned fx_carry32(uint64_t x, uint64_t y, uint64_t r)
{
    return (unsigned)((x ^ y ^ r) >> FX_WORD_BITS) & 1;
}

/* Signed overflow of the 64-bit addition: x and y agree in sign, r does not. */
static inline unsigned fx_ovf64(uint64_t x, uint64_t y, uint64_t r)
{
    return (unsigned)(((x ^ r) & (y ^ r)) >> 63);
}

/* Signed overflow of the low-word addition. */
static inline unsigned fx_ovf32(uint64_t x, uint64_t y, uint64_t r)
{
    return (unsigned)(((x ^ r) & (y ^ r)) >> (FX_WORD_BITS - 1)) & 1;
}

/* ---- multiply ---------------------------------------------------------------- */

static inline uint64_t fx_mulhs64(uint64_t a, uint64_t b)
{
    return (uint64_t)(((__int128)(int64_t)a * (int64_t)b) >> 64);
}

static inline uint64_t fx_mulhu64(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
}

/* mulldo: the signed 128-bit product does not fit in 64 bits. */
static inline bool fx_mul64_ovf(uint64_t a, uint64_t b)
{
    __int128 p = (__int128)(int64_t)a * (int64_t)b;
    return p != (__int128)(int64_t)p;
}

/* ---- divide ------------------------------------------------------------------
 * Each returns the quotient and sets *ovf when the ISA calls the result
 * undefined (division by zero, or a quotient that does not fit).  The value
 * returned then is the one QEMU 7.2 produces, bit for bit.
 */

/* divw: the low words; QEMU divides by 1 instead and zero-extends. */
static inline uint64_t fx_divw(uint64_t ra, uint64_t rb, bool *ovf)
{
    int32_t n = (int32_t)ra, d = (int32_t)rb;
    *ovf = d == 0 || (n == INT32_MIN && d == -1);
    return (uint32_t)(*ovf ? n : n / d);
}

static inline uint64_t fx_divwu(uint64_t ra, uint64_t rb, bool *ovf)
{
    uint32_t n = (uint32_t)ra, d = (uint32_t)rb;
    *ovf = d == 0;
    return *ovf ? n : n / d;
}

/* divd/divdu: QEMU divides by 1 instead, so RT = RA. */
static inline uint64_t fx_divd(uint64_t ra, uint64_t rb, bool *ovf)
{
    int64_t n = (int64_t)ra, d = (int64_t)rb;
    *ovf = d == 0 || (n == INT64_MIN && d == -1);
    return *ovf ? ra : (uint64_t)(n / d);
}

static inline uint64_t fx_divdu(uint64_t ra, uint64_t rb, bool *ovf)
{
    *ovf = rb == 0;
    return *ovf ? ra : ra / rb;
}

/* divwe: (RA[32:63] || 0x00000000) / RB[32:63], sign-extended; 0 if undefined. */
static inline uint64_t fx_divwe(uint64_t ra, uint64_t rb, bool *ovf)
{
    int64_t n = (int64_t)(ra << FX_WORD_BITS), d = (int32_t)rb;
    int64_t q;
    if (d == 0 || (n == INT64_MIN && d == -1)) {
        *ovf = true;
        return 0;
    }
    q = n / d;
    *ovf = q != (int32_t)q;
    return *ovf ? 0 : (uint64_t)q;
}

/* divweu: zero-extended; 0 if undefined. */
static inline uint64_t fx_divweu(uint64_t ra, uint64_t rb, bool *ovf)
{
    uint64_t n = ra << FX_WORD_BITS, d = (uint32_t)rb, q;
    if (d == 0) {
        *ovf = true;
        return 0;
    }
    q = n / d;
    *ovf = q > FX_LOW32;
    return *ovf ? 0 : q;
}

/* divdeu: (RA || 0^64) / RB; overflows exactly when RA >= RB. */
static inline uint64_t fx_divdeu(uint64_t ra, uint64_t rb, bool *ovf)
{
    *ovf = ra >= rb;
    if (*ovf)
        return 0;
    return (uint64_t)(((unsigned __int128)ra << 64) / rb);
}

static inline uint64_t fx_uabs64(int64_t x)
{
    return x < 0 ? -(uint64_t)x : (uint64_t)x;
}

/*
 * divde: (RA || 0^64) / RB, signed.  It overflows when the quotient is
 * outside [-2^63, 2^63).  QEMU 7.2 only tests |RA| >= |RB| (giving 0); for
 * the other overflowing operands (e.g. 1 / 2) it returns the low 64 bits of
 * the true quotient, and so do we -- but we also report the overflow, which
 * QEMU does not (see docs/conformance.md).
 */
static inline uint64_t fx_divde(uint64_t ra, uint64_t rb, bool *ovf)
{
    int64_t n = (int64_t)ra, d = (int64_t)rb;
    __int128 q;
    if (d == 0 || fx_uabs64(n) >= fx_uabs64(d)) {
        *ovf = true;
        return 0;
    }
    q = ((__int128)n * ((__int128)1 << 64)) / d;
    *ovf = q != (__int128)(int64_t)q;
    return (uint64_t)q;
}

/* modsw/moduw/modsd/modud: QEMU takes the remainder modulo 1 (= 0) when undefined. */
static inline uint64_t fx_modsw(uint64_t ra, uint64_t rb)
{
    int32_t n = (int32_t)ra, d = (int32_t)rb;
    if (d == 0 || (n == INT32_MIN && d == -1))
        return 0;
    return (uint64_t)(int64_t)(n % d);
}

static inline uint64_t fx_moduw(uint64_t ra, uint64_t rb)
{
    uint32_t d = (uint32_t)rb;
    return d ? (uint32_t)ra % d : 0;
}

static inline uint64_t fx_modsd(uint64_t ra, uint64_t rb)
{
    int64_t n = (int64_t)ra, d = (int64_t)rb;
    if (d == 0 || (n == INT64_MIN && d == -1))
        return 0;
    return (uint64_t)(n % d);
}

static inline uint64_t fx_modud(uint64_t ra, uint64_t rb)
{
    return rb ? ra % rb : 0;
}

/* ---- rotate masks (Book I 3.3.14) ----------------------------------------------
 * MASK(mb, me) in ISA numbering (bit 0 = MSB): ones from mb to me, wrapping
 * around when mb > me.
 */
static inline uint64_t fx_mask(unsigned mb, unsigned me)
{
    uint64_t from = ~0ULL >> mb;            /* bits mb..63 */
    uint64_t to = ~0ULL << (63 - me);       /* bits 0..me  */
    return mb <= me ? (from & to) : (from | to);
}

static inline uint64_t fx_rotl64(uint64_t x, unsigned n)
{
    n &= 63;
    return n ? (x << n) | (x >> (64 - n)) : x;
}

/* ROTL32: rotate the low word duplicated into both halves. */
static inline uint64_t fx_rotl32(uint64_t x, unsigned n)
{
    uint64_t w = x & FX_LOW32;
    return fx_rotl64(w | (w << FX_WORD_BITS), n & 31);
}

/* ---- counts ---------------------------------------------------------------------- */

/* Count of one bits in each byte, each count in its byte (popcntb). */
static inline uint64_t fx_popcnt_bytes(uint64_t x)
{
    x = (x & 0x5555555555555555ULL) + ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    return (x & 0x0F0F0F0F0F0F0F0FULL) + ((x >> 4) & 0x0F0F0F0F0F0F0F0FULL);
}

/* ... in each word (popcntw). */
static inline uint64_t fx_popcnt_words(uint64_t x)
{
    x = fx_popcnt_bytes(x);
    x = (x & 0x00FF00FF00FF00FFULL) + ((x >> 8) & 0x00FF00FF00FF00FFULL);
    return (x & 0x0000FFFF0000FFFFULL) + ((x >> 16) & 0x0000FFFF0000FFFFULL);
}

/* Parity of the least significant bit of each byte, per word (prtyw). */
static inline uint64_t fx_parity_words(uint64_t x)
{
    x &= 0x0101010101010101ULL;
    x ^= x >> 16;
    x ^= x >> 8;
    return x & 0x0000000100000001ULL;
}

/* ... of the whole doubleword (prtyd). */
static inline uint64_t fx_parity_dword(uint64_t x)
{
    x = fx_parity_words(x);
    return (x ^ (x >> FX_WORD_BITS)) & 1;
}

/* cmpb: 0xFF in each byte where x and y agree, else 0x00. */
static inline uint64_t fx_cmpb(uint64_t x, uint64_t y)
{
    uint64_t r = 0;
    uint64_t diff = x ^ y;
    for (unsigned i = 0; i < 64; i += 8) {
        if (!((diff >> i) & 0xFF))
            r |= 0xFFULL << i;
    }
    return r;
}

/* bpermd: bit i of the result byte = bit RS.byte[i] (ISA numbering) of RB. */
static inline uint64_t fx_bpermd(uint64_t rs, uint64_t rb)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 8; i++) {
        unsigned index = (rs >> (8 * i)) & 0xFF;
        if (index < FX_DWORD_BITS)
            r |= ((rb >> (63 - index)) & 1) << i;
    }
    return r;
}

/* cmpeqb: does any byte of rb equal the low byte of ra? */
static inline bool fx_any_byte_eq(uint64_t ra, uint64_t rb)
{
    uint64_t x = rb ^ ((ra & 0xFF) * 0x0101010101010101ULL);
    return ((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL) != 0;
}

/* ---- BCD assist (Book I 3.3.15): densely packed decimal ------------------------
 * A declet is 10 bits p q r s t u v w x y; three BCD digits abcd efgh ijkm.
 * Encoding and decoding follow the tables of Book I 3.3.15 (the same as
 * IEEE 754-2008); every declet decodes, non-canonical ones included.
 */
static inline unsigned fx_dpd_to_bcd(unsigned dpd)
{
    unsigned p = (dpd >> 7) & 7, s = (dpd >> 4) & 7;   /* pqr, stu */
    unsigned r = (dpd >> 7) & 1, u = (dpd >> 4) & 1, y = dpd & 1;
    unsigned pq = (dpd >> 8) & 3, st = (dpd >> 5) & 3;
    unsigned d1, d2, d3;
    if (!(dpd & 0x8)) {                         /* v = 0: three small digits */
        d1 = p; d2 = s; d3 = dpd & 7;
    } else {
        switch ((dpd >> 1) & 3) {               /* wx */
        case 0: d1 = p; d2 = s; d3 = 8 | y; break;
        case 1: d1 = p; d2 = 8 | u; d3 = (st << 1) | y; break;
        case 2: d1 = 8 | r; d2 = s; d3 = (pq << 1) | y; break;
        default:
            switch (st) {
            case 0: d1 = 8 | r; d2 = 8 | u; d3 = (pq << 1) | y; break;
            case 1: d1 = 8 | r; d2 = (pq << 1) | u; d3 = 8 | y; break;
            case 2: d1 = p; d2 = 8 | u; d3 = 8 | y; break;
            default: d1 = 8 | r; d2 = 8 | u; d3 = 8 | y; break;
            }
        }
    }
    return (d1 << 8) | (d2 << 4) | d3;
}

/* Three BCD digits (each <= 9) to a canonical declet. */
static inline unsigned fx_bcd_to_dpd(unsigned bcd)
{
    unsigned d1 = (bcd >> 8) & 0xF, d2 = (bcd >> 4) & 0xF, d3 = bcd & 0xF;
    unsigned bcd1 = d1 & 7, fg = (d2 >> 1) & 3, jk = (d3 >> 1) & 3;
    unsigned d = d1 & 1, h = d2 & 1, m = d3 & 1;
    unsigned big = ((d1 >> 3) << 2) | ((d2 >> 3) << 1) | (d3 >> 3);   /* a e i */
    switch (big) {
    case 0: return (bcd1 << 7) | ((d2 & 7) << 4) | (d3 & 7);
    case 1: return (bcd1 << 7) | ((d2 & 7) << 4) | 0x8 | m;
    case 2: return (bcd1 << 7) | (jk << 5) | (h << 4) | 0xA | m;
    case 3: return (bcd1 << 7) | (0x2 << 5) | (h << 4) | 0xE | m;
    case 4: return (jk << 8) | (d << 7) | (fg << 5) | (h << 4) | 0xC | m;
    case 5: return (fg << 8) | (d << 7) | (0x1 << 5) | (h << 4) | 0xE | m;
    case 6: return (jk << 8) | (d << 7) | (h << 4) | 0xE | m;
    default: return (d << 7) | (0x3 << 5) | (h << 4) | 0xE | m;
    }
}

/* ---- handler side --------------------------------------------------------------- */
#ifdef NESTHV_CPU_EXEC_H
/* Write a result register, then CR0 if Rc=1 (after any XER update, so that
 * CR0[SO] is the new SO). */
static inline void fx_set_reg_rc(CPUState *cpu, int r, uint64_t v, int rc)
{
    cpu->gpr[r] = v;
    if (rc)
        cpu_set_cr0(cpu, v);
}
#endif

#endif
