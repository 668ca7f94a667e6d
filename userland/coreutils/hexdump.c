/*
 * hexdump [-C] [-n LENGTH] [-s OFFSET] [FILE...]: show the bytes of the
 * FILEs (one stream; "-" or none: standard input), 16 per line.
 *
 *   default  "%07x" offset, then eight 16-bit little-endian words "%04x"
 *   -C       canonical: "%08x" offset, bytes "%02x" in two groups of eight,
 *            then the printable characters between '|' ('.' for the others)
 *   -n       only LENGTH bytes;  -s  skip OFFSET bytes first (offsets still
 *            count from the start)
 *
 * A line equal to the one before is shown as a single "*"; the last line is
 * the offset just past the end.
 */
#include <ctype.h>
#include <string.h>

#include "util.h"

enum { LINE = 16 };

static int canonical;

static void print_line(unsigned long long offset, const unsigned char *b, size_t n)
{
    if (canonical) {
        printf("%08llx ", offset);
        for (size_t i = 0; i < LINE; i++) {
            if (i % 8 == 0)
                putchar(' ');
            if (i < n)
                printf("%02x ", b[i]);
            else
                fputs("   ", stdout);
        }
        fputs(" |", stdout);
        for (size_t i = 0; i < n; i++)
            putchar(isprint(b[i]) ? b[i] : '.');
        fputs("|\n", stdout);
        return;
    }
    printf("%07llx", offset);
    for (size_t i = 0; i < n; i += 2)
        printf(" %04x", b[i] | (i + 1 < n ? b[i + 1] << 8 : 0));
    putchar('\n');
}

int main(int argc, char **argv)
{
    cu_init("hexdump", "hexdump [-C] [-n LENGTH] [-s OFFSET] [FILE...]");
    unsigned long long length = ~0ULL, skip = 0;
    int c;
    while ((c = cu_getopt(argc, argv, "Cn:s:")) != -1) {
        if (c == 'C') {
            canonical = 1;
        } else if (cu_parse_number(optarg, c == 'n' ? &length : &skip) != 0) {
            cu_usage_errorf("invalid number '%s'", optarg);
        }
    }

    struct cu_inputs in;
    cu_inputs_init(&in, argv + optind, argc - optind);
    unsigned char line[LINE], prev[LINE];
    /* Offsets count from the start of the input, skipped bytes included. */
    unsigned long long offset = 0;
    while (offset < skip) {
        size_t n = cu_inputs_read(&in, line, skip - offset < LINE ? (size_t)(skip - offset) : LINE);
        if (n == 0)
            break;
        offset += n;
    }
    unsigned long long end = length > ~0ULL - offset ? ~0ULL : offset + length;
    int have_prev = 0, starred = 0;
    for (;;) {
        size_t want = end - offset < LINE ? (size_t)(end - offset) : LINE;
        size_t n = want > 0 ? cu_inputs_read(&in, line, want) : 0;
        if (n == 0)
            break;
        if (n == LINE && have_prev && memcmp(line, prev, LINE) == 0) {
            if (!starred)
                puts("*");
            starred = 1;
        } else {
            print_line(offset, line, n);
            starred = 0;
        }
        memcpy(prev, line, LINE);
        have_prev = n == LINE;
        offset += n;
    }
    printf(canonical ? "%08llx\n" : "%07llx\n", offset);
    return cu_flush_stdout() | in.status;
}
