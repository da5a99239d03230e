#!/bin/sh
# size-report.sh SIZE FLASH_BUDGET RAM_BUDGET ELF... - flash and static RAM per image;
# fails when an image is over budget. Flash = code + constants + boot2 + .data's
# initial values; static RAM = .data + .bss (the stack is extra, 4 KiB at the top).
size=$1 flash_budget=$2 ram_budget=$3; shift 3
rc=0
for elf in "$@"; do
    set -- $($size -B "$elf" | awk 'NR == 2 { print $1, $2, $3 }')
    flash=$(($1 + $2)) ram=$(($2 + $3))
    printf '%s: flash %d / %d bytes (%d%%), static RAM %d / %d bytes (%d%%)\n' \
        "$(basename "$elf")" "$flash" "$flash_budget" $((flash * 100 / flash_budget)) \
        "$ram" "$ram_budget" $((ram * 100 / ram_budget))
    if [ "$flash" -gt "$flash_budget" ] || [ "$ram" -gt "$ram_budget" ]; then
        echo "$(basename "$elf"): over budget" >&2
        rc=1
    fi
done
exit $rc
