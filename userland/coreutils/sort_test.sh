#!/bin/bash
# sort: bytewise order, -n numbers, -r, -u, -k/-t fields, -o onto an input,
# several inputs, a last line without newline, errors.
source "$(dirname "$0")/testlib.sh"

printf 'pear\nApple\nbanana\napple\n10\n9\n-3\n2.5\nbanana\n' >words

ok "$BIN/sort" words
expect_out <<'X'
-3
10
2.5
9
Apple
apple
banana
banana
pear
X
ok "$BIN/sort" -r words
expect_out <<'X'
pear
banana
banana
apple
Apple
9
2.5
10
-3
X
ok "$BIN/sort" -u words
expect_out <<'X'
-3
10
2.5
9
Apple
apple
banana
pear
X
# -n: text counts as 0 and ties fall back to bytewise order.
ok "$BIN/sort" -n words
expect_out <<'X'
-3
Apple
apple
banana
banana
pear
2.5
9
10
X
ok "$BIN/sort" -nr words
expect_out <<'X'
10
9
2.5
pear
banana
banana
apple
Apple
-3
X
# -nu: one line per distinct number, the first of each run in input order.
ok "$BIN/sort" -nu words
expect_out <<'X'
-3
pear
2.5
9
10
X

printf 'b 2\na 10\nc 1\n' >fields
ok "$BIN/sort" -k 2 -n fields
expect_out <<'X'
c 1
b 2
a 10
X
printf 'x:3:z\ny:1:a\nz:2:m\n' >colons
ok "$BIN/sort" -t : -k 3,3 colons
expect_out <<'X'
y:1:a
z:2:m
x:3:z
X
ok "$BIN/sort" -t: -k2,2 -r colons
expect_out <<'X'
x:3:z
z:2:m
y:1:a
X

printf 'b\na' >nonl
printf 'c\n' | run "$BIN/sort" nonl -
expect_out <<'X'
a
b
c
X

cp words inplace
ok "$BIN/sort" -o inplace inplace
"$BIN/sort" words | cmp - inplace || fail "-o onto its input"

run "$BIN/sort" nosuch nonl
expect_status 1
expect_out <<'X'
a
b
X
expect_err <<'X'
sort: nosuch: No such file or directory
X

run "$BIN/sort" -k 0 words
expect_usage
run "$BIN/sort" -t ab words
expect_usage
run "$BIN/sort" -z words
expect_usage
pass
