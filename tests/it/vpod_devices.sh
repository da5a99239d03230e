#!/bin/sh
# What a person sees: the pod listed with the right USB identity, errors that say what
# to do (no pod, wrong serial, busy, unsupported firmware, no permission), a chosen
# rate applied, and Ctrl-C stopping a recording cleanly with everything kept.
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

"$CALFTRACK_VPOD" --serial POD-A17 -- "$CALFTRACK" devices -v >"$d/out" 2>"$d/err"
rc=$?
cat "$d/out"
check "devices: exit 0" [ "$rc" -eq 0 ]
check "devices: serial, firmware, rate, state" \
    grep -Eq '^POD-A17 +1\.0\.0 +833Hz +16g +2000dps +001/001 +virtual +idle$' "$d/out"
check "devices: libusb sees VID:PID 1209:0001, vendor class, bulk IN 0x81 of 64 bytes" \
    grep -q 'usb 1209:0001 device 1.00, interface class ff, endpoint 0x81 bulk 64 bytes, product "calftrack ankle IMU pod"' "$d/out"

"$CALFTRACK" devices >"$d/out" 2>"$d/err"
check "no pod: exit 1" [ $? -eq 1 ]
check "no pod: says to plug it in" grep -q 'no pod found. Plug the pod in' "$d/err"
"$CALFTRACK" record -o "$d/none.rec" >"$d/out" 2>"$d/err"
rc=$?
check "no pod: record exits 1" [ "$rc" -eq 1 ]
check "no pod: record creates nothing" [ ! -e "$d/none.rec" ]

"$CALFTRACK_VPOD" -- "$CALFTRACK" record -o "$d/x.rec" --serial NOPE >"$d/out" 2>"$d/err"
check "wrong serial: exit 1" [ $? -eq 1 ]
check "wrong serial: names it and how to list serials" grep -q 'no pod with serial NOPE.*calftrack devices' "$d/err"

"$CALFTRACK_VPOD" --fault busy -- "$CALFTRACK" record -o "$d/x.rec" >"$d/out" 2>"$d/err"
check "busy: exit 1" [ $? -eq 1 ]
check "busy: says another program has it" grep -q 'in use by another program' "$d/err"
"$CALFTRACK_VPOD" --fault busy -- "$CALFTRACK" devices >"$d/out" 2>"$d/err"
check "busy: devices shows it" grep -q 'busy (another program)' "$d/out"

"$CALFTRACK_VPOD" --fault protocol=2 -- "$CALFTRACK" record -o "$d/x.rec" >"$d/out" 2>"$d/err"
check "old/new firmware: exit 1" [ $? -eq 1 ]
check "old/new firmware: names both protocol versions" grep -q 'speaking protocol 2; this calftrack speaks protocol 1' "$d/err"
check "old/new firmware: nothing recorded" [ ! -e "$d/x.rec" ]

if [ "$(id -u)" -ne 0 ]; then
    "$CALFTRACK_VPOD" --fault noaccess -- "$CALFTRACK" record -o "$d/x.rec" --seconds 1 >"$d/out" 2>"$d/err"
    check "no permission: exit 1" [ $? -eq 1 ]
    check "no permission: names the udev rule and how to install it" \
        grep -q 'docs/70-calftrack.rules.*sudo make install.*udevadm control --reload' "$d/err"
else
    echo "no permission: not testable as root (file modes do not bind root)"
fi

"$CALFTRACK_VPOD" --rate 104 -- "$CALFTRACK" record -q -o "$d/slow.rec" --seconds 5 >"$d/out" 2>"$d/err"
check "--rate 104: exit 0" [ $? -eq 0 ]
check "--rate 104: applied" grep -q '104 Hz' "$d/err"
n=$(val samples "$d/out")
dur=$(val duration_s "$d/out")
check "--rate 104: at least 5 s of samples ($n)" [ "$n" -ge 520 ]
check "--rate 104: 104.17 samples per second of device time ($n in $dur s)" \
    awk "BEGIN { r = ($n - 1) / $dur; exit !(r > 104.1 && r < 104.2) }"

touch "$d/exists.rec"
"$CALFTRACK_VPOD" -- "$CALFTRACK" record -o "$d/exists.rec" --seconds 1 >"$d/out" 2>"$d/err"
check "existing file: refused, exit 1" [ $? -eq 1 ]
check "existing file: says it is never overwritten" grep -q 'already exists; recordings are never overwritten' "$d/err"
check "existing file: untouched" [ ! -s "$d/exists.rec" ]
"$CALFTRACK" record --seconds 1 >"$d/out" 2>"$d/err"
check "no -o: usage error exit 2" [ $? -eq 2 ]
"$CALFTRACK" record -o "$d/y.rec" --rate 100 >"$d/out" 2>"$d/err"
check "--rate 100: usage error exit 2" [ $? -eq 2 ]
check "--rate 100: names the rates" grep -q '104, 208, 416 or 833' "$d/err"

# Ctrl-C: the command gets SIGINT while streaming; it stops cleanly and keeps everything.
"$CALFTRACK_VPOD" --speed 1 --verify "$d/int.rec" -- "$CALFTRACK" record -q -o "$d/int.rec" >"$d/out" 2>"$d/err" &
vp=$!
child=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    sleep 0.25
    child=$(pgrep -P "$vp" | head -n 1)
    [ -n "$child" ] && [ -s "$d/int.rec" ] && break
done
sleep 1.5
[ -n "$child" ] && kill -INT "$child"
wait "$vp"
rc=$?
cat "$d/err"
check "Ctrl-C: exit 0" [ "$rc" -eq 0 ]
check "Ctrl-C: everything the pod sent is in the file" grep -q '^verify: identical$' "$d/out"
check "Ctrl-C: samples kept ($(val samples "$d/out"))" [ "$(val samples "$d/out")" -gt 800 ]
"$CALFTRACK" record --verify "$d/int.rec" >"$d/replay"
check "Ctrl-C: file reads back whole" [ "$(val damaged_blocks "$d/replay")$(val truncated_bytes "$d/replay")" = 00 ]
check "Ctrl-C: replay identical" [ "$(val digest "$d/replay")" = "$(val digest "$d/out")" ]
exit $((fails > 0))
