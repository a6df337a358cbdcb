/* nesthv-test-args: -M pseries,cap-nested-papr=on */
/*
 * many.c - 64 guests x 4 vCPUs, each guest with its own partition-scoped
 * tree, runs interleaved across guests and vCPUs: every vCPU computes
 * from its own state (GPR3 = its tag) and keeps its own registers (GPR20
 * set once per vCPU, read back after everybody ran twice); then every
 * guest is deleted and is gone (H_P2), and the ids can be used again.
 */
#include "v2t.h"

#define NG 64
#define NV 4

static V2tL2 guests[NG];

static unsigned long m_fn(unsigned long tag)
{
    return tag * 3 + 1;
}

static unsigned long tag_of(unsigned g, unsigned v)
{
    return 0x1000 + g * 16 + v;
}

int main(void)
{
    v2t_init();
    test_begin("64 guests x 4 vcpus");
    for (unsigned g = 0; g < NG; g++) {
        v2t_setup(&guests[g], NV, NULL);
        for (unsigned v = 0; v < NV; v++)
            nv2_set64(&guests[g].vcpu[v], GSB_ID_GPR(20), 0xCAFE0000 + tag_of(g, v));
    }
    unsigned wrong = 0, runs = 0;
    for (unsigned round = 0; round < 2; round++)
        for (unsigned v = 0; v < NV; v++)
            for (unsigned g = 0; g < NG; g++) {
                Nv2Vcpu *cpu = &guests[g].vcpu[v];
                unsigned long tag = tag_of(g, v) + round;
                v2t_call(cpu, m_fn, tag);
                wrong += v2t_run_done(cpu) != tag * 3 + 1;
                runs++;
            }
    printf("%u runs, wrong results: %u\n", runs, wrong);
    TEST_EQ(wrong, 0);
    unsigned kept = 0;
    for (unsigned g = 0; g < NG; g++)
        for (unsigned v = 0; v < NV; v++)
            kept += nv2_get64(&guests[g].vcpu[v], GSB_ID_GPR(20)) == 0xCAFE0000 + tag_of(g, v);
    printf("vcpus that kept their GPR20: %u of %u\n", kept, NG * NV);
    TEST_EQ(kept, NG * NV);

    test_begin("delete them all, one by one");
    unsigned deleted = 0, gone = 0;
    GsbBuf b;
    for (unsigned g = 0; g < NG; g++) {
        deleted += nv2_guest_delete(&guests[g].g) == H_SUCCESS;
        gsb_init(&b, v2t_raw, sizeof(v2t_raw));
        gsb_put_u64(&b, GSB_ID_GPR(20), 0);
        gone += nv2_get_state(0, guests[g].g.id, 0, b.data, gsb_len(&b), NULL) == H_P2;
    }
    printf("deleted %u, gone %u\n", deleted, gone);
    TEST_EQ(deleted, NG);
    TEST_EQ(gone, NG);
    v2t_setup(&guests[0], 1, NULL);
    v2t_call(&guests[0].vcpu[0], m_fn, 5);
    TEST_EQ(v2t_run_done(&guests[0].vcpu[0]), 16);
    TEST_EQ(nv2_guest_delete(&guests[0].g), H_SUCCESS);
    return test_report();
}
