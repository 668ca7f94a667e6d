/* Host-test controls for the fake HAL: captured console output and poweroff. */
#ifndef FUTURA_FAKE_HAL_H
#define FUTURA_FAKE_HAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Everything written to the console since the last reset, NUL-terminated. */
const char *fut_fake_console_output(void);
void fut_fake_console_reset(void);
/* Bytes the next fut_hal_console_getc calls return, in order. */
void fut_fake_console_feed(const char *s, size_t n);

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
