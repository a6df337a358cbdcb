#!/bin/sh
# run-fw-qemu.sh BUILD_DIR [ELF...] - run firmware test programs on QEMU, the
# independent oracle, and judge them by their "EXIT: STATUS=<n>" line
# (n = (code << 1) | 1, so STATUS=1 means the program returned 0).
#
# With no ELF arguments every BUILD_DIR/fw/tests/<area>/<name>.elf is run.
# Prints "PASS <area>/<name>" or "FAIL <area>/<name> (reason)" per program and
# a final "N passed, N failed" line; exits non-zero if anything failed.
# The console output of each run is saved, CRs stripped, as
# BUILD_DIR/fw-out/qemu/<area>/<name>.txt (QEMU's own messages go to stderr
# and are not part of it).
#
# Environment: QEMU (default qemu-system-ppc64), FW_TIMEOUT seconds per
# program (default 60).
#
# The PAPR nested API v2 tests (<area> nested_v2) run on QEMU 10 instead
# (QEMU10, default .oracle/qemu10/qemu-system-ppc64 from mk/qemu10.sh) with
# -M pseries,cap-nested-papr=on, and are skipped with a message when it is
# absent: QEMU 7.2 has no v2 API.
set -u

if [ $# -lt 1 ]; then
    echo "usage: $0 BUILD_DIR [ELF...]" >&2
    exit 2
fi
build=$1
shift
qemu=${QEMU:-qemu-system-ppc64}
qemu10=${QEMU10:-.oracle/qemu10/qemu-system-ppc64}
limit=${FW_TIMEOUT:-60}
rom=$build/fw/rom.bin
outdir=$build/fw-out/qemu

if ! command -v "$qemu" >/dev/null 2>&1; then
    echo "run-fw-qemu: $qemu not found (make deps installs qemu-system-ppc)" >&2
    exit 2
fi
if [ ! -f "$rom" ]; then
    echo "run-fw-qemu: $rom missing (make BUILD=$build firmware)" >&2
    exit 2
fi
if [ $# -eq 0 ]; then
    set -- $(find "$build/fw/tests" -name '*.elf' 2>/dev/null | sort)
fi

errfile=$(mktemp)
rawfile=$(mktemp)
trap 'rm -f "$errfile" "$rawfile"' EXIT INT TERM

# test_args AREA NAME: the machine options a test declares in its first lines
# ("/* nesthv-test-args: -smp 4 */"), as tests/run-all.sh reads them.
test_args() {
    local src
    for src in "firmware/tests/$1/$2.c" "firmware/tests/$1/$2.S"; do
        [ -f "$src" ] && head -n 5 "$src" | sed -n 's|.*nesthv-test-args:\(.*\)\*/.*|\1|p' | head -n 1 && return
    done
}

# run_one ELF TXT AREA NAME: boot ELF, console output (CRs stripped) to TXT;
# returns QEMU's exit status (124/137 when timeout stopped it).
run_one() {
    # ---- QEMU 10 for the nested v2 tests (owner: v2tests) ----
    local q=$qemu machine=pseries
    if [ "$3" = nested_v2 ]; then
        q=$qemu10
        machine=pseries,cap-nested-papr=on
    fi
    # ---- end QEMU 10 ----
    # shellcheck disable=SC2046
    timeout -k 5 "$limit" "$q" -M "$machine" -cpu power9 -m 1G -nographic -nodefaults \
        -serial stdio -display none -no-reboot -object rng-builtin,id=rng0 -device spapr-rng,rng=rng0 \
        $(test_args "$3" "$4") -bios "$rom" -kernel "$1" \
        </dev/null >"$rawfile" 2>"$errfile"
    rc=$?
    tr -d '\r' <"$rawfile" >"$2"
    return $rc
}

# verdict TXT RC: prints "" for a pass, else the reason.
verdict() {
    status=$(sed -n 's/^EXIT: STATUS=\([0-9-]*\)$/\1/p' "$1" | tail -n 1)
    if [ "$2" -eq 124 ] || [ "$2" -eq 137 ]; then
        echo "timeout after ${limit}s"
    elif [ -z "$status" ]; then
        echo "no EXIT line, qemu exit $2: $(tail -n 1 "$errfile")"
    elif [ "$status" != 1 ]; then
        first=$(grep -m 1 -E '^FAIL |interrupt 0x' "$1")
        echo "STATUS=$status${first:+: $first}"
    fi
}

pass=0
fail=0
for elf in "$@"; do
    area=$(basename "$(dirname "$elf")")
    name=$(basename "$elf" .elf)
    if [ "$area" = nested_v2 ] && [ ! -x "$qemu10" ]; then
        echo "SKIP $area/$name (QEMU 10 not fetched: run mk/qemu10.sh)"
        continue
    fi
    mkdir -p "$outdir/$area"
    txt=$outdir/$area/$name.txt
    run_one "$elf" "$txt" "$area" "$name"
    rc=$?
    reason=$(verdict "$txt" "$rc")
    if [ -z "$reason" ]; then
        echo "PASS $area/$name"
        pass=$((pass + 1))
    else
        echo "FAIL $area/$name ($reason)"
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
