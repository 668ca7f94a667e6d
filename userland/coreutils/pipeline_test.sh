#!/bin/bash
# The programs together, as a shell uses them: /bin/sh pipelines and
# redirections with PATH holding only the programs under test.
source "$(dirname "$0")/testlib.sh"

mkdir -p etc src/a src/b
printf 'Welcome to Futura\nthere is no x here?\nxylophone\nbox\n' >etc/motd
printf 'the cat sat on the mat\nthe dog sat\n' >src/a/words
printf 'a cat\n' >src/b/more

sh_run() { # sh_run SCRIPT: runs SCRIPT under /bin/sh with only $BIN on PATH
    run env -i PATH="$BIN" TZ=UTC /bin/sh -c "$1"
}

sh_run 'cat etc/motd | grep x | wc -l'
expect_status 0
expect_out <<'X'
3
X

# Word frequencies: the classic tr-less version with one word a line.
printf 'b\na\nc\na\nb\na\n' >list
sh_run 'sort list | uniq -c | sort -rn | head -n 2'
expect_out <<'X'
      3 a
      2 b
X

sh_run 'find src -type f | sort -r | tee files.txt | wc -l && cat files.txt'
expect_out <<'X'
2
src/b/more
src/a/words
X

sh_run 'grep -rh cat src | sort -u > cats && wc -l < cats && head -n 1 cats'
expect_out <<'X'
2
a cat
X

sh_run 'grep -q dragon etc/motd || echo "no dragons"; grep -c Futura etc/motd && echo found'
expect_out <<'X'
no dragons
1
found
X

sh_run 'ls src | head -n 1 | od -c'
expect_out <<'X'
0000000   a  \n
0000002
X

# head ends early; the writer upstream is stopped by SIGPIPE, the pipeline by head's status.
i=0
while ((i < 20000)); do
    echo "line $i"
    i=$((i + 1))
done >big
sh_run 'cat big big big | head -n 2; echo "status $?"'
expect_out <<'X'
line 0
line 1
status 0
X

sh_run 'mkdir -p out/deep && cp -r src out/deep && mv out/deep/src out/moved && rm -r out/deep && find out | sort'
expect_out <<'X'
out
out/moved
out/moved/a
out/moved/a/words
out/moved/b
out/moved/b/more
X

sh_run 'date -u -d @86400 +%Y-%m-%d | tee day | hexdump -C'
expect_out <<'X'
00000000  31 39 37 30 2d 30 31 2d  30 32 0a                 |1970-01-02.|
0000000b
X

sh_run 'tail -n 1 etc/motd nosuch 2>errors; cat errors'
expect_out <<'X'
==> etc/motd <==
box
tail: nosuch: No such file or directory
X
pass
