/*
 * hello.c - the default l1hv workload: prints "hello from L<N>" (N from
 * nesthv.level in /chosen bootargs), a checksum of 256 KiB of data it
 * generates and hashes (the same at every level: the memory the nested
 * guests are given behaves the same), then powers off through RTAS.
 */
#include "fw.h"

#define HELLO_BYTES (256 * 1024)
#define FNV_OFFSET  0xcbf29ce484222325ULL
#define FNV_PRIME   0x100000001b3ULL
#define LCG_MUL     6364136223846793005ULL
#define LCG_ADD     1442695040888963407ULL

static uint8_t hello_data[HELLO_BYTES];


int main(void)
{
    printf("hello from L%u\n", fw_bootarg_uint("nesthv.level=", 1));
    uint64_t x = 1, h = FNV_OFFSET;
    for (unsigned i = 0; i < HELLO_BYTES; i++) {
        x = x * LCG_MUL + LCG_ADD;
        hello_data[i] = (uint8_t)(x >> 56);
    }
    for (unsigned i = 0; i < HELLO_BYTES; i++)
        h = (h ^ hello_data[i]) * FNV_PRIME;
    printf("checksum %016llx\n", (unsigned long long)h);
    console_flush();
    rtas_power_off();
    printf("hello: RTAS power-off failed\n");
    return 1;
}
