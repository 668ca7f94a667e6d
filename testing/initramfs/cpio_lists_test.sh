#!/usr/bin/env bash
# GNU cpio, an independent reader, lists the initramfs() rule's archive and
# extracts it. usage: cpio_lists_test.sh ARCHIVE HELLO
set -euo pipefail
archive="$(readlink -f "$1")"
hello="$(readlink -f "$2")"
command -v cpio >/dev/null || { echo "FAIL: GNU cpio is missing (apt-get install cpio)" >&2; exit 1; }

listing="$(TZ=UTC cpio -itv --quiet < "$archive" | awk '{print $1, $5, $9, $10, $11}' | sed 's/ *$//')"
expected="drwxr-xr-x 0 bin
-rwxr-xr-x 25 bin/greet
-rwxr-xr-x $(stat -Lc %s "$hello") bin/hello
-rwxr-xr-x 28 bin/script
drwxr-xr-x 0 etc
-rw-r--r-- 10 etc/generated
lrwxrwxrwx 4 etc/issue -> motd
-rw-r--r-- 28 etc/motd
-rw-r--r-- 28 etc/motd.copy
-rw------- 17 etc/secret
drwxrwxrwt 0 tmp
drwxr-xr-x 0 usr
lrwxrwxrwx 6 usr/bin -> ../bin
drwxr-xr-x 0 var
drwxr-xr-x 0 var/log"
if [ "$listing" != "$expected" ]; then
    echo "FAIL: cpio -itv listing differs from the rule's inputs:" >&2
    diff <(echo "$expected") <(echo "$listing") >&2 || true
    exit 1
fi

out="${TEST_TMPDIR:-$(mktemp -d)}/extract"
rm -rf "$out" && mkdir -p "$out" && cd "$out"
cpio -id --quiet < "$archive"
[ "$(sh bin/greet)" = greetings ] || { echo "FAIL: bin/greet" >&2; exit 1; }
[ "$(sh usr/bin/script)" = "script ran" ] || { echo "FAIL: usr/bin/script via the symlink" >&2; exit 1; }
cmp -s bin/hello "$hello" || { echo "FAIL: bin/hello differs from //userland/hello" >&2; exit 1; }
echo "cpio lists and extracts the archive"
