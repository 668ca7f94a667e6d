/* Redirections (see redir.h). */
#include "redir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expand.h"
#include "shell.h"
#include "str.h"
#include "vars.h"

int open_tmpfile(void)
{
    const char *dirs[] = {var_get("TMPDIR"), "/tmp", "/"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        for (int attempt = 0; attempt < 100; attempt++) {
            static unsigned counter;
            char *path = xasprintf("%s/.futsh-%d-%u", dirs[i], (int)getpid(), counter++);
            int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            int err = errno;
            if (fd >= 0)
                unlink(path);
            free(path);
            if (fd >= 0)
                return fd;
            if (err != EEXIST)
                break;
        }
    }
    return -1;
}

static void save_fd(struct fd_save *save, int fd)
{
    if (!save)
        return;
    for (int i = 0; i < save->n; i++)
        if (save->fds[i] == fd)
            return; /* the first saved copy is the one to restore */
    if (save->n == save->cap) {
        save->cap = save->cap ? save->cap * 2 : 4;
        save->fds = xrealloc(save->fds, (size_t)save->cap * sizeof(int));
        save->copies = xrealloc(save->copies, (size_t)save->cap * sizeof(int));
    }
    save->fds[save->n] = fd;
    save->copies[save->n] = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    save->n++;
}

void redirs_restore(struct fd_save *save)
{
    for (int i = save->n - 1; i >= 0; i--) {
        if (save->copies[i] >= 0) {
            dup2(save->copies[i], save->fds[i]);
            close(save->copies[i]);
        } else {
            close(save->fds[i]);
        }
    }
    free(save->fds);
    free(save->copies);
    save->fds = save->copies = NULL;
    save->n = save->cap = 0;
}

/* Moves `from` onto `to` (closing `from`). */
static int move_fd(int from, int to, const char *what)
{
    if (from == to)
        return 0;
    if (dup2(from, to) < 0) {
        sh_error("%s: %s", what, strerror(errno));
        close(from);
        return -1;
    }
    close(from);
    return 0;
}

/* The here-document's text on a descriptor: a pipe when it fits in one
 * (it is written before anyone reads), a temporary file otherwise. */
static int heredoc_fd(const struct redir *r)
{
    char *text =
        r->body_quoted ? xstrdup(r->body ? r->body : "") : expand_heredoc(r->body ? r->body : "");
    if (!text)
        return -1;
    size_t len = strlen(text);
    int fds[2];
    int fd = -1;
    if (len <= 4096 && pipe(fds) == 0) {
        if (write_all(fds[1], text, len) == 0) {
            fd = fds[0];
        } else {
            close(fds[0]);
        }
        close(fds[1]);
    }
    if (fd < 0) {
        fd = open_tmpfile();
        if (fd < 0 || write_all(fd, text, len) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
            sh_error("here-document: %s", strerror(errno));
            if (fd >= 0)
                close(fd);
            fd = -1;
        }
    }
    free(text);
    return fd;
}

static int parse_fd(const char *s)
{
    if (!*s || strlen(s) > 4 || strspn(s, "0123456789") != strlen(s))
        return -1;
    return atoi(s);
}

static int apply_one(const struct redir *r, struct fd_save *save)
{
    /* Save before opening anything: a new descriptor may land on r->fd. */
    save_fd(save, r->fd);
    if (r->kind == R_OUTERR || (r->kind == R_DUPOUT && r->fd == 1))
        save_fd(save, 2);
    if (r->kind == R_HEREDOC) {
        int fd = heredoc_fd(r);
        if (fd < 0)
            return -1;
        return move_fd(fd, r->fd, "here-document");
    }
    char *target = expand_word_str(r->word);
    if (!target)
        return -1;
    int rc = -1;
    if (r->kind == R_DUPIN || r->kind == R_DUPOUT) {
        int from = parse_fd(target);
        if (strcmp(target, "-") == 0) {
            close(r->fd);
            rc = 0;
        } else if (from >= 0) {
            if (fcntl(from, F_GETFD) < 0) {
                sh_error("%s: %s", target, strerror(EBADF));
            } else {
                rc = from == r->fd || dup2(from, r->fd) >= 0 ? 0 : -1;
                if (rc < 0)
                    sh_error("%s: %s", target, strerror(errno));
            }
        } else if (r->kind == R_DUPOUT && r->fd == 1) {
            struct redir both = *r; /* >&file is &>file */
            both.kind = R_OUTERR;
            free(target);
            return apply_one(&both, save);
        } else {
            sh_error("%s: ambiguous redirect", target);
        }
        free(target);
        return rc;
    }
    if (!*target) {
        sh_error("%s: ambiguous redirect", r->word);
        free(target);
        return -1;
    }
    int flags;
    switch (r->kind) {
    case R_IN: flags = O_RDONLY; break;
    case R_RDWR: flags = O_RDWR | O_CREAT; break;
    case R_APPEND: flags = O_WRONLY | O_CREAT | O_APPEND; break;
    default: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
    }
    int fd = open(target, flags, 0666);
    if (fd < 0) {
        sh_error("%s: %s", target, strerror(errno));
    } else if (r->kind == R_OUTERR) {
        rc = dup2(fd, 2) < 0 ? -1 : move_fd(fd, 1, target);
    } else {
        rc = move_fd(fd, r->fd, target);
    }
    free(target);
    return rc;
}

int redirs_apply(const struct redir *r, struct fd_save *save)
{
    for (; r; r = r->next)
        if (apply_one(r, save) < 0)
            return -1;
    return 0;
}
