/*
 * uname [-amnrsv]: print system information (default -s).
 *   -s  kernel name     -n  network node name   -r  kernel release
 *   -v  kernel version  -m  machine             -a  all of these, in that order
 */
#include <sys/utsname.h>

#include "util.h"

int main(int argc, char **argv)
{
    cu_init("uname", "uname [-amnrsv]");
    int s = 0, n = 0, r = 0, v = 0, m = 0;
    int c;
    while ((c = cu_getopt(argc, argv, "amnrsv")) != -1) {
        switch (c) {
        case 'a': s = n = r = v = m = 1; break;
        case 's': s = 1; break;
        case 'n': n = 1; break;
        case 'r': r = 1; break;
        case 'v': v = 1; break;
        case 'm': m = 1; break;
        }
    }
    if (optind < argc)
        cu_usage_errorf("extra operand '%s'", argv[optind]);
    if (!(s || n || r || v || m))
        s = 1;

    struct utsname u;
    if (uname(&u) != 0) {
        cu_error("uname");
        return 1;
    }
    const char *fields[] = {s ? u.sysname : NULL, n ? u.nodename : NULL, r ? u.release : NULL,
                            v ? u.version : NULL, m ? u.machine : NULL};
    const char *sep = "";
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (fields[i] == NULL)
            continue;
        printf("%s%s", sep, fields[i]);
        sep = " ";
    }
    putchar('\n');
    return cu_flush_stdout();
}
