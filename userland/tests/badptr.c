/* Hostile pointers: every pointer-taking system call gets EFAULT for NULL,
 * kernel addresses, unmapped memory and ranges running into kernel space,
 * and the kernel keeps running (this program reaching its summary is the
 * proof). Raw syscall() bypasses libc's own checks. */
#include <fcntl.h>
#include <stdint.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define KERNEL_PTR ((void *)0xffffffff80100000ull)
#define UNMAPPED ((void *)0x10000000ull)
#define NEAR_TOP ((void *)0x00007ffffffff000ull) /* last user page: unmapped here */
#define NONCANON ((void *)0x0000800000000000ull)

static void *const bad[] = {NULL, KERNEL_PTR, UNMAPPED, NEAR_TOP, NONCANON};
#define NBAD (sizeof(bad) / sizeof(bad[0]))

int main(void)
{
    int fd = open("/etc/motd", O_RDONLY);
    CHECK(fd >= 0);
    int wfd = open("/tmp-badptr", O_CREAT | O_RDWR, 0644);
    CHECK(wfd >= 0);
    int dfd = open("/", O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0);
    for (unsigned i = 0; i < NBAD; i++) {
        void *p = bad[i];
        lseek(fd, 0, SEEK_SET); /* at end of file nothing is copied: Linux returns 0 */
        CHECK_ERRNO(syscall(SYS_read, fd, p, 16), EFAULT);
        CHECK_ERRNO(syscall(SYS_write, wfd, p, 16), EFAULT);
        CHECK_ERRNO(syscall(SYS_pread64, fd, p, 16, 0), EFAULT);
        CHECK_ERRNO(syscall(SYS_pwrite64, wfd, p, 16, 0), EFAULT);
        CHECK_ERRNO(syscall(SYS_readv, fd, p, 1), EFAULT);
        CHECK_ERRNO(syscall(SYS_writev, wfd, p, 1), EFAULT);
        CHECK_ERRNO(syscall(SYS_open, p, O_RDONLY), EFAULT);
        CHECK_ERRNO(syscall(SYS_openat, AT_FDCWD, p, O_RDONLY), EFAULT);
        CHECK_ERRNO(syscall(SYS_stat, p, p), EFAULT);
        CHECK_ERRNO(syscall(SYS_stat, "/etc/motd", p), EFAULT);
        CHECK_ERRNO(syscall(SYS_lstat, "/etc/motd", p), EFAULT);
        CHECK_ERRNO(syscall(SYS_fstat, fd, p), EFAULT);
        CHECK_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, "/etc/motd", p, 0), EFAULT);
        CHECK_ERRNO(syscall(SYS_getdents64, dfd, p, 4096), EFAULT);
        CHECK_ERRNO(syscall(SYS_mkdir, p, 0755), EFAULT);
        CHECK_ERRNO(syscall(SYS_unlink, p), EFAULT);
        CHECK_ERRNO(syscall(SYS_rmdir, p), EFAULT);
        CHECK_ERRNO(syscall(SYS_rename, p, "/x"), EFAULT);
        CHECK_ERRNO(syscall(SYS_rename, "/x", p), EFAULT);
        CHECK_ERRNO(syscall(SYS_symlink, p, "/x"), EFAULT);
        CHECK_ERRNO(syscall(SYS_readlink, p, (char[8]){0}, 8), EFAULT);
        CHECK_ERRNO(syscall(SYS_chdir, p), EFAULT);
        CHECK_ERRNO(syscall(SYS_getcwd, p, 64), EFAULT);
        CHECK_ERRNO(syscall(SYS_access, p, F_OK), EFAULT);
        CHECK_ERRNO(syscall(SYS_execve, p, NULL, NULL), EFAULT);
        if (p) CHECK_ERRNO(syscall(SYS_execve, "/bin/hello", p, NULL), EFAULT);
        CHECK_ERRNO(syscall(SYS_wait4, -1, p, 0, NULL), ECHILD);
        CHECK_ERRNO(syscall(SYS_nanosleep, p, NULL), EFAULT);
        CHECK_ERRNO(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p), EFAULT);
        if (p) /* NULL means "not wanted" for these */
            CHECK_ERRNO(syscall(SYS_gettimeofday, p, NULL), EFAULT);
        CHECK_ERRNO(syscall(SYS_uname, p), EFAULT);
        CHECK_ERRNO(syscall(SYS_getrandom, p, 16, 0), EFAULT);
        if (p) {
            CHECK_ERRNO(syscall(SYS_rt_sigaction, 10, p, NULL, 8), EFAULT);
            CHECK_ERRNO(syscall(SYS_rt_sigaction, 10, NULL, p, 8), EFAULT);
            CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, p, NULL, 8), EFAULT);
        }
        CHECK_ERRNO(syscall(SYS_ioctl, 1, 0x5413 /* TIOCGWINSZ */, p), EFAULT);
        CHECK_ERRNO(syscall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, p), EFAULT);
        CHECK_ERRNO(syscall(SYS_truncate, p, 0), EFAULT);
    }
    /* A buffer that starts valid and runs into kernel space. */
    char *top = (char *)0x00007ffffffff000ull - 8;
    lseek(fd, 0, SEEK_SET);
    CHECK_ERRNO(syscall(SYS_read, fd, top, 64), EFAULT);
    CHECK_ERRNO(syscall(450, 0), ENOSYS); /* unknown number */
    /* A failed read must not lose data: the next good read sees the file's start. */
    char buf[8] = {0};
    lseek(fd, 0, SEEK_SET);
    CHECK_ERRNO(syscall(SYS_read, fd, UNMAPPED, 4), EFAULT);
    CHECK(read(fd, buf, 7) == 7 && memcmp(buf, "Welcome", 7) == 0);
    close(fd);
    close(wfd);
    close(dfd);
    unlink("/tmp-badptr");
    return check_summary("badptr");
}
