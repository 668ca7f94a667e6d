#ifndef FUTURA_ARCH_TIMER_H
#define FUTURA_ARCH_TIMER_H

#include <stdint.h>

#include "futura/arch/trap.h"

#define FUT_IRQ_BASE 32
#define FUT_TICK_HZ 1000
#define FUT_LAPIC_TIMER_VECTOR 48

typedef void (*fut_irq_fn)(struct fut_trap_frame *frame);
typedef void (*fut_tick_fn)(struct fut_trap_frame *frame);

/* Remaps the 8259s to vectors 32..47 with every line masked; once at boot. */
void fut_pic_init(void);
/* Routes legacy IRQ `irq` (0..15) to fn and unmasks it. */
void fut_irq_register(unsigned irq, fut_irq_fn fn);
/* Programs the PICs and the PIT; fn runs on every tick (interrupts off). */
void fut_timer_init(fut_tick_fn fn);

/* One-shot timer for deadlines between ticks (the local APIC timer): arm
 * fires the handler at deadline_ns (fut_hal_time_ns clock). Without a local
 * APIC, arming does nothing and the periodic tick serves. */
void fut_arch_timer_arm(uint64_t deadline_ns);
void fut_arch_timer_set_oneshot_handler(fut_tick_fn fn);

void fut_irq_enable(void);
void fut_irq_disable(void);
uint64_t fut_irq_save(void);
void fut_irq_restore(uint64_t flags);

#endif
