/* Shell variables, aliases and functions: small hash tables of name -> value. */
#include "vars.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

struct entry {
    struct entry *next;
    char *name;
    char *value;
    int exported;
};

enum { NBUCKETS = 128 };

struct table {
    struct entry *buckets[NBUCKETS];
};

static struct table vars, aliases, funcs;

static unsigned hash(const char *s)
{
    unsigned h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h % NBUCKETS;
}

static struct entry *find(struct table *t, const char *name)
{
    for (struct entry *e = t->buckets[hash(name)]; e; e = e->next)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

static struct entry *insert(struct table *t, const char *name)
{
    struct entry *e = find(t, name);
    if (e)
        return e;
    e = xcalloc(1, sizeof(*e));
    e->name = xstrdup(name);
    unsigned h = hash(name);
    e->next = t->buckets[h];
    t->buckets[h] = e;
    return e;
}

static int remove_entry(struct table *t, const char *name)
{
    for (struct entry **pp = &t->buckets[hash(name)]; *pp; pp = &(*pp)->next) {
        struct entry *e = *pp;
        if (strcmp(e->name, name) == 0) {
            *pp = e->next;
            free(e->name);
            free(e->value);
            free(e);
            return 1;
        }
    }
    return 0;
}

static void list_names(struct table *t, struct strv *out)
{
    for (int i = 0; i < NBUCKETS; i++)
        for (struct entry *e = t->buckets[i]; e; e = e->next)
            strv_pushdup(out, e->name);
    strv_sort(out);
}

int var_name_valid(const char *s, size_t n)
{
    if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    return 1;
}

void vars_init(char **environ)
{
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || !var_name_valid(*e, (size_t)(eq - *e)))
            continue;
        char *name = xstrndup(*e, (size_t)(eq - *e));
        var_set(name, eq + 1, 1);
        free(name);
    }
}

const char *var_get(const char *name)
{
    struct entry *e = find(&vars, name);
    return e ? e->value : NULL;
}

int var_set(const char *name, const char *value, int export_it)
{
    struct entry *e = insert(&vars, name);
    char *copy = xstrdup(value);
    free(e->value);
    e->value = copy;
    if (export_it)
        e->exported = 1;
    return 0;
}

void var_unset(const char *name)
{
    remove_entry(&vars, name);
}

void var_export(const char *name)
{
    struct entry *e = find(&vars, name);
    if (!e) {
        /* export NAME without a value: exported once it gets one */
        e = insert(&vars, name);
        e->value = NULL;
    }
    e->exported = 1;
}

int var_is_exported(const char *name)
{
    struct entry *e = find(&vars, name);
    return e && e->exported;
}

int var_assign(const char *assignment, int export_it)
{
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return -1;
    char *name = xstrndup(assignment, (size_t)(eq - assignment));
    int r = var_set(name, eq + 1, export_it);
    free(name);
    return r;
}

void vars_environ(struct strv *out)
{
    for (int i = 0; i < NBUCKETS; i++)
        for (struct entry *e = vars.buckets[i]; e; e = e->next)
            if (e->exported && e->value)
                strv_push(out, xasprintf("%s=%s", e->name, e->value));
    strv_sort(out);
}

void vars_list(struct strv *names)
{
    list_names(&vars, names);
}

void var_save(struct var_save *s, const char *name)
{
    struct entry *e = find(&vars, name);
    s->name = xstrdup(name);
    s->value = e && e->value ? xstrdup(e->value) : NULL;
    s->exported = e ? e->exported : 0;
}

void var_restore(struct var_save *s)
{
    if (s->value) {
        var_set(s->name, s->value, 0);
        struct entry *e = find(&vars, s->name);
        e->exported = s->exported;
    } else {
        var_unset(s->name);
    }
    free(s->name);
    free(s->value);
}

const char *alias_get(const char *name)
{
    struct entry *e = find(&aliases, name);
    return e ? e->value : NULL;
}

void alias_set(const char *name, const char *value)
{
    struct entry *e = insert(&aliases, name);
    char *copy = xstrdup(value);
    free(e->value);
    e->value = copy;
}

int alias_unset(const char *name)
{
    return remove_entry(&aliases, name) ? 0 : -1;
}

void alias_clear(void)
{
    for (int i = 0; i < NBUCKETS; i++)
        while (aliases.buckets[i])
            remove_entry(&aliases, aliases.buckets[i]->name);
}

void alias_list(struct strv *names)
{
    list_names(&aliases, names);
}

const char *func_get(const char *name)
{
    struct entry *e = find(&funcs, name);
    return e ? e->value : NULL;
}

void func_set(const char *name, const char *body)
{
    struct entry *e = insert(&funcs, name);
    char *copy = xstrdup(body);
    free(e->value);
    e->value = copy;
}

int func_unset(const char *name)
{
    return remove_entry(&funcs, name) ? 0 : -1;
}
