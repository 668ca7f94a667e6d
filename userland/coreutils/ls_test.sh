#!/bin/bash
# ls: sorted listings, hidden files, -d, -R layout, long format with fixed
# times (touch -t), symlinks, missing operands.
source "$(dirname "$0")/testlib.sh"

mkdir -p tree/sub/deeper tree/empty
printf '12345' >tree/b
printf '' >tree/a
printf 'x' >tree/.hidden
printf 'y' >tree/sub/file
ln -s b tree/link
ln -s nowhere tree/dangling

ok "$BIN/ls" tree
expect_out <<'X'
a
b
dangling
empty
link
sub
X

# -C: columns filled downwards, as wide as $COLUMNS when not on a terminal.
COLUMNS=20 run "$BIN/ls" -C tree
expect_status 0
expect_out <<'X'
a         empty
b         link
dangling  sub
X
COLUMNS=80 run "$BIN/ls" -C tree
expect_out <<'X'
a         b         dangling  empty     link      sub
X
COLUMNS=5 run "$BIN/ls" -C tree/sub
expect_out <<'X'
deeper
file
X
COLUMNS=80 run "$BIN/ls" -C -1 tree/sub
expect_out <<'X'
deeper
file
X

ok "$BIN/ls" -a tree
expect_out <<'X'
.
..
.hidden
a
b
dangling
empty
link
sub
X

ok "$BIN/ls" -A tree/
expect_out <<'X'
.hidden
a
b
dangling
empty
link
sub
X

# Files first, then each directory under a header; -d lists the directory itself.
ok "$BIN/ls" tree/sub tree/b tree/a
expect_out <<'X'
tree/a
tree/b

tree/sub:
deeper
file
X
ok "$BIN/ls" -d tree tree/sub
expect_out <<'X'
tree
tree/sub
X

ok "$BIN/ls" -R tree/sub
expect_out <<'X'
tree/sub:
deeper
file

tree/sub/deeper:
X

ok "$BIN/ls" -1R tree
expect_out <<'X'
tree:
a
b
dangling
empty
link
sub

tree/empty:

tree/sub:
deeper
file

tree/sub/deeper:
X

# Long format: fixed old mtimes print the year; recent ones the time of day.
"$BIN/touch" -t 200101020304 tree/a tree/b tree/link
ln tree/b tree/b2
"$BIN/touch" -t 200101020304 tree/b2
chmod 4755 tree/b
chmod 0600 tree/a
run "$BIN/ls" -ln tree/a tree/b tree/b2
expect_status 0
uid=$("$BIN/stat" -c %u tree/a)
gid=$("$BIN/stat" -c %g tree/a)
expect_out <<X
-rw------- 1 $uid $gid 0 Jan  2  2001 tree/a
-rwsr-xr-x 2 $uid $gid 5 Jan  2  2001 tree/b
-rwsr-xr-x 2 $uid $gid 5 Jan  2  2001 tree/b2
X

# A symlink operand in long format is the link itself, with its target.
run "$BIN/ls" -ln tree/link
expect_out <<X
lrwxrwxrwx 1 $uid $gid 1 $(TZ=UTC "$BIN/date" -d @"$("$BIN/stat" -c %Y tree/link)" '+%b %e %H:%M') tree/link -> b
X

# A directory listing in long format starts with "total <1K blocks>".
"$BIN/touch" -d '2001-01-02 03:04' tree/sub/file
ok "$BIN/ls" -ln tree/sub
head -n 1 .out | grep -Eq '^total [0-9]+$' || fail "no total line: $(cat .out)"
grep -Eq '^d[rwx-]{9} +[0-9]+ ' .out || fail "no directory line: $(cat .out)"
grep -Eq -- "^-rw-r--r-- 1 $uid $gid +1 Jan  2  2001 file\$" .out || fail "file line: $(cat .out)"

# A dangling symlink operand is still listed; a missing one is an error.
ok "$BIN/ls" tree/dangling
expect_out <<'X'
tree/dangling
X
run "$BIN/ls" tree/a nosuch tree/b
expect_status 1
expect_out <<'X'
tree/a
tree/b
X
expect_err <<'X'
ls: nosuch: No such file or directory
X

cd tree/sub
ok "$BIN/ls"
expect_out <<'X'
deeper
file
X
cd "$T"

run "$BIN/ls" -Z
expect_usage
pass
