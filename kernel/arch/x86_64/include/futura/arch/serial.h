#ifndef FUTURA_ARCH_SERIAL_H
#define FUTURA_ARCH_SERIAL_H

#include <stdbool.h>
#include <stddef.h>

#define FUT_SERIAL_IRQ 4 /* COM1 */

void fut_serial_init(void);
void fut_serial_write(const char *s, size_t n);     /* "\n" becomes "\r\n" */
void fut_serial_write_raw(const char *s, size_t n); /* bytes as they are */
int fut_serial_getc(void);                          /* -1 if no byte is waiting */
/* Interrupt on received data (FUT_SERIAL_IRQ), or not. The line stays
 * raised while unread data waits; the PIC is edge-triggered, so the next
 * interrupt comes after the receive FIFO has been emptied. */
void fut_serial_set_rx_interrupt(bool on);

#endif
