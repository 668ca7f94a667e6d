#!/bin/bash
# rmdir: empty directories only; -p removes the named parents too.
source "$(dirname "$0")/testlib.sh"

mkdir -p a/b/c full
printf 'x' >full/file
ok "$BIN/rmdir" a/b/c
[[ ! -e a/b/c && -d a/b ]] || fail "a/b/c"

run "$BIN/rmdir" full nosuch
expect_status 1
expect_err <<'X'
rmdir: full: Directory not empty
rmdir: nosuch: No such file or directory
X

mkdir -p a/b/c
ok "$BIN/rmdir" -p a/b/c/
[[ ! -e a ]] || fail "rmdir -p left a"

mkdir -p p/q
printf 'x' >p/keep
run "$BIN/rmdir" -p p/q
expect_status 1
expect_err <<'X'
rmdir: p: Directory not empty
X
[[ ! -e p/q && -d p ]] || fail "-p stopped wrongly"

run "$BIN/rmdir"
expect_usage
run "$BIN/rmdir" -x d
expect_usage
pass
