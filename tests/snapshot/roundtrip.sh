#!/usr/bin/env bash
# roundtrip.sh BUILD [TEST...] - machine snapshots on real firmware tests (hv/snapshot.h).
#
# For each firmware test (default: a timer test, PAPR SMP tests, nested v1 and v2 tests):
#   full   = nesthv run T                          the uninterrupted run (and its instruction count)
#   saving = nesthv run T --snapshot-at N F        N = half the count; saves, goes on
#   pre    = nesthv run T --max-insns M            M = where the save really happened (deferred out of an L2)
#   post   = nesthv run --restore F                the resumed run
# and checks: the saving run's console = the uninterrupted one; pre + post = saving run, byte for byte
# (the deterministic clock makes the runs comparable); post exits 0 with "EXIT: STATUS=1".
# Then the refusals: truncated and corrupted files, a mismatching machine option; and Ctrl-A s on a terminal.
# Prints "PASS name" / "FAIL name" lines and "N passed, N failed"; exit status 0 when all passed.
set -u
BUILD=${1:-build}
shift || true
NESTHV=$BUILD/nesthv
ROM=$BUILD/fw/rom.bin
OUT=$BUILD/test-out/snapshot
mkdir -p "$OUT"
pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() {
    echo "FAIL $1${2:+: $2}"
    fail=$((fail + 1))
}

test_args() { # firmware/tests/<area>/<name>.c's declared machine options
    local src=firmware/tests/${1%.elf}.c
    [ -f "$src" ] && head -n 5 "$src" | sed -n 's|.*nesthv-test-args:\(.*\)\*/.*|\1|p' | head -n 1
}

roundtrip() { # rel (area/name.elf)
    local rel=$1 elf=$BUILD/fw/tests/$1 name=${1%.elf}
    local base=$OUT/${name//\//_} args
    args=$(test_args "$rel")
    [ -f "$elf" ] || { echo "SKIP $name: $elf not built (make BUILD=$BUILD firmware)"; return; }
    # shellcheck disable=SC2086
    "$NESTHV" run $args --stats -bios "$ROM" -kernel "$elf" >"$base.full" 2>"$base.full.err" </dev/null
    local total
    total=$(sed -n 's/^nesthv stats: L1 all vCPUs//;s/^  instructions *\([0-9]*\)$/\1/p' "$base.full.err" | tail -n 1)
    [ -n "$total" ] && [ "$total" -gt 2 ] || { ko "$name" "no instruction count from --stats"; return; }
    local at=$((total / 2))
    # shellcheck disable=SC2086
    "$NESTHV" run $args -bios "$ROM" -kernel "$elf" --snapshot-at "$at" "$base.snap" >"$base.saving" \
        2>"$base.saving.err" </dev/null
    local saved
    saved=$(sed -n 's/^nesthv: snapshot saved to .* at instruction \([0-9]*\).*/\1/p' "$base.saving.err")
    [ -n "$saved" ] || { ko "$name" "no snapshot taken: $(head -c 300 "$base.saving.err")"; return; }
    cmp -s "$base.full" "$base.saving" || { ko "$name" "taking the snapshot changed the output"; return; }
    # shellcheck disable=SC2086
    "$NESTHV" run $args -bios "$ROM" -kernel "$elf" --max-insns "$saved" >"$base.pre" 2>/dev/null </dev/null
    "$NESTHV" run --restore "$base.snap" >"$base.post" 2>"$base.post.err" </dev/null
    local rc=$?
    [ "$rc" = 0 ] || { ko "$name" "restored run exit $rc: $(head -c 300 "$base.post.err")"; return; }
    grep -q '^EXIT: STATUS=1$' "$base.post" || { ko "$name" "restored run did not pass"; return; }
    if cat "$base.pre" "$base.post" | cmp -s - "$base.saving"; then
        ok "$name (saved at $saved of $total, asked $at; $(wc -l <"$base.post") lines after)"
    else
        ko "$name" "output before + after the snapshot differs from the uninterrupted run (see $base.*)"
    fi
}

refusals() { # a good snapshot file -> every damaged form refused before loading
    local snap=$1 bad=$OUT/bad.snap size
    size=$(stat -c %s "$snap")
    local cuts=(1 7 8 23 24 100 $((size / 2)) $((size - 17)) $((size - 1)))
    local n_ok=0 n=0 c
    for c in "${cuts[@]}"; do
        n=$((n + 1))
        head -c "$c" "$snap" >"$bad"
        "$NESTHV" run --restore "$bad" >"$OUT/bad.out" 2>"$OUT/bad.err" </dev/null
        if [ $? = 1 ] && grep -q 'nothing was loaded' "$OUT/bad.err" && [ ! -s "$OUT/bad.out" ]; then
            n_ok=$((n_ok + 1))
        else echo "    truncated to $c bytes: not refused: $(cat "$OUT/bad.err")"; fi
    done
    [ "$n_ok" = "$n" ] && ok "truncated snapshots refused ($n lengths)" || ko "truncated snapshots" "$n_ok of $n refused"
    n_ok=0 n=0
    for off in 0 9 13 17 30 60 $((size / 3)) $((size - 10)) $((size - 5)); do
        n=$((n + 1))
        cp "$snap" "$bad"
        printf '\xa5' | dd of="$bad" bs=1 seek="$off" conv=notrunc status=none
        cmp -s "$snap" "$bad" && { printf '\x5a' | dd of="$bad" bs=1 seek="$off" conv=notrunc status=none; }
        "$NESTHV" run --restore "$bad" >"$OUT/bad.out" 2>"$OUT/bad.err" </dev/null
        if [ $? = 1 ] && grep -q 'nothing was loaded' "$OUT/bad.err" && [ ! -s "$OUT/bad.out" ]; then
            n_ok=$((n_ok + 1))
        else echo "    byte $off changed: not refused: $(cat "$OUT/bad.err")"; fi
    done
    [ "$n_ok" = "$n" ] && ok "corrupted snapshots refused ($n offsets)" || ko "corrupted snapshots" "$n_ok of $n refused"
    "$NESTHV" run --restore "$snap" -m 2G >"$OUT/bad.out" 2>"$OUT/bad.err" </dev/null
    if [ $? = 1 ] && grep -q -- '-m: 2048 MiB given, the snapshot has' "$OUT/bad.err"; then
        ok "mismatching -m refused"
    else ko "mismatching -m" "$(cat "$OUT/bad.err")"; fi
    "$NESTHV" run --restore "$snap" -kernel x.elf >"$OUT/bad.out" 2>"$OUT/bad.err" </dev/null
    [ $? = 1 ] && grep -q 'leave out' "$OUT/bad.err" && ok "--restore with -kernel refused" || ko "--restore with -kernel"
}

# Ctrl-A s on a terminal (a pseudo-terminal from python3's pty): saved, and the run goes on to pass.
console_key() {
    local snap=$OUT/key.snap elf=$BUILD/fw/tests/papr/cede.elf
    command -v python3 >/dev/null || { echo "SKIP console key: python3 missing"; return; }
    # A chroot or container without /dev/pts has no pseudo-terminals: nothing to test the key on.
    python3 -c 'import os; os.close(os.openpty()[0])' 2>/dev/null ||
        { echo "SKIP console key: no pseudo-terminal available (mount devpts on /dev/pts)"; return; }
    rm -f "$snap"
    python3 - "$NESTHV" "$ROM" "$elf" "$snap" >"$OUT/key.out" 2>&1 <<'PY'
import os, pty, sys
nesthv, rom, elf, snap = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(nesthv, [nesthv, "run", "-smp", "2", "-bios", rom, "-kernel", elf, "--snapshot-file", snap])
# Typed at once: the terminal holds the line until nesthv first looks (after 2^22 instructions; the
# test runs ten times longer), so nothing here depends on timing.
os.write(fd, b"\x01s\n")
out = b""
while True:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.WEXITSTATUS(status))
PY
    local rc=$?
    if [ "$rc" = 0 ] && grep -q "snapshot saved to $snap" "$OUT/key.out" && grep -q '^EXIT: STATUS=1' "$OUT/key.out" &&
        [ -s "$snap" ] && "$NESTHV" run --restore "$snap" </dev/null | grep -q '^EXIT: STATUS=1$'; then
        ok "Ctrl-A s on a terminal saves; the saved machine resumes and passes"
    else ko "console key" "exit $rc: $(tail -n 5 "$OUT/key.out")"; fi
}

if [ $# -eq 0 ]; then
    set -- basic/dec.elf papr/cede.elf papr/smp_ipi.elf papr/vpa.elf papr/xics.elf papr/tod.elf \
        nested/exits.elf nested/faults.elf nested/smp.elf nested/tb.elf \
        nested_v2/guests.elf nested_v2/lazy.elf nested_v2/roundtrip.elf nested_v2/exits.elf
fi
for t in "$@"; do roundtrip "$t"; done
first=$OUT/basic_dec.snap
[ -f "$first" ] && refusals "$first"
[ -f "$BUILD/fw/tests/papr/cede.elf" ] && console_key
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
