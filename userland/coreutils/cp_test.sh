#!/bin/bash
# cp: files, into directories, modes kept, -r trees with symlinks kept as
# links, and the errors: missing source, directory without -r, copying a
# directory into itself, the same file.
source "$(dirname "$0")/testlib.sh"

printf 'alpha\n' >a
chmod 0751 a
ok "$BIN/cp" a b
cmp a b || fail "copy differs"
[[ $("$BIN/stat" -c %a b) == 751 ]] || fail "mode not kept: $("$BIN/stat" -c %a b)"

# Overwriting truncates the old, longer content.
printf 'a much longer old content\n' >c
ok "$BIN/cp" a c
cmp a c || fail "overwrite left old bytes"

mkdir dir
printf 'beta\n' >b
ok "$BIN/cp" a b dir
ok "$BIN/ls" dir
expect_out <<'X'
a
b
X
cmp b dir/b || fail "dir/b differs"

# Several sources need a directory target.
run "$BIN/cp" a b c
expect_status 1
expect_err <<'X'
cp: target 'c' is not a directory
X

run "$BIN/cp" nosuch x
expect_status 1
expect_err <<'X'
cp: nosuch: No such file or directory
X
[[ ! -e x ]] || fail "x created"

run "$BIN/cp" dir dir2
expect_status 1
expect_err <<'X'
cp: dir: is a directory (not copied; use -r)
X

run "$BIN/cp" a a
expect_status 1
expect_err <<'X'
cp: 'a' and 'a' are the same file
X
cmp a dir/a || fail "a damaged by copying onto itself"

# -r: a tree with a nested directory, an empty one, a symlink.
mkdir -p src/nested/deep src/empty
printf 'one\n' >src/one
printf 'deep\n' >src/nested/deep/file
ln -s ../one src/nested/link
chmod 0700 src/nested
ok "$BIN/cp" -r src copy
ok "$BIN/find" copy
expect_out <<'X'
copy
copy/empty
copy/nested
copy/nested/deep
copy/nested/deep/file
copy/nested/link
copy/one
X
[[ -L copy/nested/link && $(readlink copy/nested/link) == ../one ]] || fail "symlink not kept"
[[ $("$BIN/stat" -c %a copy/nested) == 700 ]] || fail "directory mode not kept"
cmp src/nested/deep/file copy/nested/deep/file || fail "deep file differs"

# -R into an existing directory lands under the source's name.
ok "$BIN/cp" -R src dir
[[ -f dir/src/nested/deep/file ]] || fail "cp -R src dir did not make dir/src"

run "$BIN/cp" -r src src/nested/inside
expect_status 1
expect_err <<'X'
cp: cannot copy directory 'src' into itself, 'src/nested/inside'
X
[[ ! -e src/nested/inside ]] || fail "copied into itself"

run "$BIN/cp" a
expect_usage
expect_err <<'X'
cp: missing destination operand
usage: cp [-rR] SOURCE DEST | cp [-rR] SOURCE... DIRECTORY
X
run "$BIN/cp" -x a b
expect_usage
pass
