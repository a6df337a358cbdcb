#!/bin/sh
# Install the Debian packages nesthv needs to build and test, if any are missing.
# As root this runs apt-get; otherwise it prints the exact command and stops.
set -e
PKGS="make gcc libc6-dev python3 libfdt-dev libcmocka-dev gcc-powerpc64le-linux-gnu binutils-powerpc64le-linux-gnu qemu-system-ppc device-tree-compiler clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "nesthv: installing missing packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "nesthv: missing packages:$missing" >&2
    echo "nesthv: run this, then try again:  sudo apt-get install -y$missing" >&2
    exit 1
fi
