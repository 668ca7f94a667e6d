#ifndef FUTURA_FUTEX_H
#define FUTURA_FUTEX_H

#include <stdint.h>

/* Wakes up to n threads waiting in futex(FUTEX_WAIT) on the user word at
 * uaddr (of the calling address space); returns how many were woken. */
int fut_futex_wake(uint64_t uaddr, int n);
/* futex(FUTEX_WAIT): sleeps while *uaddr == val, until woken, interrupted
 * (-EINTR) or the absolute deadline passes (-ETIMEDOUT; 0 means none). */
long fut_futex_wait(uint64_t uaddr, uint32_t val, uint64_t deadline_ns);

#endif
