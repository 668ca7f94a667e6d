/* printk: the format engine writing to the HAL console and a log ring. */
#include "futura/lib/printk.h"

#include "futura/hal.h"
#include "futura/lib/format.h"

/* The log ring; klog_total counts every byte ever logged, so the oldest kept
 * byte is at klog_total - FUT_KLOG_SIZE once it wraps. */
static char klog[FUT_KLOG_SIZE];
static size_t klog_total;

static void console_sink(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    fut_hal_console_write(s, n);
    for (size_t i = 0; i < n; i++)
        klog[(klog_total + i) % FUT_KLOG_SIZE] = s[i];
    klog_total += n;
}

int fut_vprintk(const char *fmt, va_list ap)
{
    return fut_vformat(console_sink, 0, fmt, ap);
}

int fut_printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fut_vprintk(fmt, ap);
    va_end(ap);
    return n;
}

size_t fut_klog_read(char *buf, size_t size)
{
    size_t kept = klog_total < FUT_KLOG_SIZE ? klog_total : FUT_KLOG_SIZE;
    size_t n = kept < size ? kept : size;
    size_t first = klog_total - n; /* the last n bytes */
    for (size_t i = 0; i < n; i++)
        buf[i] = klog[(first + i) % FUT_KLOG_SIZE];
    return n;
}

void fut_panic(const char *fmt, ...)
{
    va_list ap;
    fut_printk("\nPANIC: ");
    va_start(ap, fmt);
    fut_vprintk(fmt, ap);
    va_end(ap);
    fut_printk("\n");
    fut_hal_poweroff(FUT_EXIT_PANIC);
}
