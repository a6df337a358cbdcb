#!/usr/bin/env bash
# mkbundle.sh OUT NAME=FILE... - write an l1hv bundle (format: docs/l1hv.md,
# firmware/l1hv/load.c): "L1HVBNDL", u32 version 1, u32 count, count entries
# {char name[32], u64 offset, u64 size}, then the files at 64-byte aligned
# offsets.  Little-endian numbers.
set -eu
out=$1; shift
count=$#
hdr=$((16 + 48 * count))
align() { echo $(( ($1 + 63) / 64 * 64 )); }
le() { # value bytes -> binary little-endian
    local v=$1 n=$2 i s=""
    for ((i = 0; i < n; i++)); do s+=$(printf '\\x%02x' $(( (v >> (8 * i)) & 255 ))); done
    printf "$s"
}
tmp=$out.tmp
{
    printf 'L1HVBNDL'; le 1 4; le "$count" 4
    off=$(align $hdr)
    for arg in "$@"; do
        name=${arg%%=*} file=${arg#*=}
        [ ${#name} -lt 32 ] || { echo "mkbundle: name too long: $name" >&2; exit 1; }
        size=$(stat -c %s "$file")
        printf '%s' "$name"; head -c $((32 - ${#name})) /dev/zero
        le "$off" 8; le "$size" 8
        off=$(align $((off + size)))
    done
    pos=$hdr
    for arg in "$@"; do
        file=${arg#*=}
        pad=$(( $(align $pos) - pos )); head -c $pad /dev/zero; pos=$((pos + pad))
        cat "$file"; pos=$((pos + $(stat -c %s "$file")))
    done
} >"$tmp"
mv "$tmp" "$out"
