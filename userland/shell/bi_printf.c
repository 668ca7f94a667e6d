/* printf FORMAT [ARGS...]: %d %i %o %u %x %X %c %s %b %e %f %g %% with
 * flags, width and precision (also *); the format is reused while
 * arguments remain. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "shell.h"

struct printf_state {
    char **args;
    int nargs, next;
    int status;
    int stop; /* \c in a %b argument */
    struct str out;
};

static const char *take_arg(struct printf_state *p)
{
    return p->next < p->nargs ? p->args[p->next++] : NULL;
}

static long long num_arg(struct printf_state *p, const char *s, int is_unsigned)
{
    if (!s || !*s)
        return 0;
    if (s[0] == '\'' || s[0] == '"')
        return (unsigned char)s[1];
    char *end;
    errno = 0;
    long long v =
        is_unsigned && s[0] != '-' ? (long long)strtoull(s, &end, 0) : strtoll(s, &end, 0);
    if (*end || errno) {
        sh_error("printf: %s: invalid number", s);
        p->status = 1;
    }
    return v;
}

/* Backslash escape at s (after the backslash); returns bytes consumed.
 * in_b: %b rules (\0NNN octal, \c stops). */
static size_t escape(struct printf_state *p, const char *s, int in_b)
{
    static const char from[] = "abefnrtv\\\"'", to[] = "\a\b\033\f\n\r\t\v\\\"'";
    const char *k = *s ? strchr(from, *s) : NULL;
    if (k) {
        str_addc(&p->out, to[k - from]);
        return 1;
    }
    if (*s == 'c' && in_b) {
        p->stop = 1;
        return 1;
    }
    if ((*s >= '0' && *s <= '7')) {
        size_t i = in_b && *s == '0' ? 1 : 0, max = i + 3;
        int v = 0;
        for (; i < max && s[i] >= '0' && s[i] <= '7'; i++)
            v = v * 8 + (s[i] - '0');
        str_addc(&p->out, (char)v);
        return i;
    }
    if (*s == 'x' && s[1] && strchr("0123456789abcdefABCDEF", s[1])) {
        int v = 0;
        size_t i = 1;
        for (; i < 3 && s[i] && strchr("0123456789abcdefABCDEF", s[i]); i++)
            v = v * 16 + (s[i] <= '9' ? s[i] - '0' : (s[i] | 32) - 'a' + 10);
        str_addc(&p->out, (char)v);
        return i;
    }
    str_addc(&p->out, '\\');
    if (*s) {
        str_addc(&p->out, *s);
        return 1;
    }
    return 0;
}

static void add_b(struct printf_state *p, const char *s, const char *spec)
{
    struct printf_state tmp = {0};
    for (; *s && !tmp.stop; s++) {
        if (*s == '\\')
            s += escape(&tmp, s + 1, 1);
        else
            str_addc(&tmp.out, *s);
    }
    str_printf(&p->out, spec, str_cstr(&tmp.out));
    p->stop |= tmp.stop;
    str_free(&tmp.out);
}

/* One conversion at f (after the %); returns the characters consumed. */
static size_t convert(struct printf_state *p, const char *f)
{
    size_t i = 0;
    struct str spec = STR_INIT;
    str_addc(&spec, '%');
    while (f[i] && strchr("-+ #0", f[i]))
        str_addc(&spec, f[i++]);
    for (int part = 0; part < 2; part++) {
        if (part == 1) {
            if (f[i] != '.')
                break;
            str_addc(&spec, f[i++]);
        }
        if (f[i] == '*') {
            str_printf(&spec, "%d", (int)num_arg(p, take_arg(p), 0));
            i++;
        } else {
            while (f[i] >= '0' && f[i] <= '9')
                str_addc(&spec, f[i++]);
        }
    }
    char conv = f[i];
    if (!conv) {
        sh_error("printf: %s: missing conversion", spec.s);
        p->status = 1;
        str_free(&spec);
        return i;
    }
    i++;
    const char *arg;
    switch (conv) {
    case '%': str_addc(&p->out, '%'); break;
    case 'd':
    case 'i':
        str_add(&spec, "lld");
        str_printf(&p->out, spec.s, num_arg(p, take_arg(p), 0));
        break;
    case 'o':
    case 'u':
    case 'x':
    case 'X':
        str_add(&spec, "ll");
        str_addc(&spec, conv);
        str_printf(&p->out, spec.s, (unsigned long long)num_arg(p, take_arg(p), 1));
        break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
        arg = take_arg(p);
        char *end = NULL;
        double v = arg ? strtod(arg, &end) : 0;
        if (arg && *end) {
            sh_error("printf: %s: invalid number", arg);
            p->status = 1;
        }
        str_addc(&spec, conv);
        str_printf(&p->out, spec.s, v);
        break;
    }
    case 'c':
        arg = take_arg(p);
        str_addc(&spec, 'c');
        if (arg && *arg)
            str_printf(&p->out, spec.s, *arg);
        break;
    case 's':
        arg = take_arg(p);
        str_addc(&spec, 's');
        str_printf(&p->out, spec.s, arg ? arg : "");
        break;
    case 'b':
        arg = take_arg(p);
        str_addc(&spec, 's');
        add_b(p, arg ? arg : "", spec.s);
        break;
    default:
        sh_error("printf: %%%c: invalid conversion", conv);
        p->status = 1;
        break;
    }
    str_free(&spec);
    return i;
}

int bi_printf(int argc, char **argv)
{
    int i = 1;
    if (i < argc && !strcmp(argv[i], "--"))
        i++;
    if (i >= argc)
        return usage_error("printf");
    const char *fmt = argv[i];
    struct printf_state p = {argv + i + 1, argc - i - 1, 0, 0, 0, STR_INIT};
    do {
        int before = p.next;
        for (const char *f = fmt; *f && !p.stop; f++) {
            if (*f == '\\')
                f += escape(&p, f + 1, 0);
            else if (*f == '%')
                f += convert(&p, f + 1);
            else
                str_addc(&p.out, *f);
        }
        if (p.next == before)
            break; /* the format takes no arguments */
    } while (p.next < p.nargs && !p.stop);
    if (write_all(1, str_cstr(&p.out), p.out.len) < 0) {
        sh_error("printf: write error: %s", strerror(errno));
        p.status = 1;
    }
    str_free(&p.out);
    return p.status;
}
