#!/bin/bash
# tee: stdout and every file get all of the input; -a appends; a file that
# cannot be opened is reported and the rest still written.
source "$(dirname "$0")/testlib.sh"

printf 'old\n' >f1
printf 'hello\nworld\n' | run "$BIN/tee" f1 f2
expect_status 0
expect_out <<'X'
hello
world
X
printf 'hello\nworld\n' | cmp - f1 || fail "f1"
printf 'hello\nworld\n' | cmp - f2 || fail "f2"

printf 'more\n' | run "$BIN/tee" -a f1
printf 'hello\nworld\nmore\n' | cmp - f1 || fail "-a"

head -c 1000000 /dev/urandom >big
run "$BIN/tee" copy <big
cmp big copy || fail "big copy"
cmp big .out || fail "big stdout"

printf 'x\n' | run "$BIN/tee" nodir/f f3
expect_status 1
expect_out <<'X'
x
X
expect_err <<'X'
tee: nodir/f: No such file or directory
X
[[ $(<f3) == x ]] || fail "f3 after a failed file"

run "$BIN/tee" -i
expect_usage
pass
