/* Growable byte strings and NULL-terminated string vectors. Every string the
 * shell builds goes through these, so no line, word or expansion has a fixed
 * size limit. Allocation failure ends the shell (xmalloc). */
#ifndef FUTSH_STR_H
#define FUTSH_STR_H

#include <stdarg.h>
#include <stddef.h>

/* A byte string; s is always NUL-terminated (s may hold NULs before len). */
struct str {
    char *s;
    size_t len;
    size_t cap;
};

#define STR_INIT                                                                                   \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void str_addn(struct str *b, const char *p, size_t n);
void str_add(struct str *b, const char *p);
void str_addc(struct str *b, char c);
void str_printf(struct str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void str_vprintf(struct str *b, const char *fmt, va_list ap);
void str_clear(struct str *b);
void str_free(struct str *b);
/* The bytes (never NULL, "" when empty); stays valid until the next change. */
const char *str_cstr(struct str *b);
/* Hands the buffer to the caller (malloc'd, NUL-terminated) and empties b. */
char *str_steal(struct str *b);
void str_insert(struct str *b, size_t at, const char *p, size_t n);
void str_erase(struct str *b, size_t at, size_t n);

/* A NULL-terminated vector of malloc'd strings (v[n] == NULL when n > 0). */
struct strv {
    char **v;
    size_t n;
    size_t cap;
};

#define STRV_INIT                                                                                  \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void strv_push(struct strv *a, char *owned);
void strv_pushdup(struct strv *a, const char *s);
void strv_free(struct strv *a);
/* The array, NULL-terminated even when empty (allocates if needed). */
char **strv_array(struct strv *a);
void strv_sort(struct strv *a);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
