#!/usr/bin/env bash
# tests/l1hv/bench.sh BUILD [MAX_DEPTH] [API] - the cost of nesting with l1hv (docs/l1hv.md "Cost by depth"):
# for every depth 1..MAX_DEPTH (the workload's level; 1 = the workload directly on nesthv) run
# workload-hello, and workload-hcall with hcalls=0 and hcalls=256, and print one table row:
# wall seconds and L0 exits of the hello run (nesthv --stats: every "exits" counter of L0's
# L1 vCPU), and the L0 exits and instructions per workload hypercall (the hcall runs' difference / 256).
set -eu
BUILD=${1:-build}
MAX=${2:-12}
API=${3:-v1}   # nesthv.api of every level (auto: v2 toward nesthv's L0, v1 below)
L1HV=$BUILD/fw/l1hv
N=256
run() { # depth workload [args] -> "seconds exits instructions"
    local d=$1 w=$2 a=${3:-} t0 t1 log
    log=$(mktemp)
    t0=$(date +%s.%N)
    if [ "$d" = 1 ]; then
        "$BUILD/nesthv" run -m 4G -M pseries,cap-nested-hv=on -bios "$BUILD/fw/rom.bin" -kernel "$L1HV/workload-$w.elf" \
            -append "nesthv.level=1 $a" --stats >"$log" 2>&1
    else
        "$BUILD/nesthv" run -m 4G -M pseries,cap-nested-hv=on -bios "$BUILD/fw/rom.bin" -kernel "$L1HV/l1hv.elf" \
            -initrd "$L1HV/bundle.img" -append "nesthv.depth=$d nesthv.workload=$w nesthv.api=$API $a" --stats >"$log" 2>&1
    fi
    t1=$(date +%s.%N)
    local exits insns
    exits=$(awk '/^nesthv stats: L1 cpu0/{c=1} /^nesthv stats: nested/{c=0} c && $1=="exits"{s+=$3} END{print s+0}' "$log")
    insns=$(awk '/^nesthv stats: L1 cpu0/{c=1} c && $1=="instructions"{print $2; exit}' "$log")
    echo "$(echo "$t1 - $t0" | bc) $exits $insns"
    rm -f "$log"
}
printf '| depth | hello: seconds | hello: L0 exits | hcall x256: seconds | L0 exits per hcall | instructions per hcall |\n'
printf '|------:|---------------:|----------------:|--------------------:|-------------------:|-----------------------:|\n'
for ((d = 1; d <= MAX; d++)); do
    read -r th eh ih < <(run "$d" hello)
    read -r t0 e0 i0 < <(run "$d" hcall hcalls=0)
    read -r tc ec ic < <(run "$d" hcall hcalls=$N)
    printf '| %d | %.2f | %d | %.2f | %.1f | %d |\n' "$d" "$th" "$eh" "$tc" "$(echo "($ec - $e0) / $N" | bc -l)" \
        $(( (ic - i0) / N ))
done
