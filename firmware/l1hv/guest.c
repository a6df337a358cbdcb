/*
 * guest.c - l1hv's one guest partition: RAM carved from ours, its
 * partition-scoped tree, and the run loop (H_ENTER_NESTED time-sliced by
 * HDEC, docs/l1hv.md).
 *
 * Memory: guest real [0, size) is our real [L1HV_GUEST_BASE, +size),
 * mapped in pages of nesthv.pagesize.  The tree is pre-mapped when it
 * needs at most L1HV_PREMAP_PAGES leaf entries (2m pages up to 128 GiB,
 * 64k up to 4 GiB, 4k up to 256 MiB); otherwise the first
 * L1HV_PREMAP_LOW bytes are pre-mapped (program, device tree, bundle, the
 * guest's own tables) and the rest is mapped on the guest's first access
 * (an HDSI/HISI exit with ASDR in its RAM).
 */
#include "fw.h"
#include "l1hv.h"
#include "ppc/hfscr.h"
#include "ppc/lpcr.h"

#define L1HV_PREMAP_PAGES 65536
#define L1HV_PREMAP_LOW   0x08000000ULL /* 128 MiB */
#define L1HV_PTE_RWX (RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_READ | RADIX_PTE_EAA_RW | RADIX_PTE_EAA_EXEC)
#define L1HV_GUEST_MSR (MSR_SF | MSR_ME | MSR_RI | MSR_LE)

static void set_pate(uint32_t lpid, uint64_t dw0, uint64_t dw1)
{
    volatile uint64_t *e = l1hv_real(L1HV_PTAB + (uint64_t)lpid * PATE_SIZE);
    e[0] = __builtin_bswap64(dw0);
    e[1] = __builtin_bswap64(dw1);
    sync();
}

void *l1hv_guest_ptr(const L1hvGuest *g, uint64_t gra, uint64_t len)
{
    if (gra > g->size || len > g->size - gra)
        return NULL;
    return l1hv_real(g->base + gra);
}

static void map_range(L1hvGuest *g, uint64_t gra, uint64_t size)
{
    int rc = radix_map(&l1hv_radix_mem, &g->tree, gra, g->base + gra, size, g->page_shift, L1HV_PTE_RWX);
    if (rc != 0)
        l1hv_die("radix_map of guest [0x%llx, +0x%llx) failed (%d)", (unsigned long long)gra,
                 (unsigned long long)size, rc);
    for (uint64_t p = gra >> g->page_shift; p < (gra + size) >> g->page_shift; p++)
        g->mapped[p] = 1;
}

bool l1hv_guest_fault_in(L1hvGuest *g, uint64_t gra)
{
    if (gra >= g->size)
        return false;
    uint64_t page = gra >> g->page_shift;
    if (g->mapped[page])
        return false; /* mapped, yet it faulted: not a missing page */
    map_range(g, page << g->page_shift, 1ULL << g->page_shift);
    return true;
}

void l1hv_guest_create(L1hvGuest *g, uint64_t size)
{
    memset(g, 0, sizeof(*g));
    g->base = L1HV_GUEST_BASE;
    g->page_shift = l1hv_cfg.page_shift;
    g->size = size & ~((1ULL << RADIX_SHIFT_2M) - 1);
    uint64_t npages = g->size >> g->page_shift;
    g->mapped = l1hv_pool_alloc(npages);
    if (!g->mapped || radix_tree_create(&l1hv_radix_mem, &g->tree) != 0)
        l1hv_die("out of pool memory for the guest's tree");
    g->premapped = npages <= L1HV_PREMAP_PAGES ? g->size : L1HV_PREMAP_LOW;
    map_range(g, 0, g->premapped);
    uint64_t dw0 = PATE0_HR | radix_root_to_dw0(&g->tree);
    set_pate(L1HV_GUEST_LPID, dw0, 0);

    g->lpcr = LPCR_ILE;
    g->hvs.version = HVGS_VERSION_2;
    g->hvs.lpid = L1HV_GUEST_LPID;
    g->hvs.amor = ~0ULL;
    g->hvs.hfscr = HFSCR_ALL_FACILITIES;
    g->r.msr = L1HV_GUEST_MSR;
    g->r.gpr[3] = L1HV_FDT;
    l1hv_host_init(g);
    if (l1hv_api_used == L1HV_API_V2) {
        g->v2 = l1hv_pool_alloc(sizeof(L1hvV2));
        if (!g->v2)
            l1hv_die("out of pool memory for the v2 guest");
        l1hv_v2_create(g->v2);
        l1hv_v2_set_tables(g->v2, dw0, 0);
    }
}

/* ---- the guest's registers ------------------------------------------------------------ */

uint64_t l1hv_gpr(L1hvGuest *g, unsigned n)
{
    return g->v2 ? nv2_get64(&g->v2->v, (uint16_t)GSB_ID_GPR(n)) : g->r.gpr[n];
}

void l1hv_set_gpr(L1hvGuest *g, unsigned n, uint64_t val)
{
    if (g->v2)
        nv2_set64(&g->v2->v, (uint16_t)GSB_ID_GPR(n), val);
    else
        g->r.gpr[n] = val;
}

uint64_t l1hv_guest_msr(L1hvGuest *g)
{
    return g->v2 ? nv2_get64(&g->v2->v, GSB_ID_MSR) : g->r.msr;
}

/*
 * For the byte order and TM state of a nested hcall: under v2 an hcall exit
 * does not carry MSR, and fetching it would cost a hypercall per nested
 * entry (one more per level of reflection).  The cached value when there
 * is one, else the MSR fetched once in the vCPU's life (a secondary vCPU
 * starts big-endian and switches itself: what it was started with says
 * nothing; a libfw program never changes LE or TS after that).
 */
uint64_t l1hv_guest_msr_cached(L1hvGuest *g)
{
    if (g->v2 && (nv2_is_valid(&g->v2->v, GSB_ID_MSR) || !g->msr_seen)) {
        g->r.msr = nv2_get64(&g->v2->v, GSB_ID_MSR);
        g->msr_seen = true;
    }
    return g->r.msr;
}

uint64_t l1hv_guest_nip(L1hvGuest *g)
{
    return g->v2 ? nv2_get64(&g->v2->v, GSB_ID_NIA) : g->r.nip;
}

long l1hv_enter(uint8_t *hv, uint8_t *regs)
{
    uint64_t t0 = mftb();
    long v = hcall(H_ENTER_NESTED, (unsigned long)hv, (unsigned long)regs);
    l1hv_stats.guest_tb += mftb() - t0;
    l1hv_count_exit(v);
    return v;
}

void l1hv_count_exit(long v)
{
    l1hv_stats.exits++;
    switch (v) {
    case EXCP_SYSCALL: l1hv_stats.hcall++; break;
    case EXCP_HDECR: l1hv_stats.hdec++; break;
    case EXCP_HDSI: l1hv_stats.hdsi++; break;
    case EXCP_HISI: l1hv_stats.hisi++; break;
    case EXCP_HEAI: l1hv_stats.heai++; break;
    default:
        if (v >= 0)
            l1hv_stats.other++;
        else
            l1hv_stats.exits--; /* no run: the call failed */
        break;
    }
}

/* A partition-scoped fault of the guest itself: a page not mapped yet, or fatal. */
static void guest_fault(L1hvGuest *g, long v)
{
    uint64_t gra = g->v2 ? nv2_get64(&g->v2->v, GSB_ID_ASDR) : g->hvs.asdr;
    uint64_t hdar = g->v2 ? nv2_get64(&g->v2->v, GSB_ID_HDAR) : g->hvs.hdar;
    l1hv_lock(); /* the tree and map are shared by the vCPUs */
    bool mapped = l1hv_guest_fault_in(g, gra);
    l1hv_unlock();
    if (mapped)
        return;
    l1hv_die("guest fault 0x%lx at nip 0x%llx: guest real 0x%llx (hdar 0x%llx) is not its RAM", v,
             (unsigned long long)l1hv_guest_nip(g), (unsigned long long)gra, (unsigned long long)hdar);
}

/* One run of the guest through v1 (whole state in and out). */
static long run_v1(L1hvGuest *g)
{
    if (g->inject) {
        const L1hvIrqRegs irq = { &g->r.nip, &g->r.msr, &g->hvs.srr0, &g->hvs.srr1, &g->hvs.dpdes, g->lpcr };
        l1hv_inject(&irq, g->inject);
        g->inject = 0;
    }
    g->hvs.lpcr = g->lpcr;
    g->hvs.hdec_expiry = mftb() + l1hv_cfg.slice;
    nest_hvgs_encode(&g->hvs, false, g->hv);
    nest_ptregs_encode(&g->r, false, g->regs);
    long v = l1hv_enter(g->hv, g->regs);
    if (v < 0)
        l1hv_die("H_ENTER_NESTED for the guest failed (%ld)", v);
    if (nest_hvgs_decode(g->hv, HVGS_SIZE_V2, false, &g->hvs) != H_SUCCESS)
        l1hv_die("our hypervisor wrote back a bad hv_guest_state");
    nest_ptregs_decode(g->regs, false, &g->r);
    return v;
}

/*
 * One run through v2: the first one sends the initial registers; later ones
 * only what changed (the hcall return values, the HDEC deadline, LPCR).
 */
static long run_v2(L1hvGuest *g, bool first)
{
    Nv2Vcpu *v = &g->v2->v;
    if (first) {
        for (unsigned i = 0; i < PTREGS_NR_GPR; i++)
            nv2_set64(v, (uint16_t)GSB_ID_GPR(i), g->r.gpr[i]);
        nv2_set64(v, GSB_ID_NIA, g->r.nip);
        nv2_set64(v, GSB_ID_MSR, g->r.msr & GSB_MASK_MSR);
        nv2_set64(v, GSB_ID_AMOR, g->hvs.amor);
        nv2_set64(v, GSB_ID_HFSCR, g->hvs.hfscr);
    }
    if (first || !nv2_is_valid(v, GSB_ID_LPCR) || nv2_get64(v, GSB_ID_LPCR) != (g->lpcr & GSB_MASK_LPCR))
        nv2_set64(v, GSB_ID_LPCR, g->lpcr & GSB_MASK_LPCR);
    nv2_set64(v, GSB_ID_HDEC_EXPIRY_TB, mftb() + l1hv_cfg.slice);
    uint64_t flags = g->inject; /* our hypervisor delivers them */
    g->inject = 0;
    return l1hv_v2_run(g->v2, flags);
}

void l1hv_guest_run(L1hvGuest *g)
{
    bool first = true;
    while (!g->done && !l1hv_guest_over) {
        long v = g->v2 ? run_v2(g, first) : run_v1(g);
        first = false;
        switch (v) {
        case EXCP_SYSCALL:
            l1hv_guest_hcall(g); /* counts handled / reflected itself */
            break;
        case EXCP_HDSI:
        case EXCP_HISI:
            guest_fault(g, v);
            l1hv_stats.handled++;
            break;
        case EXCP_HDECR:      /* our time slice ended: nothing else to run, resume */
        case EXCP_EXTERNAL:   /* our own external interrupt / doorbell: nothing pending for it */
        case EXCP_HVIRT:
        case EXCP_HDOORBELL:
            l1hv_stats.handled++;
            break;
        default:
            l1hv_die("guest exit 0x%lx at nip 0x%llx (msr 0x%llx): not handled", v,
                     (unsigned long long)l1hv_guest_nip(g), (unsigned long long)l1hv_guest_msr(g));
        }
    }
}
