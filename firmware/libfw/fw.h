/*
 * fw.h - everything libfw offers, in one include.
 */
#ifndef FW_FW_H
#define FW_FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ppc/bits.h"
#include "ppc/msr.h"
#include "asm.h"
#include "boot.h"
#include "console.h"
#include "fdt.h"
#include "fwstring.h"
#include "hcall.h"
#include "rtas.h"
#include "test.h"
#include "trap.h"

#endif
