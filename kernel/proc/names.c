/*
 * The names /proc shows for a process: comm (the executable's basename),
 * cmdline (argv, each string NUL-terminated) and exe_path (the absolute
 * path exec opened). exec builds them before its point of no return and
 * installs them after; fork copies the parent's; exit frees all but comm.
 */
#include "names.h"

#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/vfs/getpath.h"

static char *copy_bytes(const char *s, size_t len)
{
    char *c = fut_kmalloc(len);
    if (c)
        memcpy(c, s, len);
    return c;
}

/* path made absolute: "/dir/prog" for "prog" or "./prog" with cwd "/dir".
 * NULL when the cwd has been removed, the result is too long, or memory
 * is short. */
static char *absolute_path(struct fut_vnode *cwd, const char *path)
{
    if (path[0] == '/')
        return copy_bytes(path, strlen(path) + 1);
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    char *buf = fut_kmalloc(FUT_PATH_MAX);
    if (!buf)
        return NULL;
    char *out = NULL;
    int64_t len = cwd ? fut_vfs_getpath(cwd, buf, FUT_PATH_MAX) : 1;
    if (!cwd)
        buf[0] = '/';
    size_t plen = strlen(path);
    if (len > 0) {
        size_t n = (size_t)len;
        if (buf[n - 1] != '/')
            buf[n++] = '/';
        if (n + plen < FUT_PATH_MAX) {
            memcpy(buf + n, path, plen + 1);
            out = copy_bytes(buf, n + plen + 1);
        }
    }
    fut_kfree(buf);
    return out;
}

int fut_proc_names_build(struct fut_proc_names *n, struct fut_vnode *cwd, const char *path,
                         const char *const *argv)
{
    memset(n, 0, sizeof(*n));
    const char *base = path;
    for (const char *c = path; *c; c++)
        if (*c == '/')
            base = c + 1;
    fut_strlcpy(n->comm, base, sizeof(n->comm));
    for (size_t i = 0; argv && argv[i]; i++)
        n->cmdline_len += strlen(argv[i]) + 1;
    if (n->cmdline_len) {
        n->cmdline = fut_kmalloc(n->cmdline_len);
        if (!n->cmdline)
            return -ENOMEM;
        size_t pos = 0;
        for (size_t i = 0; argv[i]; i++) {
            size_t len = strlen(argv[i]) + 1;
            memcpy(n->cmdline + pos, argv[i], len);
            pos += len;
        }
    }
    n->exe_path = absolute_path(cwd, path);
    return 0;
}

void fut_proc_names_install(struct fut_process *p, struct fut_proc_names *n)
{
    fut_proc_names_release(p);
    memcpy(p->comm, n->comm, sizeof(p->comm));
    p->cmdline = n->cmdline;
    p->cmdline_len = n->cmdline_len;
    p->exe_path = n->exe_path;
}

int fut_proc_names_copy(struct fut_process *child, const struct fut_process *parent)
{
    memcpy(child->comm, parent->comm, sizeof(child->comm));
    if (parent->cmdline) {
        child->cmdline = copy_bytes(parent->cmdline, parent->cmdline_len);
        if (!child->cmdline)
            return -ENOMEM;
        child->cmdline_len = parent->cmdline_len;
    }
    if (parent->exe_path) {
        child->exe_path = copy_bytes(parent->exe_path, strlen(parent->exe_path) + 1);
        if (!child->exe_path)
            return -ENOMEM;
    }
    return 0;
}

void fut_proc_names_release(struct fut_process *p)
{
    fut_kfree(p->cmdline);
    fut_kfree(p->exe_path);
    p->cmdline = NULL;
    p->cmdline_len = 0;
    p->exe_path = NULL;
}
