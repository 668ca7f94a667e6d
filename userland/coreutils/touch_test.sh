#!/bin/bash
# touch: creates files, sets times from -t/-d/-r, -a/-m choose which, -c does
# not create; bad dates are usage errors.
source "$(dirname "$0")/testlib.sh"

ok "$BIN/touch" new
[[ -f new && ! -s new ]] || fail "new not created empty"
now=$("$BIN/date" +%s)
mtime=$("$BIN/stat" -c %Y new)
(( mtime <= now && now - mtime < 60 )) || fail "new mtime $mtime vs now $now"

printf 'keep' >existing
ok "$BIN/touch" -t 200102030405.06 existing
ok "$BIN/stat" -c '%Y %X' existing
expect_out <<'X'
981173106 981173106
X
[[ $(<existing) == keep ]] || fail "content changed"

ok "$BIN/touch" -d @1000000000 a
ok "$BIN/touch" -d '2001-09-09 01:46:40' b
ok "$BIN/touch" -d 2001-09-09T01:46:40 c
ok "$BIN/touch" -d 2001-09-09 d
ok "$BIN/touch" -t 0109090146.40 e
ok "$BIN/stat" -c '%n %Y' a b c d e
expect_out <<'X'
a 1000000000
b 1000000000
c 1000000000
d 999993600
e 1000000000
X

ok "$BIN/touch" -m -d @5 a
ok "$BIN/stat" -c '%X %Y' a
expect_out <<'X'
1000000000 5
X
ok "$BIN/touch" -a -d @7 a
ok "$BIN/stat" -c '%X %Y' a
expect_out <<'X'
7 5
X
ok "$BIN/touch" -r a b
ok "$BIN/stat" -c '%X %Y' b
expect_out <<'X'
7 5
X

# Directories and FIFOs cannot be opened for writing; their times are still set.
mkdir dir
mkfifo fifo
ok "$BIN/touch" -d @1234 dir fifo
ok "$BIN/stat" -c '%n %Y %F' dir fifo
expect_out <<'X'
dir 1234 directory
fifo 1234 fifo
X

ok "$BIN/touch" -c absent
[[ ! -e absent ]] || fail "-c created a file"

run "$BIN/touch" nodir/file
expect_status 1
expect_err <<'X'
touch: nodir/file: No such file or directory
X
run "$BIN/touch" -r nosuch a
expect_status 1

for bad in 2001-13-01 2001-02-30 '@' '@12x' 'yesterday'; do
    run "$BIN/touch" -d "$bad" f
    expect_usage
done
for bad in 1 010203 200102301200 0101010101.6; do
    run "$BIN/touch" -t "$bad" f
    expect_usage
done
[[ ! -e f ]] || fail "bad date created f"
run "$BIN/touch"
expect_usage
pass
