/* SYSCALL/SYSRET set-up and the C side of the entry stub. */
#include "futura/arch/cpu.h"
#include "futura/arch/gdt.h"
#include "futura/arch/syscall.h"
#include "futura/arch/thread.h"

#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define EFER_SCE 1ull
/* Cleared on entry: TF, IF, DF, AC (AC: SMAP must hold in the kernel). */
#define ENTRY_RFLAGS_MASK ((1u << 8) | (1u << 9) | (1u << 10) | (1u << 18))

extern char fut_syscall_entry[];

static fut_syscall_handler_fn handler;

void fut_syscall_set_handler(fut_syscall_handler_fn fn)
{
    handler = fn;
}

void fut_syscall_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* SYSRET loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8 (both | 3). */
    wrmsr(MSR_STAR, ((uint64_t)FUT_SEL_UCODE32 << 48) | ((uint64_t)FUT_SEL_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)fut_syscall_entry);
    wrmsr(MSR_FMASK, ENTRY_RFLAGS_MASK);
}

void fut_syscall_from_user(struct fut_trap_frame *frame)
{
    if (handler)
        handler(frame);
    else
        frame->rax = (uint64_t)-38; /* -ENOSYS: no system-call layer linked */
}
