/* From the arch SYSCALL stub to the table: unpack the registers, dispatch,
 * store the result, and run the return-to-user checks. */
#include "futura/arch/syscall.h"
#include "futura/proc.h"
#include "futura/syscalls/sys.h"
#include "futura/syscalls/sysnr.h"

static void syscall_entry(struct fut_trap_frame *frame)
{
    struct fut_syscall_args a = {
        .nr = (long)frame->rax,
        .arg = {(long)frame->rdi, (long)frame->rsi, (long)frame->rdx, (long)frame->r10,
                (long)frame->r8, (long)frame->r9},
        .frame = frame,
    };
    frame->error = frame->rax; /* the number, kept for restarting an interrupted call */
    long rc = fut_syscall_dispatch(&a);
    /* A successful execve rebuilt the frame: the new program starts with rax 0. */
    if (!(a.nr == SYS_execve && rc == 0))
        frame->rax = (uint64_t)rc;
    fut_proc_return_to_user(frame);
}

void fut_syscalls_init(void)
{
    fut_syscall_set_handler(syscall_entry);
}
