/*
 * mv SOURCE DEST
 * mv SOURCE... DIRECTORY
 *
 * Renames files and directories. When the last operand is an existing
 * directory, each SOURCE moves into it under its own name. Across file
 * systems (EXDEV) the tree is copied, then the source removed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tree.h"
#include "util.h"

static int move(const char *src, const char *dst)
{
    if (rename(src, dst) == 0)
        return 0;
    if (errno != EXDEV) {
        int saved = errno;
        struct stat st;
        /* Blame the source when it is missing, the move otherwise. */
        if (lstat(src, &st) != 0)
            cu_error(src);
        else
            cu_errorf("cannot move '%s' to '%s': %s", src, dst, strerror(saved));
        return 1;
    }
    struct stat st;
    if (lstat(dst, &st) == 0 && S_ISDIR(st.st_mode) && rmdir(dst) != 0) {
        cu_error(dst); /* rename() would have replaced only an empty directory */
        return 1;
    }
    if (tree_copy(src, dst, 1) != 0)
        return 1;
    return tree_remove(src, 1, 0);
}

static int move_one(const char *src, const char *dst, void *unused)
{
    (void)unused;
    return move(src, dst);
}

int main(int argc, char **argv)
{
    cu_init("mv", "mv SOURCE DEST | mv SOURCE... DIRECTORY");
    while (cu_getopt(argc, argv, "") != -1) {
    }
    return cu_for_each_source(argv + optind, argc - optind, "missing destination operand",
                              move_one, NULL);
}
