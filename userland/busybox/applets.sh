# Runs Debian's unmodified busybox-static applets on Futura and compares each
# output with what Linux prints. Booted as: init=/bin/busybox -- sh /test/applets.sh
fail=0
pass=0
check() {
    name="$1"
    expected="$2"
    actual="$3"
    if [ "$actual" = "$expected" ]; then
        pass=$((pass + 1))
        echo "ok   $name"
    else
        fail=$((fail + 1))
        echo "FAIL $name"
        echo "  expected: [$expected]"
        echo "  actual:   [$actual]"
    fi
}
bb=/bin/busybox
mkdir -p /tmp/bb/sub
printf 'banana\napple\ncherry\napple\n' > /tmp/bb/fruits
printf 'one two\nthree four\n' > /tmp/bb/words
: > /tmp/bb/sub/empty

check "sh arithmetic and quoting" "7 a b" "$(x=3; echo $((x + 4)) "a b")"
check "sh loops and functions" "1 2 3" "$(f() { echo -n "$1"; }; for i in 1 2 3; do f $i; [ $i -lt 3 ] && echo -n ' '; done)"
check "ls" "fruits
sub
words" "$($bb ls /tmp/bb)"
check "ls -l mode" "-rw-r--r--" "$($bb ls -l /tmp/bb/fruits | $bb cut -c1-10)"
check "cat" "one two
three four" "$($bb cat /tmp/bb/words)"
check "grep" "apple
apple" "$($bb grep app /tmp/bb/fruits)"
check "grep -c -v" "2" "$($bb grep -c -v app /tmp/bb/fruits)"
check "sed" "one 2
three four" "$($bb sed 's/two/2/' /tmp/bb/words)"
check "awk" "two
four" "$($bb awk '{print $2}' /tmp/bb/words)"
check "awk sum" "10" "$(printf '1\n2\n3\n4\n' | $bb awk '{s += $1} END {print s}')"
check "sort" "apple
apple
banana
cherry" "$($bb sort /tmp/bb/fruits)"
check "sort -u | wc" "3" "$($bb sort -u /tmp/bb/fruits | $bb wc -l)"
check "find" "/tmp/bb/sub
/tmp/bb/sub/empty" "$($bb find /tmp/bb/sub | $bb sort)"
check "find -type f -name" "/tmp/bb/fruits" "$($bb find /tmp/bb -type f -name 'fr*')"
check "pipeline" "2" "$($bb cat /tmp/bb/fruits | $bb grep app | $bb wc -l)"
check "head/tail" "banana
apple" "$($bb head -n 2 /tmp/bb/fruits)"
check "redirection" "cherry" "$($bb tail -n 2 /tmp/bb/fruits > /tmp/bb/out; $bb head -n 1 /tmp/bb/out)"
check "ps sees itself" "yes" "$($bb ps | $bb grep -q 'busybox' && echo yes)"
check "ps pid 1" "1" "$($bb ps -o pid,comm | $bb awk '$1 == 1 {print $1}')"
check "uname" "x86_64" "$($bb uname -m)"
check "exit status" "1" "$($bb false; echo $?)"
check "subshell and background" "bg done" "$( (sleep 0; echo bg done) & wait)"
check "md5sum" "d41d8cd98f00b204e9800998ecf8427e  /tmp/bb/sub/empty" "$($bb md5sum /tmp/bb/sub/empty)"
check "mkdir/rm" "gone" "$($bb mkdir -p /tmp/bb/x/y && $bb rm -r /tmp/bb/x && [ ! -e /tmp/bb/x ] && echo gone)"
check "date" "1970" "$($bb date -u -d @0 +%Y)"
check "df runs" "0" "$($bb df / > /dev/null; echo $?)"
check "free runs" "0" "$($bb free > /dev/null; echo $?)"

echo "BUSYBOX APPLETS: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && echo "BUSYBOX APPLETS: PASS"
[ "$fail" -eq 0 ]
