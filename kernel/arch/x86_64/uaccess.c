/* Range-checked user copies over the fault-recovering primitives in uaccess.S. */
#include "futura/uaccess.h"

#include "futura/errno.h"

#define USER_TOP 0x0000800000000000ull

size_t fut_arch_copy_user(void *dst, const void *src, size_t n);
long fut_arch_strnlen_user(const char *s, size_t max);

static int user_range_ok(const void *p, size_t n)
{
    uint64_t a = (uint64_t)p;
    return a < USER_TOP && n <= USER_TOP - a;
}

int fut_copy_from_user(void *dst, const void *user_src, size_t n)
{
    if (!user_range_ok(user_src, n))
        return -EFAULT;
    return fut_arch_copy_user(dst, user_src, n) ? -EFAULT : 0;
}

int fut_copy_to_user(void *user_dst, const void *src, size_t n)
{
    if (!user_range_ok(user_dst, n))
        return -EFAULT;
    return fut_arch_copy_user(user_dst, src, n) ? -EFAULT : 0;
}

long fut_strncpy_from_user(char *dst, const char *user_src, size_t max)
{
    if (!max)
        return -ENAMETOOLONG;
    uint64_t a = (uint64_t)user_src;
    if (a >= USER_TOP)
        return -EFAULT;
    if (max > USER_TOP - a)
        max = USER_TOP - a; /* the string cannot run into kernel space */
    long len = fut_arch_strnlen_user(user_src, max);
    if (len < 0)
        return len;
    if ((size_t)len == max)
        return (uint64_t)user_src + max == USER_TOP ? -EFAULT : -ENAMETOOLONG;
    if (fut_arch_copy_user(dst, user_src, (size_t)len + 1))
        return -EFAULT;
    dst[len] = '\0'; /* the user may have changed it since we measured */
    return len;
}
