/* nesthv-test-args: -M pseries,cap-nested-papr=on */
/*
 * guests.c - H_GUEST_CREATE, H_GUEST_CREATE_VCPU and H_GUEST_DELETE
 * (../shared/reference/papr-nested.md "v2: guests and vCPUs"):
 *   CREATE: flags -> H_UNSUPPORTED_FLAG, a continue token other than -1 on
 *     a first call -> H_P2, distinct nonzero ids;
 *   CREATE_VCPU: flags -> H_UNSUPPORTED_FLAG, unknown guest -> H_P2, an id
 *     already created -> H_IN_USE, beyond 2047 -> H_P3, any id in 0..2047
 *     (QEMU 10 aborts on the last two: skipped there);
 *   DELETE: one guest (its vCPUs and state go: later calls naming it are
 *     H_P2), an unknown guest -> H_P2, reserved flags refused, all guests
 *     (QEMU 10 frees its guest table and keeps using it: skipped there).
 * A guest's existence is probed with a guest-wide H_GUEST_GET_STATE of the
 * logical PVR (H_P2 once it is gone).
 */
#include "v2t.h"

#define NGUESTS 8

static long probe(uint64_t guest)
{
    GsbBuf b;
    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    gsb_put_u32(&b, GSB_ID_LOGICAL_PVR, 0);
    return nv2_get_state(NV2_STATE_GUEST_WIDE, guest, 0, b.data, gsb_len(&b), NULL);
}

static uint64_t ids[NGUESTS];

static void test_create(void)
{
    uint64_t id = 0;
    test_begin("H_GUEST_CREATE");
    long rc = nv2_create(1, NV2_TOKEN_NONE, &id);
    printf("flags=1: rc=%ld\n", rc);
    TEST_EQ(rc, H_UNSUPPORTED_FLAG);
    rc = nv2_create(0, 0, &id);
    printf("token 0 on a first call: rc=%ld\n", rc);
    TEST_EQ(rc, H_P2);
    int distinct = 1;
    for (unsigned i = 0; i < NGUESTS; i++) {
        TEST_EQ(nv2_create(0, NV2_TOKEN_NONE, &ids[i]), H_SUCCESS);
        TEST_NE(ids[i], 0);
        for (unsigned j = 0; j < i; j++)
            distinct &= ids[i] != ids[j];
        TEST_EQ(probe(ids[i]), H_SUCCESS);
    }
    printf("%u guests, ids distinct and nonzero: %d\n", NGUESTS, distinct);
    TEST_ASSERT(distinct);
}

static void test_vcpus(void)
{
    uint64_t g = ids[0];
    test_begin("H_GUEST_CREATE_VCPU");
    long rc = nv2_create_vcpu(1, g, 0);
    printf("flags=1: rc=%ld\n", rc);
    TEST_EQ(rc, H_UNSUPPORTED_FLAG);
    rc = nv2_create_vcpu(0, 0x7fff0000, 0);
    printf("unknown guest: rc=%ld\n", rc);
    TEST_EQ(rc, H_P2);
    for (unsigned i = 0; i < 4; i++)
        TEST_EQ(nv2_create_vcpu(0, g, i), H_SUCCESS);
    rc = nv2_create_vcpu(0, g, 2);
    printf("vcpu 2 again: rc=%ld\n", rc);
    TEST_EQ(rc, H_IN_USE);
    rc = nv2_create_vcpu(0, ids[1], 0);
    printf("vcpu 0 of another guest: rc=%ld\n", rc);
    TEST_EQ(rc, H_SUCCESS);
    if (!v2t_skip_on_qemu("vcpu ids 2047, 2048 and 2^32 (it asserts ids come in creation order)")) {
        rc = nv2_create_vcpu(0, g, NV2_VCPU_ID_MAX);
        printf("vcpu 2047: rc=%ld\n", rc);
        TEST_EQ(rc, H_SUCCESS);
        rc = nv2_create_vcpu(0, g, NV2_VCPU_ID_MAX + 1);
        printf("vcpu 2048: rc=%ld\n", rc);
        TEST_EQ(rc, H_P3);
        rc = nv2_create_vcpu(0, g, 1ULL << 32);
        printf("vcpu 2^32: rc=%ld\n", rc);
        TEST_EQ(rc, H_P3);
    }
    /* Each vCPU has its own state: set GPR4 on vcpu 1, read it on 1 and 3. */
    GsbBuf b;
    uint64_t v1 = 0, v3 = 0;
    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    gsb_put_u64(&b, GSB_ID_GPR(4), 0x4141);
    TEST_EQ(nv2_set_state(0, g, 1, b.data, gsb_len(&b), NULL), H_SUCCESS);
    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    gsb_put_u64(&b, GSB_ID_GPR(4), 0);
    TEST_EQ(nv2_get_state(0, g, 1, b.data, gsb_len(&b), NULL), H_SUCCESS);
    GsbView view;
    TEST_EQ(gsb_parse(b.data, gsb_len(&b), &view, NULL), GSB_OK);
    gsb_find_u64(&view, GSB_ID_GPR(4), &v1);
    gsb_init(&b, v2t_raw, sizeof(v2t_raw));
    gsb_put_u64(&b, GSB_ID_GPR(4), 0);
    TEST_EQ(nv2_get_state(0, g, 3, b.data, gsb_len(&b), NULL), H_SUCCESS);
    TEST_EQ(gsb_parse(b.data, gsb_len(&b), &view, NULL), GSB_OK);
    gsb_find_u64(&view, GSB_ID_GPR(4), &v3);
    printf("gpr4: vcpu 1 0x%lx, vcpu 3 0x%lx\n", (unsigned long)v1, (unsigned long)v3);
    TEST_EQ(v1, 0x4141);
    TEST_EQ(v3, 0);
}

static void test_delete(void)
{
    test_begin("H_GUEST_DELETE");
    long rc = nv2_delete(1ULL << 62, ids[2]);
    printf("reserved flag: refused %d, guest still there: %d\n", rc != H_SUCCESS, probe(ids[2]) == H_SUCCESS);
    TEST_NE(rc, H_SUCCESS);
    TEST_EQ(probe(ids[2]), H_SUCCESS);
    TEST_EQ(nv2_delete(0, ids[0]), H_SUCCESS);
    rc = probe(ids[0]);
    printf("deleted guest: get_state rc=%ld\n", rc);
    TEST_EQ(rc, H_P2);
    rc = nv2_create_vcpu(0, ids[0], 5);
    printf("deleted guest: create_vcpu rc=%ld\n", rc);
    TEST_EQ(rc, H_P2);
    rc = nv2_delete(0, ids[0]);
    printf("deleted twice: rc=%ld\n", rc);
    TEST_EQ(rc, H_P2);
    rc = nv2_delete(0, 0x7fff0000);
    printf("unknown guest: rc=%ld\n", rc);
    TEST_EQ(rc, H_P2);
    TEST_EQ(probe(ids[1]), H_SUCCESS);           /* the others are untouched */
    uint64_t id = 0;
    TEST_EQ(nv2_create(0, NV2_TOKEN_NONE, &id), H_SUCCESS);
    ids[0] = id;
    if (v2t_skip_on_qemu("deleting all guests (it frees its guest table and keeps using it)"))
        return;
    rc = nv2_delete(NV2_DELETE_ALL, 0);
    printf("delete all: rc=%ld\n", rc);
    TEST_EQ(rc, H_SUCCESS);
    int gone = 1;
    for (unsigned i = 0; i < NGUESTS; i++)
        gone &= probe(ids[i]) == H_P2;
    printf("every guest gone: %d\n", gone);
    TEST_ASSERT(gone);
    rc = nv2_create(0, NV2_TOKEN_NONE, &id);
    printf("create after delete all: rc=%ld\n", rc);
    TEST_EQ(rc, H_SUCCESS);
    TEST_EQ(nv2_create_vcpu(0, id, 0), H_SUCCESS);
    TEST_EQ(nv2_delete(NV2_DELETE_ALL, 0), H_SUCCESS);
}

int main(void)
{
    v2t_init();
    test_create();
    test_vcpus();
    test_delete();
    return test_report();
}
