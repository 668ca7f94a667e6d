#ifndef FUTURA_KMAIN_H
#define FUTURA_KMAIN_H

#include "futura/boot/bootinfo.h"

/* Architecture-independent start of the kernel; called once by the arch boot code. */
__attribute__((noreturn)) void fut_kmain(const struct fut_bootinfo *bi);

/* The boot information, for subsystems that need it after start-up. */
const struct fut_bootinfo *fut_boot_info(void);

#endif
