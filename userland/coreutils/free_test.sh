#!/bin/bash
# free: the columns from a /proc/meminfo fixture in Linux's format, units,
# a kernel without MemAvailable, the host's real /proc/meminfo, and errors.
source "$(dirname "$0")/testlib.sh"

proc=$T/proc
mkdir -p "$proc"
cat >"$proc/meminfo" <<'X'
MemTotal:         262144 kB
MemFree:          200000 kB
MemAvailable:     220000 kB
Buffers:            1000 kB
Cached:            10000 kB
SwapCached:            0 kB
SwapTotal:          4096 kB
SwapFree:           1024 kB
Shmem:               512 kB
Slab:               3000 kB
SReclaimable:       2000 kB
SUnreclaim:         1000 kB
X
export FUTURA_PROC_DIR=$proc

ok "$BIN/free"
expect_out <<'X'
             total        used        free      shared  buff/cache   available
Mem:        262144       49144      200000         512       13000      220000
Swap:         4096        3072        1024
X
ok "$BIN/free" -m
expect_out <<'X'
             total        used        free      shared  buff/cache   available
Mem:           256          47         195           0          12         214
Swap:            4           3           1
X
ok "$BIN/free" -b
expect_out <<'X'
             total        used        free      shared  buff/cache   available
Mem:     268435456    50323456   204800000      524288    13312000   225280000
Swap:      4194304     3145728     1048576
X

# A minimal kernel: no MemAvailable (free stands in), no swap, no caches.
printf 'MemTotal: 1000 kB\nMemFree: 400 kB\n' >"$proc/meminfo"
ok "$BIN/free"
expect_out <<'X'
             total        used        free      shared  buff/cache   available
Mem:          1000         600         400           0           0         400
Swap:            0           0           0
X

printf 'MemFree: 400 kB\n' >"$proc/meminfo"
run "$BIN/free"
expect_status 1
expect_err <<X
free: $proc/meminfo: no MemTotal line
X

rm "$proc/meminfo"
run "$BIN/free"
expect_status 1
expect_err <<X
free: $proc/meminfo: No such file or directory (free needs procfs mounted)
X

# The host's /proc/meminfo: the total is MemTotal.
unset FUTURA_PROC_DIR
ok "$BIN/free"
total=$(grep '^MemTotal:' /proc/meminfo | tr -s ' ' | cut -d ' ' -f 2)
grep -Eq "^Mem: +$total " .out || fail "MemTotal $total not in: $(cat .out)"

run "$BIN/free" -h
expect_usage
pass
