/*
 * partition.c - L0's host-real memory, its page pool, and the partition-
 * scoped trees it keeps for its partitions: demand faulting, unmap/move of
 * a page, and L0's own accesses to guest memory (design: partition.h and
 * docs/architecture-memory.md).
 */
#include "hv/partition.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cpu/icache.h"
#include "mmu/mmu.h"

#define PAGE_4K       (1ULL << RADIX_SHIFT_4K)
#define PAGE_OFF_4K   (PAGE_4K - 1)
#define REGION_SHIFT  RADIX_SHIFT_2M  /* unit of HvPartition.small */
#define POOL_BASE     (256ULL << 20)  /* pool = RAM / POOL_RAM_DIV + POOL_BASE */
#define POOL_RAM_DIV  4
#define MOVED_MIN_CAP 64
/* L0 maps every page of RAM with these (Book III 6.7.10: partition-scoped EAA, R, C). */
#define L0_PTE_FLAGS  (RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW | RADIX_PTE_EAA_EXEC)
#define L0_PTE_PERMS  (RADIX_PTE_EAA | RADIX_PTE_ATT)

static uint64_t round_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

/* ---- host-real memory and its pool ------------------------------------------------------ */

int hrm_init(Hrm *m, uint64_t ram_total, char *err, size_t errlen)
{
    memset(m, 0, sizeof(*m));
    uint64_t pool = ram_total / POOL_RAM_DIV + POOL_BASE;
    m->pool_end = round_up(HRM_POOL + pool, HRM_RAM_ALIGN);
    m->size = m->pool_end + round_up(ram_total, HRM_RAM_ALIGN);
    void *base = mmap(NULL, m->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) {
        snprintf(err, errlen, "cannot reserve %llu MiB of address space for guest RAM: use a smaller -m",
                 (unsigned long long)(m->size >> 20));
        return -1;
    }
    m->base = base;
    m->ptcr = HRM_PATB | HRM_PATS;
    m->pool_bump = HRM_POOL;
    m->ram_next = m->pool_end;
    return 0;
}

void hrm_destroy(Hrm *m)
{
    if (m->base)
        munmap(m->base, m->size);
    m->base = NULL;
}

static unsigned order_of(uint64_t size)
{
    unsigned order = HRM_MIN_ORDER;
    while ((1ULL << order) < size)
        order++;
    return order;
}

static uint64_t load_link(const Hrm *m, hra_t hra)
{
    uint64_t v;
    memcpy(&v, hrm_ptr(m, hra), sizeof(v));
    return v;
}

static void push_free(Hrm *m, unsigned order, hra_t hra)
{
    memcpy(hrm_ptr(m, hra), &m->free_list[order], sizeof(hra_t));
    m->free_list[order] = hra;
}

/* A block of 2^order bytes, not zeroed; 0 if the pool is exhausted. */
static hra_t take_block(Hrm *m, unsigned order)
{
    uint64_t size = 1ULL << order;
    hra_t hra = m->free_list[order];
    if (hra) {
        m->free_list[order] = load_link(m, hra);
        return hra;
    }
    if (order < RADIX_SHIFT_4K) { /* split a 4 KiB page */
        hra_t page = take_block(m, RADIX_SHIFT_4K);
        if (!page)
            return 0;
        for (uint64_t off = PAGE_4K - size; off > 0; off -= size)
            push_free(m, order, page + off);
        return page;
    }
    hra = round_up(m->pool_bump, size);
    if (hra > m->pool_end || m->pool_end - hra < size)
        return 0;
    for (hra_t gap = m->pool_bump; gap < hra; gap += PAGE_4K)
        push_free(m, RADIX_SHIFT_4K, gap); /* alignment gap: 4 KiB pages for later */
    m->pool_bump = hra + size;
    return hra;
}

int hrm_alloc(Hrm *m, uint64_t size, hra_t *out)
{
    unsigned order = order_of(size);
    if (order > HRM_MAX_ORDER || (1ULL << order) != size)
        return -EINVAL;
    hra_t hra = take_block(m, order);
    if (!hra)
        return -ENOMEM;
    memset(hrm_ptr(m, hra), 0, size);
    m->pool_in_use += size;
    if (m->pool_in_use > m->pool_peak)
        m->pool_peak = m->pool_in_use;
    *out = hra;
    return 0;
}

void hrm_free(Hrm *m, hra_t hra, uint64_t size)
{
    push_free(m, order_of(size), hra);
    m->pool_in_use -= size;
}

static void store_be64(uint8_t *p, uint64_t v)
{
    v = __builtin_bswap64(v);
    memcpy(p, &v, sizeof(v));
}

static uint64_t load_be64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return __builtin_bswap64(v);
}

void hrm_set_pate(Hrm *m, uint32_t lpid, uint64_t dw0, uint64_t dw1)
{
    uint8_t *e = hrm_ptr(m, HRM_PATB + (uint64_t)lpid * PATE_SIZE);
    store_be64(e, dw0);
    store_be64(e + 8, dw1);
}

void hrm_get_pate(const Hrm *m, uint32_t lpid, uint64_t *dw0, uint64_t *dw1)
{
    const uint8_t *e = hrm_ptr(m, HRM_PATB + (uint64_t)lpid * PATE_SIZE);
    *dw0 = load_be64(e);
    *dw1 = load_be64(e + 8);
}

/* ---- the builder's access to the tree (radix/radix.h RadixMem) ----------------------- */

static int tree_read(void *opaque, radix_addr_t hra, uint64_t *val)
{
    const Hrm *m = opaque;
    if (hra > m->size - sizeof(*val))
        return -1;
    *val = load_be64(hrm_ptr(m, hra));
    return 0;
}

static int tree_write(void *opaque, radix_addr_t hra, uint64_t val)
{
    Hrm *m = opaque;
    if (hra > m->size - sizeof(val))
        return -1;
    store_be64(hrm_ptr(m, hra), val);
    return 0;
}

static int tree_alloc(void *opaque, unsigned size, radix_addr_t *out)
{
    hra_t hra;
    if (hrm_alloc(opaque, size, &hra) != 0)
        return -1;
    *out = hra;
    return 0;
}

static void tree_free(void *opaque, radix_addr_t hra, unsigned size)
{
    hrm_free(opaque, hra, size);
}

/* ---- moved pages ---------------------------------------------------------------------- */

static size_t moved_slot(const HvMoved *mv, gra_t page)
{
    size_t i = (size_t)((page >> RADIX_SHIFT_4K) * 0x9E3779B97F4A7C15ULL) & (mv->cap - 1);
    while (mv->key[i] && mv->key[i] != (page | 1))
        i = (i + 1) & (mv->cap - 1);
    return i;
}

static bool moved_lookup(const HvMoved *mv, gra_t page, hra_t *hra)
{
    if (!mv->count)
        return false;
    size_t i = moved_slot(mv, page);
    if (!mv->key[i])
        return false;
    *hra = mv->hra[i];
    return true;
}

/* Room for one more entry (grows at half full); 0 or -ENOMEM. */
static int moved_reserve(HvMoved *mv)
{
    if (mv->cap && 2 * (mv->count + 1) <= mv->cap)
        return 0;
    HvMoved bigger = { 0 };
    bigger.cap = mv->cap ? 2 * mv->cap : MOVED_MIN_CAP;
    bigger.key = calloc(bigger.cap, sizeof(*bigger.key));
    bigger.hra = calloc(bigger.cap, sizeof(*bigger.hra));
    if (!bigger.key || !bigger.hra) {
        free(bigger.key);
        free(bigger.hra);
        return -ENOMEM;
    }
    for (size_t i = 0; i < mv->cap; i++) {
        if (!mv->key[i])
            continue;
        size_t j = moved_slot(&bigger, mv->key[i] & ~1ULL);
        bigger.key[j] = mv->key[i];
        bigger.hra[j] = mv->hra[i];
    }
    bigger.count = mv->count;
    free(mv->key);
    free(mv->hra);
    *mv = bigger;
    return 0;
}

/* Call moved_reserve() first. */
static void moved_set(HvMoved *mv, gra_t page, hra_t hra)
{
    size_t i = moved_slot(mv, page);
    if (!mv->key[i]) {
        mv->key[i] = page | 1;
        mv->count++;
    }
    mv->hra[i] = hra;
}

/* ---- partitions ------------------------------------------------------------------------ */

int hv_partition_init(HvPartition *p, Hrm *m, uint32_t lpid, uint64_t ram_size, char *err, size_t errlen)
{
    memset(p, 0, sizeof(*p));
    p->hrm = m;
    p->lpid = lpid;
    p->ram_size = ram_size;
    p->ram_hra = m->ram_next;
    p->tmem = (RadixMem){ m, tree_read, tree_write, tree_alloc, tree_free };
    if ((uint64_t)lpid * PATE_SIZE >= (1ULL << (HRM_PATS + RADIX_SHIFT_4K)) || p->ram_hra > m->size ||
        m->size - p->ram_hra < ram_size) {
        snprintf(err, errlen, "no host-real space left for partition %u", lpid);
        return -1;
    }
    p->small = calloc((ram_size >> REGION_SHIFT) + 1, 1);
    if (!p->small || radix_tree_create(&p->tmem, &p->tree) != 0) {
        free(p->small);
        p->small = NULL;
        snprintf(err, errlen, "out of host memory for partition %u", lpid);
        return -1;
    }
    m->ram_next = round_up(p->ram_hra + ram_size, HRM_RAM_ALIGN);
    hrm_set_pate(m, lpid, PATE0_HR | radix_root_to_dw0(&p->tree), 0);
    return 0;
}

void hv_partition_destroy(HvPartition *p)
{
    if (p->small) {
        radix_tree_destroy(&p->tmem, &p->tree);
        hrm_set_pate(p->hrm, p->lpid, 0, 0);
    }
    free(p->small);
    free(p->moved.key);
    free(p->moved.hra);
    p->small = NULL;
    p->moved = (HvMoved){ 0 };
}

uint64_t hv_partition_process_table(const HvPartition *p)
{
    uint64_t dw0, dw1;
    hrm_get_pate(p->hrm, p->lpid, &dw0, &dw1);
    return dw1;
}

static void reload_pate(CPUState *cpu, void *arg)
{
    mmu_partition_table_changed(cpu);
}

void hv_partition_set_process_table(HvPartition *p, uint64_t dw1)
{
    uint64_t dw0, prev_dw1;
    hrm_get_pate(p->hrm, p->lpid, &dw0, &prev_dw1);
    hrm_set_pate(p->hrm, p->lpid, dw0, dw1); /* dw0, L0's tree, stays */
    if (p->for_each_cpu)
        p->for_each_cpu(p->cpus, reload_pate, NULL);
}

static bool in_ram(const HvPartition *p, gra_t gra, uint64_t len)
{
    return gra <= p->ram_size && len <= p->ram_size - gra;
}

/* Where the 4 KiB page at gra (in RAM) lives. */
static hra_t backing(const HvPartition *p, gra_t page)
{
    hra_t hra;
    return moved_lookup(&p->moved, page, &hra) ? hra : p->ram_hra + page;
}

/* Snapshots (hv/snapshot.c): where the page's contents live, without faulting it in. */
hra_t hv_partition_page_backing(const HvPartition *p, gra_t page)
{
    return backing(p, page & ~(uint64_t)(CPU_PAGE_SIZE - 1));
}

static void walk(const HvPartition *p, gra_t gra, RadixWalk *w)
{
    radix_walk(&p->tree, gra, tree_read, p->hrm, w);
}

/* What one entry of each level of L0's 52-bit trees covers (radix_fmt.h shapes). */
static const unsigned entry_shift[] = {
    RADIX_SHIFT_1G + RADIX_MID_NLS, RADIX_SHIFT_1G, RADIX_SHIFT_2M, RADIX_SHIFT_4K,
};

/*
 * Snapshots (hv/snapshot.c): every leaf of the tree, in address order, as
 * (first guest real address, page shift).  An empty entry skips all it covers.
 */
void hv_partition_for_each_mapping(const HvPartition *p, void (*fn)(void *arg, gra_t gra, unsigned shift), void *arg)
{
    const unsigned last = sizeof(entry_shift) / sizeof(entry_shift[0]) - 1;
    for (gra_t gra = 0; gra < p->ram_size;) {
        RadixWalk w;
        walk(p, gra, &w);
        unsigned shift = w.status == RADIX_OK ? w.page_shift : entry_shift[w.level < last ? w.level : last];
        gra_t base = gra & ~((1ULL << shift) - 1);
        if (w.status == RADIX_OK)
            fn(arg, base, shift);
        gra = base + (1ULL << shift);
    }
}

/* Does [base, base + size) hold a page L0 unmapped or moved? */
static bool holds_small(const HvPartition *p, gra_t base, uint64_t size)
{
    return memchr(p->small + (base >> REGION_SHIFT), 1, (size_t)(size >> REGION_SHIFT)) != NULL;
}

/*
 * Map the page containing gra (RAM, found unmapped by w): a moved page as
 * 4 KiB; else the largest page that is aligned, all RAM, entirely
 * unmapped (w stopped at or above its leaf level) and free of small pages.
 */
static int map_on_demand(HvPartition *p, gra_t gra, const RadixWalk *w)
{
    static const struct { unsigned shift, leaf_level, stat; } large[] = {
        { RADIX_SHIFT_1G, 1, 2 },
        { RADIX_SHIFT_2M, 2, 1 },
    };
    gra_t page = gra & ~PAGE_OFF_4K;
    hra_t hra;
    if (!moved_lookup(&p->moved, page, &hra)) {
        for (size_t i = 0; i < sizeof(large) / sizeof(large[0]); i++) {
            uint64_t size = 1ULL << large[i].shift;
            gra_t base = gra & ~(size - 1);
            if (w->level > large[i].leaf_level || !in_ram(p, base, size) || holds_small(p, base, size))
                continue;
            if (radix_map(&p->tmem, &p->tree, base, p->ram_hra + base, size, large[i].shift, L0_PTE_FLAGS) != 0)
                return -ENOMEM;
            p->stats.mapped[large[i].stat]++;
            return 0;
        }
        hra = p->ram_hra + page;
    }
    if (radix_map(&p->tmem, &p->tree, page, hra, PAGE_4K, RADIX_SHIFT_4K, L0_PTE_FLAGS) != 0)
        return -ENOMEM;
    p->stats.mapped[0]++;
    return 0;
}

/* Translate gra (RAM), mapping its page if needed: w = the walk that succeeds.  0, -ENOMEM, -EIO. */
static int xlate(HvPartition *p, gra_t gra, RadixWalk *w)
{
    walk(p, gra, w);
    if (w->status == RADIX_NOT_PRESENT) {
        int rc = map_on_demand(p, gra, w);
        if (rc)
            return rc;
        walk(p, gra, w);
    }
    return w->status == RADIX_OK ? 0 : -EIO;
}

int hv_partition_gra_to_hra(HvPartition *p, gra_t gra, bool writing, NestL0Map *out)
{
    RadixWalk w;
    if (!in_ram(p, gra, 1))
        return NEST_L0_NOT_RAM;
    if (xlate(p, gra, &w) != 0)
        return NEST_L0_NOMEM;
    out->hra = w.ra;
    out->page_shift = w.page_shift;
    out->pte_flags = w.pte & L0_PTE_PERMS;
    return NEST_L0_OK;
}

/* ---- faults -------------------------------------------------------------------------- */

/*
 * A process-table entry or PDE the guest's tables place where it has no
 * memory: what QEMU's unassigned memory gives -- the entry reads as zero,
 * so a zero process-table entry (BADCONFIG) or a zero PDE (NOPTE).  The
 * process-table entry is the one at PRTB + 16 * PID for the EA's PID; any
 * other entry is a PDE (the walk reads that entry first).
 */
static void reflect_table_fault(HvPartition *p, CPUState *cpu, bool fetch, ea_t ea, gra_t gra, uint64_t cause)
{
    uint64_t dw1 = hv_partition_process_table(p);
    bool q3 = (ea >> RADIX_EA_QUADRANT_SHIFT) == RADIX_EA_Q3;
    gra_t prte = (dw1 & PATE1_PRTB) + (q3 ? 0 : cpu->spr[SPR_PIDR]) * PRTE_SIZE;
    uint32_t dsisr = gra == prte ? DSISR_BADCONFIG : DSISR_NOPTE;
    if (fetch)
        cpu_raise_isi(cpu, dsisr);
    else
        cpu_raise_dsi(cpu, ea, dsisr | (uint32_t)(cause & DSISR_ISSTORE));
}

/*
 * A mapped page that faulted for lack of permission, R or C (someone took
 * them away to watch accesses): L0 gives them back.  Adding permissions
 * needs no shootdown -- what is cached allows less.
 */
static int restore_flags(HvPartition *p, gra_t gra, const RadixWalk *w)
{
    uint64_t size = 1ULL << w->page_shift;
    if (radix_protect(&p->tmem, &p->tree, gra & ~(size - 1), size, 0, L0_PTE_FLAGS) != 0)
        return -ENOMEM;
    return 0;
}

HvFaultResult hv_partition_fault(HvPartition *p, CPUState *cpu)
{
    bool fetch = cpu->exit_reason == CPU_EXIT_HISI;
    uint64_t cause = fetch ? cpu->spr[SPR_HSRR1] & ~SRR1_MSR_KEEP : cpu->spr[SPR_HDSISR];
    ea_t ea = fetch ? cpu->spr[SPR_HSRR0] : cpu->spr[SPR_HDAR];
    gra_t gra = cpu->spr[SPR_ASDR];
    RadixWalk w;
    p->stats.faults++;
    if (!in_ram(p, gra, 1)) {
        p->stats.not_ram++;
        if (cause & DSISR_PRTABLE_FAULT)
            reflect_table_fault(p, cpu, fetch, ea, gra, cause);
        else
            cpu_raise_machine_check(cpu, ea, fetch ? CPU_MC_FETCH : (cause & DSISR_ISSTORE) ? CPU_MC_STORE : CPU_MC_LOAD);
        return HV_FAULT_GUEST;
    }
    int rc = xlate(p, gra, &w);
    if (rc == 0 && (w.pte & L0_PTE_FLAGS) != L0_PTE_FLAGS)
        rc = restore_flags(p, gra, &w);
    if (rc == 0 && !(cause & DSISR_BADCONFIG))
        return HV_FAULT_RESUME;
    cpu_halt(cpu, "L0: cannot back guest real 0x%llx of LPID %u (%s)", (unsigned long long)gra, p->lpid,
             rc == -ENOMEM ? "host-real pool exhausted" : "broken partition-scoped tree");
    return HV_FAULT_FATAL;
}

/* ---- unmap and move -------------------------------------------------------------------- */

typedef struct Shootdown {
    hra_t hra;     /* the old backing */
    bool retire;   /* its contents leave: retire decoded instructions too */
} Shootdown;

static void shootdown_cpu(CPUState *cpu, void *arg)
{
    const Shootdown *s = arg;
    mmu_flush_hra_range(cpu, s->hra, PAGE_4K);
    if (s->retire)
        icache_invalidate(cpu, s->hra); /* the cache is shared: the first vCPU does it */
}

/* Every vCPU forgets the translation to hra; then the nested guests'. */
static void shootdown(HvPartition *p, gra_t page, hra_t hra, bool retire)
{
    Shootdown s = { hra, retire };
    if (p->for_each_cpu)
        p->for_each_cpu(p->cpus, shootdown_cpu, &s);
    if (p->nest)
        nest_invalidate_l1_range(p->nest, page, PAGE_4K);
}

static bool page_arg_ok(const HvPartition *p, gra_t gra)
{
    return !(gra & PAGE_OFF_4K) && in_ram(p, gra, PAGE_4K);
}

int hv_partition_unmap_page(HvPartition *p, gra_t gra)
{
    RadixWalk w;
    if (!page_arg_ok(p, gra))
        return -EINVAL;
    p->small[gra >> REGION_SHIFT] = 1;
    walk(p, gra, &w);
    if (w.status != RADIX_OK)
        return 0; /* not mapped: nothing derived from it */
    if (radix_unmap(&p->tmem, &p->tree, gra, PAGE_4K) != 0)
        return -ENOMEM; /* a large page could not be split */
    shootdown(p, gra, w.ra, false);
    p->stats.unmaps++;
    return 0;
}

/* The old backing of a moved page goes back: to the pool, or its home page to the host. */
static void release_backing(HvPartition *p, gra_t page, hra_t old)
{
    if (old == p->ram_hra + page)
        madvise(hrm_ptr(p->hrm, old), PAGE_4K, MADV_DONTNEED);
    else
        hrm_free(p->hrm, old, PAGE_4K);
}

int hv_partition_move_page(HvPartition *p, gra_t gra, hra_t *new_hra)
{
    RadixWalk w;
    hra_t to;
    if (!page_arg_ok(p, gra))
        return -EINVAL;
    if (moved_reserve(&p->moved) != 0 || hrm_alloc(p->hrm, PAGE_4K, &to) != 0)
        return -ENOMEM;
    hra_t from = backing(p, gra);
    p->small[gra >> REGION_SHIFT] = 1;
    walk(p, gra, &w);
    bool mapped = w.status == RADIX_OK;
    if (mapped && radix_unmap(&p->tmem, &p->tree, gra, PAGE_4K) != 0) {
        hrm_free(p->hrm, to, PAGE_4K);
        return -ENOMEM;
    }
    /* No translation reaches `from` any more: copy, retire, release. */
    shootdown(p, gra, from, true);
    memcpy(hrm_ptr(p->hrm, to), hrm_ptr(p->hrm, from), PAGE_4K);
    release_backing(p, gra, from);
    moved_set(&p->moved, gra, to);
    /* Map it again if it was mapped; if the tables cannot be had, the next access faults it in. */
    if (mapped)
        (void)radix_map(&p->tmem, &p->tree, gra, to, PAGE_4K, RADIX_SHIFT_4K, L0_PTE_FLAGS);
    p->stats.moves++;
    if (new_hra)
        *new_hra = to;
    return 0;
}

/* ---- L0's accesses to guest memory ------------------------------------------------------ */

typedef struct CodeWrite {
    hra_t hra;
} CodeWrite;

static void retire_cpu(CPUState *cpu, void *arg)
{
    const CodeWrite *c = arg;
    if (icache_page_has_code(cpu->icache, c->hra))
        icache_invalidate(cpu, c->hra);
}

/* L0 wrote host page hra behind the vCPUs' backs: decoded instructions of it are stale. */
static void code_written(HvPartition *p, hra_t hra)
{
    CodeWrite c = { hra & ~PAGE_OFF_4K };
    if (p->for_each_cpu)
        p->for_each_cpu(p->cpus, retire_cpu, &c);
}

/* Copy len bytes between guest real gra and buf, page by page through the tree. */
static int copy_guest(HvPartition *p, gra_t gra, void *buf, size_t len, bool to_guest)
{
    uint8_t *b = buf;
    if (!in_ram(p, gra, len))
        return -EFAULT;
    while (len) {
        RadixWalk w;
        size_t n = PAGE_4K - (gra & PAGE_OFF_4K);
        if (n > len)
            n = len;
        int rc = xlate(p, gra, &w);
        if (rc)
            return rc == -EIO ? -EFAULT : rc;
        if (to_guest) {
            memcpy(hrm_ptr(p->hrm, w.ra), b, n);
            code_written(p, w.ra);
        } else {
            memcpy(b, hrm_ptr(p->hrm, w.ra), n);
        }
        gra += n;
        b += n;
        len -= n;
    }
    return 0;
}

int hv_partition_read(HvPartition *p, gra_t gra, void *buf, size_t len)
{
    return copy_guest(p, gra, buf, len, false);
}

int hv_partition_write(HvPartition *p, gra_t gra, const void *buf, size_t len)
{
    return copy_guest(p, gra, (void *)buf, len, true);
}

void hv_partition_print_stats(const HvPartition *p, FILE *out)
{
    const HvPartStats *s = &p->stats;
    fprintf(out, "  L0 partition faults %llu (mapped 4K %llu, 2M %llu, 1G %llu; outside RAM %llu)\n",
            (unsigned long long)s->faults, (unsigned long long)s->mapped[0], (unsigned long long)s->mapped[1],
            (unsigned long long)s->mapped[2], (unsigned long long)s->not_ram);
    fprintf(out, "  L0 pages unmapped %llu, moved %llu; page pool %llu KiB in use (peak %llu KiB)\n",
            (unsigned long long)s->unmaps, (unsigned long long)s->moves,
            (unsigned long long)(p->hrm->pool_in_use >> 10), (unsigned long long)(p->hrm->pool_peak >> 10));
}
