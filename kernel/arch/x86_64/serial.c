/* 16550 UART on COM1: the kernel console (115200 8N1). Output is polled;
 * input is polled or, once the terminal layer asks, interrupt-driven
 * (IRQ 4 on "received data available"). */
#include "futura/arch/serial.h"

#include "futura/arch/cpu.h"

#define COM1 0x3f8
#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define IER_RX_AVAILABLE 0x01
/* FIFOs on, transmit side cleared (the receive side is not: that would
 * discard input already waiting), receive interrupt at 14 bytes - or when
 * fewer have waited four character times, so a single key is seen at once
 * while bulk input comes 14 bytes per interrupt. */
#define FCR_SETUP 0xc5
#define REG_IIR 2          /* read side of the FCR's port */
#define IIR_FIFOS_ON 0xc0  /* both bits set: the FIFOs are enabled */

/* Bytes that arrived before fut_serial_init reprogrammed the UART. */
static uint8_t early_input[64];
static unsigned early_head, early_len;

/* Enabling or clearing the FIFO discards received bytes; input piped into
 * QEMU may already be waiting, so keep it. */
static void save_pending_input(void)
{
    while ((inb(COM1 + REG_LSR) & LSR_DATA_READY) && early_len < sizeof(early_input))
        early_input[early_len++] = inb(COM1 + REG_DATA);
}

void fut_serial_init(void)
{
    save_pending_input();
    outb(COM1 + REG_IER, 0x00);  /* no interrupts yet */
    outb(COM1 + REG_LCR, 0x80);  /* DLAB on to set the divisor */
    outb(COM1 + REG_DATA, 0x01); /* 115200 baud */
    outb(COM1 + REG_IER, 0x00);
    outb(COM1 + REG_LCR, 0x03);  /* 8N1, DLAB off */
    /* Turning the FIFOs on (a 0->1 change of FCR's enable bit) makes the
     * UART drop whatever it holds, and input can land between our last look
     * and that write - a lost keystroke. So FIFOs are only (re)programmed
     * when the firmware already had them on (GRUB does; qboot does not);
     * otherwise the UART stays in byte-at-a-time mode, which loses nothing. */
    save_pending_input();
    if ((inb(COM1 + REG_IIR) & IIR_FIFOS_ON) == IIR_FIFOS_ON)
        outb(COM1 + REG_FCR, FCR_SETUP);
    outb(COM1 + REG_MCR, 0x0b);  /* DTR, RTS, OUT2 */
}

static void serial_putc(char c)
{
    while (!(inb(COM1 + REG_LSR) & LSR_THR_EMPTY))
        ;
    outb(COM1 + REG_DATA, (uint8_t)c);
}

void fut_serial_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
}

void fut_serial_write_raw(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        serial_putc(s[i]);
}

void fut_serial_set_rx_interrupt(bool on)
{
    outb(COM1 + REG_IER, on ? IER_RX_AVAILABLE : 0);
}

int fut_serial_getc(void)
{
    if (early_head < early_len)
        return early_input[early_head++];
    if (!(inb(COM1 + REG_LSR) & LSR_DATA_READY))
        return -1;
    return inb(COM1 + REG_DATA);
}
