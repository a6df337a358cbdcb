/*
 * boot.h - what the platform handed to the program at entry.
 *
 * crt0.S passes r3, r4, r5 to fw_start(), which records them here before
 * calling main().  Under "-bios rom.bin -kernel prog.elf" r3 is the FDT
 * address (use fw_fdt() from fdt.h, which validates it) and r4 = r5 = 0.
 */
#ifndef FW_BOOT_H
#define FW_BOOT_H

struct fw_boot {
    unsigned long r3;       /* FDT address */
    unsigned long r4;
    unsigned long r5;       /* Open Firmware client entry under VOF, else 0 */
};

extern struct fw_boot fw_boot;

/* Provided by the program: returns 0 on success (the exit code). */
int main(void);

/* Called by crt0.S only. */
void fw_start(unsigned long r3, unsigned long r4, unsigned long r5) __attribute__((noreturn));

#endif
