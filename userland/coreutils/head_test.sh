#!/bin/bash
# head: default 10 lines, -n, -c, the historical -N, headers for several
# files, short files, missing files, bad counts.
source "$(dirname "$0")/testlib.sh"

for i in $(seq 1 15); do echo "line $i"; done >fifteen
printf 'a\nb' >short

ok "$BIN/head" fifteen
expect_out <<'X'
line 1
line 2
line 3
line 4
line 5
line 6
line 7
line 8
line 9
line 10
X

ok "$BIN/head" -n 2 fifteen
expect_out <<'X'
line 1
line 2
X
ok "$BIN/head" -3 fifteen
expect_out <<'X'
line 1
line 2
line 3
X
ok "$BIN/head" -n 0 fifteen
expect_out_bytes ''
ok "$BIN/head" -c 8 fifteen
expect_out_bytes 'line 1\nl'
ok "$BIN/head" -n 5 short
expect_out_bytes 'a\nb'

"$BIN/head" -n 1 <fifteen >.out
expect_out <<'X'
line 1
X

run "$BIN/head" -n 1 fifteen nosuch - short <fifteen
expect_status 1
expect_out <<'X'
==> fifteen <==
line 1

==> standard input <==
line 1

==> short <==
a
X
expect_err <<'X'
head: nosuch: No such file or directory
X

# A long line spanning many reads still ends the count where it should.
{ head -c 200000 /dev/zero | tr '\0' 'x'; echo; echo second; echo third; } >long
ok "$BIN/head" -n 2 long
[[ $(wc -l <.out) -eq 2 && $(tail -n 1 .out) == second ]] || fail "long line"

run "$BIN/head" -n x fifteen
expect_usage
expect_err <<'X'
head: invalid number of lines: 'x'
usage: head [-n LINES | -c BYTES] [FILE...]
X
run "$BIN/head" -n
expect_usage
run "$BIN/head" -q
expect_usage
pass
