/* argv/envp round trip: the kernel passes init's arguments after "--" and a
 * Linux-style environment; the auxiliary vector describes this program. */
#include <stdlib.h>
#include <sys/auxv.h>

#include "check.h"

int main(int argc, char **argv, char **envp)
{
    CHECK(argc == 4);
    CHECK(argc > 0 && strcmp(argv[0], "/bin/argv_envp") == 0);
    CHECK(argc > 3 && strcmp(argv[1], "alpha") == 0 && strcmp(argv[2], "beta") == 0 &&
          strcmp(argv[3], "gamma") == 0);
    CHECK(argv[argc] == NULL);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    int envc = 0;
    for (char **e = envp; *e; e++, envc++)
        printf("envp: %s\n", *e);
    CHECK(envc >= 3);
    CHECK(getenv("HOME") && strcmp(getenv("HOME"), "/") == 0);
    CHECK(getenv("PATH") != NULL);
    CHECK(getauxval(AT_PAGESZ) == 4096);
    CHECK(getauxval(AT_ENTRY) != 0);
    CHECK(getauxval(AT_PHDR) != 0);
    CHECK(getauxval(AT_RANDOM) != 0);
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    CHECK(execfn && strcmp(execfn, "/bin/argv_envp") == 0);
    return check_summary("argv_envp");
}
