#!/bin/bash
# ps: reads a /proc tree (a fixture through $FUTURA_PROC_DIR, then the
# host's real /proc): PID order, comm with spaces and parentheses, CPU time,
# cmdline or [comm], vanished processes, and a clear error without /proc.
source "$(dirname "$0")/testlib.sh"

proc=$T/proc
mkdir -p "$proc"/{1,7,42,100,555}
# Fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
# majflt cmajflt utime stime ... (clock ticks, 100 a second).
printf '1 (init) S 0 1 1 0 -1 0 0 0 0 0 150 50 0 0 20 0 1 0 0 0 0\n' >"$proc/1/stat"
printf '/bin/init\0--verbose\0' >"$proc/1/cmdline"
printf '7 (sh) R 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 0 0 0\n' >"$proc/7/stat"
printf 'sh\0-c\0echo a  b\0' >"$proc/7/cmdline"
printf '42 (my (odd) prog) Z 7 7 7 0 -1 0 0 0 0 0 99 0 0 0 20 0 1 0 0 0 0\n' >"$proc/42/stat"
: >"$proc/42/cmdline"
printf '100 (busy) R 1 100 100 0 -1 0 0 0 0 0 366000 100 0 0 20 0 1 0 0 0 0\n' >"$proc/100/stat"
printf 'busy\0' >"$proc/100/cmdline"
# 555 has exited between readdir and open: no stat file.
ln -s 1 "$proc/self"
printf 'MemTotal: 1 kB\n' >"$proc/meminfo"

FUTURA_PROC_DIR=$proc run "$BIN/ps"
expect_status 0
expect_out <<'X'
  PID  PPID S     TIME CMD
    1     0 S 00:00:02 /bin/init --verbose
    7     1 R 00:00:00 sh -c echo a  b
   42     7 Z 00:00:00 [my (odd) prog]
  100     1 R 01:01:01 busy
X

FUTURA_PROC_DIR=$proc run "$BIN/ps" -e
expect_status 0
FUTURA_PROC_DIR=$proc run "$BIN/ps" -A
expect_status 0

# The host's /proc, in Linux's formats: this test's own shell is listed.
run "$BIN/ps"
expect_status 0
head -n 1 .out | grep -qx '  PID  PPID S     TIME CMD' || fail "header: $(head -n 1 .out)"
grep -Eq "^ *$$ +$PPID [A-Z] [0-9]{2}:[0-9]{2}:[0-9]{2} .*bash" .out ||
    fail "no line for this shell ($$, parent $PPID): $(cat .out)"

FUTURA_PROC_DIR=$T/nonexistent run "$BIN/ps"
expect_status 1
expect_out_bytes ''
expect_err <<X
ps: $T/nonexistent: No such file or directory (ps needs procfs mounted there)
X

run "$BIN/ps" -x
expect_usage
run "$BIN/ps" 1
expect_usage
pass
