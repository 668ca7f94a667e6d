/*
 * od [-bcdox] [FILE...]: dump the FILEs (one stream; "-" or none: standard
 * input), 16 bytes per line after an octal offset ("%07o").
 *
 *   -o  16-bit words in octal "%06o" (the default)
 *   -x  16-bit words in hex "%04x"
 *   -d  16-bit words in unsigned decimal "%5u"
 *   -b  bytes in octal "%03o"
 *   -c  bytes as characters: printable ones as is, \0 \a \b \t \n \v \f \r
 *       as escapes, the rest as three octal digits
 *
 * Words are little-endian; an odd last byte is padded with a zero byte.
 * Several formats give one line each per 16 bytes, the later ones indented
 * under the offset. A block equal to the one before is shown as "*"; the
 * last line is the offset just past the end.
 */
#include <ctype.h>
#include <string.h>

#include "util.h"

enum { LINE = 16, MAX_FORMATS = 8 };

static void print_format(char format, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned word = b[i] | (i + 1 < n ? b[i + 1] << 8 : 0);
        switch (format) {
        case 'o':
            printf(" %06o", word);
            i++;
            break;
        case 'x':
            printf(" %04x", word);
            i++;
            break;
        case 'd':
            printf(" %5u", word);
            i++;
            break;
        case 'b': printf(" %03o", b[i]); break;
        case 'c': {
            static const char escapes[] = "\0\a\b\t\n\v\f\r";
            static const char letters[] = "0abtnvfr";
            const char *e = b[i] != 0 ? memchr(escapes + 1, b[i], sizeof(escapes) - 2) : escapes;
            if (e != NULL)
                printf("  \\%c", letters[e - escapes]);
            else if (isprint(b[i]))
                printf("   %c", b[i]);
            else
                printf(" %03o", b[i]);
            break;
        }
        }
    }
    putchar('\n');
}

int main(int argc, char **argv)
{
    cu_init("od", "od [-bcdox] [FILE...]");
    char formats[MAX_FORMATS];
    int n_formats = 0;
    int c;
    while ((c = cu_getopt(argc, argv, "bcdox")) != -1)
        if (n_formats < MAX_FORMATS)
            formats[n_formats++] = (char)c;
    if (n_formats == 0)
        formats[n_formats++] = 'o';

    struct cu_inputs in;
    cu_inputs_init(&in, argv + optind, argc - optind);
    unsigned char line[LINE], prev[LINE];
    unsigned long long offset = 0;
    int have_prev = 0, starred = 0;
    size_t n;
    while ((n = cu_inputs_read(&in, line, LINE)) > 0) {
        if (n == LINE && have_prev && memcmp(line, prev, LINE) == 0) {
            if (!starred)
                puts("*");
            starred = 1;
        } else {
            for (int f = 0; f < n_formats; f++) {
                if (f == 0)
                    printf("%07llo", offset);
                else
                    fputs("       ", stdout);
                print_format(formats[f], line, n);
            }
            starred = 0;
        }
        memcpy(prev, line, LINE);
        have_prev = n == LINE;
        offset += n;
    }
    printf("%07llo\n", offset);
    return cu_flush_stdout() | in.status;
}
