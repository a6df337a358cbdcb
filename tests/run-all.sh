#!/usr/bin/env bash
# run-all.sh BUILD SAN_BUILD - every nesthv test, ending with one line "N passed, N failed".
#
#   1. the decoder generator's own tests (tests/decode/run.sh)
#   2. host unit tests (cmocka) from BUILD
#   3. every firmware test ELF under nesthv: passes when it prints "EXIT: STATUS=1"
#      and nesthv exits 0 (power-off)
#   4. the same ELFs on QEMU (qemu-system-ppc64 -M pseries), when installed: the console
#      output must equal nesthv's.  A known QEMU 7.2 bug is declared next to the test as
#      <test>.qemu-diff: the expected `diff qemu nesthv` output, reasons in '#' lines.
#   A test may declare machine options for both runs in a comment within its first 5 lines:
#      /* nesthv-test-args: -smp 4 */
#   4b. the PAPR nested API v2 tests (fw/tests/nested_v2/) are not run on QEMU 7.2 (no v2 there) but,
#      when mk/qemu10.sh has fetched it (.oracle/qemu10), on QEMU 10 with -M pseries,cap-nested-papr=on,
#      outputs diffed the same way; a documented QEMU 10 bug is <test>.qemu10-diff.  A v2 test that
#      checks nesthv-only behaviour opts out with "/* nesthv-qemu10: skip <reason> */" (first 5 lines).
#   5. host unit tests again from SAN_BUILD (AddressSanitizer + UBSan)
#      (before it: snapshot round trips on firmware tests and `nesthv demo`, tests/snapshot/ and tests/demo/)
#   6. a bounded libFuzzer run of every fuzz target (BUILD/fuzz/fuzz_*)
# Outputs go to BUILD/test-out/; a failing item prints its log tail.
set -u
BUILD=${1:-build}
SAN=${2:-build-san}
OUT=$BUILD/test-out
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
FW_TIMEOUT=${FW_TIMEOUT:-120}
rm -rf "$OUT"
mkdir -p "$OUT"
pass=0
fail=0
failed_names=()

ok() { pass=$((pass + 1)); }
ko() {
    fail=$((fail + 1))
    failed_names+=("$1")
    echo "FAIL $1"
    [ -n "${2:-}" ] && [ -f "$2" ] && tail -n 15 "$2" | sed 's/^/    | /'
}

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)" per binary.
run_unit_dir() {
    local dir=$1 label=$2
    [ -d "$dir" ] || return 0
    while IFS= read -r bin; do
        local name=${bin#"$dir"/} log="$OUT/$label-${bin//\//_}.log"
        if "$bin" >"$log" 2>&1; then rc=0; else rc=$?; fi
        local p f
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        pass=$((pass + ${p:-0}))
        if [ "${f:-0}" -gt 0 ] || [ "$rc" -ne 0 ]; then
            fail=$((fail + ${f:-1}))
            failed_names+=("$label:$name")
            echo "FAIL $label:$name"
            grep -E '^\[  (FAILED|ERROR) *\]|ERROR|runtime error|Sanitizer' "$log" | head -n 10 | sed 's/^/    | /'
        fi
    done < <(find "$dir" -type f -perm -u+x | sort)
}

echo "== decoder generator"
if bash tests/decode/run.sh >"$OUT/decode.log" 2>&1; then ok; else ko decode "$OUT/decode.log"; fi

echo "== host unit tests"
run_unit_dir "$BUILD/tests/unit" unit

echo "== firmware tests on nesthv"
mapfile -t ELFS < <(find "$BUILD/fw/tests" -name '*.elf' 2>/dev/null | sort)
ROM=$BUILD/fw/rom.bin
test_args() { # rel (area/name.elf) -> the test's declared machine options
    local src
    for src in "firmware/tests/${1%.elf}.c" "firmware/tests/${1%.elf}.S"; do
        [ -f "$src" ] && head -n 5 "$src" | sed -n 's|.*nesthv-test-args:\(.*\)\*/.*|\1|p' | head -n 1 && return
    done
}
run_fw() { # elf -> writes OUT/fw/<rel>.{out,rc}
    local elf=$1 rel=${1#"$BUILD/fw/tests/"}
    local base=$OUT/nesthv/${rel%.elf}
    mkdir -p "$(dirname "$base")"
    # shellcheck disable=SC2046
    timeout "$FW_TIMEOUT" "$BUILD/nesthv" run $(test_args "$rel") -bios "$ROM" -kernel "$elf" \
        --timeout "$FW_TIMEOUT" >"$base.out" 2>"$base.err" </dev/null
    echo $? >"$base.rc"
}
run_qemu() {
    local elf=$1 rel=${1#"$BUILD/fw/tests/"}
    local base=$OUT/qemu/${rel%.elf}
    mkdir -p "$(dirname "$base")"
    # shellcheck disable=SC2046
    timeout "$FW_TIMEOUT" qemu-system-ppc64 -M pseries -cpu power9 -m 1G -nographic -nodefaults \
        -serial stdio -display none -no-reboot -object rng-builtin,id=rng0 -device spapr-rng,rng=rng0 \
        $(test_args "$rel") -bios "$ROM" -kernel "$elf" >"$base.out" 2>"$base.err" </dev/null
    echo $? >"$base.rc"
}
export -f run_fw run_qemu test_args
export BUILD OUT ROM FW_TIMEOUT
printf '%s\n' "${ELFS[@]}" | grep . | xargs -r -P "$JOBS" -I{} bash -c 'run_fw "$1"' _ {}
for elf in "${ELFS[@]}"; do
    rel=${elf#"$BUILD/fw/tests/"}
    base=$OUT/nesthv/${rel%.elf}
    if [ "$(cat "$base.rc")" = 0 ] && grep -q '^EXIT: STATUS=1$' "$base.out"; then ok; else
        cat "$base.err" >>"$base.out"
        ko "nesthv:${rel%.elf} (exit $(cat "$base.rc"))" "$base.out"
    fi
done

echo "== firmware tests on QEMU (differential)"
# The nested v2 tests have their own oracle, QEMU 10 (below): QEMU 7.2 has no v2 API.
mapfile -t ELFS_Q72 < <(printf '%s\n' "${ELFS[@]}" | grep . | grep -v "/fw/tests/nested_v2/")
if command -v qemu-system-ppc64 >/dev/null 2>&1; then
    # stderr of the wrapper shell dropped: a test that makes QEMU abort (documented in its .qemu-diff)
    # would otherwise print bash's "Aborted" job message here; the outputs are in the files.
    printf '%s\n' "${ELFS_Q72[@]}" | grep . | xargs -r -P "$JOBS" -I{} bash -c 'run_qemu "$1"' _ {} 2>/dev/null
    for elf in "${ELFS_Q72[@]}"; do
        rel=${elf#"$BUILD/fw/tests/"}
        name=${rel%.elf}
        diff "$OUT/qemu/$name.out" "$OUT/nesthv/$name.out" >"$OUT/qemu/$name.diff" 2>&1
        expected=firmware/tests/$name.qemu-diff
        if [ -f "$expected" ]; then
            if diff <(grep -v '^#' "$expected") "$OUT/qemu/$name.diff" >/dev/null; then ok; else
                ko "qemu-diff:$name (differs from the documented $expected)" "$OUT/qemu/$name.diff"
            fi
        elif [ -s "$OUT/qemu/$name.diff" ]; then
            ko "qemu-diff:$name (QEMU and nesthv outputs differ)" "$OUT/qemu/$name.diff"
        else ok; fi
    done
else
    echo "qemu-system-ppc64 not installed: differential runs skipped (apt-get install qemu-system-ppc)"
fi

# ---- QEMU 10: the oracle of the PAPR nested API v2 tests (owner: v2tests) ----------------------------
echo "== nested v2 tests on QEMU 10 (differential)"
QEMU10=${QEMU10:-.oracle/qemu10/qemu-system-ppc64}
mapfile -t ELFS_V2 < <(printf '%s\n' "${ELFS[@]}" | grep . | grep "/fw/tests/nested_v2/")
qemu10_skip() { # rel -> the reason a v2 test declares for not running on QEMU 10, or nothing
    head -n 5 "firmware/tests/${1%.elf}.c" 2>/dev/null | sed -n 's|.*nesthv-qemu10: *skip *\(.*\)\*/.*|\1|p' | head -n 1
}
run_qemu10() {
    local elf=$1 rel=${1#"$BUILD/fw/tests/"}
    local base=$OUT/qemu10/${rel%.elf}
    mkdir -p "$(dirname "$base")"
    # shellcheck disable=SC2046
    timeout "$FW_TIMEOUT" "$QEMU10" -M pseries,cap-nested-papr=on -cpu power9 -m 1G -nographic -nodefaults \
        -serial stdio -display none -no-reboot -object rng-builtin,id=rng0 -device spapr-rng,rng=rng0 \
        $(test_args "$rel") -bios "$ROM" -kernel "$elf" 2>"$base.err" </dev/null | tr -d '\r' >"$base.out"
    echo "${PIPESTATUS[0]}" >"$base.rc"
}
export -f run_qemu10 qemu10_skip
export QEMU10
if [ "${#ELFS_V2[@]}" -eq 0 ]; then
    echo "no nested v2 tests built"
elif [ ! -x "$QEMU10" ]; then
    echo "QEMU 10 not fetched ($QEMU10 missing; run mk/qemu10.sh): v2 oracle comparisons skipped"
else
    todo=()
    for elf in "${ELFS_V2[@]}"; do
        rel=${elf#"$BUILD/fw/tests/"}
        why=$(qemu10_skip "$rel")
        if [ -n "$why" ]; then echo "skip qemu10:${rel%.elf}: $why"; else todo+=("$elf"); fi
    done
    printf '%s\n' "${todo[@]}" | grep . | xargs -r -P "$JOBS" -I{} bash -c 'run_qemu10 "$1"' _ {} 2>/dev/null
    for elf in "${todo[@]}"; do
        rel=${elf#"$BUILD/fw/tests/"}
        name=${rel%.elf}
        diff "$OUT/qemu10/$name.out" "$OUT/nesthv/$name.out" >"$OUT/qemu10/$name.diff" 2>&1
        expected=firmware/tests/$name.qemu10-diff
        if [ -f "$expected" ]; then
            if diff <(grep -v '^#' "$expected") "$OUT/qemu10/$name.diff" >/dev/null; then ok; else
                ko "qemu10-diff:$name (differs from the documented $expected)" "$OUT/qemu10/$name.diff"
            fi
        elif [ -s "$OUT/qemu10/$name.diff" ]; then
            ko "qemu10-diff:$name (QEMU 10 and nesthv outputs differ)" "$OUT/qemu10/$name.diff"
        else ok; fi
    done
fi
# ---- end QEMU 10 ------------------------------------------------------------------------------------

# ---- snapshots and nesthv demo (owner: demo; tests/snapshot/, tests/demo/) ----
echo "== snapshots and nesthv demo"
for t in tests/snapshot/roundtrip.sh tests/demo/demo.sh; do
    log=$OUT/$(basename "$(dirname "$t")").log
    bash "$t" "$BUILD" >"$log" 2>&1
    p=$(grep -c '^PASS ' "$log")
    f=$(grep -c '^FAIL ' "$log")
    pass=$((pass + p))
    if [ "$f" -gt 0 ] || ! tail -n 1 "$log" | grep -q ' passed, 0 failed$'; then
        fail=$((fail + (f > 0 ? f : 1)))
        failed_names+=("$t")
        echo "FAIL $t"
        grep '^FAIL ' "$log" | sed 's/^/    | /'
    fi
    grep '^SKIP ' "$log" | sed 's/^/    /'
done
# ---- end snapshots and nesthv demo ----

echo "== host unit tests under ASan+UBSan"
run_unit_dir "$SAN/tests/unit" asan

echo "== fuzz smoke (libFuzzer, ${FUZZ_SMOKE_SECONDS:-10} s per target)"
for fz in "$BUILD"/fuzz/fuzz_*; do
    case "$fz" in *_seeds) continue ;; esac
    [ -x "$fz" ] || continue
    fz=$(cd "$(dirname "$fz")" && pwd)/$(basename "$fz")   # the run happens in its work directory
    name=$(basename "$fz")
    work=$OUT/$name
    mkdir -p "$work/corpus" "$work/seeds"
    [ -x "${fz}_seeds" ] && "${fz}_seeds" "$work" >/dev/null 2>&1   # writes $work/seeds/*
    if (cd "$work" && "$fz" -max_total_time="${FUZZ_SMOKE_SECONDS:-10}" -max_len=4096 -artifact_prefix=./ \
            corpus seeds >log 2>&1); then ok; else ko "fuzz:$name" "$work/log"; fi
done

# ---- l1hv block (owner: l1hv): the reference nested hypervisor, tests/l1hv/run.sh ----
echo "== l1hv: nested hypervisor at depths 2..12, ISA test as a nested workload, QEMU 7.2 as L0"
while IFS= read -r line; do
    case "$line" in
    "PASS "*) ok ;;
    "FAIL "*) fail=$((fail + 1)); failed_names+=("${line#FAIL }"); echo "$line" ;;
    *) echo "$line" ;;
    esac
done < <(bash tests/l1hv/run.sh "$BUILD" 2>&1)
# ---- end l1hv block ----

echo
if [ "$fail" -gt 0 ]; then
    echo "failed:"
    printf '  %s\n' "${failed_names[@]}"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
