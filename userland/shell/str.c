/* Growable strings and string vectors (see str.h). */
#include "str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void out_of_memory(void)
{
    static const char msg[] = "futsh: out of memory\n";
    ssize_t r = write(2, msg, sizeof(msg) - 1);
    (void)r;
    _exit(127);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xasprintf(const char *fmt, ...)
{
    struct str b = STR_INIT;
    va_list ap;
    va_start(ap, fmt);
    str_vprintf(&b, fmt, ap);
    va_end(ap);
    return str_steal(&b);
}

/* Makes room for n more bytes plus the terminating NUL. */
static void str_reserve(struct str *b, size_t n)
{
    if (n > (size_t)-1 / 2 - b->len)
        out_of_memory();
    if (b->len + n + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 32;
    while (cap < b->len + n + 1)
        cap *= 2;
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
}

void str_addn(struct str *b, const char *p, size_t n)
{
    str_reserve(b, n);
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void str_add(struct str *b, const char *p)
{
    str_addn(b, p, strlen(p));
}

void str_addc(struct str *b, char c)
{
    str_reserve(b, 1);
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
}

void str_vprintf(struct str *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    str_reserve(b, (size_t)n);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void str_printf(struct str *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    str_vprintf(b, fmt, ap);
    va_end(ap);
}

void str_clear(struct str *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

void str_free(struct str *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

const char *str_cstr(struct str *b)
{
    return b->s ? b->s : "";
}

char *str_steal(struct str *b)
{
    char *s = b->s ? b->s : xstrdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

void str_insert(struct str *b, size_t at, const char *p, size_t n)
{
    if (at > b->len)
        at = b->len;
    str_reserve(b, n);
    memmove(b->s + at + n, b->s + at, b->len - at + 1);
    memcpy(b->s + at, p, n);
    b->len += n;
}

void str_erase(struct str *b, size_t at, size_t n)
{
    if (at >= b->len)
        return;
    if (n > b->len - at)
        n = b->len - at;
    memmove(b->s + at, b->s + at + n, b->len - at - n + 1);
    b->len -= n;
}

void strv_push(struct strv *a, char *owned)
{
    if (a->n + 2 > a->cap) {
        a->cap = a->cap ? a->cap * 2 : 8;
        a->v = xrealloc(a->v, a->cap * sizeof(char *));
    }
    a->v[a->n++] = owned;
    a->v[a->n] = NULL;
}

void strv_pushdup(struct strv *a, const char *s)
{
    strv_push(a, xstrdup(s));
}

void strv_free(struct strv *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

char **strv_array(struct strv *a)
{
    if (!a->v) {
        a->cap = 8;
        a->v = xcalloc(a->cap, sizeof(char *));
    }
    return a->v;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

void strv_sort(struct strv *a)
{
    if (a->n > 1)
        qsort(a->v, a->n, sizeof(char *), cmp_str);
}
