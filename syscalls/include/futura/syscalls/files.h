/*
 * Per-process file state: the descriptor table, the working directory and
 * the umask. fork copies it (the open files are shared, so offsets are);
 * exec closes the close-on-exec descriptors.
 */
#ifndef FUTURA_SYSCALLS_FILES_H
#define FUTURA_SYSCALLS_FILES_H

#include <stdbool.h>
#include <stdint.h>

#include "futura/vfs/vfs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FUT_FD_MAX 1024 /* RLIMIT_NOFILE, as Linux's default soft limit */

struct fut_fdtable {
    uint32_t refcount;                 /* processes sharing this table */
    struct fut_file *fd[FUT_FD_MAX];   /* each non-NULL slot holds one file reference */
    uint64_t cloexec[FUT_FD_MAX / 64]; /* FD_CLOEXEC per descriptor */
    struct fut_vnode *cwd;             /* one reference */
    uint32_t umask;
};

/* A table with no descriptors, cwd at the root, umask 022. NULL on OOM. */
struct fut_fdtable *fut_fdtable_create(void);
/* A copy for fork: same open files (references taken), same cwd and umask. */
struct fut_fdtable *fut_fdtable_clone(const struct fut_fdtable *src);
void fut_fdtable_put(struct fut_fdtable *files);

/* Installs f at the lowest free descriptor >= min_fd; consumes the caller's
 * reference on success. Returns the descriptor, or -EMFILE / -EINVAL. */
int fut_fd_install(struct fut_fdtable *files, struct fut_file *f, int min_fd, bool cloexec);
/* Installs f at exactly fd, closing what was there (dup2). Consumes the reference. */
int fut_fd_install_at(struct fut_fdtable *files, struct fut_file *f, int fd, bool cloexec);
/* The file at fd (borrowed: no reference), or NULL for a bad descriptor. */
struct fut_file *fut_fd_lookup(const struct fut_fdtable *files, int fd);
int fut_fd_close(struct fut_fdtable *files, int fd);
bool fut_fd_cloexec(const struct fut_fdtable *files, int fd);
void fut_fd_set_cloexec(struct fut_fdtable *files, int fd, bool on);
void fut_fdtable_close_on_exec(struct fut_fdtable *files);
/* Open descriptors (tests and /proc). */
int fut_fdtable_count(const struct fut_fdtable *files);

#ifdef __cplusplus
}
#endif

#endif
