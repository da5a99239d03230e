#!/bin/sh
# valgrind.sh BUILD - memcheck on calftrack through the demo's steps: simulate, session
# replayed, session live on the virtual pod, history, export (all four), plot, recover.
# The virtual pod itself (umockdev's preload library and GLib threads) is not run under
# valgrind: only the calftrack it starts is. Prints PASS/FAIL per step; exit 1 on any
# memcheck error or definite/indirect leak.
set -u
build=${1:-build}
bin=$(cd "$(dirname "$build/calftrack")" && pwd)/calftrack
vpod=$build/calftrack-vpod
here=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind is not installed (Debian: apt-get install valgrind)"
    exit 1
fi
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
export XDG_DATA_HOME="$d/data"
rx="$here/prescriptions/demo-today.csv"
short="$here/tests/data/faults_short.csv"
# umockdev's preload library forwards every ioctl's buffers over its socket, an IN
# buffer before the device has filled it: uninitialised bytes in umockdev, not in us.
cat >"$d/supp" <<'SUPP'
{
   umockdev-preload sends ioctl IN buffers before they are filled
   Memcheck:Param
   socketcall.sendto(msg)
   ...
   obj:*/libumockdev-preload.so*
}
SUPP
vg="valgrind -q --suppressions=$d/supp --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --track-origins=yes --log-file=$d/vg.%p"
fails=0
step() { # name command...
    name=$1; shift
    rm -f "$d"/vg.*
    "$@" >"$d/out" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ] && ! cat "$d"/vg.* 2>/dev/null | grep -q .; then
        echo "PASS: valgrind clean: $name"
    else
        echo "FAIL: valgrind: $name (exit $rc)"
        tail -n 5 "$d/out"
        cat "$d"/vg.* 2>/dev/null | head -n 60
        fails=$((fails + 1))
    fi
}
step "settings" $vg "$bin" settings --body-mass 72 --injured-side left --site-mm 150
step "simulate" $vg "$bin" simulate -P "$short" -o "$d/sim.ctr" --seed 7 --injured left
step "session --replay" $vg "$bin" session --replay "$d/sim.ctr" -p "$short" --fast \
    --pain-before 2 --pain-after 1
step "session --replay --json" $vg "$bin" session --replay "$d/sim.ctr" -p "$short" --fast --json
step "session on the virtual pod" "$vpod" --seed 2 --plan "$short" -- \
    $vg "$bin" session -p "$short" --fast --pain-before 1 --pain-after 1
step "history" $vg "$bin" history
for k in detail summary progress symmetry; do
    step "export $k" $vg "$bin" export "$k" -o "$d/$k.csv"
done
for p in progress adherence symmetry session; do
    step "plot $p" $vg "$bin" plot "$p" -o "$d/$p.png"
done
id=$("$bin" history | awk 'NR == 2 { print $1 }')
step "recover --force" $vg "$bin" recover --force "$id"
echo "valgrind: $fails step(s) with errors"
exit $((fails > 0))
