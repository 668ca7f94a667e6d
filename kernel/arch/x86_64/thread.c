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
    /* Keep the 16-byte alignment the ABI expects at the trampoline's call. */
    uint64_t *sp = (uint64_t *)(kstack_top - 16);
    t->rsp = (uint64_t)push_switch_frame(sp, (uint64_t)fut_arch_kthread_trampoline,
                                         (uint64_t)fn, (uint64_t)arg);
}

void fut_arch_switch(struct fut_arch_thread *prev, struct fut_arch_thread *next)
{
    if (prev == next)
        return;
    /* The kernel never touches the FPU (-mgeneral-regs-only), so the live FPU
     * registers are always the user state of prev. */
    __asm__ volatile("fxsave64 %0" : "=m"(prev->fpu));
    __asm__ volatile("fxrstor64 %0" : : "m"(next->fpu));
    if (next->kstack_top)
        fut_arch_set_kernel_stack(next->kstack_top);
    fut_arch_context_switch(&prev->rsp, next->rsp);
}
