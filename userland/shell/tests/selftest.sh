# selftest.sh: futsh checks itself by running snippets in child shells and
# comparing what they print. The same file runs on the build machine
# (:selftest_test) and on Futura (:selftest_qemu), where it exercises the
# kernel under a real shell: fork, exec (ELF, scripts without #!, #!
# scripts), pipes, redirections, here-documents, signals, wait statuses.
#   futsh selftest.sh [FUTSH]     (PATH must hold the coreutils)
SH=${1:-/bin/futsh}
checks=0
failed=0
work=${TMPDIR:-/tmp}/futsh-selftest.$$
mkdir -p "$work" && cd "$work" || exit 2
nl='
'

# check NAME WANT SCRIPT: SCRIPT's stdout and stderr, then "status=N", must
# be exactly WANT.
check() {
    checks=$((checks + 1))
    got=$(cd "$work" && "$SH" -c "$3" 2>&1; echo "status=$?")
    if [ "$got" != "$2" ]; then
        failed=$((failed + 1))
        printf 'FAIL: %s\n--- got:\n%s\n--- want:\n%s\n' "$1" "$got" "$2"
    fi
}

# Processes and pipes
check pipeline_of_programs "a${nl}status=0" 'printf "b\na\nc\n" | sort | head -n 1'
check pipeline_of_twenty "hello${nl}status=0" 'echo hello | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat'
check pipeline_counts_lines "3${nl}status=0" 'printf "1\n2\n3\n" | wc -l'
check pipeline_into_while_read "<x><y>${nl}status=0" 'printf "x\ny\n" | while read l; do printf "<%s>" "$l"; done; echo'
check pipeline_status_is_last "status=1" 'true | false'
check writer_ends_when_reader_quits "y${nl}status=0" 'while true; do echo y; done | head -n 1'
check command_substitution "[a b]${nl}status=0" 'echo "[$(echo a; echo b | cat)]" | tr -d "\n" 2>/dev/null || echo "[$(echo a b)]"'
check nested_substitution "deep${nl}status=0" 'echo $(echo $(echo $(echo deep)))'
check subshell_status "7${nl}status=0" '(exit 7); echo $?'
check dollar_dollar_is_stable "same${nl}status=0" 'a=$$; b=$(echo $$); [ "$a" = "$b" ] && echo same'

# Programs and scripts
check exit_status_of_program "status=1" 'grep -q nomatch /dev/null'
check command_not_found "futsh: nosuch: command not found${nl}status=127" 'nosuch'
# (An executable file keeps its mode when rewritten: there is no chmod.)
check script_without_shebang "script a b${nl}status=4" "cp $SH s; printf 'echo script \"\$@\"\nexit 4\n' > s; ./s a b"
check script_with_shebang "shebang x${nl}status=0" "cp $SH t; printf '#!$SH\necho shebang \"\$@\"\n' > t; ./t x"
check script_file_argument "arg1${nl}status=0" 'echo "echo \$1" > u; '"$SH"' u arg1'
check exec_replaces "replaced${nl}status=0" 'exec echo replaced; echo not-reached'
check env_passes_variables "X=1${nl}status=0" 'X=1 env | grep "^X="'
check exported_variable_reaches_child "v${nl}status=0" "export V=v; $SH -c 'echo \$V'"

# Redirections
check output_and_append "one${nl}two${nl}status=0" 'echo one > f; echo two >> f; cat f'
check input_redirection "content${nl}status=0" 'echo content > f; cat < f'
check stderr_to_file "1${nl}status=0" 'ls /nonexistent 2> err; grep -c nonexistent err'
check stderr_into_pipe "1${nl}status=0" 'ls /nonexistent 2>&1 | grep -c nonexistent'
check dev_null "status=0" 'echo gone > /dev/null'
check fd_3 "via3${nl}status=0" 'exec 3> f3; echo via3 >&3; exec 3>&-; cat f3'
check heredoc_small "v=1${nl}status=0" 'x=1; cat <<EOF
v=$x
EOF'
check heredoc_larger_than_a_page "8000${nl}status=0" 'i=0; { while [ $i -lt 1000 ]; do echo 1234567; i=$((i+1)); done; } > big; { echo "cat <<EOF"; cat big; echo EOF; } > gen; . ./gen | wc -c'
check missing_file "futsh: /nonexistent/f: No such file or directory${nl}status=1" 'echo x > /nonexistent/f'

# Files and directories
check glob_in_directory "a.c b.c${nl}status=0" 'mkdir g; cd g; touch b.c a.c c.h; echo *.c'
check glob_no_match "*.none${nl}status=0" 'echo *.none'
check cd_and_pwd "/${nl}status=0" 'cd / && pwd'
check umask_sets_modes "-rw-------${nl}status=0" 'umask 077; rm -f m; : > m; ls -l m | head -c 10; echo'
check test_file_operators "ok${nl}status=0" 'mkdir -p d; : > e; [ -d d ] && [ -f e ] && [ ! -s e ] && [ ! -e nope ] && echo ok'

# Jobs, signals, statuses
check background_and_wait "5${nl}status=0" '(exit 5) & wait $!; echo $?'
check kill_term_status "143${nl}status=0" 'sleep 10 & kill $!; wait $!; echo $?'
check kill_kill_status "137${nl}status=0" 'sleep 10 & kill -9 $!; wait $!; echo $?'
check killed_shell_status "status=137" 'kill -KILL $$'
check wait_for_all "done${nl}status=0" 'sleep 0.1 & sleep 0.2 & wait; echo done'
check jobs_listing "[1]+  Running                 sleep 1 &${nl}status=0" 'sleep 1 & jobs; kill %1'
check sleep_fraction "status=0" 'sleep 0.05'

# Language
check arithmetic "42${nl}status=0" 'echo $(( (1 + 2) * 14 ))'
check loops "1 2 3${nl}status=0" 'i=0; while [ $i -lt 3 ]; do i=$((i+1)); printf "%s " $i; done | head -c 5; echo'
check case_and_functions "yes${nl}status=0" 'f() { case $1 in y*) echo yes;; *) echo no;; esac; }; f yay'
check syntax_error "futsh: syntax error near ')'${nl}status=2" 'echo )'
check unterminated_quote "futsh: syntax error: unterminated double quote${nl}status=2" 'echo "x'

cd / && rm -r "$work"
verdict=PASS
[ $failed = 0 ] || verdict=FAIL
echo "selftest: $checks checks, $failed failed: $verdict"
[ $failed = 0 ]
