#!/bin/bash
# date: default format, +FORMAT through strftime, -u, -d @SECONDS, TZ, the
# current time, and refusals (setting the clock, bad -d).
source "$(dirname "$0")/testlib.sh"

ok "$BIN/date" -u -d @0
expect_out <<'X'
Thu Jan  1 00:00:00 UTC 1970
X
ok "$BIN/date" -d @1000000000 '+%Y-%m-%d %H:%M:%S %a %b %j %s %%'
expect_out <<'X'
2001-09-09 01:46:40 Sun Sep 252 1000000000 %
X
ok "$BIN/date" -d @-86400 +%F
expect_out <<'X'
1969-12-31
X
TZ=EST5 run "$BIN/date" -d @0
expect_out <<'X'
Wed Dec 31 19:00:00 EST 1969
X
TZ=EST5 run "$BIN/date" -u -d @0 +%H:%M
expect_out <<'X'
00:00
X
ok "$BIN/date" +
expect_out_bytes '\n'
# A long expansion still fits.
ok "$BIN/date" -d @0 "+$(printf '%%Y%.0s' $(seq 1 200))"
[[ $(<.out) == "$(printf '1970%.0s' $(seq 1 200))" ]] || fail "long format"

before=$EPOCHSECONDS
ok "$BIN/date" +%s
after=$EPOCHSECONDS
now=$(<.out)
((before <= now && now <= after)) || fail "now $now not in [$before, $after]"

run "$BIN/date" 010100002001
expect_usage
expect_err <<'X'
date: setting the date is not supported: '010100002001'
usage: date [-u] [-d @SECONDS] [+FORMAT]
X
run "$BIN/date" -d tomorrow
expect_usage
run "$BIN/date" +%s +%s
expect_usage
run "$BIN/date" -x
expect_usage
pass
