#!/bin/bash
# cat: concatenation in operand order, "-" for stdin, bytes kept exactly,
# errors reported per file without stopping the others.
source "$(dirname "$0")/testlib.sh"

printf 'one\n' >a
printf 'two\nthree' >b
ok "$BIN/cat" a b
expect_out_bytes 'one\ntwo\nthree'

run "$BIN/cat" a - b <<<"middle"
expect_status 0
expect_out_bytes 'one\nmiddle\ntwo\nthree'

printf 'from stdin\n' | run "$BIN/cat"
expect_out <<'X'
from stdin
X

# NUL and high bytes pass through; a big file arrives whole.
printf 'a\0b\377\n' >bin
ok "$BIN/cat" bin
cmp bin .out || fail "binary bytes changed"
head -c 3000000 /dev/urandom >big
ok "$BIN/cat" -u big
cmp big .out || fail "big file changed"

run "$BIN/cat" a nosuch b
expect_status 1
expect_out_bytes 'one\ntwo\nthree'
expect_err <<'X'
cat: nosuch: No such file or directory
X

mkdir dir
run "$BIN/cat" dir
expect_status 1
expect_err <<'X'
cat: dir: Is a directory
X

run "$BIN/cat" -z a
expect_usage
expect_err <<'X'
cat: invalid option -- 'z'
usage: cat [-u] [FILE...]
X

# "--" ends options: a file named "-z".
printf 'dash\n' >-z
ok "$BIN/cat" -- -z
expect_out <<'X'
dash
X
pass
