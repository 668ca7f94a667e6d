/*
 * Access to user memory from the kernel. Every pointer a user program passes
 * goes through these: the range must lie wholly in the user half (no
 * wrapping, no kernel addresses), and faults that cannot be resolved return
 * -EFAULT instead of crashing the kernel.
 */
#ifndef FUTURA_UACCESS_H
#define FUTURA_UACCESS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 0 on success, -EFAULT if any byte is outside the user half or unmapped. */
int fut_copy_from_user(void *dst, const void *user_src, size_t n);
int fut_copy_to_user(void *user_dst, const void *src, size_t n);

/* Copies a NUL-terminated string of at most max-1 characters plus NUL.
 * Returns its length, -ENAMETOOLONG if no NUL within max bytes, -EFAULT. */
long fut_strncpy_from_user(char *dst, const char *user_src, size_t max);

#ifdef __cplusplus
}
#endif

#endif
