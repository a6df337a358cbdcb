/* nesthv-test-args: -M pseries,cap-nested-papr=on */
/*
 * caps.c - H_GUEST_GET_CAPABILITIES / H_GUEST_SET_CAPABILITIES and the
 * negotiation rules (../shared/reference/papr-nested.md "v2: capabilities"):
 *   - H_GUEST_CREATE before any SET_CAPABILITIES is H_STATE;
 *   - GET with flags is H_PARAMETER; on a POWER9 CPU the L0 offers POWER9
 *     mode and no later mode (an L2 cannot run a newer ISA than the chip);
 *   - SET with flags is H_PARAMETER; SET of nothing, of a reserved bit or of
 *     COPY_MEM (when not offered) is H_P2 with r4 = 1 invalid bitmap;
 *   - SET of what GET offered succeeds, after which guests can be created.
 * This program is the first L1 of a fresh machine: nothing negotiated yet.
 */
#include "fw.h"
#include "nv2.h"

#define RESERVED_CAP (1ULL << 40)

static bool is_power9(void)
{
    return (mfpvr() >> 16) == 0x004E;
}

int main(void)
{
    uint64_t caps = 0, r4 = 0, r5 = 0, id = 0;

    test_begin("before negotiation");
    long rc = nv2_create(0, NV2_TOKEN_NONE, &id);
    printf("H_GUEST_CREATE before SET_CAPABILITIES: rc=%ld\n", rc);
    TEST_EQ(rc, H_STATE);

    test_begin("H_GUEST_GET_CAPABILITIES");
    rc = nv2_get_capabilities(1, &caps);
    printf("flags=1: rc=%ld\n", rc);
    TEST_EQ(rc, H_PARAMETER);
    rc = nv2_get_capabilities(0, &caps);
    printf("offered: rc=%ld power9=%d power10=%d power11=%d\n", rc, !!(caps & NV2_CAP_POWER9),
           !!(caps & NV2_CAP_POWER10), !!(caps & NV2_CAP_POWER11));
    TEST_EQ(rc, H_SUCCESS);
    TEST_ASSERT(caps & NV2_CAP_POWER9);
    if (is_power9())
        TEST_EQ(caps & (NV2_CAP_POWER10 | NV2_CAP_POWER11), 0);
    TEST_EQ(caps & RESERVED_CAP, 0);

    test_begin("H_GUEST_SET_CAPABILITIES errors");
    rc = nv2_set_capabilities(1, NV2_CAP_POWER9, &r4, &r5);
    printf("flags=1: rc=%ld\n", rc);
    TEST_EQ(rc, H_PARAMETER);
    rc = nv2_set_capabilities(0, 0, &r4, &r5);
    printf("no capability: rc=%ld r4=%lu\n", rc, (unsigned long)r4);
    TEST_EQ(rc, H_P2);
    TEST_EQ(r4, 1);
    rc = nv2_set_capabilities(0, NV2_CAP_POWER9 | RESERVED_CAP, &r4, &r5);
    printf("a reserved bit: rc=%ld r4=%lu\n", rc, (unsigned long)r4);
    TEST_EQ(rc, H_P2);
    TEST_EQ(r4, 1);
    if (!(caps & NV2_CAP_COPY_MEM)) {
        rc = nv2_set_capabilities(0, NV2_CAP_POWER9 | NV2_CAP_COPY_MEM, &r4, &r5);
        printf("COPY_MEM, not offered: rc=%ld r4=%lu\n", rc, (unsigned long)r4);
        TEST_EQ(rc, H_P2);
        TEST_EQ(r4, 1);
    }
    rc = nv2_create(0, NV2_TOKEN_NONE, &id);
    printf("H_GUEST_CREATE after failed SETs: rc=%ld\n", rc);
    TEST_EQ(rc, H_STATE);

    test_begin("negotiated");
    rc = nv2_set_capabilities(0, caps & (NV2_CAP_POWER9 | NV2_CAP_POWER10 | NV2_CAP_POWER11), &r4, &r5);
    printf("SET of the offered modes: rc=%ld\n", rc);
    TEST_EQ(rc, H_SUCCESS);
    rc = nv2_create(0, NV2_TOKEN_NONE, &id);
    printf("H_GUEST_CREATE: rc=%ld id nonzero: %d\n", rc, id != 0);
    TEST_EQ(rc, H_SUCCESS);
    TEST_NE(id, 0);
    TEST_EQ(nv2_delete(0, id), H_SUCCESS);
    rc = nv2_get_capabilities(0, &r4);
    printf("GET again: rc=%ld same: %d\n", rc, r4 == caps);
    TEST_EQ(r4, caps);
    return test_report();
}
