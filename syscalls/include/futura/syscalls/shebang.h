/*
 * "#!" scripts: the interpreter line exec follows.
 *
 * A file whose first bytes are "#!" runs as `interpreter [arg] script
 * args...`. Following Linux: the line is read from the first
 * FUT_SHEBANG_MAX bytes of the file; spaces and tabs before the interpreter
 * are skipped; the interpreter is the first word; everything after it up to
 * the end of the line, with surrounding blanks trimmed, is one optional
 * argument (not split further). A line with no interpreter, or whose
 * interpreter name does not end within the buffer, is -ENOEXEC.
 *
 * Pure parsing over the caller's buffer (the script is user input): no
 * allocation, no reads outside [buf, buf + len).
 */
#ifndef FUTURA_SYSCALLS_SHEBANG_H
#define FUTURA_SYSCALLS_SHEBANG_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    FUT_SHEBANG_MAX = 256, /* Linux's BINPRM_BUF_SIZE */
    FUT_SHEBANG_DEPTH = 4, /* scripts naming scripts: deeper is -ELOOP */
};

struct fut_shebang {
    /* NUL-terminated copies; arg is "" when has_arg is false. */
    char interp[FUT_SHEBANG_MAX];
    char arg[FUT_SHEBANG_MAX];
    bool has_arg;
};

/* Does the file start with "#!"? */
bool fut_shebang_is_script(const void *buf, size_t len);

/* Parses the first `len` bytes of a script; 0, or -ENOEXEC. */
int fut_shebang_parse(const void *buf, size_t len, struct fut_shebang *out);

#ifdef __cplusplus
}
#endif

#endif
