#!/usr/bin/env bash
# Runs one QEMU boot as a test: the serial log goes to the test log, the guest's
# exit status must match, and the log must (not) match the given patterns.
#   qemu_test.sh --runner R --expect-status N [--expect REGEX]... [--reject REGEX]...
#                [--input FILE] -- <futura-qemu options>
set -u
runner="" expect_status=0 expects=() rejects=() input=/dev/null
while [ $# -gt 0 ]; do
    case "$1" in
        --runner) runner="$2"; shift 2 ;;
        --expect-status) expect_status="$2"; shift 2 ;;
        --expect) expects+=("$2"); shift 2 ;;
        --reject) rejects+=("$2"); shift 2 ;;
        --input) input="$2"; shift 2 ;;
        --) shift; break ;;
        *) echo "qemu_test: unknown option $1" >&2; exit 2 ;;
    esac
done

log="${TEST_UNDECLARED_OUTPUTS_DIR:-${TEST_TMPDIR:-/tmp}}/serial.log"
echo "qemu_test: accelerator ${FUT_ACCEL:-tcg}; serial log follows (also in $log)"
start=$(date +%s%N)
"$runner" "$@" < "$input" > "$log" 2>&1
status=$?
end=$(date +%s%N)
cat "$log"
echo "qemu_test: guest finished in $(((end - start) / 1000000)) ms with status $status"

fail=0
if [ "$status" != "$expect_status" ]; then
    echo "qemu_test: FAIL: expected status $expect_status, got $status"
    fail=1
fi
# Serial output uses CRLF; match against the log with carriage returns removed.
clean="$(tr -d '\r' < "$log")"
for re in "${expects[@]+"${expects[@]}"}"; do
    if ! grep -Eq -- "$re" <<<"$clean"; then
        echo "qemu_test: FAIL: log does not match: $re"
        fail=1
    fi
done
for re in "${rejects[@]+"${rejects[@]}"}"; do
    if grep -Eq -- "$re" <<<"$clean"; then
        echo "qemu_test: FAIL: log matches what it must not: $re"
        fail=1
    fi
done
[ "$fail" = 0 ] && echo "qemu_test: PASS"
exit "$fail"
