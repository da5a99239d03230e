#!/bin/sh
# Runs each libFuzzer target for SECONDS from its seed corpus in tests/fuzz/corpus/NAME.
# New inputs go to a scratch corpus under BUILD, not into the repository; a crash leaves
# its input in BUILD/fuzz/ and fails the run (add it to the seed corpus with a fix).
set -u
build=$1; seconds=$2; shift 2
status=0
for f in "$@"; do
    name=$(basename "$f")
    seed="tests/fuzz/corpus/$name"
    work="$build/fuzz/corpus-$name"
    mkdir -p "$work" "$seed"
    echo "== $name for ${seconds}s"
    if [ "$seconds" -eq 0 ]; then limit="-runs=0"; else limit="-max_total_time=$seconds"; fi
    if ! "$f" "$limit" -print_final_stats=1 -artifact_prefix="$build/fuzz/$name-" \
        "$work" "$seed" 2>"$build/fuzz/$name.log"; then
        echo "FAIL: $name (see $build/fuzz/$name.log)"; tail -n 30 "$build/fuzz/$name.log"; status=1
    else
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/fuzz/$name.log")
        echo "PASS: $name ($runs inputs, no crash)"
    fi
done
exit $status
