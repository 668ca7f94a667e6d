#!/bin/bash
# mkdir: plain, -p with missing parents and existing directories, -m modes,
# and errors for existing paths and missing parents.
source "$(dirname "$0")/testlib.sh"

ok "$BIN/mkdir" a b
[[ -d a && -d b ]] || fail "a b not made"
[[ $("$BIN/stat" -c %a a) == 755 ]] || fail "mode under umask 022"

run "$BIN/mkdir" a
expect_status 1
expect_err <<'X'
mkdir: a: File exists
X

run "$BIN/mkdir" x/y/z
expect_status 1
expect_err <<'X'
mkdir: x/y/z: No such file or directory
X

ok "$BIN/mkdir" -p x/y/z a x//y/w/
[[ -d x/y/z && -d x/y/w ]] || fail "-p did not make parents"

printf 'f' >file
run "$BIN/mkdir" -p file/sub
expect_status 1
expect_err <<'X'
mkdir: file: File exists
X
run "$BIN/mkdir" -p file
expect_status 1
expect_err <<'X'
mkdir: file: File exists
X

ok "$BIN/mkdir" -m 700 private
ok "$BIN/mkdir" -m 1777 -p shared/tmp
[[ $("$BIN/stat" -c %a private) == 700 ]] || fail "-m 700"
[[ $("$BIN/stat" -c %a shared/tmp) == 1777 ]] || fail "-m 1777 (umask must not cut it)"
[[ $("$BIN/stat" -c %a shared) == 755 ]] || fail "-p parent mode"

run "$BIN/mkdir" -m 9 q
expect_usage
expect_err <<'X'
mkdir: invalid mode '9'
usage: mkdir [-p] [-m MODE] DIRECTORY...
X
run "$BIN/mkdir"
expect_usage
run "$BIN/mkdir" -q
expect_usage
pass
