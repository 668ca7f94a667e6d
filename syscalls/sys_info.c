/* uname, getrandom: facts about the system and randomness. */
#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/lib/random.h"
#include "futura/lib/string.h"
#include "futura/syscalls/sys.h"
#include "futura/uaccess.h"

#define UTS_LEN 65

struct linux_utsname {
    char sysname[UTS_LEN];
    char nodename[UTS_LEN];
    char release[UTS_LEN];
    char version[UTS_LEN];
    char machine[UTS_LEN];
    char domainname[UTS_LEN];
};

static char hostname[UTS_LEN] = "futura";

long sys_uname(const struct fut_syscall_args *a)
{
    struct linux_utsname u;
    memset(&u, 0, sizeof(u));
    fut_strlcpy(u.sysname, "Futura", UTS_LEN);
    fut_strlcpy(u.nodename, hostname, UTS_LEN);
    fut_strlcpy(u.release, "0.1.0", UTS_LEN);
    fut_strlcpy(u.version, "#1 Futura", UTS_LEN);
    fut_strlcpy(u.machine, "x86_64", UTS_LEN);
    fut_strlcpy(u.domainname, "(none)", UTS_LEN);
    return fut_copy_to_user((void *)a->arg[0], &u, sizeof(u));
}

long sys_sethostname(const struct fut_syscall_args *a)
{
    size_t len = (size_t)a->arg[1];
    char buf[UTS_LEN];
    if (len >= UTS_LEN)
        return -EINVAL;
    if (fut_copy_from_user(buf, (const void *)a->arg[0], len))
        return -EFAULT;
    buf[len] = '\0';
    memcpy(hostname, buf, len + 1);
    return 0;
}

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4
#define GETRANDOM_MAX 33554431 /* Linux caps one call here */

long sys_getrandom(const struct fut_syscall_args *a)
{
    uint8_t chunk[256];
    size_t len = (size_t)a->arg[1];
    unsigned flags = (unsigned)a->arg[2];
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
        (flags & GRND_RANDOM && flags & GRND_INSECURE))
        return -EINVAL;
    if (len > GETRANDOM_MAX)
        len = GETRANDOM_MAX;
    for (size_t done = 0; done < len;) {
        size_t k = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
        fut_random_bytes(chunk, k);
        if (fut_copy_to_user((uint8_t *)a->arg[0] + done, chunk, k))
            return done ? (long)done : -EFAULT;
        done += k;
    }
    return (long)len;
}
