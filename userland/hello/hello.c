/*
 * hello: the first Futura user program, and a probe for exec.
 *
 *   hello              prints "Hello from Futura userland"
 *   hello --argv ...   also prints argc and every argv[i]
 *   hello --envp       also prints every environment string
 *   hello --auxv       also prints the auxiliary vector entries exec supplies
 *   hello --exit=N     exits with status N (default 0)
 *   hello --quiet      skips the greeting (for loops of thousands of runs)
 *
 * Options combine; output lines are "key=value" so tests can grep them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

extern char **environ;

static void print_argv(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
}

static void print_envp(void)
{
    for (int i = 0; environ[i] != NULL; i++)
        printf("envp[%d]=%s\n", i, environ[i]);
}

static void print_auxv(void)
{
    static const struct {
        const char *name;
        unsigned long type;
    } numeric[] = {
        {"AT_PHDR", AT_PHDR},     {"AT_PHENT", AT_PHENT},   {"AT_PHNUM", AT_PHNUM},
        {"AT_PAGESZ", AT_PAGESZ}, {"AT_BASE", AT_BASE},     {"AT_FLAGS", AT_FLAGS},
        {"AT_ENTRY", AT_ENTRY},   {"AT_UID", AT_UID},       {"AT_EUID", AT_EUID},
        {"AT_GID", AT_GID},       {"AT_EGID", AT_EGID},     {"AT_HWCAP", AT_HWCAP},
        {"AT_CLKTCK", AT_CLKTCK}, {"AT_SECURE", AT_SECURE},
    };
    for (size_t i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++)
        printf("%s=%#lx\n", numeric[i].name, getauxval(numeric[i].type));

    const unsigned char *random = (const unsigned char *)getauxval(AT_RANDOM);
    printf("AT_RANDOM=");
    for (int i = 0; random != NULL && i < 16; i++)
        printf("%02x", random[i]);
    printf("\n");

    const char *platform = (const char *)getauxval(AT_PLATFORM);
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("AT_PLATFORM=%s\n", platform ? platform : "(none)");
    printf("AT_EXECFN=%s\n", execfn ? execfn : "(none)");
}

int main(int argc, char **argv)
{
    int status = 0;
    int quiet = 0;

    for (int i = 1; i < argc; i++)
        quiet |= strcmp(argv[i], "--quiet") == 0;
    if (!quiet)
        printf("Hello from Futura userland\n");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--argv") == 0)
            print_argv(argc, argv);
        else if (strcmp(argv[i], "--envp") == 0)
            print_envp();
        else if (strcmp(argv[i], "--auxv") == 0)
            print_auxv();
        else if (strncmp(argv[i], "--exit=", 7) == 0)
            status = atoi(argv[i] + 7);
    }
    return status;
}
