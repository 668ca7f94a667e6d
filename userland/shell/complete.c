/* Tab completion (see complete.h). */
#include "complete.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtins.h"
#include "vars.h"

static const char special[] = " \t\n\\'\"$`&|;<>()*?[]#~!{}";

static int is_separator(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || strchr(";|&<>()", c) != NULL;
}

static char *quote_name(const char *s)
{
    struct str out = STR_INIT;
    for (; *s; s++) {
        if (strchr(special, *s))
            str_addc(&out, '\\');
        str_addc(&out, *s);
    }
    return str_steal(&out);
}

/* The word as typed, with backslashes and quotes taken out. */
static char *unquote_word(const char *s, size_t n)
{
    struct str out = STR_INIT;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n)
            i++;
        else if (s[i] == '\'' || s[i] == '"')
            continue;
        str_addc(&out, s[i]);
    }
    return str_steal(&out);
}

static void add_unique(struct strv *cands, char *owned)
{
    for (size_t i = 0; i < cands->n; i++) {
        if (!strcmp(cands->v[i], owned)) {
            free(owned);
            return;
        }
    }
    strv_push(cands, owned);
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Files in the directory part of `word` whose names start with its last
 * component. The typed directory part is kept as typed (raw). */
static void complete_path(const char *raw, size_t raw_len, const char *word, int executables_only,
                          struct strv *cands)
{
    const char *slash = strrchr(word, '/');
    const char *base = slash ? slash + 1 : word;
    char *dir = slash ? xstrndup(word, (size_t)(slash - word) + 1) : xstrdup("./");
    if (dir[0] == '~' && (dir[1] == '/' || !dir[1])) {
        const char *home = var_get("HOME");
        char *expanded = xasprintf("%s%s", home ? home : "", dir + 1);
        free(dir);
        dir = expanded;
    }
    /* The raw text up to and including the last unescaped '/'. */
    size_t raw_dir = 0;
    for (size_t i = 0; i < raw_len; i++) {
        if (raw[i] == '\\')
            i++;
        else if (raw[i] == '/')
            raw_dir = i + 1;
    }
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            if (!starts_with(e->d_name, base) || (e->d_name[0] == '.' && base[0] != '.'))
                continue;
            char *full = xasprintf("%s%s", dir, e->d_name);
            struct stat st;
            int is_dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
            int ok = !executables_only || is_dir || access(full, X_OK) == 0;
            free(full);
            if (!ok)
                continue;
            char *q = quote_name(e->d_name);
            add_unique(cands, xasprintf("%.*s%s%s", (int)raw_dir, raw, q, is_dir ? "/" : ""));
            free(q);
        }
        closedir(d);
    }
    free(dir);
}

static void complete_command(const char *word, struct strv *cands)
{
    static const char *const keywords[] = {"if",  "then", "else", "elif", "fi",   "while", "until",
                                           "for", "in",   "do",   "done", "case", "esac"};
    for (size_t i = 0; i < builtin_count; i++)
        if (starts_with(builtin_table[i].name, word))
            add_unique(cands, xstrdup(builtin_table[i].name));
    for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
        if (starts_with(keywords[i], word))
            add_unique(cands, xstrdup(keywords[i]));
    struct strv aliases = STRV_INIT;
    alias_list(&aliases);
    for (size_t i = 0; i < aliases.n; i++)
        if (starts_with(aliases.v[i], word))
            add_unique(cands, xstrdup(aliases.v[i]));
    strv_free(&aliases);

    const char *path = var_get("PATH");
    char *copy = xstrdup(path ? path : "/bin:/sbin:/usr/bin:/usr/sbin");
    for (char *dir = strtok(copy, ":"); dir; dir = strtok(NULL, ":")) {
        DIR *d = opendir(dir);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.' || !starts_with(e->d_name, word))
                continue;
            char *full = xasprintf("%s/%s", dir, e->d_name);
            struct stat st;
            if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
                add_unique(cands, quote_name(e->d_name));
            free(full);
        }
        closedir(d);
    }
    free(copy);
}

void complete_line(const char *line, size_t cursor, size_t *start, struct strv *cands)
{
    size_t s = cursor;
    while (s > 0 && !(is_separator(line[s - 1]) && !(s >= 2 && line[s - 2] == '\\')))
        s--;
    *start = s;
    size_t p = s;
    while (p > 0 && (line[p - 1] == ' ' || line[p - 1] == '\t'))
        p--;
    int command_position = p == 0 || strchr(";|&(", line[p - 1]) != NULL;
    char *word = unquote_word(line + s, cursor - s);
    if (command_position && !strchr(word, '/'))
        complete_command(word, cands);
    else
        complete_path(line + s, cursor - s, word, command_position, cands);
    free(word);
    strv_sort(cands);
}

char *complete_common_prefix(const struct strv *cands)
{
    if (cands->n == 0)
        return xstrdup("");
    size_t n = strlen(cands->v[0]);
    for (size_t i = 1; i < cands->n; i++) {
        size_t k = 0;
        while (k < n && cands->v[i][k] == cands->v[0][k])
            k++;
        n = k;
    }
    return xstrndup(cands->v[0], n);
}
