/*
 * console.c - the hypervisor virtual terminal (PAPR 14.5.4.5, "hvterm1").
 *
 * Guest output goes to stdout, unbuffered towards the user: each
 * H_PUT_TERM_CHAR is written and flushed.  Input comes from stdin without
 * blocking the guest.  The terminal answers to its unit address
 * (0x71000000, the /vdevice/vty node) and to 0, which QEMU also accepts
 * because early Linux debug code always passes 0.
 */
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "hv/hv.h"
#include "ppc/hcall.h"

#define VTY_REG        0x71000000ULL
#define VTY_MAX_CHARS  16

static bool vty_valid(uint64_t termno)
{
    return termno == 0 || termno == VTY_REG;
}

static void unpack_be(uint64_t w, uint8_t *out)
{
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(w >> (56 - 8 * i));
}

static uint64_t pack_be(const uint8_t *in)
{
    uint64_t w = 0;
    for (int i = 0; i < 8; i++)
        w = (w << 8) | in[i];
    return w;
}

/* H_PUT_TERM_CHAR(termno, len, chars 0-7, chars 8-15): bytes packed big-endian. */
long hv_put_term_char(Hv *hv, CPUState *cpu)
{
    uint64_t len = cpu->gpr[5];
    uint8_t buf[VTY_MAX_CHARS];
    if (!vty_valid(cpu->gpr[4]) || len > VTY_MAX_CHARS)
        return H_PARAMETER;
    unpack_be(cpu->gpr[6], buf);
    unpack_be(cpu->gpr[7], buf + 8);
    fwrite(buf, 1, len, stdout);
    fflush(stdout);
    return H_SUCCESS;
}

/* H_GET_TERM_CHAR(termno) -> r4 = count, r5/r6 = chars; never blocks. */
long hv_get_term_char(Hv *hv, CPUState *cpu)
{
    uint8_t buf[VTY_MAX_CHARS] = { 0 };
    ssize_t n = 0;
    struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
    if (!vty_valid(cpu->gpr[4]))
        return H_PARAMETER;
    if (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN)) {
        n = read(STDIN_FILENO, buf, sizeof(buf));
        if (n < 0)
            n = 0;
    }
    cpu->gpr[4] = (uint64_t)n;
    cpu->gpr[5] = pack_be(buf);
    cpu->gpr[6] = pack_be(buf + 8);
    return H_SUCCESS;
}
