/*
 * The machine as host tests see it (implements futura/scheduler/arch.h).
 *
 * Interrupts are one flag. A context switch changes nothing and returns at
 * once: after fut_sched_switch(prev, next) returns, the scheduler believes
 * `next` runs while the test's C code simply carries on. Tests "play" the
 * thread that is current by calling the scheduler as that thread would.
 *
 * A switch hook, when set, runs inside the outermost switch, i.e. while
 * `prev` is switched out: there the test can play other threads (wake-ups,
 * exits, more switches; nested switches are counted but do not call the hook
 * again) and switch back to prev before the hook returns, which lets blocking
 * loops such as fut_process_wait run to completion in a test.
 */
#ifndef FUTURA_SCHEDULER_TESTING_FAKE_ARCH_H
#define FUTURA_SCHEDULER_TESTING_FAKE_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fut_thread;

typedef void (*fut_fake_switch_hook)(struct fut_thread *prev, struct fut_thread *next, void *ctx);

struct fut_fake_arch_stats {
    uint64_t switches;              /* fut_sched_switch calls */
    uint64_t switches_with_irqs_on; /* of those, made with interrupts enabled (a bug) */
    uint64_t arch_frees;            /* fut_sched_free_arch calls */
};

/* Interrupts on, counters zero, no hook. */
void fut_fake_arch_reset(void);
void fut_fake_arch_set_switch_hook(fut_fake_switch_hook hook, void *ctx);
bool fut_fake_irqs_enabled(void);
void fut_fake_arch_get_stats(struct fut_fake_arch_stats *out);

#ifdef __cplusplus
}
#endif

#endif
