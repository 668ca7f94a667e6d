#!/bin/bash
# The userland toolchain makes real static Linux programs: run both link
# variants of hello on the build machine and check what they print and what
# kind of ELF they are. Usage: hello_runs_on_host_test.sh HELLO HELLO_PIE
set -euo pipefail

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# expect_elf FILE TYPE: an ELF64 x86-64 of e_type TYPE (EXEC or DYN) with no
# program interpreter (static), built for the userland world.
expect_elf() {
    local file=$1 type=$2 header
    header=$(readelf -h -l -W "$file")
    grep -Eq 'Class:[[:space:]]+ELF64' <<<"$header" || fail "$file: not ELF64"
    grep -Eq 'Machine:[[:space:]]+Advanced Micro Devices X86-64' <<<"$header" || fail "$file: not x86-64"
    grep -Eq "Type:[[:space:]]+$type " <<<"$header" || fail "$file: e_type is not $type"
    if grep -q 'INTERP' <<<"$header"; then fail "$file: has PT_INTERP (dynamically linked)"; fi
    if command -v file >/dev/null; then file -L "$file"; fi
}

# expect_line OUTPUT LINE: OUTPUT has LINE as one of its lines.
expect_line() {
    grep -Fxq -- "$2" <<<"$1" || fail "missing line '$2' in output:
$1"
}

run_checks() {
    local prog=$1 out status
    out=$(env -i FOO=bar "EMPTY=" "$prog")
    expect_line "$out" "Hello from Futura userland"

    out=$(env -i FOO=bar "EMPTY=" "$prog" --argv "two words" "" --envp)
    expect_line "$out" "argc=5"
    expect_line "$out" "argv[1]=--argv"
    expect_line "$out" "argv[2]=two words"
    expect_line "$out" "argv[3]="
    expect_line "$out" "argv[4]=--envp"
    expect_line "$out" "envp[0]=FOO=bar"
    expect_line "$out" "envp[1]=EMPTY="

    out=$("$prog" --auxv)
    expect_line "$out" "AT_PAGESZ=0x1000"
    expect_line "$out" "AT_PHENT=0x38"
    expect_line "$out" "AT_PLATFORM=x86_64"
    grep -Eq '^AT_RANDOM=[0-9a-f]{32}$' <<<"$out" || fail "no AT_RANDOM bytes"

    set +e
    "$prog" --exit=42 >/dev/null
    status=$?
    set -e
    [[ $status -eq 42 ]] || fail "$prog --exit=42 exited $status"
}

hello=$1
hello_pie=$2

expect_elf "$hello" EXEC
expect_elf "$hello_pie" DYN
readelf -d "$hello_pie" | grep -q 'FLAGS_1.*PIE' || fail "$hello_pie: DT_FLAGS_1 lacks PIE"
run_checks "$hello"
run_checks "$hello_pie"
echo "PASS"
