/* Running syntax trees (see exec.h). */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtins.h"
#include "expand.h"
#include "jobs.h"
#include "redir.h"
#include "shell.h"
#include "vars.h"

/* Status of the last command substitution ($? of "x=$(cmd)"), -1: none. */
static int last_subst_status = -1;

static int is_executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

char *path_lookup(const char *name)
{
    if (!*name)
        return NULL;
    const char *path = var_get("PATH");
    if (!path)
        path = "/bin:/sbin:/usr/bin:/usr/sbin";
    for (const char *p = path;;) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        char *candidate = n ? xasprintf("%.*s/%s", (int)n, p, name) : xasprintf("./%s", name);
        if (is_executable_file(candidate))
            return candidate;
        free(candidate);
        if (!colon)
            return NULL;
        p = colon + 1;
    }
}

/* Reads a whole file (for scripts); NULL with errno set. */
static char *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct str b = STR_INIT;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            close(fd);
            str_free(&b);
            errno = err;
            return NULL;
        }
        str_addn(&b, buf, (size_t)n);
    }
    close(fd);
    *len = b.len;
    return str_steal(&b);
}

/* The kernel could not run `path` itself: run "#!interpreter [arg]" or, for
 * a file without #!, interpret it as a futsh script in this process. */
static _Noreturn void run_script(const char *path, char **argv, char **envp)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        sh_error("%s: %s", argv[0], strerror(errno));
        _exit(126);
    }
    const char *nl = memchr(text, '\n', len);
    size_t first = nl ? (size_t)(nl - text) : len;
    if (memchr(text, '\0', first < 512 ? first : 512)) {
        sh_error("%s: cannot execute binary file", argv[0]);
        _exit(126);
    }
    if (len >= 2 && text[0] == '#' && text[1] == '!') {
        char *line = xstrndup(text + 2, first - 2);
        char *interp = strtok(line, " \t\r");
        char *arg = interp ? strtok(NULL, "\r") : NULL;
        while (arg && (*arg == ' ' || *arg == '\t'))
            arg++;
        if (interp) {
            struct strv av = STRV_INIT;
            strv_pushdup(&av, interp);
            if (arg && *arg)
                strv_pushdup(&av, arg);
            strv_pushdup(&av, path);
            for (int i = 1; argv[i]; i++)
                strv_pushdup(&av, argv[i]);
            execve(interp, av.v, envp);
            const char *base = strrchr(interp, '/') ? strrchr(interp, '/') + 1 : interp;
            if (strcmp(base, "sh") != 0 && strcmp(base, "futsh") != 0) {
                sh_error("%s: %s: bad interpreter: %s", argv[0], interp, strerror(errno));
                _exit(126);
            }
            /* #!/bin/sh where there is no /bin/sh: we are a shell. */
        }
        free(line);
    }
    free(sh.arg0);
    sh.arg0 = xstrdup(path);
    strv_free(&sh.params);
    for (int i = 1; argv[i]; i++)
        strv_pushdup(&sh.params, argv[i]);
    alias_clear();
    _exit(run_text(text, len, path));
}

_Noreturn void exec_program(char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    const struct builtin *b = builtin_find(argv[0]);
    if (b)
        _exit(b->fn(argc, argv));
    char *path = strchr(argv[0], '/') ? xstrdup(argv[0]) : path_lookup(argv[0]);
    if (!path) {
        sh_error("%s: command not found", argv[0]);
        _exit(127);
    }
    struct strv env = STRV_INIT;
    vars_environ(&env);
    execve(path, argv, strv_array(&env));
    int err = errno;
    struct stat st;
    if (err == ENOEXEC)
        run_script(path, argv, strv_array(&env));
    if (err == EACCES && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        err = EISDIR;
    sh_error("%s: %s", argv[0], strerror(err));
    _exit(err == ENOENT ? 127 : 126);
}

static void xtrace(const struct strv *assigns, const struct strv *argv)
{
    struct str line = STR_INIT;
    str_add(&line, "+");
    for (size_t i = 0; i < assigns->n; i++)
        str_printf(&line, " %s", assigns->v[i]);
    for (size_t i = 0; i < argv->n; i++)
        str_printf(&line, " %s", argv->v[i]);
    str_addc(&line, '\n');
    write_all(2, line.s, line.len);
    str_free(&line);
}

/* NAME=value words, expanded. -1 after an expansion error. */
static int expand_assigns(const struct node *n, struct strv *out)
{
    for (size_t i = 0; i < n->nassigns; i++) {
        const char *eq = strchr(n->assigns[i], '=');
        char *value = expand_word_str(eq + 1);
        if (!value)
            return -1;
        strv_push(out, xasprintf("%.*s%s", (int)(eq - n->assigns[i] + 1), n->assigns[i], value));
        free(value);
    }
    return 0;
}

static pid_t fork_or_complain(void)
{
    pid_t pid = fork();
    if (pid < 0)
        sh_error("fork: %s", strerror(errno));
    return pid;
}

static int run_builtin(const struct builtin *b, const struct node *n, struct strv *assigns,
                       struct strv *argv)
{
    struct var_save *saved = xcalloc(assigns->n + 1, sizeof(*saved));
    for (size_t i = 0; i < assigns->n; i++) {
        char *name = xstrndup(assigns->v[i], (size_t)(strchr(assigns->v[i], '=') - assigns->v[i]));
        var_save(&saved[i], name);
        var_assign(assigns->v[i], 0);
        free(name);
    }
    struct fd_save fds = FD_SAVE_INIT;
    int status = 1;
    if (redirs_apply(n->redirs, &fds) == 0)
        status = b->fn((int)argv->n, argv->v);
    redirs_restore(&fds);
    for (size_t i = assigns->n; i-- > 0;)
        var_restore(&saved[i]);
    free(saved);
    return status;
}

/* exec with only redirections makes them permanent; exec cmd replaces us. */
static int run_exec_builtin(const struct node *n, struct strv *assigns, struct strv *argv)
{
    if (redirs_apply(n->redirs, NULL) < 0)
        return 1;
    if (argv->n < 2 || (argv->n == 2 && strcmp(argv->v[1], "--") == 0))
        return 0;
    char **args = argv->v + 1 + (strcmp(argv->v[1], "--") == 0);
    if (!strchr(args[0], '/') && !builtin_find(args[0])) {
        char *path = path_lookup(args[0]);
        if (!path) {
            sh_error("exec: %s: not found", args[0]);
            return 127;
        }
        free(path);
    }
    for (size_t i = 0; i < assigns->n; i++)
        var_assign(assigns->v[i], 1);
    jobctl_exit();
    exec_program(args);
}

/* A function runs its body text in this shell with its own $1...; local
 * to the call are the positional parameters and NAME=value prefixes. */
static int call_function(const char *name, const char *body, const struct node *n,
                         struct strv *assigns, struct strv *argv)
{
    if (sh.func_depth >= 100) {
        sh_error("%s: functions nested too deeply", name);
        return 2;
    }
    char *text = xstrdup(body); /* the function may redefine itself */
    struct var_save *saved = xcalloc(assigns->n + 1, sizeof(*saved));
    for (size_t i = 0; i < assigns->n; i++) {
        char *var = xstrndup(assigns->v[i], (size_t)(strchr(assigns->v[i], '=') - assigns->v[i]));
        var_save(&saved[i], var);
        var_assign(assigns->v[i], 0);
        free(var);
    }
    struct strv outer = sh.params;
    memset(&sh.params, 0, sizeof(sh.params));
    for (size_t i = 1; i < argv->n; i++)
        strv_pushdup(&sh.params, argv->v[i]);
    struct fd_save fds = FD_SAVE_INIT;
    int status = 1;
    sh.func_depth++;
    if (redirs_apply(n->redirs, &fds) == 0)
        status = run_text(text, strlen(text), NULL);
    sh.func_depth--;
    if (sh.returning) {
        sh.returning = 0;
        status = sh.last_status;
    }
    redirs_restore(&fds);
    strv_free(&sh.params);
    sh.params = outer;
    for (size_t i = assigns->n; i-- > 0;)
        var_restore(&saved[i]);
    free(saved);
    free(text);
    return status;
}

/* Only assignments and redirections: the assignments stay, the files are
 * opened (and created) and closed again. */
static int run_assignments_only(const struct node *n, struct strv *assigns)
{
    for (size_t i = 0; i < assigns->n; i++)
        var_assign(assigns->v[i], 0);
    struct fd_save fds = FD_SAVE_INIT;
    int status = redirs_apply(n->redirs, &fds) < 0 ? 1
                 : last_subst_status >= 0          ? last_subst_status
                                                   : 0;
    redirs_restore(&fds);
    return status;
}

/* "command not found", after the redirections (so 2>file gets it). */
static int not_found(const struct node *n, const char *name)
{
    struct fd_save fds = FD_SAVE_INIT;
    if (redirs_apply(n->redirs, &fds) == 0)
        sh_error("%s: command not found", name);
    redirs_restore(&fds);
    return 127;
}

/* In a child: redirections, exported assignments, then the program. */
static _Noreturn void become_program(const struct node *n, struct strv *assigns, struct strv *argv)
{
    if (redirs_apply(n->redirs, NULL) < 0)
        _exit(1);
    for (size_t i = 0; i < assigns->n; i++)
        var_assign(assigns->v[i], 1);
    exec_program(argv->v);
}

/* A program (or a BI_FORK builtin) as a foreground job. In a child that
 * ends afterwards (EX_LAST) it replaces the child instead. */
static int run_program(const struct node *n, int flags, struct strv *assigns, struct strv *argv)
{
    if (flags & EX_LAST)
        become_program(n, assigns, argv);
    struct job *j = job_new(n->text, 0);
    pid_t pid = fork_or_complain();
    if (pid == 0) {
        child_setup(j, 1);
        become_program(n, assigns, argv);
    }
    if (pid < 0) {
        job_free(j);
        return 1;
    }
    job_add_proc(j, pid);
    return job_wait_fg(j);
}

/* A simple command: functions, then builtins, then programs in PATH. */
static int run_command(struct node *n, int flags, struct strv *assigns, struct strv *argv)
{
    const char *name = argv->v[0];
    const char *body = func_get(name);
    if (body)
        return call_function(name, body, n, assigns, argv);
    const struct builtin *b = builtin_find(name);
    if (b && b->fn == bi_exec)
        return run_exec_builtin(n, assigns, argv);
    if (b && !(b->flags & BI_FORK))
        return run_builtin(b, n, assigns, argv);
    if (!b && !strchr(name, '/')) {
        char *path = path_lookup(name);
        if (!path)
            return not_found(n, name);
        free(path);
    }
    return run_program(n, flags, assigns, argv);
}

static int exec_simple(struct node *n, int flags)
{
    struct strv argv = STRV_INIT, assigns = STRV_INIT;
    int status;
    sh.lineno = n->lineno;
    last_subst_status = -1;
    if (expand_words(n->words, n->nwords, &argv) < 0 || expand_assigns(n, &assigns) < 0) {
        status = 1;
        if (!sh.interactive)
            sh_exit(status);
    } else {
        if (sh.opt_xtrace)
            xtrace(&assigns, &argv);
        if (argv.n == 0)
            status = run_assignments_only(n, &assigns);
        else
            status = run_command(n, flags, &assigns, &argv);
    }
    strv_free(&argv);
    strv_free(&assigns);
    return status;
}

static int run_pipeline(struct node *n, int flags, int background)
{
    if (n->nkids == 1 && !background) {
        int status = exec_node(n->kids[0], flags);
        return n->bang ? !status : status;
    }
    struct job *j = job_new(n->text, background);
    int prev = -1, failed = 0;
    for (size_t i = 0; i < n->nkids && !failed; i++) {
        int pfd[2] = {-1, -1};
        if (i + 1 < n->nkids && pipe(pfd) < 0) {
            sh_error("pipe: %s", strerror(errno));
            failed = 1;
            break;
        }
        pid_t pid = fork_or_complain();
        if (pid == 0) {
            child_setup(j, !background);
            if (prev >= 0) {
                dup2(prev, 0);
                close(prev);
            }
            if (pfd[1] >= 0) {
                dup2(pfd[1], 1);
                close(pfd[1]);
                close(pfd[0]);
            }
            _exit(exec_node(n->kids[i], EX_LAST));
        }
        if (pid < 0)
            failed = 1;
        else
            job_add_proc(j, pid);
        if (prev >= 0)
            close(prev);
        if (pfd[1] >= 0)
            close(pfd[1]);
        prev = pfd[0];
    }
    if (prev >= 0)
        close(prev);
    int status;
    if (background && j->nprocs > 0) {
        job_started_bg(j);
        status = failed;
    } else if (j->nprocs > 0) {
        j->background = 0;
        status = job_wait_fg(j);
        status = failed ? 1 : status;
    } else {
        job_free(j);
        status = 1;
    }
    return n->bang ? !status : status;
}

static int run_background(struct node *n)
{
    if (n->kind == N_PIPELINE)
        return run_pipeline(n, 0, 1);
    struct job *j = job_new(n->text, 1);
    pid_t pid = fork_or_complain();
    if (pid == 0) {
        child_setup(j, 0);
        _exit(exec_node(n, EX_LAST));
    }
    if (pid < 0) {
        job_free(j);
        return 1;
    }
    job_add_proc(j, pid);
    job_started_bg(j);
    return 0;
}

static int interrupted(void)
{
    return sh.break_levels || sh.continue_levels || sh.returning ||
           (sh.got_sigint && sh.interactive);
}

static int run_list(struct node *n, int flags)
{
    int status = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        int last = i + 1 == n->nkids;
        if (n->bg[i])
            status = run_background(n->kids[i]);
        else
            status = exec_node(n->kids[i], last ? flags : flags & ~EX_LAST);
        sh.last_status = status;
        if (interrupted())
            break;
    }
    return status;
}

static int run_loop(struct node *n, int flags)
{
    int status = 0;
    flags &= ~EX_LAST;
    sh.loop_depth++;
    for (;;) {
        int cond = exec_node(n->left, flags | EX_COND);
        sh.last_status = cond;
        if (sh.break_levels || sh.returning || (sh.got_sigint && sh.interactive))
            break;
        if ((cond == 0) != (n->kind == N_WHILE))
            break;
        status = exec_node(n->right, flags);
        if (sh.continue_levels) {
            if (--sh.continue_levels > 0)
                break;
            continue;
        }
        if (sh.break_levels || sh.returning || (sh.got_sigint && sh.interactive))
            break;
    }
    if (sh.break_levels)
        sh.break_levels--;
    sh.loop_depth--;
    return status;
}

static int run_for(struct node *n, int flags)
{
    struct strv items = STRV_INIT;
    if (n->has_in) {
        if (expand_words(n->words, n->nwords, &items) < 0)
            return 1;
    } else {
        for (size_t i = 0; i < sh.params.n; i++)
            strv_pushdup(&items, sh.params.v[i]);
    }
    int status = 0;
    flags &= ~EX_LAST;
    sh.loop_depth++;
    for (size_t i = 0; i < items.n; i++) {
        var_set(n->name, items.v[i], 0);
        status = exec_node(n->right, flags);
        if (sh.continue_levels) {
            if (--sh.continue_levels > 0)
                break;
            continue;
        }
        if (sh.break_levels || sh.returning || (sh.got_sigint && sh.interactive))
            break;
    }
    if (sh.break_levels)
        sh.break_levels--;
    sh.loop_depth--;
    strv_free(&items);
    return status;
}

static int run_case(struct node *n, int flags)
{
    char *subject = expand_word_str(n->words[0]);
    if (!subject)
        return 1;
    int status = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        struct node *item = n->kids[i];
        int matched = 0;
        for (size_t k = 0; k < item->nwords && !matched; k++) {
            char *pat = expand_pattern(item->words[k]);
            matched = pat && fnmatch(pat, subject, 0) == 0;
            free(pat);
        }
        if (matched) {
            status = item->right ? exec_node(item->right, flags) : 0;
            break;
        }
    }
    free(subject);
    return status;
}

static int run_subshell(struct node *n, int flags)
{
    if (flags & EX_LAST)
        _exit(exec_node(n->right, EX_LAST));
    struct job *j = job_new(n->text, 0);
    pid_t pid = fork_or_complain();
    if (pid == 0) {
        child_setup(j, 1);
        _exit(exec_node(n->right, EX_LAST));
    }
    if (pid < 0) {
        job_free(j);
        return 1;
    }
    job_add_proc(j, pid);
    return job_wait_fg(j);
}

static int run_compound(struct node *n, int flags)
{
    switch (n->kind) {
    case N_SUBSHELL: return run_subshell(n, flags);
    case N_GROUP: return exec_node(n->right, flags);
    case N_IF: {
        int cond = exec_node(n->left, (flags & ~EX_LAST) | EX_COND);
        sh.last_status = cond;
        if (interrupted())
            return cond;
        if (cond == 0)
            return exec_node(n->right, flags);
        return n->alt ? exec_node(n->alt, flags) : 0;
    }
    case N_WHILE:
    case N_UNTIL: return run_loop(n, flags);
    case N_FOR: return run_for(n, flags);
    case N_CASE: return run_case(n, flags);
    default: return 0;
    }
}

int exec_node(struct node *n, int flags)
{
    int status;
    switch (n->kind) {
    case N_SIMPLE: return exec_simple(n, flags);
    case N_FUNCDEF: func_set(n->name, n->right->text); return 0;
    case N_LIST: return run_list(n, flags);
    case N_PIPELINE:
        status = run_pipeline(n, flags, 0);
        if (status != 0 && sh.opt_errexit && !(flags & EX_COND) && !n->bang)
            sh_exit(status);
        return status;
    case N_AND:
    case N_OR:
        status = exec_node(n->left, (flags & ~EX_LAST) | EX_COND);
        sh.last_status = status;
        if (interrupted())
            return status;
        if ((status == 0) == (n->kind == N_AND))
            status = exec_node(n->right, flags);
        return status;
    default: break;
    }
    /* Compound commands: their redirections around the whole command. */
    if (!n->redirs)
        return run_compound(n, flags);
    struct fd_save fds = FD_SAVE_INIT;
    if (redirs_apply(n->redirs, (flags & EX_LAST) ? NULL : &fds) < 0)
        status = 1;
    else
        status = run_compound(n, flags);
    redirs_restore(&fds);
    return status;
}

char *command_subst(const char *text, size_t len)
{
    int fds[2] = {-1, -1}, tmp = -1;
    if (pipe(fds) < 0) {
        tmp = open_tmpfile(); /* no pipes: collect the output in a file */
        if (tmp < 0) {
            sh_error("command substitution: %s", strerror(errno));
            last_subst_status = 1;
            return xstrdup("");
        }
    }
    pid_t pid = fork_or_complain();
    if (pid == 0) {
        child_setup(NULL, 0);
        int out = tmp >= 0 ? tmp : fds[1];
        if (fds[0] >= 0)
            close(fds[0]);
        dup2(out, 1);
        close(out);
        _exit(run_text(text, len, NULL));
    }
    struct str out = STR_INIT;
    char buf[4096];
    ssize_t r;
    if (tmp < 0) {
        close(fds[1]);
        if (pid > 0)
            while ((r = read(fds[0], buf, sizeof(buf))) != 0 && (r > 0 || errno == EINTR))
                if (r > 0)
                    str_addn(&out, buf, (size_t)r);
        close(fds[0]);
    }
    int st = 1 << 8;
    while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (tmp >= 0) {
        if (pid > 0 && lseek(tmp, 0, SEEK_SET) == 0)
            while ((r = read(tmp, buf, sizeof(buf))) != 0 && (r > 0 || errno == EINTR))
                if (r > 0)
                    str_addn(&out, buf, (size_t)r);
        close(tmp);
    }
    last_subst_status = status_of(st);
    /* NUL bytes cannot be in words; trailing newlines are dropped. */
    size_t k = 0;
    for (size_t i = 0; i < out.len; i++)
        if (out.s[i] != '\0')
            out.s[k++] = out.s[i];
    while (k > 0 && out.s[k - 1] == '\n')
        k--;
    out.len = k;
    if (out.s)
        out.s[k] = '\0';
    return str_steal(&out);
}
