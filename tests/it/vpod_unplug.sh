#!/bin/sh
# The pod is unplugged mid-stream and comes back: recording waits, goes on, marks the
# gap, duplicates nothing and reads back whole; a replay repeats the live run exactly.
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
val() { sed -n "s/^$1: //p" "$2"; }
tv() { sed -n "s/^$1 //p" "$d/truth"; }

for speed in 0 1; do
    if [ $speed = 0 ]; then plan="unplug@20,replug@26"; secs=40; else plan="unplug@1,replug@2.5"; secs=4; fi
    "$CALFTRACK_VPOD" --speed $speed --fault $plan --truth "$d/truth" --verify "$d/u$speed.rec" -- \
        "$CALFTRACK" record -q -o "$d/u$speed.rec" --seconds $secs >"$d/live" 2>"$d/err"
    rc=$?
    cat "$d/err"
    s="unplug (speed $speed)"
    check "$s: exit 0" [ "$rc" -eq 0 ]
    check "$s: the pod was unplugged and replugged once" [ "$(tv unplugs)$(tv replugs)" = 11 ]
    check "$s: the wait was shown" grep -q 'Waiting for it' "$d/err"
    check "$s: it went on after the replug" grep -q 'The pod is back' "$d/err"
    check "$s: one disconnect counted" [ "$(val disconnects "$d/live")" -eq 1 ]
    check "$s: the gap is marked on a sample" [ "$(val gaps_marked "$d/live")" -eq 1 ]
    check "$s: the gap is in the file" grep -q '1 gap blocks' "$d/err"
    check "$s: no sample duplicated" [ "$(val duplicates "$d/live")" -eq 0 ]
    check "$s: time and index only go forward" [ "$(val non_monotonic "$d/live")" -eq 0 ]
    check "$s: samples after the replug" [ "$(val duration_s "$d/live" | cut -d. -f1)" -ge $secs ]
    check "$s: every packet the pod sent is in the file" grep -q '^verify: identical$' "$d/live"
    "$CALFTRACK" record --verify "$d/u$speed.rec" >"$d/replay"
    check "$s: recording reads back whole" [ "$(val damaged_blocks "$d/replay")$(val truncated_bytes "$d/replay")" = 00 ]
    check "$s: replay identical to the live run" [ "$(val digest "$d/replay")" = "$(val digest "$d/live")" ]
    check "$s: replay counts the same gap" [ "$(val disconnects "$d/replay")" -eq 1 ]
done
exit $((fails > 0))
