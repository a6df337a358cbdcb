/*
 * loadstore.c - fixed-point loads and stores (Power ISA v3.0B Book I
 * 3.3.2-3.3.7): byte/halfword/word/doubleword loads (zero- and
 * sign-extending) and stores in D, DS and X form with and without update,
 * lq/stq, the byte-reverse forms, and load/store multiple.  Encodings:
 * cpu/insn-loadstore.decode.
 *
 * Every access goes through cpu_ld()/cpu_st() (cpu/mem.h) in the program's
 * byte order, or the reversed order for the *brx forms; unaligned accesses
 * and accesses crossing a page are done by the memory layer, as POWER9 and
 * QEMU do them.  A handler whose access faults returns at once: registers,
 * RA of an update form included, are unchanged.
 *
 * Behaviour the ISA leaves open follows QEMU 7.2:
 *  - invalid update forms (RA = 0, or RA = RT for a load) and lq with
 *    RT = RA (RA = 0 included) raise the illegal-instruction program
 *    interrupt;
 *  - lq/stq need no alignment; in little-endian mode the quadword is
 *    byte-reversed as a whole, so RT (the high half) goes with EA+8
 *    (Book I 3.3.5);
 *  - lmw/stmw in little-endian mode raise the alignment interrupt (DSISR as
 *    raise_align_no_le() says); in big-endian mode any alignment works and
 *    RA in the loaded range is not rejected (registers are loaded in
 *    order, so RA may be overwritten).
 */
#include "cpu/exec/loadstore.h"
#include "cpu/exec/fast.h"

#define LD_ZX false /* zero-extend */
#define LD_SX true  /* sign-extend */

/* ---- the common paths ------------------------------------------------------------ */

static inline void do_ld(CPUState *cpu, int rt, ea_t ea, unsigned size, bool sign)
{
    uint64_t v;
    if (!cpu_ld(cpu, ea, size, &v))
        return;
    cpu->gpr[rt] = sign ? sext(v, size) : v;
}

/* Load with update: RA <- EA.  RA = 0 or RA = RT is an invalid form. */
static inline void do_ld_u(CPUState *cpu, int rt, int ra, ea_t ea, unsigned size, bool sign)
{
    uint64_t v;
    if (ra == 0 || ra == rt) {
        raise_invalid_form(cpu);
        return;
    }
    if (!cpu_ld(cpu, ea, size, &v))
        return;
    cpu->gpr[rt] = sign ? sext(v, size) : v;
    cpu->gpr[ra] = ea;
}

static inline void do_st(CPUState *cpu, int rs, ea_t ea, unsigned size)
{
    (void)cpu_st(cpu, ea, size, cpu->gpr[rs]);
}

/* Store with update: RA <- EA (RS = RA stores the old value).  RA = 0 is invalid. */
static inline void do_st_u(CPUState *cpu, int rs, int ra, ea_t ea, unsigned size)
{
    if (ra == 0) {
        raise_invalid_form(cpu);
        return;
    }
    if (cpu_st(cpu, ea, size, cpu->gpr[rs]))
        cpu->gpr[ra] = ea;
}

/* ---- loads, D/DS form (Book I 3.3.2) -------------------------------------------- */

void trans_LBZ(CPUState *cpu, const arg_D_mem *a)
{
    do_ld(cpu, a->rt, ea_disp(cpu, a->ra, a->d), 1, LD_ZX);
}

void trans_LBZU(CPUState *cpu, const arg_D_mem *a)
{
    do_ld_u(cpu, a->rt, a->ra, ea_disp(cpu, a->ra, a->d), 1, LD_ZX);
}

void trans_LHZ(CPUState *cpu, const arg_D_mem *a)
{
    do_ld(cpu, a->rt, ea_disp(cpu, a->ra, a->d), 2, LD_ZX);
}

void trans_LHZU(CPUState *cpu, const arg_D_mem *a)
{
    do_ld_u(cpu, a->rt, a->ra, ea_disp(cpu, a->ra, a->d), 2, LD_ZX);
}

void trans_LHA(CPUState *cpu, const arg_D_mem *a)
{
    do_ld(cpu, a->rt, ea_disp(cpu, a->ra, a->d), 2, LD_SX);
}

void trans_LHAU(CPUState *cpu, const arg_D_mem *a)
{
    do_ld_u(cpu, a->rt, a->ra, ea_disp(cpu, a->ra, a->d), 2, LD_SX);
}

void trans_LWZ(CPUState *cpu, const arg_D_mem *a)
{
    do_ld(cpu, a->rt, ea_disp(cpu, a->ra, a->d), 4, LD_ZX);
}

void trans_LWZU(CPUState *cpu, const arg_D_mem *a)
{
    do_ld_u(cpu, a->rt, a->ra, ea_disp(cpu, a->ra, a->d), 4, LD_ZX);
}

void trans_LWA(CPUState *cpu, const arg_D_mem *a)
{
    do_ld(cpu, a->rt, ea_disp(cpu, a->ra, a->d), 4, LD_SX);
}

void trans_LD(CPUState *cpu, const arg_D_mem *a)
{
    do_ld(cpu, a->rt, ea_disp(cpu, a->ra, a->d), 8, LD_ZX);
}

void trans_LDU(CPUState *cpu, const arg_D_mem *a)
{
    do_ld_u(cpu, a->rt, a->ra, ea_disp(cpu, a->ra, a->d), 8, LD_ZX);
}

/* ---- loads, X form ------------------------------------------------------------------ */

void trans_LBZX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 1, LD_ZX);
}

void trans_LBZUX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld_u(cpu, a->rt, a->ra, ea_index(cpu, a->ra, a->rb), 1, LD_ZX);
}

void trans_LHZX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 2, LD_ZX);
}

void trans_LHZUX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld_u(cpu, a->rt, a->ra, ea_index(cpu, a->ra, a->rb), 2, LD_ZX);
}

void trans_LHAX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 2, LD_SX);
}

void trans_LHAUX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld_u(cpu, a->rt, a->ra, ea_index(cpu, a->ra, a->rb), 2, LD_SX);
}

void trans_LWZX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 4, LD_ZX);
}

void trans_LWZUX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld_u(cpu, a->rt, a->ra, ea_index(cpu, a->ra, a->rb), 4, LD_ZX);
}

void trans_LWAX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 4, LD_SX);
}

void trans_LWAUX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld_u(cpu, a->rt, a->ra, ea_index(cpu, a->ra, a->rb), 4, LD_SX);
}

void trans_LDX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 8, LD_ZX);
}

void trans_LDUX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld_u(cpu, a->rt, a->ra, ea_index(cpu, a->ra, a->rb), 8, LD_ZX);
}

/* ---- stores (Book I 3.3.4) ------------------------------------------------------------ */

void trans_STB(CPUState *cpu, const arg_D_mem *a)
{
    do_st(cpu, a->rt, ea_disp(cpu, a->ra, a->d), 1);
}

void trans_STBU(CPUState *cpu, const arg_D_mem *a)
{
    do_st_u(cpu, a->rt, a->ra, ea_disp(cpu, a->ra, a->d), 1);
}

void trans_STH(CPUState *cpu, const arg_D_mem *a)
{
    do_st(cpu, a->rt, ea_disp(cpu, a->ra, a->d), 2);
}

void trans_STHU(CPUState *cpu, const arg_D_mem *a)
{
    do_st_u(cpu, a->rt, a->ra, ea_disp(cpu, a->ra, a->d), 2);
}

void trans_STW(CPUState *cpu, const arg_D_mem *a)
{
    do_st(cpu, a->rt, ea_disp(cpu, a->ra, a->d), 4);
}

void trans_STWU(CPUState *cpu, const arg_D_mem *a)
{
    do_st_u(cpu, a->rt, a->ra, ea_disp(cpu, a->ra, a->d), 4);
}

void trans_STD(CPUState *cpu, const arg_D_mem *a)
{
    do_st(cpu, a->rt, ea_disp(cpu, a->ra, a->d), 8);
}

void trans_STDU(CPUState *cpu, const arg_D_mem *a)
{
    do_st_u(cpu, a->rt, a->ra, ea_disp(cpu, a->ra, a->d), 8);
}

void trans_STBX(CPUState *cpu, const arg_X_mem *a)
{
    do_st(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 1);
}

void trans_STBUX(CPUState *cpu, const arg_X_mem *a)
{
    do_st_u(cpu, a->rt, a->ra, ea_index(cpu, a->ra, a->rb), 1);
}

void trans_STHX(CPUState *cpu, const arg_X_mem *a)
{
    do_st(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 2);
}

void trans_STHUX(CPUState *cpu, const arg_X_mem *a)
{
    do_st_u(cpu, a->rt, a->ra, ea_index(cpu, a->ra, a->rb), 2);
}

void trans_STWX(CPUState *cpu, const arg_X_mem *a)
{
    do_st(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 4);
}

void trans_STWUX(CPUState *cpu, const arg_X_mem *a)
{
    do_st_u(cpu, a->rt, a->ra, ea_index(cpu, a->ra, a->rb), 4);
}

void trans_STDX(CPUState *cpu, const arg_X_mem *a)
{
    do_st(cpu, a->rt, ea_index(cpu, a->ra, a->rb), 8);
}

void trans_STDUX(CPUState *cpu, const arg_X_mem *a)
{
    do_st_u(cpu, a->rt, a->ra, ea_index(cpu, a->ra, a->rb), 8);
}

/* ---- quadword (Book I 3.3.5) ------------------------------------------------------------
 * The quadword is one 128-bit big- or little-endian value: RT holds its high
 * doubleword, RT+1 the low one.  In big-endian mode the high doubleword is
 * at EA; in little-endian mode it is at EA+8.
 */
void trans_LQ(CPUState *cpu, const arg_D_pair *a)
{
    int rt = 2 * a->rtp;
    ea_t ea = ea_disp(cpu, a->ra, a->d);
    uint64_t first, second;
    if (rt == a->ra) {
        raise_invalid_form(cpu);
        return;
    }
    if (!cpu_ld(cpu, ea, DWORD_BYTES, &first) ||
        !cpu_ld(cpu, ea_add(cpu, ea, DWORD_BYTES), DWORD_BYTES, &second))
        return;
    bool be = cpu_big_endian(cpu);
    cpu->gpr[rt] = be ? first : second;
    cpu->gpr[rt + 1] = be ? second : first;
}

void trans_STQ(CPUState *cpu, const arg_D_pair *a)
{
    int rs = 2 * a->rtp;
    ea_t ea = ea_disp(cpu, a->ra, a->d);
    bool be = cpu_big_endian(cpu);
    uint64_t first = be ? cpu->gpr[rs] : cpu->gpr[rs + 1];
    uint64_t second = be ? cpu->gpr[rs + 1] : cpu->gpr[rs];
    if (cpu_st(cpu, ea, DWORD_BYTES, first))
        (void)cpu_st(cpu, ea_add(cpu, ea, DWORD_BYTES), DWORD_BYTES, second);
}

/* ---- byte-reverse (Book I 3.3.6) ---------------------------------------------------------- */

static inline void do_ld_rev(CPUState *cpu, const arg_X_mem *a, unsigned size)
{
    uint64_t v;
    if (cpu_ld_rev(cpu, ea_index(cpu, a->ra, a->rb), size, &v))
        cpu->gpr[a->rt] = v;
}

static inline void do_st_rev(CPUState *cpu, const arg_X_mem *a, unsigned size)
{
    (void)cpu_st_rev(cpu, ea_index(cpu, a->ra, a->rb), size, cpu->gpr[a->rt]);
}

void trans_LHBRX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld_rev(cpu, a, 2);
}

void trans_LWBRX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld_rev(cpu, a, 4);
}

void trans_LDBRX(CPUState *cpu, const arg_X_mem *a)
{
    do_ld_rev(cpu, a, 8);
}

void trans_STHBRX(CPUState *cpu, const arg_X_mem *a)
{
    do_st_rev(cpu, a, 2);
}

void trans_STWBRX(CPUState *cpu, const arg_X_mem *a)
{
    do_st_rev(cpu, a, 4);
}

void trans_STDBRX(CPUState *cpu, const arg_X_mem *a)
{
    do_st_rev(cpu, a, 8);
}

/* ---- load/store multiple (Book I 3.3.7) ------------------------------------------------------
 * Words go to/from the low halves of RT..r31 in order; the high halves of
 * loaded registers are cleared.  A fault part-way leaves the registers (or
 * memory) already done, as on QEMU; the instruction can be restarted.
 */
void trans_LMW(CPUState *cpu, const arg_D_mem *a)
{
    ea_t ea = ea_disp(cpu, a->ra, a->d);
    if (!cpu_big_endian(cpu)) {
        raise_align_no_le(cpu);
        return;
    }
    for (unsigned r = (unsigned)a->rt; r < NGPRS; r++) {
        uint64_t v;
        if (!cpu_ld(cpu, ea, WORD_BYTES, &v))
            return;
        cpu->gpr[r] = v;
        ea = ea_add(cpu, ea, WORD_BYTES);
    }
}

void trans_STMW(CPUState *cpu, const arg_D_mem *a)
{
    ea_t ea = ea_disp(cpu, a->ra, a->d);
    if (!cpu_big_endian(cpu)) {
        raise_align_no_le(cpu);
        return;
    }
    for (unsigned r = (unsigned)a->rt; r < NGPRS; r++) {
        if (!cpu_st(cpu, ea, WORD_BYTES, cpu->gpr[r]))
            return;
        ea = ea_add(cpu, ea, WORD_BYTES);
    }
}

/* ---- fast forms (cpu/exec/fast.h) ----------------------------------------------------------
 * RA != 0 (and RA != RT for a load with update), D-form displacement in aux.  A soft-TLB hit is
 * done here, exactly as cpu_ld()/cpu_st() do it; anything else (miss, page crossing, fault, code
 * page) goes to the general handler, which starts over from the same state.
 */

static inline bool tlb_load(CPUState *cpu, ea_t ea, unsigned size, uint64_t *v)
{
    const TlbEntry *e = cpu_tlb_slot(cpu->tlb_read, ea, cpu->mmu_ctx_data);
    if (!cpu_tlb_hit(e, ea, size, cpu->mmu_ctx_data))
        return false;
    *v = mem_load_host((const uint8_t *)(e->addend + ea), size, cpu_big_endian(cpu));
    return true;
}

static inline bool tlb_store(CPUState *cpu, ea_t ea, unsigned size, uint64_t v)
{
    const TlbEntry *e = cpu_tlb_slot(cpu->tlb_write, ea, cpu->mmu_ctx_data);
    if (!cpu_tlb_hit(e, ea, size, cpu->mmu_ctx_data))
        return false;
    mem_store_host((uint8_t *)(e->addend + ea), size, cpu_big_endian(cpu), v);
    return true;
}

static inline ea_t fast_ea_disp(const CPUState *cpu, const DecodedInsn *d)
{
    return cpu_ea(cpu, cpu->gpr[d->a.D_mem.ra] + d->aux);
}

static inline ea_t fast_ea_index(const CPUState *cpu, const DecodedInsn *d)
{
    return cpu_ea(cpu, cpu->gpr[d->a.X_mem.ra] + cpu->gpr[d->a.X_mem.rb]);
}

void fast_LBZ(CPUState *cpu, const DecodedInsn *d)
{
    uint64_t v;
    if (likely(tlb_load(cpu, fast_ea_disp(cpu, d), 1, &v)))
        cpu->gpr[d->a.D_mem.rt] = v;
    else
        trans_LBZ(cpu, &d->a.D_mem);
}

void fast_LWZ(CPUState *cpu, const DecodedInsn *d)
{
    uint64_t v;
    if (likely(tlb_load(cpu, fast_ea_disp(cpu, d), WORD_BYTES, &v)))
        cpu->gpr[d->a.D_mem.rt] = v;
    else
        trans_LWZ(cpu, &d->a.D_mem);
}

void fast_LD(CPUState *cpu, const DecodedInsn *d)
{
    uint64_t v;
    if (likely(tlb_load(cpu, fast_ea_disp(cpu, d), DWORD_BYTES, &v)))
        cpu->gpr[d->a.D_mem.rt] = v;
    else
        trans_LD(cpu, &d->a.D_mem);
}

void fast_LWZU(CPUState *cpu, const DecodedInsn *d)
{
    uint64_t v;
    ea_t ea = fast_ea_disp(cpu, d);
    if (likely(tlb_load(cpu, ea, WORD_BYTES, &v))) {
        cpu->gpr[d->a.D_mem.rt] = v;
        cpu->gpr[d->a.D_mem.ra] = ea;
    } else {
        trans_LWZU(cpu, &d->a.D_mem);
    }
}

void fast_LWZX(CPUState *cpu, const DecodedInsn *d)
{
    uint64_t v;
    if (likely(tlb_load(cpu, fast_ea_index(cpu, d), WORD_BYTES, &v)))
        cpu->gpr[d->a.X_mem.rt] = v;
    else
        trans_LWZX(cpu, &d->a.X_mem);
}

void fast_LDX(CPUState *cpu, const DecodedInsn *d)
{
    uint64_t v;
    if (likely(tlb_load(cpu, fast_ea_index(cpu, d), DWORD_BYTES, &v)))
        cpu->gpr[d->a.X_mem.rt] = v;
    else
        trans_LDX(cpu, &d->a.X_mem);
}

void fast_STW(CPUState *cpu, const DecodedInsn *d)
{
    if (unlikely(!tlb_store(cpu, fast_ea_disp(cpu, d), WORD_BYTES, cpu->gpr[d->a.D_mem.rt])))
        trans_STW(cpu, &d->a.D_mem);
}

void fast_STD(CPUState *cpu, const DecodedInsn *d)
{
    if (unlikely(!tlb_store(cpu, fast_ea_disp(cpu, d), DWORD_BYTES, cpu->gpr[d->a.D_mem.rt])))
        trans_STD(cpu, &d->a.D_mem);
}

/* RS = RA stores the old RA, as do_st_u() does. */
void fast_STWU(CPUState *cpu, const DecodedInsn *d)
{
    ea_t ea = fast_ea_disp(cpu, d);
    if (likely(tlb_store(cpu, ea, WORD_BYTES, cpu->gpr[d->a.D_mem.rt])))
        cpu->gpr[d->a.D_mem.ra] = ea;
    else
        trans_STWU(cpu, &d->a.D_mem);
}

void fast_STWX(CPUState *cpu, const DecodedInsn *d)
{
    if (unlikely(!tlb_store(cpu, fast_ea_index(cpu, d), WORD_BYTES, cpu->gpr[d->a.X_mem.rt])))
        trans_STWX(cpu, &d->a.X_mem);
}

void fast_STDX(CPUState *cpu, const DecodedInsn *d)
{
    if (unlikely(!tlb_store(cpu, fast_ea_index(cpu, d), DWORD_BYTES, cpu->gpr[d->a.X_mem.rt])))
        trans_STDX(cpu, &d->a.X_mem);
}
