#!/usr/bin/env bash
# Writes the keys userland/tests/tty.c expects on its console (the tty_qemu
# test feeds them to the serial port from boot on). QEMU sends Enter as CR.
#   1. lines for canonical mode, with editing keys, end of file, a 64 KiB
#      line and binary bytes;
#   2. typeahead the program reads in raw mode: a part line, then 12 KiB of
#      lines - more than the tty's 8 KiB ring, so the rest waits in QEMU;
#   3. every byte value, which (after part 2) arrives only once the program
#      has switched to raw mode.
set -eu
export LC_ALL=C
printf 'hello wor\x7f\x7f\x7fxyz\r'  # DEL erases three characters
printf 'garbage\x15fixed\r'          # ^U kills the line
printf 'one two\x17three\r'          # ^W erases a word
printf 'bax\x08ck\r'                 # backspace erases too
printf 'lit\x16\x15eral\r'           # ^V quotes ^U
printf 'partial\x04'                 # ^D after text: the text, without newline
printf '\x04'                        # ^D at the start of a line: end of file
head -c 65536 /dev/zero | tr '\0' A  # a 64 KiB line: 4095 bytes are kept
printf '\r'
printf 'bin\x00\x01\x80\xfe\xff\r'   # binary bytes in a line
printf 'xyz'
awk 'BEGIN { for (k = 0; k < 12288; k++) printf "%c", (k % 64 == 63) ? 10 : 97 + (int(k / 64) + k % 64) % 26 }'
for i in $(seq 0 255); do printf "\\x$(printf %02x "$i")"; done
