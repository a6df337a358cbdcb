/*
 * intwork.c - the integer benchmark workload: SHA-256, CRC-32 and a heap
 * sort over deterministic data, each checked against results computed on
 * the host by bench/intwork_expected.py.  It prints one line per kernel
 * and exits 0 only if every result is right, so a fast wrong emulator
 * cannot win the benchmark.
 */
#include "fw.h"

#define BUF_SIZE (256 * 1024)
#define ROUNDS   16
#define SORT_N   65536

static const char expect_sha256[] = "7bd86b5e31c1fc57aac41bf06364169f8436897704b049924bc020376c8fd4de";
#define EXPECT_CRC32   0x8221a149u
#define EXPECT_SORTSUM 0x74a2d8b7u

static uint8_t buf[BUF_SIZE];
static uint32_t vals[SORT_N];

/* ---- SHA-256 (FIPS 180-4) ---- */

static const uint32_t k256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, hh;
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + k256[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

static void sha256(const uint8_t *data, size_t len, uint8_t out[32])
{
    uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    uint8_t tail[128] = { 0 };
    size_t full = len & ~(size_t)63, rest = len - full, tlen = rest < 56 ? 64 : 128;
    for (size_t off = 0; off < full; off += 64)
        sha256_block(h, data + off);
    memcpy(tail, data + full, rest);
    tail[rest] = 0x80;
    for (int i = 0; i < 8; i++)
        tail[tlen - 1 - i] = (uint8_t)((uint64_t)len * 8 >> (8 * i));
    for (size_t off = 0; off < tlen; off += 64)
        sha256_block(h, tail + off);
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/* ---- CRC-32 (IEEE 802.3, reflected, as zlib) ---- */

static uint32_t crc_table[256];

static uint32_t crc32(const uint8_t *p, size_t len)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++)
        crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

/* ---- heap sort ---- */

static void sift_down(uint32_t *v, size_t start, size_t end)
{
    size_t root = start;
    while (2 * root + 1 <= end) {
        size_t child = 2 * root + 1;
        if (child + 1 <= end && v[child] < v[child + 1])
            child++;
        if (v[root] >= v[child])
            return;
        uint32_t t = v[root];
        v[root] = v[child];
        v[child] = t;
        root = child;
    }
}

static void heap_sort(uint32_t *v, size_t n)
{
    for (size_t start = n / 2; start-- > 0;)
        sift_down(v, start, n - 1);
    for (size_t end = n - 1; end > 0; end--) {
        uint32_t t = v[0];
        v[0] = v[end];
        v[end] = t;
        sift_down(v, 0, end - 1);
    }
}

static uint32_t lcg_next(uint32_t *x)
{
    *x = *x * 1103515245u + 12345u;
    return *x;
}

static int check_sha(void)
{
    uint8_t d[32];
    char hex[65];
    uint32_t x = 1;
    for (size_t i = 0; i < BUF_SIZE; i++)
        buf[i] = (uint8_t)(lcg_next(&x) >> 16);
    for (int r = 0; r < ROUNDS; r++) {
        buf[0] = (uint8_t)r;
        sha256(buf, BUF_SIZE, d);
    }
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    printf("sha256 x%d over %d KiB: %s\n", ROUNDS, BUF_SIZE / 1024, hex);
    return strcmp(hex, expect_sha256) != 0;
}

static int check_sort(void)
{
    uint32_t x = 7, sum = 0;
    for (size_t i = 0; i < SORT_N; i++)
        vals[i] = lcg_next(&x);
    heap_sort(vals, SORT_N);
    for (size_t i = 0; i < SORT_N; i++)
        sum += vals[i] * (uint32_t)(i + 1);
    printf("heapsort %d values: checksum 0x%08x\n", SORT_N, sum);
    return sum != EXPECT_SORTSUM;
}

int main(void)
{
    int bad = check_sha();
    uint32_t crc = crc32(buf, BUF_SIZE);
    printf("crc32 over %d KiB: 0x%08x\n", BUF_SIZE / 1024, crc);
    bad += crc != EXPECT_CRC32;
    bad += check_sort();
    printf("intwork: %s\n", bad ? "WRONG RESULTS" : "all results correct");
    return bad;
}
