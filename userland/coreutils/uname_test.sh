#!/bin/bash
# uname: each field against what the kernel publishes in /proc/sys/kernel,
# -a in POSIX order (s n r v m), -s by default.
source "$(dirname "$0")/testlib.sh"

sysname=$(</proc/sys/kernel/ostype)
nodename=$(</proc/sys/kernel/hostname)
release=$(</proc/sys/kernel/osrelease)
version=$(</proc/sys/kernel/version)

ok "$BIN/uname"
expect_out <<<"$sysname"
ok "$BIN/uname" -s
expect_out <<<"$sysname"
ok "$BIN/uname" -n
expect_out <<<"$nodename"
ok "$BIN/uname" -r
expect_out <<<"$release"
ok "$BIN/uname" -v
expect_out <<<"$version"
ok "$BIN/uname" -m
expect_out <<<"x86_64"
ok "$BIN/uname" -m -s -r
expect_out <<<"$sysname $release x86_64"
ok "$BIN/uname" -a
expect_out <<<"$sysname $nodename $release $version x86_64"

run "$BIN/uname" -p
expect_usage
run "$BIN/uname" extra
expect_usage
pass
