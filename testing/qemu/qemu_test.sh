#!/usr/bin/env bash
# Runs one QEMU boot as a test: the serial log goes to the test log, the guest's
# exit status must match, and the log must (not) match the given patterns.
#   qemu_test.sh --runner R --expect-status N [--expect REGEX]... [--reject REGEX]...
#                [--input FILE | --script FILE] -- <futura-qemu options>
# --input feeds FILE to the serial console at once. --script drives it like a
# user at a terminal, line by line:
#   @wait REGEX     wait (up to 60 s) until the serial log, CRs removed, matches
#   @sleep SECONDS  pause
#   anything else   sent followed by a newline; printf escapes work (\x03 is ^C)
#   @raw TEXT       sent without the newline
set -u
runner="" expect_status=0 expects=() rejects=() input=/dev/null script=""
while [ $# -gt 0 ]; do
    case "$1" in
        --runner) runner="$2"; shift 2 ;;
        --expect-status) expect_status="$2"; shift 2 ;;
        --expect) expects+=("$2"); shift 2 ;;
        --reject) rejects+=("$2"); shift 2 ;;
        --input) input="$2"; shift 2 ;;
        --script) script="$2"; shift 2 ;;
        --) shift; break ;;
        *) echo "qemu_test: unknown option $1" >&2; exit 2 ;;
    esac
done

log="${TEST_UNDECLARED_OUTPUTS_DIR:-${TEST_TMPDIR:-/tmp}}/serial.log"
echo "qemu_test: accelerator ${FUT_ACCEL:-tcg}; serial log follows (also in $log)"
# Plays a --script into the console through a FIFO, watching the log.
play_script() {
    local line
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in
            "@wait "*)
                local re="${line#@wait }" waited=0
                until tr -d '\r' < "$log" | grep -Eq -- "$re"; do
                    sleep 0.1
                    waited=$((waited + 1))
                    if [ "$waited" -ge 600 ]; then
                        echo "qemu_test: script: timed out waiting for: $re" >> "$log.script"
                        return 1
                    fi
                done ;;
            "@sleep "*) sleep "${line#@sleep }" ;;
            "@raw "*) printf '%b' "${line#@raw }" ;;
            *) printf '%b\n' "$line" ;;
        esac
    done < "$script"
    # Keep the console open until QEMU ends (closing it is an EOF to the guest).
    while kill -0 "$qemu_pid" 2>/dev/null; do
        sleep 0.2
    done
}

start=$(date +%s%N)
if [ -n "$script" ]; then
    fifo="${TEST_TMPDIR:-/tmp}/console.fifo"
    rm -f "$fifo" "$log.script"
    mkfifo "$fifo"
    : > "$log"
    "$runner" "$@" < "$fifo" > "$log" 2>&1 &
    qemu_pid=$!
    play_script > "$fifo" &
    feeder=$!
    wait "$qemu_pid"
    status=$?
    kill "$feeder" 2>/dev/null
    wait "$feeder" 2>/dev/null
    [ -f "$log.script" ] && cat "$log.script" >> "$log"
else
    "$runner" "$@" < "$input" > "$log" 2>&1
    status=$?
fi
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
