#!/bin/bash
# Every program: a static ELF64 x86-64 executable without an interpreter,
# and an unknown option or long option is a usage error (status 2, nothing
# on stdout, a message naming the program, then "usage: <program> ...").
source "$(dirname "$0")/testlib.sh"

[[ $# -ge 25 ]] || fail "expected every program as an argument, got $#"
for prog in "$BIN"/*; do
    name=$(basename "$prog")
    header=$(readelf -h -l -W "$prog")
    grep -Eq 'Class:[[:space:]]+ELF64' <<<"$header" || fail "$name: not ELF64"
    grep -Eq 'Machine:[[:space:]]+Advanced Micro Devices X86-64' <<<"$header" || fail "$name: not x86-64"
    grep -Eq 'Type:[[:space:]]+EXEC ' <<<"$header" || fail "$name: not ET_EXEC"
    if grep -q 'INTERP' <<<"$header"; then fail "$name: dynamically linked"; fi

    for bad in -@ --bogus; do
        run "$prog" "$bad"
        expect_usage
        head -n 1 .err | grep -q "^$name: " || fail "$name $bad: message does not name the program"
        tail -n 1 .err | grep -q "^usage: $name" || fail "$name $bad: usage line does not name it"
    done
    # The exact wording, for the programs that take options through getopt.
    if [[ $name != find ]]; then
        run "$prog" -@
        head -n 1 .err | grep -qxF "$name: invalid option -- '@'" || fail "$name: $(head -n 1 .err)"
        run "$prog" --bogus
        head -n 1 .err | grep -qxF "$name: unrecognized option '--bogus'" || fail "$name: $(head -n 1 .err)"
    fi
done
pass
