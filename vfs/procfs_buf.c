/*
 * The text buffer ProcFS renders a file into: kmalloc'd, doubled when
 * full, with printf through the kernel's format engine. Failure is sticky
 * (see procfs_internal.h), so renderers need no error path per line.
 */
#include <stdarg.h>
#include <stdbool.h>

#include "futura/errno.h"
#include "futura/lib/format.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "procfs_internal.h"

#define MIN_CAP 256

static bool reserve(struct procfs_buf *b, size_t n)
{
    if (b->error)
        return false;
    if (n <= b->cap - b->len)
        return true;
    size_t cap = b->cap ? b->cap : MIN_CAP;
    while (cap - b->len < n) {
        if (cap > FUT_KMALLOC_MAX_SIZE / 2) {
            b->error = -ENOMEM;
            return false;
        }
        cap *= 2;
    }
    char *data = fut_kmalloc(cap);
    if (!data) {
        b->error = -ENOMEM;
        return false;
    }
    if (b->len)
        memcpy(data, b->data, b->len);
    fut_kfree(b->data);
    b->data = data;
    b->cap = cap;
    return true;
}

void procfs_buf_append(struct procfs_buf *b, const void *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void sink(void *ctx, const char *s, size_t n)
{
    procfs_buf_append(ctx, s, n);
}

void procfs_buf_printf(struct procfs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fut_vformat(sink, b, fmt, ap);
    va_end(ap);
}

void procfs_buf_pad(struct procfs_buf *b, size_t line_start, size_t column)
{
    static const char spaces[] = "                                ";
    while (!b->error && b->len - line_start < column) {
        size_t n = column - (b->len - line_start);
        if (n > sizeof(spaces) - 1)
            n = sizeof(spaces) - 1;
        procfs_buf_append(b, spaces, n);
    }
}

void procfs_buf_free(struct procfs_buf *b)
{
    fut_kfree(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
