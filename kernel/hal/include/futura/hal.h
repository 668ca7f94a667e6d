/*
 * The hardware abstraction layer: the only way subsystems reach hardware.
 * kernel/arch/x86_64 implements it for real machines; testing/fake_hal
 * implements it for host tests. Keep it thin: mechanisms, not policy.
 */
#ifndef FUTURA_HAL_H
#define FUTURA_HAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Console output (the serial port on x86-64). Never fails, may be slow.
 * The kernel's own messages: "\n" goes out as "\r\n". */
void fut_hal_console_write(const char *s, size_t n);
/* The same bytes exactly as given: the terminal layer (vfs/tty.c) has done
 * its own output processing (ONLCR) already. */
void fut_hal_console_write_raw(const char *s, size_t n);

/* Next byte of console input, or -1 if none is waiting. Does not block.
 * Bytes that arrived during boot, before the console was set up, come
 * first. */
int fut_hal_console_getc(void);

/* Console input by interrupt: from now on fn runs in interrupt context
 * (interrupts masked) whenever input arrives, and takes it with
 * fut_hal_console_getc. While input is left unread the device holds it
 * (and stops taking more: flow control) and raises no further interrupt
 * until it has been read; so does input that was waiting before fn was
 * installed - the caller reads that itself. NULL turns the interrupt off. */
void fut_hal_console_set_input_handler(void (*fn)(void));

/*
 * Physical memory and page tables. Every frame of RAM is reachable at
 * fut_hal_phys_to_virt(phys) (the direct map on x86-64, an arena in host tests).
 */
void *fut_hal_phys_to_virt(uint64_t phys);
/* Inverse of fut_hal_phys_to_virt for direct-map and kernel-image addresses. */
uint64_t fut_hal_virt_to_phys(const void *virt);

/* The active top-level page table (CR3 on x86-64) and switching to another. */
uint64_t fut_hal_pt_root(void);
void fut_hal_pt_activate(uint64_t root_phys);

/* TLB maintenance after a page-table change. */
void fut_hal_tlb_flush_page(uint64_t va);
void fut_hal_tlb_flush_range(uint64_t start, uint64_t end);
void fut_hal_tlb_flush_all(void);

/* Cycle counter for benchmarks (TSC on x86-64); monotonic, unit unspecified. */
uint64_t fut_hal_cycles(void);
/* Converts a fut_hal_cycles() difference (or value) to nanoseconds. */
uint64_t fut_hal_cycles_to_ns(uint64_t cycles);

/* Nanoseconds since boot (monotonic) and since the Unix epoch (wall clock). */
uint64_t fut_hal_time_ns(void);
uint64_t fut_hal_wallclock_ns(void);
/* fut_hal_wallclock_ns() - fut_hal_time_ns(): constant between clock sets. */
uint64_t fut_hal_wallclock_offset_ns(void);

/* 64 bits from the best entropy source the machine has (RDRAND, else timing jitter). */
uint64_t fut_hal_entropy(void);

/* Ends the machine. status 0 means success; under QEMU it becomes the exit code
 * (see testing/qemu/README.md for the mapping). */
__attribute__((noreturn)) void fut_hal_poweroff(int status);

#ifdef __cplusplus
}
#endif

#endif
