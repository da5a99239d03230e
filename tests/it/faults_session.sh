#!/bin/sh
# faults_session.sh - the real `calftrack session` on the virtual pod under faults: 50
# unplug/replug cycles, endpoint stalls, 1% of packets damaged, the pod's firmware
# restarting its stream unannounced, the 32-bit clock and index wrapping. Every run must
# store the session, account for every sample the pod put on the link (received + lost
# = sent), duplicate nothing, keep the clock going forward and mark every gap.
set -u
CALFTRACK=${CALFTRACK:-build/calftrack}
CALFTRACK_VPOD=${CALFTRACK_VPOD:-build/calftrack-vpod}
here=$(cd "$(dirname "$0")/../.." && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fails=0
check() {
    what=$1; shift
    if "$@"; then echo "PASS: $what"; else echo "FAIL: $what"; fails=$((fails + 1)); fi
}
tv() { sed -n "s/^$1 //p" "$d/stats"; }      # what the virtual pod did
hv() { sed -n "s/^$1: //p" "$d/replay"; }    # what the host's recording says

session() { # name prescription faults...
    name=$1; rx=$2; shift 2
    export XDG_DATA_HOME="$d/$name"
    mkdir -p "$XDG_DATA_HOME/calftrack/sessions"
    set -- --plan "$rx" --stats "$d/stats" --verify "$XDG_DATA_HOME/calftrack/sessions" "$@"
    "$CALFTRACK_VPOD" "$@" -- "$CALFTRACK" session --fast -p "$rx" --json \
        >"$d/out" 2>"$d/err"
    rc=$?
    tail -n 3 "$d/err"
    check "$name: exit 0" [ "$rc" -eq 0 ]
    check "$name: the session ended" grep -q '^{"type":"end"' "$d/out"
    s=$(ls -d "$XDG_DATA_HOME"/calftrack/sessions/2*/ 2>/dev/null | head -n 1)
    check "$name: stored as complete" grep -q '^status,complete' "$s/meta.csv"
    check "$name: reps and holds stored" [ "$(wc -l <"$s/events.csv")" -ge 2 ]
    "$CALFTRACK" history >"$d/hist"
    check "$name: listed by history" grep -q 'complete' "$d/hist"
    check "$name: every packet the pod sent is in the recording" grep -q '^verify: identical$' "$d/out"
    "$CALFTRACK" record --verify "$s/recording.ctrec" >"$d/replay"
    sent=$(tv samples_sent); got=$(hv samples)
    lost=$(( $(hv lost_samples) - $(hv lost_in_gaps) )); unseen=$(tv samples_unseen)
    echo "$name: pod sent $sent samples; host received $got, counted $lost lost by index;" \
         "$unseen lost in damaged packets that began or ended a stream (no index gap shows them);" \
         "$(hv lost_in_gaps) more estimated in $(hv disconnects) disconnects"
    check "$name: received + lost = sent ($got + $lost + $unseen = $sent)" \
        [ $((got + lost + unseen)) -eq "$sent" ]
    check "$name: lost by index = dropped + damaged - unseen" \
        [ "$lost" -eq $(( $(tv samples_dropped) + $(tv samples_damaged) - unseen )) ]
    check "$name: every damaged packet refused and counted" \
        [ "$(hv bad_packets)" -eq $(( $(tv packets_corrupted) + $(tv packets_truncated) )) ]
    check "$name: no sample duplicated" [ "$(hv duplicates)" -eq 0 ]
    check "$name: time and index only go forward" [ "$(hv non_monotonic)" -eq 0 ]
    check "$name: recording reads back whole" \
        [ "$(hv damaged_blocks)/$(hv truncated_bytes)/$(hv missing_blocks)" = 0/0/0 ]
}

# ---- 50 unplug/replug cycles, stalls, 1% damaged, two firmware restarts ----------------
plan=$(awk 'BEGIN { for (k = 0; k < 50; k++) printf "%sunplug@%d,replug@%d", k ? "," : "", 10 + 10 * k, 12 + 10 * k }')
session cycles "$here/prescriptions/demo-today.csv" --seed 11 --fault "$plan" \
    --fault corrupt=0.01,stall@15.5,stall@205.5,reset@105.5,reset@305.5
check "cycles: 50 unplugs and 50 replugs" [ "$(tv unplugs)/$(tv replugs)" = 50/50 ]
check "cycles: the host saw 50 disconnects" [ "$(hv disconnects)" -eq 50 ]
check "cycles: 52 restarts (50 power-ups, 2 firmware resets)" \
    [ "$(tv resets)/$(hv restarts)" = 2/52 ]
check "cycles: 1% of packets damaged" \
    [ $(( ($(tv packets_corrupted) + $(tv packets_truncated)) * 1000 / $(tv packets_sent) )) -ge 8 ]
check "cycles: 50 gap blocks in the file" grep -q ' 50 gap blocks' "$d/err"
check "cycles: every gap marked on a sample (restarts and index gaps)" \
    [ "$(hv gaps_marked)" -ge 52 ]
host_stalls=$(grep -a -o 'end: samples [ a-z_0-9]*' "$s/recording.ctrec" | sed -n 's/.* stalls \([0-9]*\).*/\1/p')
check "cycles: two stalls, each cleared once by the host ($host_stalls)" \
    [ "$(tv stalls)/$host_stalls" = 2/2 ]

# (--verify keeps every packet and sample it sent: that part grows with the run, by design)
own=$(( $(tv peak_rss_kb) - $(tv verify_log_kb) ))
check "cycles: the virtual pod's memory stays bounded ($own KiB peak besides its verify log, $(tv urbs) URBs)" \
    [ "$own" -lt 16384 ]

# ---- the 32-bit device clock and index wrap, with an unplug, a stall and damage ----------
session wrap "$here/tests/data/faults_short.csv" --seed 12 \
    --fault wrap,corrupt=0.01,stall@8,unplug@20,replug@22,reset@40
check "wrap: index crossed 2^32 and went on" [ "$(hv last_index)" -gt 4294967296 ]
check "wrap: one disconnect, two restarts" [ "$(hv disconnects)/$(hv restarts)" = 1/2 ]
exit $((fails > 0))
