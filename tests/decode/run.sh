#!/usr/bin/env bash
# Tests for tools/decodetree.py.
#
#   tests/decode/run.sh            (from anywhere; needs python3 and a C compiler)
#
# - err_*.decode: the generator must fail (exit 1, no output written) with a
#   single "FILE:LINE: error: ..." line containing the text of the
#   "# expect: TEXT" comment on line 1 (and LINE from "# line: N" on line 2).
# - ok_*.decode: each must generate alone and compile warning-free; then all
#   are merged into one decoder, linked with driver_ok.c (which checks decoded
#   handlers and argument values) and run.
# Compilers: $DECODE_CC (space-separated list), else every one of gcc and
# clang that is installed, else cc.
# Last line: "decode: N passed, N failed"; exit status 1 if anything failed.

set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
gen=("$python" "$root/tools/decodetree.py")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

CFLAGS="-std=c11 -Wall -Wextra -Werror -Wno-unused-parameter"
STRICT="-Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wmissing-prototypes \
-Wstrict-prototypes -Wimplicit-fallthrough -Wswitch-default -Wcast-qual -Wundef"

if [ -n "${DECODE_CC:-}" ]; then
    compilers=$DECODE_CC
else
    compilers=""
    for c in gcc clang; do command -v "$c" >/dev/null 2>&1 && compilers="$compilers $c"; done
    [ -n "$compilers" ] || compilers=cc
fi

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# check_error NAME EXPECT LINE_REGEX FILE... : generation must fail as described
check_error() {
    local name=$1 expect=$2 line=$3
    shift 3
    rm -rf "$tmp/err" && mkdir "$tmp/err"
    (cd "$here" && "${gen[@]}" --out-c "$tmp/err/decode.c" --out-h "$tmp/err/decode.h" "$@") \
        >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$? first
    first=$(head -n 1 "$tmp/stderr")
    if [ $rc -ne 1 ]; then
        bad "$name: exit status $rc, expected 1 (stderr: $first)"
    elif [ "$(wc -l <"$tmp/stderr")" -ne 1 ]; then
        bad "$name: expected exactly one line on stderr, got: $(cat "$tmp/stderr")"
    elif ! printf '%s\n' "$first" | grep -Eq "^[^ ]+\.decode:$line: error: "; then
        bad "$name: not a 'FILE:$line: error:' line: $first"
    elif ! printf '%s\n' "$first" | grep -Fq -- "$expect"; then
        bad "$name: expected '$expect' in: $first"
    elif [ -n "$(ls -A "$tmp/err")" ]; then
        bad "$name: output files written despite the error"
    else
        ok
    fi
}

# ---- error cases -----------------------------------------------------------
for f in "$here"/err_*.decode; do
    b=$(basename "$f")
    expect=$(sed -n '1s/^# expect: //p' "$f")
    line=$(sed -n '2s/^# line: //p' "$f")
    if [ -z "$expect" ]; then
        bad "$b: line 1 must be '# expect: TEXT'"
        continue
    fi
    check_error "$b" "$expect" "${line:-[0-9]+}" "$b"
    case "$(head -n 1 "$tmp/stderr")" in "$b:"*) ;; *) bad "$b: error does not name $b" ;; esac
done

# Errors across merged files name the right file.
check_error "cross-file duplicate" "duplicate field %ds (first defined at ok_fields.decode:" \
    "[0-9]+" ok_fields.decode ok_fields.decode
printf '# overlaps ORI in ok_groups.decode\nXORI 011000 11111 rs:5 ui:16\n' >"$tmp/x_overlap.decode"
check_error "cross-file overlap" "pattern XORI overlaps pattern ORI (ok_groups.decode:" 2 \
    ok_groups.decode "$tmp/x_overlap.decode"
case "$(head -n 1 "$tmp/stderr")" in "$tmp/x_overlap.decode:2:"*) ok ;; *) bad "cross-file overlap: wrong file" ;; esac

# Usage errors exit 1.
if "${gen[@]}" --out-c "$tmp/u.c" >/dev/null 2>&1; then bad "missing --out-h accepted"; else
    [ $? -eq 1 ] && ok || bad "usage error: exit status is not 1"
fi

# ---- ok cases, each file alone ----------------------------------------------
# compile_only NAME DIR: decode.c must compile with every compiler, strictly
compile_only() {
    local name=$1 dir=$2 cc
    for cc in $compilers; do
        if "$cc" $CFLAGS $STRICT -I"$here" -c "$dir/decode.c" -o "$dir/decode.o" 2>"$tmp/cc.txt"; then
            ok
        else
            bad "$name: $cc: decode.c does not compile cleanly:"; cat "$tmp/cc.txt"
        fi
    done
}

# generate NAME DIR FILE... : generation must succeed silently
generate() {
    local name=$1 dir=$2
    shift 2
    mkdir -p "$dir"
    if (cd "$here" && "${gen[@]}" --out-c "$dir/decode.c" --out-h "$dir/decode.h" "$@") \
        >"$tmp/stdout" 2>"$tmp/stderr" && [ ! -s "$tmp/stderr" ] && [ -s "$dir/decode.c" ]; then
        ok
        return 0
    fi
    bad "$name: generation failed: $(cat "$tmp/stderr")"
    return 1
}

for f in "$here"/ok_*.decode; do
    b=$(basename "$f" .decode)
    generate "$b" "$tmp/$b" "$b.decode" && compile_only "$b" "$tmp/$b"
done
generate "no input files" "$tmp/empty" && compile_only "no input files" "$tmp/empty"

# ---- all ok files merged, with the driver -----------------------------------
oks=()
for f in "$here"/ok_*.decode; do oks+=("$(basename "$f")"); done
if generate "merged ok_*" "$tmp/all" "${oks[@]}"; then
    generate "merged ok_* (again)" "$tmp/all2" "${oks[@]}"
    if cmp -s "$tmp/all/decode.c" "$tmp/all2/decode.c" && cmp -s "$tmp/all/decode.h" "$tmp/all2/decode.h"; then
        ok
    else
        bad "output is not deterministic"
    fi
    for cc in $compilers; do
        exe="$tmp/all/driver-$cc"
        if ! "$cc" $CFLAGS -I"$tmp/all" -I"$here" -o "$exe" "$tmp/all/decode.c" "$here/driver_ok.c" \
            2>"$tmp/cc.txt"; then
            bad "driver: $cc: build failed:"; cat "$tmp/cc.txt"
            continue
        fi
        "$exe" >"$tmp/driver.txt" 2>&1
        grep '^FAIL' "$tmp/driver.txt" | sed "s/^/$cc: /"
        summary=$(sed -n 's/^driver: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$tmp/driver.txt")
        if [ -z "$summary" ]; then
            bad "driver ($cc) crashed or printed no summary: $(tail -n 3 "$tmp/driver.txt")"
            continue
        fi
        set -- $summary
        pass=$((pass + $1))
        fail=$((fail + $2))
    done
fi

echo "decode: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
