/* The table of builtins (see builtins.h). */
#include "builtins.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

const struct builtin builtin_table[] = {
    {".", bi_source, BI_SPECIAL, ". FILE [ARGS...]", "run the commands of FILE in this shell"},
    {":", bi_colon, BI_SPECIAL, ": [ARGS...]", "do nothing, successfully"},
    {"[", bi_test, 0, "[ EXPRESSION ]", "evaluate a condition (same as test)"},
    {"alias", bi_alias, 0, "alias [NAME[=VALUE]...]", "define or list aliases"},
    {"bg", bi_bg, 0, "bg [JOB]", "continue a stopped job in the background"},
    {"break", bi_break, BI_SPECIAL, "break [N]", "leave N enclosing loops"},
    {"cd", bi_cd, 0, "cd [DIR | -]", "change the working directory (HOME by default)"},
    {"continue", bi_continue, BI_SPECIAL, "continue [N]", "start the next iteration of a loop"},
    {"echo", bi_echo, 0, "echo [-neE] [ARGS...]", "print arguments (-n: no newline, -e: escapes)"},
    {"env", bi_env, BI_FORK, "env [-i] [-u NAME] [NAME=VALUE...] [COMMAND...]",
     "print the environment or run a command in a changed one"},
    {"eval", bi_eval, BI_SPECIAL, "eval [ARGS...]", "run the arguments as a command"},
    {"exec", bi_exec, BI_SPECIAL, "exec [COMMAND [ARGS...]]",
     "replace the shell with COMMAND, or apply redirections to the shell"},
    {"exit", bi_exit, BI_SPECIAL, "exit [N]", "leave the shell with status N"},
    {"export", bi_export, BI_SPECIAL, "export [-p] [NAME[=VALUE]...]",
     "export variables to commands"},
    {"false", bi_false, 0, "false", "fail"},
    {"fg", bi_fg, 0, "fg [JOB]", "bring a job to the foreground"},
    {"help", bi_help, 0, "help [BUILTIN]", "list the builtins or describe one"},
    {"history", bi_history, 0, "history [-c] [N]",
     "list (the last N) or clear the command history"},
    {"jobs", bi_jobs, 0, "jobs [-lp] [JOB...]", "list jobs"},
    {"kill", bi_kill, 0, "kill [-s SIG | -SIG | -n N] PID|JOB... | kill -l [N]",
     "send a signal to processes or jobs, or list signal names"},
    {"poweroff", bi_poweroff, 0, "poweroff", "power the machine off (reboot(2))"},
    {"printf", bi_printf, 0, "printf FORMAT [ARGS...]", "formatted output"},
    {"pwd", bi_pwd, 0, "pwd", "print the working directory"},
    {"read", bi_read, 0, "read [-r] [-p PROMPT] [NAME...]", "read a line into variables"},
    {"reboot", bi_reboot, 0, "reboot", "restart the machine (reboot(2))"},
    {"return", bi_return, BI_SPECIAL, "return [N]",
     "leave a function or sourced file with status N"},
    {"set", bi_set, BI_SPECIAL, "set [-efux] [-o OPTION] [--] [ARGS...]",
     "set options and positional parameters, or list variables"},
    {"shift", bi_shift, BI_SPECIAL, "shift [N]", "drop the first N positional parameters"},
    {"sleep", bi_sleep, BI_FORK, "sleep SECONDS[smhd]...", "wait for a time (fractions allowed)"},
    {"source", bi_source, 0, "source FILE [ARGS...]", "run the commands of FILE in this shell"},
    {"test", bi_test, 0, "test EXPRESSION",
     "evaluate a condition: -f -d -e -z -n = != -eq -lt ..."},
    {"times", bi_times, BI_SPECIAL, "times", "print the CPU times of the shell and its children"},
    {"true", bi_true, 0, "true", "succeed"},
    {"type", bi_type, 0, "type NAME...", "say what a command name means"},
    {"ulimit", bi_ulimit, 0, "ulimit [-SHa] [-cdfnstuv] [LIMIT]", "show or set resource limits"},
    {"umask", bi_umask, 0, "umask [-S] [MODE]", "show or set the file creation mask"},
    {"unalias", bi_unalias, 0, "unalias [-a] NAME...", "remove aliases"},
    {"unset", bi_unset, BI_SPECIAL, "unset [-v] NAME...", "remove variables"},
    {"wait", bi_wait, 0, "wait [PID|JOB...]", "wait for background jobs; their status"},
};

const size_t builtin_count = sizeof(builtin_table) / sizeof(builtin_table[0]);

const struct builtin *builtin_find(const char *name)
{
    for (size_t i = 0; i < builtin_count; i++)
        if (strcmp(builtin_table[i].name, name) == 0)
            return &builtin_table[i];
    return NULL;
}

int usage_error(const char *name)
{
    const struct builtin *b = builtin_find(name);
    sh_error("usage: %s", b ? b->usage : name);
    return 2;
}

int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno)
        return -1;
    *out = v;
    return 0;
}
