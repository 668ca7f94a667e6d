/* File I/O through the VFS from user space: create, write, seek, read, stat,
 * directories, links, rename, unlink, descriptors, and the error cases. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

static void files(void)
{
    CHECK(mkdir("/tmp", 0755) == 0 || errno == EEXIST);
    int fd = open("/tmp/a.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "hello, futura\n", 14) == 14);
    CHECK(lseek(fd, 0, SEEK_CUR) == 14);
    CHECK(lseek(fd, 7, SEEK_SET) == 7);
    char buf[64] = {0};
    CHECK(read(fd, buf, sizeof(buf)) == 7);
    CHECK(memcmp(buf, "futura\n", 7) == 0);
    CHECK(pwrite(fd, "FUT", 3, 7) == 3);
    CHECK(pread(fd, buf, 6, 7) == 6 && memcmp(buf, "FUTura", 6) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 14); /* pread/pwrite leave the offset alone */
    struct iovec iov[2] = {{"ab", 2}, {"cd", 2}};
    CHECK(writev(fd, iov, 2) == 4);
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 18 && S_ISREG(st.st_mode));
    CHECK((st.st_mode & 0777) == 0644);
    CHECK(ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5);
    /* Sparse growth reads back as zeros. */
    CHECK(pwrite(fd, "Z", 1, 100000) == 1);
    CHECK(pread(fd, buf, 4, 5000) == 4 && buf[0] == 0 && buf[3] == 0);
    CHECK(close(fd) == 0);
    CHECK_ERRNO(close(fd), EBADF);
    CHECK(stat("/tmp/a.txt", &st) == 0 && st.st_size == 100001);
}

static void directories(void)
{
    CHECK(mkdir("/tmp/d", 0755) == 0);
    CHECK_ERRNO(mkdir("/tmp/d", 0755), EEXIST);
    CHECK(chdir("/tmp/d") == 0);
    char cwd[256];
    CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/tmp/d") == 0);
    int fd = open("f1", O_CREAT | O_WRONLY, 0600);
    CHECK(fd >= 0 && close(fd) == 0);
    CHECK(symlink("f1", "s1") == 0);
    char target[64] = {0};
    CHECK(readlink("s1", target, sizeof(target)) == 2 && strcmp(target, "f1") == 0);
    CHECK(link("f1", "h1") == 0);
    struct stat st;
    CHECK(stat("h1", &st) == 0 && st.st_nlink == 2);
    CHECK(lstat("s1", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(rename("h1", "h2") == 0);
    CHECK_ERRNO(access("h1", F_OK), ENOENT);
    DIR *d = opendir(".");
    CHECK(d != NULL);
    int seen = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        printf("dir entry: %s\n", e->d_name);
        seen |= !strcmp(e->d_name, "f1") ? 1 : !strcmp(e->d_name, "s1") ? 2
              : !strcmp(e->d_name, "h2") ? 4 : 0;
    }
    if (d)
        closedir(d);
    CHECK(seen == 7);
    CHECK_ERRNO(rmdir("/tmp/d"), ENOTEMPTY);
    CHECK(unlink("f1") == 0 && unlink("s1") == 0 && unlink("h2") == 0);
    CHECK(chdir("..") == 0);
    CHECK(rmdir("/tmp/d") == 0);
    CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/tmp") == 0);
}

static void descriptors(void)
{
    int fd = open("/tmp/a.txt", O_RDONLY);
    CHECK(fd >= 0);
    int fd2 = dup(fd);
    CHECK(fd2 > fd);
    CHECK(lseek(fd, 3, SEEK_SET) == 3 && lseek(fd2, 0, SEEK_CUR) == 3); /* shared offset */
    CHECK(dup2(fd, 20) == 20);
    CHECK(fcntl(20, F_GETFD) == 0);
    CHECK(fcntl(20, F_SETFD, FD_CLOEXEC) == 0 && fcntl(20, F_GETFD) == FD_CLOEXEC);
    int fd3 = fcntl(fd, F_DUPFD_CLOEXEC, 30);
    CHECK(fd3 == 30 && fcntl(30, F_GETFD) == FD_CLOEXEC);
    CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY);
    CHECK(fcntl(fd, F_SETFL, O_NONBLOCK) == 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK));
    CHECK_ERRNO(write(fd, "x", 1), EBADF);
    close(fd); close(fd2); close(20); close(30);
    CHECK_ERRNO(open("/nonexistent/file", O_RDONLY), ENOENT);
    CHECK_ERRNO(open("/tmp/a.txt/x", O_RDONLY), ENOTDIR);
    CHECK_ERRNO(read(999, NULL, 0), EBADF);
    CHECK_ERRNO(ioctl(0, 0x1234), ENOTTY);
    CHECK(isatty(1));
    int f = open("/tmp/a.txt", O_RDONLY);
    CHECK(f >= 0 && !isatty(f));
    close(f);
    CHECK(unlink("/tmp/a.txt") == 0);
}

int main(void)
{
    files();
    directories();
    descriptors();
    return check_summary("fileio");
}
