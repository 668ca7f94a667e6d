/* Thread start frames, the context switch wrapper and FPU/SSE state. */
#include "futura/arch/cpu.h"
#include "futura/arch/gdt.h"
#include "futura/arch/percpu.h"
#include "futura/arch/thread.h"
#include "futura/lib/string.h"

void fut_arch_context_switch(uint64_t *save_rsp, uint64_t new_rsp);
extern char fut_trap_return_user_iret[];
extern char fut_arch_kthread_trampoline[];

#define RFLAGS_IF (1ull << 9)
#define RFLAGS_RESERVED1 (1ull << 1)
#define CALLEE_SAVED 6

/* FXSAVE image of a freshly initialised FPU (x87 default control word,
 * MXCSR 0x1f80); every new thread starts from it. */
static uint8_t clean_fpu[512] __attribute__((aligned(16)));

void fut_fpu_init(void)
{
    uint64_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 &= ~((1ull << 2) | (1ull << 3)); /* EM off, TS off */
    cr0 |= 1ull << 1;                     /* MP */
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
    write_cr4(read_cr4() | (1ull << 9) | (1ull << 10)); /* OSFXSR, OSXMMEXCPT */
    uint32_t mxcsr = 0x1f80;
    __asm__ volatile("fninit\n\tldmxcsr %1\n\tfxsave64 %0" : "=m"(clean_fpu) : "m"(mxcsr));
}

void fut_arch_user_frame_init(struct fut_trap_frame *f, uint64_t rip, uint64_t rsp)
{
    memset(f, 0, sizeof(*f));
    f->rip = rip;
    f->rsp = rsp;
    f->cs = FUT_SEL_UCODE;
    f->ss = FUT_SEL_UDATA;
    f->rflags = RFLAGS_IF | RFLAGS_RESERVED1;
}

static uint64_t *push_switch_frame(uint64_t *sp, uint64_t ret, uint64_t r12, uint64_t r13)
{
    *--sp = ret;
    *--sp = 0;   /* rbp */
    *--sp = 0;   /* rbx */
    *--sp = r12;
    *--sp = r13;
    *--sp = 0;   /* r14 */
    *--sp = 0;   /* r15 */
    return sp;
}

void fut_arch_thread_init_user(struct fut_arch_thread *t, uint64_t kstack_top,
                               const struct fut_trap_frame *frame)
{
    t->kstack_top = kstack_top;
    memcpy(t->fpu, clean_fpu, sizeof(t->fpu));
    struct fut_trap_frame *f = fut_arch_user_frame(t);
    *f = *frame;
    t->rsp = (uint64_t)push_switch_frame((uint64_t *)f, (uint64_t)fut_trap_return_user_iret, 0, 0);
}

void fut_arch_thread_init_kernel(struct fut_arch_thread *t, uint64_t kstack_top,
                                 void (*fn)(void *), void *arg)
{
    t->kstack_top = kstack_top;
    memcpy(t->fpu, clean_fpu, sizeof(t->fpu));
    /* Start below the user frame slot (a kernel thread may become a user one,
     * as init does) and keep the 16-byte alignment the trampoline's call wants. */
    uint64_t *sp = (uint64_t *)((kstack_top - sizeof(struct fut_trap_frame) - 16) & ~15ull);
    t->rsp = (uint64_t)push_switch_frame(sp, (uint64_t)fut_arch_kthread_trampoline,
                                         (uint64_t)fn, (uint64_t)arg);
}

#define MSR_FS_BASE 0xc0000100
#define MSR_KERNEL_GS_BASE 0xc0000102 /* the user's GS base while in the kernel */

void fut_arch_thread_reset_tls(struct fut_arch_thread *t)
{
    t->fs_base = t->gs_base = 0;
    wrmsr(MSR_FS_BASE, 0);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
    memcpy(t->fpu, clean_fpu, sizeof(t->fpu));
    __asm__ volatile("fxrstor64 %0" : : "m"(clean_fpu));
}

void fut_arch_set_fs_base(struct fut_arch_thread *t, uint64_t base)
{
    t->fs_base = base;
    wrmsr(MSR_FS_BASE, base);
}

void fut_arch_set_gs_base(struct fut_arch_thread *t, uint64_t base)
{
    t->gs_base = base;
    wrmsr(MSR_KERNEL_GS_BASE, base);
}

void fut_arch_enter_user(struct fut_trap_frame *frame)
{
    __asm__ volatile("cli\n\tmov %0, %%rsp\n\tjmp fut_trap_return_user_iret" : : "r"(frame));
    __builtin_unreachable();
}

void fut_arch_thread_init_fork(struct fut_arch_thread *t, uint64_t kstack_top,
                               const struct fut_arch_thread *src, const struct fut_trap_frame *frame)
{
    t->kstack_top = kstack_top;
    t->fs_base = src->fs_base;
    t->gs_base = src->gs_base;
    /* The parent is running: its live FPU registers are newer than src->fpu. */
    __asm__ volatile("fxsave64 %0" : "=m"(t->fpu));
    struct fut_trap_frame *f = fut_arch_user_frame(t);
    *f = *frame;
    f->rax = 0;
    t->rsp = (uint64_t)push_switch_frame((uint64_t *)f, (uint64_t)fut_trap_return_user_iret, 0, 0);
}

void fut_arch_switch(struct fut_arch_thread *prev, struct fut_arch_thread *next)
{
    if (prev == next)
        return;
    if (prev->fs_base != next->fs_base)
        wrmsr(MSR_FS_BASE, next->fs_base);
    if (prev->gs_base != next->gs_base)
        wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
    /* The kernel never touches the FPU (-mgeneral-regs-only), so the live FPU
     * registers are always the user state of prev. */
    __asm__ volatile("fxsave64 %0" : "=m"(prev->fpu));
    __asm__ volatile("fxrstor64 %0" : : "m"(next->fpu));
    if (next->kstack_top)
        fut_arch_set_kernel_stack(next->kstack_top);
    fut_arch_context_switch(&prev->rsp, next->rsp);
}
