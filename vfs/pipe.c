/*
 * Anonymous pipes: a ring buffer behind one S_IFIFO vnode, readers and
 * writers that sleep on wait queues, and the global poll wait queue. See
 * futura/vfs/pipe.h for the rules callers rely on.
 *
 * Every pipe lives in one internal filesystem instance, set up with the first
 * pipe and torn down with the last, so the VFS's filesystem count is back at
 * its baseline whenever no pipe exists. Inode numbers keep counting across
 * instances, so (st_dev, st_ino) never names two pipes.
 */
#include "futura/vfs/pipe.h"

#include "futura/errno.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/scheduler/arch.h"

struct pipe {
    struct fut_vnode vnode;      /* first: the VFS hands us &pipe->vnode */
    char *ring;                  /* FUT_PIPE_SIZE bytes */
    size_t head;                 /* ring index of the oldest unread byte */
    size_t count;                /* unread bytes, starting at head */
    uint32_t readers;            /* open files that can read (open/release) */
    uint32_t writers;            /* open files that can write (open/release) */
    struct fut_waitq read_wait;  /* readers waiting for data or for the last writer to go */
    struct fut_waitq write_wait; /* writers waiting for room or for the last reader to go */
    struct fut_timespec created; /* every timestamp stat reports */
};

struct fut_waitq fut_poll_waitq = FUT_WAITQ_INIT(fut_poll_waitq);

static struct fut_fs pipefs;  /* set up while live_pipes > 0 */
static uint64_t live_pipes;   /* pipes made and not yet freed */
static uint64_t next_ino = 1; /* never reused */
static void (*sigpipe_hook)(void);

static struct pipe *pipe_of(struct fut_vnode *vn)
{
    return (struct pipe *)vn;
}

static bool can_read(uint32_t fflags)
{
    uint32_t acc = fflags & FUT_O_ACCMODE;
    return acc == FUT_O_RDONLY || acc == FUT_O_RDWR;
}

static bool can_write(uint32_t fflags)
{
    uint32_t acc = fflags & FUT_O_ACCMODE;
    return acc == FUT_O_WRONLY || acc == FUT_O_RDWR;
}

void fut_poll_notify(void)
{
    fut_waitq_wake_all(&fut_poll_waitq);
}

void fut_pipe_set_sigpipe_hook(void (*hook)(void))
{
    sigpipe_hook = hook;
}

uint64_t fut_pipe_count(void)
{
    return live_pipes;
}

/* ---- the ring ---- */

/* Copies n <= count bytes out from head and frees their room. */
static void ring_take(struct pipe *p, char *dst, size_t n)
{
    size_t first = FUT_PIPE_SIZE - p->head < n ? FUT_PIPE_SIZE - p->head : n;
    memcpy(dst, p->ring + p->head, first);
    memcpy(dst + first, p->ring, n - first);
    p->head = (p->head + n) % FUT_PIPE_SIZE;
    p->count -= n;
}

/* Appends n <= FUT_PIPE_SIZE - count bytes after the unread ones. */
static void ring_put(struct pipe *p, const char *src, size_t n)
{
    size_t tail = (p->head + p->count) % FUT_PIPE_SIZE;
    size_t first = FUT_PIPE_SIZE - tail < n ? FUT_PIPE_SIZE - tail : n;
    memcpy(p->ring + tail, src, first);
    memcpy(p->ring, src + first, n - first);
    p->count += n;
}

/* The other side's condition changed: wake its waiters and every poller. */
static void wake_other_side(struct fut_waitq *wq)
{
    fut_waitq_wake_all(wq);
    fut_poll_notify();
}

/* ---- vnode ops ---- */

/* Every waiter re-checks its condition when woken, so waking all of a queue
 * is always correct; FIFO order decides who gets the data first. */
static int64_t pipe_read(struct fut_vnode *vn, void *buf, size_t len, uint64_t off, uint32_t fflags)
{
    (void)off;
    struct pipe *p = pipe_of(vn);
    if (len == 0)
        return 0;
    int64_t rc;
    uint64_t irq = fut_irq_save();
    while (p->count == 0) {
        if (p->writers == 0) {
            rc = 0; /* end of file */
            goto out;
        }
        if (fflags & FUT_O_NONBLOCK) {
            rc = -EAGAIN;
            goto out;
        }
        if (fut_waitq_wait(&p->read_wait) == FUT_WAKE_INTERRUPTED) {
            rc = -EINTR;
            goto out;
        }
    }
    size_t n = len < p->count ? len : p->count;
    ring_take(p, buf, n);
    wake_other_side(&p->write_wait);
    rc = (int64_t)n;
out:
    fut_irq_restore(irq);
    return rc;
}

/* The bytes a write must find free before it copies anything: all of an
 * atomic write, at least one of a longer one. */
static size_t room_needed(size_t len, size_t done)
{
    return len <= FUT_PIPE_BUF ? len - done : 1;
}

static int64_t pipe_write(struct fut_vnode *vn, const void *buf, size_t len, uint64_t off,
                          uint32_t fflags)
{
    (void)off;
    struct pipe *p = pipe_of(vn);
    const char *src = buf;
    size_t done = 0;
    int64_t rc = 0;
    if (len == 0)
        return 0;
    uint64_t irq = fut_irq_save();
    while (done < len) {
        if (p->readers == 0) {
            if (sigpipe_hook)
                sigpipe_hook();
            rc = -EPIPE;
            break;
        }
        size_t room = FUT_PIPE_SIZE - p->count;
        if (room >= room_needed(len, done)) {
            size_t n = len - done < room ? len - done : room;
            ring_put(p, src + done, n);
            done += n;
            wake_other_side(&p->read_wait);
            continue;
        }
        if (fflags & FUT_O_NONBLOCK) {
            rc = -EAGAIN;
            break;
        }
        if (fut_waitq_wait(&p->write_wait) == FUT_WAKE_INTERRUPTED) {
            rc = -EINTR;
            break;
        }
    }
    fut_irq_restore(irq);
    return done ? (int64_t)done : rc;
}

static uint32_t pipe_poll(struct fut_vnode *vn, uint32_t fflags)
{
    struct pipe *p = pipe_of(vn);
    uint32_t mask = 0;
    uint64_t irq = fut_irq_save();
    if (can_read(fflags)) {
        if (p->count)
            mask |= FUT_POLLIN | FUT_POLLRDNORM;
        if (!p->writers)
            mask |= FUT_POLLHUP;
    }
    if (can_write(fflags)) {
        if (FUT_PIPE_SIZE - p->count >= FUT_PIPE_BUF)
            mask |= FUT_POLLOUT | FUT_POLLWRNORM;
        if (!p->readers)
            mask |= FUT_POLLERR;
    }
    fut_irq_restore(irq);
    return mask;
}

static int pipe_open(struct fut_vnode *vn, uint32_t fflags)
{
    struct pipe *p = pipe_of(vn);
    uint64_t irq = fut_irq_save();
    if (can_read(fflags))
        p->readers++;
    if (can_write(fflags))
        p->writers++;
    fut_irq_restore(irq);
    return 0;
}

/* The last close of an end wakes the other side: readers to see end of
 * file, writers to fail with -EPIPE. */
static void pipe_release(struct fut_vnode *vn, uint32_t fflags)
{
    struct pipe *p = pipe_of(vn);
    uint64_t irq = fut_irq_save();
    if (can_read(fflags) && --p->readers == 0)
        fut_waitq_wake_all(&p->write_wait);
    if (can_write(fflags) && --p->writers == 0)
        fut_waitq_wake_all(&p->read_wait);
    fut_poll_notify();
    fut_irq_restore(irq);
}

static int pipe_getattr(struct fut_vnode *vn, struct fut_stat *st)
{
    struct pipe *p = pipe_of(vn);
    st->st_atim = st->st_mtim = st->st_ctim = p->created;
    return 0;
}

/* No file refers to the pipe any more: free it, and the pipe filesystem
 * with the last pipe. */
static void pipe_inactive(struct fut_vnode *vn)
{
    struct pipe *p = pipe_of(vn);
    fut_kfree(p->ring);
    fut_vnode_fini(vn);
    fut_kfree(p);
    if (--live_pipes == 0)
        fut_fs_destroy(&pipefs);
}

static const struct fut_vnode_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .getattr = pipe_getattr,
    .open = pipe_open,
    .release = pipe_release,
    .inactive = pipe_inactive,
    .poll = pipe_poll,
};

/* ---- making pipes ---- */

/* Each pipe frees itself; nothing is left when the instance goes. */
static void pipefs_destroy(struct fut_fs *fs)
{
    (void)fs;
}

static const struct fut_fs_ops pipefs_ops = {.destroy = pipefs_destroy};

/* A pipe with no open files (refcount 0), or NULL without memory. */
static struct pipe *pipe_alloc(void)
{
    struct pipe *p = fut_kzalloc(sizeof(*p));
    if (!p)
        return NULL;
    p->ring = fut_kmalloc(FUT_PIPE_SIZE);
    if (!p->ring) {
        fut_kfree(p);
        return NULL;
    }
    if (live_pipes++ == 0)
        fut_fs_init(&pipefs, &pipefs_ops, "pipefs");
    fut_vnode_init(&p->vnode, &pipefs, &pipe_ops, FUT_S_IFIFO | 0600, next_ino++);
    p->vnode.flags = FUT_VNODE_STREAM;
    fut_waitq_init(&p->read_wait);
    fut_waitq_init(&p->write_wait);
    fut_vfs_now(&p->created);
    return p;
}

int fut_pipe_create(struct fut_file **rd, struct fut_file **wr, uint32_t flags)
{
    if (flags & ~FUT_O_NONBLOCK)
        return -EINVAL;
    struct pipe *p = pipe_alloc();
    if (!p)
        return -ENOMEM;
    /* Our own reference keeps the pipe alive between the two opens; putting
     * it frees the pipe if they failed. */
    struct fut_vnode *vn = &p->vnode;
    fut_vnode_get(vn);
    int rc = fut_vfs_open_vnode(vn, FUT_O_RDONLY | flags, rd);
    if (rc == 0) {
        rc = fut_vfs_open_vnode(vn, FUT_O_WRONLY | flags, wr);
        if (rc)
            fut_vfs_close(*rd);
    }
    fut_vnode_put(vn);
    return rc;
}
