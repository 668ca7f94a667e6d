/*
 * util: what every coreutils program shares.
 *
 * Conventions (GNU/busybox): messages go to stderr as "prog: path: reason",
 * exit status 0 is success, 1 an operational error (a missing file, say),
 * 2 bad usage ("prog: invalid option -- 'z'" and a usage line).
 *
 * Each program calls cu_init() first thing in main().
 */
#ifndef COREUTILS_UTIL_H
#define COREUTILS_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h> /* optind, optarg for cu_getopt users */

enum {
    EXIT_USAGE = 2,
};

/* Names the program in messages; `usage` is the text after "usage: ". */
void cu_init(const char *name, const char *usage);

/* "prog: path: strerror(errno)" on stderr. errno is preserved. */
void cu_error(const char *path);
/* "prog: <formatted>" on stderr. */
void cu_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "usage: <usage>" on stderr, exit 2. */
_Noreturn void cu_usage(void);
/* cu_errorf then cu_usage: a bad operand or option argument. */
_Noreturn void cu_usage_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * getopt_long without long options: permutes (options may follow operands,
 * "--" ends them), and on an unknown option or a missing argument reports it
 * and exits through cu_usage(). Never returns '?' or ':'.
 */
int cu_getopt(int argc, char **argv, const char *optstring);

/* A decimal number that fits `unsigned long long`; 0 if `s` is one, -1 if not. */
int cu_parse_number(const char *s, unsigned long long *out);

/* open(path, O_RDONLY), with "-" meaning standard input. */
int cu_open_input(const char *path);
/* Closes what cu_open_input returned (leaves stdin open). */
void cu_close_input(int fd);

/* Writes all of buf, retrying short writes; 0 or -1 with errno. */
int cu_write_all(int fd, const void *buf, size_t len);

/*
 * The directory standing for /proc: $FUTURA_PROC_DIR if set (tests point it at
 * a fixture tree), "/proc" otherwise.
 */
const char *cu_proc_dir(void);

/* "dir/name" in a fresh buffer; the slash is not doubled after "dir/". */
char *cu_path_join(const char *dir, const char *name);
/*
 * The names in directory `path` except "." and "..", sorted bytewise, as a
 * malloc'd array of malloc'd strings (free with cu_free_names). Reading the
 * whole directory first keeps one descriptor open however deep a walk goes,
 * and lets callers remove entries while walking. 0, or -1 with errno.
 */
int cu_list_dir(const char *path, char ***names, size_t *count);
void cu_free_names(char **names, size_t count);

/*
 * The operands of cp, mv and ln: "SOURCE DEST" or "SOURCE... DIRECTORY".
 * `operands` are the n >= 0 operands left after options; with fewer than two
 * it is a usage error ("missing file operand", or `missing_dest` for one).
 * When the last is an existing directory (or a link to one) each source goes
 * to DIRECTORY/<its base name>; else there must be exactly one source. Calls
 * `op(source, destination, ctx)` for each and returns the OR of the results.
 */
int cu_for_each_source(char **operands, int n, const char *missing_dest,
                       int (*op)(const char *src, const char *dst, void *ctx), void *ctx);

/* The last component of `path` ("a/b/" -> "b", "/" -> "/"), in a fresh buffer. */
char *cu_basename(const char *path);

/*
 * Several inputs read as one stream (od, hexdump): FILE operands in order,
 * "-" or none meaning standard input. Files that cannot be opened or read
 * are reported and skipped, and `status` becomes 1.
 */
struct cu_inputs {
    char **paths; /* the operands, or just "-" when there were none */
    int count;
    int next;         /* index of the next operand to open */
    int fd;           /* the open input, or -1 */
    const char *name; /* its name for messages */
    int status;
};
void cu_inputs_init(struct cu_inputs *in, char **paths, int count);
/* Reads up to len bytes, as many as the inputs have (crossing files); 0 at the end. */
size_t cu_inputs_read(struct cu_inputs *in, void *buf, size_t len);

/* "drwxr-xr-x": the file type letter and permission bits, as ls -l shows them. */
enum { CU_MODE_STRING_SIZE = 11 };
void cu_mode_string(mode_t mode, char out[CU_MODE_STRING_SIZE]);

/* malloc/realloc/strdup that report and exit 1 instead of returning NULL. */
void *cu_xmalloc(size_t n);
void *cu_xrealloc(void *p, size_t n);
char *cu_xstrdup(const char *s);

/* Flushes stdout; on failure (a full disk, a closed pipe) reports it and returns 1. */
int cu_flush_stdout(void);

#endif
