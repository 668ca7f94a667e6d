/* The HAL for host tests: the console is a growable buffer; poweroff ends the
 * process with the requested status (tests observe it with death tests). */
#include "futura/fake_hal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "futura/hal.h"

static char *console;
static size_t console_len, console_cap;
static char input[4096];
static size_t input_len, input_pos;

void fut_hal_console_write(const char *s, size_t n)
{
    if (console_len + n + 1 > console_cap) {
        size_t cap = (console_len + n + 1) * 2;
        char *grown = realloc(console, cap);
        if (!grown)
            abort();
        console = grown;
        console_cap = cap;
    }
    memcpy(console + console_len, s, n);
    console_len += n;
    console[console_len] = '\0';
}

const char *fut_fake_console_output(void)
{
    return console ? console : "";
}

void fut_fake_console_reset(void)
{
    console_len = 0;
    if (console)
        console[0] = '\0';
}

void fut_fake_console_feed(const char *s, size_t n)
{
    if (n > sizeof(input))
        n = sizeof(input);
    memcpy(input, s, n);
    input_len = n;
    input_pos = 0;
}

int fut_hal_console_getc(void)
{
    return input_pos < input_len ? (unsigned char)input[input_pos++] : -1;
}

void fut_hal_poweroff(int status)
{
    fprintf(stderr, "fake_hal: poweroff(%d)\n", status);
    exit(status);
}
