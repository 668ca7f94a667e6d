/*
 * The periodic tick: the 8259 PICs remapped to vectors 32..47 (all lines
 * masked but the ones in use) and PIT channel 0 at FUT_TICK_HZ.
 */
#include "futura/arch/cpu.h"
#include "futura/arch/mmio.h"
#include "futura/arch/tsc.h"
#include "futura/hal.h"
#include "futura/arch/timer.h"
#include "futura/arch/trap.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI 0x20
#define PIT_CH0 0x40
#define PIT_MODE 0x43
#define PIT_HZ 1193182u

static fut_tick_fn tick_fn;
static uint16_t irq_mask = 0xffff;
static fut_irq_fn irq_fns[16];

#define PIC_READ_ISR 0x0b

/* IRQ 7 and 15 also arrive when a line drops before it is acknowledged
 * ("spurious"): then the in-service bit is clear and no EOI is owed to that chip. */
static bool spurious(unsigned irq)
{
    if (irq != 7 && irq != 15)
        return false;
    uint16_t cmd = irq == 7 ? PIC1_CMD : PIC2_CMD;
    outb(cmd, PIC_READ_ISR);
    if (inb(cmd) & 0x80)
        return false;
    if (irq == 15)
        outb(PIC1_CMD, PIC_EOI); /* the master did see the cascade line */
    return true;
}

static bool irq_dispatch(struct fut_trap_frame *frame)
{
    unsigned irq = (unsigned)frame->vector - FUT_IRQ_BASE;
    if (spurious(irq))
        return true;
    if (irq >= 8)
        outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
    /* EOI first: the handler may switch threads and not come back for a while. */
    if (irq_fns[irq])
        irq_fns[irq](frame);
    return true;
}

static void timer_irq(struct fut_trap_frame *frame)
{
    if (tick_fn)
        tick_fn(frame);
}

static void set_mask(void)
{
    outb(PIC1_DATA, irq_mask & 0xff);
    outb(PIC2_DATA, irq_mask >> 8);
}

void fut_irq_register(unsigned irq, fut_irq_fn fn)
{
    if (irq >= 16)
        return;
    irq_fns[irq] = fn;
    fut_trap_set_handler(FUT_IRQ_BASE + irq, irq_dispatch);
    irq_mask &= (uint16_t) ~(1u << irq);
    if (irq >= 8)
        irq_mask &= (uint16_t) ~(1u << 2); /* cascade */
    set_mask();
}

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1ull << 11)
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LVT_EXTINT 0x700
#define LVT_NMI 0x400

/*
 * The 8259's output reaches the CPU through the local APIC's LINT0 pin, which
 * must be in ExtINT mode. SeaBIOS sets that up; minimal firmware (qboot, our
 * fast boot path) does not, so the kernel does it itself.
 */
#define LAPIC_EOI 0xb0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define LVT_MASKED (1u << 16)
#define CALIBRATE_MS 5

static volatile uint32_t *lapic;
static uint64_t lapic_khz; /* local APIC timer counts per millisecond; 0: no one-shot timer */
static fut_tick_fn oneshot_fn;

/* Counts the local APIC timer against the calibrated TSC for a few ms. */
static void calibrate_lapic_timer(void)
{
    lapic[LAPIC_TIMER_DIVIDE / 4] = 0xb; /* divide by 1 */
    lapic[LAPIC_LVT_TIMER / 4] = LVT_MASKED | FUT_LAPIC_TIMER_VECTOR;
    lapic[LAPIC_TIMER_INIT / 4] = 0xffffffffu;
    uint64_t t0 = rdtsc(), wait = fut_tsc_khz() * CALIBRATE_MS;
    while (rdtsc() - t0 < wait)
        ;
    uint32_t elapsed = 0xffffffffu - lapic[LAPIC_TIMER_CURRENT / 4];
    lapic[LAPIC_TIMER_INIT / 4] = 0;
    lapic_khz = elapsed / CALIBRATE_MS;
    lapic[LAPIC_LVT_TIMER / 4] = FUT_LAPIC_TIMER_VECTOR; /* one-shot, unmasked */
}

static bool lapic_timer_interrupt(struct fut_trap_frame *frame)
{
    lapic[LAPIC_EOI / 4] = 0;
    if (oneshot_fn)
        oneshot_fn(frame);
    return true;
}

void fut_arch_timer_arm(uint64_t deadline_ns)
{
    if (!lapic_khz)
        return; /* the periodic tick will do */
    uint64_t now = fut_hal_time_ns();
    uint64_t delta = deadline_ns > now ? deadline_ns - now : 0;
    uint64_t count = delta / 1000 * lapic_khz / 1000 + 1;
    lapic[LAPIC_TIMER_INIT / 4] = count > 0xffffffffu ? 0xffffffffu : (uint32_t)count;
}

void fut_arch_timer_set_oneshot_handler(fut_tick_fn fn)
{
    oneshot_fn = fn;
    if (lapic)
        fut_trap_set_handler(FUT_LAPIC_TIMER_VECTOR, lapic_timer_interrupt);
}

static void route_pic_through_lapic(void)
{
    uint32_t a, b, c, d;
    cpuid(1, 0, &a, &b, &c, &d);
    if (!(d & (1u << 9)))
        return; /* no local APIC: the PIC is wired to the CPU directly */
    uint64_t base = rdmsr(MSR_APIC_BASE);
    uint64_t phys = base & 0x000ffffffffff000ull;
    wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    lapic = fut_mmio_map(phys, 4096);
    if (!lapic)
        return;
    lapic[LAPIC_SVR / 4] = 0x1ff; /* software-enable, spurious vector 0xff */
    lapic[LAPIC_LVT_LINT0 / 4] = LVT_EXTINT;
    lapic[LAPIC_LVT_LINT1 / 4] = LVT_NMI;
    calibrate_lapic_timer();
}

void fut_pic_init(void)
{
    /* ICW1..4: edge triggered, cascaded, vectors 32/40, 8086 mode. Until now
     * the BIOS mapping (IRQ 0 = vector 8) would make a timer tick look like a
     * double fault, so this runs before interrupts are ever enabled. */
    outb(PIC1_CMD, 0x11);
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, FUT_IRQ_BASE);
    outb(PIC2_DATA, FUT_IRQ_BASE + 8);
    outb(PIC1_DATA, 4);
    outb(PIC2_DATA, 2);
    outb(PIC1_DATA, 1);
    outb(PIC2_DATA, 1);
    irq_mask = 0xffff;
    set_mask();
    /* Every legacy vector has a handler, so a stray interrupt is acknowledged
     * and dropped rather than mistaken for a CPU exception. */
    for (unsigned irq = 0; irq < 16; irq++)
        fut_trap_set_handler(FUT_IRQ_BASE + irq, irq_dispatch);
}

void fut_timer_init(fut_tick_fn fn)
{
    route_pic_through_lapic();

    uint16_t divisor = (uint16_t)(PIT_HZ / FUT_TICK_HZ);
    outb(PIT_MODE, 0x34); /* channel 0, lobyte/hibyte, mode 2 (rate generator) */
    outb(PIT_CH0, divisor & 0xff);
    outb(PIT_CH0, divisor >> 8);
    tick_fn = fn;
    fut_irq_register(0, timer_irq);
}

void fut_irq_enable(void)
{
    __asm__ volatile("sti");
}

void fut_irq_disable(void)
{
    __asm__ volatile("cli");
}

uint64_t fut_irq_save(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq\n\tpopq %0\n\tcli" : "=r"(flags) : : "memory");
    return flags;
}

void fut_irq_restore(uint64_t flags)
{
    if (flags & (1u << 9))
        __asm__ volatile("sti" : : : "memory");
}
