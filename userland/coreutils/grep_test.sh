#!/bin/bash
# grep: POSIX basic regular expressions (. * ^ $ [] [^] \( \) \{m,n\} and
# back-references), -E, -F, -i -v -n -c -q -l -x -r -h -H -s, several -e,
# exit statuses 0/1/2.
source "$(dirname "$0")/testlib.sh"

cat >text <<'X'
apple pie
banana split
Cherry tart
date
aardvark
a.b
abcabc
X

check() { # check EXPECTED-STDOUT GREP-ARGS...
    local expected=$1
    shift
    run "$BIN/grep" "$@" text
    if [[ -n $expected ]]; then expect_status 0; else expect_status 1; fi
    printf '%s' "$expected" >.want
    [[ -z $expected ]] || printf '\n' >>.want
    cmp -s .want .out || fail "grep $*: expected [$expected]
$(cat .out)"
}

check 'apple pie' 'pie'
check 'date' '^d.te$'
check 'aardvark' '^a*rd'
check $'apple pie\naardvark\na.b\nabcabc' '^a'
check 'a.b' 'a\.b'
check $'banana split\ndate\naardvark\nabcabc' '[b-d][^ ]'
check 'abcabc' '\(abc\)\1'
check 'aardvark' 'a\{2\}'
check $'banana split\nabcabc' 'a[a-z]\{1,2\}a'
check 'banana split' '\(an\)\{2,\}'
check $'apple pie\ndate' 'e$'
check '' 'zebra'
check 'Cherry tart' -i 'cherry'
check 'Cherry tart' -i 'CHERRY'
check $'aardvark\na.b\nabcabc' -v '[ep]'
check $'2:banana split\n5:aardvark' -n 'r[dk]\|split'
check '4' -c '^a'
check 'a.b' -F 'a.b'
check 'date' -x 'd.*'
check 'date' -x 'date'
check '' -x 'dat'
check $'apple pie\ndate' -e pie -e dat
check $'apple pie\ndate' $'pie\ndat'
check 'abcabc' -E '(abc){2}'
check $'apple pie\nCherry tart' -E 'pie|tart$'
check 'Cherry tart' -iF 'CHERRY T'

run "$BIN/grep" -q apple text
expect_status 0
[[ ! -s .out ]] || fail "-q printed"
run "$BIN/grep" -q zebra text
expect_status 1

# An empty pattern matches every line.
run "$BIN/grep" '' text
expect_status 0
cmp text .out || fail "empty pattern"

# Standard input, and several files with names.
printf 'pie from stdin\n' | run "$BIN/grep" pie
expect_out <<'X'
pie from stdin
X
printf 'x\npie\n' >other
ok "$BIN/grep" pie text other
expect_out <<'X'
text:apple pie
other:pie
X
ok "$BIN/grep" -h pie text other
expect_out <<'X'
apple pie
pie
X
ok "$BIN/grep" -H -n pie other
expect_out <<'X'
other:2:pie
X
ok "$BIN/grep" -c pie text other
expect_out <<'X'
text:1
other:1
X
ok "$BIN/grep" -l e text other
expect_out <<'X'
text
other
X

# -r: sorted walk, names prefixed; no operand means ".", without "./".
mkdir -p tree/sub
printf 'needle one\n' >tree/b
printf 'hay\nneedle two\n' >tree/sub/a
ln -s b tree/link
ok "$BIN/grep" -r needle tree
expect_out <<'X'
tree/b:needle one
tree/sub/a:needle two
X
(cd tree && run "$BIN/grep" -rn needle)
expect_out <<'X'
b:1:needle one
sub/a:2:needle two
X

# Errors: missing files and directories without -r give status 2, even after a match.
run "$BIN/grep" pie nosuch text
expect_status 2
expect_out <<'X'
text:apple pie
X
expect_err <<'X'
grep: nosuch: No such file or directory
X
run "$BIN/grep" -s pie nosuch
expect_status 2
[[ ! -s .err ]] || fail "-s still reported"
run "$BIN/grep" x tree
expect_status 2
expect_err <<'X'
grep: tree: Is a directory
X
run "$BIN/grep" -q pie nosuch text
expect_status 0

run "$BIN/grep" 'a\{1' text
expect_status 2
grep -q '^grep: a\\{1: ' .err || fail "no regex error: $(cat .err)"

run "$BIN/grep"
expect_usage
run "$BIN/grep" -Z x text
expect_usage
pass
