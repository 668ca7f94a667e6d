# lib.sh: helpers for futsh's host tests (sourced by bash).
#
#   <test>.sh FUTSH [PROGRAM...]
# links the programs (coreutils from //userland/coreutils) into $BIN, which
# is the only PATH the shell sees: no host command can run by mistake.
#
#   t NAME SCRIPT WANT_OUT [WANT_STATUS [WANT_ERR_REGEX]]
#       runs `futsh -c SCRIPT` in a fresh empty directory $T (HOME=$T) and
#       checks stdout (trailing newlines ignored), status (default 0) and,
#       if given, that stderr matches the extended regex (else it must be
#       empty). WANT_ERR_REGEX "-" accepts any stderr.
#   t_stdin NAME INPUT WANT_OUT [WANT_STATUS [WANT_ERR_REGEX]]
#       the same with INPUT piped to `futsh` (no -c).
#   summary     prints "<test>: N checks, F failed: PASS|FAIL" and exits
set -u

fail_count=0
check_count=0
FUTSH=$1
[[ $FUTSH == /* ]] || FUTSH=$PWD/$FUTSH
shift
BIN=$TEST_TMPDIR/bin
rm -rf "$BIN"
mkdir -p "$BIN"
for prog in "$@"; do
    ln -s "$(realpath "$prog")" "$BIN/$(basename "$prog")"
done
T=$TEST_TMPDIR/work

fresh_dir() {
    cd "$TEST_TMPDIR"
    rm -rf "$T"
    mkdir -p "$T"
    cd "$T"
}

# futsh with a clean environment.
sh_env() {
    env -i PATH="$BIN" HOME="$T" TMPDIR="$T" LC_ALL=C "$@"
}

_compare() {
    local name=$1 want_out=$2 want_status=$3 want_err=$4 got_status=$5
    local got_out got_err
    got_out=$(cat "$TEST_TMPDIR/out")
    got_err=$(cat "$TEST_TMPDIR/err")
    check_count=$((check_count + 1))
    local bad=""
    [[ "$got_out" == "$want_out" ]] || bad+=" stdout"
    [[ "$got_status" == "$want_status" ]] || bad+=" status"
    if [[ -z "$want_err" ]]; then
        [[ -z "$got_err" ]] || bad+=" stderr(not empty)"
    elif [[ "$want_err" != "-" ]]; then
        grep -Eq -- "$want_err" <<<"$got_err" || bad+=" stderr"
    fi
    if [[ -n "$bad" ]]; then
        fail_count=$((fail_count + 1))
        echo "FAIL: $name:$bad"
        echo "  stdout: $(printf '%q' "$got_out")  want $(printf '%q' "$want_out")"
        echo "  status: $got_status  want $want_status"
        echo "  stderr: $(printf '%q' "$got_err")  want /$want_err/"
    fi
}

t() {
    local name=$1 script=$2 want_out=$3 want_status=${4:-0} want_err=${5-}
    fresh_dir
    sh_env "$FUTSH" -c "$script" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err" </dev/null
    _compare "$name" "$want_out" "$want_status" "$want_err" $?
}

t_stdin() {
    local name=$1 input=$2 want_out=$3 want_status=${4:-0} want_err=${5-}
    fresh_dir
    printf '%s' "$input" | sh_env "$FUTSH" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
    _compare "$name" "$want_out" "$want_status" "$want_err" $?
}

summary() {
    local name
    name=$(basename "$0" .sh)
    local verdict=PASS
    [[ $fail_count -eq 0 ]] || verdict=FAIL
    echo "$name: $check_count checks, $fail_count failed: $verdict"
    [[ $fail_count -eq 0 ]]
}
