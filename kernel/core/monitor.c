/*
 * The built-in kernel monitor: reads lines from the console and runs a few
 * commands (help, info, dmesg, test NAME, poweroff). It exists so a booted
 * Futura is usable before user space does; input is bounded and echoed.
 */
#include "futura/monitor.h"

#include "futura/boot/bootinfo.h"
#include "futura/hal.h"
#include "futura/kmain.h"
#include "futura/lib/printk.h"
#include "futura/lib/string.h"
#include "futura/selftest.h"

#define LINE_MAX 128

static size_t read_line(char *buf, size_t size)
{
    size_t len = 0;
    for (;;) {
        int c = fut_hal_console_getc();
        if (c < 0) {
            __asm__ volatile("pause");
            continue;
        }
        if (c == '\r' || c == '\n') {
            fut_printk("\n");
            buf[len] = '\0';
            return len;
        }
        if (c == 0x7f || c == '\b') {
            if (len) {
                len--;
                fut_printk("\b \b");
            }
            continue;
        }
        if (c < 0x20 || c > 0x7e || len + 1 >= size)
            continue; /* ignore control bytes and overlong input */
        buf[len++] = (char)c;
        fut_printk("%c", c);
    }
}

static void cmd_info(void)
{
    const struct fut_bootinfo *bi = fut_boot_info();
    fut_printk("protocol %s, %lu MiB usable RAM, command line \"%s\"\n", bi->protocol,
               fut_bootinfo_usable_bytes(bi) >> 20, bi->cmdline);
}

static void cmd_dmesg(void)
{
    static char buf[FUT_KLOG_SIZE];
    size_t n = fut_klog_read(buf, sizeof(buf));
    fut_hal_console_write(buf, n);
}

static void run(char *line)
{
    if (!*line)
        return;
    if (strcmp(line, "help") == 0) {
        fut_printk("commands: help, info, dmesg, test NAME|all, poweroff\n");
    } else if (strcmp(line, "info") == 0) {
        cmd_info();
    } else if (strcmp(line, "dmesg") == 0) {
        cmd_dmesg();
    } else if (strncmp(line, "test ", 5) == 0) {
        fut_selftest_run(line + 5);
    } else if (strcmp(line, "poweroff") == 0) {
        fut_printk("powering off\n");
        fut_hal_poweroff(0);
    } else {
        fut_printk("futura: %s: unknown command (try help)\n", line);
    }
}

void fut_monitor_run(void)
{
    char line[LINE_MAX];
    fut_printk("Futura monitor ready. Type 'help'.\n");
    for (;;) {
        fut_printk("futura> ");
        read_line(line, sizeof(line));
        run(line);
    }
}
