#!/bin/bash
# wc: counts of lines, words, bytes, their layout, totals, missing files.
source "$(dirname "$0")/testlib.sh"

printf 'one two\nthree\n  four\tfive  \n' >a
printf 'no newline' >b
printf '' >empty

ok "$BIN/wc" a
expect_out <<'X'
 3  5 28 a
X
ok "$BIN/wc" -l a
expect_out <<'X'
3 a
X
"$BIN/wc" -w <a >.out
expect_out <<'X'
5
X
"$BIN/wc" <a >.out
expect_out <<'X'
 3  5 28
X
ok "$BIN/wc" -c -l b empty
expect_out <<'X'
 0 10 b
 0  0 empty
 0 10 total
X
ok "$BIN/wc" a b
expect_out <<'X'
 3  5 28 a
 0  2 10 b
 3  7 38 total
X

seq 1 100000 >big
ok "$BIN/wc" -l big
expect_out <<'X'
100000 big
X

# A missing file is reported; the others and the total are still printed.
run "$BIN/wc" -l a nosuch
expect_status 1
expect_out <<'X'
3 a
3 total
X
expect_err <<'X'
wc: nosuch: No such file or directory
X

run "$BIN/wc" -m a
expect_usage
pass
