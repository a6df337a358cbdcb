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
#   5. host unit tests again from SAN_BUILD (AddressSanitizer + UBSan)
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
if command -v qemu-system-ppc64 >/dev/null 2>&1; then
    # stderr of the wrapper shell dropped: a test that makes QEMU abort (documented in its .qemu-diff)
    # would otherwise print bash's "Aborted" job message here; the outputs are in the files.
    printf '%s\n' "${ELFS[@]}" | grep . | xargs -r -P "$JOBS" -I{} bash -c 'run_qemu "$1"' _ {} 2>/dev/null
    for elf in "${ELFS[@]}"; do
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

echo
if [ "$fail" -gt 0 ]; then
    echo "failed:"
    printf '  %s\n' "${failed_names[@]}"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
