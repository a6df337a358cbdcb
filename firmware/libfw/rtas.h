/*
 * rtas.h - RTAS calls through the KVMPPC_H_RTAS hypercall.
 *
 * The argument block is big-endian {token, nargs, nret, args..., rets...}
 * at a real address passed in r4 (the image runs with IR/DR off, so a
 * static buffer's address is its real address).  Tokens come from the FDT
 * /rtas node by name; without an FDT the QEMU/nesthv constants of
 * include/ppc/hcall.h are used.  Every call returns the RTAS status
 * (rets[0]: 0 = success, -1 hardware error, -3 parameter error ...) or
 * RTAS_ERR_CALL if the call could not be made at all.
 */
#ifndef FW_RTAS_H
#define FW_RTAS_H

#include <stdint.h>

#define RTAS_ARGS_MAX       16      /* args + rets per call */
#define RTAS_SUCCESS        0
#define RTAS_HW_ERROR       (-1)
#define RTAS_PARAM_ERROR    (-3)
#define RTAS_ERR_CALL       (-9999) /* no token, too many args, or the hcall failed */

/* get-time-of-day / set-time-of-day fields, in RTAS order. */
enum rtas_tod { RTAS_TOD_YEAR, RTAS_TOD_MONTH, RTAS_TOD_DAY, RTAS_TOD_HOUR,
                RTAS_TOD_MINUTE, RTAS_TOD_SECOND, RTAS_TOD_NSEC, RTAS_TOD_FIELDS };

/* Token of the named RTAS service, or -1 if unknown. */
int rtas_token(const char *name);

/* Raw call: rets[0..nret-1] receive the outputs (rets[0] = status). */
int rtas_call(int token, int nargs, const uint32_t *args, int nret, uint32_t *rets);
/* Call by service name. */
int rtas_call_name(const char *name, int nargs, const uint32_t *args, int nret,
                   uint32_t *rets);

int rtas_power_off(void);                       /* returns only on failure */
int rtas_display_character(char c);
int rtas_get_time_of_day(int tod[RTAS_TOD_FIELDS]);
int rtas_set_time_of_day(const int tod[RTAS_TOD_FIELDS]);

#endif
