/* Builtins that describe the shell: help type history. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"
#include "exec.h"
#include "history.h"
#include "shell.h"
#include "vars.h"

static const char *const keywords[] = {"!",    "{",    "}",     "if",    "then", "else",
                                       "elif", "fi",   "while", "until", "for",  "in",
                                       "do",   "done", "case",  "esac"};

static int is_keyword(const char *s)
{
    for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
        if (!strcmp(keywords[i], s))
            return 1;
    return 0;
}

int bi_help(int argc, char **argv)
{
    struct str out = STR_INIT;
    int status = 0;
    if (argc == 1) {
        str_add(&out, "futsh builtins (help NAME for one):\n");
        for (size_t i = 0; i < builtin_count; i++)
            str_printf(&out, "  %-9s %s\n", builtin_table[i].name, builtin_table[i].summary);
        str_add(&out,
                "Syntax:\n"
                "    ; & && || | ! ( ) { } if/then/elif/else/fi while/until/do/done\n"
                "    case WORD in PATTERN|PATTERN) ...;; esac   NAME() { ...; }\n"
                "    for NAME in WORDS; do ...; done  < > >> 2> 2>&1 >&2 &> <<WORD <<-WORD\n"
                "    'single' \"double\" \\x $VAR ${VAR:-default} $(cmd) $((1+2)) * ? [...]\n");
    }
    for (int i = 1; i < argc; i++) {
        const struct builtin *b = builtin_find(argv[i]);
        if (!b) {
            sh_error("help: %s: no such builtin", argv[i]);
            status = 1;
            continue;
        }
        str_printf(&out, "%s\n    %s%s%s\n", b->usage, b->summary,
                   b->flags & BI_SPECIAL ? " (special builtin)" : "",
                   b->flags & BI_FORK ? " (runs as a child process)" : "");
    }
    write_all(1, str_cstr(&out), out.len);
    str_free(&out);
    return status;
}

int bi_type(int argc, char **argv)
{
    struct str out = STR_INIT;
    int status = 0;
    for (int i = 1; i < argc; i++) {
        const char *name = argv[i];
        const char *alias = alias_get(name);
        char *path;
        if (alias) {
            str_printf(&out, "%s is an alias for '%s'\n", name, alias);
        } else if (func_get(name)) {
            str_printf(&out, "%s is a function\n", name);
        } else if (is_keyword(name)) {
            str_printf(&out, "%s is a shell keyword\n", name);
        } else if (builtin_find(name)) {
            str_printf(&out, "%s is a shell builtin\n", name);
        } else if ((path = strchr(name, '/') ? NULL : path_lookup(name))) {
            str_printf(&out, "%s is %s\n", name, path);
            free(path);
        } else if (strchr(name, '/') && access(name, X_OK) == 0) {
            str_printf(&out, "%s is %s\n", name, name);
        } else {
            sh_error("type: %s: not found", name);
            status = 1;
        }
    }
    write_all(1, str_cstr(&out), out.len);
    str_free(&out);
    return status;
}

int bi_history(int argc, char **argv)
{
    size_t count = history_count(), from = 0;
    if (argc > 1 && !strcmp(argv[1], "-c")) {
        history_clear();
        return 0;
    }
    if (argc > 1) {
        long n;
        if (parse_long(argv[1], &n) < 0 || n < 0)
            return usage_error("history");
        if ((size_t)n < count)
            from = count - (size_t)n;
    }
    struct str out = STR_INIT;
    for (size_t i = from; i < count; i++)
        str_printf(&out, "%5zu  %s\n", history_first_number() + i, history_get(i));
    write_all(1, str_cstr(&out), out.len);
    str_free(&out);
    return 0;
}
