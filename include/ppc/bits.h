/*
 * bits.h - Power ISA bit numbering helpers, shared by host and firmware.
 *
 * The ISA numbers bits from the most significant end (bit 0 = MSB of a
 * 64-bit register).  Every architectural constant in include/ppc/ is written
 * in that numbering so it can be checked against the book by eye, the way
 * QEMU and Linux do it.
 */
#ifndef PPC_BITS_H
#define PPC_BITS_H

#define PPC_BIT(n)          (1ULL << (63 - (n)))
#define PPC_BITMASK(hi, lo) ((PPC_BIT(hi) - PPC_BIT(lo)) | PPC_BIT(hi))
/* 32-bit registers (CR, XER low word, DSISR ...): bit 32 is their MSB. */
#define PPC_BIT32(n)        (1U << (31 - (n)))

#endif
