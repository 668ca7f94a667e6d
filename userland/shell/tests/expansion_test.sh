#!/bin/bash
# Word expansion: variables, special parameters, ${...} forms, command and
# arithmetic substitution, field splitting, globbing, tilde.
source "$(dirname "$(readlink -f "$0")")/lib.sh"

# Variables
t var_plain_and_braced 'x=ab; echo $x ${x}c "$x"d $xc.' 'ab abc abd .'
t unset_var_is_empty 'echo "[$nosuch]"' '[]'
t assignment_has_no_splitting 'x="a   b"; y=$x; echo "$y"' 'a   b'
t prefix_assignment_only_for_that_command 'x=1; x=2 env | grep ^x=; echo $x' $'x=2\n1'
t export_reaches_children 'export V=exported; W=local; env | grep -E "^(V|W)="' 'V=exported'
t environment_is_imported 'env | grep -c ^HOME=' '1'

# Special parameters
t status_param 'false; echo $?; true; echo $?' $'1\n0'
t pid_param_is_shell_pid 'a=$$; b=$(echo $$); (c=$$; [ "$a" = "$b" ] && [ "$a" = "$c" ] && echo same)' 'same'
t bang_param_is_last_background_pid 'sleep 0 & p=$!; wait $p; [ "$p" -gt 1 ] && echo ok' 'ok'
t positional_params 'set -- a b c d e f g h i j k; echo $# $1 $9 ${10} ${11}' '11 a i j k'
t dollar_at_quoted_keeps_words 'set -- "a b" c; for x in "$@"; do echo "[$x]"; done' $'[a b]\n[c]'
t dollar_star_quoted_joins 'set -- "a b" c; for x in "$*"; do echo "[$x]"; done' '[a b c]'
t dollar_at_unquoted_splits 'set -- "a b" c; for x in $@; do echo "[$x]"; done' $'[a]\n[b]\n[c]'
t empty_dollar_at_quoted_is_no_word 'set --; set -- "$@"; echo $#' '0'
t dollar_zero_in_dash_c 'echo ${0##*/}' 'futsh'

# ${...}
t default_value 'echo ${u:-def} ${u-def2}; e=; echo "[${e:-d}]" "[${e-d}]"' $'def def2\n[d] []'
t assign_default 'echo ${u:=set}; echo $u' $'set\nset'
t alternate_value 'x=1; echo "[${x:+alt}]" "[${u:+alt}]"' '[alt] []'
t error_if_unset 'echo ${u:?custom message}; echo not reached' '' 1 'futsh: u: custom message'
t length 'x=hello; echo ${#x} ${#}' '5 0'
t prefix_suffix_removal 'p=/usr/local/lib.so.1; echo ${p#*/} ${p##*/} ${p%.*} ${p%%.*}' 'usr/local/lib.so.1 lib.so.1 /usr/local/lib.so /usr/local/lib'
t pattern_removal_with_quoted_star 'x="a*b*c"; echo ${x%"*"*}' 'a*b'
t bad_substitution '${x/a/b}' '' 1 'bad substitution'
t nounset_reports_unset 'set -u; echo ${d:-ok}; echo $nosuch; echo no' 'ok' 1 'nosuch: parameter not set'

# Command substitution
t command_substitution 'echo "<$(echo a b)>" "<`echo c`>"' '<a b> <c>'
t command_substitution_strips_trailing_newlines 'x=$(printf "a\n\n\n"); echo "[$x]"' '[a]'
t command_substitution_nested 'echo $(echo $(echo $(echo deep)))' 'deep'
t command_substitution_status 'x=$(exit 3); echo $?' '3'
t command_substitution_unquoted_splits 'set -- $(echo "a   b"); echo $#' '2'
t command_substitution_with_quotes_inside 'echo "$(echo "in \"quotes\"")"' 'in "quotes"'
t backquotes_inside_double_quotes 'echo "`echo \"bq\"`"' 'bq'
t backquotes_nested 'echo `echo \`echo inner\``' 'inner'

# Arithmetic
t arithmetic_precedence 'echo $((1+2*3)) $(((1+2)*3)) $((7/2)) $((7%3)) $((-7/2)) $((2-3-4))' '7 9 3 1 -3 -5'
t arithmetic_operators 'echo $((1<<4)) $((255>>4)) $((5&3)) $((5|3)) $((5^3)) $((~0)) $((!0))' '16 15 1 7 6 -1 1'
t arithmetic_comparisons 'echo $((1<2)) $((2<=1)) $((3==3)) $((3!=3)) $((1&&0)) $((1||0))' '1 0 1 0 0 1'
t arithmetic_ternary_and_bases 'echo $((1 ? 10 : 20)) $((0x1f)) $((010))' '10 31 8'
t arithmetic_variables 'x=4; echo $((x*x)) $(($x+1)) $((y+1)); : $((z=x+3)); echo $z' $'16 5 1\n7'
t arithmetic_follows_variable_names 'a=3; b=a; echo $((b * 2)); c=c; echo $((c))' '6' 1 'variable is not a number'
t arithmetic_division_by_zero 'echo $((1/0)); echo no' '' 1 'division by zero'
t arithmetic_syntax_error 'echo $((1+))' '' 1 'arithmetic'

# Field splitting
t split_on_blanks 'x=" a  b  "; set -- $x; echo $#' '2'
t split_on_custom_ifs 'IFS=:; x="a::b:"; set -- $x; echo $# "[$2]"' '3 []'
t empty_ifs_does_not_split 'IFS=; x="a b"; set -- $x; echo $#' '1'
t literal_text_is_not_split_by_ifs 'IFS=b; echo abc' 'abc'
t unquoted_empty_expansion_vanishes 'e=; set -- $e x $e; echo $#' '1'

# Globbing
t glob_star 'touch b.c a.c c.h; echo *.c' 'a.c b.c'
t glob_question_and_class 'touch a1 a2 b1; echo a? [ab]1 [!a]1' 'a1 a2 a1 b1 b1'
t glob_no_match_stays_literal 'echo *.none "[x"' '*.none [x'
t glob_quoted_is_literal 'touch a.c; echo "*.c" '"'"'*.c'"'"' \*.c' '*.c *.c *.c'
t glob_hidden_files_need_dot 'touch .hid vis; echo *; echo .h*' $'vis\n.hid'
t glob_in_subdirectory 'mkdir d; touch d/x d/y; echo d/*' 'd/x d/y'
t glob_from_variable 'touch q1 q2; p="q*"; echo $p "$p"' 'q1 q2 q*'
t noglob_option 'touch a.c; set -f; echo *.c' '*.c'

# Tilde
t tilde_is_home 'echo ~ ~/x "~" a~' "$TEST_TMPDIR/work $TEST_TMPDIR/work/x ~ a~"

summary
