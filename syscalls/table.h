/* The system-call table: names for every known number, handlers for the implemented ones. */
#ifndef FUTURA_SYSCALLS_TABLE_H
#define FUTURA_SYSCALLS_TABLE_H

#include "futura/syscalls/syscall.h"

extern const char *const fut_syscall_names[FUT_NR_SYSCALLS];
extern const fut_syscall_fn fut_syscall_handlers[FUT_NR_SYSCALLS];

#endif
