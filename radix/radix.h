/*
 * radix.h - radix translation trees: the walk the hardware does, and a
 * builder that maps, unmaps and protects ranges (Power ISA v3.0B Book III
 * 6.7.10 "Radix Tree Translation"; entry formats: include/ppc/radix_fmt.h).
 *
 * FREESTANDING: the emulator (the MMU's process- and partition-scoped
 * walks, L0's partition trees) and ppc64le firmware (guests building their
 * own tables) compile this same source.  No libc beyond <stdint.h>,
 * <stdbool.h>, <stddef.h>; no globals; memory is reached only through the
 * callbacks, which take and return host-order values (the big-endian byte
 * swap is the callback's job).
 *
 * Shapes.  The walker accepts exactly the trees POWER9 (and POWER10)
 * implement (POWER9 UM 4.10.4.1; QEMU 7.2 checks the same): a 52-bit space
 * (RTS = 21) whose root has 13 index bits, then 9, 9, and 9 or 5 bits.
 * Leaves: level 1 = 1 GiB, level 2 = 2 MiB, level 3 = 4 KiB (9-bit last
 * level) or 64 KiB (5-bit last level).  Anything else -- another tree size
 * or NLS, a leaf in the root, a directory below level 3 -- is
 * RADIX_BAD_CONFIG.  A table base that is not aligned to its size has its
 * low bits ignored, as POWER9 and QEMU do.
 *
 *     RadixRoot root;
 *     radix_root_from_dw0(process_table_dw0, &root);
 *     RadixWalk w;
 *     radix_walk(&root, ea & RADIX_EA_OFFSET, read_be64, ctx, &w);
 *     if (w.status == RADIX_OK) use(w.ra, w.pte, w.page_shift);
 *
 * The builder keeps the Linux shape: each 2 MiB region that holds small
 * pages has one last-level table, 9-bit when it holds 4 KiB pages and
 * 5-bit when it holds 64 KiB pages (the first small mapping in the region
 * decides; mixing the two in one region is RADIX_E_SHAPE).  Tables that
 * become empty are freed at once.  Unmapping or protecting part of a large
 * page splits it first (1 GiB -> 2 MiB pages, 2 MiB -> 4 KiB pages, a
 * 64 KiB table -> a 4 KiB table), so exactly the requested range changes.
 * Every builder call either succeeds or leaves the translations unchanged
 * (a failed unmap/protect may leave a large page split, which translates
 * the same).  The caller invalidates TLBs after unmap/protect and before
 * reusing a freed table (tlbie RIC=2 for the page-walk cache).
 *
 *     RadixMem m = { ctx, read_be64, write_be64, alloc_zeroed, free_table };
 *     RadixRoot r;
 *     radix_tree_create(&m, &r);
 *     radix_map(&m, &r, 0x10000000, 0x200000, 0x200000, 21,
 *               RADIX_PTE_R | RADIX_PTE_C | RADIX_PTE_EAA_RW);
 *     radix_unmap(&m, &r, 0x10001000, 0x1000);     splits the 2 MiB page
 */
#ifndef NESTHV_RADIX_H
#define NESTHV_RADIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppc/radix_fmt.h"

typedef uint64_t radix_addr_t; /* a real address in the space the tables live in */

/* Root of a tree, as found in a partition- or process-table entry's dw0. */
typedef struct RadixRoot {
    radix_addr_t base; /* RPDB: real address of the root directory */
    unsigned rts;      /* radix tree size: the tree maps rts + 31 address bits (52-bit: 21) */
    unsigned rpds;     /* root directory index bits */
} RadixRoot;

/* Decode dw0; true if it is a root POWER9 walks (52 bits, 13-bit root). */
bool radix_root_from_dw0(uint64_t dw0, RadixRoot *out);
/* Encode a root as dw0 (RTS, RPDB, RPDS; without PATE0_HR). */
uint64_t radix_root_to_dw0(const RadixRoot *r);

/* Read one 8-byte table entry (host order) at real address addr; 0 ok, non-zero = unreadable. */
typedef int (*radix_read_fn)(void *opaque, radix_addr_t addr, uint64_t *val);

typedef enum RadixStatus {
    RADIX_OK = 0,
    RADIX_NOT_PRESENT,  /* an invalid PDE/PTE on the path (DSISR NOPTE) */
    RADIX_BAD_CONFIG,   /* a shape POWER9 does not walk, or ea outside the tree (DSISR BADCONFIG) */
    RADIX_UNREADABLE,   /* the read callback failed on a table entry */
} RadixStatus;

#define RADIX_NO_ENTRY (~(radix_addr_t)0) /* entry_addr when no entry is involved */

typedef struct RadixWalk {
    RadixStatus status;
    unsigned level;          /* 0 = root ... the level of the leaf, or of the table that failed */
    radix_addr_t entry_addr; /* OK: the leaf PTE; NOT_PRESENT/UNREADABLE: the entry read;
                                BAD_CONFIG: the PDE describing the bad table (RADIX_NO_ENTRY: the root) */
    uint64_t pte;            /* RADIX_OK: the leaf (host order); NOT_PRESENT: the invalid entry */
    unsigned page_shift;     /* RADIX_OK: 12, 16, 21 or 30 */
    radix_addr_t ra;         /* RADIX_OK: translated address of ea (RPN | page offset) */
} RadixWalk;

/* Walk the tree for address ea (an EA without its quadrant bits, or a guest real address). */
void radix_walk(const RadixRoot *root, uint64_t ea, radix_read_fn read, void *opaque, RadixWalk *out);

/* Is (level, nls) a table POWER9 walks?  Level 0 also needs a 52-bit tree. */
bool radix_level_ok(unsigned level, unsigned nls);

/* ---- builder ---------------------------------------------------------------- */

typedef struct RadixMem {
    void *opaque;
    radix_read_fn read;
    int (*write)(void *opaque, radix_addr_t addr, uint64_t val); /* host-order value; 0 ok */
    /* A zeroed table of size_bytes, naturally aligned to its size; 0 ok. */
    int (*alloc_table)(void *opaque, unsigned size_bytes, radix_addr_t *out);
    void (*free_table)(void *opaque, radix_addr_t addr, unsigned size_bytes);
} RadixMem;

/* Builder results: 0 or one of these. */
enum {
    RADIX_E_INVAL = -1,   /* bad arguments: size, alignment, page size, flags, range */
    RADIX_E_EXISTS = -2,  /* radix_map: part of the range is already mapped */
    RADIX_E_SHAPE = -3,   /* radix_map: 4K and 64K pages in one 2 MiB region */
    RADIX_E_NOMEM = -4,   /* alloc_table failed */
    RADIX_E_IO = -5,      /* read or write callback failed */
    RADIX_E_BADTREE = -6, /* the tree has a shape POWER9 does not walk */
};

/* A new empty 52-bit tree (an 8192-entry, 64 KiB root). */
int radix_tree_create(const RadixMem *m, RadixRoot *out);
/*
 * Map [ea, ea+size) to [ra, ra+size) with pages of 2^page_shift bytes
 * (12, 16, 21 or 30); ea, ra and size are multiples of the page size.
 * pte_flags: any of RADIX_PTE_FLAGS (R, C, ATT, EAA, software bits).
 * The range must be unmapped (RADIX_E_EXISTS otherwise).
 */
int radix_map(const RadixMem *m, const RadixRoot *r, uint64_t ea, radix_addr_t ra, uint64_t size,
              unsigned page_shift, uint64_t pte_flags);
/* Remove every translation in [ea, ea+size) (4 KiB aligned); holes are fine. */
int radix_unmap(const RadixMem *m, const RadixRoot *r, uint64_t ea, uint64_t size);
/* pte = (pte & ~clear_flags) | set_flags for every page in the range (both within RADIX_PTE_FLAGS). */
int radix_protect(const RadixMem *m, const RadixRoot *r, uint64_t ea, uint64_t size, uint64_t clear_flags,
                  uint64_t set_flags);
/* Free every table of the tree, the root included. */
void radix_tree_destroy(const RadixMem *m, const RadixRoot *r);

/*
 * Which directory entries of a builder-made tree may be valid, for
 * radix_tree_destroy_used(): level[l] (0 = root, 1, 2) has a bit per group
 * of entry indexes, for every table of that level at once (bits 0..31:
 * entries 0..31 each; bits 32..63: the rest, evenly).  An owner that calls
 * radix_used_add() for every range it maps (from an empty tree on) frees
 * the tree reading a few entries instead of every entry of every directory
 * (8192 in the root alone): nest's shadow trees.
 */
typedef struct RadixUsed {
    uint64_t level[3];
} RadixUsed;

static inline RadixUsed radix_used_all(void)
{
    return (RadixUsed){ { ~0ULL, ~0ULL, ~0ULL } };
}

/* Record that [ea, ea+size) is (about to be) mapped in r. */
void radix_used_add(const RadixRoot *r, RadixUsed *u, uint64_t ea, uint64_t size);
/* radix_tree_destroy(), reading only the directory entries u allows (radix_used_all(): all). */
void radix_tree_destroy_used(const RadixMem *m, const RadixRoot *r, const RadixUsed *u);

/* Page size of a tlbie AP encoding (0 if AP is not a radix page size), and back. */
unsigned radix_ap_to_shift(unsigned ap);
unsigned radix_shift_to_ap(unsigned page_shift);

#endif
