/*
 * string.c - move assist (string) instructions: lswi, lswx, stswi, stswx
 * (Power ISA v3.0B Book I 3.3.8).  Encodings: cpu/insn-loadstore.decode.
 *
 * n bytes move between storage at EA and the low words of RT, RT+1, ...
 * (wrapping from r31 to r0), most significant byte first: each loaded
 * register gets 4 bytes, or for the last one the remaining bytes
 * left-justified in its low word, padded with zeros; the high word of every
 * loaded register is cleared.  lswi/stswi take n from NB (0 means 32) and
 * EA = (RA|0); lswx/stswx take n from XER[BC] and EA = (RA|0) + (RB), and
 * do nothing when it is 0.
 *
 * As on QEMU 7.2 (and as Book I 3.3.8 allows): in little-endian mode all
 * four raise the alignment interrupt (DSISR as raise_align_no_le() says)
 * before anything else is checked; lswi with RA in the range of registers
 * to be loaded (RA = 0 included) and lswx with RA (RA != 0) or RB in that
 * range are invalid forms: the illegal-instruction program interrupt.
 * A fault part-way leaves what was already moved, as on QEMU.
 */
#include "cpu/exec/loadstore.h"

#define STRING_NB_ZERO 32u       /* NB = 0 means 32 bytes */
#define BYTE_BITS      8u
#define MSB_SHIFT      24u       /* first byte of a word: bits 32:39 */

/* Is register r among the nregs registers starting at rt (mod 32)? */
static bool reg_in_range(unsigned rt, unsigned nregs, unsigned r)
{
    return ((r - rt) & (NGPRS - 1)) < nregs;
}

static unsigned regs_for(unsigned nbytes)
{
    return (nbytes + WORD_BYTES - 1) / WORD_BYTES;
}

static void do_lsw(CPUState *cpu, ea_t ea, unsigned nbytes, unsigned rt)
{
    unsigned r = rt;
    while (nbytes) {
        unsigned chunk = nbytes < WORD_BYTES ? nbytes : WORD_BYTES;
        uint64_t word = 0;
        for (unsigned i = 0; i < chunk; i++) {
            uint64_t b;
            if (!cpu_ld(cpu, ea, 1, &b))
                return;
            word |= b << (MSB_SHIFT - BYTE_BITS * i);
            ea = ea_add(cpu, ea, 1);
        }
        cpu->gpr[r] = word;
        r = (r + 1) & (NGPRS - 1);
        nbytes -= chunk;
    }
}

static void do_stsw(CPUState *cpu, ea_t ea, unsigned nbytes, unsigned rs)
{
    unsigned r = rs;
    while (nbytes) {
        unsigned chunk = nbytes < WORD_BYTES ? nbytes : WORD_BYTES;
        for (unsigned i = 0; i < chunk; i++) {
            uint64_t b = (cpu->gpr[r] >> (MSB_SHIFT - BYTE_BITS * i)) & 0xFF;
            if (!cpu_st(cpu, ea, 1, b))
                return;
            ea = ea_add(cpu, ea, 1);
        }
        r = (r + 1) & (NGPRS - 1);
        nbytes -= chunk;
    }
}

void trans_LSWI(CPUState *cpu, const arg_X_str *a)
{
    unsigned n = a->nb ? (unsigned)a->nb : STRING_NB_ZERO;
    if (!cpu_big_endian(cpu)) {
        raise_align_no_le(cpu);
        return;
    }
    if (reg_in_range((unsigned)a->rt, regs_for(n), (unsigned)a->ra)) {
        raise_invalid_form(cpu);
        return;
    }
    do_lsw(cpu, cpu_ea(cpu, reg_or_zero(cpu, a->ra)), n, (unsigned)a->rt);
}

void trans_LSWX(CPUState *cpu, const arg_X_mem *a)
{
    unsigned n = cpu->xer_bc;
    if (!cpu_big_endian(cpu)) {
        raise_align_no_le(cpu);
        return;
    }
    if (n == 0)
        return;
    if ((a->ra != 0 && reg_in_range((unsigned)a->rt, regs_for(n), (unsigned)a->ra)) ||
        reg_in_range((unsigned)a->rt, regs_for(n), (unsigned)a->rb)) {
        raise_invalid_form(cpu);
        return;
    }
    do_lsw(cpu, ea_index(cpu, a->ra, a->rb), n, (unsigned)a->rt);
}

void trans_STSWI(CPUState *cpu, const arg_X_str *a)
{
    unsigned n = a->nb ? (unsigned)a->nb : STRING_NB_ZERO;
    if (!cpu_big_endian(cpu)) {
        raise_align_no_le(cpu);
        return;
    }
    do_stsw(cpu, cpu_ea(cpu, reg_or_zero(cpu, a->ra)), n, (unsigned)a->rt);
}

void trans_STSWX(CPUState *cpu, const arg_X_mem *a)
{
    if (!cpu_big_endian(cpu)) {
        raise_align_no_le(cpu);
        return;
    }
    do_stsw(cpu, ea_index(cpu, a->ra, a->rb), cpu->xer_bc, (unsigned)a->rt);
}
