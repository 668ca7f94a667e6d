/*
 * cp [-rR] SOURCE DEST
 * cp [-rR] SOURCE... DIRECTORY
 *
 * Copies files; with -r (or -R) directories and their contents, keeping
 * symbolic links as links. When the last operand is an existing directory,
 * each SOURCE is copied into it under its own name.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tree.h"
#include "util.h"

static int copy_one(const char *src, const char *dst, void *recursive)
{
    return tree_copy(src, dst, *(int *)recursive);
}

int main(int argc, char **argv)
{
    cu_init("cp", "cp [-rR] SOURCE DEST | cp [-rR] SOURCE... DIRECTORY");
    int recursive = 0;
    while (cu_getopt(argc, argv, "rR") != -1)
        recursive = 1;
    return cu_for_each_source(argv + optind, argc - optind, "missing destination operand",
                              copy_one, &recursive);
}
