#!/bin/bash
# dmesg: prints a kmsg fixture without "<N>" prefixes (or with -r), and
# reports a missing log clearly. Never reads the host's /proc/kmsg, which on
# Linux is the consuming syslog reader.
source "$(dirname "$0")/testlib.sh"

proc=$T/proc
mkdir -p "$proc"
printf '<6>[    0.000000] Futura booting\n<4>disk slow\nplain line\n<x>not a prefix\n<12>last, no newline' >"$proc/kmsg"
export FUTURA_PROC_DIR=$proc

ok "$BIN/dmesg"
expect_out_bytes '[    0.000000] Futura booting\ndisk slow\nplain line\n<x>not a prefix\nlast, no newline'
ok "$BIN/dmesg" -r
cmp "$proc/kmsg" .out || fail "-r changed the log"

# Larger than one read.
for i in $(seq 1 20000); do echo "<6>message number $i"; done >"$proc/kmsg"
ok "$BIN/dmesg"
[[ $(wc -l <.out) -eq 20000 && $(tail -n 1 .out) == "message number 20000" ]] ||
    fail "big log: $(tail -n 1 .out)"

: >"$proc/kmsg"
ok "$BIN/dmesg"
expect_out_bytes ''

rm "$proc/kmsg"
run "$BIN/dmesg"
expect_status 1
expect_err <<X
dmesg: $proc/kmsg: No such file or directory (no kernel log available)
X

run "$BIN/dmesg" -c
expect_usage
pass
