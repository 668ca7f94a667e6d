/* Builtins about variables and aliases: export unset set env read alias
 * unalias. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"
#include "exec.h"
#include "shell.h"
#include "vars.h"

/* 'value' with embedded single quotes as '\'' : safe to paste back. */
static void add_quoted(struct str *out, const char *v)
{
    str_addc(out, '\'');
    for (; *v; v++) {
        if (*v == '\'')
            str_add(out, "'\\''");
        else
            str_addc(out, *v);
    }
    str_addc(out, '\'');
}

static void print_vars(const char *prefix, int exported_only)
{
    struct strv names = STRV_INIT;
    vars_list(&names);
    struct str out = STR_INIT;
    for (size_t i = 0; i < names.n; i++) {
        const char *v = var_get(names.v[i]);
        if (exported_only && !var_is_exported(names.v[i]))
            continue;
        str_printf(&out, "%s%s", prefix, names.v[i]);
        if (v) {
            str_addc(&out, '=');
            add_quoted(&out, v);
        }
        str_addc(&out, '\n');
    }
    write_all(1, str_cstr(&out), out.len);
    str_free(&out);
    strv_free(&names);
}

static int bad_name(const char *who, const char *arg)
{
    sh_error("%s: '%s': not a valid identifier", who, arg);
    return 1;
}

int bi_export(int argc, char **argv)
{
    int i = 1;
    if (i < argc && !strcmp(argv[i], "-p"))
        i++;
    if (i >= argc) {
        print_vars("export ", 1);
        return 0;
    }
    int status = 0;
    for (; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        if (!var_name_valid(argv[i], n)) {
            status = bad_name("export", argv[i]);
        } else if (eq) {
            var_assign(argv[i], 1);
        } else {
            var_export(argv[i]);
        }
    }
    return status;
}

int bi_unset(int argc, char **argv)
{
    int status = 0, functions = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "-f")) {
            functions = argv[i][1] == 'f';
            continue;
        }
        if (!var_name_valid(argv[i], strlen(argv[i])))
            status = bad_name("unset", argv[i]);
        else if (functions)
            func_unset(argv[i]);
        else
            var_unset(argv[i]);
    }
    return status;
}

struct option_name {
    char letter;
    const char *name;
    int *flag;
};

static const struct option_name options[] = {
    {'e', "errexit", &sh.opt_errexit},
    {'f', "noglob", &sh.opt_noglob},
    {'u', "nounset", &sh.opt_nounset},
    {'x', "xtrace", &sh.opt_xtrace},
};

enum { NOPTIONS = sizeof(options) / sizeof(options[0]) };

static int set_option_letter(char c, int on)
{
    for (int k = 0; k < NOPTIONS; k++) {
        if (options[k].letter == c) {
            *options[k].flag = on;
            return 0;
        }
    }
    sh_error("set: -%c: invalid option", c);
    return -1;
}

static int set_option_name(const char *name, int on)
{
    for (int k = 0; k < NOPTIONS; k++) {
        if (!strcmp(options[k].name, name)) {
            *options[k].flag = on;
            return 0;
        }
    }
    sh_error("set: %s: invalid option name", name);
    return -1;
}

static void print_options(void)
{
    struct str out = STR_INIT;
    for (int k = 0; k < NOPTIONS; k++)
        str_printf(&out, "%-12s %s\n", options[k].name, *options[k].flag ? "on" : "off");
    write_all(1, out.s, out.len);
    str_free(&out);
}

int bi_set(int argc, char **argv)
{
    if (argc == 1) {
        print_vars("", 0);
        return 0;
    }
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            goto params;
        }
        if ((a[0] != '-' && a[0] != '+') || !a[1])
            break;
        int on = a[0] == '-';
        if (!strcmp(a + 1, "o")) {
            if (i + 1 >= argc) {
                print_options();
                return 0;
            }
            if (set_option_name(argv[++i], on) < 0)
                return 2;
            continue;
        }
        for (const char *c = a + 1; *c; c++)
            if (set_option_letter(*c, on) < 0)
                return 2;
    }
    if (i >= argc)
        return 0;
params:
    strv_free(&sh.params);
    for (; i < argc; i++)
        strv_pushdup(&sh.params, argv[i]);
    return 0;
}

/* env runs in a child of its own (BI_FORK): it may change the variables
 * freely before printing them or executing the command. */
int bi_env(int argc, char **argv)
{
    int i = 1;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "-i") || !strcmp(argv[i], "-")) {
            struct strv names = STRV_INIT;
            vars_list(&names);
            for (size_t k = 0; k < names.n; k++)
                var_unset(names.v[k]);
            strv_free(&names);
        } else if (!strcmp(argv[i], "-u") && i + 1 < argc) {
            var_unset(argv[++i]);
        } else if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else if (argv[i][0] == '-') {
            return usage_error("env");
        } else {
            break;
        }
    }
    for (; i < argc && strchr(argv[i], '='); i++) {
        const char *eq = strchr(argv[i], '=');
        if (!var_name_valid(argv[i], (size_t)(eq - argv[i])))
            break;
        var_assign(argv[i], 1);
    }
    if (i < argc)
        exec_program(argv + i);
    struct strv env = STRV_INIT;
    vars_environ(&env);
    struct str out = STR_INIT;
    for (size_t k = 0; k < env.n; k++)
        str_printf(&out, "%s\n", env.v[k]);
    int r = write_all(1, str_cstr(&out), out.len);
    str_free(&out);
    strv_free(&env);
    return r < 0;
}

/* One line from fd 0, a byte at a time so that nothing after it is
 * consumed. Returns 0, or 1 at end of input (line holds what was read);
 * 130 when interrupted. */
static int read_line_raw(struct str *line, int raw)
{
    for (;;) {
        char c;
        ssize_t n = read(0, &c, 1);
        if (n < 0 && errno == EINTR) {
            if (sh.got_sigint)
                return 130;
            continue;
        }
        if (n < 0) {
            sh_error("read: %s", strerror(errno));
            return 2;
        }
        if (n == 0)
            return 1;
        if (c == '\0')
            continue;
        if (c == '\n')
            return 0;
        if (c == '\\' && !raw) {
            n = read(0, &c, 1);
            if (n <= 0)
                return 1;
            if (c == '\n')
                continue;           /* line continuation */
            str_addc(line, '\x01'); /* marks the next byte as escaped */
        }
        str_addc(line, c);
    }
}

static int is_ifs(char c, const char *ifs)
{
    return c && strchr(ifs, c) != NULL;
}

static int is_ifs_space(char c, const char *ifs)
{
    return (c == ' ' || c == '\t' || c == '\n') && is_ifs(c, ifs);
}

/* Splits the line over the names; the last takes the rest. \x01 escapes. */
static void assign_fields(const char *line, char **names, int count, const char *ifs)
{
    const char *p = line;
    for (int k = 0; k < count; k++) {
        while (*p && is_ifs_space(*p, ifs))
            p++;
        struct str v = STR_INIT;
        int last = k == count - 1;
        while (*p) {
            if (*p == '\x01' && p[1]) {
                str_addc(&v, p[1]);
                p += 2;
                continue;
            }
            if (!last && is_ifs(*p, ifs))
                break;
            str_addc(&v, *p++);
        }
        if (last) {
            /* trailing IFS whitespace is not part of the last field */
            while (v.len && is_ifs_space(v.s[v.len - 1], ifs))
                v.s[--v.len] = '\0';
        } else if (*p) {
            int was_space = is_ifs_space(*p, ifs);
            p++;
            while (*p && is_ifs_space(*p, ifs))
                p++;
            if (was_space && *p && is_ifs(*p, ifs) && !is_ifs_space(*p, ifs))
                p++; /* "a : b": one delimiter */
        }
        var_set(names[k], str_cstr(&v), 0);
        str_free(&v);
    }
}

int bi_read(int argc, char **argv)
{
    int raw = 0, i = 1;
    const char *prompt = NULL;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else if (!strcmp(argv[i], "-r")) {
            raw = 1;
        } else if (!strcmp(argv[i], "-p") && i + 1 < argc) {
            prompt = argv[++i];
        } else if (!strcmp(argv[i], "-rp") && i + 1 < argc) {
            raw = 1;
            prompt = argv[++i];
        } else {
            return usage_error("read");
        }
    }
    for (int k = i; k < argc; k++)
        if (!var_name_valid(argv[k], strlen(argv[k])))
            return bad_name("read", argv[k]);
    if (prompt)
        fd_puts(2, prompt);
    struct str line = STR_INIT;
    int status = read_line_raw(&line, raw);
    if (status == 130 || status == 2) {
        str_free(&line);
        return status;
    }
    const char *ifs = var_get("IFS");
    if (!ifs)
        ifs = " \t\n";
    if (i >= argc) {
        char *reply_name = "REPLY";
        assign_fields(str_cstr(&line), &reply_name, 1, "");
    } else {
        assign_fields(str_cstr(&line), argv + i, argc - i, ifs);
    }
    str_free(&line);
    return status;
}

static void print_alias(struct str *out, const char *name)
{
    str_printf(out, "alias %s=", name);
    add_quoted(out, alias_get(name));
    str_addc(out, '\n');
}

int bi_alias(int argc, char **argv)
{
    struct str out = STR_INIT;
    int status = 0;
    if (argc == 1) {
        struct strv names = STRV_INIT;
        alias_list(&names);
        for (size_t k = 0; k < names.n; k++)
            print_alias(&out, names.v[k]);
        strv_free(&names);
    }
    for (int i = 1; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (eq && eq != argv[i]) {
            char *name = xstrndup(argv[i], (size_t)(eq - argv[i]));
            if (strpbrk(name, " \t\n'\"\\$`;&|<>()/"))
                status = bad_name("alias", name);
            else
                alias_set(name, eq + 1);
            free(name);
        } else if (alias_get(argv[i])) {
            print_alias(&out, argv[i]);
        } else {
            sh_error("alias: %s: not found", argv[i]);
            status = 1;
        }
    }
    write_all(1, str_cstr(&out), out.len);
    str_free(&out);
    return status;
}

int bi_unalias(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("unalias");
    if (!strcmp(argv[1], "-a")) {
        alias_clear();
        return 0;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (alias_unset(argv[i]) < 0) {
            sh_error("unalias: %s: not found", argv[i]);
            status = 1;
        }
    }
    return status;
}
