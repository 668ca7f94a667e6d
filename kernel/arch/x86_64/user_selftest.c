/*
 * test=user_mode: the ring-3 round trip without the process layer. A small
 * program is mapped into a fresh address space (written, then mprotect'ed to
 * R+X), entered through IRETQ on its own guarded kernel stack, and talks to
 * us through SYSCALL: write(1, ...) is copied in through copy_from_user, and
 * exit(n) switches back to this thread. Everything is freed afterwards.
 */
#include "futura/arch/percpu.h"
#include "futura/arch/syscall.h"
#include "futura/arch/thread.h"
#include "futura/lib/printk.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/kspace.h"
#include "futura/memory/mm.h"
#include "futura/memory/paging.h"
#include "futura/memory/pmm.h"
#include "futura/selftest.h"
#include "futura/uaccess.h"

#define CODE 0x400000ull
#define STACK_TOP 0x7fff0000ull

extern const char fut_user_blob_start[], fut_user_blob_end[];

static struct fut_arch_thread boot_thread, user_thread;
static char written[64];
static long exit_code = -1;
static uint64_t syscall_cs;

static void test_syscall(struct fut_trap_frame *f)
{
    syscall_cs = f->cs;
    switch (f->rax) {
    case 1: { /* write(fd, buf, len) */
        size_t len = f->rdx < sizeof(written) - 1 ? f->rdx : sizeof(written) - 1;
        f->rax = fut_copy_from_user(written, (const void *)f->rsi, len) ? (uint64_t)-14 : len;
        return;
    }
    case 60: /* exit(code): never returns to the user thread */
        exit_code = (long)f->rdi;
        fut_arch_switch(&user_thread, &boot_thread);
        return;
    default:
        f->rax = (uint64_t)-38;
    }
}

FUT_SELFTEST(user_mode)
{
    /* The first kernel stack ever allocated also creates the stack area's page
     * tables, which stay for good; take the baseline after that. */
    fut_kstack_free(fut_kstack_alloc());
    fut_kmalloc_shrink();
    uint64_t free0 = fut_pmm_free_frames(fut_pmm_global());
    struct fut_mm *mm = fut_mm_create();
    if (!FUT_CHECK(mm != 0))
        return FUT_TEST_FAIL;
    struct fut_vma code = {.start = CODE, .end = CODE + FUT_PAGE_SIZE,
                           .prot = FUT_PROT_READ | FUT_PROT_WRITE,
                           .flags = FUT_VMA_PRIVATE | FUT_VMA_ANON};
    struct fut_vma stack = {.start = STACK_TOP - 4 * FUT_PAGE_SIZE, .end = STACK_TOP,
                            .prot = FUT_PROT_READ | FUT_PROT_WRITE,
                            .flags = FUT_VMA_PRIVATE | FUT_VMA_ANON | FUT_VMA_STACK};
    FUT_CHECK(fut_mm_map(mm, &code) == 0 && fut_mm_map(mm, &stack) == 0);
    fut_mm_activate(mm);
    FUT_CHECK(fut_copy_to_user((void *)CODE, fut_user_blob_start,
                               (size_t)(fut_user_blob_end - fut_user_blob_start)) == 0);
    FUT_CHECK(fut_mm_protect(mm, CODE, FUT_PAGE_SIZE, FUT_PROT_READ | FUT_PROT_EXEC) == 0);

    uint64_t kstack = fut_kstack_alloc();
    FUT_CHECK(kstack != 0);
    struct fut_trap_frame frame;
    fut_arch_user_frame_init(&frame, CODE, STACK_TOP);
    fut_arch_thread_init_user(&user_thread, kstack, &frame);

    fut_syscall_set_handler(test_syscall);
    fut_arch_switch(&boot_thread, &user_thread); /* returns when the program exits */
    fut_syscall_set_handler(0);
    fut_arch_set_kernel_stack(0);

    fut_printk("user_mode: program wrote \"%s\" and exited with %ld\n", written, exit_code);
    FUT_CHECK(strcmp(written, "hello from ring 3\n") == 0);
    FUT_CHECK(exit_code == 18);
    FUT_CHECK((syscall_cs & 3) == 3);

    fut_mm_activate(0);
    fut_mm_put(mm);
    fut_kstack_free(kstack);
    fut_kmalloc_shrink();
    FUT_CHECK(fut_pmm_free_frames(fut_pmm_global()) == free0);
    return FUT_TEST_PASS;
}
