/* Trap frames, exception dispatch and the exception (fixup) table. */
#ifndef FUTURA_ARCH_TRAP_H
#define FUTURA_ARCH_TRAP_H

#include <stdbool.h>
#include <stdint.h>

/* Layout pushed by isr.S: general registers, then vector and error code,
 * then what the CPU pushed. Keep in sync with isr.S. */
struct fut_trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

/* A handler returns true when it resolved the trap and execution may resume. */
typedef bool (*fut_trap_handler_fn)(struct fut_trap_frame *frame);

void fut_idt_init(void);
void fut_trap_set_handler(unsigned vector, fut_trap_handler_fn fn);

/* Runs before every return to user mode from an interrupt or exception
 * (preemption, pending signals). May switch threads. */
typedef void (*fut_trap_return_fn)(struct fut_trap_frame *frame);
void fut_trap_set_return_hook(fut_trap_return_fn fn);

/* Handles a CPU exception raised in user mode that no handler resolved
 * (#UD, #GP, #DE, ...): the process layer turns it into a signal. */
typedef void (*fut_user_exception_fn)(struct fut_trap_frame *frame);
void fut_trap_set_user_exception_hook(fut_user_exception_fn fn);

/* Prints vector, name, error code, RIP, RSP, CR2, CR3 and all registers. */
void fut_trap_dump(const struct fut_trap_frame *frame);
const char *fut_exception_name(unsigned vector);

/* Exception table: an instruction allowed to fault, and where to resume.
 * Used by probes now and by copy_from_user/copy_to_user later. */
struct fut_extable_entry {
    uint64_t insn;
    uint64_t fixup;
};
const struct fut_extable_entry *fut_extable_find(uint64_t rip);

/* When set, faults recovered through the exception table are still dumped
 * (test=fault uses this to show the dump of a survivable fault). */
extern volatile bool fut_trap_dump_recovered;

/* Reads 8 bytes at addr into *out; returns 0, or -EFAULT if it faulted. */
int fut_arch_probe_read(const void *addr, uint64_t *out);
/* Writes 8 bytes at addr; returns 0, or -EFAULT if it faulted. */
int fut_arch_probe_write(void *addr, uint64_t value);
/* Executes ud2; returns 1 when the #UD was recovered through the table. */
int fut_arch_probe_invalid_opcode(void);

#endif
