/*
 * sort [-nru] [-t CHAR] [-k FIELD[,FIELD]] [-o FILE] [FILE...]: sort the
 * lines of all FILEs ("-" or none: standard input) together.
 *
 *   -n  compare the leading number ([blanks][-]digits[.digits]; none is 0)
 *   -r  reverse the order
 *   -u  print only the first of each run of lines that compare equal
 *   -t  fields are separated by CHAR (default: a blank run starts a field)
 *   -k  compare from the start of field FIELD to the end of the second FIELD
 *       (default: to the end of the line); fields count from 1
 *   -o  write to FILE, after all input is read (so it may be an input)
 *
 * Lines compare bytewise (the C locale). Lines whose keys are equal are
 * ordered by the whole line, bytewise, unless -u is given; ties left after
 * that keep their input order.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct line {
    char *text;
    size_t len;
    size_t index; /* input order, the final tie-break */
};

static struct {
    int numeric, reverse, unique;
    int separator;                    /* -t, or -1 for blank runs */
    unsigned long key_start, key_end; /* fields, from 1; 0: not given */
} opt = {.separator = -1};

/* Where field `field` (from 1) of line begins; the end of the line if it has fewer. */
static const char *field_start(const char *s, const char *end, unsigned long field)
{
    for (unsigned long f = 1; f < field && s < end; f++) {
        if (opt.separator >= 0) {
            const char *sep = memchr(s, opt.separator, (size_t)(end - s));
            s = sep ? sep + 1 : end;
        } else {
            while (s < end && isblank((unsigned char)*s))
                s++;
            while (s < end && !isblank((unsigned char)*s))
                s++;
        }
    }
    return s;
}

/* Where field `field` ends (its separator or the end of the line). */
static const char *field_end(const char *s, const char *end, unsigned long field)
{
    s = field_start(s, end, field);
    if (opt.separator >= 0) {
        const char *sep = memchr(s, opt.separator, (size_t)(end - s));
        return sep ? sep : end;
    }
    while (s < end && isblank((unsigned char)*s))
        s++;
    while (s < end && !isblank((unsigned char)*s))
        s++;
    return s;
}

static void key_of(const struct line *l, const char **start, const char **end)
{
    const char *line_end = l->text + l->len;
    *start = l->text;
    *end = line_end;
    if (opt.key_start > 0)
        *start = field_start(l->text, line_end, opt.key_start);
    if (opt.key_end > 0)
        *end = field_end(l->text, line_end, opt.key_end);
    if (*end < *start)
        *end = *start;
}

static int compare_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int r = memcmp(a, b, alen < blen ? alen : blen);
    if (r != 0)
        return r;
    return alen < blen ? -1 : alen > blen;
}

static long double leading_number(const char *s, const char *end)
{
    char buf[128];
    size_t n = 0;
    while (s < end && isblank((unsigned char)*s))
        s++;
    if (s < end && *s == '-')
        buf[n++] = *s++;
    while (s < end && n < sizeof(buf) - 2 && (isdigit((unsigned char)*s)))
        buf[n++] = *s++;
    if (s < end && *s == '.') {
        buf[n++] = *s++;
        while (s < end && n < sizeof(buf) - 1 && isdigit((unsigned char)*s))
            buf[n++] = *s++;
    }
    buf[n] = '\0';
    return strtold(buf, NULL); /* "", "-" and "." give 0 */
}

/* Compares keys only: 0 means the lines are duplicates under -u. */
static int compare_keys(const struct line *a, const struct line *b)
{
    const char *as, *ae, *bs, *be;
    key_of(a, &as, &ae);
    key_of(b, &bs, &be);
    if (opt.numeric) {
        long double x = leading_number(as, ae), y = leading_number(bs, be);
        return x < y ? -1 : x > y;
    }
    return compare_bytes(as, (size_t)(ae - as), bs, (size_t)(be - bs));
}

static int compare_lines(const void *pa, const void *pb)
{
    const struct line *a = pa, *b = pb;
    int r = compare_keys(a, b);
    if (r == 0 && !opt.unique)
        r = compare_bytes(a->text, a->len, b->text, b->len);
    if (opt.reverse)
        r = -r;
    if (r == 0)
        r = a->index < b->index ? -1 : a->index > b->index;
    return r;
}

static struct line *lines;
static size_t n_lines, cap_lines;

static int read_lines(FILE *in, const char *name)
{
    char *text = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&text, &cap, in)) >= 0) {
        if (len > 0 && text[len - 1] == '\n')
            len--;
        if (n_lines == cap_lines) {
            cap_lines = cap_lines ? cap_lines * 2 : 1024;
            lines = cu_xrealloc(lines, cap_lines * sizeof(*lines));
        }
        char *copy = cu_xmalloc((size_t)len + 1);
        memcpy(copy, text, (size_t)len);
        copy[len] = '\0';
        lines[n_lines] = (struct line){copy, (size_t)len, n_lines};
        n_lines++;
    }
    free(text);
    if (ferror(in)) {
        cu_error(name);
        return 1;
    }
    return 0;
}

static void parse_key(const char *s)
{
    char *end;
    errno = 0;
    opt.key_start = strtoul(s, &end, 10);
    if (*end == ',')
        opt.key_end = strtoul(end + 1, &end, 10);
    else
        opt.key_end = 0;
    if (!isdigit((unsigned char)*s) || *end != '\0' || errno != 0 || opt.key_start == 0 ||
        (strchr(s, ',') && opt.key_end < opt.key_start))
        cu_usage_errorf("invalid key '%s'", s);
}

int main(int argc, char **argv)
{
    cu_init("sort", "sort [-nru] [-t CHAR] [-k FIELD[,FIELD]] [-o FILE] [FILE...]");
    const char *output = NULL;
    int c;
    while ((c = cu_getopt(argc, argv, "nruk:t:o:")) != -1) {
        switch (c) {
        case 'n': opt.numeric = 1; break;
        case 'r': opt.reverse = 1; break;
        case 'u': opt.unique = 1; break;
        case 'k': parse_key(optarg); break;
        case 'o': output = optarg; break;
        case 't':
            if (optarg[0] == '\0' || optarg[1] != '\0')
                cu_usage_errorf("the separator must be one character: '%s'", optarg);
            opt.separator = (unsigned char)optarg[0];
            break;
        }
    }

    int status = 0;
    if (optind == argc)
        status |= read_lines(stdin, "-");
    for (int i = optind; i < argc; i++) {
        FILE *in = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
        if (in == NULL) {
            cu_error(argv[i]);
            status = 1;
            continue;
        }
        status |= read_lines(in, argv[i]);
        if (in != stdin)
            fclose(in);
    }
    qsort(lines, n_lines, sizeof(*lines), compare_lines);

    if (output != NULL && freopen(output, "w", stdout) == NULL) {
        cu_error(output);
        return 1;
    }
    for (size_t i = 0; i < n_lines; i++) {
        if (opt.unique && i > 0 && compare_keys(&lines[i - 1], &lines[i]) == 0)
            continue;
        fwrite(lines[i].text, 1, lines[i].len, stdout);
        putchar('\n');
    }
    return cu_flush_stdout() | status;
}
