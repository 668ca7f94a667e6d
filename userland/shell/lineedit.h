/* The interactive line editor: raw terminal mode, one line at a time.
 *
 * Keys: Left/Right (^B ^F), Home/End (^A ^E), Backspace, Delete (^D on a
 * non-empty line), ^U (kill to start), ^K (kill to end), ^W (kill word),
 * Up/Down (^P ^N) history, Tab completion, ^L clear, ^C cancel, ^D on an
 * empty line: end of input. Lines wider than the terminal scroll
 * horizontally. Control bytes in a line show as ^X. */
#ifndef FUTSH_LINEEDIT_H
#define FUTSH_LINEEDIT_H

#include "str.h"

enum lineedit_status {
    LE_LINE,      /* line holds the text (without the newline) */
    LE_EOF,       /* ^D on an empty line, or end of input */
    LE_INTERRUPT, /* ^C */
    LE_ERROR,     /* the terminal refused raw mode: read lines plainly */
};

/* Reads from `in`, draws on `out`. */
enum lineedit_status lineedit_read(int in, int out, const char *prompt, struct str *line);

#endif
