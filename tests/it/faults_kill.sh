#!/bin/sh
# faults_kill.sh - `calftrack session` on the virtual pod at real-time pace is killed
# with SIGKILL mid-set, the moment a rep is shown; `calftrack recover` rebuilds it. At most about 1 s of the raw
# stream the pod made before the kill may be missing from the recording, and every rep
# stored before the kill is still there after the recovery.
set -u
CALFTRACK=${CALFTRACK:-build/calftrack}
CALFTRACK_VPOD=${CALFTRACK_VPOD:-build/calftrack-vpod}
here=$(cd "$(dirname "$0")/../.." && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
export XDG_DATA_HOME="$d/data"
fails=0
check() {
    what=$1; shift
    if "$@"; then echo "PASS: $what"; else echo "FAIL: $what"; fails=$((fails + 1)); fi
}
now_us() { echo $(( $(date +%s%N) / 1000 )); }

rx="$here/tests/data/faults_short.csv"
"$CALFTRACK_VPOD" --seed 2 --speed 1 --plan "$rx" --sample-log "$d/made" -- \
    "$CALFTRACK" session --fast -p "$rx" --json >"$d/out" 2>"$d/err" &
# the moment the third rep is on the screen (its last samples may not be on disk yet:
# the hardest case for keeping every rep)
reps() { c=$(grep -c '"type":"rep"' "$d/out" 2>/dev/null); echo "${c:-0}"; }
n=0
while [ "$(reps)" -lt 3 ] && [ $n -lt 3000 ]; do
    sleep 0.02; n=$((n + 1))
done
s=$(ls -d "$XDG_DATA_HOME"/calftrack/sessions/2*/ | head -n 1)
pid=$(pgrep -f -n "^$CALFTRACK session --fast -p $rx")
cp "$s/events.csv" "$d/events.before"
killed=$(now_us)
kill -KILL "$pid"
wait
check "killed mid-session (3 reps shown)" [ "$(grep -c '"type":"rep"' "$d/out")" -ge 3 ]
check "the session shows as running" sh -c "'$CALFTRACK' history | grep -q ' running '"

# raw data: what the pod had made before the kill against what the recording holds
made=$(awk -v k="$killed" '$2 <= k { n++ } END { print n + 0 }' "$d/made")
"$CALFTRACK" record --verify "$s/recording.ctrec" >"$d/replay"
kept=$(sed -n 's/^samples: //p' "$d/replay")
lost=$((made - kept))
echo "the pod made $made samples before the kill; the recording holds $kept:" \
     "$lost missing ($(awk -v l=$lost 'BEGIN { printf "%.2f", l / 833 }') s at 833 Hz)"
check "recording readable after SIGKILL" [ -n "$kept" ]
check "at most 1 s of raw data lost ($lost samples)" [ "$lost" -ge 0 -a "$lost" -le 833 ]
check "what is there is whole" [ "$(sed -n 's/^lost_samples: //p' "$d/replay")" -eq 0 ]

"$CALFTRACK" recover --all >"$d/rec.out" 2>&1
check "recover: exit 0" [ $? -eq 0 ]
cat "$d/rec.out"
check "recover: history says recovered" sh -c "'$CALFTRACK' history | grep -q ' recovered '"
# every rep stored before the kill is in the rebuilt list, with the same numbers
key() { cut -d, -f1-5,7-10,12 "$1" | tail -n +2 | sort; }
key "$d/events.before" >"$d/k.before"
key "$s/events.csv" >"$d/k.after"
echo "reps before the kill: $(wc -l <"$d/k.before"); after recover: $(wc -l <"$d/k.after")"
check "at least 3 reps were stored before the kill" [ "$(wc -l <"$d/k.before")" -ge 3 ]

check "every rep stored before the kill kept by recover" \
    [ -z "$(comm -23 "$d/k.before" "$d/k.after")" ]
check "the old list kept beside it" cmp -s "$d/events.before" "$s/events.csv.old"
exit $((fails > 0))
