/*
 * test_xics.c - the XICS presentation state machine (hv/xics.h), with the
 * sequences firmware/tests/papr/xics.c runs on QEMU 7.2 and nesthv (the
 * XIRR values are the ones QEMU printed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "hv/xics.h"

static XicsIcp fresh(void)
{
    XicsIcp icp;
    xics_icp_reset(&icp);
    return icp;
}

static void test_xics_reset_masks_everything(void **state)
{
    XicsIcp icp = fresh();
    assert_int_equal(icp.xirr, 0);
    assert_int_equal(icp.mfrr, 0xff);
    xics_icp_set_mfrr(&icp, 5); /* CPPR 0: nothing beats it */
    assert_false(icp.output);
    assert_int_equal(icp.xirr, 0);
}

static void test_xics_ipi_presented_when_mfrr_beats_cppr(void **state)
{
    XicsIcp icp = fresh();
    xics_icp_set_mfrr(&icp, 5);
    xics_icp_set_cppr(&icp, 0xff);
    assert_true(icp.output);
    assert_int_equal(icp.xirr, 0xff000002u);
    xics_icp_set_cppr(&icp, 3); /* more favoured than the request: rejected */
    assert_false(icp.output);
    assert_int_equal(icp.xirr, 0x03000000u);
    xics_icp_set_cppr(&icp, 0xff); /* re-presented */
    assert_true(icp.output);
    assert_int_equal(icp.xirr, 0xff000002u);
}

static void test_xics_accept_eoi_cycle(void **state)
{
    XicsIcp icp = fresh();
    xics_icp_set_cppr(&icp, 0xff);
    xics_icp_set_mfrr(&icp, 5);
    uint32_t xirr = xics_icp_accept(&icp);
    assert_int_equal(xirr, 0xff000002u);
    assert_false(icp.output);
    assert_int_equal(icp.xirr, 0x05000000u); /* CPPR = the accepted priority */
    xics_icp_eoi(&icp, xirr);                 /* MFRR still 5: presented again */
    assert_true(icp.output);
    assert_int_equal(icp.xirr, 0xff000002u);
    xics_icp_set_mfrr(&icp, 0xff);            /* does not retract */
    assert_true(icp.output);
    xirr = xics_icp_accept(&icp);
    xics_icp_eoi(&icp, xirr);
    assert_false(icp.output);
    assert_int_equal(icp.xirr, 0xff000000u);
}

static void test_xics_accept_with_nothing_pending_sets_cppr_least(void **state)
{
    XicsIcp icp = fresh();
    xics_icp_set_cppr(&icp, 0x80);
    assert_int_equal(xics_icp_accept(&icp), 0x80000000u);
    assert_int_equal(icp.xirr, 0xff000000u); /* QEMU: CPPR <- pending priority (0xff) */
}

static void test_xics_more_favoured_mfrr_replaces(void **state)
{
    XicsIcp icp = fresh();
    xics_icp_set_cppr(&icp, 0xff);
    xics_icp_set_mfrr(&icp, 0x10);
    xics_icp_set_mfrr(&icp, 0x20);
    assert_int_equal(icp.pending_priority, 0x10);
    xics_icp_set_mfrr(&icp, 0x08);
    assert_int_equal(icp.pending_priority, 0x08);
    assert_int_equal(icp.xirr, 0xff000002u);
}

static void test_xics_eoi_of_other_source_sets_only_cppr(void **state)
{
    XicsIcp icp = fresh();
    xics_icp_set_cppr(&icp, 0xff);
    xics_icp_eoi(&icp, 0x40001000u);
    assert_int_equal(icp.xirr, 0x40000000u);
    assert_false(icp.output);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xics_reset_masks_everything),
        cmocka_unit_test(test_xics_ipi_presented_when_mfrr_beats_cppr),
        cmocka_unit_test(test_xics_accept_eoi_cycle),
        cmocka_unit_test(test_xics_accept_with_nothing_pending_sets_cppr_least),
        cmocka_unit_test(test_xics_more_favoured_mfrr_replaces),
        cmocka_unit_test(test_xics_eoi_of_other_source_sets_only_cppr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
