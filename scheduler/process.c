/*
 * Processes: the pid table, the process tree, exit and wait4's reaping.
 *
 * The pid table is three chained hash tables over the same records, keyed by
 * pid, pgid and sid. An id is free only when no record (zombies included)
 * uses it in any of the three roles, so a pid is never handed out while a
 * process group or session of that number still exists.
 *
 * Invariants:
 *  - Every record not yet freed is on the three chains of its ids.
 *  - p->parent is NULL or a RUNNING/EXITING process with p on its children;
 *    a process's children are all re-parented when it exits, so zombies and
 *    freed records have none.
 *  - A ZOMBIE has no threads and a parent (parentless ones are freed at once).
 */
#include "futura/errno.h"
#include "futura/lib/printk.h"
#include "futura/memory/kmalloc.h"
#include "futura/scheduler/arch.h"
#include "futura/scheduler/task.h"
#include "sched_internal.h"

#define ID_HASH_BUCKETS 256

static struct fut_process *id_hash[FUT_ID_KINDS][ID_HASH_BUCKETS];
static int last_pid; /* the pid handed out last; allocation resumes after it */

struct fut_task_stats fut_task_counts;

static int id_of(const struct fut_process *p, int kind)
{
    switch (kind) {
    case FUT_ID_PID: return p->pid;
    case FUT_ID_PGID: return p->pgid;
    default: return p->sid;
    }
}

static struct fut_process **id_bucket(int kind, int id)
{
    return &id_hash[kind][(unsigned)id % ID_HASH_BUCKETS];
}

static void id_hash_add(struct fut_process *p, int kind)
{
    struct fut_process **bucket = id_bucket(kind, id_of(p, kind));
    p->id_hash_next[kind] = *bucket;
    *bucket = p;
}

static void id_hash_remove(struct fut_process *p, int kind)
{
    struct fut_process **link = id_bucket(kind, id_of(p, kind));
    while (*link && *link != p)
        link = &(*link)->id_hash_next[kind];
    if (*link)
        *link = p->id_hash_next[kind];
    p->id_hash_next[kind] = NULL;
}

static struct fut_process *id_lookup(int kind, int id)
{
    for (struct fut_process *p = *id_bucket(kind, id); p; p = p->id_hash_next[kind])
        if (id_of(p, kind) == id)
            return p;
    return NULL;
}

static bool id_in_use(int id)
{
    for (int kind = 0; kind < FUT_ID_KINDS; kind++)
        if (id_lookup(kind, id))
            return true;
    return false;
}

static int pid_alloc(void)
{
    for (int tries = 0; tries < FUT_PID_MAX; tries++) {
        last_pid = last_pid >= FUT_PID_MAX ? 1 : last_pid + 1;
        if (!id_in_use(last_pid))
            return last_pid;
    }
    return -EAGAIN;
}

void fut_process_init(void)
{
    uint64_t flags = fut_irq_save();
    for (int kind = 0; kind < FUT_ID_KINDS; kind++)
        for (int i = 0; i < ID_HASH_BUCKETS; i++)
            id_hash[kind][i] = NULL;
    last_pid = 0;
    fut_irq_restore(flags);
}

int fut_process_create(struct fut_process *parent, struct fut_process **out)
{
    struct fut_process *p = fut_kzalloc(sizeof(*p));
    if (!p)
        return -ENOMEM;
    uint64_t flags = fut_irq_save();
    int rc = -EINVAL;
    if (parent && parent->state != FUT_PROCESS_RUNNING)
        goto fail;
    rc = pid_alloc();
    if (rc < 0)
        goto fail;
    p->pid = rc;
    p->pgid = parent ? parent->pgid : p->pid;
    p->sid = parent ? parent->sid : p->pid;
    p->state = FUT_PROCESS_RUNNING;
    fut_list_init(&p->children);
    fut_list_init(&p->threads);
    fut_waitq_init(&p->child_exit);
    p->parent = parent;
    if (parent)
        fut_list_add_tail(&parent->children, &p->sibling);
    for (int kind = 0; kind < FUT_ID_KINDS; kind++)
        id_hash_add(p, kind);
    fut_task_counts.live_processes++;
    fut_irq_restore(flags);
    *out = p;
    return 0;
fail:
    fut_irq_restore(flags);
    fut_kfree(p);
    return rc;
}

struct fut_process *fut_process_find(int pid)
{
    uint64_t flags = fut_irq_save();
    struct fut_process *p = pid > 0 ? id_lookup(FUT_ID_PID, pid) : NULL;
    fut_irq_restore(flags);
    return p;
}

struct fut_process *fut_process_next(int pid)
{
    uint64_t flags = fut_irq_save();
    struct fut_process *best = NULL;
    for (int i = 0; i < ID_HASH_BUCKETS; i++) {
        for (struct fut_process *p = id_hash[FUT_ID_PID][i]; p; p = p->id_hash_next[FUT_ID_PID])
            if (p->pid > pid && (!best || p->pid < best->pid))
                best = p;
    }
    fut_irq_restore(flags);
    return best;
}

/* Drops a record for good: a reaped zombie or a parentless one. */
static void process_free(struct fut_process *p)
{
    if (!fut_list_empty(&p->children) || p->nr_threads)
        fut_panic("process: freeing pid %d with children or threads", p->pid);
    for (int kind = 0; kind < FUT_ID_KINDS; kind++)
        id_hash_remove(p, kind);
    if (fut_list_linked(&p->sibling))
        fut_list_remove(&p->sibling);
    fut_task_counts.live_processes--;
    fut_kfree(p);
}

void fut_process_destroy(struct fut_process *p)
{
    uint64_t flags = fut_irq_save();
    if (p->state != FUT_PROCESS_RUNNING)
        fut_panic("process: destroy of pid %d in state %d", p->pid, (int)p->state);
    process_free(p);
    fut_irq_restore(flags);
}

static void become_zombie(struct fut_process *p)
{
    p->state = FUT_PROCESS_ZOMBIE;
    if (p->parent)
        fut_waitq_wake_all(&p->parent->child_exit);
    else
        process_free(p);
}

/* Hands p's children to PID 1, or leaves them parentless if there is no
 * running PID 1 (or p is PID 1). */
static void reparent_children(struct fut_process *p)
{
    struct fut_process *init = id_lookup(FUT_ID_PID, 1);
    if (init == p || (init && init->state != FUT_PROCESS_RUNNING))
        init = NULL;
    bool zombie_moved = false;
    struct fut_list *node;
    while ((node = fut_list_pop(&p->children))) {
        struct fut_process *child = fut_container_of(node, struct fut_process, sibling);
        child->parent = init;
        if (init) {
            fut_list_add_tail(&init->children, &child->sibling);
            zombie_moved |= child->state == FUT_PROCESS_ZOMBIE;
        } else if (child->state == FUT_PROCESS_ZOMBIE) {
            process_free(child);
        }
    }
    if (zombie_moved)
        fut_waitq_wake_all(&init->child_exit);
}

void fut_process_exit(struct fut_process *p, int wait_status)
{
    uint64_t flags = fut_irq_save();
    if (p->state == FUT_PROCESS_RUNNING) {
        p->state = FUT_PROCESS_EXITING;
        p->wait_status = wait_status;
        reparent_children(p);
        if (p->nr_threads == 0)
            become_zombie(p);
    }
    fut_irq_restore(flags);
}

void fut_process_thread_left(struct fut_process *p)
{
    if (p->nr_threads == 0 && p->state == FUT_PROCESS_EXITING)
        become_zombie(p);
}

static bool wait_selects(const struct fut_process *parent, const struct fut_process *child, int pid)
{
    if (pid > 0)
        return child->pid == pid;
    if (pid == -1)
        return true;
    if (pid == 0)
        return child->pgid == parent->pgid;
    return child->pgid == -pid;
}

#define WAIT_OPTIONS                                                                               \
    ((unsigned)FUT_WNOHANG | FUT_WUNTRACED | FUT_WCONTINUED | FUT_WNOTHREAD | FUT_WALL | FUT_WCLONE)

int fut_process_reap(struct fut_process *parent, int pid, int options, int *wait_status)
{
    if ((unsigned)options & ~WAIT_OPTIONS)
        return -EINVAL;
    if (pid == INT32_MIN)
        return -ESRCH;
    uint64_t flags = fut_irq_save();
    int rc = -ECHILD;
    for (struct fut_list *node = parent->children.next; node != &parent->children;
         node = node->next) {
        struct fut_process *child = fut_container_of(node, struct fut_process, sibling);
        if (!wait_selects(parent, child, pid))
            continue;
        if (child->state != FUT_PROCESS_ZOMBIE) {
            rc = 0;
            continue;
        }
        rc = child->pid;
        if (wait_status)
            *wait_status = child->wait_status;
        process_free(child);
        break;
    }
    fut_irq_restore(flags);
    return rc;
}

int fut_process_wait(struct fut_process *parent, int pid, int options, int *wait_status)
{
    /* Interrupts stay off from each look at the children to the block, so a
     * child that exits in between cannot slip its wake-up past us. */
    uint64_t flags = fut_irq_save();
    int rc;
    while ((rc = fut_process_reap(parent, pid, options, wait_status)) == 0 &&
           !(options & FUT_WNOHANG)) {
        if (fut_waitq_wait(&parent->child_exit) == FUT_WAKE_INTERRUPTED) {
            rc = -EINTR;
            break;
        }
    }
    fut_irq_restore(flags);
    return rc;
}

void fut_process_set_pgid(struct fut_process *p, int pgid)
{
    uint64_t flags = fut_irq_save();
    id_hash_remove(p, FUT_ID_PGID);
    p->pgid = pgid;
    id_hash_add(p, FUT_ID_PGID);
    fut_irq_restore(flags);
}

void fut_process_set_sid(struct fut_process *p, int sid)
{
    uint64_t flags = fut_irq_save();
    id_hash_remove(p, FUT_ID_SID);
    p->sid = sid;
    id_hash_add(p, FUT_ID_SID);
    fut_irq_restore(flags);
}

void fut_task_get_stats(struct fut_task_stats *out)
{
    *out = fut_task_counts;
}
