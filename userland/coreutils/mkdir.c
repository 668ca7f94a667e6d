/*
 * mkdir [-p] [-m MODE] DIRECTORY...: create directories.
 *   -p       create missing parents too; an existing directory is not an error
 *   -m MODE  octal permission bits (default 0777 less the umask)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

static int make_one(const char *path, mode_t mode, int parents)
{
    if (mkdir(path, mode) == 0)
        return 0;
    struct stat st;
    if (parents && errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    cu_error(path);
    return 1;
}

/* Creates every missing ancestor of path (0777 less umask, as POSIX asks). */
static int make_parents(const char *path)
{
    char *copy = cu_xstrdup(path);
    int status = 0;
    for (char *p = copy + 1; *p != '\0'; p++) {
        if (*p != '/' || p[-1] == '/')
            continue;
        *p = '\0';
        status = make_one(copy, 0777, 1);
        *p = '/';
        if (status != 0)
            break;
    }
    free(copy);
    return status;
}

int main(int argc, char **argv)
{
    cu_init("mkdir", "mkdir [-p] [-m MODE] DIRECTORY...");
    int parents = 0;
    int explicit_mode = 0;
    mode_t mode = 0777;
    int c;
    while ((c = cu_getopt(argc, argv, "pm:")) != -1) {
        if (c == 'p') {
            parents = 1;
            continue;
        }
        char *end;
        unsigned long m = strtoul(optarg, &end, 8);
        if (*optarg == '\0' || *end != '\0' || m > 07777)
            cu_usage_errorf("invalid mode '%s'", optarg);
        mode = (mode_t)m;
        explicit_mode = 1;
    }
    if (optind == argc)
        cu_usage_errorf("missing operand");

    int status = 0;
    for (int i = optind; i < argc; i++) {
        if (parents && make_parents(argv[i]) != 0) {
            status = 1;
            continue;
        }
        if (make_one(argv[i], mode, parents) != 0) {
            status = 1;
            continue;
        }
        /* mkdir() applied the umask; an explicit -m mode is taken as given. */
        if (explicit_mode && chmod(argv[i], mode) != 0) {
            cu_error(argv[i]);
            status = 1;
        }
    }
    return status;
}
