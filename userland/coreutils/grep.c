/*
 * grep [-EFcHhilnqrsvx] [-e PATTERN]... [PATTERN] [FILE...]: print lines
 * matching any PATTERN (POSIX basic regular expressions, via musl's regcomp).
 *
 *   -E  extended regular expressions      -F  fixed strings
 *   -e  a pattern (repeatable; patterns may also be separated by newlines)
 *   -i  ignore case                       -v  select non-matching lines
 *   -x  the whole line must match         -n  prefix line numbers
 *   -c  print only a count per file       -l  print only names of matching files
 *   -q  print nothing, exit 0 at the first match
 *   -s  no messages about missing or unreadable files
 *   -r  search directories recursively (no operand: the current directory)
 *   -H  always prefix file names          -h  never prefix file names
 *
 * Exit status: 0 a line was selected, 1 none was, 2 an error (even with a
 * selected line, unless -q found one).
 */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

static struct {
    int extended, fixed, ignore_case, invert, whole_line, line_numbers;
    int count_only, list_files, quiet, no_messages, recursive;
    int names; /* prefix output with file names */
} opt;

static char **patterns;
static size_t n_patterns;
static regex_t *regexes;

static int selected_any;
static int had_error;

static void add_patterns(const char *text)
{
    /* Each line of the argument is a pattern of its own. */
    for (;;) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        patterns = cu_xrealloc(patterns, (n_patterns + 1) * sizeof(*patterns));
        char *p = cu_xmalloc(len + 1);
        memcpy(p, text, len);
        p[len] = '\0';
        patterns[n_patterns++] = p;
        if (nl == NULL)
            return;
        text = nl + 1;
    }
}

static void compile_patterns(void)
{
    if (opt.fixed)
        return;
    regexes = cu_xmalloc(n_patterns * sizeof(*regexes));
    int flags = (opt.extended ? REG_EXTENDED : 0) | (opt.ignore_case ? REG_ICASE : 0);
    for (size_t i = 0; i < n_patterns; i++) {
        int err = regcomp(&regexes[i], patterns[i], flags);
        if (err != 0) {
            char msg[256];
            regerror(err, &regexes[i], msg, sizeof(msg));
            cu_errorf("%s: %s", patterns[i], msg);
            exit(2);
        }
    }
}

/* strstr, optionally ignoring case. */
static const char *find_fixed(const char *hay, const char *needle)
{
    if (!opt.ignore_case)
        return strstr(hay, needle);
    size_t n = strlen(needle);
    for (; *hay != '\0'; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return hay;
    return n == 0 ? hay : NULL;
}

static int matches_one(size_t i, const char *line, size_t len)
{
    if (opt.fixed) {
        if (opt.whole_line)
            return (opt.ignore_case ? strcasecmp(line, patterns[i]) : strcmp(line, patterns[i])) ==
                   0;
        return find_fixed(line, patterns[i]) != NULL;
    }
    regmatch_t m;
    if (regexec(&regexes[i], line, 1, &m, 0) != 0)
        return 0;
    /* POSIX matching is leftmost-longest, so a whole-line match is found if one exists. */
    return !opt.whole_line || (m.rm_so == 0 && (size_t)m.rm_eo == len);
}

static int is_selected(const char *line, size_t len)
{
    int match = 0;
    for (size_t i = 0; i < n_patterns && !match; i++)
        match = matches_one(i, line, len);
    return match != opt.invert;
}

/* Searches one open stream; `name` is what output and messages call it. */
static void grep_stream(FILE *in, const char *name)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long long line_no = 0, count = 0;
    while ((len = getline(&line, &cap, in)) >= 0) {
        line_no++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (!is_selected(line, (size_t)len))
            continue;
        count++;
        selected_any = 1;
        if (opt.quiet)
            exit(0);
        if (opt.list_files)
            break;
        if (opt.count_only)
            continue;
        if (opt.names)
            printf("%s:", name);
        if (opt.line_numbers)
            printf("%llu:", line_no);
        fwrite(line, 1, (size_t)len, stdout);
        putchar('\n');
    }
    if (ferror(in)) {
        if (!opt.no_messages)
            cu_error(name);
        had_error = 1;
    }
    free(line);
    if (opt.count_only) {
        if (opt.names)
            printf("%s:", name);
        printf("%llu\n", count);
    }
    if (opt.list_files && count > 0)
        printf("%s\n", name);
}

static void file_error(const char *name)
{
    if (!opt.no_messages)
        cu_error(name);
    had_error = 1;
}

/*
 * Searches `path` (shown as `name`): a file, or with -r a directory tree.
 * Symbolic links met inside a tree are skipped, as GNU grep -r does.
 */
static void grep_path(const char *path, const char *name, int top_level)
{
    struct stat st;
    int r = top_level ? stat(path, &st) : lstat(path, &st);
    if (r != 0) {
        file_error(name);
        return;
    }
    if (S_ISLNK(st.st_mode))
        return;
    if (S_ISDIR(st.st_mode)) {
        if (!opt.recursive) {
            errno = EISDIR;
            file_error(name);
            return;
        }
        char **names;
        size_t count;
        if (cu_list_dir(path, &names, &count) != 0) {
            file_error(name);
            return;
        }
        for (size_t i = 0; i < count; i++) {
            /* The current directory as an implied operand adds no "./" prefix. */
            char *child =
                strcmp(name, "") == 0 ? cu_xstrdup(names[i]) : cu_path_join(path, names[i]);
            grep_path(child, child, 0);
            free(child);
        }
        cu_free_names(names, count);
        return;
    }
    FILE *in = fopen(path, "r");
    if (in == NULL) {
        file_error(name);
        return;
    }
    grep_stream(in, name);
    fclose(in);
}

int main(int argc, char **argv)
{
    cu_init("grep", "grep [-EFcHhilnqrsvx] [-e PATTERN]... [PATTERN] [FILE...]");
    int names_forced = -1; /* -H: 1, -h: 0, neither: decided by the operands */
    int c;
    while ((c = cu_getopt(argc, argv, "EFcHhilnqrRsvxe:")) != -1) {
        switch (c) {
        case 'E': opt.extended = 1; break;
        case 'F': opt.fixed = 1; break;
        case 'c': opt.count_only = 1; break;
        case 'H': names_forced = 1; break;
        case 'h': names_forced = 0; break;
        case 'i': opt.ignore_case = 1; break;
        case 'l': opt.list_files = 1; break;
        case 'n': opt.line_numbers = 1; break;
        case 'q': opt.quiet = 1; break;
        case 'r':
        case 'R': opt.recursive = 1; break;
        case 's': opt.no_messages = 1; break;
        case 'v': opt.invert = 1; break;
        case 'x': opt.whole_line = 1; break;
        case 'e': add_patterns(optarg); break;
        }
    }
    if (n_patterns == 0) {
        if (optind == argc)
            cu_usage_errorf("no pattern given");
        add_patterns(argv[optind++]);
    }
    compile_patterns();

    int n_files = argc - optind;
    opt.names = names_forced >= 0 ? names_forced : (n_files > 1 || opt.recursive);
    if (n_files == 0 && opt.recursive) {
        grep_path(".", "", 1);
    } else if (n_files == 0) {
        grep_stream(stdin, "(standard input)");
    } else {
        for (int i = optind; i < argc; i++) {
            if (strcmp(argv[i], "-") == 0)
                grep_stream(stdin, "(standard input)");
            else
                grep_path(argv[i], argv[i], 1);
        }
    }
    if (cu_flush_stdout() != 0)
        had_error = 1;
    return had_error ? 2 : selected_any ? 0 : 1;
}
