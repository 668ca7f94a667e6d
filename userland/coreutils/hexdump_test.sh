#!/bin/bash
# hexdump: the default 16-bit word layout and -C, partial last lines,
# repeated lines as "*", -n and -s, several files as one stream, errors.
source "$(dirname "$0")/testlib.sh"

printf 'hello\n' >hello
ok "$BIN/hexdump" hello
expect_out <<'X'
0000000 6568 6c6c 0a6f
0000006
X
printf 'hello' >odd
ok "$BIN/hexdump" odd
expect_out <<'X'
0000000 6568 6c6c 006f
0000005
X
ok "$BIN/hexdump" -C hello
expect_out <<'X'
00000000  68 65 6c 6c 6f 0a                                 |hello.|
00000006
X

printf 'The quick brown fox\0\001\377 jumps\n' >fox
ok "$BIN/hexdump" -C fox
expect_out <<'X'
00000000  54 68 65 20 71 75 69 63  6b 20 62 72 6f 77 6e 20  |The quick brown |
00000010  66 6f 78 00 01 ff 20 6a  75 6d 70 73 0a           |fox... jumps.|
0000001d
X

# Repeated full lines collapse into one "*".
head -c 100 /dev/zero >zeros
ok "$BIN/hexdump" -C zeros
expect_out <<'X'
00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|
*
00000060  00 00 00 00                                       |....|
00000064
X
ok "$BIN/hexdump" zeros
expect_out <<'X'
0000000 0000 0000 0000 0000 0000 0000 0000 0000
*
0000060 0000 0000
0000064
X

ok "$BIN/hexdump" -C -s 4 -n 6 fox
expect_out <<'X'
00000004  71 75 69 63 6b 20                                 |quick |
0000000a
X

# Files run together; standard input by "-".
printf 'abc' | run "$BIN/hexdump" -C hello - odd
expect_out <<'X'
00000000  68 65 6c 6c 6f 0a 61 62  63 68 65 6c 6c 6f        |hello.abchello|
0000000e
X

: >empty
ok "$BIN/hexdump" -C empty
expect_out <<'X'
00000000
X

run "$BIN/hexdump" -C nosuch hello
expect_status 1
expect_out <<'X'
00000000  68 65 6c 6c 6f 0a                                 |hello.|
00000006
X
expect_err <<'X'
hexdump: nosuch: No such file or directory
X

run "$BIN/hexdump" -n x hello
expect_usage
run "$BIN/hexdump" -v hello
expect_usage
pass
