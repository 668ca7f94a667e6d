/*
 * find [PATH...] [EXPRESSION]: walk each PATH (default ".") and print the
 * paths for which EXPRESSION is true.
 *
 * Expression (operators in decreasing precedence):
 *   ( EXPR )   ! EXPR (or -not)   EXPR [-a] EXPR   EXPR -o EXPR
 * Tests:
 *   -name GLOB   the last component matches GLOB (fnmatch: * ? [...])
 *   -iname GLOB  the same, ignoring case
 *   -path GLOB   the whole path matches GLOB ('*' matches '/' too)
 *   -type C      file type: f d l c b p s
 *   -true, -false
 * Actions:     -print (when the expression has none, -print is implied)
 * Options:     -maxdepth N, -mindepth N (PATH itself is depth 0)
 *
 * Symbolic links are not followed. Directory entries are visited in bytewise
 * order of their names, so output does not depend on the file system.
 */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

enum kind { AND, OR, NOT, NAME, INAME, PATH, TYPE, PRINT, TRUE, FALSE };

struct node {
    enum kind kind;
    struct node *left, *right; /* AND/OR: both; NOT: left */
    const char *arg;           /* NAME, INAME, PATH: the glob */
    mode_t type;               /* TYPE: S_IFREG, S_IFDIR, ... */
};

static char **args; /* the expression's words */
static int n_args, pos;
static int has_action;
static unsigned long long max_depth = ULLONG_MAX, min_depth = 0;
static int exit_status;

static struct node *new_node(enum kind kind, struct node *left, struct node *right)
{
    struct node *n = cu_xmalloc(sizeof(*n));
    *n = (struct node){.kind = kind, .left = left, .right = right};
    return n;
}

static const char *next_arg(const char *primary)
{
    if (pos >= n_args)
        cu_usage_errorf("missing argument to '%s'", primary);
    return args[pos++];
}

static mode_t parse_type(const char *s)
{
    static const struct {
        char letter;
        mode_t type;
    } types[] = {{'f', S_IFREG}, {'d', S_IFDIR}, {'l', S_IFLNK}, {'c', S_IFCHR},
                 {'b', S_IFBLK}, {'p', S_IFIFO}, {'s', S_IFSOCK}};
    for (size_t i = 0; s[0] != '\0' && s[1] == '\0' && i < sizeof(types) / sizeof(types[0]); i++)
        if (types[i].letter == s[0])
            return types[i].type;
    cu_usage_errorf("unknown argument to -type: '%s'", s);
}

static unsigned long long parse_depth(const char *primary)
{
    const char *s = next_arg(primary);
    unsigned long long v;
    if (cu_parse_number(s, &v) != 0)
        cu_usage_errorf("invalid argument '%s' to '%s'", s, primary);
    return v;
}

static struct node *parse_or(void);

static struct node *parse_primary(void)
{
    if (pos >= n_args)
        cu_usage_errorf("expected an expression after '%s'", args[pos - 1]);
    const char *w = args[pos++];
    if (strcmp(w, "(") == 0) {
        struct node *inner = parse_or();
        if (pos >= n_args || strcmp(args[pos], ")") != 0)
            cu_usage_errorf("missing ')'");
        pos++;
        return inner;
    }
    if (strcmp(w, "!") == 0 || strcmp(w, "-not") == 0)
        return new_node(NOT, parse_primary(), NULL);
    struct node *n;
    if (strcmp(w, "-name") == 0 || strcmp(w, "-iname") == 0 || strcmp(w, "-path") == 0) {
        n = new_node(w[1] == 'n' ? NAME : w[1] == 'i' ? INAME : PATH, NULL, NULL);
        n->arg = next_arg(w);
    } else if (strcmp(w, "-type") == 0) {
        n = new_node(TYPE, NULL, NULL);
        n->type = parse_type(next_arg(w));
    } else if (strcmp(w, "-print") == 0) {
        has_action = 1;
        n = new_node(PRINT, NULL, NULL);
    } else if (strcmp(w, "-maxdepth") == 0 || strcmp(w, "-mindepth") == 0) {
        /* Global options: they apply everywhere and are always true. */
        unsigned long long d = parse_depth(w);
        *(w[2] == 'a' ? &max_depth : &min_depth) = d;
        n = new_node(TRUE, NULL, NULL);
    } else if (strcmp(w, "-true") == 0 || strcmp(w, "-false") == 0) {
        n = new_node(w[1] == 't' ? TRUE : FALSE, NULL, NULL);
    } else {
        cu_usage_errorf("unknown predicate '%s'", w);
    }
    return n;
}

static int at_and_operand(void)
{
    return pos < n_args && strcmp(args[pos], "-o") != 0 && strcmp(args[pos], "-or") != 0 &&
           strcmp(args[pos], ")") != 0;
}

static struct node *parse_and(void)
{
    struct node *left = parse_primary();
    while (at_and_operand()) {
        if (strcmp(args[pos], "-a") == 0 || strcmp(args[pos], "-and") == 0)
            pos++;
        left = new_node(AND, left, parse_primary());
    }
    return left;
}

static struct node *parse_or(void)
{
    struct node *left = parse_and();
    while (pos < n_args && (strcmp(args[pos], "-o") == 0 || strcmp(args[pos], "-or") == 0)) {
        pos++;
        left = new_node(OR, left, parse_and());
    }
    return left;
}

/* The last component of path, as -name sees it ("a/b/" -> "b"). */
static int eval(const struct node *n, const char *path, const char *name, const struct stat *st)
{
    switch (n->kind) {
    case AND: return eval(n->left, path, name, st) && eval(n->right, path, name, st);
    case OR: return eval(n->left, path, name, st) || eval(n->right, path, name, st);
    case NOT: return !eval(n->left, path, name, st);
    case NAME: return fnmatch(n->arg, name, 0) == 0;
    case INAME: return fnmatch(n->arg, name, FNM_CASEFOLD) == 0;
    case PATH: return fnmatch(n->arg, path, 0) == 0;
    case TYPE: return (st->st_mode & S_IFMT) == n->type;
    case PRINT: printf("%s\n", path); return 1;
    case TRUE: return 1;
    case FALSE: return 0;
    }
    return 0;
}

static void visit(const char *path, unsigned long long depth, const struct node *expr)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        cu_error(path);
        exit_status = 1;
        return;
    }
    if (depth >= min_depth) {
        char *name = cu_basename(path);
        int result = expr == NULL || eval(expr, path, name, &st);
        if (result && !has_action)
            printf("%s\n", path);
        free(name);
    }
    if (!S_ISDIR(st.st_mode) || depth >= max_depth)
        return;
    char **names;
    size_t count;
    if (cu_list_dir(path, &names, &count) != 0) {
        cu_error(path);
        exit_status = 1;
        return;
    }
    for (size_t i = 0; i < count; i++) {
        char *child = cu_path_join(path, names[i]);
        visit(child, depth + 1, expr);
        free(child);
    }
    cu_free_names(names, count);
}

static int starts_expression(const char *w)
{
    return (w[0] == '-' && w[1] != '\0') || strcmp(w, "!") == 0 || strcmp(w, "(") == 0;
}

int main(int argc, char **argv)
{
    cu_init("find", "find [PATH...] [-name GLOB] [-iname GLOB] [-path GLOB] [-type fdlcbps] "
                    "[-maxdepth N] [-mindepth N] [-print] [!] [-o] [( )]");
    int first_expr = 1;
    while (first_expr < argc && !starts_expression(argv[first_expr]))
        first_expr++;
    args = argv + first_expr;
    n_args = argc - first_expr;
    struct node *expr = n_args > 0 ? parse_or() : NULL;
    if (pos < n_args)
        cu_usage_errorf("unexpected '%s'", args[pos]);

    if (first_expr == 1) {
        visit(".", 0, expr);
    } else {
        for (int i = 1; i < first_expr; i++)
            visit(argv[i], 0, expr);
    }
    return cu_flush_stdout() | exit_status;
}
