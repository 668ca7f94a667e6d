/*
 * PID 1. The boot thread becomes the idle thread; init starts as a kernel
 * thread of process 1 that opens the console as descriptors 0, 1 and 2,
 * execs the program and drops to user mode through the frame exec prepared.
 */
#include "futura/arch/thread.h"
#include "futura/arch/timer.h"
#include "futura/errno.h"
#include "futura/hal.h"
#include "futura/lib/printk.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/kspace.h"
#include "futura/proc.h"
#include "futura/signal.h"
#include "futura/proc_glue.h"
#include "futura/scheduler/sched.h"
#include "futura/syscalls/files.h"
#include "futura/vfs/vfs.h"

struct init_args {
    const char *path;
    const char *const *argv;
    const char *const *envp;
};

static struct init_args init_args;
static struct fut_arch_thread idle_arch;

static int open_console(struct fut_fdtable *fdt)
{
    for (int fd = 0; fd < 3; fd++) {
        struct fut_file *f = NULL;
        int rc = fut_vfs_open(NULL, "/dev/console", FUT_O_RDWR, 0, &f);
        if (rc)
            return rc;
        if (fut_fd_install(fdt, f, fd, false) != fd) {
            fut_vfs_close(f);
            return -EBADF;
        }
    }
    return 0;
}

static void init_thread(void *arg)
{
    struct init_args *a = arg;
    struct fut_thread *self = fut_sched_current();
    struct fut_trap_frame *frame = fut_arch_user_frame(self->arch);
    int rc = fut_proc_exec(a->path, a->argv, a->envp, frame);
    if (rc) {
        fut_printk("init: cannot run %s: error %d\n", a->path, rc);
        fut_hal_poweroff(127);
    }
    fut_arch_enter_user(frame);
}

void fut_proc_start_init(const char *path, const char *const *argv, const char *const *envp)
{
    struct fut_thread *idle = fut_sched_init();
    idle->arch = &idle_arch;
    fut_timers_init(fut_hal_time_ns());

    struct fut_process *p = NULL;
    struct fut_thread *t = NULL;
    struct fut_arch_thread *arch = fut_kzalloc(sizeof(*arch));
    uint64_t kstack = fut_kstack_alloc();
    int rc = fut_process_create(NULL, &p);
    if (!rc && (!arch || !kstack))
        rc = -ENOMEM;
    if (!rc && (!(p->files = fut_fdtable_create()) || !(p->signals = fut_sigstate_create())))
        rc = -ENOMEM;
    if (!rc) {
        fut_rlimits_init(p);
        rc = open_console(p->files);
    }
    if (!rc)
        rc = fut_thread_create(p, &t);
    if (rc)
        fut_panic("cannot create the init process (%d)", rc);

    init_args = (struct init_args){path, argv, envp};
    fut_arch_thread_init_kernel(arch, kstack, init_thread, &init_args);
    t->arch = arch;
    fut_printk("init: starting %s as pid %d\n", path, p->pid);
    fut_sched_enqueue(t);
    fut_proc_glue_init();

    for (;;) { /* the idle thread */
        fut_irq_disable();
        if (fut_sched_need_resched())
            fut_sched_yield();
        __asm__ volatile("sti; hlt");
    }
}
