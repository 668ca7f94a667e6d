#!/bin/bash
# uniq: runs of adjacent lines, -c counts, -d repeated only, -u unique only,
# INPUT and OUTPUT operands.
source "$(dirname "$0")/testlib.sh"

printf 'a\na\nb\na\nc\nc\nc\n' >in

ok "$BIN/uniq" in
expect_out <<'X'
a
b
a
c
X
ok "$BIN/uniq" -c in
expect_out <<'X'
      2 a
      1 b
      1 a
      3 c
X
ok "$BIN/uniq" -d in
expect_out <<'X'
a
c
X
ok "$BIN/uniq" -u in
expect_out <<'X'
b
a
X
printf 'x\nx' | run "$BIN/uniq" -c
expect_out <<'X'
      2 x
X
# A line and its prefix are different lines.
printf 'ab\na\n' | run "$BIN/uniq"
expect_out <<'X'
ab
a
X

ok "$BIN/uniq" in out
[[ ! -s .out ]] || fail "wrote to stdout"
printf 'a\nb\na\nc\n' | cmp - out || fail "OUTPUT operand"

run "$BIN/uniq" nosuch
expect_status 1
expect_err <<'X'
uniq: nosuch: No such file or directory
X
run "$BIN/uniq" a b c
expect_usage
run "$BIN/uniq" -x
expect_usage
pass
