# firmware.mk - build rules for the ppc64le freestanding guest firmware.
#
# Included by the top-level Makefile, which defines BUILD (output directory).
# Everything lands under $(BUILD)/fw:
#
#   $(BUILD)/fw/libfw.a                 libfw (console, printf, hcall, RTAS, FDT, traps, tests)
#   $(BUILD)/fw/crt0.o                  entry point, linked first into every program
#   $(BUILD)/fw/rom.bin                 -bios image: zeros, then "b 0x400000" at 0x100
#   $(BUILD)/fw/tests/<area>/<name>.elf one ELF per firmware/tests/<area>/<name>.{c,S}
#   $(BUILD)/fw/demo/<name>.elf         one ELF per firmware/demo/<name>.c
#   $(BUILD)/fw/bench/<name>.elf        one ELF per firmware/bench/<name>.c
#   $(BUILD)/fw/obj/...                 objects and their .d dependency files
#
# New sources are found by wildcard: adding a test needs no change here.
# A source file <name>.c and <name>.S in the same directory would collide.

FW_CROSS   ?= powerpc64le-linux-gnu-
FW_CC      ?= $(FW_CROSS)gcc
FW_AR      ?= $(FW_CROSS)ar
FW_OBJCOPY ?= $(FW_CROSS)objcopy

FW_CFLAGS  = -ffreestanding -nostdlib -mcpu=power9 -mno-altivec -mno-vsx -msoft-float \
             -mlittle-endian -O2 -fno-pic -fno-pie -mcmodel=medium -fno-stack-protector \
             -fno-asynchronous-unwind-tables -Wall -Wextra -Werror -Iinclude -Ifirmware/libfw \
             -MMD -MP
# Assembly sources may name registers r0..r31.
FW_ASFLAGS = $(FW_CFLAGS) -Wa,-mregnames
FW_LDS     = firmware/libfw/link.ld
# --orphan-handling=error: any section link.ld does not place is a link error.
FW_LDFLAGS = -nostdlib -static -no-pie -Wl,-T,$(FW_LDS) -Wl,--build-id=none \
             -Wl,--no-warn-rwx-segments -Wl,--orphan-handling=error

FW_OUT     = $(BUILD)/fw
FW_OBJ     = $(FW_OUT)/obj

# ---- libfw -----------------------------------------------------------------
FW_LIB_SRCS = $(filter-out firmware/libfw/crt0.S, \
                $(sort $(wildcard firmware/libfw/*.c firmware/libfw/*.S)))
FW_LIB_OBJS = $(patsubst firmware/%,$(FW_OBJ)/%.o,$(basename $(FW_LIB_SRCS)))
FW_LIB      = $(FW_OUT)/libfw.a
FW_CRT0     = $(FW_OUT)/crt0.o

# ---- the freestanding core in libfw ------------------------------------------
# gsb/, radix/ and nest/ are shared with the host (DESIGN.md): the same sources
# compile here with FW_CFLAGS (-ffreestanding -Werror) into libfw, so firmware
# (the l1hv hypervisor, nested tests) calls the very code L0 runs.  Include them
# as "gsb/gsb.h", "radix/radix.h", "nest/nest.h" (-I. below).
FW_CORE_DIRS = gsb radix nest
FW_CORE_SRCS = $(sort $(foreach d,$(FW_CORE_DIRS),$(wildcard $(d)/*.c)))
FW_CORE_OBJS = $(patsubst %.c,$(FW_OBJ)/core/%.o,$(FW_CORE_SRCS))
FW_CFLAGS  += -I.

$(FW_OBJ)/core/%.o: %.c firmware/firmware.mk
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) -c $< -o $@

$(FW_LIB): $(FW_CORE_OBJS)
# ---- end core -------------------------------------------------------------------

# ---- programs: tests, demo, benchmarks -------------------------------------
FW_PROG_SRCS = $(sort $(wildcard firmware/tests/*/*.c firmware/tests/*/*.S \
                                 firmware/demo/*.c firmware/bench/*.c))
FW_PROG_ELFS = $(patsubst firmware/%,$(FW_OUT)/%.elf,$(basename $(FW_PROG_SRCS)))
FW_TEST_ELFS = $(filter $(FW_OUT)/tests/%,$(FW_PROG_ELFS))

FW_ROM       = $(FW_OUT)/rom.bin

firmware: $(FW_LIB) $(FW_CRT0) $(FW_ROM) $(FW_PROG_ELFS)

# Every object depends on this fragment so that a flag change rebuilds everything.
$(FW_OBJ)/%.o: firmware/%.c firmware/firmware.mk
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) -c $< -o $@

$(FW_OBJ)/%.o: firmware/%.S firmware/firmware.mk
	@mkdir -p $(@D)
	$(FW_CC) $(FW_ASFLAGS) -c $< -o $@

$(FW_CRT0): $(FW_OBJ)/libfw/crt0.o
	cp $< $@

$(FW_LIB): $(FW_LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(FW_AR) rcs $@ $^

$(FW_OUT)/%.elf: $(FW_OBJ)/%.o $(FW_CRT0) $(FW_LIB) $(FW_LDS)
	@mkdir -p $(@D)
	$(FW_CC) $(filter-out -MMD -MP,$(FW_CFLAGS)) $(FW_LDFLAGS) -o $@ $(FW_CRT0) $< $(FW_LIB) -lgcc

# The ROM is position-independent data: assemble, then keep the raw .text bytes.
$(FW_ROM): $(FW_OBJ)/rom/rom.o
	$(FW_OBJCOPY) -O binary -j .text $< $@

# Run every firmware test on QEMU (the oracle); outputs go to $(BUILD)/fw-out/qemu.
fw-qemu: firmware
	tests/run-fw-qemu.sh $(BUILD) $(FW_TEST_ELFS)

.PHONY: firmware fw-qemu
.SECONDARY: $(FW_LIB_OBJS) $(patsubst $(FW_OUT)/%.elf,$(FW_OBJ)/%.o,$(FW_PROG_ELFS))

# ---- l1hv: the reference nested hypervisor (docs/l1hv.md) ----------------------------
#   $(BUILD)/fw/l1hv/l1hv.elf                 firmware/l1hv/*.c (+ nest/, radix/ from libfw)
#   $(BUILD)/fw/l1hv/workload-<name>.elf      firmware/l1hv/workloads/<name>.c, and
#                                             workload-isa.elf = tests/isa/arith.elf unmodified
#   $(BUILD)/fw/l1hv/bundle.img               all of them (firmware/l1hv/mkbundle.sh)
L1HV_OUT       = $(FW_OUT)/l1hv
L1HV_SRCS      = $(sort $(wildcard firmware/l1hv/*.c))
L1HV_OBJS      = $(patsubst firmware/%.c,$(FW_OBJ)/%.o,$(L1HV_SRCS))
L1HV_WL_SRCS   = $(sort $(wildcard firmware/l1hv/workloads/*.c))
L1HV_WL_ELFS   = $(patsubst firmware/l1hv/workloads/%.c,$(L1HV_OUT)/workload-%.elf,$(L1HV_WL_SRCS)) \
                 $(L1HV_OUT)/workload-isa.elf
L1HV_ELF       = $(L1HV_OUT)/l1hv.elf
L1HV_BUNDLE    = $(L1HV_OUT)/bundle.img

firmware: $(L1HV_ELF) $(L1HV_WL_ELFS) $(L1HV_BUNDLE)

# --wrap=hcall_ret: l1hv counts every hypercall it makes (NHV-STATS hcalls=).
$(L1HV_ELF): $(L1HV_OBJS) $(FW_CRT0) $(FW_LIB) $(FW_LDS)
	@mkdir -p $(@D)
	$(FW_CC) $(filter-out -MMD -MP,$(FW_CFLAGS)) $(FW_LDFLAGS) -Wl,--wrap=hcall_ret -o $@ $(FW_CRT0) \
	    $(L1HV_OBJS) $(FW_LIB) -lgcc

$(L1HV_OUT)/workload-%.elf: $(FW_OBJ)/l1hv/workloads/%.o $(FW_CRT0) $(FW_LIB) $(FW_LDS)
	@mkdir -p $(@D)
	$(FW_CC) $(filter-out -MMD -MP,$(FW_CFLAGS)) $(FW_LDFLAGS) -o $@ $(FW_CRT0) $< $(FW_LIB) -lgcc

$(L1HV_OUT)/workload-isa.elf: $(FW_OUT)/tests/isa/arith.elf
	@mkdir -p $(@D)
	cp $< $@

$(L1HV_BUNDLE): $(L1HV_ELF) $(L1HV_WL_ELFS) firmware/l1hv/mkbundle.sh
	firmware/l1hv/mkbundle.sh $@ l1hv=$(L1HV_ELF) \
	    $(foreach w,$(L1HV_WL_ELFS),$(patsubst workload-%.elf,%,$(notdir $(w)))=$(w))

.SECONDARY: $(L1HV_OBJS) $(patsubst firmware/%.c,$(FW_OBJ)/%.o,$(L1HV_WL_SRCS))
# ---- end l1hv ------------------------------------------------------------------------
