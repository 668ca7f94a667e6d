/* Arithmetic expansion: C integer expressions on long long, with variables
 * (unset or empty is 0) and assignments (= += -= *= /= %=). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "vars.h"

struct arith {
    const char *s;
    const char *err;
    int noeval; /* inside the untaken side of && || ?: */
    int depth;  /* recursion of unary operators and parentheses */
};

enum { ARITH_MAX_DEPTH = 400 };

static long long ternary(struct arith *a);

static void skip_ws(struct arith *a)
{
    while (isspace((unsigned char)*a->s))
        a->s++;
}

static int accept(struct arith *a, const char *op)
{
    skip_ws(a);
    size_t n = strlen(op);
    if (strncmp(a->s, op, n) != 0)
        return 0;
    /* "<" must not take the first half of "<<" or "<=", and so on. */
    if (n == 1 && a->s[1] && strchr("<>=&|", a->s[0]) && (a->s[1] == a->s[0] || a->s[1] == '='))
        return 0;
    if (n == 1 && strchr("+-*/%!^", a->s[0]) && a->s[1] == '=')
        return 0;
    a->s += n;
    return 1;
}

static void fail(struct arith *a, const char *msg)
{
    if (!a->err)
        a->err = msg;
}

static long long parse_number(const char *s, const char **end, int *ok)
{
    char *e;
    long long v = strtoll(s, &e, 0);
    *ok = e != s && !isalnum((unsigned char)*e) && *e != '_';
    *end = e;
    return v;
}

/* A variable's value as a number; a value that is itself a variable name
 * is followed (x=y; y=3; $((x)) is 3), a few levels deep. */
static long long var_value(struct arith *a, const char *name)
{
    for (int hops = 0; hops < 10; hops++) {
        const char *v = var_get(name);
        if (!v)
            return 0;
        while (isspace((unsigned char)*v))
            v++;
        if (!*v)
            return 0;
        if (isalpha((unsigned char)*v) || *v == '_') {
            size_t n = strlen(v);
            while (n > 0 && isspace((unsigned char)v[n - 1]))
                n--;
            if (var_name_valid(v, n)) {
                static char next[64];
                if (n >= sizeof(next))
                    break;
                memcpy(next, v, n);
                next[n] = '\0';
                name = next;
                continue;
            }
        }
        const char *end;
        int ok;
        long long num = parse_number(v, &end, &ok);
        while (isspace((unsigned char)*end))
            end++;
        if (!ok || *end)
            break;
        return num;
    }
    fail(a, "variable is not a number");
    return 0;
}

static long long assign(struct arith *a, const char *name, long long v)
{
    if (!a->noeval) {
        char buf[32];
        snprintf(buf, sizeof(buf), "%lld", v);
        var_set(name, buf, 0);
    }
    return v;
}

static long long divide(struct arith *a, long long x, long long y, int mod)
{
    if (a->noeval)
        return 0;
    if (y == 0) {
        fail(a, "division by zero");
        return 0;
    }
    if (x == (long long)(1ULL << 63) && y == -1)
        return mod ? 0 : x;
    return mod ? x % y : x / y;
}

static long long primary(struct arith *a)
{
    skip_ws(a);
    if (accept(a, "(")) {
        long long v = ternary(a);
        if (!accept(a, ")"))
            fail(a, "missing )");
        return v;
    }
    if (isdigit((unsigned char)*a->s)) {
        int ok;
        long long v = parse_number(a->s, &a->s, &ok);
        if (!ok)
            fail(a, "bad number");
        return v;
    }
    if (isalpha((unsigned char)*a->s) || *a->s == '_') {
        const char *start = a->s;
        while (isalnum((unsigned char)*a->s) || *a->s == '_')
            a->s++;
        char *name = strndup(start, (size_t)(a->s - start));
        if (!name) {
            fail(a, "out of memory");
            return 0;
        }
        long long v = var_value(a, name);
        static const char *const ops[] = {"+=", "-=", "*=", "/=", "%=", "="};
        for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
            skip_ws(a);
            if (strncmp(a->s, ops[i], strlen(ops[i])) != 0 || (i == 5 && a->s[1] == '='))
                continue;
            a->s += strlen(ops[i]);
            long long r = ternary(a);
            switch (ops[i][0]) {
            case '+': r = (long long)((unsigned long long)v + (unsigned long long)r); break;
            case '-': r = (long long)((unsigned long long)v - (unsigned long long)r); break;
            case '*': r = (long long)((unsigned long long)v * (unsigned long long)r); break;
            case '/': r = divide(a, v, r, 0); break;
            case '%': r = divide(a, v, r, 1); break;
            default: break;
            }
            v = assign(a, name, r);
            break;
        }
        free(name);
        return v;
    }
    fail(a, *a->s ? "syntax error" : "missing operand");
    return 0;
}

static long long unary_ops(struct arith *a);

static long long unary(struct arith *a)
{
    if (++a->depth > ARITH_MAX_DEPTH) {
        fail(a, "expression nested too deeply");
        a->s += strlen(a->s); /* stop here */
        a->depth--;
        return 0;
    }
    long long v = unary_ops(a);
    a->depth--;
    return v;
}

static long long unary_ops(struct arith *a)
{
    if (accept(a, "-"))
        return (long long)(0ULL - (unsigned long long)unary(a));
    if (accept(a, "+"))
        return unary(a);
    if (accept(a, "!"))
        return !unary(a);
    if (accept(a, "~"))
        return ~unary(a);
    return primary(a);
}

static long long mult(struct arith *a)
{
    long long v = unary(a);
    for (;;) {
        if (accept(a, "*"))
            v = (long long)((unsigned long long)v * (unsigned long long)unary(a));
        else if (accept(a, "/"))
            v = divide(a, v, unary(a), 0);
        else if (accept(a, "%"))
            v = divide(a, v, unary(a), 1);
        else
            return v;
    }
}

static long long additive(struct arith *a)
{
    long long v = mult(a);
    for (;;) {
        if (accept(a, "+"))
            v = (long long)((unsigned long long)v + (unsigned long long)mult(a));
        else if (accept(a, "-"))
            v = (long long)((unsigned long long)v - (unsigned long long)mult(a));
        else
            return v;
    }
}

static long long shift(struct arith *a)
{
    long long v = additive(a);
    for (;;) {
        if (accept(a, "<<"))
            v = (long long)((unsigned long long)v << (additive(a) & 63));
        else if (accept(a, ">>"))
            v >>= additive(a) & 63;
        else
            return v;
    }
}

static long long relational(struct arith *a)
{
    long long v = shift(a);
    for (;;) {
        if (accept(a, "<="))
            v = v <= shift(a);
        else if (accept(a, ">="))
            v = v >= shift(a);
        else if (accept(a, "<"))
            v = v < shift(a);
        else if (accept(a, ">"))
            v = v > shift(a);
        else
            return v;
    }
}

static long long equality(struct arith *a)
{
    long long v = relational(a);
    for (;;) {
        if (accept(a, "=="))
            v = v == relational(a);
        else if (accept(a, "!="))
            v = v != relational(a);
        else
            return v;
    }
}

static long long bit_and(struct arith *a)
{
    long long v = equality(a);
    while (accept(a, "&"))
        v &= equality(a);
    return v;
}

static long long bit_xor(struct arith *a)
{
    long long v = bit_and(a);
    while (accept(a, "^"))
        v ^= bit_and(a);
    return v;
}

static long long bit_or(struct arith *a)
{
    long long v = bit_xor(a);
    while (accept(a, "|"))
        v |= bit_xor(a);
    return v;
}

static long long logic_and(struct arith *a)
{
    long long v = bit_or(a);
    while (accept(a, "&&")) {
        a->noeval += !v;
        long long r = bit_or(a);
        a->noeval -= !v;
        v = v && r;
    }
    return v;
}

static long long logic_or(struct arith *a)
{
    long long v = logic_and(a);
    while (accept(a, "||")) {
        a->noeval += !!v;
        long long r = logic_and(a);
        a->noeval -= !!v;
        v = v || r;
    }
    return v;
}

static long long ternary(struct arith *a)
{
    long long c = logic_or(a);
    if (!accept(a, "?"))
        return c;
    a->noeval += !c;
    long long x = ternary(a);
    a->noeval -= !c;
    if (!accept(a, ":"))
        fail(a, "missing :");
    a->noeval += !!c;
    long long y = ternary(a);
    a->noeval -= !!c;
    return c ? x : y;
}

int arith_eval(const char *expr, long long *out, const char **err)
{
    struct arith a = {expr, NULL, 0, 0};
    skip_ws(&a);
    if (!*a.s) {
        *out = 0;
        return 0;
    }
    long long v = ternary(&a);
    while (accept(&a, ","))
        v = ternary(&a);
    skip_ws(&a);
    if (*a.s)
        fail(&a, "syntax error");
    if (a.err) {
        *err = a.err;
        return -1;
    }
    *out = v;
    return 0;
}
