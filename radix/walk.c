/*
 * walk.c - the radix tree walk (Power ISA v3.0B Book III 6.7.10.2) as
 * POWER9 performs it; see radix.h for the shapes it accepts.
 *
 * Each step checks the table it is about to index (level, NLS), reads the
 * entry and either stops (invalid entry, leaf) or descends.  The page size
 * of a leaf is what remains of the address below its level.
 */
#include "radix.h"

bool radix_root_from_dw0(uint64_t dw0, RadixRoot *out)
{
    out->base = dw0 & RADIX_RPDB;
    out->rts = (unsigned)(((dw0 & RADIX_RTS1) >> RADIX_RTS1_SHIFT) << 3 | ((dw0 & RADIX_RTS2) >> RADIX_RTS2_SHIFT));
    out->rpds = (unsigned)(dw0 & RADIX_RPDS);
    return out->rts == RADIX_RTS_52 && radix_level_ok(0, out->rpds);
}

uint64_t radix_root_to_dw0(const RadixRoot *r)
{
    uint64_t rts = r->rts;
    return ((rts >> 3) << RADIX_RTS1_SHIFT & RADIX_RTS1) | ((rts & 7) << RADIX_RTS2_SHIFT & RADIX_RTS2) |
           (r->base & RADIX_RPDB) | (r->rpds & RADIX_RPDS);
}

/* POWER9 UM 4.10.4.1 "Supported Radix Tree Configurations". */
bool radix_level_ok(unsigned level, unsigned nls)
{
    switch (level) {
    case 0:
        return nls == RADIX_ROOT_NLS;
    case 1:
    case 2:
        return nls == RADIX_MID_NLS;
    case 3:
        return nls == RADIX_LAST_NLS_4K || nls == RADIX_LAST_NLS_64K;
    default:
        return false;
    }
}

static void walk_fail(RadixWalk *out, RadixStatus st, unsigned level, radix_addr_t entry_addr, uint64_t entry)
{
    out->status = st;
    out->level = level;
    out->entry_addr = entry_addr;
    out->pte = entry;
}

void radix_walk(const RadixRoot *root, uint64_t ea, radix_read_fn read, void *opaque, RadixWalk *out)
{
    unsigned bits = root->rts + RADIX_RTS_ADDR_BASE; /* address bits not yet consumed */
    unsigned nls = root->rpds;
    radix_addr_t base = root->base;
    radix_addr_t described_by = RADIX_NO_ENTRY;    /* the PDE that gave this table */

    *out = (RadixWalk){ 0 };
    if (bits != RADIX_ADDR_BITS_52 || (ea >> RADIX_ADDR_BITS_52) != 0) {
        walk_fail(out, RADIX_BAD_CONFIG, 0, RADIX_NO_ENTRY, 0);
        return;
    }
    for (unsigned level = 0;; level++) {
        uint64_t e;
        if (!radix_level_ok(level, nls)) {
            walk_fail(out, RADIX_BAD_CONFIG, level, described_by, 0);
            return;
        }
        base &= ~(((radix_addr_t)RADIX_ENTRY_BYTES << nls) - 1); /* low bits ignored */
        bits -= nls;
        radix_addr_t addr = base + ((ea >> bits) & ((1ULL << nls) - 1)) * RADIX_ENTRY_BYTES;
        if (read(opaque, addr, &e) != 0) {
            walk_fail(out, RADIX_UNREADABLE, level, addr, 0);
            return;
        }
        if (!(e & RADIX_PDE_V)) {
            walk_fail(out, RADIX_NOT_PRESENT, level, addr, e);
            return;
        }
        if (e & RADIX_PTE_L) {
            if (level == 0) { /* a 512 GiB leaf: no such page size */
                walk_fail(out, RADIX_BAD_CONFIG, level, addr, e);
                return;
            }
            uint64_t offset_mask = (1ULL << bits) - 1;
            out->status = RADIX_OK;
            out->level = level;
            out->entry_addr = addr;
            out->pte = e;
            out->page_shift = bits;
            out->ra = ((e & RADIX_PTE_RPN) & ~offset_mask) | (ea & offset_mask);
            return;
        }
        described_by = addr;
        base = e & RADIX_PDE_NLB;
        nls = (unsigned)(e & RADIX_PDE_NLS);
    }
}

unsigned radix_ap_to_shift(unsigned ap)
{
    switch (ap) {
    case RADIX_AP_4K:
        return RADIX_SHIFT_4K;
    case RADIX_AP_64K:
        return RADIX_SHIFT_64K;
    case RADIX_AP_2M:
        return RADIX_SHIFT_2M;
    case RADIX_AP_1G:
        return RADIX_SHIFT_1G;
    default:
        return 0;
    }
}

unsigned radix_shift_to_ap(unsigned page_shift)
{
    switch (page_shift) {
    case RADIX_SHIFT_64K:
        return RADIX_AP_64K;
    case RADIX_SHIFT_2M:
        return RADIX_AP_2M;
    case RADIX_SHIFT_1G:
        return RADIX_AP_1G;
    default:
        return RADIX_AP_4K;
    }
}
