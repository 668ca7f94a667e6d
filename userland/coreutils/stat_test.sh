#!/bin/bash
# stat: -c directives on files with known sizes, modes and times, symlinks
# with and without -L, a device, the default report's layout, errors.
source "$(dirname "$0")/testlib.sh"

printf 'hello' >file
chmod 0640 file
"$BIN/touch" -d @1000000000 file
: >empty
mkdir dir
chmod 2755 dir
ln -s file link

ok "$BIN/stat" -c '%n|%s|%a|%A|%F|%h|%Y|%X|%f|%B' file
expect_out <<'X'
file|5|640|-rw-r-----|regular file|1|1000000000|1000000000|81a0|512
X
ok "$BIN/stat" -c '%n|%a|%A|%F' empty dir
expect_out <<'X'
empty|644|-rw-r--r--|regular empty file
dir|2755|drwxr-sr-x|directory
X

# Flags and widths; %% and unknown directives are printed as written.
ok "$BIN/stat" -c '[%8s][%-8s][%08s][%5a]%%[%q]' file
expect_out <<'X'
[       5][5       ][00000005][  640]%[%q]
X
ok "$BIN/stat" -c '%y' file
expect_out <<'X'
2001-09-09 01:46:40.000000000 +0000
X
TZ=EST5 run "$BIN/stat" -c '%y' file
expect_out <<'X'
2001-09-08 20:46:40.000000000 -0500
X

# The link itself, or (-L) what it points to.
ok "$BIN/stat" -c '%N|%F|%s' link
expect_out <<'X'
link -> file|symbolic link|4
X
ok "$BIN/stat" -L -c '%N|%F|%s' link
expect_out <<'X'
link|regular file|5
X

# Identity: a hard link shares the inode; the numbers are the kernel's.
ln file hard
ok "$BIN/stat" -c '%i %h %d %u %g' file hard
read -r ino1 links1 dev1 uid1 gid1 < <(sed -n 1p .out)
read -r ino2 links2 dev2 _ _ < <(sed -n 2p .out)
[[ $ino1 == "$ino2" && $dev1 == "$dev2" && $links1 == 2 && $links2 == 2 ]] ||
    fail "hard link identity: $(cat .out)"
[[ $uid1 == "$(id -u)" && $gid1 == "$(id -g)" ]] || fail "owner: $(cat .out)"

ok "$BIN/stat" -c '%F %t,%T' /dev/null
expect_out <<'X'
character special file 1,3
X

# The default report: fixed lines checked exactly, the rest by shape.
ok "$BIN/stat" file
sed -n '1p;5,6p' .out >.fixed
printf '  File: file\nAccess: 2001-09-09 01:46:40.000000000 +0000\nModify: 2001-09-09 01:46:40.000000000 +0000\n' |
    cmp - .fixed || fail "default report: $(cat .out)"
grep -Eq '^  Size: 5 +	Blocks: [0-9]+ +IO Block: [0-9]+ +regular file$' .out || fail "Size line: $(cat .out)"
grep -Eq "^Device: [0-9a-f]+h/[0-9]+d	Inode: $ino1 +Links: 2$" .out || fail "Device line: $(cat .out)"
grep -Eq "^Access: \\(0640/-rw-r-----\\)  Uid: \\( *$uid1/ *[^ ]+\\)   Gid: \\( *$gid1/ *[^ ]+\\)$" .out ||
    fail "Access line: $(cat .out)"
grep -Eq '^Change: [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\.[0-9]{9} \+0000$' .out || fail "Change line"
[[ $(wc -l <.out) -eq 7 ]] || fail "not 7 lines: $(cat .out)"

run "$BIN/stat" -c %n file nosuch empty
expect_status 1
expect_out <<'X'
file
empty
X
expect_err <<'X'
stat: nosuch: No such file or directory
X

run "$BIN/stat"
expect_usage
run "$BIN/stat" -c
expect_usage
run "$BIN/stat" -f file
expect_usage
pass
