/* Per-CPU area (one CPU for now) and the user->kernel stack switch points. */
#include "futura/arch/percpu.h"

#include "futura/arch/cpu.h"
#include "futura/arch/gdt.h"

#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

static struct fut_cpu cpu0;

void fut_percpu_init(void)
{
    cpu0.self = &cpu0;
    wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
    wrmsr(MSR_KERNEL_GS_BASE, 0); /* user GS base until a program sets one */
}

struct fut_cpu *fut_this_cpu(void)
{
    return &cpu0;
}

void fut_arch_set_kernel_stack(uint64_t rsp0)
{
    cpu0.kernel_rsp = rsp0;
    fut_tss_set_kernel_stack(rsp0);
}
