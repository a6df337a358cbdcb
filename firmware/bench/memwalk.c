/*
 * memwalk.c - the MMU benchmark workload: a guest that builds a radix tree
 * mapping 256 MiB with 4 KiB pages (65536 PTEs) and walks it with
 * translation on (MSR[IR] = MSR[DR] = 1):
 *   1. sequential write, one doubleword per 64 bytes;
 *   2. random reads of 2^21 doublewords over the 256 MiB: almost every
 *      access misses any TLB (the cost of a radix walk);
 *   3. sequential read of the same doublewords.
 * Each value is a function of its offset, so the sums are checked without
 * a host-side reference; the program exits 0 only if all three agree, so
 * a fast wrong MMU cannot win the benchmark.
 */
#include "../tests/mmu/env.h"

#define IDENT_SIZE (64UL << 20)          /* code, data, stack: identity, 2M pages */
#define WEA        0x100000000UL         /* the walked area: EA 4 GiB ... */
#define WRA        0x10000000UL          /* ... backed by guest real 256 MiB ... */
#define WSIZE      (256UL << 20)         /* ... 256 MiB of 4 KiB pages */
#define STRIDE     64UL
#define NRAND      (1UL << 21)
#define LCG_MUL    6364136223846793005UL
#define LCG_ADD    1442695040888963407UL

static inline uint64_t value_at(uint64_t off)
{
    return (off * 0x9E3779B97F4A7C15UL) ^ (off >> 7);
}

/* The three passes; run with translation on (no calls out, no printing). */
static __attribute__((noinline)) void walk(uint64_t *sums)
{
    volatile uint64_t *area = (volatile uint64_t *)WEA;
    uint64_t seq = 0, rnd = 0, rnd_expect = 0, x = 1;
    for (uint64_t off = 0; off < WSIZE; off += STRIDE)
        area[off / 8] = value_at(off);
    for (uint64_t i = 0; i < NRAND; i++) {
        x = x * LCG_MUL + LCG_ADD;
        uint64_t off = ((x >> 20) % (WSIZE / STRIDE)) * STRIDE;
        rnd += area[off / 8];
        rnd_expect += value_at(off);
    }
    for (uint64_t off = 0; off < WSIZE; off += STRIDE)
        seq += area[off / 8];
    sums[0] = seq;
    sums[1] = rnd;
    sums[2] = rnd_expect;
}

int main(void)
{
    uint64_t sums[3], seq_expect = 0;
    env_init();
    RadixRoot t = env_tree();
    env_map(&t, 0, 0, IDENT_SIZE, 21, ENV_RWX | RADIX_PTE_EAA_PRIV);
    env_map(&t, WEA, WRA, WSIZE, 12, ENV_RW);
    env_set_pid(0, &t);
    if (env_register(PROC_TABLE_GTSE) != H_SUCCESS) {
        printf("memwalk: H_REGISTER_PROCESS_TABLE failed\n");
        return 1;
    }
    for (uint64_t off = 0; off < WSIZE; off += STRIDE)
        seq_expect += value_at(off);
    unsigned long msr = mfmsr();
    mtmsrd(msr | MSR_IR | MSR_DR);
    walk(sums);
    mtmsrd(msr);
    int ok_seq = sums[0] == seq_expect, ok_rnd = sums[1] == sums[2];
    printf("memwalk: sequential %lu doublewords over 256 MiB: %s\n", WSIZE / STRIDE, ok_seq ? "ok" : "WRONG");
    printf("memwalk: random %lu doublewords over 65536 pages: %s\n", NRAND, ok_rnd ? "ok" : "WRONG");
    return ok_seq && ok_rnd ? 0 : 1;
}
