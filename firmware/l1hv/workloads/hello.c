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

static unsigned my_level(void)
{
    const void *fdt = fw_fdt();
    int chosen = fdt ? fdt_node_by_path(fdt, "/chosen") : FDT_ERR;
    const char *args = chosen >= 0 ? fdt_prop_str(fdt, chosen, "bootargs") : NULL;
    const char *key = "nesthv.level=";
    unsigned level = 1;
    for (const char *p = args; p && *p; p++) {
        if ((p == args || p[-1] == ' ') && strncmp(p, key, strlen(key)) == 0) {
            level = 0;
            for (p += strlen(key); *p >= '0' && *p <= '9'; p++)
                level = level * 10 + (unsigned)(*p - '0');
            break;
        }
    }
    return level;
}

int main(void)
{
    printf("hello from L%u\n", my_level());
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
