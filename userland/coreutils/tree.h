/*
 * tree: copying and removing files and whole directory trees, shared by cp,
 * mv (its cross-file-system fallback) and rm. Both report every failure
 * themselves ("prog: path: reason"), carry on with the rest of the tree, and
 * return 0 if everything succeeded, 1 otherwise.
 */
#ifndef COREUTILS_TREE_H
#define COREUTILS_TREE_H

/*
 * Copies src to dst (which names the copy itself, not a directory to put it
 * in). Without `recursive` src must not be a directory and symbolic links are
 * followed; with it directories are copied with their contents and symbolic
 * links are copied as links. Regular files keep their permission bits.
 */
int tree_copy(const char *src, const char *dst, int recursive);

/*
 * Removes path; directories only with `recursive` (contents first). With
 * `force` a path that does not exist is not an error.
 */
int tree_remove(const char *path, int recursive, int force);

/* 1 if dst is src or lies below it (copying src to dst would never end). */
int tree_is_inside(const char *src, const char *dst);

#endif
