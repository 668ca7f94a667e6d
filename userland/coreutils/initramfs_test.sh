#!/bin/bash
# coreutils_initramfs holds exactly /bin and every program as /bin/<name>,
# mode 0755, byte-identical to the built program (GNU cpio reads it).
# usage: initramfs_test.sh ARCHIVE PROGRAM...
set -euo pipefail
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
command -v cpio >/dev/null || fail "GNU cpio is missing (apt-get install cpio)"
archive=$(readlink -f "$1")
shift

expected="drwxr-xr-x bin"
for prog in "$@"; do
    expected+=$'\n'"-rwxr-xr-x bin/$(basename "$prog")"
done
expected=$(sort <<<"$expected")
listing=$(cpio -itv --quiet <"$archive" | awk '{print $1, $9}' | sort)
[[ $listing == "$expected" ]] || fail "listing differs:
$(diff <(echo "$expected") <(echo "$listing") || true)"

out=$TEST_TMPDIR/extract
rm -rf "$out" && mkdir -p "$out"
(cd "$out" && cpio -id --quiet <"$archive")
for prog in "$@"; do
    cmp -s "$prog" "$out/bin/$(basename "$prog")" || fail "bin/$(basename "$prog") differs from $prog"
done
echo PASS
