#!/bin/bash
# Runs selftest.sh (futsh checking itself, in futsh's own language) on the
# build machine; :selftest_qemu runs the same file on Futura.
HERE=$(dirname "$(readlink -f "$0")")
source "$HERE/lib.sh"
fresh_dir
sh_env "$FUTSH" "$HERE/selftest.sh" "$FUTSH" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
status=$?
cat "$TEST_TMPDIR/out"
check_count=1
if [[ $status != 0 ]] || ! grep -Eq '^selftest: [0-9]+ checks, 0 failed: PASS$' "$TEST_TMPDIR/out"; then
    fail_count=1
    echo "FAIL: selftest.sh exited $status"
fi
summary
