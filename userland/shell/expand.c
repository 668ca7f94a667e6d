/* Word expansion (see expand.h).
 *
 * Phase 1 turns a raw word into a marked string: each byte of the result
 * carries a flag saying where it came from, so that phase 2 splits only the
 * unquoted results of expansions and globs only unquoted characters:
 *   'L' literal unquoted text      'Q' quoted text (never split or globbed)
 *   'E' unquoted expansion result  'M' an empty "" or '' (keeps the field)
 *   'B' a break between unquoted $@ parameters
 *   'b' a break between "$@" parameters (each is a field even if empty) */
#include "expand.h"

#include <fnmatch.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "shell.h"
#include "vars.h"

struct marked {
    struct str text;
    struct str flags;
};

static int expand_failed;

static void mark_addn(struct marked *m, const char *s, size_t n, char flag)
{
    str_addn(&m->text, s, n);
    for (size_t i = 0; i < n; i++)
        str_addc(&m->flags, flag);
}

static void mark_add(struct marked *m, const char *s, char flag)
{
    mark_addn(m, s, strlen(s), flag);
}

static void mark_free(struct marked *m)
{
    str_free(&m->text);
    str_free(&m->flags);
}

static void expand_error(const char *fmt, const char *arg)
{
    if (!expand_failed)
        sh_error(fmt, arg);
    expand_failed = 1;
}

/* ---- finding the ends of quoted constructs (the lexer checked them) ---- */

static size_t skip_dollar(const char *w, size_t i);

static size_t skip_squote(const char *w, size_t i)
{
    const char *q = strchr(w + i + 1, '\'');
    return q ? (size_t)(q - w) + 1 : strlen(w);
}

static size_t skip_bq(const char *w, size_t i)
{
    for (i++; w[i] && w[i] != '`'; i++)
        if (w[i] == '\\' && w[i + 1])
            i++;
    return w[i] ? i + 1 : i;
}

static size_t skip_dquote(const char *w, size_t i)
{
    for (i++; w[i] && w[i] != '"';) {
        if (w[i] == '\\' && w[i + 1])
            i += 2;
        else if (w[i] == '$')
            i = skip_dollar(w, i);
        else if (w[i] == '`')
            i = skip_bq(w, i);
        else
            i++;
    }
    return w[i] ? i + 1 : i;
}

/* w[i] is just after `open`; returns the index of the matching `close`. */
static size_t match_close(const char *w, size_t i, char open, char close)
{
    int depth = 1;
    while (w[i]) {
        char c = w[i];
        if (c == '\'' && close != '}') {
            i = skip_squote(w, i);
        } else if (c == '"') {
            i = skip_dquote(w, i);
        } else if (c == '\\') {
            i += w[i + 1] ? 2 : 1;
        } else if (c == '`') {
            i = skip_bq(w, i);
        } else if (c == '$') {
            i = skip_dollar(w, i);
        } else {
            if (c == open)
                depth++;
            else if (c == close && --depth == 0)
                return i;
            i++;
        }
    }
    return i;
}

static size_t skip_dollar(const char *w, size_t i)
{
    if (w[i + 1] == '(') {
        size_t c = match_close(w, i + 2, '(', ')');
        return w[c] ? c + 1 : c;
    }
    if (w[i + 1] == '{') {
        size_t c = match_close(w, i + 2, '{', '}');
        return w[c] ? c + 1 : c;
    }
    return i + 1;
}

/* ---- phase 1 ---- */

static void expand_unquoted(const char *w, size_t len, struct marked *m, int tilde);
static void expand_dq_text(const char *w, size_t len, struct marked *m);
static void expand_quoted_text(const char *w, size_t len, struct marked *m, const char *escapable);
static size_t expand_dollar(const char *w, size_t i, struct marked *m, int quoted);

static void add_value(struct marked *m, const char *v, int quoted)
{
    mark_add(m, v, quoted ? 'Q' : 'E');
}

static void add_subst_output(struct marked *m, const char *cmd, size_t len, int quoted)
{
    char *out = command_subst(cmd, len);
    add_value(m, out, quoted);
    free(out);
}

static char *positional(long n)
{
    if (n == 0)
        return xstrdup(sh.arg0 ? sh.arg0 : "futsh");
    if (n > 0 && (size_t)n <= sh.params.n)
        return xstrdup(sh.params.v[n - 1]);
    return NULL;
}

/* The value of a parameter name ("x", "1", "?", ...): malloc'd, or NULL if
 * unset. $@ and $* are handled by the callers. */
static char *param_value(const char *name)
{
    if (name[0] >= '0' && name[0] <= '9')
        return positional(strtol(name, NULL, 10));
    if (name[1] == '\0') {
        switch (name[0]) {
        case '?': return xasprintf("%d", sh.last_status);
        case '$': return xasprintf("%d", (int)sh.pid);
        case '!': return sh.last_bg ? xasprintf("%d", (int)sh.last_bg) : NULL;
        case '#': return xasprintf("%zu", sh.params.n);
        case '-': {
            struct str f = STR_INIT;
            if (sh.opt_errexit)
                str_addc(&f, 'e');
            if (sh.opt_noglob)
                str_addc(&f, 'f');
            if (sh.interactive)
                str_addc(&f, 'i');
            if (sh.jobctl)
                str_addc(&f, 'm');
            if (sh.opt_nounset)
                str_addc(&f, 'u');
            if (sh.opt_xtrace)
                str_addc(&f, 'x');
            return str_steal(&f);
        }
        default: break;
        }
    }
    const char *v = var_get(name);
    return v ? xstrdup(v) : NULL;
}

static const char *ifs(void)
{
    const char *v = var_get("IFS");
    return v ? v : " \t\n";
}

/* $@ / $* (quoted or not). */
static void add_params(struct marked *m, char which, int quoted)
{
    for (size_t k = 0; k < sh.params.n; k++) {
        if (k > 0) {
            if (which == '*' && quoted) {
                char sep = ifs()[0];
                if (sep)
                    mark_addn(m, &sep, 1, 'Q');
            } else {
                mark_addn(m, " ", 1, quoted ? 'b' : 'B');
            }
        }
        add_value(m, sh.params.v[k], quoted);
    }
}

static char *nounset_check(char *v, const char *name)
{
    if (!v && sh.opt_nounset)
        expand_error("%s: parameter not set", name);
    return v;
}

/* Pattern text for fnmatch: quoted characters escaped. */
static char *marked_pattern(struct marked *m)
{
    struct str p = STR_INIT;
    for (size_t i = 0; i < m->text.len; i++) {
        char c = m->text.s[i], f = m->flags.s[i];
        if (f == 'M' || f == 'B' || f == 'b')
            continue;
        if ((f == 'Q' || c == '\\') && strchr("*?[]\\", c))
            str_addc(&p, '\\');
        str_addc(&p, c);
    }
    return str_steal(&p);
}

/* ${v#p} ${v##p} ${v%p} ${v%%p}: remove the shortest/longest matching
 * prefix or suffix. */
static char *remove_pattern(const char *v, const char *pat, int suffix, int longest)
{
    size_t n = strlen(v);
    char *tmp = xstrdup(v);
    for (size_t k = 0; k <= n; k++) {
        size_t len = longest ? n - k : k; /* candidate length */
        int match;
        if (suffix) {
            match = fnmatch(pat, v + n - len, 0) == 0;
        } else {
            memcpy(tmp, v, len);
            tmp[len] = '\0';
            match = fnmatch(pat, tmp, 0) == 0;
        }
        if (match) {
            char *out = suffix ? xstrndup(v, n - len) : xstrdup(v + len);
            free(tmp);
            return out;
        }
    }
    free(tmp);
    return xstrdup(v);
}

/* ${...}, taken apart. */
struct braced {
    char *name;       /* "x", "1", "@", "#", ... */
    int length_of;    /* ${#name} */
    int colon;        /* ${name:-word}: empty counts as unset */
    char op;          /* 0, or one of - = + ? # % */
    int twice;        /* ## or %% */
    const char *word; /* after the operator (raw) */
};

/* Splits the text between the braces (b, modified in place); -1 if it is
 * no parameter expansion we know. */
static int parse_braced(char *b, struct braced *x)
{
    memset(x, 0, sizeof(*x));
    size_t i = 0;
    if (b[0] == '#' && b[1] != '\0') {
        x->length_of = 1;
        i = 1;
    }
    size_t start = i;
    if (b[i] >= '0' && b[i] <= '9') {
        while (b[i] >= '0' && b[i] <= '9')
            i++;
    } else if (b[i] && strchr("@*#?-$!", b[i])) {
        i++;
    } else {
        while (b[i] == '_' || (b[i] >= 'a' && b[i] <= 'z') || (b[i] >= 'A' && b[i] <= 'Z') ||
               (i > start && b[i] >= '0' && b[i] <= '9'))
            i++;
    }
    x->name = xstrndup(b + start, i - start);
    if (!*x->name || (x->length_of && b[i]))
        return -1;
    if (!b[i])
        return 0;
    x->colon = b[i] == ':';
    i += x->colon;
    x->op = b[i];
    if (!x->op || !strchr("-=+?#%", x->op) || (x->colon && (x->op == '#' || x->op == '%')))
        return -1;
    i++;
    x->twice = (x->op == '#' || x->op == '%') && b[i] == x->op;
    x->word = b + i + x->twice;
    return 0;
}

/* The word of ${x-word} or ${x+word}, expanded in the caller's quoting. */
static void add_word(const char *word, struct marked *m, int quoted)
{
    if (quoted)
        expand_dq_text(word, strlen(word), m);
    else
        expand_unquoted(word, strlen(word), m, 0);
}

static void add_param(const struct braced *x, const char *v, struct marked *m, int quoted)
{
    if (!strcmp(x->name, "@") || !strcmp(x->name, "*"))
        add_params(m, x->name[0], quoted);
    else if (v)
        add_value(m, v, quoted);
}

/* ${x=word}: assigns the expanded word, then uses it. */
static void assign_default(const struct braced *x, struct marked *m, int quoted)
{
    char *val = expand_word_str(x->word);
    if (!val)
        return;
    if (var_name_valid(x->name, strlen(x->name)))
        var_set(x->name, val, 0);
    else
        expand_error("%s: cannot assign in this way", x->name);
    add_value(m, val, quoted);
    free(val);
}

static void unset_error(const struct braced *x)
{
    char *msg = *x->word ? expand_word_str(x->word) : NULL;
    char *full = xasprintf("%s: %s", x->name, msg ? msg : "parameter null or not set");
    expand_error("%s", full);
    free(full);
    free(msg);
}

/* ${x#p} ${x##p} ${x%p} ${x%%p} */
static void add_trimmed(const struct braced *x, const char *v, struct marked *m, int quoted)
{
    struct marked pm = {STR_INIT, STR_INIT};
    expand_unquoted(x->word, strlen(x->word), &pm, 0);
    char *pat = marked_pattern(&pm);
    mark_free(&pm);
    char *r = remove_pattern(v ? v : "", pat, x->op == '%', x->twice);
    add_value(m, r, quoted);
    free(r);
    free(pat);
}

/* ${...}: body is the text between the braces. */
static void expand_braced(const char *body, size_t len, struct marked *m, int quoted)
{
    char *b = xstrndup(body, len);
    struct braced x;
    if (parse_braced(b, &x) < 0) {
        expand_error("${%s}: bad substitution", b);
        free(x.name);
        free(b);
        return;
    }
    int is_at = !strcmp(x.name, "@") || !strcmp(x.name, "*");
    char *v = is_at ? (sh.params.n ? xasprintf("%zu", sh.params.n) : NULL) : param_value(x.name);
    int set = v && (!x.colon || *v);
    if (x.length_of) {
        char *n = is_at ? xasprintf("%zu", sh.params.n) : xasprintf("%zu", v ? strlen(v) : 0);
        if (!is_at)
            nounset_check(v, x.name);
        add_value(m, n, quoted);
        free(n);
    } else {
        switch (x.op) {
        case 0:
            if (!is_at)
                nounset_check(v, x.name);
            add_param(&x, v, m, quoted);
            break;
        case '-':
        case '=':
        case '?':
            if (set)
                add_param(&x, v, m, quoted);
            else if (x.op == '-')
                add_word(x.word, m, quoted);
            else if (x.op == '=')
                assign_default(&x, m, quoted);
            else
                unset_error(&x);
            break;
        case '+':
            if (set)
                add_word(x.word, m, quoted);
            break;
        default:
            nounset_check(v, x.name);
            add_trimmed(&x, v, m, quoted);
            break;
        }
    }
    free(v);
    free(x.name);
    free(b);
}

static void add_arith(const char *expr, size_t len, struct marked *m, int quoted)
{
    struct marked em = {STR_INIT, STR_INIT};
    expand_dq_text(expr, len, &em);
    long long value = 0;
    const char *err = NULL;
    if (arith_eval(str_cstr(&em.text), &value, &err) < 0) {
        const char *text = str_cstr(&em.text);
        char *msg = em.text.len > 60 ? xasprintf("%.57s...: %s", text, err)
                                     : xasprintf("%s: %s", text, err);
        expand_error("arithmetic: %s", msg);
        free(msg);
    } else {
        char *s = xasprintf("%lld", value);
        add_value(m, s, quoted);
        free(s);
    }
    mark_free(&em);
}

/* w[i] == '$'; returns the index after the expansion. */
static size_t expand_dollar(const char *w, size_t i, struct marked *m, int quoted)
{
    char c = w[i + 1];
    if (c == '(') {
        size_t close = match_close(w, i + 2, '(', ')');
        if (w[i + 2] == '(' && close > i + 3 && w[close - 1] == ')' &&
            match_close(w, i + 3, '(', ')') == close - 1)
            add_arith(w + i + 3, close - 1 - (i + 3), m, quoted);
        else
            add_subst_output(m, w + i + 2, close - (i + 2), quoted);
        return w[close] ? close + 1 : close;
    }
    if (c == '{') {
        size_t close = match_close(w, i + 2, '{', '}');
        expand_braced(w + i + 2, close - (i + 2), m, quoted);
        return w[close] ? close + 1 : close;
    }
    if (c == '@' || c == '*') {
        add_params(m, c, quoted);
        return i + 2;
    }
    if (c && strchr("?$!#-0123456789", c)) {
        char name[2] = {c, '\0'};
        char *v = nounset_check(param_value(name), name);
        if (v)
            add_value(m, v, quoted);
        free(v);
        return i + 2;
    }
    if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        size_t j = i + 1;
        while (w[j] == '_' || (w[j] >= 'a' && w[j] <= 'z') || (w[j] >= 'A' && w[j] <= 'Z') ||
               (w[j] >= '0' && w[j] <= '9'))
            j++;
        char *name = xstrndup(w + i + 1, j - i - 1);
        char *v = nounset_check(param_value(name), name);
        if (v)
            add_value(m, v, quoted);
        free(v);
        free(name);
        return j;
    }
    mark_add(m, "$", quoted ? 'Q' : 'L');
    return i + 1;
}

/* `...`: the command is the text with \$ \` \\ unescaped. */
static size_t expand_backquote(const char *w, size_t i, struct marked *m, int quoted)
{
    size_t end = skip_bq(w, i);
    size_t stop = (end > i + 1 && w[end - 1] == '`') ? end - 1 : end;
    struct str cmd = STR_INIT;
    /* Inside "...", \" is unescaped too. */
    const char *escapable = quoted ? "$`\\\"" : "$`\\";
    for (size_t k = i + 1; k < stop; k++) {
        if (w[k] == '\\' && k + 1 < stop && strchr(escapable, w[k + 1]))
            k++;
        str_addc(&cmd, w[k]);
    }
    add_subst_output(m, str_cstr(&cmd), cmd.len, quoted);
    str_free(&cmd);
    return end;
}

/* Text where only $, ` and a backslash before one of `escapable` are
 * special: the inside of "..." or a here-document. */
static void expand_quoted_text(const char *w, size_t len, struct marked *m, const char *escapable)
{
    char *t = xstrndup(w, len);
    for (size_t i = 0; i < len;) {
        if (t[i] == '\\' && i + 1 < len && strchr(escapable, t[i + 1])) {
            if (t[i + 1] != '\n')
                mark_addn(m, t + i + 1, 1, 'Q');
            i += 2;
        } else if (t[i] == '$') {
            i = expand_dollar(t, i, m, 1);
        } else if (t[i] == '`') {
            i = expand_backquote(t, i, m, 1);
        } else {
            mark_addn(m, t + i, 1, 'Q');
            i++;
        }
    }
    free(t);
}

static void expand_dq_text(const char *w, size_t len, struct marked *m)
{
    expand_quoted_text(w, len, m, "$`\"\\\n");
}

/* ~ and ~/...: $HOME. (~user is left as typed: there is no user database.) */
static size_t expand_tilde(const char *w, size_t len, struct marked *m)
{
    if (len == 0 || w[0] != '~' || (len > 1 && w[1] != '/'))
        return 0;
    const char *home = var_get("HOME");
    mark_add(m, home ? home : "/", 'Q');
    return 1;
}

static void expand_unquoted(const char *w, size_t len, struct marked *m, int tilde)
{
    char *t = xstrndup(w, len);
    size_t i = tilde ? expand_tilde(t, len, m) : 0;
    while (i < len) {
        char c = t[i];
        if (c == '\\') {
            if (i + 1 < len)
                mark_addn(m, t + i + 1, 1, 'Q');
            i += 2;
        } else if (c == '\'') {
            size_t end = skip_squote(t, i);
            size_t stop = end > i + 1 && t[end - 1] == '\'' ? end - 1 : end;
            mark_addn(m, t + i + 1, stop - i - 1, 'Q');
            mark_addn(m, "\x01", 1, 'M');
            i = end;
        } else if (c == '"') {
            size_t end = skip_dquote(t, i);
            size_t stop = end > i + 1 && t[end - 1] == '"' ? end - 1 : end;
            size_t before = m->text.len;
            expand_dq_text(t + i + 1, stop - i - 1, m);
            int only_empty_at = 0;
            if (m->text.len == before && stop - i - 1 == 2 && strncmp(t + i + 1, "$@", 2) == 0 &&
                sh.params.n == 0)
                only_empty_at = 1; /* "$@" without parameters: no field at all */
            if (!only_empty_at)
                mark_addn(m, "\x01", 1, 'M');
            i = end;
        } else if (c == '$') {
            i = expand_dollar(t, i, m, 0);
        } else if (c == '`') {
            i = expand_backquote(t, i, m, 0);
        } else {
            mark_addn(m, t + i, 1, 'L');
            i++;
        }
    }
    free(t);
}

/* ---- phase 2 ---- */

struct field {
    struct marked m;
    int exists;
};

static void field_emit(struct field *f, struct strv *out, struct strv *flags)
{
    if (f->exists) {
        strv_push(out, str_steal(&f->m.text));
        strv_push(flags, str_steal(&f->m.flags));
    }
    mark_free(&f->m);
    f->exists = 0;
}

/* Splits a marked string into fields (text and flags, in parallel). */
static void split_fields(struct marked *m, struct strv *texts, struct strv *flags)
{
    const char *sep = ifs();
    struct field f = {{STR_INIT, STR_INIT}, 0};
    int after_ws = 0;
    for (size_t i = 0; i < m->text.len; i++) {
        char c = m->text.s[i], fl = m->flags.s[i];
        if (fl == 'M') {
            f.exists = 1;
        } else if (fl == 'B') {
            field_emit(&f, texts, flags);
            after_ws = 1;
        } else if (fl == 'b') {
            f.exists = 1;
            field_emit(&f, texts, flags);
            f.exists = 1;
        } else if (fl == 'E' && c && strchr(sep, c)) {
            int ws = c == ' ' || c == '\t' || c == '\n';
            if (ws) {
                if (f.exists) {
                    field_emit(&f, texts, flags);
                    after_ws = 1;
                }
            } else {
                if (f.exists || !after_ws) {
                    f.exists = 1;
                    field_emit(&f, texts, flags);
                }
                after_ws = 0;
            }
        } else {
            mark_addn(&f.m, &c, 1, fl);
            f.exists = 1;
            after_ws = 0;
        }
    }
    field_emit(&f, texts, flags);
}

static int field_has_glob(const char *text, const char *flags)
{
    for (size_t i = 0; text[i]; i++)
        if (flags[i] != 'Q' && strchr("*?[", text[i]))
            return 1;
    return 0;
}

static void glob_field(const char *text, const char *flags, struct strv *out)
{
    if (sh.opt_noglob || !field_has_glob(text, flags)) {
        strv_pushdup(out, text);
        return;
    }
    struct str pat = STR_INIT;
    for (size_t i = 0; text[i]; i++) {
        if ((flags[i] == 'Q' || text[i] == '\\') && strchr("*?[]\\", text[i]))
            str_addc(&pat, '\\');
        str_addc(&pat, text[i]);
    }
    glob_t g;
    memset(&g, 0, sizeof(g));
    if (glob(str_cstr(&pat), 0, NULL, &g) == 0 && g.gl_pathc > 0) {
        for (size_t k = 0; k < g.gl_pathc; k++)
            strv_pushdup(out, g.gl_pathv[k]);
    } else {
        strv_pushdup(out, text);
    }
    globfree(&g);
    str_free(&pat);
}

int expand_words(const char *const *words, size_t n, struct strv *out)
{
    expand_failed = 0;
    for (size_t i = 0; i < n && !expand_failed; i++) {
        struct marked m = {STR_INIT, STR_INIT};
        expand_unquoted(words[i], strlen(words[i]), &m, 1);
        struct strv texts = STRV_INIT, flags = STRV_INIT;
        split_fields(&m, &texts, &flags);
        for (size_t k = 0; k < texts.n; k++)
            glob_field(texts.v[k], flags.v[k], out);
        strv_free(&texts);
        strv_free(&flags);
        mark_free(&m);
    }
    return expand_failed ? -1 : 0;
}

static char *marked_plain(struct marked *m)
{
    struct str s = STR_INIT;
    for (size_t i = 0; i < m->text.len; i++) {
        char f = m->flags.s[i];
        if (f != 'M')
            str_addc(&s, f == 'B' || f == 'b' ? ' ' : m->text.s[i]);
    }
    return str_steal(&s);
}

char *expand_word_str(const char *word)
{
    int outer_failed = expand_failed;
    expand_failed = 0;
    struct marked m = {STR_INIT, STR_INIT};
    expand_unquoted(word, strlen(word), &m, 1);
    char *s = marked_plain(&m);
    mark_free(&m);
    int failed = expand_failed;
    expand_failed = outer_failed || failed;
    if (failed) {
        free(s);
        return NULL;
    }
    return s;
}

char *expand_heredoc(const char *body)
{
    expand_failed = 0;
    struct marked m = {STR_INIT, STR_INIT};
    expand_quoted_text(body, strlen(body), &m, "$`\\\n"); /* \" keeps its backslash */
    char *s = marked_plain(&m);
    mark_free(&m);
    if (expand_failed) {
        free(s);
        return NULL;
    }
    return s;
}

char *expand_pattern(const char *word)
{
    expand_failed = 0;
    struct marked m = {STR_INIT, STR_INIT};
    expand_unquoted(word, strlen(word), &m, 1);
    char *pat = marked_pattern(&m);
    mark_free(&m);
    if (expand_failed) {
        free(pat);
        return NULL;
    }
    return pat;
}

int word_has_glob(const char *w)
{
    for (size_t i = 0; w[i];) {
        if (w[i] == '\\')
            i += w[i + 1] ? 2 : 1;
        else if (w[i] == '\'')
            i = skip_squote(w, i);
        else if (w[i] == '"')
            i = skip_dquote(w, i);
        else if (strchr("*?[", w[i]))
            return 1;
        else
            i++;
    }
    return 0;
}
