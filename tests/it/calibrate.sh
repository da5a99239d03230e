#!/bin/sh
# calibrate on simulated recordings: the right placement calibrates, the wrong one is
# announced with exit 1, a recording without a still moment says what to do.
set -u
ct=${CALFTRACK:-build/calftrack}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ok() { echo "PASS: $1"; }
bad() { echo "FAIL: $1"; }

"$ct" simulate -o "$dir/shin.ctr" -e lunge_stretch --sets 1 --seed 5 >/dev/null
"$ct" simulate -o "$dir/foot.ctr" -e band_stretch --sets 1 --seed 6 >/dev/null
"$ct" simulate -o "$dir/walk.ctr" --distractors 40 --seed 7 >/dev/null

for strap in 11 12 13; do
    rm -f "$dir/s$strap.ctr"
    "$ct" simulate -o "$dir/s$strap.ctr" -e calf_raise --sets 1 --seed $strap >/dev/null
    out=$("$ct" calibrate --replay "$dir/s$strap.ctr" 2>&1); rc=$?
    if [ $rc -eq 0 ] && echo "$out" | grep -q "placement: shin"; then
        ok "calibrate shin, seed $strap (random strap rotation)"
    else bad "calibrate shin, seed $strap: rc $rc: $out"; fi
done

out=$("$ct" calibrate --replay "$dir/foot.ctr" --placement foot 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "placement: foot" && ok "calibrate foot" ||
    bad "calibrate foot: rc $rc: $out"

out=$("$ct" calibrate --replay "$dir/foot.ctr" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "seems to be on your foot" && ok "wrong placement announced, exit 1" ||
    bad "wrong placement: rc $rc: $out"

# walking swings the shank in the sagittal plane: a valid gesture for the axis
out=$("$ct" calibrate --replay "$dir/walk.ctr" --timeout 30 2>&1); rc=$?
[ $rc -eq 0 ] && ok "standing then walking calibrates the shin" || bad "walking: rc $rc: $out"

# a recording cut after a second: no still moment, a clear "what to do", exit 1
head -c 2000 "$dir/shin.ctr" > "$dir/short.ctr"
out=$("$ct" calibrate --replay "$dir/short.ctr" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "stand (or sit) still\|not clear" &&
    ok "too short to calibrate: exit 1 with advice" || bad "short: rc $rc: $out"

"$ct" calibrate --timeout 5 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "bad --timeout is a usage error" || bad "bad --timeout: rc $rc"

"$ct" calibrate --replay "$dir/missing.ctr" >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] && ok "missing recording: exit 1" || bad "missing recording: rc $rc"
