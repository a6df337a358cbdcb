/*
 * rom.S - the "-bios" ROM image for QEMU pseries and nesthv.
 *
 * The machine loads this at real address 0 and starts the CPU at 0x100,
 * big-endian, 32-bit mode, with r3 = FDT address.  The ROM only branches
 * to the -kernel image at 0x400000, leaving every register untouched.
 * rom.bin is the raw bytes of .text: 0x100 zero bytes then one big-endian
 * relative branch "b 0x400000" (opcode 18, LI = 0x400000 - 0x100).
 */
#include "be-insn.h"

#define ROM_ENTRY       0x100       /* reset entry point */
#define KERNEL_ADDR     0x400000    /* where -kernel images are loaded */

    .text
    .space ROM_ENTRY, 0
rom_entry:
    BE_INSN (PPC_INSN_B | ((KERNEL_ADDR - ROM_ENTRY) & PPC_INSN_B_LI_MASK))   /* b 0x400000 */
