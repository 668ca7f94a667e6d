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

struct link_options {
    int symbolic, force;
};

static int link_one(const char *target, const char *name, void *opts)
{
    const struct link_options *o = opts;
    return make_link(target, name, o->symbolic, o->force);
}

int main(int argc, char **argv)
{
    cu_init("ln", "ln [-sf] TARGET LINK_NAME | ln [-sf] TARGET... DIRECTORY");
    struct link_options opts = {0, 0};
    int c;
    while ((c = cu_getopt(argc, argv, "sf")) != -1) {
        if (c == 's')
            opts.symbolic = 1;
        else
            opts.force = 1;
    }
    return cu_for_each_source(argv + optind, argc - optind, "missing link name operand",
                              link_one, &opts);
}
