/* Host-test controls for the fake HAL: captured console output and poweroff. */
#ifndef FUTURA_FAKE_HAL_H
#define FUTURA_FAKE_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Everything written to the console since the last reset, NUL-terminated
 * (and its length, for output that holds NUL bytes). Both console writes
 * record bytes as given. */
const char *fut_fake_console_output(void);
size_t fut_fake_console_output_len(void);
void fut_fake_console_reset(void);
/* Replaces the input the fake UART holds: the next fut_hal_console_getc
 * calls return these bytes, in order. No interrupt. */
void fut_fake_console_feed(const char *s, size_t n);
/* Input arriving: appends to what the fake UART holds and, if an input
 * handler is installed (fut_hal_console_set_input_handler), runs it as the
 * receive interrupt would. */
void fut_fake_console_type(const char *s, size_t n);
/* Bytes the fake UART holds, not yet taken by fut_hal_console_getc. */
size_t fut_fake_console_input_waiting(void);
/* Whether an input handler is installed. */
bool fut_fake_console_input_interrupts(void);

/* Fake physical memory: `size` bytes of RAM at physical address `base`
 * (both page-aligned), zero-filled. fut_hal_phys_to_virt maps into it.
 * Calling it again replaces the previous arena. */
void fut_fake_phys_init(uint64_t base, size_t size);
void fut_fake_phys_release(void);

/* TLB flushes requested since the last reset (tests check shootdowns). */
struct fut_fake_tlb_stats {
    unsigned long pages;  /* fut_hal_tlb_flush_page calls */
    unsigned long ranges; /* fut_hal_tlb_flush_range calls */
    unsigned long all;    /* fut_hal_tlb_flush_all calls */
};
void fut_fake_tlb_stats(struct fut_fake_tlb_stats *out);
void fut_fake_tlb_reset(void);

#ifdef __cplusplus
}
#endif

#endif
