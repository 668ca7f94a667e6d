#!/bin/bash
# Parsing and execution semantics: quoting, lists, and-or, pipelines,
# compound commands, scripts, error messages and exit statuses.
source "$(dirname "$(readlink -f "$0")")/lib.sh"

# Quoting
t single_quotes_keep_everything "echo 'a \$HOME \\ \"b\"'" 'a $HOME \ "b"'
t double_quotes_expand_but_keep_blanks 'x="a  b"; echo "$x|\$x|\\|\"|\`"' 'a  b|$x|\|"|`'
t backslash_quotes_one_char 'echo a\ \ b \$x \\ \"' 'a  b $x \ "'
t backslash_newline_joins_lines $'echo ab\\\ncd' 'abcd'
t quotes_concatenate_into_one_word "set -- 'a'\"b\"c'd e'; echo \$# \"\$1\"" '1 abcd e'
t empty_quotes_make_an_empty_argument "set -- '' \"\" x; echo \$#" '3'
t comment_ends_at_newline $'echo a # not printed\necho b' $'a\nb'
t hash_inside_word_is_not_comment 'echo a#b' 'a#b'

# Lists, and-or, negation
t semicolon_runs_in_sequence 'echo a; echo b;echo c' $'a\nb\nc'
t and_runs_second_after_success 'true && echo yes; false && echo no' 'yes' 1
t or_runs_second_after_failure 'false || echo yes; true || echo no' 'yes'
t and_or_chain_left_to_right 'false && echo a || echo b && echo c' $'b\nc'
t bang_negates_status '! false; echo $?; ! true; echo $?' $'0\n1'
t status_of_list_is_last_command 'true; false' '' 1
t newline_after_and_continues $'true &&\necho cont' 'cont'

# Pipelines
t pipeline_of_builtins 'echo hello | { read x; echo "got $x"; }' 'got hello'
t pipeline_of_programs 'printf "b\na\nc\n" | sort | head -n 2' $'a\nb'
t long_pipeline 'echo x | cat | cat | cat | cat | cat | cat | cat | cat | wc -c' '2'
t pipeline_status_is_last 'false | true; echo $?; true | false; echo $?' $'0\n1'
t pipeline_negated '! echo x | grep -q y; echo $?' '0'
t while_read_loop_in_pipeline 'printf "1\n2\n3\n" | while read n; do echo "<$n>"; done' $'<1>\n<2>\n<3>'
t pipeline_builtins_run_in_subshell 'x=1; echo 2 | read x; echo $x' '1'

# Compound commands
t if_then_else 'if false; then echo a; elif false; then echo b; else echo c; fi' 'c'
t if_elif 'if false; then echo a; elif true; then echo b; fi' 'b'
t if_without_match_is_status_0 'if false; then echo a; fi; echo $?' '0'
t while_loop_counts 'i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done' $'0\n1\n2'
t until_loop 'i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i' '2'
t for_loop_over_words 'for w in a "b c" d; do echo "[$w]"; done' $'[a]\n[b c]\n[d]'
t for_loop_over_positionals 'set -- x y; for w; do echo $w; done' $'x\ny'
t break_and_continue 'for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done' $'1\n3'
t break_n_leaves_outer_loops 'for i in 1 2; do for j in a b; do echo $i$j; break 2; done; done' '1a'
t continue_n 'for i in 1 2; do for j in a b; do continue 2; echo no; done; echo no; done; echo end' 'end'
t subshell_isolates_variables_and_cwd 'x=1; (x=2; cd /); echo $x; [ "$(pwd)" != / ] && echo stayed' $'1\nstayed'
t subshell_exit_status '(exit 7); echo $?' '7'
t group_shares_variables '{ x=2; }; echo $x' '2'
t group_redirection '{ echo a; echo b; } > f; cat f' $'a\nb'
t multiline_compound $'for i in 1 2\ndo\n  echo $i\ndone' $'1\n2'
t case_patterns 'for w in apple b 7 "*" x.c other; do case $w in a*|b) echo ab;; [0-9]) echo digit;; "*") echo star;; *.c) echo c-file;; *) echo default;; esac; done' $'ab\nab\ndigit\nstar\nc-file\ndefault'
t case_multiline_and_empty $'case x in\n  (x)\n    echo matched\n    ;;\nesac\ncase y in esac; echo $?' $'matched\n0'
t case_word_expands 'v=hello; case "$v" in h*) echo h-word;; esac' 'h-word'
t function_with_arguments_and_return 'f() { echo "$# $1 $2"; return 4; echo no; }; f a "b c"; echo $?; echo $#' $'2 a b c\n4\n0'
t function_sees_and_sets_globals 'x=1; f() { echo $x; x=2; }; f; echo $x' $'1\n2'
t function_recursion 'fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }; fact 6' '720'
t function_body_subshell 'f() ( cd /; x=9 ); x=1; f; echo $x; [ "$(pwd)" != / ] && echo here' $'1\nhere'
t function_with_redirection 'f() { echo in-f; } > out; f; cat out' 'in-f'
t function_in_pipeline 'f() { while read l; do echo "<$l>"; done; }; printf "a\nb\n" | f' $'<a>\n<b>'
t function_redefinition_and_unset 'f() { echo 1; }; f() { echo 2; }; f; unset -f f; f' '2' 127 'f: command not found'
t function_return_from_loop 'f() { for i in 1 2 3; do [ $i = 2 ] && return $i; echo $i; done; }; f; echo $?' $'1\n2'
t bad_function_name '1f() { :; }' '' 2 'not a valid function name'
t reserved_words_only_in_command_position 'echo if then fi do done' 'if then fi do done'

# Scripts
fresh_dir
printf 'echo "$0:$#:$1:$2"\nshift\necho "$1"\nexit 4\n' >"$T/s.sh"
sh_env "$FUTSH" "$T/s.sh" one "two three" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
_compare script_file_gets_arguments_and_exit_status "$T/s.sh:2:one:two three"$'\ntwo three' 4 "" $?
printf 'echo from-script "$@"\n' >"$T/noshebang"
chmod +x "$T/noshebang"
sh_env "$FUTSH" -c "$T/noshebang a b" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
_compare file_without_shebang_runs_as_futsh_script 'from-script a b' 0 "" $?
sh_env "$FUTSH" -c 'echo $0 $1' myname arg1 >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
_compare dash_c_takes_name_and_arguments 'myname arg1' 0 "" $?
sh_env "$FUTSH" "$T/missing.sh" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
_compare missing_script_is_127 '' 127 'futsh: .*missing.sh: No such file or directory' $?
printf 'echo line1\necho (\necho never\n' >"$T/bad.sh"
sh_env "$FUTSH" "$T/bad.sh" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
_compare script_syntax_error_names_file_and_line 'line1' 2 "futsh: .*bad.sh: line 2: syntax error near '\('" $?
t_stdin commands_from_stdin $'echo a\necho b\nexit 5\necho c\n' $'a\nb' 5
t_stdin stdin_script_lets_read_take_next_line $'read x\nhello there\necho "got $x"\n' 'got hello there'
t_stdin stdin_multiline_construct $'if true\nthen\n echo yes\nfi\n' 'yes'
t_stdin stdin_line_continuation $'echo a \\\nb c\\\nd\n' 'a b cd'
t_stdin stdin_last_line_without_newline 'echo end' 'end'

# Errors and statuses
t command_not_found_127 'nosuch; echo $?' '127' 0 '^futsh: nosuch: command not found$'
t not_found_with_slash_127 './nosuch' '' 127 'futsh: ./nosuch: No such file or directory'
t not_executable_126 'echo x > f; ./f' '' 126 'futsh: ./f: Permission denied'
t directory_126 './' '' 126 'futsh: ./: Is a directory'
t syntax_error_status_2 'echo a; echo )' '' 2 "^futsh: syntax error near '\)'$"
t syntax_error_unexpected_keyword 'fi' '' 2 "syntax error near 'fi'"
t syntax_error_double_semicolon 'echo a;; echo b' '' 2 "syntax error near ';;'"
t syntax_error_empty_pipe 'echo a | | cat' '' 2 "syntax error near '\|'"
t syntax_error_missing_redirect_target 'echo a >' '' 2 "syntax error"
t unterminated_double_quote 'echo "abc' '' 2 'unterminated double quote'
t unterminated_single_quote "echo 'abc" '' 2 'unterminated single quote'
t unterminated_command_substitution 'echo $(echo' '' 2 'unterminated \$\('
t unexpected_eof_in_if 'if true; then echo' '' 2 'unexpected end of file'
t syntax_error_runs_nothing_of_its_line 'echo before; (' '' 2 'syntax error'
t redirection_failure_skips_command 'cat < /nonexistent && echo no; echo $?' '1' 0 'futsh: /nonexistent: No such file or directory'
t errexit_stops_at_failure 'set -e; echo a; false; echo b' 'a' 1
t errexit_ignores_conditions 'set -e; false || true; if false; then :; fi; ! true; false && true; echo reached' 'reached'
t xtrace_prints_commands 'set -x; echo hi' 'hi' 0 '^\+ echo hi$'
t exit_status_of_signal_killed_child 'sleep 5 & kill -KILL $!; wait $!; echo $?' '137'

summary
