#!/bin/sh
# Runs every test given on the command line and prints one summary line.
#   test programs (cmocka)   counted from their "[  PASSED  ]" / "[  FAILED  ]" lines
#   tests/it/*.sh            integration scripts; each "PASS: ..." / "FAIL: ..." line counts
#   make:TARGET              `make TARGET`, counted like a script
# A program that dies without reporting its failures counts as one failure.
# Logs are kept under BUILD/test-logs/.
set -u
build=$1; shift
logs="$build/test-logs"
mkdir -p "$logs"
export CALFTRACK="$build/calftrack" CALFTRACK_VPOD="$build/calftrack-vpod" BUILD="$build"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
pass=0; fail=0; failed_list=""

for t in "$@"; do
    name=$(echo "$t" | tr '/:' '__')
    log="$logs/$name.log"
    case "$t" in
    make:*) ${MAKE:-make} --no-print-directory "${t#make:}" >"$log" 2>&1; rc=$? ;;
    *.sh) sh "$t" >"$log" 2>&1; rc=$? ;;
    *) "$t" >"$log" 2>&1; rc=$? ;;
    esac
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    p=$((p + $(grep -c '^PASS: ' "$log")))
    f=$((f + $(grep -c '^FAIL: ' "$log")))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$t: ran no test" >>"$log"; fi
    pass=$((pass + p)); fail=$((fail + f))
    if [ "$f" -gt 0 ]; then
        printf '%-50s %4d passed %4d FAILED  (log: %s)\n' "$t" "$p" "$f" "$log"
        failed_list="$failed_list $log"
    else
        printf '%-50s %4d passed\n' "$t" "$p"
    fi
done

for l in $failed_list; do
    echo "---- $l (last 40 lines)"; tail -n 40 "$l"
done
echo "total: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
