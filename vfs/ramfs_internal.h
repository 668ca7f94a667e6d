/* Private to RamFS (ramfs.c, ramfs_dir.c, ramfs_file.c). */
#ifndef FUTURA_VFS_RAMFS_INTERNAL_H
#define FUTURA_VFS_RAMFS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "futura/vfs/ramfs.h"

struct ramfs_node;

/* A name in a directory. Entries are listed in cookie order, which is
 * creation order: a new entry always gets a cookie above every other. */
struct ramfs_dirent {
    struct ramfs_dirent *prev, *next;
    struct ramfs_node *node; /* counted in node->nlink */
    uint64_t cookie;
    uint16_t namelen;
    char name[]; /* NUL-terminated */
};

/* A file's pages: height 0 means root is the data frame of page 0 (or 0);
 * height h > 0 means root is a radix node of 512 slots covering 512^h pages.
 * Slots hold physical addresses (0 = empty); nodes and data are PMM frames. */
struct ramfs_pages {
    uint64_t root;
    unsigned int height;
};

struct ramfs_node {
    struct fut_vnode vn; /* must stay first */
    uint32_t nlink; /* names of this node: dirents, plus "." and subdirs' ".." for directories */
    uint32_t uid, gid;
    struct fut_timespec atime, mtime, ctime;
    union {
        struct {
            struct ramfs_pages pages;
            uint64_t size;
            uint64_t nr_frames; /* data frames held (st_blocks) */
        } file;
        struct {
            struct ramfs_dirent *head, *tail;
            uint64_t next_cookie; /* cookie of the next entry added */
            uint64_t nentries;
            struct ramfs_node *parent; /* NULL for the root and for removed directories */
        } dir;
        struct {
            char *target; /* fut_kmalloc'ed, NUL-terminated */
            size_t len;
        } link;
    };
};

struct ramfs {
    struct fut_fs fs; /* must stay first */
    uint64_t next_ino;
};

static inline struct ramfs_node *ramfs_node(struct fut_vnode *vn)
{
    return (struct ramfs_node *)vn;
}

/* Timestamp fields ramfs_touch updates. */
#define RAMFS_ATIME 0x1u
#define RAMFS_MTIME 0x2u
#define RAMFS_CTIME 0x4u
void ramfs_touch(struct ramfs_node *n, unsigned int which);

/* A new node of the given type with no names and no references. */
struct ramfs_node *ramfs_node_alloc(struct fut_fs *fs, uint32_t mode);
/* Frees n if it has neither names nor references. */
void ramfs_node_release_if_unused(struct ramfs_node *n);
/* Frees n's memory unconditionally (its directory must be empty). */
void ramfs_node_free(struct ramfs_node *n);

/* Frees every data frame and radix node of a file. */
void ramfs_file_free_pages(struct ramfs_node *n);

extern const struct fut_vnode_ops ramfs_dir_ops;
extern const struct fut_vnode_ops ramfs_file_ops;
extern const struct fut_vnode_ops ramfs_symlink_ops;

/* Ops every node type shares. */
int ramfs_getattr(struct fut_vnode *vn, struct fut_stat *st);
int ramfs_setattr(struct fut_vnode *vn, const struct fut_setattr *attr);
void ramfs_inactive(struct fut_vnode *vn);

/* Removes the entry from dir (the node keeps its link count; the caller
 * adjusts it) and frees the entry. */
void ramfs_dir_remove_entry(struct ramfs_node *dir, struct ramfs_dirent *e);

#endif
