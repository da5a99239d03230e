#!/bin/sh
# The virtual pod streams 10 simulated minutes at 833 Hz through libusb into a
# recording: nothing lost, the file byte-identical to what the pod sent, its replay
# identical to the live run; then a short run paced to real time.
set -u
CALFTRACK=${CALFTRACK:-build/calftrack}
CALFTRACK_VPOD=${CALFTRACK_VPOD:-build/calftrack-vpod}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fails=0
check() { # name condition...
    name=$1; shift
    if "$@"; then echo "PASS: $name"; else echo "FAIL: $name"; fails=$((fails + 1)); fi
}
val() { sed -n "s/^$1: //p" "$2"; }
tv() { sed -n "s/^$1 //p" "$d/truth"; }

"$CALFTRACK_VPOD" --seed 7 --truth "$d/truth" --verify "$d/ten.rec" -- \
    "$CALFTRACK" record -q -o "$d/ten.rec" --seconds 600 >"$d/live" 2>"$d/err"
rc=$?
cat "$d/err"
check "10 min: record and verify exit 0" [ "$rc" -eq 0 ]
check "10 min: at least 600 s of samples" [ "$(val samples "$d/live")" -ge 499800 ]
check "10 min: every sample the pod made was received" \
    [ "$(val samples "$d/live")" -eq "$(tv samples_made)" ]
for k in lost_packets lost_samples bad_packets duplicates overruns non_monotonic gaps_marked; do
    check "10 min: $k is 0" [ "$(val $k "$d/live")" -eq 0 ]
done
check "10 min: recording byte-identical to the pod's packets" grep -q '^verify: identical$' "$d/live"
"$CALFTRACK" record --verify "$d/ten.rec" >"$d/replay"
check "10 min: replay gives the same number of samples" \
    [ "$(val samples "$d/replay")" -eq "$(val samples "$d/live")" ]
check "10 min: replay gives identical samples (digest)" \
    [ "$(val digest "$d/replay")" = "$(val digest "$d/live")" ]
check "10 min: recording undamaged" [ "$(val damaged_blocks "$d/replay")" -eq 0 ]
speed=$(sed -n 's/.*(\([0-9.]*\)x real time).*/\1/p' "$d/err")
echo "speed: ${speed}x real time"
check "10 min: faster than real time" awk "BEGIN { exit !($speed > 1) }"

"$CALFTRACK_VPOD" --speed 1 --truth "$d/truth" -- \
    "$CALFTRACK" record -q -o "$d/rt.rec" --seconds 3 >"$d/live" 2>"$d/err"
rc=$?
cat "$d/err"
wall=$(tv wall_s)
check "real time: exit 0" [ "$rc" -eq 0 ]
check "real time: 3 s of data took 2.5..8 s of wall time" \
    awk "BEGIN { exit !($wall >= 2.5 && $wall < 8) }"
check "real time: nothing lost" [ "$(val lost_samples "$d/live")" -eq 0 ]
exit $((fails > 0))
