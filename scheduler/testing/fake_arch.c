/* See fake_arch.h. fut_sched_free_arch frees t->arch with free(): tests that
 * hang a malloc'ed block there get every thread's release checked by ASan. */
#include "fake_arch.h"

#include <stdlib.h>

#include "futura/scheduler/arch.h"
#include "futura/scheduler/task.h"

static bool irqs_enabled = true;
static unsigned switch_depth;
static fut_fake_switch_hook hook;
static void *hook_ctx;
static struct fut_fake_arch_stats stats;

void fut_fake_arch_reset(void)
{
    irqs_enabled = true;
    switch_depth = 0;
    hook = NULL;
    hook_ctx = NULL;
    stats = (struct fut_fake_arch_stats){0};
}

void fut_fake_arch_set_switch_hook(fut_fake_switch_hook fn, void *ctx)
{
    hook = fn;
    hook_ctx = ctx;
}

bool fut_fake_irqs_enabled(void)
{
    return irqs_enabled;
}

void fut_fake_arch_get_stats(struct fut_fake_arch_stats *out)
{
    *out = stats;
}

void fut_sched_switch(struct fut_thread *prev, struct fut_thread *next)
{
    stats.switches++;
    if (irqs_enabled)
        stats.switches_with_irqs_on++;
    if (hook && switch_depth == 0) {
        switch_depth++;
        hook(prev, next, hook_ctx);
        switch_depth--;
    }
}

void fut_sched_free_arch(struct fut_thread *t)
{
    stats.arch_frees++;
    free(t->arch);
    t->arch = NULL;
}

uint64_t fut_irq_save(void)
{
    uint64_t was = irqs_enabled;
    irqs_enabled = false;
    return was;
}

/* Like x86-64: restoring can turn interrupts on, never off. */
void fut_irq_restore(uint64_t flags)
{
    if (flags)
        irqs_enabled = true;
}
