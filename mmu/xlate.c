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

static CpuMcAccess mc_access(MmuAccess acc)
{
    return acc == MMU_EXEC ? CPU_MC_FETCH : acc == MMU_WRITE ? CPU_MC_STORE : CPU_MC_LOAD;
}

/*
 * L0's flat partition scope: guest real = host-real offset into the RAM
 * block.  The hook a partition-scoped tree replaces (its faults become
 * HDSI/HISI exits with HDAR = ea, ASDR = gra).
 */
bool mmu_partition_xlate(CPUState *cpu, gra_t gra, MmuAccess acc, MmuPartKind kind, ea_t ea, uint8_t **host)
{
    if (likely(gra < cpu->mem.ram_size)) {
        *host = cpu->mem.ram + gra;
        return true;
    }
    if (kind != MMU_PART_ACCESS) {
        *host = NULL; /* no memory behind a table address: reads as zero */
        return true;
    }
    cpu_raise_machine_check(cpu, ea, mc_access(acc));
    return false;
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
    if (!mmu_partition_xlate(w->cpu, addr, w->acc, MMU_PART_TABLE, w->ea, &host))
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
    if (!mmu_partition_xlate(w->cpu, addr, w->acc, MMU_PART_UPDATE, w->ea, &host))
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
    if (!mmu_partition_xlate(cpu, walk.ra, acc, MMU_PART_ACCESS, ea, host))
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
    if (!mmu_partition_xlate(cpu, ra, acc, MMU_PART_ACCESS, ea, host))
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
