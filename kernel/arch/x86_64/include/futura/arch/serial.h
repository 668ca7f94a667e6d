#ifndef FUTURA_ARCH_SERIAL_H
#define FUTURA_ARCH_SERIAL_H

#include <stddef.h>

void fut_serial_init(void);
void fut_serial_write(const char *s, size_t n); /* "\n" becomes "\r\n" */
int fut_serial_getc(void);                      /* -1 if no byte is waiting */

#endif
