#!/bin/bash
# tail: last lines of files (seekable, read from the end) and pipes (held in
# memory), +N, -c, -N, headers, files without a final newline, large files,
# and -f following appended data.
source "$(dirname "$0")/testlib.sh"

seq 1 20 >twenty
printf 'a\nb\nc' >nonl

ok "$BIN/tail" twenty
expect_out <<'X'
11
12
13
14
15
16
17
18
19
20
X
ok "$BIN/tail" -n 3 twenty
expect_out <<'X'
18
19
20
X
ok "$BIN/tail" -2 twenty
expect_out <<'X'
19
20
X
ok "$BIN/tail" -n +19 twenty
expect_out <<'X'
19
20
X
ok "$BIN/tail" -c 6 twenty
expect_out <<'X'
19
20
X
ok "$BIN/tail" -c +49 twenty
expect_out <<'X'
20
X
ok "$BIN/tail" -n 0 twenty
expect_out_bytes ''
ok "$BIN/tail" -n 1 nonl
expect_out_bytes 'c'
ok "$BIN/tail" -n 2 nonl
expect_out_bytes 'b\nc'
ok "$BIN/tail" -n 50 nonl
expect_out_bytes 'a\nb\nc'

# Pipes: the same answers.
seq 1 20 | run "$BIN/tail" -n 3
expect_out <<'X'
18
19
20
X
printf 'a\nb\nc' | run "$BIN/tail" -n 2
expect_out_bytes 'b\nc'
seq 1 20 | run "$BIN/tail" -n +20
expect_out <<'X'
20
X

# Larger than one 64 KiB read, from a file and from a pipe.
seq 1 200000 >big
ok "$BIN/tail" -n 3 big
expect_out <<'X'
199998
199999
200000
X
ok "$BIN/tail" -n 199999 big
[[ $(head -n 1 .out) == 2 ]] || fail "tail -n 199999 big starts at $(head -n 1 .out)"
cat big | run "$BIN/tail" -n 199999
[[ $(head -n 1 .out) == 2 ]] || fail "piped tail -n 199999 starts at $(head -n 1 .out)"

run "$BIN/tail" -n 1 twenty nosuch nonl
expect_status 1
expect_out_bytes '==> twenty <==\n20\n\n==> nonl <==\nc'
expect_err <<'X'
tail: nosuch: No such file or directory
X

run "$BIN/tail" -n abc twenty
expect_usage
run "$BIN/tail" -x
expect_usage

# -f: data appended later shows up; the follower is killed at the end.
printf 'first\n' >log
"$BIN/tail" -f log >follow.out 2>follow.err &
follower=$!
wait_for() {
    for _ in $(seq 1 100); do
        grep -qx "$1" follow.out 2>/dev/null && return 0
        sleep 0.1
    done
    kill "$follower"
    fail "tail -f never printed '$1'; got: $(cat follow.out)"
}
wait_for first
printf 'second\n' >>log
wait_for second
printf 'third\n' >>log
wait_for third
kill "$follower"
wait "$follower" 2>/dev/null || true
printf 'first\nsecond\nthird\n' >expected
cmp expected follow.out || fail "tail -f output: $(cat follow.out)"
pass
