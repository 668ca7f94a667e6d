#!/bin/bash
# rm: files, -r trees, -f quietness, refusal of directories without -r and of
# "." and "..".
source "$(dirname "$0")/testlib.sh"

printf 'x' >a
printf 'y' >b
ok "$BIN/rm" a b
[[ ! -e a && ! -e b ]] || fail "files remain"

run "$BIN/rm" nosuch
expect_status 1
expect_err <<'X'
rm: nosuch: No such file or directory
X
ok "$BIN/rm" -f nosuch
ok "$BIN/rm" -f

mkdir -p tree/a/b tree/c
printf 'z' >tree/a/b/file
ln -s /nonexistent tree/c/dangling
run "$BIN/rm" tree
expect_status 1
expect_err <<'X'
rm: tree: Is a directory
X
[[ -d tree ]] || fail "tree removed without -r"

ok "$BIN/rm" -r tree
[[ ! -e tree ]] || fail "tree remains"

# A symlink to a directory: the link goes, the directory stays.
mkdir keep
printf 'k' >keep/file
ln -s keep linkdir
ok "$BIN/rm" -r linkdir
[[ ! -L linkdir && -f keep/file ]] || fail "rm -r followed a symlink"

mkdir dots
run "$BIN/rm" -rf dots/. dots/..
expect_status 1
expect_err <<'X'
rm: refusing to remove '.' or '..' directory: skipping 'dots/.'
rm: refusing to remove '.' or '..' directory: skipping 'dots/..'
X
[[ -d dots ]] || fail "dots removed"

run "$BIN/rm"
expect_usage
expect_err <<'X'
rm: missing operand
usage: rm [-frR] FILE...
X
run "$BIN/rm" -i x
expect_usage
pass
