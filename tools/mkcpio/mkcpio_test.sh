#!/usr/bin/env bash
# Tests for mkcpio: exact bytes of a small archive, determinism, implied
# parents and sorting, mode defaults, manifest errors, and an independent
# reading by the host's GNU cpio (listing and extraction).
# usage: mkcpio_test.sh MKCPIO
set -euo pipefail

mkcpio="$(readlink -f "$1")"
work="${TEST_TMPDIR:-$(mktemp -d)}/mkcpio"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# --- Exact bytes ---------------------------------------------------------
# One directory: a 110-byte header, "d\0" (112, aligned), the trailer
# (110 + 11 -> 124), then NULs to 512.
echo "dir /d 0700" > one.manifest
"$mkcpio" one.manifest one.cpio
expected="$(printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08Xd' \
                1 $((040700)) 0 0 2 0 0 0 0 0 0 2 0)"
expected_trailer="$(printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08XTRAILER!!!' \
                0 0 0 0 1 0 0 0 0 0 0 11 0)"
[ "$(head -c 111 one.cpio)" = "$expected" ] || fail "header of the single directory: $(head -c 111 one.cpio)"
[ "$(tail -c +113 one.cpio | head -c 120)" = "$expected_trailer" ] || fail "trailer header"
[ "$(stat -c %s one.cpio)" = 512 ] || fail "archive is not padded to 512 bytes"
[ "$(tail -c +237 one.cpio | tr -d '\0' | wc -c)" = 0 ] || fail "padding is not NULs"

# --- A realistic manifest ------------------------------------------------
mkdir -p src
printf 'Welcome to Futura\n' > src/motd
printf 'futura\n' > src/hostname
printf '#!/bin/sh\necho hi\n' > src/script && chmod 0755 src/script
: > src/empty
printf 'text with an execute bit\n' > src/plain_x && chmod 0755 src/plain_x
cp "$(readlink -f /bin/true)" src/elf && chmod 0755 src/elf
cp src/elf src/elf_nox && chmod 0644 src/elf_nox
cat > full.manifest <<'EOF'
# comments and blank lines are ignored

file /etc/motd      src/motd
file etc/hostname   src/hostname 0600
file /usr/bin/hi    src/script
file /var/empty     src/empty
file /auto/plain_x  src/plain_x
file /auto/elf      src/elf
file /auto/elf_nox  src/elf_nox
dir  /tmp           1777
dir  /usr           0711
symlink /bin        usr/bin
EOF
"$mkcpio" full.manifest a.cpio
cp full.manifest reordered.manifest
tac full.manifest > reordered.manifest
"$mkcpio" reordered.manifest b.cpio
cmp -s a.cpio b.cpio || fail "the archive depends on manifest order"
"$mkcpio" full.manifest c.cpio
cmp -s a.cpio c.cpio || fail "two runs give different archives"

if ! command -v cpio >/dev/null; then
    echo "FAIL: GNU cpio is missing (apt-get install cpio; ./futura installs it)" >&2
    exit 1
fi

# Sorted, with the implied parents /etc, /usr/bin and /var; owners root.
listing="$(TZ=UTC cpio -itv --quiet < a.cpio | awk '{print $1, $3, $4, $5, $9, $10, $11}' | sed 's/ *$//')"
elf_size="$(stat -c %s src/elf)"
expected_listing="drwxr-xr-x root root 0 auto
-rwxr-xr-x root root $elf_size auto/elf
-rw-r--r-- root root $elf_size auto/elf_nox
-rw-r--r-- root root 25 auto/plain_x
lrwxrwxrwx root root 7 bin -> usr/bin
drwxr-xr-x root root 0 etc
-rw------- root root 7 etc/hostname
-rw-r--r-- root root 18 etc/motd
drwxrwxrwt root root 0 tmp
drwx--x--x root root 0 usr
drwxr-xr-x root root 0 usr/bin
-rwxr-xr-x root root 18 usr/bin/hi
drwxr-xr-x root root 0 var
-rw-r--r-- root root 0 var/empty"
if [ "$listing" != "$expected_listing" ]; then
    fail "cpio -itv listing differs:"
    diff <(echo "$expected_listing") <(echo "$listing") >&2 || true
fi
[ "$(TZ=UTC cpio -itv --quiet < a.cpio | awk '{print $6, $7, $8}' | sort -u)" = "Jan 1 1970" ] ||
    fail "mtimes are not 0"

mkdir out && (cd out && cpio -id --quiet < ../a.cpio)
cmp -s out/etc/motd src/motd || fail "extracted /etc/motd differs"
cmp -s out/usr/bin/hi src/script || fail "extracted /usr/bin/hi differs"
[ "$(readlink out/bin)" = usr/bin ] || fail "extracted /bin is not a symlink to usr/bin"

# Inode numbers 1, 2, ... in archive order (the ino field follows the magic).
inos="$(grep -ao '070701[0-9A-F]\{8\}' a.cpio | cut -c7-14 | tr '\n' ' ')"
[ "$inos" = "$(printf '%08X ' $(seq 1 14) 0)" ] ||
    fail "inode numbers: $inos"

# --- Manifest errors: exit 1 with the line and the reason ------------------
expect_error() { # name, expected message part, manifest text
    printf '%s\n' "$3" > "bad-$1.manifest"
    if "$mkcpio" "bad-$1.manifest" "bad-$1.cpio" 2> "bad-$1.err"; then
        fail "$1: accepted"
    elif ! grep -qF -- "$2" "bad-$1.err"; then
        fail "$1: message '$(cat "bad-$1.err")' lacks '$2'"
    fi
}
expect_error duplicate 'bad-duplicate.manifest:2: "/a" is already listed on line 1' \
    "$(printf 'dir /a\ndir a')"
expect_error dotdot 'has a "." or ".." component' "file /a/../b src/motd"
expect_error empty_component 'has an empty component' "dir /a//b"
expect_error root 'destination is the root' "dir /"
expect_error file_parent 'cannot be inside "/etc/motd", which is not a directory' \
    "$(printf 'file /etc/motd src/motd\nfile /etc/motd/x src/motd')"
expect_error mode 'is not an octal permission mode' "file /a src/motd 0999"
expect_error big_mode 'is not an octal permission mode' "dir /a 010000"
expect_error missing_source 'cannot read "src/nosuch"' "file /a src/nosuch"
expect_error directory_source 'is not a regular file' "file /a src"
expect_error unknown ':1: expected "file DEST SRC [MODE]"' "fifo /a"
expect_error extra_field ':1: expected' "symlink /a b c"

"$mkcpio" > /dev/null 2>&1 && fail "no arguments accepted"
"$mkcpio" --help | grep -q "usage: mkcpio MANIFEST OUTPUT" || fail "--help"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "mkcpio: all checks passed"
