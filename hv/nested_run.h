/*
 * nested_run.h - hv/'s private interface between the shared nested run
 * (hv/nested_run.c) and the two APIs (hv/nested_v1.c, hv/nested_v2.c).
 */
#ifndef NESTHV_HV_NESTED_RUN_H
#define NESTHV_HV_NESTED_RUN_H

#include "hv/nested.h"
#include "ppc/hvgs.h"

/* L0 grants the L1 every facility: what an L2's HFSCR may hold. */
#define HV_L1_HFSCR_PERMITTED (~HFSCR_IC_MASK)

HvNestedVcpu *hv_nested_vcpu(const Hv *hv, const CPUState *cpu);
/* Save the L1's registers in nv->l1, load nv->e.l2 into the CPU, mark the vCPU in its L2. */
void hv_nested_switch_to_l2(Hv *hv, CPUState *cpu, HvNestedVcpu *nv);
/* The L1's registers back (LPIDR, timebase offset, HDEC off). */
void hv_nested_restore_l1(Hv *hv, CPUState *cpu, const HvL1Regs *s);
/* Change the timebase offset, DEC keeping its value. */
void hv_nested_set_tb_offset(CPUState *cpu, int64_t tb_offset);

/* Nested-state memory, counted in HvNested.mem (zeroed; NULL: none). */
void *hv_nested_alloc(HvNested *n, size_t size);
void hv_nested_free(HvNested *n, void *p, size_t size);

/* v2 (hv/nested_v2.c) */
int hv_nested_v2_init(HvNested *n);
void hv_nested_v2_destroy(HvNested *n);
/* The end of a v2 run: state stored, output buffer written, L1 back with r3/r4. */
void hv_nested_v2_leave(Hv *hv, CPUState *cpu, HvNestedVcpu *nv, const NestExit *x, long err);
/* A v2 guest id of an L1 that negotiated the v2 API: its nest table (else NULL: a v1 lpid). */
NestL1 *hv_nested_v2_table_for(HvNested *n, uint64_t id);
void hv_nested_v2_print_stats(HvNested *n, FILE *out);
/* The L1 negotiated the v2 API (H_GUEST_SET_CAPABILITIES succeeded). */
bool hv_nested_v2_negotiated(const HvNested *n);

/* --stats line of one guest's counters (hv/nested_v1.c). */
void hv_nested_print_guest_stats(FILE *out, const char *what, const NestGuestStats *s);

#endif
