#ifndef FUTURA_ARCH_MMIO_H
#define FUTURA_ARCH_MMIO_H

#include <stddef.h>
#include <stdint.h>

/* Maps device registers at physical `phys` (uncached) into the kernel half,
 * shared by every address space; returns the virtual address or NULL. */
void *fut_mmio_map(uint64_t phys, size_t len);

#endif
