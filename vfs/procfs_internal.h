/* Private to ProcFS (procfs*.c): the text buffer files are rendered into and
 * the renderers of each file. */
#ifndef FUTURA_VFS_PROCFS_INTERNAL_H
#define FUTURA_VFS_PROCFS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "futura/scheduler/task.h"
#include "futura/vfs/procfs.h"

/* A growing text buffer. The first failure to grow sets `error`; later
 * appends do nothing, so renderers write freely and check once at the end. */
struct procfs_buf {
    char *data; /* kmalloc'd, cap bytes; NULL until the first append */
    size_t len;
    size_t cap;
    int error; /* 0 or -ENOMEM */
};

void procfs_buf_append(struct procfs_buf *b, const void *s, size_t n);
void procfs_buf_printf(struct procfs_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends spaces until the buffer is `column` bytes past `line_start`. */
void procfs_buf_pad(struct procfs_buf *b, size_t line_start, size_t column);
void procfs_buf_free(struct procfs_buf *b);

/* Fills b with a file's text. p is the process of a /proc/<pid> file and
 * NULL for the files at the top. Returns 0 or a negative errno; b->error is
 * checked by the caller. */
typedef int (*procfs_render_fn)(struct procfs_buf *b, struct fut_process *p);

/* /proc/<pid>/... (procfs_pid.c) */
int procfs_render_stat(struct procfs_buf *b, struct fut_process *p);
int procfs_render_status(struct procfs_buf *b, struct fut_process *p);
int procfs_render_cmdline(struct procfs_buf *b, struct fut_process *p);
int procfs_render_comm(struct procfs_buf *b, struct fut_process *p);
int procfs_render_maps(struct procfs_buf *b, struct fut_process *p);

/* /proc/... (procfs_sys.c) */
int procfs_render_meminfo(struct procfs_buf *b, struct fut_process *p);
int procfs_render_stat_sys(struct procfs_buf *b, struct fut_process *p);
int procfs_render_loadavg(struct procfs_buf *b, struct fut_process *p);
int procfs_render_uptime(struct procfs_buf *b, struct fut_process *p);
int procfs_render_mounts(struct procfs_buf *b, struct fut_process *p);
int procfs_render_kmsg(struct procfs_buf *b, struct fut_process *p);
int procfs_render_version(struct procfs_buf *b, struct fut_process *p);
int procfs_render_cpuinfo(struct procfs_buf *b, struct fut_process *p);

#endif
