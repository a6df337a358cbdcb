/*
 * hfscr.h - Hypervisor Facility Status and Control Register (Power ISA
 * v3.0B Book III 9.2): the facilities a hypervisor grants its guest, and
 * the cause a Hypervisor Facility Unavailable interrupt (0xF80) leaves in
 * HFSCR[IC] (HFSCR_IC_MASK, ppc/hvgs.h).  Bit positions and cause values
 * as Linux and QEMU define them (FSCR shares most of the layout: ppc/fscr.h).
 */
#ifndef PPC_HFSCR_H
#define PPC_HFSCR_H
#include "ppc/bits.h"
#include "ppc/hvgs.h"

#define HFSCR_IC_SHIFT       (63 - 7)
#define HFSCR_MSGP           PPC_BIT(53)         /* msgsndp, msgclrp */
#define HFSCR_IC_MSGP        10
/* Every facility bit: what L0 grants a partition it runs. */
#define HFSCR_ALL_FACILITIES (~HFSCR_IC_MASK)

#endif
