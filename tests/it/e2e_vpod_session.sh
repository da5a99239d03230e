#!/bin/sh
# The whole product on the virtual pod: a simulated patient does 3 x 15 calf raises and
# 3 x 30 s lunge holds on each side (tests/data/e2e_programme.csv); `calftrack session`
# reads the pod through libusb, counts, grades and stores; the CSV export must hold the
# reps and holds the simulator says happened.
set -u
ct=${CALFTRACK:-build/calftrack}
vp=${CALFTRACK_VPOD:-build/calftrack-vpod}
rx=tests/data/e2e_programme.csv
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fails=0
ok() { echo "PASS: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
export XDG_DATA_HOME="$dir"

"$ct" settings --body-mass 70 --injured-side right --site-mm 250 >/dev/null
timeout 300 "$vp" --seed 21 --plan "$rx" --truth "$dir/truth.csv" --stats "$dir/stats" -- \
    "$ct" session -p "$rx" --fast --json --pain-before 2 --pain-after 1 >"$dir/out.json" 2>"$dir/err"
rc=$?
[ $rc -eq 0 ] && ok "session on the virtual pod exits 0" || bad "session rc $rc: $(tail -3 "$dir/err")"
grep -q '"type":"end".*"status":"complete"' "$dir/out.json" && ok "session complete" ||
    bad "session not complete: $(grep '"type":"end"' "$dir/out.json")"
"$ct" export detail -o "$dir/detail.csv" && ok "export detail" || bad "export detail"

# Every true rep or hold is paired by time with an exported row (tests/it/e2e_pair.awk):
# none missed, none exported that did not happen, every one graded; calf raises: the
# exported heel rise against the true one, mean |error| at most 1.0 cm and at least 80 %
# of the reps within 1.5 cm. The issue asks for all of it exact, and it is: the right
# side's heel raises included, where a wobble on the toes (a pull and a push of a few
# tenths of a second that move the heels by millimetres) was once taken for a landing.
"$ct" export summary -o "$dir/summary.csv" && ok "export summary" || bad "export summary"
s0=$(awk -F, 'NR == 2 { print $2 }' "$dir/summary.csv")
for ex in calf_raise lunge_stretch; do
    for side in left right; do
        set -- $(awk -F, -v s0="$s0" -v ex=$ex -v side=$side -f tests/it/e2e_pair.awk \
            "$dir/truth.csv" "$dir/detail.csv")
        [ "$1" -gt 0 ] && [ "$3" -eq 0 ] && [ "$4" -eq 0 ] && [ "$5" -eq 0 ] &&
            ok "$ex $side: $1 true, $2 exported, $3 missed, $4 extra, $5 ungraded" ||
            bad "$ex $side: $1 true, $2 exported, $3 missed, $4 extra, $5 ungraded"
        [ $ex = calf_raise ] || continue
        awk -v m="$6" -v e="$7" -v near="$8" 'BEGIN { exit !(m > 0 && e <= 1.0 && near >= 0.8 * m) }' &&
            ok "$side: heel rise mean |error| $7 cm, $8 of $6 within 1.5 cm" ||
            bad "$side: heel rise mean |error| $7 cm, $8 of $6 within 1.5 cm"
    done
done
exit $((fails > 0))
