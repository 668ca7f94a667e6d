/*
 * ln [-sf] TARGET LINK_NAME
 * ln [-sf] TARGET... DIRECTORY
 *
 * Makes hard links (or symbolic links with -s) to TARGET. When the last
 * operand is an existing directory (or a symlink to one), each link is made
 * in it under the target's own name. -f removes existing destinations first.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static int make_link(const char *target, const char *name, int symbolic, int force)
{
    if (force) {
        struct stat st;
        if (lstat(name, &st) == 0 && !S_ISDIR(st.st_mode) && unlink(name) != 0) {
            cu_error(name);
            return 1;
        }
    }
    int r = symbolic ? symlink(target, name) : link(target, name);
    if (r != 0) {
        /* A hard link to a missing file names the file; anything else the link. */
        struct stat st;
        cu_error(!symbolic && stat(target, &st) != 0 ? target : name);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    cu_init("ln", "ln [-sf] TARGET LINK_NAME | ln [-sf] TARGET... DIRECTORY");
    int symbolic = 0, force = 0;
    int c;
    while ((c = cu_getopt(argc, argv, "sf")) != -1) {
        if (c == 's')
            symbolic = 1;
        else
            force = 1;
    }
    int n = argc - optind;
    if (n < 2)
        cu_usage_errorf(n == 0 ? "missing file operand" : "missing link name operand");

    const char *dest = argv[argc - 1];
    struct stat st;
    int into_dir = stat(dest, &st) == 0 && S_ISDIR(st.st_mode);
    if (n > 2 && !into_dir) {
        cu_errorf("target '%s' is not a directory", dest);
        return 1;
    }
    int status = 0;
    for (int i = optind; i < argc - 1; i++) {
        if (!into_dir) {
            status |= make_link(argv[i], dest, symbolic, force);
            continue;
        }
        char *base = cu_basename(argv[i]);
        char *name = cu_path_join(dest, base);
        status |= make_link(argv[i], name, symbolic, force);
        free(name);
        free(base);
    }
    return status;
}
