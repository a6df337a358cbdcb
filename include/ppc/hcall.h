/*
 * hcall.h - PAPR hypercall numbers and return codes (PAPR 14.5; Linux
 * arch/powerpc/include/asm/hvcall.h carries the same values).
 * Shared by the L0 hypervisor (host) and firmware (guest side).
 */
#ifndef PPC_HCALL_H
#define PPC_HCALL_H

/* Return codes */
#define H_SUCCESS                          0
#define H_BUSY                             1
#define H_NOT_AVAILABLE                    3
#define H_HARDWARE                        -1
#define H_FUNCTION                        -2
#define H_PRIVILEGE                       -3
#define H_PARAMETER                       -4
#define H_BAD_MODE                        -5
#define H_NOT_FOUND                       -7
#define H_NO_MEM                          -9
#define H_AUTHORITY                      -10
#define H_ABORTED                        -54
#define H_P2                             -55
#define H_P3                             -56
#define H_P4                             -57
#define H_P5                             -58
#define H_P6                             -59
#define H_P7                             -60
#define H_P8                             -61
#define H_P9                             -62
#define H_UNSUPPORTED                    -67
#define H_STATE                          -75
#define H_IN_USE                         -77
#define H_INVALID_ELEMENT_ID             -79
#define H_INVALID_ELEMENT_SIZE           -80
#define H_INVALID_ELEMENT_VALUE          -81
#define H_INPUT_BUFFER_NOT_DEFINED       -82
#define H_INPUT_BUFFER_TOO_SMALL         -83
#define H_OUTPUT_BUFFER_NOT_DEFINED      -84
#define H_OUTPUT_BUFFER_TOO_SMALL        -85
#define H_PARTITION_PAGE_TABLE_NOT_DEFINED -86
#define H_GUEST_VCPU_STATE_NOT_HV_OWNED  -87
#define H_UNSUPPORTED_FLAG              -256

/* Basic PAPR hypercalls */
#define H_SET_SPRG0               0x24
#define H_SET_DABR                0x28
#define H_PAGE_INIT               0x2C
#define H_GET_TERM_CHAR           0x54
#define H_PUT_TERM_CHAR           0x58
#define H_EOI                     0x64
#define H_CPPR                    0x68
#define H_IPI                     0x6C
#define H_IPOLL                   0x70
#define H_XIRR                    0x74
#define H_REGISTER_VPA            0xDC
#define H_CEDE                    0xE0
#define H_CONFER                  0xE4
#define H_PROD                    0xE8
#define H_RANDOM                  0x300
#define H_SET_MODE                0x31C
#define H_REGISTER_PROCESS_TABLE  0x37C
#define H_RPT_INVALIDATE          0x448
/* Nested v2 (PAPR nested API) */
#define H_GUEST_GET_CAPABILITIES  0x460
#define H_GUEST_SET_CAPABILITIES  0x464
#define H_GUEST_CREATE            0x470
#define H_GUEST_CREATE_VCPU       0x474
#define H_GUEST_GET_STATE         0x478
#define H_GUEST_SET_STATE         0x47C
#define H_GUEST_RUN_VCPU          0x480
#define H_GUEST_COPY_MEMORY       0x484
#define H_GUEST_DELETE            0x488
/* KVM/QEMU private range */
#define KVMPPC_H_RTAS             0xF000
/* Nested v1 (KVM-HV nested) */
#define H_SET_PARTITION_TABLE     0xF800
#define H_ENTER_NESTED            0xF804
#define H_TLB_INVALIDATE          0xF808
#define H_COPY_TOFROM_GUEST       0xF80C

/* ---- Nested v2 (PAPR nested API) flags and limits (seed 004; Linux hvcall.h; QEMU spapr_nested.h) ---- */
/* H_GUEST_{GET,SET}_CAPABILITIES bitmap 1 */
#define H_GUEST_CAP_COPY_MEM           (1ULL << 63)
#define H_GUEST_CAP_POWER9             (1ULL << 62)
#define H_GUEST_CAP_POWER10            (1ULL << 61)
#define H_GUEST_CAP_POWER11            (1ULL << 60)
#define H_GUEST_CAP_BITMAP2            (1ULL << 0)
/* H_GUEST_GET_STATE / H_GUEST_SET_STATE flags (PAPR bit 0 = 1 << 63) */
#define H_GUEST_STATE_GUEST_WIDE       (1ULL << 63)
#define H_GUEST_GET_STATE_HOST_WIDE    (1ULL << 62) /* Linux/QEMU; seed 004's "takeOwnership" bit */
#define H_GUEST_SET_STATE_RETURN_OWNER (1ULL << 62) /* seed 004 "returnOwnershipOfVcpuState" */
/* H_GUEST_RUN_VCPU flags */
#define H_GUEST_RUN_EXT_INTERRUPT      (1ULL << 63) /* generateExternalInterrupt */
#define H_GUEST_RUN_PRIV_DOORBELL      (1ULL << 62) /* generatePrivilegedDoorbell */
#define H_GUEST_RUN_SYSTEM_RESET       (1ULL << 61) /* sendToSystemReset */
/* H_GUEST_DELETE flags */
#define H_GUEST_DELETE_ALL             (1ULL << 63)
/* H_GUEST_CREATE continue token of a first call */
#define H_GUEST_CREATE_NO_TOKEN        (~0ULL)
/* Limits: guest ids 1..4095 (rmap entries pack 12-bit ids), vCPU ids 0..2047 (seed 004) */
#define H_GUEST_ID_MAX                 4095
#define H_GUEST_VCPU_ID_MAX            2047
/* Run output buffer minimum size (element 0x0002; QEMU VCPU_OUT_BUF_MIN_SZ) */
#define H_GUEST_RUN_OUTPUT_MIN_SIZE    0x80
/* Largest guest state buffer L0 reads or writes in one call (QEMU GSB_MAX_BUF_SIZE) */
#define H_GUEST_STATE_BUF_MAX          (1u << 16)
/* ---- end nested v2 ---- */

/* H_PAGE_INIT flags (PAPR 14.5.4.3.1) */
#define H_PAGE_INIT_ICACHE_INVAL  (1ULL << (63 - 52))
#define H_PAGE_INIT_ICACHE_SYNC   (1ULL << (63 - 53))
#define H_PAGE_INIT_ZERO          (1ULL << (63 - 48))
#define H_PAGE_INIT_COPY          (1ULL << (63 - 49))

/* H_SET_MODE resources (PAPR; Linux hvcall.h) */
#define H_SET_MODE_RESOURCE_SET_CIABR     1
#define H_SET_MODE_RESOURCE_SET_DAWR0     2
#define H_SET_MODE_RESOURCE_ADDR_TRANS_MODE 3
#define H_SET_MODE_RESOURCE_LE            4
#define H_SET_MODE_RESOURCE_SET_DAWR1     5
/* H_SET_MODE_RESOURCE_LE mflags */
#define H_SET_MODE_ENDIAN_BIG    0
#define H_SET_MODE_ENDIAN_LITTLE 1

/* RTAS tokens nesthv hands out (the same values QEMU's pseries uses). */
#define RTAS_TOKEN_DISPLAY_CHARACTER       0x2000
#define RTAS_TOKEN_GET_TIME_OF_DAY         0x2001
#define RTAS_TOKEN_SET_TIME_OF_DAY         0x2002
#define RTAS_TOKEN_POWER_OFF               0x2003
#define RTAS_TOKEN_SYSTEM_REBOOT           0x2004
#define RTAS_TOKEN_QUERY_CPU_STOPPED_STATE 0x2005
#define RTAS_TOKEN_START_CPU               0x2006
#define RTAS_TOKEN_STOP_SELF               0x2007

#endif
