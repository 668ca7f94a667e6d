# testlib.sh: helpers for the coreutils host tests (sourced, bash).
#
# Each test is run as `<name>_test.sh PROGRAM...` with the $(location)s of the
# programs it uses. testlib links them into $BIN, so tests call "$BIN/cat"
# and never a host command of the same name, and creates an empty work
# directory $T (the current directory) under $TEST_TMPDIR.
#
#   run CMD...          run, keeping stdout in $T/.out, stderr in $T/.err, status in $status
#   expect_status N     $status is N
#   expect_out          stdout is exactly stdin (use a here-document)
#   expect_err          stderr is exactly stdin
#   expect_out_bytes F  stdout is exactly printf F (no trailing newline implied)
#   expect_usage        status 2, stderr ends with a "usage: " line, stdout empty
#   pass                print PASS (call last)
set -euo pipefail
# `producer | run CMD` runs `run` in this shell, so it can set $status.
shopt -s lastpipe

export TZ=UTC
export LC_ALL=C
umask 022

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

BIN=$TEST_TMPDIR/bin
rm -rf "$BIN"
mkdir -p "$BIN"
for prog in "$@"; do
    [[ -x $prog ]] || fail "not an executable program: $prog"
    [[ $prog == /* ]] || prog=$PWD/$prog
    ln -s "$prog" "$BIN/$(basename "$prog")"
done

T=$TEST_TMPDIR/work
rm -rf "$T"
mkdir -p "$T"
cd "$T"

run() {
    set +e
    "$@" >"$T/.out" 2>"$T/.err"
    status=$?
    set -e
    LAST_CMD="$*"
}

_show() {
    echo "--- command: $LAST_CMD (status $status)"
    echo "--- stdout:"
    cat "$T/.out"
    echo "--- stderr:"
    cat "$T/.err"
}

expect_status() {
    [[ $status -eq $1 ]] || fail "expected status $1
$(_show)"
}

_expect_file() {
    local what=$1 actual=$2 expected=$3
    if ! cmp -s "$expected" "$actual"; then
        fail "$what differs (expected vs actual):
$(diff -u "$expected" "$actual" || true)
$(_show)"
    fi
}

expect_out() {
    cat >"$T/.expected"
    _expect_file stdout "$T/.out" "$T/.expected"
}

expect_err() {
    cat >"$T/.expected"
    _expect_file stderr "$T/.err" "$T/.expected"
}

expect_out_bytes() {
    printf "$1" >"$T/.expected"
    _expect_file stdout "$T/.out" "$T/.expected"
}

expect_usage() {
    expect_status 2
    [[ ! -s $T/.out ]] || fail "usage error wrote to stdout
$(_show)"
    tail -n 1 "$T/.err" | grep -q '^usage: ' || fail "no usage line on stderr
$(_show)"
}

# ok CMD...: CMD succeeds with no stderr (stdout checked separately).
ok() {
    run "$@"
    expect_status 0
    [[ ! -s $T/.err ]] || fail "unexpected stderr
$(_show)"
}

pass() {
    echo PASS
}
