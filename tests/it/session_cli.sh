#!/bin/sh
# session_cli.sh - the patient's and physio's commands from the outside: a malformed
# prescription names file:line:field and exits 1; usage errors exit 2; a replayed session
# is stored privately, listed, exported and charted; the pod path runs on the virtual pod;
# a session killed with SIGKILL is recovered from its raw recording.
set -u
CALFTRACK=${CALFTRACK:-build/calftrack}
CALFTRACK_VPOD=${CALFTRACK_VPOD:-build/calftrack-vpod}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
export XDG_DATA_HOME="$d/data"
fails=0
check() { # name condition...
    name=$1; shift
    if "$@"; then echo "PASS: $name"; else echo "FAIL: $name"; fails=$((fails + 1)); fi
}
run() { # expected-exit name command...
    want=$1; name=$2; shift 2
    "$@" >"$d/out" 2>"$d/err"
    rc=$?
    check "$name (exit $want)" [ "$rc" -eq "$want" ]
}

# ---- prescriptions ----------------------------------------------------------
printf 'exercise,side,sets,reps,hold_s\ncalf_raise,left,3,15,1\nheel_drop,left,3,15,1\n' >"$d/bad.csv"
run 1 "malformed prescription" "$CALFTRACK" session --fast -p "$d/bad.csv"
check "malformed prescription: names file, line and field" \
    grep -q "$d/bad.csv:3: field 'exercise': 'heel_drop' is not an exercise; allowed: calf_raise" "$d/err"
printf 'exercise,side,sets\nlunge_stretch,left,3\n' >"$d/nohold.csv"
run 1 "hold without seconds" "$CALFTRACK" session -p "$d/nohold.csv"
check "hold without seconds: says what is allowed" grep -q "nohold.csv:2: field 'hold_s'" "$d/err"
run 1 "missing prescription file" "$CALFTRACK" session -p "$d/none.csv"
check "missing prescription file: named" grep -q "$d/none.csv" "$d/err"

# ---- usage ------------------------------------------------------------------
for c in session history export plot recover settings; do
    run 0 "$c --help" "$CALFTRACK" "$c" --help
    check "$c --help prints usage" grep -q "Usage: calftrack $c" "$d/out"
    run 2 "$c --bogus" "$CALFTRACK" "$c" --bogus
done
run 2 "export without a kind" "$CALFTRACK" export
run 2 "export --from bad date" "$CALFTRACK" export detail --from 2026-13-01
run 2 "plot .bmp" "$CALFTRACK" plot progress -o "$d/x.bmp"
run 2 "session --pain-before 11" "$CALFTRACK" session --pain-before 11
run 2 "settings --body-mass abc" "$CALFTRACK" settings --body-mass abc
run 2 "recover a hostile id" "$CALFTRACK" recover ../../etc

# ---- settings -----------------------------------------------------------------
run 0 "settings" "$CALFTRACK" settings --body-mass 70 --injured-side right --site-mm 150
check "settings shown" grep -q "body mass:       70.0 kg" "$d/out"
check "data folder is 0700" [ "$(stat -c %a "$d/data/calftrack")" = 700 ]
check "settings.csv is 0600" [ "$(stat -c %a "$d/data/calftrack/settings.csv")" = 600 ]

# ---- a replayed session -----------------------------------------------------------
"$CALFTRACK_VPOD" --seed 5 --rate 104 -- "$CALFTRACK" record -q -o "$d/rec.ctrec" --seconds 90 \
    >"$d/vpod.out" 2>&1
check "virtual pod recording made" [ -s "$d/rec.ctrec" ]
printf 'exercise,side,sets,reps,hold_s,target,target_unit,rest_s,tempo,notes\n%s\n%s\n' \
    'calf_raise,left,2,5,1,,,5,2-1-2,"slowly, with a hold"' \
    'lunge_stretch,left,1,1,20,35,deg,5,,heel down' >"$d/rx.csv"
run 0 "session --replay --fast (lines)" "$CALFTRACK" session --replay "$d/rec.ctrec" --fast \
    -p "$d/rx.csv" --pain-before 4 --pain-after 3
check "lines: an exercise line" grep -q "^exercise calf_raise left sets 2 reps 5" "$d/out"
check "lines: placement prompt" grep -q "^prompt: Strap the pod on your left shin, just above the ankle." "$d/out"
check "lines: the end" grep -q "^end " "$d/out"
check "lines: no terminal control codes" sh -c "! grep -q \"$(printf '\033')\" '$d/out'"
id=$(sed -n 's/^Stored as session \(.*\)\.$/\1/p' "$d/out")
check "session id reported" [ -n "$id" ]
s="$d/data/calftrack/sessions/$id"
check "session folder is 0700" [ "$(stat -c %a "$s")" = 700 ]
for f in recording.ctrec events.csv meta.csv summary.csv prescription.csv; do
    check "session $f is 0600" [ "$(stat -c %a "$s/$f" 2>/dev/null)" = 600 ]
done
check "meta: pain before and after" sh -c "grep -q '^pain_before_0_10,4' '$s/meta.csv' && grep -q '^pain_after_0_10,3' '$s/meta.csv'"

run 0 "session --json" "$CALFTRACK" session --replay "$d/rec.ctrec" --fast -p "$d/rx.csv" --json
check "json: every line one object" sh -c "! grep -v '^{\"type\":\".*}\$' '$d/out'"
check "json: the end" grep -q '^{"type":"end"' "$d/out"
check "json: a summary" grep -q '^{"type":"summary","exercise":"calf_raise","side":"left","prescribed":10' "$d/out"

run 0 "history" "$CALFTRACK" history
check "history lists the session" grep -q "^$id .* stopped\|^$id .* complete" "$d/out"
check "history: two sessions" [ "$(grep -c '^20' "$d/out")" -eq 2 ]

# ---- export ---------------------------------------------------------------------
run 0 "export summary" "$CALFTRACK" export summary --session "$id" -o "$d/summary.csv"
check "summary header" grep -q '^session_id,start_time,status,exercise,side,sensor_placement,sensor_site_mm_below_knee,' "$d/summary.csv"
check "summary: prescribed calf raises" grep -q "^$id,.*,calf_raise,left,.*,2,[0-9],10," "$d/summary.csv"
check "summary: CRLF rows" [ "$(grep -c "$(printf '\r')\$" "$d/summary.csv")" -eq 3 ]
check "export file is 0600" [ "$(stat -c %a "$d/summary.csv")" = 600 ]
for k in detail symmetry progress; do
    run 0 "export $k" "$CALFTRACK" export "$k" --side left --from 2000-01-01
done
check "progress header" grep -q '^date,side,shin_sensor_site_mm_below_knee,sessions,best_weight_bearing_dorsiflexion_deg' "$d/out"
run 1 "export an unknown session" "$CALFTRACK" export detail --session 20991231-000000
check "unknown session named" grep -q "no session '20991231-000000'" "$d/err"

# ---- plots ----------------------------------------------------------------------
run 0 "plot adherence png" "$CALFTRACK" plot adherence -o "$d/a.png" --size 800x500
check "png signature" [ "$(head -c 8 "$d/a.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
check "png is 800x500" [ "$(od -An -tu1 -j16 -N8 "$d/a.png" | tr -s ' ' | sed 's/^ //')" = "0 0 3 32 0 0 1 244" ]
run 0 "plot adherence svg" "$CALFTRACK" plot adherence -o "$d/a.svg"
check "svg shows the series" sh -c "grep -q '<svg' '$d/a.svg' && grep -q 'prescribed' '$d/a.svg' && grep -q 'done' '$d/a.svg'"
CALFTRACK_GNUPLOT=/nonexistent/gnuplot "$CALFTRACK" plot adherence -o "$d/b.png" >"$d/out" 2>"$d/err"
check "no gnuplot: exit 1" [ $? -eq 1 ]
check "no gnuplot: a clear message" grep -q "gnuplot is not installed" "$d/err"
check "no gnuplot: export still works" "$CALFTRACK" export summary -o "$d/again.csv"
DISPLAY= "$CALFTRACK" plot adherence >"$d/out" 2>"$d/err"
check "no display, no -o: usage error" [ $? -eq 2 ]

# ---- the pod path, on the virtual pod ----------------------------------------------------
"$CALFTRACK_VPOD" --seed 6 --rate 104 -- "$CALFTRACK" session --fast -p "$d/rx.csv" >"$d/out" 2>"$d/err"
check "virtual pod session exit 0" [ $? -eq 0 ]
vid=$(sed -n 's/^Stored as session \(.*\)\.$/\1/p' "$d/out")
check "virtual pod session recorded" [ -s "$d/data/calftrack/sessions/$vid/recording.ctrec" ]
check "virtual pod session: source virtual" grep -q '^source,virtual' "$d/data/calftrack/sessions/$vid/meta.csv"

# ---- a reader that goes away: the session stops and is kept --------------------------------
"$CALFTRACK" session --replay "$d/rec.ctrec" --fast -p "$d/rx.csv" --json | head -n 2 >/dev/null
"$CALFTRACK" history >"$d/out"
check "closed pipe: the session is kept as stopped" [ "$(grep -c ' stopped \| complete ' "$d/out")" -ge 3 ]

# ---- Ctrl-C: stops cleanly, keeps what was done ----------------------------------------------
"$CALFTRACK" session --replay "$d/rec.ctrec" -p "$d/rx.csv" >"$d/int.out" 2>&1 &
pid=$!
sleep 2
kill -INT "$pid"
wait "$pid"
check "Ctrl-C: exit 0" [ $? -eq 0 ]
check "Ctrl-C: the session says it stopped" grep -q "^end stopped" "$d/int.out"
iid=$(sed -n 's/^Stored as session \(.*\)\.$/\1/p' "$d/int.out")
check "Ctrl-C: stored as stopped" grep -q '^status,stopped' "$d/data/calftrack/sessions/$iid/meta.csv"

# ---- killed and recovered ----------------------------------------------------------------
"$CALFTRACK" session --replay "$d/rec.ctrec" -p "$d/rx.csv" >"$d/killed.out" 2>&1 &
pid=$!
sleep 3
kill -9 "$pid"
wait "$pid" 2>/dev/null
"$CALFTRACK" history >"$d/out"
kid=$(sed -n 's/^\([0-9-]*\) .* running .*/\1/p' "$d/out" | head -n 1)
check "killed session shows as running" [ -n "$kid" ]
run 0 "recover the killed session" "$CALFTRACK" recover "$kid"
check "recover says so" grep -q "^Recovered session $kid" "$d/out"
"$CALFTRACK" history >"$d/out"
check "history: recovered" grep -q "^$kid .* recovered" "$d/out"
check "old events kept" [ -f "$d/data/calftrack/sessions/$kid/events.csv.old" ]
run 1 "recover again without --force" "$CALFTRACK" recover "$kid"
run 0 "recover --all with nothing to do" "$CALFTRACK" recover --all
exit $((fails > 0))
