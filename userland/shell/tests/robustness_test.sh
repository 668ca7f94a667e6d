#!/bin/bash
# Hostile input never hangs or crashes the shell: random bytes, binary bytes
# in words, NUL bytes, 64 KiB (and 1 MiB) lines, unbalanced quotes, deep
# nesting, long pipelines, many descriptors. Every run has a time limit; a
# status of 128 or more (killed by a signal) is a crash.
source "$(dirname "$(readlink -f "$0")")/lib.sh"

EMPTY=$TEST_TMPDIR/empty
mkdir -p "$EMPTY"
GEN=$TEST_TMPDIR/gen
mkdir -p "$GEN"

# bytes FILE SEED N: N pseudo-random bytes (a fixed LCG: the same on every machine).
bytes() {
    /usr/bin/python3 -c '
import sys
out, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
x = seed
b = bytearray()
for _ in range(n):
    x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    b.append(x >> 56)
open(out, "wb").write(bytes(b))
' "$@"
}

# survives NAME CMD...: CMD (stdin from $INPUT) ends by itself within 60 s
# and is not killed by a signal (any exit status is fine).
survives() {
    local name=$1
    shift
    check_count=$((check_count + 1))
    local verdict
    verdict=$(/usr/bin/python3 -c '
import subprocess, sys
try:
    r = subprocess.run(sys.argv[2:], stdin=open(sys.argv[1], "rb"), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
    print("signal %d" % -r.returncode if r.returncode < 0 else "ok")
except subprocess.TimeoutExpired:
    print("timed out")
' "$INPUT" "$@")
    if [[ $verdict != ok ]]; then
        fail_count=$((fail_count + 1))
        echo "FAIL: $name: $verdict"
    fi
}

# Random bytes as interactive input (errors do not end the shell), as a
# script on stdin, and as a -c string. PATH is empty: garbage runs no program.
for seed in 1 2 3; do
    bytes "$GEN/garbage$seed" "$seed" 100000
    fresh_dir
    INPUT=$GEN/garbage$seed
    survives "random_bytes_interactive_seed$seed" env -i PATH="$EMPTY" HOME="$T" "$FUTSH" -i
    fresh_dir
    survives "random_bytes_script_seed$seed" env -i PATH="$EMPTY" HOME="$T" "$FUTSH"
    fresh_dir
    INPUT=/dev/null
    survives "random_bytes_dash_c_seed$seed" env -i PATH="$EMPTY" HOME="$T" "$FUTSH" -c "$(tr -d '\0' <"$GEN/garbage$seed")"
done

# Interactive input: after garbage lines, the shell still runs commands.
t_interactive() {
    local name=$1 input=$2 want_out=$3 want_err=$4 want_status=${5:-0}
    fresh_dir
    printf '%s' "$input" | timeout 20 env -i PATH="$BIN" HOME="$T" "$FUTSH" -i >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
    _compare "$name" "$want_out" "$want_status" "$want_err" $?
}
t_interactive unbalanced_double_quote_then_prompt_returns $'echo "abc\necho next\n' 'next' 'futsh: syntax error: unterminated double quote'
t_interactive unbalanced_single_quote_then_prompt_returns $'echo \'abc\necho next\n' 'next' 'unterminated single quote'
t_interactive unbalanced_backquote_then_prompt_returns $'echo `abc\necho next\n' 'next' 'unterminated backquote'
t_interactive unbalanced_paren_then_prompt_returns $'echo $(abc\necho next\n' 'next' 'unterminated \$\('
t_interactive syntax_garbage_then_prompt_returns $';;\n&&\n|\n)\n}\nfi\ndone\necho next\n' 'next' "syntax error near ';;'"
t_interactive status_after_syntax_error_is_2 $'echo (\necho $?\n' '2' 'syntax error'
t_interactive eof_inside_if_reports_and_exits $'if true\nthen\n' '' 'unexpected end of file' 2

# Binary bytes inside words pass through unchanged; NUL bytes are dropped.
fresh_dir
printf 'echo \001\002\177\200\376\377 end\n' | sh_env "$FUTSH" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
check_count=$((check_count + 1))
if ! cmp -s "$TEST_TMPDIR/out" <(printf '\001\002\177\200\376\377 end\n'); then
    fail_count=$((fail_count + 1))
    echo "FAIL: binary_bytes_pass_through: $(od -c "$TEST_TMPDIR/out")"
fi
t_stdin nul_bytes_are_dropped $'echo a\x01b\n' $'a\x01b'
fresh_dir
printf 'echo a\000b\nec\000ho c\n' | sh_env "$FUTSH" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
_compare nul_bytes_in_input_are_dropped $'ab\nc' 0 "" $?

# Long lines and words.
word64k=$(printf 'x%.0s' $(seq 65536))
t_stdin line_of_64k_via_stdin "echo $word64k"$'\n' "$word64k"
t long_word_of_64k_via_dash_c "echo $word64k | wc -c" '65537'
t long_word_in_variable_and_expansions "v=$word64k; echo \${#v}; w=\"\$v\$v\"; echo \${#w}" $'65536\n131072'
many_args=$(printf 'a%d ' $(seq 10000))
t line_of_10000_arguments "set -- $many_args; echo \$# \$10000" '10000 a10000'
mib=$(head -c 1048576 /dev/zero | tr '\0' 'y')
t_stdin line_of_1mib_via_stdin "echo $mib | wc -c"$'\n' '1048577'
t long_glob_pattern "echo $word64k*" "$word64k*"

# Deep nesting: a syntax error, not a stack overflow.
t deep_parentheses "$(printf '(%.0s' $(seq 5000))echo x" '' 2 'nested too deeply'
t deep_command_substitutions "echo $(printf '$(%.0s' $(seq 5000))" '' 2 'nested too deeply'
t deep_arithmetic "echo \$(( $(printf '(%.0s' $(seq 5000))1$(printf ')%.0s' $(seq 5000)) ))" '' 1 'nested too deeply'
t deep_unary_minus "echo \$(( $(printf -- '-%.0s' $(seq 5000))1 ))" '' 1 'nested too deeply'
t deep_if "$(printf 'if true; then %.0s' $(seq 1000))" '' 2 'nested too deeply'
t endless_eval_recursion 'x='"'"'eval "$x"'"'"'; eval "$x"; echo survived' 'survived' 0 'nested too deeply'
t alias_loop_ends 'alias a=b b=a; a' '' 127 'a: command not found'

# Many processes and descriptors.
t pipeline_of_100_programs "echo ok$(printf ' | cat%.0s' $(seq 100))" 'ok'
FDS='3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25'
t thousand_redirections_leak_no_descriptor "i=0; while [ \$i -lt 1000 ]; do echo \$i > f; read x < f; { :; } 2>&1 3<f; i=\$((i+1)); done; for fd in $FDS; do [ -e /proc/self/fd/\$fd ] && echo open \$fd; done; echo \$i" '1000'
t thousand_command_substitutions 'i=0; while [ $i -lt 300 ]; do i=$(( $(echo $i) + 1 )); done; echo $i' '300'
t children_inherit_only_open_fds "exec 3>f; $FUTSH -c 'for fd in $FDS; do [ -e /proc/self/fd/\$fd ] && echo open \$fd; done; echo end'" $'open 3\nend'

summary
