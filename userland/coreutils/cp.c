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

int main(int argc, char **argv)
{
    cu_init("cp", "cp [-rR] SOURCE DEST | cp [-rR] SOURCE... DIRECTORY");
    int recursive = 0;
    int c;
    while ((c = cu_getopt(argc, argv, "rR")) != -1)
        recursive = 1;

    int n = argc - optind;
    if (n < 2)
        cu_usage_errorf(n == 0 ? "missing file operand" : "missing destination operand");
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
            status |= tree_copy(argv[i], dest, recursive);
            continue;
        }
        char *name = cu_basename(argv[i]);
        char *target = cu_path_join(dest, name);
        status |= tree_copy(argv[i], target, recursive);
        free(target);
        free(name);
    }
    return status;
}
