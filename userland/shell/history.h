/* Command history, kept in memory and appended to a file as each command
 * is entered ($HISTFILE, else ~/.futsh_history, or /tmp/.futsh_history
 * when HOME is / or unset). A poweroff right after a command loses
 * nothing. Entries with newlines are stored escaped (\n, \\). */
#ifndef FUTSH_HISTORY_H
#define FUTSH_HISTORY_H

#include <stddef.h>

enum { HISTORY_MAX = 1000 };

void history_init(void);
void history_add(const char *line);
size_t history_count(void);
/* 0 is the oldest entry kept. */
const char *history_get(size_t i);
/* The number `history` shows for entry 0. */
size_t history_first_number(void);
void history_clear(void);
const char *history_file(void);

#endif
