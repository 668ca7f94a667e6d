/*
 * ProcFS instances and nodes: the /proc directory, the /proc/<pid>
 * directories, and the files and symlinks in them (see procfs.h).
 *
 * Only the root directory is permanent. Every lookup makes a fresh node
 * with one reference, and the node is freed when its last reference goes
 * (inactive). A file's text is rendered at its node's first open and kept
 * with the node, so one open file always reads one snapshot, and the next
 * open(2) - a new lookup - renders again. Inode numbers are stable: the
 * same name always has the same st_ino.
 *
 * Directory cookies in /proc: 0 and 1 are "." and "..", the fixed entries
 * follow, and a process's directory sits at PID_COOKIE_BASE + pid, so a
 * listing stays in pid order and neither skips nor repeats a process when
 * others come and go in between.
 */
#include <stdbool.h>

#include "futura/errno.h"
#include "futura/lib/format.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/scheduler/sched.h"
#include "futura/scheduler/task.h"
#include "futura/vfs/vfs.h"
#include "procfs_internal.h"

struct procfs_entry {
    const char *name;
    uint32_t mode;
    procfs_render_fn render; /* NULL for symlinks */
};

/* Names reserved at the top; any other name must be a live pid. */
static const struct procfs_entry root_entries[] = {
    {"cpuinfo", FUT_S_IFREG | 0444, procfs_render_cpuinfo},
    {"kmsg", FUT_S_IFREG | 0400, procfs_render_kmsg},
    {"loadavg", FUT_S_IFREG | 0444, procfs_render_loadavg},
    {"meminfo", FUT_S_IFREG | 0444, procfs_render_meminfo},
    {"mounts", FUT_S_IFREG | 0444, procfs_render_mounts},
    {"self", FUT_S_IFLNK | 0777, NULL},
    {"stat", FUT_S_IFREG | 0444, procfs_render_stat_sys},
    {"uptime", FUT_S_IFREG | 0444, procfs_render_uptime},
    {"version", FUT_S_IFREG | 0444, procfs_render_version},
};

static const struct procfs_entry pid_entries[] = {
    {"cmdline", FUT_S_IFREG | 0444, procfs_render_cmdline},
    {"comm", FUT_S_IFREG | 0444, procfs_render_comm},
    {"exe", FUT_S_IFLNK | 0777, NULL},
    {"maps", FUT_S_IFREG | 0444, procfs_render_maps},
    {"stat", FUT_S_IFREG | 0444, procfs_render_stat},
    {"status", FUT_S_IFREG | 0444, procfs_render_status},
};

#define NR_ROOT_ENTRIES (sizeof(root_entries) / sizeof(root_entries[0]))
#define NR_PID_ENTRIES (sizeof(pid_entries) / sizeof(pid_entries[0]))

/* Inode numbers: 1 is /proc, 2.. its fixed entries; a process's directory
 * is pid << PID_INO_SHIFT and its entries follow it. */
#define ROOT_INO 1
#define PID_INO_SHIFT 4
_Static_assert(NR_PID_ENTRIES < (1u << PID_INO_SHIFT), "pid entries fit under the shift");
_Static_assert(2 + NR_ROOT_ENTRIES <= (1u << PID_INO_SHIFT), "fixed inodes stay below pid 1's");

#define PID_COOKIE_BASE (2 + NR_ROOT_ENTRIES)

struct procfs_node {
    struct fut_vnode vn;              /* must stay first */
    const struct procfs_entry *entry; /* NULL for directories */
    int pid;                          /* owner of a /proc/<pid> node; 0 at the top */
    struct fut_timespec time;         /* creation: atime = mtime = ctime */
    bool rendered;                    /* text holds the snapshot of the first open */
    char *text;                       /* kmalloc'd, or NULL for an empty file */
    size_t len;
};

struct procfs {
    struct fut_fs fs;        /* must stay first */
    struct procfs_node root; /* /proc itself, alive as long as the instance */
};

static const struct fut_vnode_ops procfs_root_ops, procfs_pid_dir_ops, procfs_file_ops,
    procfs_link_ops;

static struct procfs_node *node_of(struct fut_vnode *vn)
{
    return (struct procfs_node *)vn;
}

static struct procfs *procfs_of(struct fut_vnode *vn)
{
    return (struct procfs *)vn->fs;
}

static const struct fut_vnode_ops *ops_for(uint32_t mode, int pid)
{
    if (FUT_S_ISDIR(mode))
        return pid ? &procfs_pid_dir_ops : &procfs_root_ops;
    return FUT_S_ISLNK(mode) ? &procfs_link_ops : &procfs_file_ops;
}

/* A fresh node with one reference for the caller. */
static int node_new(struct fut_fs *fs, const struct procfs_entry *entry, int pid, uint32_t mode,
                    uint64_t ino, struct fut_vnode **out)
{
    struct procfs_node *n = fut_kzalloc(sizeof(*n));
    if (!n)
        return -ENOMEM;
    fut_vnode_init(&n->vn, fs, ops_for(mode, pid), mode, ino);
    n->entry = entry;
    n->pid = pid;
    fut_vfs_now(&n->time);
    fut_vnode_get(&n->vn);
    *out = &n->vn;
    return 0;
}

static void procfs_inactive(struct fut_vnode *vn)
{
    struct procfs_node *n = node_of(vn);
    if (n == &procfs_of(vn)->root)
        return;
    fut_kfree(n->text);
    fut_vnode_fini(vn);
    fut_kfree(n);
}

/* "1".."32767" without sign, leading zeros or trailing junk; 0 otherwise. */
static int parse_pid(const char *name)
{
    int pid = 0;
    if (name[0] < '1' || name[0] > '9')
        return 0;
    for (const char *c = name; *c; c++) {
        if (*c < '0' || *c > '9')
            return 0;
        pid = pid * 10 + (*c - '0');
        if (pid > FUT_PID_MAX)
            return 0;
    }
    return pid;
}

static uint64_t pid_dir_ino(int pid)
{
    return (uint64_t)pid << PID_INO_SHIFT;
}

static int root_lookup(struct fut_vnode *dir, const char *name, struct fut_vnode **out)
{
    if (strcmp(name, "..") == 0) {
        fut_vnode_get(dir);
        *out = dir;
        return 0;
    }
    for (size_t i = 0; i < NR_ROOT_ENTRIES; i++) {
        const struct procfs_entry *e = &root_entries[i];
        if (strcmp(name, e->name) == 0)
            return node_new(dir->fs, e, 0, e->mode, 2 + i, out);
    }
    int pid = parse_pid(name);
    if (!pid || !fut_process_find(pid))
        return -ENOENT;
    return node_new(dir->fs, NULL, pid, FUT_S_IFDIR | 0555, pid_dir_ino(pid), out);
}

static int pid_dir_lookup(struct fut_vnode *dir, const char *name, struct fut_vnode **out)
{
    if (strcmp(name, "..") == 0) {
        struct fut_vnode *root = &procfs_of(dir)->root.vn;
        fut_vnode_get(root);
        *out = root;
        return 0;
    }
    int pid = node_of(dir)->pid;
    if (!fut_process_find(pid))
        return -ENOENT;
    for (size_t i = 0; i < NR_PID_ENTRIES; i++) {
        const struct procfs_entry *e = &pid_entries[i];
        if (strcmp(name, e->name) == 0)
            return node_new(dir->fs, e, pid, e->mode, pid_dir_ino(pid) + 1 + i, out);
    }
    return -ENOENT;
}

static void fill_dirent(struct fut_dirent *out, const char *name, uint64_t ino, uint32_t mode,
                        uint64_t next)
{
    size_t len = strlen(name);
    out->ino = ino;
    out->next = next;
    out->type = fut_mode_to_dtype(mode);
    out->namelen = (uint16_t)len;
    memcpy(out->name, name, len + 1);
}

/* "." and ".." of a directory whose parent is /proc (or /proc itself). */
static void fill_dots(struct fut_vnode *dir, uint64_t cookie, struct fut_dirent *out)
{
    uint64_t ino = cookie == 0 ? dir->ino : ROOT_INO;
    fill_dirent(out, cookie == 0 ? "." : "..", ino, FUT_S_IFDIR, cookie + 1);
}

static int root_readdir(struct fut_vnode *dir, uint64_t cookie, struct fut_dirent *out)
{
    if (cookie <= 1) {
        fill_dots(dir, cookie, out);
        return 1;
    }
    if (cookie < PID_COOKIE_BASE) {
        size_t i = cookie - 2;
        const struct procfs_entry *e = &root_entries[i];
        fill_dirent(out, e->name, 2 + i, e->mode, cookie + 1);
        return 1;
    }
    uint64_t first_pid = cookie - PID_COOKIE_BASE; /* the smallest pid still to list */
    if (first_pid > FUT_PID_MAX)
        return 0;
    struct fut_process *p = fut_process_next(first_pid ? (int)first_pid - 1 : 0);
    if (!p)
        return 0;
    char name[12];
    fut_snprintf(name, sizeof(name), "%d", p->pid);
    fill_dirent(out, name, pid_dir_ino(p->pid), FUT_S_IFDIR, PID_COOKIE_BASE + p->pid + 1);
    return 1;
}

static int pid_dir_readdir(struct fut_vnode *dir, uint64_t cookie, struct fut_dirent *out)
{
    if (cookie <= 1) {
        fill_dots(dir, cookie, out);
        return 1;
    }
    int pid = node_of(dir)->pid;
    if (cookie - 2 >= NR_PID_ENTRIES || !fut_process_find(pid))
        return 0;
    size_t i = cookie - 2;
    const struct procfs_entry *e = &pid_entries[i];
    fill_dirent(out, e->name, pid_dir_ino(pid) + 1 + i, e->mode, cookie + 1);
    return 1;
}

static int procfs_getattr(struct fut_vnode *vn, struct fut_stat *st)
{
    struct procfs_node *n = node_of(vn);
    if (FUT_S_ISDIR(vn->mode))
        st->st_nlink = 2;
    st->st_atim = st->st_mtim = st->st_ctim = n->time;
    return 0; /* st_size 0, as Linux: the length is known only by reading */
}

static int render(struct procfs_node *n)
{
    struct fut_process *p = NULL;
    if (n->pid) {
        p = fut_process_find(n->pid);
        if (!p)
            return -ENOENT;
    }
    struct procfs_buf b = {0};
    int rc = n->entry->render(&b, p);
    if (!rc)
        rc = b.error;
    if (rc) {
        procfs_buf_free(&b);
        return rc;
    }
    n->text = b.data;
    n->len = b.len;
    n->rendered = true;
    return 0;
}

static int procfs_open(struct fut_vnode *vn, uint32_t fflags)
{
    if ((fflags & FUT_O_ACCMODE) != FUT_O_RDONLY)
        return -EACCES;
    struct procfs_node *n = node_of(vn);
    if (n->entry && n->entry->render && !n->rendered)
        return render(n);
    return 0;
}

static int64_t procfs_read(struct fut_vnode *vn, void *buf, size_t len, uint64_t off,
                           uint32_t fflags)
{
    (void)fflags;
    struct procfs_node *n = node_of(vn);
    if (off >= n->len)
        return 0;
    if (len > n->len - off)
        len = n->len - (size_t)off;
    memcpy(buf, n->text + off, len);
    return (int64_t)len;
}

/* Copies at most size bytes of target and returns its full length. */
static int64_t copy_target(const char *target, char *buf, size_t size)
{
    size_t len = strlen(target);
    memcpy(buf, target, len < size ? len : size);
    return (int64_t)len;
}

static int64_t procfs_readlink(struct fut_vnode *vn, char *buf, size_t size)
{
    struct procfs_node *n = node_of(vn);
    if (n->pid == 0) { /* self */
        struct fut_thread *t = fut_sched_current();
        if (!t || !t->proc)
            return -ENOENT; /* a kernel thread has no process to point at */
        char pid[12];
        fut_snprintf(pid, sizeof(pid), "%d", t->proc->pid);
        return copy_target(pid, buf, size);
    }
    struct fut_process *p = fut_process_find(n->pid); /* exe */
    if (!p || !p->exe_path)
        return -ENOENT;
    return copy_target(p->exe_path, buf, size);
}

static const struct fut_vnode_ops procfs_root_ops = {
    .lookup = root_lookup,
    .readdir = root_readdir,
    .getattr = procfs_getattr,
    .open = procfs_open,
    .inactive = procfs_inactive,
};

static const struct fut_vnode_ops procfs_pid_dir_ops = {
    .lookup = pid_dir_lookup,
    .readdir = pid_dir_readdir,
    .getattr = procfs_getattr,
    .open = procfs_open,
    .inactive = procfs_inactive,
};

static const struct fut_vnode_ops procfs_file_ops = {
    .read = procfs_read,
    .getattr = procfs_getattr,
    .open = procfs_open,
    .inactive = procfs_inactive,
};

static const struct fut_vnode_ops procfs_link_ops = {
    .readlink = procfs_readlink,
    .getattr = procfs_getattr,
    .inactive = procfs_inactive,
};

/* Called when no vnode is referenced: every node but the root is gone. */
static void procfs_destroy(struct fut_fs *fs)
{
    struct procfs *pfs = (struct procfs *)fs;
    fut_vnode_fini(&pfs->root.vn);
    fut_kfree(pfs);
}

static const struct fut_fs_ops procfs_fs_ops = {.destroy = procfs_destroy};

int fut_procfs_create(struct fut_fs **out)
{
    struct procfs *pfs = fut_kzalloc(sizeof(*pfs));
    if (!pfs)
        return -ENOMEM;
    fut_fs_init(&pfs->fs, &procfs_fs_ops, "proc");
    fut_vnode_init(&pfs->root.vn, &pfs->fs, &procfs_root_ops, FUT_S_IFDIR | 0555, ROOT_INO);
    fut_vfs_now(&pfs->root.time);
    pfs->fs.root = &pfs->root.vn;
    *out = &pfs->fs;
    return 0;
}
