/*
 * atomic.c - load and reserve / store conditional (Power ISA v3.0B Book II
 * 4.6.2): lbarx, lharx, lwarx, ldarx, lqarx and stbcx., sthcx., stwcx.,
 * stdcx., stqcx., and the atomic memory operations lwat, ldat, stwat, stdat
 * (Book II 4.5).  Encodings: cpu/insn-loadstore.decode.
 *
 * One thread, so the reservation is modelled the way QEMU's TCG does it: a
 * larx records the real address, the length and the value it loaded
 * (cpu->resv_addr/resv_len/resv_val); a stcx. succeeds iff a reservation
 * exists for the same real address and length and storage still holds that
 * value.  Every stcx. ends the reservation, and so does every interrupt
 * (cpu_interrupt()).  Consequences a program can see, all as on QEMU:
 * a store of a different value between larx and stcx. makes the stcx.
 * fail, while storing the same value back (or dcbz of a block already
 * zero) does not; a hypercall does not end the reservation.
 *
 * CR0 <- 0b00 || success || XER[SO].
 *
 * Alignment (Book II 4.6.2: "the EA must be a multiple of the operand
 * size"): an unaligned larx raises the alignment interrupt with DAR = EA
 * (DSISR as raise_align_atomic() says).  An unaligned stcx. does so only
 * when it hits the reservation (QEMU compares addresses first and then
 * does an aligned compare-and-swap); otherwise it just fails.  A stcx.
 * without a reservation does not access storage; with one, its EA is
 * translated as a store (and may fault) before the addresses are
 * compared, since the reservation is on the real address.  The length
 * must match too: QEMU 7.2 does not check it (it compares the stored value
 * with the reserved one), QEMU 10.0 does, and the ISA leaves the outcome
 * undefined.
 *
 * Quadword (lqarx/stqcx.): RT/RS is an even register pair, ordered as for
 * lq/stq (loadstore.c); lqarx with RT = RA (RA = 0 included) or RT = RB is
 * an invalid form.  QEMU 7.2's stqcx. never succeeds; here it follows the
 * ISA, like QEMU 10.0.
 */
#include "cpu/exec/loadstore.h"

/* ---- load and reserve ------------------------------------------------------------ */

/* Translate an aligned larx operand; false if an interrupt was raised. */
static bool xlate_larx(CPUState *cpu, ea_t ea, unsigned size, gra_t *gra, uint8_t **host)
{
    if (ea & (size - 1)) {
        raise_align_atomic(cpu, ea);
        return false;
    }
    return cpu_xlate_data(cpu, ea, false, gra, host);
}

static void do_larx(CPUState *cpu, int rt, ea_t ea, unsigned size)
{
    gra_t gra;
    uint8_t *host;
    if (!xlate_larx(cpu, ea, size, &gra, &host))
        return;
    uint64_t v = mem_load_host(host, size, cpu_big_endian(cpu));
    cpu->resv_addr = gra;
    cpu->resv_len = (uint8_t)size;
    cpu->resv_val[0] = v;
    cpu->gpr[rt] = v;
}

void trans_LBARX(CPUState *cpu, const arg_X_mem *a)
{
    do_larx(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 1);
}

void trans_LHARX(CPUState *cpu, const arg_X_mem *a)
{
    do_larx(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 2);
}

void trans_LWARX(CPUState *cpu, const arg_X_mem *a)
{
    do_larx(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 4);
}

void trans_LDARX(CPUState *cpu, const arg_X_mem *a)
{
    do_larx(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 8);
}

/* Quadword: resv_val[] holds the doublewords at EA and EA+8 as loaded. */
void trans_LQARX(CPUState *cpu, const arg_X_pair *a)
{
    int rt = 2 * a->rtp;
    ea_t ea = ea_index(cpu, a->ra, a->rb);
    gra_t gra;
    uint8_t *host;
    if (rt == a->ra || rt == a->rb) {
        raise_invalid_form(cpu);
        return;
    }
    if (!xlate_larx(cpu, ea, QWORD_BYTES, &gra, &host))
        return;
    bool be = cpu_big_endian(cpu);
    uint64_t first = mem_load_host(host, DWORD_BYTES, be);
    uint64_t second = mem_load_host(host + DWORD_BYTES, DWORD_BYTES, be);
    cpu->resv_addr = gra;
    cpu->resv_len = QWORD_BYTES;
    cpu->resv_val[0] = first;
    cpu->resv_val[1] = second;
    cpu->gpr[rt] = be ? first : second;
    cpu->gpr[rt + 1] = be ? second : first;
}

/* ---- store conditional ------------------------------------------------------------ */

/*
 * Where does this stcx. store?  The host pointer of its operand if the
 * reservation allows the store to be tried, NULL if the stcx. fails or
 * raised an interrupt (*raised says which).
 */
static uint8_t *stcx_target(CPUState *cpu, ea_t ea, unsigned size, bool *raised)
{
    gra_t gra;
    uint8_t *host;
    *raised = false;
    /* No reservation: fail without accessing storage. */
    if (cpu->resv_addr == RESV_NONE)
        return NULL;
    /* Otherwise the stcx. is a store access (it may fault as one) ... */
    if (!cpu_xlate_data(cpu, ea, true, &gra, &host)) {
        *raised = true;
        return NULL;
    }
    /* ... that fails unless it is to the reserved address ... */
    if (gra != cpu->resv_addr)
        return NULL;
    /* ... aligned (only a reservation of a smaller size gets here unaligned) ... */
    if (ea & (size - 1)) {
        raise_align_atomic(cpu, ea);
        *raised = true;
        return NULL;
    }
    /* ... and of the reserved length. */
    return cpu->resv_len == size ? host : NULL;
}

static void stcx_finish(CPUState *cpu, bool stored)
{
    cpu->resv_addr = RESV_NONE;
    cpu_set_crf(cpu, 0, (stored ? CRF_EQ : 0) | cpu->so);
}

static void do_stcx(CPUState *cpu, int rs, ea_t ea, unsigned size)
{
    bool raised, be = cpu_big_endian(cpu);
    uint8_t *host = stcx_target(cpu, ea, size, &raised);
    if (raised)
        return;
    bool ok = host && mem_load_host(host, size, be) == cpu->resv_val[0];
    if (ok)
        mem_store_host(host, size, be, cpu->gpr[rs]);
    stcx_finish(cpu, ok);
}

void trans_STBCX(CPUState *cpu, const arg_X_mem *a)
{
    do_stcx(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 1);
}

void trans_STHCX(CPUState *cpu, const arg_X_mem *a)
{
    do_stcx(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 2);
}

void trans_STWCX(CPUState *cpu, const arg_X_mem *a)
{
    do_stcx(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 4);
}

void trans_STDCX(CPUState *cpu, const arg_X_mem *a)
{
    do_stcx(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 8);
}

void trans_STQCX(CPUState *cpu, const arg_X_pair *a)
{
    int rs = 2 * a->rtp;
    bool raised, be = cpu_big_endian(cpu);
    uint8_t *host = stcx_target(cpu, ea_index(cpu, a->ra, a->rb), QWORD_BYTES, &raised);
    if (raised)
        return;
    bool ok = host && mem_load_host(host, DWORD_BYTES, be) == cpu->resv_val[0] &&
              mem_load_host(host + DWORD_BYTES, DWORD_BYTES, be) == cpu->resv_val[1];
    if (ok) {
        mem_store_host(host, DWORD_BYTES, be, be ? cpu->gpr[rs] : cpu->gpr[rs + 1]);
        mem_store_host(host + DWORD_BYTES, DWORD_BYTES, be, be ? cpu->gpr[rs + 1] : cpu->gpr[rs]);
    }
    stcx_finish(cpu, ok);
}

/* ---- atomic memory operations (Book II 4.5, ISA 3.0) ----------------------------------
 * lwat/ldat: RT <- the old value of the word/doubleword at EA = (RA|0), which
 * is replaced by a function FC of it and RT+1 (and RT+2), register numbers
 * wrapping mod 32.  stwat/stdat: the value at EA is combined with RS.  One
 * thread, so "atomic" is simply load, compute, store.
 *
 * As on QEMU 7.2: an undefined FC invokes the data storage interrupt (DAR
 * and DSISR unchanged), checked before alignment; an EA that is not a
 * multiple of the operand size raises the alignment interrupt as for larx;
 * the "bounded"/"equal" forms read the neighbour at EA + size.  Two QEMU
 * 7.2 bugs are not copied: its word-sized signed max/min compare the
 * operands as unsigned, and when a bounded form hits its bound it returns
 * 0xFFFFFFFF80000000 in RT for both sizes, where the ISA says the operand
 * with only its sign bit set (0x80000000 or 0x8000000000000000).
 */
enum AmoFc {
    AMO_ADD = 0, AMO_XOR = 1, AMO_OR = 2, AMO_AND = 3,
    AMO_MAXU = 4, AMO_MAXS = 5, AMO_MINU = 6, AMO_MINS = 7,
    AMO_SWAP = 8,                  /* lwat/ldat only */
    AMO_CSNE = 16,                 /* compare and swap not equal */
    AMO_INC_BOUNDED = 24,          /* lwat/ldat: fetch and increment bounded */
    AMO_STORE_TWIN = 24,           /* stwat/stdat */
    AMO_INC_EQUAL = 25,
    AMO_DEC_BOUNDED = 28,
};

static uint64_t amo_mask(unsigned size)
{
    return size == DWORD_BYTES ? ~0ULL : 0xFFFFFFFFULL;
}

/* The new value for FC 0..7 (and 8 when swap is allowed); false: undefined FC. */
static bool amo_combine(unsigned fc, unsigned size, uint64_t t, uint64_t v, bool swap_ok,
                        uint64_t *out)
{
    int64_t st = (int64_t)sext(t, size), sv = (int64_t)sext(v, size);
    switch (fc) {
    case AMO_ADD:  *out = t + v; break;
    case AMO_XOR:  *out = t ^ v; break;
    case AMO_OR:   *out = t | v; break;
    case AMO_AND:  *out = t & v; break;
    case AMO_MAXU: *out = t > v ? t : v; break;
    case AMO_MAXS: *out = st > sv ? t : v; break;
    case AMO_MINU: *out = t < v ? t : v; break;
    case AMO_MINS: *out = st < sv ? t : v; break;
    case AMO_SWAP:
        if (!swap_ok)
            return false;
        *out = v;
        break;
    default:
        return false;
    }
    *out &= amo_mask(size);
    return true;
}

static bool amo_load_fc_defined(unsigned fc)
{
    return fc <= AMO_SWAP || fc == AMO_CSNE || fc == AMO_INC_BOUNDED || fc == AMO_INC_EQUAL ||
           fc == AMO_DEC_BOUNDED;
}

/* Undefined FC: "the system data storage error handler is invoked". */
static void raise_amo_undefined(CPUState *cpu)
{
    cpu_interrupt(cpu, EXCP_DSI, cpu->cia, 0);
}

/* FC 24, 25, 28: compare with the neighbour; *rt is the result for RT. */
static bool amo_bounded(CPUState *cpu, unsigned fc, ea_t ea, unsigned size, uint64_t t,
                        uint64_t *mem, uint64_t *rt)
{
    uint64_t t2;
    if (!cpu_ld(cpu, ea_add(cpu, ea, size), size, &t2))
        return false;
    bool go = fc == AMO_INC_EQUAL ? t == t2 : t != t2;
    uint64_t step = fc == AMO_DEC_BOUNDED ? ~0ULL : 1;
    *mem = go ? (t + step) & amo_mask(size) : t;
    *rt = go ? t : 1ULL << (8 * size - 1);
    return true;
}

static void do_lat(CPUState *cpu, const arg_X_amo *a, unsigned size)
{
    unsigned fc = (unsigned)a->fc;
    ea_t ea = cpu_ea(cpu, reg_or_zero(cpu, a->ra));
    uint64_t v1 = cpu->gpr[(a->rt + 1) & (NGPRS - 1)] & amo_mask(size);
    uint64_t v2 = cpu->gpr[(a->rt + 2) & (NGPRS - 1)] & amo_mask(size);
    uint64_t t, mem, rt;
    if (!amo_load_fc_defined(fc)) {
        raise_amo_undefined(cpu);
        return;
    }
    if (ea & (size - 1)) {
        raise_align_atomic(cpu, ea);
        return;
    }
    if (!cpu_ld(cpu, ea, size, &t))
        return;
    rt = t;
    if (fc == AMO_CSNE) {
        mem = t != v1 ? v2 : t;
    } else if (fc >= AMO_INC_BOUNDED) {
        if (!amo_bounded(cpu, fc, ea, size, t, &mem, &rt))
            return;
    } else {
        (void)amo_combine(fc, size, t, v1, true, &mem);
    }
    if (cpu_st(cpu, ea, size, mem))
        cpu->gpr[a->rt] = rt;
}

static void do_stat(CPUState *cpu, const arg_X_amo *a, unsigned size)
{
    unsigned fc = (unsigned)a->fc;
    ea_t ea = cpu_ea(cpu, reg_or_zero(cpu, a->ra));
    uint64_t v = cpu->gpr[a->rt] & amo_mask(size);
    uint64_t t, t2, mem;
    if (fc != AMO_STORE_TWIN && !amo_combine(fc, size, 0, 0, false, &mem)) {
        raise_amo_undefined(cpu);
        return;
    }
    if (ea & (size - 1)) {
        raise_align_atomic(cpu, ea);
        return;
    }
    if (!cpu_ld(cpu, ea, size, &t))
        return;
    if (fc != AMO_STORE_TWIN) {
        (void)amo_combine(fc, size, t, v, false, &mem);
        (void)cpu_st(cpu, ea, size, mem);
        return;
    }
    /* Store twin: both halves become RS if they are equal. */
    ea_t ea2 = ea_add(cpu, ea, size);
    if (!cpu_ld(cpu, ea2, size, &t2))
        return;
    if (cpu_st(cpu, ea, size, t == t2 ? v : t))
        (void)cpu_st(cpu, ea2, size, t == t2 ? v : t2);
}

void trans_LWAT(CPUState *cpu, const arg_X_amo *a)
{
    do_lat(cpu, a, WORD_BYTES);
}

void trans_LDAT(CPUState *cpu, const arg_X_amo *a)
{
    do_lat(cpu, a, DWORD_BYTES);
}

void trans_STWAT(CPUState *cpu, const arg_X_amo *a)
{
    do_stat(cpu, a, WORD_BYTES);
}

void trans_STDAT(CPUState *cpu, const arg_X_amo *a)
{
    do_stat(cpu, a, DWORD_BYTES);
}
