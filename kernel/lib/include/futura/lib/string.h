/*
 * Memory and string routines. Kernel and host code both call the standard
 * names; in the kernel they come from kernel/lib/string.c (the compiler also
 * emits calls to memcpy/memset for struct copies), on the host from libc.
 */
#ifndef FUTURA_LIB_STRING_H
#define FUTURA_LIB_STRING_H

#include <stddef.h>

#ifdef FUT_KERNEL
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#else
#include <string.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Copies at most size-1 bytes and always NUL-terminates (size > 0); returns strlen(src). */
size_t fut_strlcpy(char *dst, const char *src, size_t size);

#ifdef __cplusplus
}
#endif

#endif
