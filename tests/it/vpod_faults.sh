#!/bin/sh
# Faults on demand: every damaged or lost packet is counted exactly, a stall is cleared,
# a device overrun is reported, the 32-bit time and index wrap unnoticed.
set -u
CALFTRACK=${CALFTRACK:-build/calftrack}
CALFTRACK_VPOD=${CALFTRACK_VPOD:-build/calftrack-vpod}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fails=0
check() {
    name=$1; shift
    if "$@"; then echo "PASS: $name"; else echo "FAIL: $name"; fails=$((fails + 1)); fi
}
val() { sed -n "s/^$1: //p" "$d/live"; }
tv() { sed -n "s/^$1 //p" "$d/truth"; }
run() { # fault seconds
    rm -f "$d/r.rec"
    "$CALFTRACK_VPOD" --seed 3 --fault "$1" --truth "$d/truth" --verify "$d/r.rec" -- \
        "$CALFTRACK" record -q -o "$d/r.rec" --seconds "$2" >"$d/live" 2>"$d/err"
    rc=$?
    cat "$d/err"
    check "$1: exit 0" [ "$rc" -eq 0 ]
    check "$1: file holds exactly what the pod sent" grep -q '^verify: identical$' "$d/live"
    "$CALFTRACK" record --verify "$d/r.rec" >"$d/replay"
    check "$1: replay identical to the live run" \
        [ "$(sed -n 's/^digest: //p' "$d/replay")" = "$(val digest)" ]
}

run corrupt=0.02 60
bad=$(( $(tv packets_corrupted) + $(tv packets_truncated) ))
echo "damaged by the link: $bad ($(tv packets_corrupted) corrupted, $(tv packets_truncated) truncated)"
check "corrupt: some packets damaged" [ "$bad" -gt 10 ]
check "corrupt: every damaged packet counted and skipped" [ "$(val bad_packets)" -eq "$bad" ]
check "corrupt: their samples counted as lost" [ "$(val lost_samples)" -eq $((bad * 4)) ]
check "corrupt: received = made - lost" [ "$(val samples)" -eq $(( $(tv samples_made) - bad * 4 )) ]
check "corrupt: no duplicates" [ "$(val duplicates)" -eq 0 ]

run drop=0.02 60
check "drop: every lost packet counted" [ "$(val lost_packets)" -eq "$(tv packets_dropped)" ]
check "drop: their samples counted" [ "$(val lost_samples)" -eq $(( $(tv packets_dropped) * 4 )) ]
check "drop: gaps marked" [ "$(val gaps_marked)" -ge 1 ]

run stall@5 20
check "stall: the pod stalled once" [ "$(tv stalls)" -eq 1 ]
check "stall: cleared once by the host" [ "$(val stalls)" -eq 1 ]
check "stall: nothing lost" [ "$(val lost_samples)$(val lost_packets)" = 00 ]
check "stall: streaming went on after it" [ "$(val samples)" -eq "$(tv samples_made)" ]

run overrun@5 20
check "overrun: reported" [ "$(val overruns)" -eq 1 ]
check "overrun: lost samples counted exactly" [ "$(val lost_samples)" -eq "$(tv overrun_samples)" ]
check "overrun: gap marked" [ "$(val gaps_marked)" -eq 1 ]

run wrap 10
check "wrap: device index crossed 2^32" [ "$(val last_index)" -gt 4294967296 ]
check "wrap: nothing lost" [ "$(val lost_samples)" -eq 0 ]
check "wrap: time and index only go forward" [ "$(val non_monotonic)" -eq 0 ]
check "wrap: 10..13 s of continuous clock" [ "$(val duration_s | cut -d. -f1)" -ge 10 ] && [ "$(val duration_s | cut -d. -f1)" -lt 13 ]
exit $((fails > 0))
