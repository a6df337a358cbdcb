/*
 * snapshot_ram.c - the RAM section of a snapshot (snapshot_ram.h).
 */
#include "hv/snapshot_ram.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "hv/snapshot.h"

#define SNAP_RAM_VERSION   1u
#define SNAP_PAGE          CPU_PAGE_SIZE
#define PAGEMAP_PRESENT    (1ULL << 63)   /* Linux Documentation/admin-guide/mm/pagemap.rst */
#define PAGEMAP_SWAPPED    (1ULL << 62)
#define PROBE_BATCH        4096           /* pagemap entries read at once */

#define FAIL(...)                           \
    do {                                    \
        snprintf(err, errlen, __VA_ARGS__); \
        return -1;                          \
    } while (0)

/* ---- which host pages were ever populated ------------------------------------------------------- */

/* A window of /proc/self/pagemap over the host pages of RAM (fd < 0: unknown, every page may hold data). */
typedef struct HostProbe {
    int fd;
    uintptr_t first;                 /* host page number of entry[0] */
    size_t count;                    /* entries valid */
    uint64_t entry[PROBE_BATCH];
} HostProbe;

static void probe_open(HostProbe *p)
{
    p->fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    p->count = 0;
}

static void probe_close(HostProbe *p)
{
    if (p->fd >= 0)
        close(p->fd);
}

/* False only if the host page at ptr was never populated: it reads as zero without being looked at. */
static bool may_hold_data(HostProbe *p, const uint8_t *ptr)
{
    uintptr_t page = (uintptr_t)ptr / SNAP_PAGE;
    if (p->fd < 0)
        return true;
    if (page < p->first || page >= p->first + p->count) {
        ssize_t n = pread(p->fd, p->entry, sizeof(p->entry), (off_t)(page * sizeof(uint64_t)));
        if (n < (ssize_t)sizeof(uint64_t))
            return true;
        p->first = page;
        p->count = (size_t)n / sizeof(uint64_t);
    }
    return (p->entry[page - p->first] & (PAGEMAP_PRESENT | PAGEMAP_SWAPPED)) != 0;
}

/* ---- saving ---------------------------------------------------------------------------------------- */

static bool page_is_zero(const uint8_t *p)
{
    const uint64_t *q = (const uint64_t *)p;
    for (size_t i = 0; i < SNAP_PAGE / sizeof(*q); i++)
        if (q[i])
            return false;
    return true;
}

static const uint8_t *page_ptr(const Hv *hv, gra_t gra)
{
    return hrm_ptr(&hv->hrm, hv_partition_page_backing(&hv->part, gra));
}

static bool page_has_data(const Hv *hv, HostProbe *probe, gra_t gra)
{
    const uint8_t *p = page_ptr(hv, gra);
    return may_hold_data(probe, p) && !page_is_zero(p);
}

void hv_snapshot_ram_save(SnapWriter *w, const Hv *hv)
{
    static HostProbe probe;
    probe_open(&probe);
    SnapBuf *b = snap_section_begin(w, SNAP_SEC_RAM, SNAP_RAM_VERSION, SNAP_SEC_REQUIRED);
    snap_put_u64(b, SNAP_PAGE);
    size_t count_at = b->len;
    snap_put_u64(b, 0);
    uint64_t runs = 0;
    for (gra_t gra = 0; gra < hv->ram_size && !b->oom;) {
        if (!page_has_data(hv, &probe, gra)) {
            gra += SNAP_PAGE;
            continue;
        }
        gra_t start = gra;
        while (gra < hv->ram_size && page_has_data(hv, &probe, gra))
            gra += SNAP_PAGE;
        snap_put_u64(b, start);
        snap_put_u64(b, (gra - start) / SNAP_PAGE);
        for (gra_t g = start; g < gra; g += SNAP_PAGE)
            snap_put_bytes(b, page_ptr(hv, g), SNAP_PAGE);
        runs++;
    }
    if (!b->oom)
        for (int i = 0; i < 8; i++)
            b->data[count_at + i] = (uint8_t)(runs >> (8 * i));
    snap_section_end(w);
    probe_close(&probe);
}

/* ---- loading -------------------------------------------------------------------------------------- */

int hv_snapshot_ram_load(const HvSnapshot *s, Hv *hv, char *err, size_t errlen)
{
    const SnapSection *sec = snap_find(&s->file, SNAP_SEC_RAM, 0);
    if (sec && sec->version != SNAP_RAM_VERSION)
        FAIL("snapshot RAM section version %u (this nesthv reads %u)", sec->version, SNAP_RAM_VERSION);
    SnapCursor c = snap_cursor(sec);
    uint64_t page = snap_get_u64(&c), runs = snap_get_u64(&c);
    gra_t next_free = 0;
    if (page != SNAP_PAGE)
        FAIL("damaged snapshot: RAM page size %llu", (unsigned long long)page);
    for (uint64_t r = 0; r < runs && !c.bad; r++) {
        gra_t gra = snap_get_u64(&c);
        uint64_t npages = snap_get_u64(&c);
        if (c.bad || gra % SNAP_PAGE || gra < next_free || npages == 0 || gra >= s->mach.ram_size ||
            npages > (s->mach.ram_size - gra) / SNAP_PAGE)
            FAIL("damaged snapshot: RAM run %llu at 0x%llx (%llu pages) is outside the machine's %llu bytes",
                 (unsigned long long)r, (unsigned long long)gra, (unsigned long long)npages,
                 (unsigned long long)s->mach.ram_size);
        const uint8_t *bytes = snap_get_bytes(&c, npages * SNAP_PAGE);
        if (bytes && hv)
            memcpy(hv->ram + gra, bytes, npages * SNAP_PAGE); /* fresh machine: nothing moved yet */
        next_free = gra + npages * SNAP_PAGE;
    }
    if (!snap_cursor_done(&c))
        FAIL("damaged snapshot: the RAM section does not have the expected layout");
    return 0;
}

