/*
 * Anonymous pipes, and the wait queue every poll(2)/select(2) sleeps on.
 *
 * A pipe is one vnode (S_IFIFO | 0600, FUT_VNODE_STREAM: lseek, pread and
 * pwrite fail with -ESPIPE) in an internal pipe filesystem, holding a ring
 * of FUT_PIPE_SIZE bytes, and two open files: a read end and a write end.
 * dup and fork share those files; the pipe counts the open files of each
 * kind through the vnode's open/release ops, so the last close of either
 * end is seen however many descriptors shared it.
 *
 * Reading (through fut_vfs_read on the read end):
 *   - returns what is there, at most len bytes, as soon as there is any;
 *   - empty with a writer left: waits (FIFO), or -EAGAIN with O_NONBLOCK;
 *   - empty with no writer left: 0 (end of file), O_NONBLOCK or not.
 * Writing (fut_vfs_write on the write end):
 *   - len <= FUT_PIPE_BUF is atomic: it waits until all len bytes fit and
 *     then copies them in one go, so such writes never interleave; with
 *     O_NONBLOCK it is -EAGAIN unless all of it fits now;
 *   - a longer write copies whatever fits, waits for room, and goes on until
 *     done; other writers' data may land between its pieces. With
 *     O_NONBLOCK it returns what fitted, or -EAGAIN if nothing did;
 *   - no reader left: -EPIPE (or the count written so far), and the SIGPIPE
 *     hook runs in the writer's context;
 *   - len 0 returns 0 at once.
 * A wait interrupted by fut_thread_interrupt (a signal) returns -EINTR, or
 * the count already moved if there is one.
 *
 * Readiness (fut_vfs_poll): the read end is POLLIN|POLLRDNORM while data is
 * waiting and POLLHUP once no writer is left; the write end is
 * POLLOUT|POLLWRNORM while at least FUT_PIPE_BUF bytes are free (so an
 * atomic write fits) and POLLERR once no reader is left.
 *
 * The kernel's layers: this library blocks, so unlike the VFS core it calls
 * the scheduler (wait queues). It does not know processes: who receives
 * SIGPIPE is the business of the system-call layer, which installs the hook.
 *
 * Locking: single CPU; every state change and every check-then-wait runs
 * with interrupts masked (see waitq.h), and pipes are only used from
 * thread context.
 */
#ifndef FUTURA_VFS_PIPE_H
#define FUTURA_VFS_PIPE_H

#include <stdint.h>

#include "futura/scheduler/waitq.h"
#include "futura/vfs/vfs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FUT_PIPE_BUF 4096   /* writes up to this size are atomic (PIPE_BUF) */
#define FUT_PIPE_SIZE 65536 /* bytes a pipe holds (Linux's default capacity) */

/* Makes a pipe: *rd is its read end (FUT_O_RDONLY), *wr its write end
 * (FUT_O_WRONLY), each with one reference for the caller. flags may hold
 * FUT_O_NONBLOCK, which both ends get; anything else is -EINVAL (close-on-
 * exec is a descriptor flag, the caller's business). -ENOMEM. */
int fut_pipe_create(struct fut_file **rd, struct fut_file **wr, uint32_t flags);

/* Called, in the writer's context, every time a write fails for want of a
 * reader (before it returns -EPIPE or its partial count). NULL: nothing. */
void fut_pipe_set_sigpipe_hook(void (*hook)(void));

/*
 * Poll wake-ups. A thread can wait on one queue only, so poll and select
 * sleep on this single global queue, and every change of any pollable
 * object's readiness (every pipe read, write and close; the tty's input)
 * wakes all of it with fut_poll_notify; each sleeper then scans its
 * descriptors again. That costs a rescan per change, fine on one CPU with a
 * few pollers; per-object queues come when a thread can wait on several.
 * Check readiness and wait with interrupts masked, as waitq.h says.
 */
extern struct fut_waitq fut_poll_waitq;
void fut_poll_notify(void);

/* Pipes alive (made and not yet freed), for tests and /proc. */
uint64_t fut_pipe_count(void);

#ifdef __cplusplus
}
#endif

#endif
