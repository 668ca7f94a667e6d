/*
 * rm [-frR] FILE...: remove files; with -r (or -R) directories and their
 * contents. -f: missing files are not errors, and no operands is fine.
 * Refuses "/", and "." or ".." as the last component.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tree.h"
#include "util.h"

static int is_protected(const char *path)
{
    char *base = cu_basename(path);
    int dots = strcmp(base, ".") == 0 || strcmp(base, "..") == 0;
    int root = strcmp(base, "/") == 0;
    free(base);
    if (dots)
        cu_errorf("refusing to remove '.' or '..' directory: skipping '%s'", path);
    else if (root)
        cu_errorf("refusing to remove '/'");
    return dots || root;
}

int main(int argc, char **argv)
{
    cu_init("rm", "rm [-frR] FILE...");
    int force = 0, recursive = 0;
    int c;
    while ((c = cu_getopt(argc, argv, "frR")) != -1) {
        if (c == 'f')
            force = 1;
        else
            recursive = 1;
    }
    if (optind == argc && !force)
        cu_usage_errorf("missing operand");

    int status = 0;
    for (int i = optind; i < argc; i++) {
        if (is_protected(argv[i])) {
            status = 1;
            continue;
        }
        status |= tree_remove(argv[i], recursive, force);
    }
    return status;
}
