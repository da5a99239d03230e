#!/bin/sh
# Installs the Debian packages calftrack needs to build, test and run, once.
# Called by the Makefile; prints what it installs and why. Nothing else is downloaded.
set -eu

PKGS="build-essential pkg-config libusb-1.0-0-dev libcsv-dev libcmocka-dev gnuplot-nox
umockdev libumockdev-dev gcc-arm-none-eabi libnewlib-arm-none-eabi nodejs npm clang
libclang-rt-14-dev"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing="$missing $p"
done
# Debian's npm package may be absent where node ships its own npm: accept either.
case " $missing " in *" npm "*) command -v npm >/dev/null 2>&1 &&
    missing=$(echo "$missing" | sed 's/ npm//') ;; esac
case " $missing " in *" nodejs "*) command -v node >/dev/null 2>&1 &&
    missing=$(echo "$missing" | sed 's/ nodejs//') ;; esac

[ -z "$(echo "$missing" | tr -d ' ')" ] && exit 0

echo "calftrack: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "calftrack: apt-get not found; please install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
