#!/usr/bin/env bash
# demo.sh BUILD - `nesthv demo` end to end (cli/demo.h): the console passes through with the NHV-STATS
# lines withheld, the per-level table has one row per level, errors name the problem and the fix, and a
# snapshot of a depth-3 demo taken while the nested levels run resumes to the same output.
# Depth 1 needs only the hello workload (BUILD/fw/l1hv/workload-hello.elf); the deeper runs need the l1hv
# hypervisor (BUILD/fw/l1hv/l1hv.elf); each is skipped with a message without them.
# Prints "PASS name" / "FAIL name" / "SKIP name" lines and "N passed, N failed"; exit 0 when none failed.
set -u
BUILD=${1:-build}
NESTHV=$BUILD/nesthv
OUT=$BUILD/test-out/demo
mkdir -p "$OUT"
pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() {
    echo "FAIL $1${2:+: $2}"
    fail=$((fail + 1))
}
console() { sed -n '/^nesthv demo: depth/q;p' "$1" | sed '${/^$/d}'; } # the guests' output, without the table
row() { grep "^L$2 " "$1"; }                                         # one table row
counters() { row "$1" "$2" | sed 's/ *[0-9.n/a-]*%*$//'; }         # ... without the share column

# demo ARGS... -> OUT/NAME.{out,err,rc}
demo() {
    local name=$1
    shift
    "$NESTHV" demo "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" </dev/null
    echo $? >"$OUT/$name.rc"
}

if [ ! -f "$BUILD/fw/l1hv/workload-hello.elf" ] || [ ! -f "$BUILD/fw/rom.bin" ]; then
    echo "SKIP demo tests: $BUILD/fw/l1hv/workload-hello.elf not built (make BUILD=$BUILD firmware)"
    echo "0 passed, 0 failed"
    exit 0
fi

demo depth1 --depth 1
if [ "$(cat "$OUT/depth1.rc")" = 0 ] && grep -q '^hello from L1$' "$OUT/depth1.out" && row "$OUT/depth1.out" 0 >/dev/null &&
    row "$OUT/depth1.out" 1 | grep -q 'workload hello.*100.0%'; then
    ok "depth 1: the workload alone, table of L0 and L1"
else ko "depth 1" "$(cat "$OUT/depth1.err")"; fi

demo badwl --depth 1 --workload no-such
grep -q "no workload 'no-such'.*available: .*hello" "$OUT/badwl.err" && [ "$(cat "$OUT/badwl.rc")" = 1 ] &&
    ok "unknown workload: the available ones listed" || ko "unknown workload" "$(cat "$OUT/badwl.err")"

demo baddir --firmware-dir "$OUT/nowhere"
grep -q "nowhere/rom.bin is missing: build it with \`make firmware\`" "$OUT/baddir.err" &&
    [ "$(cat "$OUT/baddir.rc")" = 1 ] && ok "missing images: the file and the fix named" ||
    ko "missing images" "$(cat "$OUT/baddir.err")"

# A stand-in "hypervisor" that never reports: the hello workload in l1hv.elf's place.
fake=$OUT/fake-fw
rm -rf "$fake"
mkdir -p "$fake/l1hv"
cp "$BUILD/fw/rom.bin" "$fake/"
cp "$BUILD/fw/l1hv/workload-hello.elf" "$fake/l1hv/workload-hello.elf"
cp "$BUILD/fw/l1hv/workload-hello.elf" "$fake/l1hv/l1hv.elf"
cp "$BUILD/fw/l1hv/workload-hello.elf" "$fake/l1hv/bundle.img"
demo nostats --depth 2 --firmware-dir "$fake"
[ "$(cat "$OUT/nostats.rc")" = 4 ] && grep -q 'L1 printed no valid NHV-STATS line' "$OUT/nostats.err" &&
    grep -q '^hello from L1$' "$OUT/nostats.out" && ok "a level without NHV-STATS: exit 4, named" ||
    ko "missing NHV-STATS" "exit $(cat "$OUT/nostats.rc"): $(cat "$OUT/nostats.err")"

# A snapshot of something else than a demo is not resumed as one.
"$NESTHV" run --snapshot-at 1000 "$OUT/plain.snap" "$BUILD/fw/l1hv/workload-hello.elf" >/dev/null 2>&1 </dev/null
demo notdemo --restore "$OUT/plain.snap"
[ "$(cat "$OUT/notdemo.rc")" = 1 ] && grep -q 'not a snapshot of a demo.*nesthv run --restore' "$OUT/notdemo.err" &&
    ok "demo --restore of a plain snapshot: refused, the right command named" ||
    ko "demo --restore of a plain snapshot" "$(cat "$OUT/notdemo.err")"

if [ ! -f "$BUILD/fw/l1hv/l1hv.elf" ]; then
    echo "SKIP deeper demos: $BUILD/fw/l1hv/l1hv.elf not built (make BUILD=$BUILD firmware)"
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit
fi

# Depth 3 with both API settings the issue names.
for api in v1 mixed; do
    demo "d3-$api" --api "$api" --stats
    f=$OUT/d3-$api.out
    if [ "$(cat "$OUT/d3-$api.rc")" != 0 ]; then
        ko "depth 3 --api $api" "exit $(cat "$OUT/d3-$api.rc"): $(tail -n 3 "$OUT/d3-$api.err")"
    elif ! grep -q '^\[L3\] hello from L3$' "$f" || console "$f" | grep -q 'NHV-STATS'; then
        ko "depth 3 --api $api" "workload output missing or NHV-STATS lines not withheld"
    elif ! row "$f" 1 | grep -q 'l1hv' || ! row "$f" 2 | grep -q 'l1hv' || ! row "$f" 3 | grep -q 'workload hello' ||
        row "$f" 4 >/dev/null; then
        ko "depth 3 --api $api" "table rows L0..L3 expected"
    else ok "depth 3 --api $api: [L3] hello, NHV-STATS withheld, rows L0..L3"; fi
done

demo limit --api v1 --max-insns 100000
[ "$(cat "$OUT/limit.rc")" = 3 ] && grep -q 'did not finish within the limit' "$OUT/limit.err" &&
    ok "a stack that does not finish: exit 3 with a message" || ko "limit" "$(cat "$OUT/limit.err")"

# Snapshot of a depth-3 demo mid-run (at 85%: the nested levels run), resumed with `demo --restore`:
# --api v1 (nested v1 state: L1 memory + the partition-table pointer) and --api mixed (L1 uses v2: L0 holds
# its guests' state, hv/snapshot_v2.c).
demo_snapshot() { # api
    local api=$1 total at full post
    total=$(sed -n 's/^  instructions *\([0-9]*\)$/\1/p' "$OUT/d3-$api.err" | tail -n 1)
    [ -n "$total" ] || { ko "demo snapshot --api $api" "no instruction count from the depth-3 run"; return; }
    at=$((total * 85 / 100))
    rm -f "$OUT/demo-$api.snap"
    demo "saving-$api" --api "$api" --snapshot-at "$at" "$OUT/demo-$api.snap"
    demo "resumed-$api" --restore "$OUT/demo-$api.snap"
    full=$(console "$OUT/d3-$api.out")
    post=$(console "$OUT/resumed-$api.out")
    if ! grep -q 'snapshot saved' "$OUT/saving-$api.err"; then
        ko "demo snapshot --api $api" "not saved: $(cat "$OUT/saving-$api.err")"
    elif [ "$(console "$OUT/saving-$api.out")" != "$full" ]; then
        ko "demo snapshot --api $api" "taking it changed the output"
    elif [ "$(cat "$OUT/resumed-$api.rc")" != 0 ] || [ -z "$post" ]; then
        ko "demo snapshot --api $api" "resumed run: exit $(cat "$OUT/resumed-$api.rc"): $(tail -n 3 "$OUT/resumed-$api.err")"
    elif [ "${full: -${#post}}" != "$post" ]; then
        ko "demo snapshot --api $api" "the resumed output is not the rest of the uninterrupted run's"
    elif [ "$(counters "$OUT/resumed-$api.out" 1)" != "$(counters "$OUT/d3-$api.out" 1)" ] ||
        [ "$(counters "$OUT/resumed-$api.out" 2)" != "$(counters "$OUT/d3-$api.out" 2)" ]; then
        # The share column may move: nested guests refault their shadow pages after a restore (README).
        ko "demo snapshot --api $api" "the l1hv levels' counters differ after the restore"
    else
        ok "depth-3 --api $api demo: snapshot asked at $at of $total, taken at $(sed -n \
            's/.*at instruction \([0-9]*\).*/\1/p' "$OUT/saving-$api.err"), resumed to the same output and L1/L2 counters"
    fi
}
demo_snapshot v1
demo_snapshot mixed

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
