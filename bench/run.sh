#!/usr/bin/env bash
# bench/run.sh BUILD [RUNS] - run every firmware/bench workload on nesthv and on QEMU
# (same ELF, same run), report median host wall time of the whole process, the ratio
# nesthv/QEMU, and nesthv's guest instructions per second.  Prints a markdown table.
set -eu
BUILD=${1:-build}
RUNS=${2:-5}
ROM=$BUILD/fw/rom.bin

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

time_cmd() { # runs "$@" RUNS times, prints the median seconds; fails if the workload fails
    local t0 t1
    for _ in $(seq "$RUNS"); do
        t0=$(now)
        "$@" >/tmp/nesthv-bench.out 2>&1 </dev/null || { cat /tmp/nesthv-bench.out >&2; return 1; }
        grep -q '^EXIT: STATUS=1$' /tmp/nesthv-bench.out || { cat /tmp/nesthv-bench.out >&2; return 1; }
        t1=$(now)
        awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}'
    done | median
}

# QEMU 10 for the v2 (PAPR nested API) workloads; empty if it cannot be fetched (their QEMU column is nan).
QEMU10=$(mk/qemu10.sh 2>/dev/null | tail -1) || QEMU10=

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "Machine: $cpu, $(nproc) CPUs; $(qemu-system-ppc64 --version | head -1); median of $RUNS runs"
echo
echo "| workload | guest insns (nesthv) | nesthv s | QEMU s | nesthv/QEMU time | nesthv MIPS |"
echo "|---|---:|---:|---:|---:|---:|"
for elf in "$BUILD"/fw/bench/*.elf; do
    name=$(basename "$elf" .elf)
    insns=$("$BUILD/nesthv" run -bios "$ROM" -kernel "$elf" --stats 2>&1 >/dev/null </dev/null |
        awk '/^  instructions/ {print $2}')
    tn=$(time_cmd "$BUILD/nesthv" run -bios "$ROM" -kernel "$elf")
    case $name in
    nested_v2_*) # the PAPR nested API: QEMU 10 (mk/qemu10.sh), v2 only (QEMU: the caps exclude each other)
        if [ -n "$QEMU10" ]; then
            tq=$(time_cmd "$QEMU10" -M pseries,cap-nested-papr=on,cap-nested-hv=off -cpu power9 -m 1G -nographic \
                -nodefaults -serial stdio -display none -no-reboot -bios "$ROM" -kernel "$elf")
        else
            tq=nan
        fi ;;
    *)
        tq=$(time_cmd qemu-system-ppc64 -M pseries,cap-nested-hv=on -cpu power9 -m 1G -nographic -nodefaults \
            -serial stdio -display none -no-reboot -bios "$ROM" -kernel "$elf") ;;
    esac
    ratio=$(awk -v a="$tn" -v b="$tq" 'BEGIN {print a / b}')
    mips=$(awk -v n="$insns" -v t="$tn" 'BEGIN {print n / t / 1000000}')
    printf '| %s | %s | %.3f | %.3f | %.2f | %.0f |\n' "$name" "$insns" "$tn" "$tq" "$ratio" "$mips"
done
