/*
 * What happens when no handler resolves a trap: the exception table gets a
 * chance (probes, later user-copy routines), otherwise the machine prints a
 * full register dump and powers off with a failure status.
 */
#include "futura/arch/cpu.h"
#include "futura/arch/trap.h"
#include "futura/hal.h"
#include "futura/lib/printk.h"

volatile bool fut_trap_dump_recovered;

extern const struct fut_extable_entry fut_extable_start[];
extern const struct fut_extable_entry fut_extable_end[];

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
    "#NP segment not present", "#SS stack fault", "#GP general protection",
    "#PF page fault", "reserved (15)", "#MF x87 floating point", "#AC alignment check",
    "#MC machine check", "#XM SIMD floating point", "#VE virtualization",
    "#CP control protection", "reserved (22)", "reserved (23)", "reserved (24)",
    "reserved (25)", "reserved (26)", "reserved (27)", "#HV hypervisor injection",
    "#VC VMM communication", "#SX security", "reserved (31)",
};

const char *fut_exception_name(unsigned vector)
{
    return vector < 32 ? exception_names[vector] : "interrupt";
}

const struct fut_extable_entry *fut_extable_find(uint64_t rip)
{
    for (const struct fut_extable_entry *e = fut_extable_start; e < fut_extable_end; e++) {
        if (e->insn == rip)
            return e;
    }
    return 0;
}

void fut_trap_dump(const struct fut_trap_frame *f)
{
    fut_printk("EXCEPTION: vector %lu (%s) error 0x%lx\n", f->vector,
               fut_exception_name((unsigned)f->vector), f->error);
    fut_printk("  RIP=%016lx RSP=%016lx CR2=%016lx CR3=%016lx\n", f->rip, f->rsp, read_cr2(),
               read_cr3());
    fut_printk("  RAX=%016lx RBX=%016lx RCX=%016lx RDX=%016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    fut_printk("  RSI=%016lx RDI=%016lx RBP=%016lx R8 =%016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
    fut_printk("  R9 =%016lx R10=%016lx R11=%016lx R12=%016lx\n", f->r9, f->r10, f->r11, f->r12);
    fut_printk("  R13=%016lx R14=%016lx R15=%016lx RFLAGS=%016lx\n", f->r13, f->r14, f->r15,
               f->rflags);
    fut_printk("  CS=%04lx SS=%04lx CR0=%016lx CR4=%016lx\n", f->cs, f->ss, read_cr0(), read_cr4());
}

void fut_exception_unhandled(struct fut_trap_frame *frame)
{
    const struct fut_extable_entry *fix = fut_extable_find(frame->rip);
    if (fix) {
        if (fut_trap_dump_recovered) {
            fut_trap_dump(frame);
            fut_printk("  recovered: resuming at fixup %016lx\n", fix->fixup);
        }
        frame->rip = fix->fixup;
        return;
    }
    fut_trap_dump(frame);
    fut_printk("FATAL: unhandled %s in %s mode; halting\n", fut_exception_name((unsigned)frame->vector),
               (frame->cs & 3) ? "user" : "kernel");
    fut_hal_poweroff(FUT_EXIT_PANIC);
}
