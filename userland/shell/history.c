/* Command history (see history.h). */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"
#include "str.h"
#include "vars.h"

static struct strv entries;
static size_t first_number = 1;
static char *path;

static void drop_oldest(size_t n)
{
    if (n > entries.n)
        n = entries.n;
    for (size_t i = 0; i < n; i++)
        free(entries.v[i]);
    memmove(entries.v, entries.v + n, (entries.n - n + 1) * sizeof(char *));
    entries.n -= n;
    first_number += n;
}

static char *unescape(const char *s, size_t n)
{
    struct str out = STR_INIT;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            i++;
            str_addc(&out, s[i] == 'n' ? '\n' : s[i]);
        } else {
            str_addc(&out, s[i]);
        }
    }
    return str_steal(&out);
}

static void escape_into(struct str *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            str_add(out, "\\n");
        else if (*s == '\\')
            str_add(out, "\\\\");
        else
            str_addc(out, *s);
    }
    str_addc(out, '\n');
}

static void rewrite_file(void)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    struct str out = STR_INIT;
    for (size_t i = 0; i < entries.n; i++)
        escape_into(&out, entries.v[i]);
    write_all(fd, str_cstr(&out), out.len);
    str_free(&out);
    close(fd);
}

void history_init(void)
{
    const char *file = var_get("HISTFILE");
    const char *home = var_get("HOME");
    if (file && *file)
        path = xstrdup(file);
    else if (home && *home && strcmp(home, "/") != 0)
        path = xasprintf("%s/.futsh_history", home);
    else
        path = xstrdup("/tmp/.futsh_history");

    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    struct str text = STR_INIT;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            str_addn(&text, buf, (size_t)n);
    close(fd);
    size_t lines = 0;
    for (size_t start = 0; start < text.len;) {
        const char *nl = memchr(text.s + start, '\n', text.len - start);
        size_t end = nl ? (size_t)(nl - text.s) : text.len;
        if (end > start && !memchr(text.s + start, '\0', end - start))
            strv_push(&entries, unescape(text.s + start, end - start));
        lines++;
        start = end + 1;
    }
    str_free(&text);
    if (entries.n > HISTORY_MAX)
        drop_oldest(entries.n - HISTORY_MAX);
    first_number = 1;
    if (lines > 2 * HISTORY_MAX)
        rewrite_file();
}

void history_add(const char *line)
{
    if (!line[strspn(line, " \t\n")])
        return;
    if (entries.n && strcmp(entries.v[entries.n - 1], line) == 0)
        return;
    strv_pushdup(&entries, line);
    if (entries.n > HISTORY_MAX)
        drop_oldest(entries.n - HISTORY_MAX);
    if (!path)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    struct str out = STR_INIT;
    escape_into(&out, line);
    write_all(fd, out.s, out.len);
    str_free(&out);
    close(fd);
}

size_t history_count(void)
{
    return entries.n;
}

const char *history_get(size_t i)
{
    return i < entries.n ? entries.v[i] : NULL;
}

size_t history_first_number(void)
{
    return first_number;
}

void history_clear(void)
{
    first_number += entries.n;
    strv_free(&entries);
}

const char *history_file(void)
{
    return path;
}
