#!/bin/sh
# What a newcomer trips on first: no pod plugged in, a file that is not a recording.
# Clear messages, exit 1, and nothing half-made left in the history.
set -u
ct=${CALFTRACK:-build/calftrack}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_DATA_HOME="$dir"
ok() { echo "PASS: $1"; }
bad() { echo "FAIL: $1"; }

out=$("$ct" session </dev/null 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "no pod found. Plug the pod in" && ok "session without a pod: exit 1, says what to do" ||
    bad "session without a pod: rc $rc: $out"
out=$("$ct" history 2>&1)
echo "$out" | grep -q "No sessions stored yet" && ok "no empty session left in the history" ||
    bad "history after a failed start: $out"

echo "t,ax,ay,az" > "$dir/phone.csv"
out=$("$ct" analyze "$dir/phone.csv" -e calf_raise 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "not a calftrack recording" && echo "$out" | grep -q "calftrack import" &&
    ok "a CSV given to analyze: exit 1, points to import" || bad "analyze csv: rc $rc: $out"

out=$("$ct" analyze 2>&1); rc=$?
[ $rc -eq 2 ] && ok "analyze without a file: usage error" || bad "analyze without a file: rc $rc"

out=$("$ct" nonsense 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "is not a command" && ok "unknown command: exit 2 with usage" ||
    bad "unknown command: rc $rc"

out=$("$ct" --help); rc=$?
n=0
for c in devices calibrate session record analyze history export plot import recover demo simulate settings; do
    echo "$out" | grep -q "^  $c " && n=$((n + 1))
done
[ $rc -eq 0 ] && [ $n -eq 13 ] && ok "--help lists all 13 commands" || bad "--help lists $n of 13"
helped=0
for c in devices calibrate session record analyze history export plot import recover demo simulate settings; do
    "$ct" $c --help 2>&1 | grep -q "^Usage: calftrack $c" && helped=$((helped + 1))
done
[ $helped -eq 13 ] && ok "every command's --help starts with its usage" || bad "--help: $helped of 13"
