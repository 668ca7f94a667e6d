/*
 * rmdir [-p] DIRECTORY...: remove empty directories.
 *   -p  then remove each parent named in the path while it is empty
 */
#include <string.h>
#include <unistd.h>

#include "util.h"

static int remove_one(const char *path)
{
    if (rmdir(path) == 0)
        return 0;
    cu_error(path);
    return 1;
}

/* rmdir "a/b/c", then "a/b", then "a". */
static int remove_with_parents(char *path)
{
    if (remove_one(path) != 0)
        return 1;
    for (;;) {
        size_t len = strlen(path);
        while (len > 1 && path[len - 1] == '/')
            path[--len] = '\0';
        char *slash = strrchr(path, '/');
        if (slash == NULL || slash == path)
            return 0;
        *slash = '\0';
        while (slash > path && slash[-1] == '/')
            *--slash = '\0';
        if (remove_one(path) != 0)
            return 1;
    }
}

int main(int argc, char **argv)
{
    cu_init("rmdir", "rmdir [-p] DIRECTORY...");
    int parents = 0;
    while (cu_getopt(argc, argv, "p") != -1)
        parents = 1;
    if (optind == argc)
        cu_usage_errorf("missing operand");

    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= parents ? remove_with_parents(argv[i]) : remove_one(argv[i]);
    return status;
}
