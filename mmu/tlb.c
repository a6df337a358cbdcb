/*
 * tlb.c - TLB contexts and invalidation: mmu_ctx_for(), mmu_tlbie() and
 * the flushes behind them (Power ISA v3.0B Book III 5.10.1, 6.10).
 *
 * A context id names a translation regime (mmu/mmu_state.h).  Its key:
 *
 *   bit  0      used (keys are never 0)
 *   bit  1      relocation on
 *   bit  2      MSR[PR]
 *   bits 3:4    supervisor key-0 restriction: AMR bits 0:1 (data) or
 *               IAMR bit 1 (fetch); 0 in problem state, where QEMU and the
 *               ISA's radix rules apply no AMR
 *   bits 5:28   LPID
 *   bits 29:61  PID, with every PID >= 2^32 folded into 2^32 (past the end
 *               of any process table: they all translate the same)
 *
 * Invalidation scans the 2 x 256 data entries and 256 fetch entries and
 * drops the ones the tlbie selects: by page (every context: the EA is the
 * same in all of them), by PID (the contexts of that PID, and for PID 0
 * also every quadrant-3 entry, which PID 0's tree translated whatever PIDR
 * was), by LPID, or all.  Dropping more than asked is always allowed; this
 * never drops less.
 */
#include "cpu/mem.h"
#include "mmu/mmu.h"
#include "radix/radix.h"

#define KEY_USED        (1ULL << 0)
#define KEY_RELOC       (1ULL << 1)
#define KEY_PR          (1ULL << 2)
#define KEY_PERM_SHIFT  3
#define KEY_LPID_SHIFT  5
#define KEY_LPID_MASK   (0xFFFFFFULL << KEY_LPID_SHIFT)
#define KEY_PID_SHIFT   29
#define KEY_PID_MASK    (0x1FFFFFFFFULL << KEY_PID_SHIFT)
#define PID_FOLD        (1ULL << 32)
#define AMR_KEY0_SHIFT  62   /* AMR/IAMR bits 0:1 */
#define IAMR_KEY0_NOEXEC 1ULL
#define CTX_HASH_MUL    0x9E3779B97F4A7C15ULL

/* ---- context ids ------------------------------------------------------------- */

static uint64_t ctx_key(const CPUState *cpu, bool insn)
{
    uint64_t key = KEY_USED | ((uint64_t)cpu->mmu.lpid << KEY_LPID_SHIFT & KEY_LPID_MASK);
    if (!(cpu->msr & (insn ? MSR_IR : MSR_DR)))
        return key;
    uint64_t pid = cpu->spr[SPR_PIDR] < PID_FOLD ? cpu->spr[SPR_PIDR] : PID_FOLD;
    key |= KEY_RELOC | pid << KEY_PID_SHIFT;
    if (cpu->msr & MSR_PR)
        return key | KEY_PR;
    uint64_t perm = insn ? (cpu->spr[SPR_IAMR] >> AMR_KEY0_SHIFT) & IAMR_KEY0_NOEXEC
                         : cpu->spr[SPR_AMR] >> AMR_KEY0_SHIFT;
    return key | perm << KEY_PERM_SHIFT;
}

static unsigned ctx_slot(uint64_t key)
{
    return (unsigned)((key * CTX_HASH_MUL) >> 32) & (MMU_CTX_HASH - 1);
}

/* The id of key, or 0 with *slot = where it would go. */
static uint32_t ctx_find(const MmuState *m, uint64_t key, unsigned *slot)
{
    unsigned i = ctx_slot(key);
    while (m->ctx_hash[i] && m->ctx_key[m->ctx_hash[i]] != key)
        i = (i + 1) & (MMU_CTX_HASH - 1);
    *slot = i;
    return m->ctx_hash[i];
}

/*
 * Ids are handed out in a scrambled order (an odd multiplier permutes
 * 1..2047): the TLB index mixes the id into the EA page (cpu_tlb_slot), so
 * contexts created one after the other spread the same EAs over the TLB.
 */
#define CTX_SPREAD 1459u

static uint32_t ctx_insert(MmuState *m, uint64_t key, unsigned slot)
{
    uint32_t n = m->ctx_next ? m->ctx_next : 1;
    uint32_t id = (n * CTX_SPREAD) & (MMU_CTX_IDS - 1);
    m->ctx_next = n + 1;
    m->ctx_key[id] = key;
    m->ctx_hash[slot] = (uint16_t)id;
    return id;
}

static uint32_t ctx_get(MmuState *m, uint64_t key)
{
    unsigned slot;
    uint32_t id = ctx_find(m, key, &slot);
    return id ? id : ctx_insert(m, key, slot);
}

static uint64_t key_of_tag(const MmuState *m, uint32_t ctx)
{
    return m->ctx_key[(ctx & ~CPU_PAGE_MASK) >> 1];
}

/*
 * Out of ids: flush everything and number again, keeping the thread's
 * current data and fetch contexts valid (the caller may be replacing only
 * one of them).
 */
static NESTHV_COLD void ctx_recycle(CPUState *cpu)
{
    MmuState *m = &cpu->mmu;
    uint64_t kd = key_of_tag(m, cpu->mmu_ctx_data), ki = key_of_tag(m, cpu->mmu_ctx_insn);
    memset(m->ctx_key, 0, sizeof(m->ctx_key));
    memset(m->ctx_hash, 0, sizeof(m->ctx_hash));
    m->ctx_next = 1;
    m->stat_ctx_recycles++;
    mmu_tlb_flush_all(cpu);
    cpu->mmu_ctx_data = kd ? ctx_get(m, kd) << 1 : 0;
    cpu->mmu_ctx_insn = ki ? ctx_get(m, ki) << 1 : 0;
}

uint32_t mmu_ctx_for(CPUState *cpu, bool insn)
{
    MmuState *m = &cpu->mmu;
    uint64_t key = ctx_key(cpu, insn);
    unsigned slot;
    uint32_t id = ctx_find(m, key, &slot);
    if (likely(id))
        return id << 1;
    if (m->ctx_next >= MMU_CTX_IDS) {
        ctx_recycle(cpu);
        return ctx_get(m, key) << 1;
    }
    return ctx_insert(m, key, slot) << 1;
}

/* ---- flushes ----------------------------------------------------------------- */

typedef enum SelKind { SEL_PAGE, SEL_PID, SEL_LPID } SelKind;

/* Which entries an invalidation drops. */
typedef struct Sel {
    SelKind kind;
    uint64_t ea, ea_mask; /* SEL_PAGE: entries with (EA & ea_mask) == ea */
    uint64_t pid;         /* SEL_PID */
    uint32_t lpid;        /* SEL_PID, SEL_LPID */
} Sel;

static bool sel_matches(const MmuState *m, const Sel *s, uint64_t tag)
{
    uint64_t key = key_of_tag(m, (uint32_t)tag);
    uint64_t ea = tag & CPU_PAGE_MASK;
    if (tag == TLB_INVALID_TAG)
        return false;
    switch (s->kind) {
    case SEL_PAGE:
        return (ea & s->ea_mask) == s->ea;
    case SEL_LPID:
        return (key & KEY_LPID_MASK) >> KEY_LPID_SHIFT == s->lpid;
    case SEL_PID:
        if (!(key & KEY_RELOC) || (key & KEY_LPID_MASK) >> KEY_LPID_SHIFT != s->lpid)
            return false;
        if (s->pid == 0 && (ea & RADIX_EA_QUADRANT) == RADIX_EA_QUADRANT)
            return true;
        return (key & KEY_PID_MASK) >> KEY_PID_SHIFT == s->pid;
    }
    return false;
}

static void flush_sel(CPUState *cpu, const Sel *s)
{
    MmuState *m = &cpu->mmu;
    for (unsigned i = 0; i < TLB_SIZE; i++) {
        if (sel_matches(m, s, cpu->tlb_read[i].tag))
            cpu->tlb_read[i].tag = TLB_INVALID_TAG;
        if (sel_matches(m, s, cpu->tlb_write[i].tag))
            cpu->tlb_write[i].tag = TLB_INVALID_TAG;
    }
    for (unsigned i = 0; i < MMU_ITLB_SIZE; i++)
        if (sel_matches(m, s, m->itlb[i].tag))
            m->itlb[i].tag = TLB_INVALID_TAG;
    cpu->fetch_tag = TLB_INVALID_TAG;
}

void mmu_itlb_flush(CPUState *cpu)
{
    for (unsigned i = 0; i < MMU_ITLB_SIZE; i++)
        cpu->mmu.itlb[i].tag = TLB_INVALID_TAG;
}

/* ---- L0's partition-scoped changes ---------------------------------------------- */

/*
 * The partition-scoped cache changes only with L0's trees and table: a
 * guest's tlbie (process scope; partition scope is hypervisor-privileged)
 * leaves it alone.
 */
static void ptlb_flush(MmuState *m, bool one_lpid, uint32_t lpid)
{
    for (unsigned set = 0; set < MMU_PTLB_SETS; set++)
        for (unsigned i = 0; i < MMU_PTLB_SIZE; i++)
            if (!one_lpid || (m->ptlb[set][i].tag & (MMU_PTLB_LPIDS - 1)) == lpid)
                m->ptlb[set][i].perm = 0;
}

void mmu_flush_partition_scope(CPUState *cpu)
{
    ptlb_flush(&cpu->mmu, false, 0);
}

void mmu_flush_lpid(CPUState *cpu, uint32_t lpid)
{
    Sel s = { SEL_LPID, 0, 0, 0, lpid };
    flush_sel(cpu, &s);
    ptlb_flush(&cpu->mmu, true, lpid);
}

/* Does host pointer p lie in host-real [hra, hra + size)?  (Pointers outside PhysMem never do.) */
static bool host_in(const CPUState *cpu, uintptr_t p, hra_t hra, uint64_t size)
{
    return (uint64_t)(p - (uintptr_t)cpu->mem.ram) - hra < size;
}

static void tlb_drop_hra(CPUState *cpu, TlbEntry *tlb, hra_t hra, uint64_t size)
{
    for (unsigned i = 0; i < TLB_SIZE; i++) {
        TlbEntry *e = &tlb[i];
        if (e->tag != TLB_INVALID_TAG && host_in(cpu, e->addend + (uintptr_t)(e->tag & CPU_PAGE_MASK), hra, size))
            e->tag = TLB_INVALID_TAG;
    }
}

void mmu_flush_hra_range(CPUState *cpu, hra_t hra, uint64_t size)
{
    MmuState *m = &cpu->mmu;
    tlb_drop_hra(cpu, cpu->tlb_read, hra, size);
    tlb_drop_hra(cpu, cpu->tlb_write, hra, size);
    for (unsigned i = 0; i < MMU_ITLB_SIZE; i++)
        if (m->itlb[i].tag != TLB_INVALID_TAG && host_in(cpu, (uintptr_t)m->itlb[i].host_page, hra, size))
            m->itlb[i].tag = TLB_INVALID_TAG;
    for (unsigned set = 0; set < MMU_PTLB_SETS; set++) {
        uint64_t granule = set == MMU_PTLB_2M ? 1ULL << RADIX_SHIFT_2M : CPU_PAGE_SIZE;
        for (unsigned i = 0; i < MMU_PTLB_SIZE; i++) {
            MmuPtlbEntry *e = &m->ptlb[set][i];
            hra_t start = (hra_t)((uintptr_t)e->host - (uintptr_t)cpu->mem.ram);
            if (e->perm && start < hra + size && hra < start + granule)
                e->perm = 0;
        }
    }
    cpu->fetch_tag = TLB_INVALID_TAG;
}

void mmu_tlb_flush_all(CPUState *cpu)
{
    cpu_tlb_flush_all(cpu); /* data TLB, fetch page and (through mmu_itlb_flush) the fetch TLB */
}

static void flush_sel_fn(CPUState *target, void *arg)
{
    flush_sel(target, arg);
}

static void flush_all_fn(CPUState *target, void *arg)
{
    mmu_tlb_flush_all(target);
}

/* tlbiel acts on this thread; tlbie on every thread of the machine. */
static void apply(CPUState *cpu, const Sel *s, bool local)
{
    if (local)
        flush_sel(cpu, s);
    else
        cpu_for_each_cpu(cpu, flush_sel_fn, (void *)s);
}

static void apply_all(CPUState *cpu, bool local)
{
    if (local)
        mmu_tlb_flush_all(cpu);
    else
        cpu_for_each_cpu(cpu, flush_all_fn, NULL);
}

/* ---- tlbie / tlbiel ------------------------------------------------------------- */

/*
 * The instruction forms QEMU 7.2 (like the ISA) treats as invalid when
 * translation is radix: RIC = 3; RIC = 1 or 2 for one page; a
 * partition-scoped PID invalidation; a tlbiel of the page-walk cache with a
 * set number other than 0; an AP that is not a radix page size.
 */
MmuTlbie mmu_tlbie(CPUState *cpu, uint64_t rb, uint64_t rs, unsigned ric, bool prs, bool radix, bool local)
{
    unsigned is = (unsigned)((rb & TLBIE_RB_IS) >> TLBIE_RB_IS_SHIFT);
    /* A guest's tlbie acts on its own LPID: RS[LPID] is the hypervisor's to choose. */
    uint64_t pid = (rs & TLBIE_RS_PID) >> TLBIE_RS_PID_SHIFT;
    if (!radix || !mmu_partition_radix(cpu)) {
        apply_all(cpu, local); /* hash forms: no radix operands to honour */
        return MMU_TLBIE_DONE;
    }
    if (ric == TLBIE_RIC_GRP || ((ric == TLBIE_RIC_PWC || ric == TLBIE_RIC_ALL) && is == TLBIE_IS_VA) ||
        (!prs && is == TLBIE_IS_PID))
        return MMU_TLBIE_INVALID;
    if (ric == TLBIE_RIC_PWC) /* no page-walk cache to invalidate */
        return local && (rb & TLBIE_RB_SET) ? MMU_TLBIE_INVALID : MMU_TLBIE_DONE;
    Sel s = { SEL_LPID, 0, 0, 0, cpu->mmu.lpid };
    switch (is) {
    case TLBIE_IS_VA: {
        unsigned shift = radix_ap_to_shift((unsigned)((rb & TLBIE_RB_AP) >> TLBIE_RB_AP_SHIFT));
        if (!shift)
            return MMU_TLBIE_INVALID;
        s.kind = SEL_PAGE;
        s.ea_mask = ~((1ULL << shift) - 1);
        s.ea = rb & TLBIE_RB_EPN & s.ea_mask;
        break;
    }
    case TLBIE_IS_PID:
        s.kind = SEL_PID;
        s.pid = pid < PID_FOLD ? pid : PID_FOLD;
        break;
    case TLBIE_IS_LPID:
        break;
    default:
        apply_all(cpu, local);
        return MMU_TLBIE_DONE;
    }
    apply(cpu, &s, local);
    return MMU_TLBIE_DONE;
}
