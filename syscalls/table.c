/* The system-call table, indexed by Linux x86-64 number. */
#include "futura/syscalls/sys.h"
#include "futura/syscalls/sysnr.h"
#include "table.h"

const char *const fut_syscall_names[FUT_NR_SYSCALLS] = {
#define FUT_SYSCALL_NAME(nr, name) [nr] = #name,
#include "syscalls/syscall_names.def"
#undef FUT_SYSCALL_NAME
};

const fut_syscall_fn fut_syscall_handlers[FUT_NR_SYSCALLS] = {
#define FUT_SYSCALL_DECL(name) [SYS_##name] = sys_##name,
#include "futura/syscalls/handlers.def"
#undef FUT_SYSCALL_DECL
};
