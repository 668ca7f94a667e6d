#!/bin/bash
# Every builtin but poweroff and reboot (which would end the build
# machine; the QEMU tests run them).
source "$(dirname "$(readlink -f "$0")")/lib.sh"

t at_least_32_builtins 'help | grep -c "^  [^ ]"' '39'
t help_one_builtin 'help cd' $'cd [DIR | -]\n    change the working directory (HOME by default)'
t help_unknown 'help nosuch' '' 1 'no such builtin'

t true_false_colon 'true; echo $?; false; echo $?; : ignored args; echo $?' $'0\n1\n0'
t cd_and_pwd 'mkdir -p a/b; cd a/b; pwd | grep -c "/work/a/b$"; cd ..; echo $PWD | grep -c "/a$"' $'1\n1'
t cd_home_and_dash 'mkdir d; cd d; cd; [ "$PWD" = "$HOME" ] && echo home; cd - | grep -c "/d$"' $'home\n1'
t cd_missing_dir 'cd /nonexistent' '' 1 'futsh: cd: /nonexistent: No such file or directory'
t echo_options 'echo -n a; echo b; echo -e "c\td\x41\0101"; echo -e "stop\cnot"; echo -E "\t"' $'ab\nc\tdAA\nstop\\t'
t echo_dash_n_literal_otherwise 'echo -x -n' '-x -n'
t printf_conversions 'printf "%s|%5s|%-3s|%d|%05d|%x|%o|%c|%%|%.1f\n" a b c 42 7 255 8 Zed 2.25' 'a|    b|c  |42|00007|ff|10|Z|%|2.2'
t printf_reuses_format 'printf "<%s>" a b c; echo' '<a><b><c>'
t printf_escapes_and_b 'printf "a\tb\n%b\n" "c\\nd"' $'a\tb\nc\nd'
t printf_bad_number 'printf "%d\n" abc' '0' 1 'invalid number'
t export_lists_and_sets 'export A=1 B; B=2; export -p | grep -E "^export (A|B)="' $'export A=\'1\'\nexport B=\'2\''
t export_bad_name 'export 1x=2' '' 1 "not a valid identifier"
t unset_removes 'x=1; unset x; echo "[${x-gone}]"' '[gone]'
t set_lists_variables 'zz_var=value; set | grep ^zz_' "zz_var='value'"
t set_positionals_and_options 'set -- a b; echo $#; set -o | grep -c off' $'2\n4'
t env_prints_and_runs 'env -i A=1 env; env -u HOME env | grep -c HOME=' $'A=1\n0' 1
t env_runs_command_with_variable 'X=0; env X=2 env | grep ^X=; echo $X' $'X=2\n0'
t exit_with_status 'exit 3; echo no' '' 3
t exit_default_is_last_status 'false; exit' '' 1
t exit_bad_number 'exit abc' '' 2 'numeric argument required'
t jobs_lists_background 'sleep 1 & jobs' '[1]+  Running                 sleep 1 &'
t jobs_p_prints_pids 'sleep 1 & p=$!; [ "$(jobs -p)" = "$p" ] && echo ok' 'ok'
t fg_without_job_control 'fg' '' 1 'fg: no job control'
t bg_without_job_control 'bg' '' 1 'bg: no job control'
t kill_lists_signals 'kill -l | grep -c "9) SIGKILL"; kill -l 9; kill -l TERM; kill -l 130' $'1\nKILL\n15\nINT'
t kill_job_by_number 'sleep 10 & kill %1; wait %1; echo $?' '143'
t kill_with_named_signal 'sleep 10 & kill -s HUP $!; wait $!; echo $?; sleep 10 & kill -USR1 $!; wait; echo done' $'129\ndone'
t kill_bad_signal 'kill -NOPE 1' '' 1 'invalid signal specification'
t kill_no_such_process 'kill 999999' '' 1 'No such process'
t wait_returns_job_status '(exit 5) & wait $!; echo $?; wait; echo $?' $'5\n0'
t wait_unknown_pid 'wait 999999' '' 127 'not a child of this shell'
t read_splits_into_names 'echo "a b  c d" | { read x y z; echo "$x|$y|$z"; }' 'a|b|c d'
t read_reply_and_raw 'printf "%s\n" "a\\\\b  " | { read -r; echo "[$REPLY]"; }' '[a\\b  ]'
t read_backslash_without_r 'printf "%s\n" "a\\\\b" | { read x; echo "$x"; }' 'a\b'
t read_eof_status 'read x < /dev/null; echo $?' '1'
t read_prompt 'echo v | { read -p "Name? " n; echo "$n"; }' 'v' 0 '^Name\? $'
t read_with_ifs 'echo "a:b:c" | { IFS=: read x y; echo "$x $y"; }' 'a b:c'
t alias_and_unalias 'alias hi="echo hello"; alias hi; unalias hi; alias hi' "alias hi='echo hello'" 1 'hi: not found'
t unalias_all 'alias a=b c=d; unalias -a; alias | wc -l' '0'
t source_runs_in_this_shell 'echo "x=sourced; echo \$1" > f.sh; source ./f.sh arg; echo $x; . ./f.sh; echo $#' $'arg\nsourced\n\n0'
t eval_runs_text 'c="echo evaluated; y=2"; eval "$c"; echo $y' $'evaluated\n2'
t exec_replaces_shell 'exec echo replaced; echo not reached' 'replaced'
t exec_missing_command 'exec nosuch; echo $?' '127' 0 'exec: nosuch: not found'
t test_strings_and_numbers '[ a = a ] && [ a != b ] && [ -n x ] && [ -z "" ] && [ 2 -lt 10 ] && [ 10 -ge 10 ] && test 3 -ne 4 && echo all' 'all'
t test_files 'mkdir d; echo x > f; : > e; [ -d d ] && [ -f f ] && [ -e e ] && [ -s f ] && [ ! -s e ] && [ ! -e nope ] && [ -r f ] && [ -w f ] && echo files' 'files'
t test_logic '[ 1 -eq 1 -a 2 -eq 2 ] && [ 1 -eq 2 -o 2 -eq 2 ] && [ ! 1 -eq 2 ] && [ \( 1 -eq 1 \) ] && echo logic' 'logic'
t test_errors '[ 1 -eq ]; echo $?; [ a -lt 1 ]; echo $?; [ a' $'2\n2' 2 'missing \]'
t times_prints_two_lines 'times | wc -l' '2'
t type_kinds 'alias ll=ls; type cd if ll; type nosuch' $'cd is a shell builtin\nif is a shell keyword\nll is an alias for \'ls\'' 1 'type: nosuch: not found'
t type_finds_programs 'type cat | grep -c "^cat is /"' '1'
t ulimit_reports 'ulimit -n | grep -cE "^([0-9]+|unlimited)$"; ulimit -a | grep -c "open files"' $'1\n1'
t umask_octal_and_symbolic 'umask 027; umask; umask -S; umask u=rwx,g=rx,o=rx; umask' $'0027\nu=rwx,g=rx,o=\n0022'
t umask_applies_to_files 'umask 077; : > f; ls -l f | grep -c "^-rw------- "' '1'
t shift_positionals 'set -- a b c; shift; echo $*; shift 2; echo $#; shift' $'b c\n0' 1 "can't shift"
t sleep_fractional 'sleep 0.05; echo $?; sleep 0.01s; sleep bad' '0' 1 "invalid time interval 'bad'"
t history_empty_when_not_interactive 'history | wc -l' '0'
t return_outside_function 'return 1; echo after' 'after' 0 'can only be used in a function'
t break_outside_loop 'break; echo after' 'after' 0 'only meaningful in a loop'

summary
