/*
 * xlate.c - effective -> real translation for the emulated thread (the
 * steps are listed in mmu.h; Power ISA v3.0B Book III 6.7).
 *
 * Fault values are those QEMU 7.2 shows a pseries radix guest, measured by
 * firmware/tests/mmu/:
 *   DSI  DAR = EA; DSISR = NOPTE 0x40000000 (invalid entry, PID past the
 *        process table), BADCONFIG 0x00080000 (tree shape, process table
 *        alignment, zero process-table entry), PROTFAULT 0x08000000; | ISSTORE
 *        0x02000000 for stores.
 *   ISI  SRR0 = EA; SRR1 cause NOPTE 0x40000000, BADCONFIG 0x00080000, or
 *        0x10000000 for every execute-permission failure (no execute, a
 *        privileged page from problem state, IAMR, non-idempotent I/O).
 *   segment 0x380 (DAR = EA) / 0x480: hash mode, quadrant 1 or 2, EA bits
 *        2:11 not zero.
 * Partition scope (every guest real address, tables included) walks L0's
 * tree on a partition-cache miss; its faults are HDSI/HISI exits to L0 with
 * POWER9's values (mmu.h).
 */
#include "mmu/mmu.h"

#include <string.h>

#include "cpu/icache.h"
#include "radix/radix.h"

#define EAA_R 1u /* effective permissions, as a mask */
#define EAA_W 2u
#define EAA_X 4u
#define AMR_KEY0_SHIFT 62
#define AMR_NO_WRITE   2u /* AMR bit 0 */
#define AMR_NO_READ    1u /* AMR bit 1 */
#define IAMR_NO_EXEC   1u /* IAMR bit 1 */

/* ---- partition scope ----------------------------------------------------------- */

#define PERM(acc) (1u << (acc))
#define PTLB_SHIFT_2M RADIX_SHIFT_2M

static CpuMcAccess mc_access(MmuAccess acc)
{
    return acc == MMU_EXEC ? CPU_MC_FETCH : acc == MMU_WRITE ? CPU_MC_STORE : CPU_MC_LOAD;
}

/* The access a partition-scoped lookup is for: table reads are reads, the R/C update a write. */
static MmuAccess part_need(MmuAccess acc, MmuPartKind kind)
{
    return kind == MMU_PART_TABLE ? MMU_READ : kind == MMU_PART_UPDATE ? MMU_WRITE : acc;
}

static MmuPtlbEntry *ptlb_slot(CPUState *cpu, unsigned set, gra_t gra, uint32_t lpid)
{
    unsigned shift = set == MMU_PTLB_2M ? PTLB_SHIFT_2M : CPU_PAGE_BITS;
    return &cpu->mmu.ptlb[set][((gra >> shift) ^ lpid) & (MMU_PTLB_SIZE - 1)];
}

/* Tag of gra's granule in a set: its address | LPID. */
static inline uint64_t ptlb_tag(unsigned set, gra_t gra, uint32_t lpid)
{
    uint64_t granule = set == MMU_PTLB_2M ? 1ULL << PTLB_SHIFT_2M : CPU_PAGE_SIZE;
    return (gra & ~(granule - 1)) | lpid;
}

/*
 * Bare thread (PTCR = 0): the identity over PhysMem.  A table address with
 * no memory reads as zero (QEMU: unassigned memory), an access there is a
 * machine check.
 */
static bool part_flat(CPUState *cpu, gra_t gra, MmuAccess acc, MmuPartKind kind, ea_t ea, uint8_t **host)
{
    if (gra < cpu->mem.ram_size) {
        *host = cpu->mem.ram + gra;
        return true;
    }
    if (kind != MMU_PART_ACCESS) {
        *host = NULL;
        return true;
    }
    cpu_raise_machine_check(cpu, ea, mc_access(acc));
    return false;
}

/* Partition-scoped tables are in host-real memory (PhysMem), big-endian. */
static int hra_read(void *opaque, radix_addr_t hra, uint64_t *val)
{
    const CPUState *cpu = opaque;
    uint64_t v;
    if (hra > cpu->mem.ram_size - sizeof(v))
        return -1;
    memcpy(&v, cpu->mem.ram + hra, sizeof(v));
    *val = __builtin_bswap64(v);
    return 0;
}

/* What a partition-scoped PTE lets through without a fault (R, and C for stores, are required). */
static uint32_t part_perm(uint64_t pte)
{
    uint32_t perm = 0;
    if (!(pte & RADIX_PTE_R))
        return 0;
    if (pte & (RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW))
        perm |= PERM(MMU_READ);
    if ((pte & RADIX_PTE_EAA_RW) && (pte & RADIX_PTE_C))
        perm |= PERM(MMU_WRITE);
    if ((pte & RADIX_PTE_EAA_EXEC) && (pte & RADIX_PTE_ATT) != RADIX_PTE_ATT_NON_IDEMPOTENT)
        perm |= PERM(MMU_EXEC);
    return perm;
}

/* The cause of a partition-scoped PTE refusing `need`: permission first, then R/C. */
static uint32_t part_prot_cause(uint64_t pte, MmuAccess need)
{
    uint64_t rc = RADIX_PTE_R | (need == MMU_WRITE ? RADIX_PTE_C : 0);
    uint64_t all = RADIX_PTE_R | RADIX_PTE_C;
    if (!(part_perm(pte | all) & PERM(need)))
        return need == MMU_EXEC ? DSISR_NOEXEC_OR_G : DSISR_PROTFAULT;
    return (pte & rc) != rc ? DSISR_ATOMIC_RC : 0;
}

/*
 * HDSI/HISI to L0 (Book III 7.5.16, 7.5.17): HDAR = ea, ASDR = gra, the
 * cause in HDSISR or HSRR1.  A table access during a fetch is reported as
 * an HISI: L0 must know which side to hand a fault to the guest on.
 */
static void raise_partition_fault(CPUState *cpu, ea_t ea, gra_t gra, MmuAccess acc, MmuPartKind kind,
                                  uint32_t cause)
{
    if (kind != MMU_PART_ACCESS)
        cause |= DSISR_PRTABLE_FAULT;
    cpu->spr[SPR_ASDR] = gra;
    if (acc == MMU_EXEC) {
        cpu_hv_exit(cpu, CPU_EXIT_HISI, EXCP_HISI, cpu->nip, cause);
        return;
    }
    if (acc == MMU_WRITE || kind == MMU_PART_UPDATE)
        cause |= DSISR_ISSTORE;
    cpu->spr[SPR_HDAR] = ea;
    cpu->spr[SPR_HDSISR] = cause;
    cpu_hv_exit(cpu, CPU_EXIT_HDSI, EXCP_HDSI, cpu->cia, 0);
}

static void ptlb_fill(CPUState *cpu, gra_t gra, hra_t hra, const RadixWalk *w)
{
    unsigned set = MMU_PTLB_4K, shift = CPU_PAGE_BITS;
    if (w->page_shift >= PTLB_SHIFT_2M) {
        set = MMU_PTLB_2M;
        shift = PTLB_SHIFT_2M;
    }
    uint64_t off = gra & ((1ULL << shift) - 1);
    if (hra - off > cpu->mem.ram_size - (1ULL << shift) || cpu->mmu.lpid >= MMU_PTLB_LPIDS)
        return; /* the granule is not all memory, or the LPID has no tag: do not cache it */
    MmuPtlbEntry *e = ptlb_slot(cpu, set, gra, cpu->mmu.lpid);
    e->tag = ptlb_tag(set, gra, cpu->mmu.lpid);
    e->host = cpu->mem.ram + (hra - off);
    e->perm = part_perm(w->pte);
}

/* Walk the partition-scoped tree of the running LPID (a partition-cache miss). */
static NESTHV_COLD bool part_walk(CPUState *cpu, gra_t gra, MmuAccess acc, MmuPartKind kind, ea_t ea,
                                  uint8_t **host)
{
    MmuAccess need = part_need(acc, kind);
    RadixRoot root;
    RadixWalk w;
    uint32_t cause = 0;
    cpu->mmu.stat_part_walks++;
    if (!(cpu->mmu.pate_dw0 & PATE0_HR) || !radix_root_from_dw0(cpu->mmu.pate_dw0, &root)) {
        raise_partition_fault(cpu, ea, gra, acc, kind, DSISR_BADCONFIG);
        return false;
    }
    radix_walk(&root, gra, hra_read, cpu, &w);
    switch (w.status) {
    case RADIX_OK:
        cause = part_prot_cause(w.pte, need);
        break;
    case RADIX_NOT_PRESENT:
        cause = DSISR_NOPTE;
        break;
    case RADIX_BAD_CONFIG:
        cause = DSISR_BADCONFIG;
        break;
    default: /* a table outside host memory */
        cpu_raise_machine_check(cpu, ea, mc_access(acc));
        return false;
    }
    if (cause) {
        raise_partition_fault(cpu, ea, gra, acc, kind, cause);
        return false;
    }
    if ((w.ra & CPU_PAGE_MASK) > cpu->mem.ram_size - CPU_PAGE_SIZE) {
        cpu_raise_machine_check(cpu, ea, mc_access(acc)); /* no host memory behind the leaf */
        return false;
    }
    ptlb_fill(cpu, gra, w.ra, &w);
    *host = cpu->mem.ram + w.ra;
    return true;
}

/* A partition-cache miss: the bare thread's identity map, or a walk of L0's tree. */
static NESTHV_COLD bool part_miss(CPUState *cpu, gra_t gra, MmuAccess acc, MmuPartKind kind, ea_t ea,
                                  uint8_t **host)
{
    if (unlikely(!cpu->spr[SPR_PTCR]))
        return part_flat(cpu, gra, acc, kind, ea, host);
    return part_walk(cpu, gra, acc, kind, ea, host);
}

/*
 * The partition-scoped cache: the 2 MiB set first (L0 maps RAM with large
 * pages), then the 4 KiB set.  Inlined into the MMU's own callers, where
 * `need` is a constant.
 */
static inline bool part_xlate(CPUState *cpu, gra_t gra, MmuAccess acc, MmuPartKind kind, ea_t ea, uint8_t **host)
{
    uint32_t lpid = cpu->mmu.lpid, need = PERM(part_need(acc, kind));
    const MmuPtlbEntry *e = ptlb_slot(cpu, MMU_PTLB_2M, gra, lpid);
    if (likely(e->tag == ptlb_tag(MMU_PTLB_2M, gra, lpid) && (e->perm & need))) {
        *host = e->host + (gra & ((1ULL << PTLB_SHIFT_2M) - 1));
        return true;
    }
    e = ptlb_slot(cpu, MMU_PTLB_4K, gra, lpid);
    if (e->tag == ptlb_tag(MMU_PTLB_4K, gra, lpid) && (e->perm & need)) {
        *host = e->host + (gra & ~CPU_PAGE_MASK);
        return true;
    }
    return part_miss(cpu, gra, acc, kind, ea, host);
}

bool mmu_partition_xlate(CPUState *cpu, gra_t gra, MmuAccess acc, MmuPartKind kind, ea_t ea, uint8_t **host)
{
    return part_xlate(cpu, gra, acc, kind, ea, host);
}

/* ---- faults ---------------------------------------------------------------------- */

static void raise_segment(CPUState *cpu, ea_t ea, MmuAccess acc)
{
    if (acc == MMU_EXEC) {
        cpu_interrupt(cpu, EXCP_ISEG, cpu->nip, 0);
        return;
    }
    cpu->spr[SPR_DAR] = ea;
    cpu_interrupt(cpu, EXCP_DSEG, cpu->cia, 0);
}

/* DSI or ISI with a DSISR-format cause (an ISI reports it in SRR1). */
static void raise_storage(CPUState *cpu, ea_t ea, MmuAccess acc, uint32_t cause)
{
    if (acc == MMU_EXEC)
        cpu_raise_isi(cpu, cause);
    else
        cpu_raise_dsi(cpu, ea, cause | (acc == MMU_WRITE ? DSISR_ISSTORE : 0));
}

/* ---- table accesses through partition scope ------------------------------------- */

/* What the walker's read callback needs. */
typedef struct WalkCtx {
    CPUState *cpu;
    ea_t ea;
    MmuAccess acc;
} WalkCtx;

static int table_read(void *opaque, radix_addr_t addr, uint64_t *val)
{
    WalkCtx *w = opaque;
    uint8_t *host;
    uint64_t v;
    if (!part_xlate(w->cpu, addr, w->acc, MMU_PART_TABLE, w->ea, &host))
        return -1; /* the partition-scoped fault has been raised */
    if (!host) {
        *val = 0;
        return 0;
    }
    memcpy(&v, host, sizeof(v));
    *val = __builtin_bswap64(v); /* tables are big-endian */
    return 0;
}

static bool table_write(WalkCtx *w, radix_addr_t addr, uint64_t val)
{
    uint8_t *host;
    if (!part_xlate(w->cpu, addr, w->acc, MMU_PART_UPDATE, w->ea, &host))
        return false;
    if (!host)
        return true;
    hra_t hra = (hra_t)(host - w->cpu->mem.ram);
    if (icache_page_has_code(w->cpu->icache, hra))
        icache_invalidate(w->cpu, hra);
    val = __builtin_bswap64(val);
    memcpy(host, &val, sizeof(val));
    return true;
}

/* ---- permissions ---------------------------------------------------------------- */

static unsigned eaa_prot(uint64_t pte)
{
    return ((pte & RADIX_PTE_EAA_READ) ? EAA_R : 0) | ((pte & RADIX_PTE_EAA_RW) ? EAA_R | EAA_W : 0) |
           ((pte & RADIX_PTE_EAA_EXEC) ? EAA_X : 0);
}

/* AMR/IAMR key 0: what supervisor access to non-privileged pages keeps. */
static unsigned amr_prot(const CPUState *cpu)
{
    unsigned amr = (unsigned)(cpu->spr[SPR_AMR] >> AMR_KEY0_SHIFT);
    unsigned iamr = (unsigned)(cpu->spr[SPR_IAMR] >> AMR_KEY0_SHIFT);
    return ((amr & AMR_NO_WRITE) ? 0 : EAA_W) | ((amr & AMR_NO_READ) ? 0 : EAA_R) |
           ((iamr & IAMR_NO_EXEC) ? 0 : EAA_X);
}

/* 0 if the access is allowed, else its DSISR-format cause (Book III 6.7.12). */
static uint32_t prot_fault(const CPUState *cpu, uint64_t pte, MmuAccess acc)
{
    static const unsigned need[] = { [MMU_READ] = EAA_R, [MMU_WRITE] = EAA_W, [MMU_EXEC] = EAA_X };
    bool pr = cpu_is_pr(cpu);
    unsigned prot;
    if (acc == MMU_EXEC && (pte & RADIX_PTE_ATT) == RADIX_PTE_ATT_NON_IDEMPOTENT)
        return DSISR_NOEXEC_OR_G; /* non-idempotent I/O is treated as guarded */
    if ((pte & RADIX_PTE_EAA_PRIV) && pr)
        prot = 0;
    else if (pr || (pte & RADIX_PTE_EAA_PRIV))
        prot = eaa_prot(pte);
    else
        prot = eaa_prot(pte) & amr_prot(cpu);
    if (prot & need[acc])
        return 0;
    return acc == MMU_EXEC ? DSISR_NOEXEC_OR_G : DSISR_PROTFAULT;
}

/* ---- radix translation (relocation on) ------------------------------------------ */

/* The root of the tree translating quadrant-0/3 address ea for pid, or false (raised). */
static bool process_root(WalkCtx *w, uint64_t pid, RadixRoot *root)
{
    CPUState *cpu = w->cpu;
    uint64_t dw1 = cpu->mmu.pate_dw1;
    uint64_t prtb = dw1 & PATE1_PRTB;
    uint64_t size = 1ULL << ((dw1 & PATE1_PRTS) + PRTB_SIZE_BASE);
    uint64_t dw0;
    if (prtb & (size - 1)) {
        raise_storage(cpu, w->ea, w->acc, DSISR_BADCONFIG);
        return false;
    }
    if (pid >= size / PRTE_SIZE) {
        raise_storage(cpu, w->ea, w->acc, DSISR_NOPTE);
        return false;
    }
    if (table_read(w, prtb + pid * PRTE_SIZE, &dw0) != 0)
        return false;
    radix_root_from_dw0(dw0, root); /* a bad shape fails in the walk, as BADCONFIG */
    return true;
}

/* The fetch-TLB slot of ea in the current context (indexed like cpu_tlb_slot). */
static MmuItlbEntry *itlb_slot(CPUState *cpu, ea_t ea)
{
    return &cpu->mmu.itlb[((ea >> CPU_PAGE_BITS) ^ (cpu->mmu_ctx_insn >> 1)) & (MMU_ITLB_SIZE - 1)];
}

/* Remember a fetch translation (the 4 KiB granule of ea). */
static void itlb_fill(CPUState *cpu, ea_t ea, gra_t gra, uint8_t *host)
{
    MmuItlbEntry *e = itlb_slot(cpu, ea);
    e->tag = (ea & CPU_PAGE_MASK) | cpu->mmu_ctx_insn;
    e->host_page = host - (ea & ~CPU_PAGE_MASK);
    e->gra_page = gra & CPU_PAGE_MASK;
}

static NESTHV_COLD bool xlate_radix(CPUState *cpu, ea_t ea, MmuAccess acc, gra_t *gra, uint8_t **host)
{
    WalkCtx w = { cpu, ea, acc };
    unsigned quadrant = (unsigned)(ea >> RADIX_EA_QUADRANT_SHIFT);
    RadixRoot root;
    RadixWalk walk;
    if (!mmu_partition_radix(cpu) || (ea & RADIX_EA_RESERVED_52) ||
        (quadrant != RADIX_EA_Q0 && quadrant != RADIX_EA_Q3)) {
        raise_segment(cpu, ea, acc);
        return false;
    }
    if (!process_root(&w, quadrant == RADIX_EA_Q3 ? 0 : cpu->spr[SPR_PIDR], &root))
        return false;
    cpu->mmu.stat_walks++;
    radix_walk(&root, ea & RADIX_EA_OFFSET, table_read, &w, &walk);
    switch (walk.status) {
    case RADIX_OK:
        break;
    case RADIX_NOT_PRESENT:
        raise_storage(cpu, ea, acc, DSISR_NOPTE);
        return false;
    case RADIX_BAD_CONFIG:
        raise_storage(cpu, ea, acc, DSISR_BADCONFIG);
        return false;
    default:
        return false; /* unreadable: partition-scoped fault already raised */
    }
    uint32_t cause = prot_fault(cpu, walk.pte, acc);
    if (cause) {
        raise_storage(cpu, ea, acc, cause);
        return false;
    }
    /* Reference and change: set by the hardware (QEMU 7.2), never a fault. */
    uint64_t rc = RADIX_PTE_R | (acc == MMU_WRITE ? RADIX_PTE_C : 0);
    if ((walk.pte & rc) != rc && !table_write(&w, walk.entry_addr, walk.pte | rc))
        return false;
    if (!part_xlate(cpu, walk.ra, acc, MMU_PART_ACCESS, ea, host))
        return false;
    *gra = walk.ra;
    if (acc == MMU_EXEC)
        itlb_fill(cpu, ea, walk.ra, *host);
    return true;
}

/* Relocation off: EA bits 0:3 ignored, then partition scope (Book III 6.7.3). */
static bool xlate_real(CPUState *cpu, ea_t ea, MmuAccess acc, gra_t *gra, uint8_t **host)
{
    gra_t ra = ea & MMU_REAL_MODE_MASK;
    if (!part_xlate(cpu, ra, acc, MMU_PART_ACCESS, ea, host))
        return false;
    *gra = ra;
    return true;
}

bool mmu_xlate(CPUState *cpu, ea_t ea, MmuAccess acc, gra_t *gra, uint8_t **host)
{
    uint64_t reloc = acc == MMU_EXEC ? MSR_IR : MSR_DR;
    if (!(cpu->msr & reloc))
        return xlate_real(cpu, ea, acc, gra, host);
    if (acc == MMU_EXEC) {
        const MmuItlbEntry *e = itlb_slot(cpu, ea);
        if (e->tag == ((ea & CPU_PAGE_MASK) | cpu->mmu_ctx_insn)) {
            *host = e->host_page + (ea & ~CPU_PAGE_MASK);
            *gra = e->gra_page | (ea & ~CPU_PAGE_MASK);
            return true;
        }
    }
    return xlate_radix(cpu, ea, acc, gra, host);
}
