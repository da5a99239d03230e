#!/bin/sh
# `calftrack import` as a person uses it: bad lines reported as FILE:LINE, the result a
# recording that reads back through the same path as the (virtual) pod's, errors with
# exit codes that say what to fix.
set -u
CALFTRACK=${CALFTRACK:-build/calftrack}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fails=0
check() {
    name=$1; shift
    if "$@"; then echo "PASS: $name"; else echo "FAIL: $name"; fails=$((fails + 1)); fi
}
val() { sed -n "s/^$1: //p" "$2"; }

"$CALFTRACK" import -o "$d/bad.rec" --time t --acc ax,ay,az --acc-unit g --gyro gx,gy,gz \
    --gyro-unit dps tests/data/import_bad.csv >"$d/out" 2>"$d/err"
rc=$?
cat "$d/err"
check "import: exit 0 with bad lines skipped" [ "$rc" -eq 0 ]
check "import: every bad line reported as file:line" \
    [ "$(grep -c '^tests/data/import_bad.csv:[0-9]*: ' "$d/err")" -eq 11 ]
check "import: line 4 names the field and its text" \
    grep -q "^tests/data/import_bad.csv:4: field 2 (ax) is 'abc'" "$d/err"
check "import: the count is said" grep -q '11 bad rows skipped' "$d/err"
check "import: 5 samples, 1 clipped" [ "$(val samples "$d/out")/$(val clipped "$d/out")" = 5/1 ]
"$CALFTRACK" record --verify "$d/bad.rec" >"$d/replay"
check "import: reads back through the receive path" [ "$(val samples "$d/replay")" -eq 5 ]
check "import: clipping flagged in the recording" [ "$(val clipped "$d/replay")" -eq 1 ]

"$CALFTRACK" import -o "$d/phone.rec" --time time_ms --time-unit ms --acc accX,accY,accZ \
    --acc-unit m/s2 --gyro gyrX,gyrY,gyrZ --gyro-unit rad/s --delimiter ';' \
    tests/data/import_phone.csv >"$d/out" 2>"$d/err"
check "phone CSV: exit 0, 300 samples at 50 Hz" \
    [ "$?/$(val samples "$d/out")/$(val rate_hz "$d/out")" = "0/300/50.000" ]

"$CALFTRACK" import -o "$d/none.rec" --rate 100 --acc 1,2,3 --gyro 1,2,3 --acc-unit g \
    --gyro-unit dps tests/data/import_allbad.csv >"$d/out" 2>"$d/err"
check "nothing usable: exit 1" [ $? -eq 1 ]
check "nothing usable: says so and what to check" grep -q 'no usable samples.*check the column' "$d/err"
check "nothing usable: no file left" [ ! -e "$d/none.rec" ]

"$CALFTRACK" import -o "$d/x.rec" --rate 100 --acc 1,2,3 --gyro 4,5,6 tests/data/import_rate.tsv \
    >"$d/out" 2>"$d/err"
check "units missing: usage error 2" [ $? -eq 2 ]
check "units missing: says which options" grep -q -- '--acc-unit g|m/s2 and --gyro-unit' "$d/err"
"$CALFTRACK" import -o "$d/x.rec" --acc 1,2,3 --gyro 4,5,6 --acc-unit g --gyro-unit dps \
    tests/data/import_rate.tsv >"$d/out" 2>"$d/err"
check "no time and no rate: usage error 2" [ $? -eq 2 ]
"$CALFTRACK" import -o "$d/x.rec" --rate 100 --acc 1,2 --gyro 4,5,6 --acc-unit g --gyro-unit dps \
    tests/data/import_rate.tsv >"$d/out" 2>"$d/err"
check "two acc columns: usage error 2" [ $? -eq 2 ]
"$CALFTRACK" import -o "$d/x.rec" --rate 100 --acc 1,2,3 --gyro 4,5,6 --acc-unit g --gyro-unit dps \
    "$d/absent.csv" >"$d/out" 2>"$d/err"
check "missing CSV: exit 1 naming it" [ $? -eq 1 ]
check "missing CSV: message names the file" grep -q "cannot read $d/absent.csv" "$d/err"
exit $((fails > 0))
