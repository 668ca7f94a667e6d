/* Builtins about the shell itself and the machine: cd pwd echo true false :
 * exit shift eval source exec umask times ulimit sleep poweroff reboot
 * break continue return. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "builtins.h"
#include "exec.h"
#include "jobs.h"
#include "shell.h"
#include "vars.h"

int bi_true(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int bi_colon(int argc, char **argv)
{
    return bi_true(argc, argv);
}

int bi_false(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 1;
}

int bi_cd(int argc, char **argv)
{
    int i = 1;
    while (i < argc && (!strcmp(argv[i], "-L") || !strcmp(argv[i], "-P")))
        i++;
    if (i < argc && !strcmp(argv[i], "--"))
        i++;
    if (argc - i > 1) {
        sh_error("cd: too many arguments");
        return 1;
    }
    const char *dir = i < argc ? argv[i] : var_get("HOME");
    int print = 0;
    if (!dir) {
        sh_error("cd: HOME not set");
        return 1;
    }
    if (!strcmp(dir, "-")) {
        dir = var_get("OLDPWD");
        if (!dir) {
            sh_error("cd: OLDPWD not set");
            return 1;
        }
        print = 1;
    }
    if (!*dir)
        dir = ".";
    char *old = getcwd(NULL, 0);
    if (chdir(dir) < 0) {
        sh_error("cd: %s: %s", dir, strerror(errno));
        free(old);
        return 1;
    }
    char *now = getcwd(NULL, 0);
    if (old)
        var_set("OLDPWD", old, 0);
    if (now)
        var_set("PWD", now, 0);
    if (print)
        fd_printf(1, "%s\n", now ? now : dir);
    free(old);
    free(now);
    return 0;
}

int bi_pwd(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char *cwd = getcwd(NULL, 0);
    if (!cwd) {
        sh_error("pwd: %s", strerror(errno));
        return 1;
    }
    int r = fd_printf(1, "%s\n", cwd);
    free(cwd);
    return r < 0;
}

/* echo -e escapes: returns 1 at \c (stop all output). */
static int echo_escapes(const char *s, struct str *out)
{
    for (; *s; s++) {
        if (*s != '\\' || !s[1]) {
            str_addc(out, *s);
            continue;
        }
        s++;
        switch (*s) {
        case 'a': str_addc(out, '\a'); break;
        case 'b': str_addc(out, '\b'); break;
        case 'c': return 1;
        case 'e':
        case 'E': str_addc(out, 27); break;
        case 'f': str_addc(out, '\f'); break;
        case 'n': str_addc(out, '\n'); break;
        case 'r': str_addc(out, '\r'); break;
        case 't': str_addc(out, '\t'); break;
        case 'v': str_addc(out, '\v'); break;
        case '\\': str_addc(out, '\\'); break;
        case '0': {
            int v = 0;
            for (int k = 0; k < 3 && s[1] >= '0' && s[1] <= '7'; k++)
                v = v * 8 + (*++s - '0');
            str_addc(out, (char)v);
            break;
        }
        case 'x': {
            int v = 0, k = 0;
            for (; k < 2 && strchr("0123456789abcdefABCDEF", s[1]) && s[1]; k++) {
                char c = *++s;
                v = v * 16 + (c <= '9' ? c - '0' : (c | 32) - 'a' + 10);
            }
            if (k == 0)
                str_add(out, "\\x");
            else
                str_addc(out, (char)v);
            break;
        }
        default:
            str_addc(out, '\\');
            str_addc(out, *s);
            break;
        }
    }
    return 0;
}

int bi_echo(int argc, char **argv)
{
    int newline = 1, escapes = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *o = argv[i] + 1;
        if (strspn(o, "neE") != strlen(o))
            break;
        for (; *o; o++) {
            if (*o == 'n')
                newline = 0;
            else
                escapes = *o == 'e';
        }
    }
    struct str out = STR_INIT;
    int stop = 0;
    for (; i < argc && !stop; i++) {
        if (escapes)
            stop = echo_escapes(argv[i], &out);
        else
            str_add(&out, argv[i]);
        if (i + 1 < argc && !stop)
            str_addc(&out, ' ');
    }
    if (newline && !stop)
        str_addc(&out, '\n');
    int r = write_all(1, out.s ? out.s : "", out.len);
    str_free(&out);
    if (r < 0) {
        sh_error("echo: write error: %s", strerror(errno));
        return 1;
    }
    return 0;
}

int bi_exit(int argc, char **argv)
{
    static int warned_stopped;
    long status = sh.last_status;
    if (argc > 2) {
        sh_error("exit: too many arguments");
        return 1;
    }
    if (argc == 2 && parse_long(argv[1], &status) < 0) {
        sh_error("exit: %s: numeric argument required", argv[1]);
        status = 2;
    }
    if (sh.interactive && !sh.subshell && jobs_any_stopped() && !warned_stopped) {
        warned_stopped = 1;
        sh_error("there are stopped jobs (exit again to leave anyway)");
        return 1;
    }
    sh_exit((int)(status & 255));
}

int bi_shift(int argc, char **argv)
{
    long n = 1;
    if (argc > 2 || (argc == 2 && (parse_long(argv[1], &n) < 0 || n < 0)))
        return usage_error("shift");
    if ((size_t)n > sh.params.n) {
        sh_error("shift: can't shift that many");
        return 1;
    }
    for (long i = 0; i < n; i++)
        free(sh.params.v[i]);
    memmove(sh.params.v, sh.params.v + n, (sh.params.n - (size_t)n + 1) * sizeof(char *));
    sh.params.n -= (size_t)n;
    return 0;
}

int bi_eval(int argc, char **argv)
{
    struct str text = STR_INIT;
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            str_addc(&text, ' ');
        str_add(&text, argv[i]);
    }
    int status = run_text(str_cstr(&text), text.len, sh.source_name);
    str_free(&text);
    return status;
}

int bi_source(int argc, char **argv)
{
    if (argc < 2)
        return usage_error(argv[0]);
    char *path = strchr(argv[1], '/') ? NULL : path_lookup(argv[1]);
    if (!path)
        path = xstrdup(argv[1]);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        sh_error("%s: %s: %s", argv[0], argv[1], strerror(errno));
        free(path);
        return 1;
    }
    struct str text = STR_INIT;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        str_addn(&text, buf, (size_t)n);
    }
    close(fd);

    struct strv saved = sh.params;
    int has_args = argc > 2;
    if (has_args) {
        memset(&sh.params, 0, sizeof(sh.params));
        for (int i = 2; i < argc; i++)
            strv_pushdup(&sh.params, argv[i]);
    }
    const char *saved_name = sh.source_name;
    sh.source_depth++;
    int status = run_text(str_cstr(&text), text.len, path);
    sh.source_depth--;
    if (sh.returning) {
        sh.returning = 0;
        status = sh.last_status;
    }
    sh.source_name = saved_name;
    if (has_args) {
        strv_free(&sh.params);
        sh.params = saved;
    }
    str_free(&text);
    free(path);
    return status;
}

int bi_exec(int argc, char **argv)
{
    /* Handled in exec.c (it needs the redirections); reached only via env. */
    if (argc > 1)
        exec_program(argv + 1);
    return 0;
}

static void print_umask_symbolic(mode_t m)
{
    static const char *const who[] = {"u", "g", "o"};
    struct str out = STR_INIT;
    for (int k = 0; k < 3; k++) {
        mode_t allowed = ~m >> (6 - 3 * k) & 7;
        str_printf(&out, "%s%s=%s%s%s", k ? "," : "", who[k], allowed & 4 ? "r" : "",
                   allowed & 2 ? "w" : "", allowed & 1 ? "x" : "");
    }
    str_addc(&out, '\n');
    write_all(1, out.s, out.len);
    str_free(&out);
}

/* u=rwx,g=rx,o= (only the "=" form). */
static int parse_symbolic_umask(const char *s, mode_t *out)
{
    mode_t allowed = ~*out & 0777;
    while (*s) {
        int shifts[3], n = 0;
        for (; *s && *s != '='; s++) {
            if (*s == 'u')
                shifts[n++] = 6;
            else if (*s == 'g')
                shifts[n++] = 3;
            else if (*s == 'o')
                shifts[n++] = 0;
            else if (*s == 'a') {
                shifts[0] = 6, shifts[1] = 3, shifts[2] = 0;
                n = 3;
            } else
                return -1;
            if (n > 3)
                return -1;
        }
        if (*s != '=' || n == 0)
            return -1;
        mode_t bits = 0;
        for (s++; *s && *s != ','; s++) {
            if (*s == 'r')
                bits |= 4;
            else if (*s == 'w')
                bits |= 2;
            else if (*s == 'x')
                bits |= 1;
            else
                return -1;
        }
        for (int k = 0; k < n; k++)
            allowed = (allowed & ~(7u << shifts[k])) | bits << shifts[k];
        if (*s == ',')
            s++;
    }
    *out = ~allowed & 0777;
    return 0;
}

int bi_umask(int argc, char **argv)
{
    int symbolic = argc > 1 && !strcmp(argv[1], "-S");
    int i = 1 + symbolic;
    mode_t m = umask(0);
    umask(m);
    if (i >= argc) {
        if (symbolic)
            print_umask_symbolic(m);
        else
            fd_printf(1, "%04o\n", (unsigned)m);
        return 0;
    }
    char *end;
    unsigned long v = strtoul(argv[i], &end, 8);
    if (*argv[i] >= '0' && *argv[i] <= '7' && !*end && v <= 0777) {
        m = (mode_t)v;
    } else if (parse_symbolic_umask(argv[i], &m) < 0) {
        sh_error("umask: %s: invalid mode", argv[i]);
        return 1;
    }
    umask(m);
    return 0;
}

static void format_ticks(struct str *out, clock_t t, long hz)
{
    double s = (double)t / (double)hz;
    long minutes = (long)(s / 60);
    str_printf(out, "%ldm%.3fs", minutes, s - 60.0 * (double)minutes);
}

int bi_times(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct tms t;
    if (times(&t) == (clock_t)-1) {
        sh_error("times: %s", strerror(errno));
        return 1;
    }
    long hz = sysconf(_SC_CLK_TCK);
    if (hz <= 0)
        hz = 100;
    struct str out = STR_INIT;
    format_ticks(&out, t.tms_utime, hz);
    str_addc(&out, ' ');
    format_ticks(&out, t.tms_stime, hz);
    str_addc(&out, '\n');
    format_ticks(&out, t.tms_cutime, hz);
    str_addc(&out, ' ');
    format_ticks(&out, t.tms_cstime, hz);
    str_addc(&out, '\n');
    write_all(1, out.s, out.len);
    str_free(&out);
    return 0;
}

struct limit {
    char option;
    int resource;
    int unit; /* bytes per displayed unit */
    const char *name;
};

static const struct limit limits[] = {
    {'c', RLIMIT_CORE, 1024, "core file size (KiB)"},
    {'d', RLIMIT_DATA, 1024, "data seg size (KiB)"},
    {'f', RLIMIT_FSIZE, 1024, "file size (KiB)"},
    {'n', RLIMIT_NOFILE, 1, "open files"},
    {'s', RLIMIT_STACK, 1024, "stack size (KiB)"},
    {'t', RLIMIT_CPU, 1, "cpu time (seconds)"},
    {'u', RLIMIT_NPROC, 1, "max user processes"},
    {'v', RLIMIT_AS, 1024, "virtual memory (KiB)"},
};

static int show_limit(const struct limit *l, int hard, int with_name)
{
    struct rlimit rl;
    if (getrlimit(l->resource, &rl) < 0) {
        sh_error("ulimit: %s: cannot read limit: %s", l->name, strerror(errno));
        return 1;
    }
    rlim_t v = hard ? rl.rlim_max : rl.rlim_cur;
    struct str out = STR_INIT;
    if (with_name)
        str_printf(&out, "%-24s (-%c) ", l->name, l->option);
    if (v == RLIM_INFINITY)
        str_add(&out, "unlimited\n");
    else
        str_printf(&out, "%llu\n", (unsigned long long)(v / (rlim_t)l->unit));
    write_all(1, out.s, out.len);
    str_free(&out);
    return 0;
}

int bi_ulimit(int argc, char **argv)
{
    int hard = 0, all = 0, i = 1;
    const struct limit *which = &limits[2]; /* -f */
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *o = argv[i] + 1; *o; o++) {
            if (*o == 'H')
                hard = 1;
            else if (*o == 'S')
                hard = 0;
            else if (*o == 'a')
                all = 1;
            else {
                which = NULL;
                for (size_t k = 0; k < sizeof(limits) / sizeof(limits[0]); k++)
                    if (limits[k].option == *o)
                        which = &limits[k];
                if (!which)
                    return usage_error("ulimit");
            }
        }
    }
    if (all) {
        int status = 0;
        for (size_t k = 0; k < sizeof(limits) / sizeof(limits[0]); k++)
            status |= show_limit(&limits[k], hard, 1);
        return status;
    }
    if (i >= argc)
        return show_limit(which, hard, 0);
    struct rlimit rl;
    if (getrlimit(which->resource, &rl) < 0) {
        sh_error("ulimit: %s: cannot read limit: %s", which->name, strerror(errno));
        return 1;
    }
    rlim_t v;
    if (!strcmp(argv[i], "unlimited")) {
        v = RLIM_INFINITY;
    } else {
        long n;
        if (parse_long(argv[i], &n) < 0 || n < 0) {
            sh_error("ulimit: %s: invalid number", argv[i]);
            return 1;
        }
        v = (rlim_t)n * (rlim_t)which->unit;
    }
    if (hard)
        rl.rlim_max = v;
    else
        rl.rlim_cur = v;
    if (setrlimit(which->resource, &rl) < 0) {
        sh_error("ulimit: %s: cannot set limit: %s", which->name, strerror(errno));
        return 1;
    }
    return 0;
}

/* "1.5", "2m", "0.1h": seconds, or -1. */
static double parse_interval(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || v < 0 || isnan(v))
        return -1;
    switch (*end) {
    case '\0':
    case 's': break;
    case 'm': v *= 60; break;
    case 'h': v *= 3600; break;
    case 'd': v *= 86400; break;
    default: return -1;
    }
    if (*end && end[1])
        return -1;
    return v;
}

int bi_sleep(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("sleep");
    double total = 0;
    for (int i = 1; i < argc; i++) {
        double v = parse_interval(argv[i]);
        if (v < 0) {
            sh_error("sleep: invalid time interval '%s'", argv[i]);
            return 1;
        }
        total += v;
    }
    if (total > 1e9)
        total = 1e9;
    struct timespec ts;
    ts.tv_sec = (time_t)total;
    ts.tv_nsec = (long)((total - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) < 0) {
        if (errno != EINTR) {
            sh_error("sleep: %s", strerror(errno));
            return 1;
        }
    }
    return 0;
}

static int do_reboot(const char *name, int how)
{
    sync();
    reboot(how);
    sh_error("%s: %s", name, strerror(errno));
    return 1;
}

int bi_poweroff(int argc, char **argv)
{
    (void)argc;
    return do_reboot(argv[0], RB_POWER_OFF);
}

int bi_reboot(int argc, char **argv)
{
    (void)argc;
    return do_reboot(argv[0], RB_AUTOBOOT);
}

static int loop_control(int argc, char **argv, int *levels)
{
    long n = 1;
    if (argc > 2 || (argc == 2 && (parse_long(argv[1], &n) < 0 || n < 1))) {
        sh_error("%s: %s: loop count out of range", argv[0], argc > 1 ? argv[1] : "");
        return 1;
    }
    if (sh.loop_depth == 0) {
        sh_error("%s: only meaningful in a loop", argv[0]);
        return 0;
    }
    *levels = n > sh.loop_depth ? sh.loop_depth : (int)n;
    return 0;
}

int bi_break(int argc, char **argv)
{
    return loop_control(argc, argv, &sh.break_levels);
}

int bi_continue(int argc, char **argv)
{
    return loop_control(argc, argv, &sh.continue_levels);
}

int bi_return(int argc, char **argv)
{
    long n = sh.last_status;
    if (argc > 2 || (argc == 2 && parse_long(argv[1], &n) < 0)) {
        sh_error("return: %s: numeric argument required", argc > 1 ? argv[1] : "");
        n = 2;
    }
    if (sh.func_depth == 0 && sh.source_depth == 0) {
        sh_error("return: can only be used in a function or a sourced file");
        return 1;
    }
    sh.last_status = (int)(n & 255);
    sh.returning = 1;
    return sh.last_status;
}
