/*
 * spr.h - the mtspr/mfspr dispatch table (cpu/spr.c), for the handlers in
 * cpu/exec/processor_ctrl.c and for tests/unit/cpu/test_spr.c.
 *
 * spr_table[] has one entry per SPR number (1024), generated at compile
 * time from SPR_LIST in include/ppc/spr.h: an access check and a switch on
 * the entry's kind replace any search, so mtspr/mfspr cost an index, a
 * compare and a (usually trivial) switch arm.
 */
#ifndef NESTHV_CPU_SPR_H
#define NESTHV_CPU_SPR_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"

/* How an SPR's value is kept; the names are the kind column of SPR_LIST. */
typedef enum SprKind {
    SPR_KIND_G = 0,      /* plain cpu->spr[number] */
    SPR_KIND_XER,        /* split fields so/ov/ca/ov32/ca32/xer_bc/xer_rest */
    SPR_KIND_LR,
    SPR_KIND_CTR,
    SPR_KIND_AMR_U,      /* AMR through 13: writes masked by UAMOR (PR) or AMOR */
    SPR_KIND_DEC,        /* cpu_get_dec/cpu_set_dec */
    SPR_KIND_PIDR,       /* translation context changes (PIDR, AMR, IAMR): cpu_mode_changed() */
    SPR_KIND_TM,         /* needs MSR[TM] (facility unavailable, IC = TM) */
    SPR_KIND_TM_UPPER,   /* ... and is the upper half of the previous SPR */
    SPR_KIND_CTRL_RD,    /* reads CTRL (152) */
    SPR_KIND_SPRG3_U,    /* reads SPRG3 (275) */
    SPR_KIND_TB,         /* the 64-bit timebase */
    SPR_KIND_TBU,        /* its upper half */
    SPR_KIND_PURR,       /* PURR/SPURR: count with the timebase */
    SPR_KIND_PMU_A,      /* PR alias of a group-A PMU SPR (number + 16), MMCR0[PMCC] rules */
    SPR_KIND_PMU_A56,    /* ... PMC5/PMC6: not accessible from PR when PMCC = 0b11 */
    SPR_KIND_PMU_B,      /* PR alias of a group-B PMU SPR: read-only in problem state */
    SPR_KIND_EBB,        /* FSCR[EBB] in problem state */
    SPR_KIND_EBB_UPPER,  /* ... and the upper half of the previous SPR */
    SPR_KIND_TAR,        /* FSCR[TAR] in problem state */
    SPR_KIND_PIR,        /* the thread's index */
    SPR_KIND__COUNT
} SprKind;

typedef struct SprDesc {
    uint8_t defined;     /* 0: no SPR with this number (undefined-SPR rules apply) */
    uint8_t read;        /* SPR_ACCESS_* for mfspr */
    uint8_t write;       /* SPR_ACCESS_* for mtspr */
    uint8_t width;       /* 32 or 64 */
    uint8_t kind;        /* SprKind */
} SprDesc;

extern const SprDesc spr_table[SPR_NUM];

/* mfspr/mtspr of SPR sprn.  False: nothing to do for the caller -- an
   interrupt was raised, or the access is a no-op (undefined numbers). */
bool cpu_mfspr(CPUState *cpu, unsigned sprn, uint64_t *out);
bool cpu_mtspr(CPUState *cpu, unsigned sprn, uint64_t val);

#endif
