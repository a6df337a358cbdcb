/*
 * gsb_err.c - GsbErr -> PAPR return code: the one place the library's error
 * domain meets H_* (include/ppc/hcall.h).
 *
 * Element errors name the field the L1 must change (seed 004 / Linux
 * Documentation/powerpc/kvm-nested.rst: "the IDs in the GSB must match"
 * the guest-wide flag; r4 = the array index of the bad element):
 *   unknown id, wrong scope, wrong direction  -> H_INVALID_ELEMENT_ID
 *   wrong size                                -> H_INVALID_ELEMENT_SIZE
 *   bits outside the settable mask (SET)      -> H_INVALID_ELEMENT_VALUE
 * A scope or access error is an id error because no size or value would
 * make that id acceptable in that request (QEMU returns H_P3 for all of
 * them, which tells the L1 nothing; the reference lists that as a bug).
 * Buffer errors (shorter than the header, or than the elements the header
 * counts) are the buffer size's fault: H_P5 (dataBufferSizeInBytes) for
 * H_GUEST_{GET,SET}_STATE, H_INPUT_BUFFER_TOO_SMALL for the run input
 * buffer; a run output buffer too small for what L0 must report is
 * H_OUTPUT_BUFFER_TOO_SMALL.
 *
 *     if (err != GSB_OK) { cpu->gpr[4] = r.index; return gsb_err_hcall(err, op); }
 */
#include "gsb.h"
#include "ppc/hcall.h"

static int64_t gsb_buffer_err(GsbErr err, GsbOp op)
{
    if (!(op & GSB_OP_RUN))
        return H_P5;
    return err == GSB_ERR_NO_SPACE ? H_OUTPUT_BUFFER_TOO_SMALL : H_INPUT_BUFFER_TOO_SMALL;
}

int64_t gsb_err_hcall(GsbErr err, GsbOp op)
{
    switch (err) {
    case GSB_OK:
        return H_SUCCESS;
    case GSB_ERR_ID:
    case GSB_ERR_SCOPE:
    case GSB_ERR_ACCESS:
        return H_INVALID_ELEMENT_ID;
    case GSB_ERR_SIZE:
        return H_INVALID_ELEMENT_SIZE;
    case GSB_ERR_VALUE:
        return H_INVALID_ELEMENT_VALUE;
    case GSB_ERR_NO_SPACE:
    case GSB_ERR_BUF_SHORT:
    case GSB_ERR_TRUNCATED:
        return gsb_buffer_err(err, op);
    case GSB_ERR_ARG:
        break;
    }
    return H_PARAMETER;
}

const char *gsb_err_name(GsbErr err)
{
    switch (err) {
    case GSB_OK:            return "ok";
    case GSB_ERR_ARG:       return "bad argument";
    case GSB_ERR_NO_SPACE:  return "no space";
    case GSB_ERR_BUF_SHORT: return "buffer shorter than header";
    case GSB_ERR_TRUNCATED: return "buffer shorter than its elements";
    case GSB_ERR_ID:        return "unknown id";
    case GSB_ERR_SCOPE:     return "id not in this scope";
    case GSB_ERR_ACCESS:    return "id not accessible this way";
    case GSB_ERR_SIZE:      return "wrong size";
    case GSB_ERR_VALUE:     return "value outside mask";
    }
    return "?";
}
