#!/bin/bash
# od: octal words by default, -x -d -b -c, several formats at once, an odd
# last byte, repeated lines as "*", empty input, errors.
source "$(dirname "$0")/testlib.sh"

printf 'hello' >hello
ok "$BIN/od" hello
expect_out <<'X'
0000000 062550 066154 000157
0000005
X
ok "$BIN/od" -x hello
expect_out <<'X'
0000000 6568 6c6c 006f
0000005
X
ok "$BIN/od" -d hello
expect_out <<'X'
0000000 25960 27756   111
0000005
X
ok "$BIN/od" -b hello
expect_out <<'X'
0000000 150 145 154 154 157
0000005
X

printf 'a\0\a\b\t\n\v\f\r\001\177\200\377 \\z' >chars
ok "$BIN/od" -c chars
expect_out <<'X'
0000000   a  \0  \a  \b  \t  \n  \v  \f  \r 001 177 200 377       \   z
0000020
X
ok "$BIN/od" -c -x hello
expect_out <<'X'
0000000   h   e   l   l   o
        6568 6c6c 006f
0000005
X

head -c 64 /dev/zero >zeros
printf 'x' >>zeros
ok "$BIN/od" -x zeros
expect_out <<'X'
0000000 0000 0000 0000 0000 0000 0000 0000 0000
*
0000100 0078
0000101
X

: | run "$BIN/od"
expect_status 0
expect_out <<'X'
0000000
X

printf 'hi' | run "$BIN/od" -c hello - nosuch
expect_status 1
expect_out <<'X'
0000000   h   e   l   l   o   h   i
0000007
X
expect_err <<'X'
od: nosuch: No such file or directory
X

run "$BIN/od" -t x1 hello
expect_usage
pass
