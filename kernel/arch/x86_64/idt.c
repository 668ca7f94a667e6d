/* IDT: every vector points at its isr.S stub; C handlers are registered per vector. */
#include "futura/arch/gdt.h"
#include "futura/arch/trap.h"

#include <stdint.h>

struct idt_entry {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

struct idt_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

#define IDT_INTERRUPT_GATE 0x8e /* present, DPL 0, interrupts off on entry */
#define ISR_STUB_SIZE 16

extern const char fut_isr_stub_table_start[];

static struct idt_entry idt[256] __attribute__((aligned(16)));
static fut_trap_handler_fn handlers[256];

static void set_gate(unsigned v, uint64_t addr, uint8_t ist)
{
    idt[v] = (struct idt_entry){
        .offset_low = addr & 0xffff,
        .selector = FUT_SEL_KCODE,
        .ist = ist,
        .type_attr = IDT_INTERRUPT_GATE,
        .offset_mid = (addr >> 16) & 0xffff,
        .offset_high = addr >> 32,
    };
}

void fut_idt_init(void)
{
    for (unsigned v = 0; v < 256; v++)
        set_gate(v, (uint64_t)fut_isr_stub_table_start + v * ISR_STUB_SIZE, 0);
    idt[8].ist = FUT_IST_DOUBLE_FAULT;
    idt[2].ist = FUT_IST_NMI;
    struct idt_ptr ptr = {.limit = sizeof(idt) - 1, .base = (uint64_t)idt};
    __asm__ volatile("lidt %0" : : "m"(ptr));
}

void fut_trap_set_handler(unsigned vector, fut_trap_handler_fn fn)
{
    if (vector < 256)
        handlers[vector] = fn;
}

void fut_exception_unhandled(struct fut_trap_frame *frame);

static fut_trap_return_fn return_hook;
static fut_user_exception_fn user_exception_hook;

void fut_trap_set_return_hook(fut_trap_return_fn fn)
{
    return_hook = fn;
}

void fut_trap_set_user_exception_hook(fut_user_exception_fn fn)
{
    user_exception_hook = fn;
}

/* Called from isr_common with interrupts off. */
void fut_trap_dispatch(struct fut_trap_frame *frame)
{
    fut_trap_handler_fn fn = handlers[frame->vector & 0xff];
    bool handled = fn && fn(frame);
    if (!handled) {
        if ((frame->cs & 3) && frame->vector < 32 && user_exception_hook)
            user_exception_hook(frame);
        else
            fut_exception_unhandled(frame);
    }
    if ((frame->cs & 3) && return_hook)
        return_hook(frame);
}
