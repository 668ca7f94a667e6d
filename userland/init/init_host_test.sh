#!/bin/bash
# init as an ordinary process on the build machine (not PID 1: it makes
# itself a child subreaper, so orphans still come to it, and it never
# signals anything but its own child).
#   init_host_test.sh INIT FUTSH
set -u
INIT=$(realpath "$1")
FUTSH=$(realpath "$2")
T=$TEST_TMPDIR/init
rm -rf "$T"
mkdir -p "$T"
cd "$T"
checks=0
failures=0

# check NAME WANT_STATUS WANT_OUT_REGEX WANT_ERR_REGEX -- CMD...
# (an empty regex means that output must be empty)
check() {
    local name=$1 want_status=$2 want_out=$3 want_err=$4
    shift 5
    checks=$((checks + 1))
    timeout 20 env -i "$@" >out 2>err </dev/null
    local status=$?
    local bad=""
    [[ $status == "$want_status" ]] || bad+=" status $status (want $want_status)"
    if [[ -z $want_out ]]; then [[ ! -s out ]] || bad+=" stdout(not empty)"; else grep -Eq -- "$want_out" out || bad+=" stdout"; fi
    if [[ -z $want_err ]]; then [[ ! -s err ]] || bad+=" stderr(not empty)"; else grep -Eq -- "$want_err" err || bad+=" stderr"; fi
    if [[ -n $bad ]]; then
        failures=$((failures + 1))
        echo "FAIL: $name:$bad"
        echo "  stdout: $(cat out)"
        echo "  stderr: $(cat err)"
    fi
}

check program_status_is_inits_status 7 '' '' -- "$INIT" "$FUTSH" -c 'exit 7'
check killed_program_is_128_plus_signal 137 '' '' -- "$INIT" "$FUTSH" -c 'kill -KILL $$'
check orphans_are_reaped 3 '' 'init: reaped orphan [0-9]+ \(status 0\)' -- \
    "$INIT" -v "$FUTSH" -c '(sleep 0.2 &); sleep 0.8; exit 3'
check base_environment 0 '^/bin:/sbin:/usr/bin:/usr/sbin / vt100$' '' -- \
    "$INIT" "$FUTSH" -c 'echo $PATH $HOME $TERM'
printf 'echo rc ran\nexit 3\n' >rc.sh
check rc_file_runs_first_with_the_shell 0 'rc ran' 'init: rc.sh: status 3' -- \
    "$INIT" --rc rc.sh --shell "$FUTSH" "$FUTSH" -c 'echo prog'
check missing_program 127 '' 'init: cannot run /nonexistent: No such file or directory' -- "$INIT" /nonexistent
check bad_option_prints_usage 2 '' '^usage: init' -- "$INIT" --bogus
check sigint_ends_the_child_not_the_machine 0 '' '' -- "$INIT" "$FUTSH" -c 'kill -INT $PPID; sleep 10'

# --respawn: the program runs again each time it exits; SIGTERM stops it all.
rm -f count
check respawn_until_sigterm 0 '' 'exited \(status 0\); starting it again' -- \
    "$INIT" --respawn "$FUTSH" -c \
    'echo x >> count; n=0; while read l; do n=$((n+1)); done < count; [ $n -ge 3 ] && kill -TERM $PPID; sleep 0.1'
checks=$((checks + 1))
if [[ $(wc -l <count) != 3 ]]; then
    failures=$((failures + 1))
    echo "FAIL: respawn_count: ran $(wc -l <count) times, want 3"
fi

# Without a program: the shell on stdin (here: one command, then end of
# input, so it keeps exiting and init keeps starting it, then slows down).
checks=$((checks + 1))
echo 'echo from-the-shell' | timeout -s TERM 4 env -i "$INIT" --rc /nonexistent --shell "$FUTSH" >out 2>err
status=$?
if [[ $status != 124 ]] || ! grep -q from-the-shell out || ! grep -q 'keeps exiting; waiting 10 seconds' err; then
    failures=$((failures + 1))
    echo "FAIL: default_runs_and_respawns_the_shell: status $status"
    echo "  stdout: $(cat out)"
    echo "  stderr: $(cat err)"
fi

verdict=PASS
[[ $failures == 0 ]] || verdict=FAIL
echo "init_host_test: $checks checks, $failures failed: $verdict"
[[ $failures == 0 ]]
