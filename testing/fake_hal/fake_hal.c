/* The HAL for host tests: the console is a growable buffer; poweroff ends the
 * process with the requested status (tests observe it with death tests). */
#include "futura/fake_hal.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "futura/hal.h"

static char *console;
static size_t console_len, console_cap;

/* Input the fake UART holds: bytes [input_pos, input_len) of input. */
static char *input;
static size_t input_len, input_pos, input_cap;
static void (*input_handler)(void);

/* Makes room for `need` bytes; *buf is never NULL afterwards. */
static void grow(char **buf, size_t *cap, size_t need)
{
    if (need == 0)
        need = 1;
    if (need <= *cap)
        return;
    size_t cap2 = need * 2;
    char *grown = realloc(*buf, cap2);
    if (!grown)
        abort();
    *buf = grown;
    *cap = cap2;
}

void fut_hal_console_write(const char *s, size_t n)
{
    grow(&console, &console_cap, console_len + n + 1);
    memcpy(console + console_len, s, n);
    console_len += n;
    console[console_len] = '\0';
}

/* The fake console never translates newlines: both writes record bytes. */
void fut_hal_console_write_raw(const char *s, size_t n)
{
    fut_hal_console_write(s, n);
}

const char *fut_fake_console_output(void)
{
    return console ? console : "";
}

size_t fut_fake_console_output_len(void)
{
    return console_len;
}

void fut_fake_console_reset(void)
{
    console_len = 0;
    if (console)
        console[0] = '\0';
}

void fut_fake_console_feed(const char *s, size_t n)
{
    input_len = input_pos = 0;
    grow(&input, &input_cap, n);
    memcpy(input, s, n);
    input_len = n;
}

void fut_fake_console_type(const char *s, size_t n)
{
    if (input_pos == input_len)
        input_len = input_pos = 0;
    grow(&input, &input_cap, input_len + n);
    memcpy(input + input_len, s, n);
    input_len += n;
    if (input_handler)
        input_handler();
}

size_t fut_fake_console_input_waiting(void)
{
    return input_len - input_pos;
}

bool fut_fake_console_input_interrupts(void)
{
    return input_handler != NULL;
}

int fut_hal_console_getc(void)
{
    return input_pos < input_len ? (unsigned char)input[input_pos++] : -1;
}

void fut_hal_console_set_input_handler(void (*fn)(void))
{
    input_handler = fn;
}

void fut_hal_poweroff(int status)
{
    fprintf(stderr, "fake_hal: poweroff(%d)\n", status);
    exit(status);
}
