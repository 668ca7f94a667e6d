/*
 * The kernel's formatted-print engine: printf-style formatting into any sink.
 * Supports %d %i %u %x %X %o %p %s %c %% with flags (- 0 + space #), width and
 * precision (numbers or *), and the hh h l ll z t j length modifiers.
 * The same code backs printk in the kernel and is tested against the host libc.
 */
#ifndef FUTURA_LIB_FORMAT_H
#define FUTURA_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Receives formatted output in pieces; n bytes at s, not NUL-terminated. */
typedef void (*fut_sink_fn)(void *ctx, const char *s, size_t n);

/* Formats into sink; returns the number of characters produced. */
int fut_vformat(fut_sink_fn sink, void *ctx, const char *fmt, va_list ap);

/* Like vsnprintf: writes at most size-1 characters plus NUL, returns the
 * length the full output would have had. */
int fut_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fut_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif
