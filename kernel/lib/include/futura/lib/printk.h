/* Kernel logging: printk to the console (and the log buffer), panic for broken invariants. */
#ifndef FUTURA_LIB_PRINTK_H
#define FUTURA_LIB_PRINTK_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

int fut_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fut_vprintk(const char *fmt, va_list ap);

/* Copies up to size bytes of the most recent log text into buf; returns bytes copied.
 * The log keeps the last FUT_KLOG_SIZE bytes so dmesg can show boot messages. */
#define FUT_KLOG_SIZE 16384
size_t fut_klog_read(char *buf, size_t size);

/* Only for broken kernel invariants, never for anything user input can cause. */
__attribute__((noreturn, format(printf, 1, 2))) void fut_panic(const char *fmt, ...);

/* Exit status the machine reports after a panic. */
#define FUT_EXIT_PANIC 3

#ifdef __cplusplus
}
#endif

#endif
