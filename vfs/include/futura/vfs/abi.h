/*
 * The Linux x86-64 values and layouts the VFS speaks: open flags, lseek
 * whence, file types and mode bits, struct stat, struct linux_dirent64,
 * device numbers. Everything carries a FUT_ prefix so host tests can include
 * the C library's headers next to this one and compare the two.
 */
#ifndef FUTURA_VFS_ABI_H
#define FUTURA_VFS_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits. A path of FUT_PATH_MAX bytes or more (the NUL counts) and a
 * component longer than FUT_NAME_MAX fail with -ENAMETOOLONG; a lookup that
 * would follow more than FUT_SYMLOOP_MAX symlinks fails with -ELOOP. */
#define FUT_NAME_MAX 255
#define FUT_PATH_MAX 4096
#define FUT_SYMLOOP_MAX 40

/* open(2) flags (octal, as in asm-generic/fcntl.h). */
#define FUT_O_ACCMODE 03
#define FUT_O_RDONLY 00
#define FUT_O_WRONLY 01
#define FUT_O_RDWR 02
#define FUT_O_CREAT 0100
#define FUT_O_EXCL 0200
#define FUT_O_NOCTTY 0400
#define FUT_O_TRUNC 01000
#define FUT_O_APPEND 02000
#define FUT_O_NONBLOCK 04000
#define FUT_O_LARGEFILE 0100000
#define FUT_O_DIRECTORY 0200000
#define FUT_O_NOFOLLOW 0400000
#define FUT_O_CLOEXEC 02000000

/* lseek(2) whence. */
#define FUT_SEEK_SET 0
#define FUT_SEEK_CUR 1
#define FUT_SEEK_END 2

/* access(2) modes. */
#define FUT_F_OK 0
#define FUT_X_OK 1
#define FUT_W_OK 2
#define FUT_R_OK 4

/* *at(2) flags used by link and chown. */
#define FUT_AT_SYMLINK_NOFOLLOW 0x100
#define FUT_AT_SYMLINK_FOLLOW 0x400

/* poll(2) events and results (asm-generic/poll.h); select(2) is built on them. */
#define FUT_POLLIN 0x001
#define FUT_POLLPRI 0x002
#define FUT_POLLOUT 0x004
#define FUT_POLLERR 0x008
#define FUT_POLLHUP 0x010
#define FUT_POLLNVAL 0x020
#define FUT_POLLRDNORM 0x040
#define FUT_POLLRDBAND 0x080
#define FUT_POLLWRNORM 0x100
#define FUT_POLLWRBAND 0x200

/* st_mode: file type and permission bits. */
#define FUT_S_IFMT 0170000
#define FUT_S_IFSOCK 0140000
#define FUT_S_IFLNK 0120000
#define FUT_S_IFREG 0100000
#define FUT_S_IFBLK 0060000
#define FUT_S_IFDIR 0040000
#define FUT_S_IFCHR 0020000
#define FUT_S_IFIFO 0010000
#define FUT_S_ISUID 04000
#define FUT_S_ISGID 02000
#define FUT_S_ISVTX 01000
#define FUT_S_IALLUGO 07777 /* every permission bit, setuid/setgid/sticky included */

#define FUT_S_ISREG(m) (((m)&FUT_S_IFMT) == FUT_S_IFREG)
#define FUT_S_ISDIR(m) (((m)&FUT_S_IFMT) == FUT_S_IFDIR)
#define FUT_S_ISLNK(m) (((m)&FUT_S_IFMT) == FUT_S_IFLNK)
#define FUT_S_ISCHR(m) (((m)&FUT_S_IFMT) == FUT_S_IFCHR)
#define FUT_S_ISBLK(m) (((m)&FUT_S_IFMT) == FUT_S_IFBLK)

/* linux_dirent64.d_type: the S_IFMT bits shifted down, as Linux does. */
#define FUT_DT_UNKNOWN 0
#define FUT_DT_FIFO 1
#define FUT_DT_CHR 2
#define FUT_DT_DIR 4
#define FUT_DT_BLK 6
#define FUT_DT_REG 8
#define FUT_DT_LNK 10
#define FUT_DT_SOCK 12

static inline uint8_t fut_mode_to_dtype(uint32_t mode)
{
    return (uint8_t)((mode & FUT_S_IFMT) >> 12);
}

/* Device numbers in glibc's 64-bit encoding (what st_dev/st_rdev hold). */
static inline uint64_t fut_makedev(uint32_t major, uint32_t minor)
{
    return ((uint64_t)(major & 0xfffff000u) << 32) | ((uint64_t)(major & 0xfffu) << 8) |
           ((uint64_t)(minor & 0xffffff00u) << 12) | (uint64_t)(minor & 0xffu);
}

static inline uint32_t fut_major(uint64_t dev)
{
    return (uint32_t)(((dev >> 32) & 0xfffff000u) | ((dev >> 8) & 0xfffu));
}

static inline uint32_t fut_minor(uint64_t dev)
{
    return (uint32_t)(((dev >> 12) & 0xffffff00u) | (dev & 0xffu));
}

struct fut_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

/* Linux x86-64 struct stat, field for field (arch/x86/include/uapi/asm/stat.h). */
struct fut_stat {
    uint64_t st_dev;
    uint64_t st_ino;
    uint64_t st_nlink;
    uint32_t st_mode;
    uint32_t st_uid;
    uint32_t st_gid;
    int32_t __pad0;
    uint64_t st_rdev;
    int64_t st_size;
    int64_t st_blksize;
    int64_t st_blocks; /* 512-byte units actually allocated */
    struct fut_timespec st_atim;
    struct fut_timespec st_mtim;
    struct fut_timespec st_ctim;
    int64_t __unused[3];
};

/* One getdents64(2) record. Records are d_reclen bytes long, d_reclen is a
 * multiple of 8, d_name is NUL-terminated, and d_off is the position
 * (directory cookie) of the next record. */
struct fut_linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen;
    uint8_t d_type;
    char d_name[];
};

/* Bytes before d_name: the fixed part of a record. */
#define FUT_DIRENT64_NAME_OFFSET 19

#ifdef __cplusplus
static_assert(sizeof(struct fut_stat) == 144, "struct fut_stat must match Linux x86-64");
static_assert(offsetof(struct fut_stat, st_rdev) == 40, "st_rdev follows __pad0");
static_assert(offsetof(struct fut_stat, st_atim) == 72, "timestamps start at 72");
static_assert(offsetof(struct fut_linux_dirent64, d_name) == FUT_DIRENT64_NAME_OFFSET,
              "d_name follows d_type");
#else
_Static_assert(sizeof(struct fut_stat) == 144, "struct fut_stat must match Linux x86-64");
_Static_assert(offsetof(struct fut_stat, st_rdev) == 40, "st_rdev follows __pad0");
_Static_assert(offsetof(struct fut_stat, st_atim) == 72, "timestamps start at 72");
_Static_assert(offsetof(struct fut_linux_dirent64, d_name) == FUT_DIRENT64_NAME_OFFSET,
               "d_name follows d_type");
#endif

#ifdef __cplusplus
}
#endif

#endif
