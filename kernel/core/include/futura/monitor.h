#ifndef FUTURA_MONITOR_H
#define FUTURA_MONITOR_H

/* The kernel's built-in console monitor: a tiny command loop on the serial
 * console, used until user space provides a shell. Never returns. */
__attribute__((noreturn)) void fut_monitor_run(void);

#endif
