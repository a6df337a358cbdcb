# nesthv top-level build.
#
#   make            build the emulator (build/nesthv) and all firmware
#   make demo       install missing packages, build, run `nesthv demo` (l1hv nested to depth 3, table)
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

# ---- fuzzing gsb/ (owner: gsb) ------------------------------------------------
# libFuzzer + ASan + UBSan; clang only; not part of `make check`.
#   make fuzz              build, then fuzz for FUZZ_SECONDS (default 60)
#   make fuzz-smoke        the same for 10 s (CI)
# The corpus grows in $(BUILD)/fuzz/corpus-gsb; seeds and a dictionary are
# generated from the element table by tests/fuzz/fuzz_gsb_seeds.c.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 1
FUZZ_CFLAGS   = -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -g -O1 -Iinclude -I. \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_GSB_DEPS = $(wildcard gsb/*.c gsb/*.h) include/ppc/gsb_ids.h
FUZZ_DIR      = $(BUILD)/fuzz

$(FUZZ_DIR)/fuzz_gsb: tests/fuzz/fuzz_gsb.c $(FUZZ_GSB_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(wildcard gsb/*.c)

$(FUZZ_DIR)/fuzz_gsb_seeds: tests/fuzz/fuzz_gsb_seeds.c $(FUZZ_GSB_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O1 -Iinclude -I. -o $@ $< $(wildcard gsb/*.c)

# Runs inside $(FUZZ_DIR): with FUZZ_JOBS > 1 libFuzzer writes fuzz-N.log to its cwd.
fuzz: $(FUZZ_DIR)/fuzz_gsb $(FUZZ_DIR)/fuzz_gsb_seeds
	@mkdir -p $(FUZZ_DIR)/corpus-gsb $(FUZZ_DIR)/gsb/seeds
	$(FUZZ_DIR)/fuzz_gsb_seeds $(FUZZ_DIR)/gsb
	cd $(FUZZ_DIR) && ./fuzz_gsb -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	    $(if $(filter-out 1,$(FUZZ_JOBS)),-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS)) \
	    -dict=gsb/gsb.dict -print_final_stats=1 -artifact_prefix=./ corpus-gsb gsb/seeds

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=10 FUZZ_JOBS=1

# make check runs a bounded smoke run of every fuzz target (tests/run-all.sh).
fuzz-bins: $(FUZZ_DIR)/fuzz_gsb $(FUZZ_DIR)/fuzz_gsb_seeds

.PHONY: fuzz fuzz-smoke fuzz-bins
# ---- end fuzzing ----------------------------------------------------------------

# ---- firmware (ppc64le, freestanding) -------------------------------------
include firmware/firmware.mk

# ---- top-level jobs --------------------------------------------------------
deps:
	@mk/deps.sh

# The reference nested stack (cli/demo.h): l1hv as L1 nested down to L3 (v2 and v1 at alternate levels),
# then the per-level table.  Without l1hv built, the plain hello boot.
demo: deps
	@$(MAKE) --no-print-directory all
	@if [ -f $(BUILD)/fw/l1hv/l1hv.elf ] && [ -f $(BUILD)/fw/l1hv/bundle.img ]; then \
	    echo "$(BUILD)/nesthv demo --depth 3 --api mixed"; $(BUILD)/nesthv demo --depth 3 --api mixed; \
	else \
	    echo "make demo: $(BUILD)/fw/l1hv/l1hv.elf is not built: booting the hello firmware instead"; \
	    $(BUILD)/nesthv run $(BUILD)/fw/demo/hello.elf; \
	fi

check: deps
	@$(MAKE) --no-print-directory all unit-bins
	@$(MAKE) --no-print-directory BUILD=build-san SAN=1 unit-bins
	@$(MAKE) --no-print-directory fuzz-bins
	@tests/run-all.sh $(BUILD) build-san

bench: deps
	@$(MAKE) --no-print-directory all
	bench/run.sh $(BUILD)

clean:
	rm -rf build build-san

.PHONY: all deps demo check bench clean unit-bins firmware
.DELETE_ON_ERROR:

-include $(shell find $(BUILD)/obj $(BUILD)/fw $(BUILD)/tests -name '*.d' 2>/dev/null)
