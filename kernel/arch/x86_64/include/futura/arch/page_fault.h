#ifndef FUTURA_ARCH_PAGE_FAULT_H
#define FUTURA_ARCH_PAGE_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "futura/arch/trap.h"
#include "futura/memory/mm.h"

/* Installs the #PF handler. */
void fut_page_fault_init(void);

/* What to do with a user-mode fault the memory layer refused (the process
 * layer delivers SIGSEGV/SIGBUS); return true if execution may resume. */
typedef bool (*fut_user_fault_fn)(struct fut_trap_frame *frame, uint64_t addr,
                                  enum fut_fault_result result);
void fut_page_fault_set_user_handler(fut_user_fault_fn fn);

#endif
