#!/bin/bash
# ln: hard links, -s symbolic links, into a directory, -f replacement.
source "$(dirname "$0")/testlib.sh"

printf 'data\n' >a
ok "$BIN/ln" a hard
[[ $("$BIN/stat" -c %i a) == $("$BIN/stat" -c %i hard) ]] || fail "not a hard link"
[[ $("$BIN/stat" -c %h a) == 2 ]] || fail "link count"

ok "$BIN/ln" -s a soft
[[ -L soft && $(readlink soft) == a && $(<soft) == data ]] || fail "symlink"

# A symlink's target is stored as given, even when it does not exist.
ok "$BIN/ln" -s does/not/exist dangling
[[ $(readlink dangling) == does/not/exist ]] || fail "dangling"

mkdir dir
ok "$BIN/ln" -s /some/where/target dir
ok "$BIN/ln" a dir
[[ $(readlink dir/target) == /some/where/target ]] || fail "into dir (symlink)"
[[ $("$BIN/stat" -c %i dir/a) == $("$BIN/stat" -c %i a) ]] || fail "into dir (hard)"

run "$BIN/ln" -s a soft
expect_status 1
expect_err <<'X'
ln: soft: File exists
X
printf 'other\n' >b
ok "$BIN/ln" -sf b soft
[[ $(readlink soft) == b ]] || fail "-f did not replace"

run "$BIN/ln" nosuch x
expect_status 1
expect_err <<'X'
ln: nosuch: No such file or directory
X

run "$BIN/ln" a
expect_usage
run "$BIN/ln" -L a b
expect_usage
pass
