#ifndef FUTURA_ARCH_TIMER_H
#define FUTURA_ARCH_TIMER_H

#include <stdint.h>

#include "futura/arch/trap.h"

#define FUT_IRQ_BASE 32
#define FUT_TICK_HZ 1000

typedef void (*fut_irq_fn)(struct fut_trap_frame *frame);
typedef void (*fut_tick_fn)(struct fut_trap_frame *frame);

/* Remaps the 8259s to vectors 32..47 with every line masked; once at boot. */
void fut_pic_init(void);
/* Routes legacy IRQ `irq` (0..15) to fn and unmasks it. */
void fut_irq_register(unsigned irq, fut_irq_fn fn);
/* Programs the PICs and the PIT; fn runs on every tick (interrupts off). */
void fut_timer_init(fut_tick_fn fn);

void fut_irq_enable(void);
void fut_irq_disable(void);
uint64_t fut_irq_save(void);
void fut_irq_restore(uint64_t flags);

#endif
