#!/bin/bash
# find: sorted walks, -name/-iname/-path globs, -type, -maxdepth/-mindepth,
# ! -o ( ) and -print, symlinks not followed, errors and bad expressions.
source "$(dirname "$0")/testlib.sh"

mkdir -p t/src/lib t/docs t/empty
touch t/README t/src/main.c t/src/util.c t/src/util.h t/src/lib/x.C t/docs/guide.txt t/.hidden
ln -s src t/srclink
ln -s nowhere t/dangling

ok "$BIN/find" t
expect_out <<'X'
t
t/.hidden
t/README
t/dangling
t/docs
t/docs/guide.txt
t/empty
t/src
t/src/lib
t/src/lib/x.C
t/src/main.c
t/src/util.c
t/src/util.h
t/srclink
X

ok "$BIN/find" t -name '*.c'
expect_out <<'X'
t/src/main.c
t/src/util.c
X
ok "$BIN/find" t -iname '*.c'
expect_out <<'X'
t/src/lib/x.C
t/src/main.c
t/src/util.c
X
ok "$BIN/find" t -name 'util.[ch]' -type f
expect_out <<'X'
t/src/util.c
t/src/util.h
X
ok "$BIN/find" t -name '.*'
expect_out <<'X'
t/.hidden
X
ok "$BIN/find" t -path '*src/*.h'
expect_out <<'X'
t/src/util.h
X
ok "$BIN/find" t -type d
expect_out <<'X'
t
t/docs
t/empty
t/src
t/src/lib
X
ok "$BIN/find" t -type l
expect_out <<'X'
t/dangling
t/srclink
X
ok "$BIN/find" t -maxdepth 1 -type f
expect_out <<'X'
t/.hidden
t/README
X
ok "$BIN/find" t -mindepth 2 -maxdepth 2 -type d
expect_out <<'X'
t/src/lib
X
ok "$BIN/find" t -maxdepth 0
expect_out <<'X'
t
X
ok "$BIN/find" t/src t/docs -type f ! -name '*.c'
expect_out <<'X'
t/src/lib/x.C
t/src/util.h
t/docs/guide.txt
X
ok "$BIN/find" t \( -name README -o -name '*.txt' \) -print
expect_out <<'X'
t/README
t/docs/guide.txt
X
# With an explicit -print only the branch that has it prints.
ok "$BIN/find" t -name README -o -type d -print
expect_out <<'X'
t
t/docs
t/empty
t/src
t/src/lib
X
ok "$BIN/find" t -false
expect_out_bytes ''

cd t/src
ok "$BIN/find" -name '*.h'
expect_out <<'X'
./util.h
X
cd "$T"

run "$BIN/find" nosuch t/empty
expect_status 1
expect_out <<'X'
t/empty
X
expect_err <<'X'
find: nosuch: No such file or directory
X

run "$BIN/find" t -bogus
expect_usage
expect_err <<'X'
find: unknown predicate '-bogus'
usage: find [PATH...] [-name GLOB] [-iname GLOB] [-path GLOB] [-type fdlcbps] [-maxdepth N] [-mindepth N] [-print] [!] [-o] [( )]
X
run "$BIN/find" t -name
expect_usage
run "$BIN/find" t -type q
expect_usage
run "$BIN/find" t -maxdepth x
expect_usage
run "$BIN/find" t \( -name a
expect_usage
run "$BIN/find" t -name a \)
expect_usage
pass
