#!/usr/bin/env bash
# tests/l1hv/run.sh BUILD - l1hv, the reference nested hypervisor (docs/l1hv.md), end to end:
# nesthv boots l1hv as L1, which nests copies of itself down to the workload's level.
# One line per check: "PASS <name>" or "FAIL <name>" (+ the log tail); run-all.sh counts them.
#   depth-2/3/5/12   [LN] hello from LN, the checksum of the workload run directly at L1,
#                    one NHV-STATS line per l1hv level whose counts add up, nesthv exits 0
#   api-*            the API each level reports: auto (v2 where offered: nesthv and every l1hv
#                    host it), v1 everywhere, mixed (v2 at odd levels, v1 at even), v2 with the
#                    full write-back, auto on a nesthv without v2 (v1 at L1, v2 below)
#   pagesize-4k/64k  depth 3 with small pages in every level's trees: same output
#   isa-L2/L3/L3-v2  the unmodified ISA test tests/isa/arith.elf as the workload: same output as at L1
#                    (L3 with v1 everywhere, and with v2 everywhere: the lazy v2 write-back)
#   qemu-L2/L3       l1hv as L1 on QEMU 7.2 (cap-nested-hv=on, v1): same lines as on nesthv
#   qemu-isa-L3      the ISA test at L3 on QEMU 7.2: the same output as at L1 on nesthv
#   qemu-regs-L3     the register check at L3 on QEMU 7.2 (L1 v1 upward hosting v2)
#   qemu-irq-L3      run flags at L3 on QEMU 7.2 delivered by L1 (v1 upward): reset, external (not the
#                    doorbell: QEMU 7.2 does not raise the doorbell of an entering L2's DPDES)
#   qemu-smp-L3      -smp 2 on QEMU 7.2: the smp workload's two vCPUs at L3
#   regs-*           the "regs" workload (firmware/l1hv/check.h) sets registers an hcall exit does not
#                    report and SPRs outside hv_guest_state (DAR, DSISR, AMR, DSCR, DEC), the l1hv right
#                    above reads them through its API after the exit and must see them (and set GPR21,
#                    SPRG3 for it): hosted v2 over v2 (stale state fetched on GET) and over v1 (SPRs
#                    switched in the CPU), hosted v1 over v2 (pass-through emulated), v1 everywhere
#   irq-*            the "irq" workload asks the l1hv above for run-flag interrupts (reset, external with
#                    EE off and on, doorbell): taken as the hardware takes them, at L2 and L3, every API mix
#   smp-*            -smp 2: the smp workload's vCPUs each run by one CPU of the l1hv above (and at L3
#                    the L2 l1hv's two vCPUs by L1's two CPUs), each printing "cpu <n> alive" in turn:
#                    the lines of the run at L1 (L2 v1/v2, L3 v1/v2/mixed); hello on 2 vCPUs (L2, L3)
#   errors           bad boot arguments and a missing bundle give a clear message
set -u
BUILD=${1:-build}
OUT=$BUILD/test-out/l1hv
L1HV=$BUILD/fw/l1hv
ROM=$BUILD/fw/rom.bin
TIMEOUT=${L1HV_TIMEOUT:-120}
MEM=${L1HV_MEM:-4G}
mkdir -p "$OUT"

pass() { echo "PASS l1hv:$1"; }
fail() {
    echo "FAIL l1hv:$1${2:+ ($2)}"
    [ -n "${3:-}" ] && [ -f "$3" ] && tail -n 12 "$3" | sed 's/^/    | /'
}

nesthv_run() { # log kernel [initrd] args...
    local log=$1 kernel=$2 initrd=$3; shift 3
    timeout "$TIMEOUT" "$BUILD/nesthv" run ${SMP:+-smp "$SMP"} -m "$MEM" -M "${MACHINE:-pseries,cap-nested-hv=on}" -bios "$ROM" -kernel "$kernel" \
        ${initrd:+-initrd "$initrd"} "$@" --timeout "$TIMEOUT" >"$log" 2>&1 </dev/null
}
l1hv_run() { # log append-args
    nesthv_run "$1" "$L1HV/l1hv.elf" "$L1HV/bundle.img" -append "$2"
}

# What a workload prints at level N, without the level prefixes and the l1hv statistics.
strip_levels() { sed -e 's/^\[L[0-9]*\] //' "$1" | grep -v '^NHV-STATS '; }

# ---- the reference: the workloads run directly at L1 -------------------------------------------
nesthv_run "$OUT/hello-L1.log" "$L1HV/workload-hello.elf" "" -append "nesthv.level=1"
CHECKSUM=$(sed -n 's/^checksum \([0-9a-f]*\)$/\1/p' "$OUT/hello-L1.log")
if [ -n "$CHECKSUM" ] && grep -qx 'hello from L1' "$OUT/hello-L1.log"; then pass hello-L1; else
    fail hello-L1 "the workload alone" "$OUT/hello-L1.log"; fi

# The NHV-STATS line of level k: its counters must add up (exits by reason; handled + reflected).
stats_ok() { # line
    awk '{ for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
           ok = v["exits"] == v["hcall"] + v["hdec"] + v["hdsi"] + v["hisi"] + v["heai"] + v["other"] &&
                v["exits"] == v["handled"] + v["reflected"] && v["exits"] > 0 && v["guest_tb"] > 0
           exit !ok }' <<<"${1#\[L*\] }"
}

check_depth() { # name depth [extra args] [expected apis, e.g. "v2 v1 v1"]
    local name=$1 d=$2 log=$OUT/$1.log rc apis=(${4:-}) line
    l1hv_run "$log" "nesthv.depth=$d ${3:-}"; rc=$?
    local why=""
    grep -qx "\[L$d\] hello from L$d" "$log" || why="no '[L$d] hello from L$d'"
    grep -qx "\[L$d\] checksum $CHECKSUM" "$log" || why="${why:-checksum differs from the L1 run: $CHECKSUM}"
    for ((k = 1; k < d; k++)); do
        local want="NHV-STATS L$k api=${apis[k - 1]:-v[12]} exits="
        [ "$k" -gt 1 ] && want="\[L$k\] $want"
        line=$(grep -E "^$want" "$log")
        if [ -z "$line" ]; then why="${why:-no NHV-STATS line of L$k (api ${apis[k - 1]:-any})}"
        elif ! stats_ok "$line"; then why="${why:-NHV-STATS of L$k do not add up}"; fi
    done
    [ "$rc" -eq 0 ] || why="${why:-nesthv exit $rc}"
    if [ -z "$why" ]; then pass "$name"; else fail "$name" "$why" "$log"; fi
}

check_depth depth-2 2 "" "v2"
check_depth depth-3 3 "" "v2 v2"
check_depth depth-5 5 nesthv.api=v1 "v1 v1 v1 v1"
check_depth pagesize-4k 3 nesthv.pagesize=4k
check_depth pagesize-64k 3 nesthv.pagesize=64k
check_depth api-v2 5 nesthv.api=v2 "v2 v2 v2 v2"
check_depth api-v2-full 3 "nesthv.api=v2 nesthv.v2sync=full" "v2 v2"
check_depth api-mixed 5 nesthv.api=mixed "v2 v1 v2 v1"
# nesthv without the v2 API: L1 falls back to v1; L2 finds v2 hosted by L1
MACHINE=pseries,cap-nested-hv=on,cap-nested-papr=off check_depth api-auto-without-v2 3 "" "v1 v2"
[ "${L1HV_SKIP_DEEP:-0}" = 1 ] && echo "l1hv: depth 12 skipped (L1HV_SKIP_DEEP=1)" ||
    check_depth depth-12 12 nesthv.api=v1

# ---- an unmodified ISA test as the workload ------------------------------------------------------
ISA=$BUILD/fw/tests/isa/arith.elf
nesthv_run "$OUT/isa-L1.log" "$ISA" ""
grep -q '^EXIT: STATUS=1$' "$OUT/isa-L1.log" || fail isa-L1 "arith.elf alone does not pass" "$OUT/isa-L1.log"
for spec in 2:isa-L2: 3:isa-L3:nesthv.api=v1 3:isa-L3-v2:nesthv.api=v2; do
    IFS=: read -r d name api <<<"$spec"
    l1hv_run "$OUT/$name.log" "nesthv.depth=$d nesthv.workload=isa $api"
    if ! grep -q "^\[L$d\] EXIT: STATUS=1$" "$OUT/$name.log"; then
        fail "$name" "no [L$d] EXIT: STATUS=1" "$OUT/$name.log"
    elif ! diff <(strip_levels "$OUT/isa-L1.log") <(strip_levels "$OUT/$name.log") >"$OUT/$name.diff"; then
        fail "$name" "output differs from the L1 run" "$OUT/$name.diff"
    else pass "$name"; fi
done

# ---- the hosted state: what a hypervisor GETs after an exit is what its guest left ----------------
check_regs() { # name depth args
    local name=$1 d=$2 log=$OUT/$1.log rc why=""
    l1hv_run "$log" "nesthv.depth=$d nesthv.workload=regs ${3:-}"; rc=$?
    local host="l1hv L$((d - 1)): check of L$d: all 9 registers as it set them"
    [ "$d" -gt 2 ] && host="[L$((d - 1))] $host"
    grep -qxF "$host" "$log" || why="no '$host'"
    grep -qx "\[L$d\] regs: host saw all" "$log" || why="${why:-no '[L$d] regs: host saw all'}"
    grep -qx "\[L$d\] regs: host set ok" "$log" || why="${why:-no '[L$d] regs: host set ok'}"
    [ "$rc" -eq 0 ] || why="${why:-nesthv exit $rc}"
    if [ -z "$why" ]; then pass "$name"; else fail "$name" "$why" "$log"; fi
}
check_regs regs-L2-v1 2 nesthv.api=v1
check_regs regs-L2-v2 2 nesthv.api=v2
check_regs regs-L3-v2 3 nesthv.api=v2          # L2 GETs from L1's hosted v2, L1 fetches from L0 on demand
check_regs regs-L4-v2 4 nesthv.api=v2          # ... through two hosting levels
check_regs regs-L3-v1 3 nesthv.api=v1
check_regs regs-L3-mixed 3 nesthv.api=mixed    # L1 (v2 upward) hosts v1: DEC/SPR pass-through
MACHINE=pseries,cap-nested-hv=on,cap-nested-papr=off check_regs regs-L3-v1-up 3  # L1 (v1 upward) hosts v2

# ---- run flags: interrupts injected by H_GUEST_RUN_VCPU reach the nested guest as the hardware takes them --
IRQ_LINES='irq: reset taken 1 at 0x100
irq: external with EE=0 taken 0
irq: external with EE=1 taken 1 at 0x500
irq: doorbell taken 0 before EE, 1 at 0xa00 after'
check_irq() { # name depth args
    local name=$1 d=$2 log=$OUT/$1.log rc
    l1hv_run "$log" "nesthv.depth=$d nesthv.workload=irq ${3:-}"; rc=$?
    if ! diff <(echo "$IRQ_LINES" | sed "s/^/[L$d] /") <(grep "^\[L$d\] irq:" "$log") >"$log.diff"; then
        fail "$name" "interrupts taken differ" "$log.diff"
    elif [ "$rc" -ne 0 ]; then fail "$name" "nesthv exit $rc" "$log"
    else pass "$name"; fi
}
check_irq irq-L2-v1 2 nesthv.api=v1           # l1hv delivers them itself (v1 has no run flags)
check_irq irq-L3-v2 3 nesthv.api=v2           # L1 passes L2's flags up to L0
check_irq irq-L3-mixed 3 nesthv.api=mixed
MACHINE=pseries,cap-nested-hv=on,cap-nested-papr=off check_irq irq-L3-v1-up 3    # L1 (v1 upward) delivers L2's

# ---- guests with several vCPUs (nesthv.smp, default: as many as l1hv's own CPUs) ------------------
# The smp workload alone on a 2-CPU nesthv gives the reference lines; under l1hv every vCPU of it is
# run by one CPU of l1hv and prints its line in turn.
SMP=2 nesthv_run "$OUT/smp-L1.log" "$L1HV/workload-smp.elf" "" -append "nesthv.level=1"
grep -v '^hello from' "$OUT/smp-L1.log" | grep -E '^(cpu [0-9]+ alive|smp: .*)$' >"$OUT/smp-L1.lines"
if [ "$(tail -n 1 "$OUT/smp-L1.lines")" = "smp: 2 cpus" ]; then pass smp-L1; else
    fail smp-L1 "the workload alone on -smp 2" "$OUT/smp-L1.log"; fi
check_smp() { # name depth smp args
    local name=$1 d=$2 log=$OUT/$1.log rc why=""
    SMP=$3 l1hv_run "$log" "nesthv.depth=$d nesthv.workload=smp ${4:-}"; rc=$?
    grep -qx "\[L$d\] hello from L$d" "$log" || why="no '[L$d] hello from L$d'"
    diff <(sed "s/^/[L$d] /" "$OUT/smp-L1.lines") <(grep -E "^\[L$d\] (cpu [0-9]+ alive|smp: .*)$" "$log") \
        >"$log.diff" || why="${why:-the lines of the vCPUs differ from the run at L1}"
    local line; line=$(grep -E "^NHV-STATS L1 " "$log")
    stats_ok "$line" || why="${why:-NHV-STATS of L1 do not add up}"
    [ "$rc" -eq 0 ] || why="${why:-nesthv exit $rc}"
    if [ -z "$why" ]; then pass "$name"; else fail "$name" "$why" "$log"; fi
}
check_smp smp-L2-v2 2 2 nesthv.api=v2
check_smp smp-L2-v1 2 2 nesthv.api=v1
check_smp smp-L3-v2 3 2 nesthv.api=v2         # L2 (2 vCPUs) hosts L3's two vCPUs: L1 runs both at once
check_smp smp-L3-v1 3 2 nesthv.api=v1
check_smp smp-L3-mixed 3 2 nesthv.api=mixed
# the hello workload on 2 vCPUs: printed by its boot CPU, the same checksum
SMP=2 check_depth smp-hello-L2 2 "" "v2"
SMP=2 check_depth smp-hello-L3 3 "" "v2 v2"

# ---- clear errors ------------------------------------------------------------------------------------
l1hv_run "$OUT/err-pagesize.log" "nesthv.pagesize=8k"
grep -q '^l1hv L1: error: bad nesthv.pagesize' "$OUT/err-pagesize.log" && pass err-pagesize ||
    fail err-pagesize "no clear error" "$OUT/err-pagesize.log"
nesthv_run "$OUT/err-noinitrd.log" "$L1HV/l1hv.elf" "" -append "nesthv.depth=2"
grep -q '^l1hv L1: error: no initrd' "$OUT/err-noinitrd.log" && pass err-noinitrd ||
    fail err-noinitrd "no clear error" "$OUT/err-noinitrd.log"

# ---- QEMU 7.2 as L0 (v1: cap-nested-hv=on) ---------------------------------------------------------
if command -v qemu-system-ppc64 >/dev/null 2>&1; then
    for d in 2 3; do
        log=$OUT/qemu-L$d.log
        timeout "$TIMEOUT" qemu-system-ppc64 -M pseries,cap-nested-hv=on -cpu power9 -m 2G -nographic -nodefaults \
            -serial stdio -display none -no-reboot -bios "$ROM" -kernel "$L1HV/l1hv.elf" \
            -initrd "$L1HV/bundle.img" -append "nesthv.depth=$d" >"$log" 2>/dev/null </dev/null
        grep '^\[L' "$log" | grep -v 'NHV-STATS' >"$log.lines"
        grep '^\[L' "$OUT/depth-$d.log" | grep -v 'NHV-STATS' >"$OUT/depth-$d.lines"
        if ! grep -qx "\[L$d\] checksum $CHECKSUM" "$log"; then fail "qemu-L$d" "no [L$d] checksum $CHECKSUM" "$log"
        elif ! diff "$OUT/depth-$d.lines" "$log.lines" >"$log.diff"; then fail "qemu-L$d" "differs from nesthv" "$log.diff"
        else pass "qemu-L$d"; fi
    done
    # the ISA test at L3 on QEMU: L1 speaks v1 to QEMU, L2 (auto) v2 to L1
    log=$OUT/qemu-isa-L3.log
    timeout "$TIMEOUT" qemu-system-ppc64 -M pseries,cap-nested-hv=on -cpu power9 -m 2G -nographic -nodefaults \
        -serial stdio -display none -no-reboot -bios "$ROM" -kernel "$L1HV/l1hv.elf" \
        -initrd "$L1HV/bundle.img" -append "nesthv.depth=3 nesthv.workload=isa" >"$log" 2>/dev/null </dev/null
    if ! grep -q '^\[L3\] EXIT: STATUS=1$' "$log"; then fail qemu-isa-L3 "no [L3] EXIT: STATUS=1" "$log"
    elif ! diff <(strip_levels "$OUT/isa-L1.log") <(strip_levels "$log" | grep -v '^qemu-system') >"$log.diff"; then
        fail qemu-isa-L3 "output differs from the nesthv L1 run" "$log.diff"
    else pass qemu-isa-L3; fi
    # the register check at L3 on QEMU: L1 (v1 to QEMU) hosts v2 for L2 and switches DEC/SPRs in the CPU
    log=$OUT/qemu-regs-L3.log
    timeout "$TIMEOUT" qemu-system-ppc64 -M pseries,cap-nested-hv=on -cpu power9 -m 2G -nographic -nodefaults \
        -serial stdio -display none -no-reboot -bios "$ROM" -kernel "$L1HV/l1hv.elf" \
        -initrd "$L1HV/bundle.img" -append "nesthv.depth=3 nesthv.workload=regs" >"$log" 2>/dev/null </dev/null
    if grep -qx '\[L3\] regs: host saw all' "$log" && grep -qx '\[L3\] regs: host set ok' "$log"; then
        pass qemu-regs-L3
    else fail qemu-regs-L3 "the L2 hypervisor did not see / set L3's registers" "$log"; fi
    # run flags at L3 on QEMU: L1 (v1 to QEMU) delivers L2's into L3's state.  QEMU 7.2's H_ENTER_NESTED
    # loads DPDES without raising the doorbell it holds, so the doorbell line is not compared there.
    log=$OUT/qemu-irq-L3.log
    timeout "$TIMEOUT" qemu-system-ppc64 -M pseries,cap-nested-hv=on -cpu power9 -m 2G -nographic -nodefaults \
        -serial stdio -display none -no-reboot -bios "$ROM" -kernel "$L1HV/l1hv.elf" \
        -initrd "$L1HV/bundle.img" -append "nesthv.depth=3 nesthv.workload=irq" >"$log" 2>/dev/null </dev/null
    if diff <(echo "$IRQ_LINES" | grep -v doorbell | sed 's/^/[L3] /') <(grep '^\[L3\] irq:' "$log" | grep -v doorbell) \
        >"$log.diff"; then pass qemu-irq-L3; else fail qemu-irq-L3 "interrupts taken differ" "$log.diff"; fi
    # two vCPUs at L3 on QEMU (MTTCG: the CPUs really run in parallel)
    log=$OUT/qemu-smp-L3.log
    timeout "$TIMEOUT" qemu-system-ppc64 -M pseries,cap-nested-hv=on -cpu power9 -smp 2 -m 2G -nographic -nodefaults \
        -serial stdio -display none -no-reboot -bios "$ROM" -kernel "$L1HV/l1hv.elf" \
        -initrd "$L1HV/bundle.img" -append "nesthv.depth=3 nesthv.workload=smp" >"$log" 2>/dev/null </dev/null
    if diff <(sed "s/^/[L3] /" "$OUT/smp-L1.lines") <(grep -E '^\[L3\] (cpu [0-9]+ alive|smp: .*)$' "$log") >"$log.diff"
    then pass qemu-smp-L3; else fail qemu-smp-L3 "the lines of the vCPUs differ from the run at L1" "$log"; fi
else
    echo "l1hv: qemu-system-ppc64 not installed: the QEMU 7.2 runs are skipped"
fi
