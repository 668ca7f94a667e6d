/*
 * The serial console as a terminal: one tty on the HAL's console, behind
 * both /dev/console and /dev/tty. Its input handler goes in at the first
 * open; until then input waits in the UART and the HAL (which also keeps
 * the bytes that arrived during boot), and that open takes it all in. The
 * kernel monitor, which runs when there is no init and never opens the
 * console, keeps polling the HAL.
 */
#include "futura/hal.h"
#include "futura/vfs/abi.h"
#include "futura/vfs/tty.h"

#define TTY_MAJOR 5
#define TTY_MINOR_TTY 0
#define TTY_MINOR_CONSOLE 1

static struct fut_tty console;

static void console_write(struct fut_tty *tty, const char *buf, size_t len)
{
    (void)tty;
    fut_hal_console_write_raw(buf, len);
}

static int console_getc(struct fut_tty *tty)
{
    (void)tty;
    return fut_hal_console_getc();
}

/* Interrupt context: the UART has input. */
static void console_input_interrupt(void)
{
    fut_tty_input_ready(&console);
}

/* Every open (re)installs the input handler, which is cheap and keeps no
 * "installed" state to go stale, and takes in the input that was already
 * waiting: it raises no interrupt. */
static int console_open(struct fut_tty *tty)
{
    fut_hal_console_set_input_handler(console_input_interrupt);
    fut_tty_input_ready(tty);
    return 0;
}

static const struct fut_tty_ops console_ops = {
    .write = console_write,
    .getc = console_getc,
    .open = console_open,
};

struct fut_tty *fut_tty_console(void)
{
    if (!console.ops)
        fut_tty_init(&console, &console_ops, NULL);
    return &console;
}

struct fut_tty *fut_tty_of_rdev(uint64_t rdev)
{
    if (rdev == fut_makedev(TTY_MAJOR, TTY_MINOR_TTY) ||
        rdev == fut_makedev(TTY_MAJOR, TTY_MINOR_CONSOLE))
        return fut_tty_console();
    return NULL;
}
