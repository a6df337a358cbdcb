# nesthv top-level build.
#
#   make            build the emulator (build/nesthv) and all firmware
#   make demo       install missing packages, build, boot the demo firmware
#   make check      install missing packages, build, run every test; last line "N passed, N failed"
#   make bench      run the benchmarks against QEMU (results: docs/benchmarks.md)
#
# BUILD=dir selects the output directory (several trees can be built side by side);
# SAN=1 builds the host code with AddressSanitizer + UndefinedBehaviorSanitizer.

BUILD    ?= build
SAN      ?= 0
PYTHON   ?= python3

CC       ?= cc
CSTD      = -std=c11 -D_DEFAULT_SOURCE
WARN      = -Wall -Wextra -Werror -Wno-unused-parameter
OPT      ?= -O2 -g
ifeq ($(SAN),1)
OPT       = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDSAN     = -fsanitize=address,undefined
endif
CFLAGS_HOST = $(CSTD) $(WARN) $(OPT) -Iinclude -I. -I$(BUILD)/gen -MMD -MP
LDLIBS_HOST = -lfdt $(LDSAN)

# ---- host: the emulator --------------------------------------------------
LIB_DIRS  = hv cpu cpu/exec mmu machine radix gsb nest
# Everything but cli/main.c goes into libnesthv.a, which the unit tests link against.
LIB_SRCS  = $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)) $(filter-out cli/main.c,$(wildcard cli/*.c))
CLI_SRCS  = cli/main.c
LIB_OBJS  = $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS)) $(BUILD)/obj/gen/decode.o
CLI_OBJS  = $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRCS))
DECODE    = $(sort $(wildcard cpu/*.decode))

all: $(BUILD)/nesthv firmware

$(BUILD)/gen/decode.c $(BUILD)/gen/decode.h: $(DECODE) tools/decodetree.py
	@mkdir -p $(BUILD)/gen
	$(PYTHON) tools/decodetree.py --out-c $(BUILD)/gen/decode.c --out-h $(BUILD)/gen/decode.h $(DECODE)

$(BUILD)/obj/gen/decode.o: $(BUILD)/gen/decode.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_HOST) -c $< -o $@

$(BUILD)/obj/%.o: %.c $(BUILD)/gen/decode.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_HOST) -c $< -o $@

$(BUILD)/libnesthv.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/nesthv: $(CLI_OBJS) $(BUILD)/libnesthv.a
	$(CC) $(OPT) -o $@ $^ $(LDLIBS_HOST)

# ---- host unit tests (cmocka) --------------------------------------------
UNIT_SRCS = $(shell find tests/unit -name 'test_*.c' 2>/dev/null | sort)
UNIT_BINS = $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libnesthv.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_HOST) -Itests -o $@ $< $(BUILD)/libnesthv.a -lcmocka $(LDLIBS_HOST)

unit-bins: $(UNIT_BINS)

# ---- firmware (ppc64le, freestanding) -------------------------------------
include firmware/firmware.mk

# ---- top-level jobs --------------------------------------------------------
deps:
	@mk/deps.sh

demo: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/nesthv run $(BUILD)/fw/demo/hello.elf

check: deps
	@$(MAKE) --no-print-directory all unit-bins
	@$(MAKE) --no-print-directory BUILD=build-san SAN=1 unit-bins
	@tests/run-all.sh $(BUILD) build-san

bench: deps
	@$(MAKE) --no-print-directory all
	bench/run.sh $(BUILD)

clean:
	rm -rf build build-san

.PHONY: all deps demo check bench clean unit-bins firmware
.DELETE_ON_ERROR:

-include $(shell find $(BUILD)/obj $(BUILD)/fw -name '*.d' 2>/dev/null)
