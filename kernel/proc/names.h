/*
 * The names /proc shows for a process - struct fut_process's comm, cmdline
 * and exe_path (see task.h). Private to kernel/proc.
 */
#ifndef FUTURA_PROC_NAMES_H
#define FUTURA_PROC_NAMES_H

#include <stddef.h>

#include "futura/scheduler/task.h"
#include "futura/vfs/vnode.h"

/* A program's names, built by exec before its point of no return. */
struct fut_proc_names {
    char comm[16];
    char *cmdline; /* kmalloc'd or NULL */
    size_t cmdline_len;
    char *exe_path; /* kmalloc'd or NULL */
};

/* comm = the basename of path (cut to 15 bytes, as Linux), cmdline = argv
 * (NULL-terminated; may be NULL), exe_path = path made absolute against
 * cwd (NULL = the root), or NULL when cwd is no longer in the tree.
 * -ENOMEM, with nothing to free. */
int fut_proc_names_build(struct fut_proc_names *n, struct fut_vnode *cwd, const char *path,
                         const char *const *argv);
/* Gives p the names (taking their memory) and frees p's old ones. */
void fut_proc_names_install(struct fut_process *p, struct fut_proc_names *n);
/* fork: child gets copies of parent's names. -ENOMEM (child keeps none). */
int fut_proc_names_copy(struct fut_process *child, const struct fut_process *parent);
/* exit: frees cmdline and exe_path; comm stays, so a zombie keeps its name. */
void fut_proc_names_release(struct fut_process *p);

#endif
