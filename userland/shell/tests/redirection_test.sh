#!/bin/bash
# Redirections and here-documents, into files and back.
source "$(dirname "$(readlink -f "$0")")/lib.sh"

t output_truncates 'echo one > f; echo two > f; cat f' 'two'
t append_appends 'echo one > f; echo two >> f; cat f' $'one\ntwo'
t input_from_file 'echo content > f; read x < f; echo "$x"' 'content'
t stderr_to_file 'nosuch 2> err; echo $?; grep -c "command not found" err' $'127\n1'
t stderr_to_stdout 'nosuch 2>&1 | grep -c "not found"' '1'
t stdout_to_stderr 'echo to-err >&2' '' 0 '^to-err$'
t order_matters_2_to_1_then_1_to_null '{ echo out; echo err >&2; } 2>&1 >/dev/null' 'err'
t both_to_file '{ echo out; echo err >&2; } &> f; cat f' $'out\nerr'
t read_write_open 'echo abc > f; cat <> f' 'abc'
t redirect_only_creates_file '> empty; [ -f empty ] && [ ! -s empty ] && echo created' 'created'
t redirect_target_expands 'n=f1; echo x > "$n.txt"; cat f1.txt' 'x'
t builtin_redirection_is_restored 'echo a > f; echo b; cat f' $'b\na'
t compound_redirection_whole_loop 'for i in 1 2 3; do echo $i; done > f; cat f | wc -l' '3'
t while_reads_file_redirect 'printf "x\ny\n" > f; while read l; do echo "[$l]"; done < f' $'[x]\n[y]'
t numbered_fd_via_exec 'exec 3> f; echo via3 >&3; exec 3>&-; cat f' 'via3'
t closed_fd_is_an_error 'echo x >&7' '' 1 '7: Bad file descriptor'
t close_stdout_then_write 'echo x >&-; echo $?' '1' 0 '-'
t exec_redirects_the_shell 'exec > f; echo into-file; exec >&2; cat f >&2' '' 0 '^into-file$'
t missing_directory_fails '{ echo x > /nonexistent/f; } ; echo $?' '1' 0 '/nonexistent/f: No such file or directory'
t ambiguous_empty_target 'echo x > "$nosuch"' '' 1 'ambiguous redirect'

t heredoc_expands $'x=val\ncat <<EOF\nv=$x $((1+1)) $(echo cs)\n\\$x \\\\ "q"\nEOF' $'v=val 2 cs\n$x \\ "q"'
t heredoc_quoted_delimiter_is_literal $'x=val\ncat <<\'EOF\'\n$x `cmd` \\$\nEOF' '$x `cmd` \$'
t heredoc_dash_strips_tabs $'cat <<-END\n\tindented\n\t\tmore\n\tEND\necho after' $'indented\nmore\nafter'
t heredoc_followed_by_commands $'cat <<A; echo then\nbody\nA\necho last' $'body\nthen\nlast'
t two_heredocs_on_one_line $'read a <<A; read b <<B\nfirst\nA\nsecond\nB\necho "$a $b"' 'first second'
t heredoc_to_builtin_read $'read a b <<EOF\none two three\nEOF\necho "$b|$a"' 'two three|one'
t heredoc_into_pipeline $'cat <<EOF | wc -l\n1\n2\n3\nEOF' '3'
big=$(printf 'line %05d of a big here-document\n' $(seq 1 3000))
t heredoc_larger_than_a_pipe "cat <<EOF | wc -c
$big
EOF" "$((${#big} + 1))"
t_stdin heredoc_in_script_from_stdin $'cat <<EOF\nline one\n$((1+1))\nEOF\necho after\n' $'line one\n2\nafter'
t_stdin heredoc_at_end_of_stdin $'cat <<EOF\nunfinished\n' 'unfinished' 0 'here-document delimited by end of file'
t heredoc_missing_delimiter_warns $'cat <<EOF\nno end' 'no end' 0 'here-document delimited by end of file'

summary
