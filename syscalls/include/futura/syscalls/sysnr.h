/* SYS_<name> constants for the Linux x86-64 system-call numbers. */
#ifndef FUTURA_SYSCALLS_SYSNR_H
#define FUTURA_SYSCALLS_SYSNR_H

enum fut_sysnr {
#define FUT_SYSCALL_NAME(nr, name) SYS_##name = nr,
#include "syscalls/syscall_names.def"
#undef FUT_SYSCALL_NAME
};

#endif
