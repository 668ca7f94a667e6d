#ifndef FUTURA_ARCH_SYSCALL_H
#define FUTURA_ARCH_SYSCALL_H

#include "futura/arch/trap.h"

/* Called for every SYSCALL with the user's registers in `frame` (number in
 * rax, arguments in rdi, rsi, rdx, r10, r8, r9); stores the result in rax.
 * It may switch threads, change the frame (exec, signals) or never return. */
typedef void (*fut_syscall_handler_fn)(struct fut_trap_frame *frame);
void fut_syscall_set_handler(fut_syscall_handler_fn fn);

#endif
