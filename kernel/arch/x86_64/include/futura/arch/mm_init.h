#ifndef FUTURA_ARCH_MM_INIT_H
#define FUTURA_ARCH_MM_INIT_H

#include "futura/boot/bootinfo.h"

/* Brings up the PMM and the final kernel page tables; panics if it cannot. */
void fut_arch_memory_init(const struct fut_bootinfo *bi);

#endif
