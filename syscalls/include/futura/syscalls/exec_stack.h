/*
 * The initial user stack of a new program, laid out as Linux x86-64 does, so
 * musl's (and glibc's) start-up code finds argc, argv, envp and the auxiliary
 * vector where it looks for them.
 *
 * From the stack top down:
 *
 *     8 zero bytes                                  <- stack_top
 *     execfn string                                 (AT_EXECFN)
 *     envp strings, envp[envc-1] highest
 *     argv strings, argv[0] lowest
 *     "x86_64"                                      (AT_PLATFORM)
 *     16 random bytes                               (AT_RANDOM)
 *     padding to 16 bytes
 *     auxv: (type, value) pairs ending with AT_NULL
 *     NULL, envp[envc-1] ... envp[0]
 *     NULL, argv[argc-1] ... argv[0]
 *     argc                                          <- rsp, rsp % 16 == 0
 *
 * The builder fills a kernel buffer that stands for the top of the user
 * stack: buf[buf_size - 1] is the byte just below stack_top. The exec path
 * then copies the image's `size` bytes - the buffer's last `size` bytes - to
 * user address rsp with copy_to_user. Nothing here touches user memory or
 * allocates.
 */
#ifndef FUTURA_SYSCALLS_EXEC_STACK_H
#define FUTURA_SYSCALLS_EXEC_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Auxiliary vector types (Linux <elf.h> / <sys/auxv.h>). */
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

/* Entries the builder writes, AT_NULL included. */
#define FUT_EXEC_AUXV_ENTRIES 18

/* Limits; beyond them exec fails with -E2BIG. */
#define FUT_EXEC_ARG_MAX (128u * 1024u) /* bytes of argv + envp strings, NULs included */
#define FUT_EXEC_MAX_STRINGS 8192u      /* argc + envc */
#define FUT_EXEC_EXECFN_MAX 4096u       /* bytes of execfn, NUL included (PATH_MAX) */

/* A buffer this large always holds a stack image within the limits above. */
#define FUT_EXEC_STACK_MAX_BYTES                                                                   \
    (8u + FUT_EXEC_EXECFN_MAX + FUT_EXEC_ARG_MAX + 8u /* "x86_64" */ + 16u /* random */ +          \
     16u /* padding */ + 8u * (3u + FUT_EXEC_MAX_STRINGS + 2u * FUT_EXEC_AUXV_ENTRIES))

#define FUT_EXEC_PLATFORM "x86_64"

/* What the new program is told. Strings are kernel copies, NUL terminated. */
struct fut_exec_stack_args {
    const char *const *argv; /* argc strings */
    uint32_t argc;
    const char *const *envp; /* envc strings */
    uint32_t envc;
    const char *execfn;    /* the path exec was given (AT_EXECFN) */
    const uint8_t *random; /* 16 bytes for AT_RANDOM (stack protector, pointer guard) */

    /* From the ELF load plan (struct fut_elf_plan). */
    uint64_t phdr;  /* AT_PHDR: plan.phdr_addr */
    uint64_t phent; /* AT_PHENT: plan.phent */
    uint64_t phnum; /* AT_PHNUM: plan.phnum */
    uint64_t entry; /* AT_ENTRY: plan.entry */
    uint64_t base;  /* AT_BASE: the interpreter's base; 0 for static programs */

    uint64_t pagesz; /* AT_PAGESZ */
    uint64_t hwcap;  /* AT_HWCAP: CPUID.1:EDX, as Linux */
    uint64_t clktck; /* AT_CLKTCK: times() ticks per second (Linux: 100) */
    uint32_t uid, euid, gid, egid;
    bool secure; /* AT_SECURE: set-id exec; libc then distrusts the environment */
};

/* Where the pieces ended up, as user addresses. */
struct fut_exec_stack_layout {
    uint64_t rsp;       /* initial stack pointer: points at argc, 16-byte aligned */
    uint64_t size;      /* bytes of the image: stack_top - rsp */
    uint64_t argv;      /* the argv pointer array (rsp + 8) */
    uint64_t envp;      /* the envp pointer array */
    uint64_t auxv;      /* the first auxv pair */
    uint64_t arg_start; /* argv strings: [arg_start, arg_end) (for /proc/PID/cmdline) */
    uint64_t arg_end;
    uint64_t env_start; /* envp strings: [env_start, env_end) */
    uint64_t env_end;
    uint64_t execfn;   /* AT_EXECFN string */
    uint64_t platform; /* AT_PLATFORM string */
    uint64_t random;   /* AT_RANDOM bytes */
};

/* Bytes the stack image of args needs, in *size; -E2BIG beyond the limits,
 * -EINVAL for missing strings or random bytes. */
int fut_exec_stack_size(const struct fut_exec_stack_args *args, uint64_t *size);

/*
 * Lays out args in buf as the top buf_size bytes of a stack ending at user
 * address stack_top (16-byte aligned) and describes the result in *layout.
 * Returns 0; -E2BIG beyond the limits; -EINVAL for bad args, an unaligned
 * stack_top, one too low to hold the image, or a buffer smaller than
 * fut_exec_stack_size() (FUT_EXEC_STACK_MAX_BYTES is always enough).
 * Bytes of buf below the image are left untouched.
 */
int fut_exec_stack_build(const struct fut_exec_stack_args *args, void *buf, size_t buf_size,
                         uint64_t stack_top, struct fut_exec_stack_layout *layout);

#ifdef __cplusplus
}
#endif

#endif
