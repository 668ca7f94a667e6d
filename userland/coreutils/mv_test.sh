#!/bin/bash
# mv: rename files and directories, into a directory, replace a file, and the
# errors: missing source, several sources without a directory target.
source "$(dirname "$0")/testlib.sh"

printf 'alpha\n' >a
ok "$BIN/mv" a b
[[ ! -e a && $(<b) == alpha ]] || fail "rename a -> b"

printf 'old\n' >c
ok "$BIN/mv" b c
[[ ! -e b && $(<c) == alpha ]] || fail "replace c"

mkdir -p d/sub target
printf 'x\n' >d/sub/x
printf 'y\n' >y
ok "$BIN/mv" d y target
ok "$BIN/find" target
expect_out <<'X'
target
target/d
target/d/sub
target/d/sub/x
target/y
X

run "$BIN/mv" nosuch z
expect_status 1
expect_err <<'X'
mv: nosuch: No such file or directory
X

printf '1\n' >p
printf '2\n' >q
run "$BIN/mv" p q r
expect_status 1
expect_err <<'X'
mv: target 'r' is not a directory
X

# A directory cannot replace a non-empty directory.
mkdir -p full/inner e
run "$BIN/mv" e full
[[ -d full/e ]] || fail "mv e full should move into full"
mkdir e2 -p full2/e2/keep
run "$BIN/mv" e2 full2
expect_status 1
grep -q "^mv: cannot move 'e2' to 'full2/e2': " .err || fail "no cannot-move message: $(cat .err)"

run "$BIN/mv" onlyone
expect_usage
run "$BIN/mv" -f a b
expect_usage
pass
