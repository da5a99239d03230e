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

# speed 0 and 1 with libusb's hotplug events; "poll": as where libusb has no hotplug
for run in 0 1 poll; do
    export CALFTRACK_USB_POLL=0
    speed=$run
    case $run in
    0) plan="unplug@20,replug@26"; secs=40 ;;
    1) plan="unplug@1,replug@2.5"; secs=4 ;;
    poll) plan="unplug@5,replug@9"; secs=12; CALFTRACK_USB_POLL=1; speed=0 ;;
    esac
    "$CALFTRACK_VPOD" --speed $speed --fault $plan --stats "$d/truth" --verify "$d/u$run.rec" -- \
        "$CALFTRACK" record -q -o "$d/u$run.rec" --seconds $secs >"$d/live" 2>"$d/err"
    rc=$?
    cat "$d/err"
    s="unplug (speed $speed$( [ "$CALFTRACK_USB_POLL" = 1 ] && echo ', polling'))"
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
    "$CALFTRACK" record --verify "$d/u$run.rec" >"$d/replay"
    check "$s: recording reads back whole" [ "$(val damaged_blocks "$d/replay")$(val truncated_bytes "$d/replay")" = 00 ]
    check "$s: replay identical to the live run" [ "$(val digest "$d/replay")" = "$(val digest "$d/live")" ]
    check "$s: replay counts the same gap" [ "$(val disconnects "$d/replay")" -eq 1 ]
done
# three times out and back in one recording
export CALFTRACK_USB_POLL=0
"$CALFTRACK_VPOD" --fault unplug@5,replug@7,unplug@12,replug@13,unplug@20,replug@22 \
    --stats "$d/truth" --verify "$d/m.rec" -- \
    "$CALFTRACK" record -q -o "$d/m.rec" --seconds 25 >"$d/live" 2>"$d/err"
rc=$?
cat "$d/err"
check "3 unplugs: exit 0" [ "$rc" -eq 0 ]
check "3 unplugs: 3 disconnects, 3 gaps marked, 3 restarts" \
    [ "$(val disconnects "$d/live")/$(val gaps_marked "$d/live")/$(val restarts "$d/live")" = 3/3/3 ]
check "3 unplugs: 3 gap blocks in the file" grep -q '3 gap blocks' "$d/err"
check "3 unplugs: nothing duplicated, clock forward" \
    [ "$(val duplicates "$d/live")/$(val non_monotonic "$d/live")" = 0/0 ]
check "3 unplugs: every packet in the file" grep -q '^verify: identical$' "$d/live"

# unplugged for good: waits as long as it was told, then says so and keeps everything
"$CALFTRACK_VPOD" --fault unplug@3 --verify "$d/gone.rec" -- \
    "$CALFTRACK" record -q -o "$d/gone.rec" --wait 1 >"$d/live" 2>"$d/err"
rc=$?
cat "$d/err"
check "gone: exit 1" [ "$rc" -eq 1 ]
check "gone: says it did not come back and where the data is" \
    grep -q 'did not come back within 1 s; everything received until then is in' "$d/err"
check "gone: everything received is in the file" grep -q '^verify: identical$' "$d/live"
check "gone: 3 s of samples kept" [ "$(val samples "$d/live")" -ge 2490 ]
exit $((fails > 0))
