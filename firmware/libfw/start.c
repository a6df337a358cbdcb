/*
 * start.c - C side of program start-up: record the entry registers, run
 * main(), exit with its return value.
 */
#include "boot.h"
#include "test.h"

struct fw_boot fw_boot;

void fw_start(unsigned long r3, unsigned long r4, unsigned long r5)
{
    fw_boot.r3 = r3;
    fw_boot.r4 = r4;
    fw_boot.r5 = r5;
    fw_exit(main());
}
