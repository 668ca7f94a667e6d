/* printf-style formatting engine; see futura/lib/format.h. */
#include "futura/lib/format.h"

#include <stdbool.h>
#include <stdint.h>

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_MAX };

struct spec {
    bool left;      /* '-' */
    bool zero;      /* '0' */
    bool plus;      /* '+' */
    bool space;     /* ' ' */
    bool alt;       /* '#' */
    int width;      /* minimum field width, 0 if none */
    int precision;  /* -1 if none */
    enum length length;
};

struct out {
    fut_sink_fn sink;
    void *ctx;
    int count;
};

static void emit(struct out *o, const char *s, size_t n)
{
    if (n) {
        o->sink(o->ctx, s, n);
        o->count += (int)n;
    }
}

static void emit_repeat(struct out *o, char c, int n)
{
    char chunk[16];
    for (int i = 0; i < (int)sizeof(chunk); i++)
        chunk[i] = c;
    while (n > 0) {
        int k = n < (int)sizeof(chunk) ? n : (int)sizeof(chunk);
        emit(o, chunk, (size_t)k);
        n -= k;
    }
}

static size_t bounded_strlen(const char *s, int max)
{
    size_t n = 0;
    while ((max < 0 || n < (size_t)max) && s[n])
        n++;
    return n;
}

/* Pads a finished piece of text to the field width. */
static void emit_padded(struct out *o, const struct spec *sp, const char *s, size_t n)
{
    int pad = sp->width > (int)n ? sp->width - (int)n : 0;
    if (!sp->left)
        emit_repeat(o, ' ', pad);
    emit(o, s, n);
    if (sp->left)
        emit_repeat(o, ' ', pad);
}

/* Formats an unsigned magnitude with sign/prefix, precision and padding. */
static void emit_number(struct out *o, const struct spec *sp, uint64_t value, unsigned base,
                        bool upper, const char *sign_or_prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int len = 0;

    /* C: a zero value with precision 0 prints no digits. */
    if (!(value == 0 && sp->precision == 0)) {
        do {
            buf[sizeof(buf) - 1 - len++] = digits[value % base];
            value /= base;
        } while (value);
    }
    const char *num = &buf[sizeof(buf) - len];

    int prefix_len = (int)bounded_strlen(sign_or_prefix, -1);
    int zeros = sp->precision > len ? sp->precision - len : 0;
    int body = prefix_len + zeros + len;
    int pad = sp->width > body ? sp->width - body : 0;

    /* The '0' flag pads with zeros after the sign, unless a precision is given. */
    if (sp->zero && !sp->left && sp->precision < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!sp->left)
        emit_repeat(o, ' ', pad);
    emit(o, sign_or_prefix, (size_t)prefix_len);
    emit_repeat(o, '0', zeros);
    emit(o, num, (size_t)len);
    if (sp->left)
        emit_repeat(o, ' ', pad);
}

static int64_t take_signed(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR: return (signed char)va_arg(*ap, int);
    case LEN_SHORT: return (short)va_arg(*ap, int);
    case LEN_LONG: return va_arg(*ap, long);
    case LEN_LLONG: return va_arg(*ap, long long);
    case LEN_SIZE: return (int64_t)va_arg(*ap, size_t);
    case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
    case LEN_MAX: return va_arg(*ap, intmax_t);
    default: return va_arg(*ap, int);
    }
}

static uint64_t take_unsigned(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_LONG: return va_arg(*ap, unsigned long);
    case LEN_LLONG: return va_arg(*ap, unsigned long long);
    case LEN_SIZE: return va_arg(*ap, size_t);
    case LEN_PTRDIFF: return (uint64_t)va_arg(*ap, ptrdiff_t);
    case LEN_MAX: return va_arg(*ap, uintmax_t);
    default: return va_arg(*ap, unsigned int);
    }
}

/* Parses flags, width, precision and length after '%'; returns the conversion char's position. */
static const char *parse_spec(const char *p, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){.precision = -1};
    for (;; p++) {
        if (*p == '-') sp->left = true;
        else if (*p == '0') sp->zero = true;
        else if (*p == '+') sp->plus = true;
        else if (*p == ' ') sp->space = true;
        else if (*p == '#') sp->alt = true;
        else break;
    }
    if (*p == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) {
            sp->left = true;
            sp->width = -sp->width;
        }
        p++;
    } else {
        while (*p >= '0' && *p <= '9')
            sp->width = sp->width * 10 + (*p++ - '0');
    }
    if (*p == '.') {
        p++;
        sp->precision = 0;
        if (*p == '*') {
            sp->precision = va_arg(*ap, int);
            if (sp->precision < 0)
                sp->precision = -1;
            p++;
        } else {
            while (*p >= '0' && *p <= '9')
                sp->precision = sp->precision * 10 + (*p++ - '0');
        }
    }
    switch (*p) {
    case 'h':
        if (p[1] == 'h') { sp->length = LEN_CHAR; p += 2; }
        else { sp->length = LEN_SHORT; p++; }
        break;
    case 'l':
        if (p[1] == 'l') { sp->length = LEN_LLONG; p += 2; }
        else { sp->length = LEN_LONG; p++; }
        break;
    case 'z': sp->length = LEN_SIZE; p++; break;
    case 't': sp->length = LEN_PTRDIFF; p++; break;
    case 'j': sp->length = LEN_MAX; p++; break;
    default: break;
    }
    return p;
}

/* '#' with o raises the precision just enough that the first digit is a zero:
 * no extra zero when the digits or the precision padding already start with one. */
static bool octal_needs_zero(const struct spec *sp, uint64_t v)
{
    if (!sp->alt)
        return false;
    if (v == 0)
        return sp->precision == 0; /* otherwise the digit "0" is printed */
    int digits = 0;
    for (; v; v >>= 3)
        digits++;
    return sp->precision <= digits;
}

static void convert(struct out *o, const struct spec *sp, char conv, va_list *ap)
{
    switch (conv) {
    case 'd':
    case 'i': {
        int64_t v = take_signed(ap, sp->length);
        uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        const char *sign = v < 0 ? "-" : sp->plus ? "+" : sp->space ? " " : "";
        emit_number(o, sp, mag, 10, false, sign);
        break;
    }
    case 'u':
        emit_number(o, sp, take_unsigned(ap, sp->length), 10, false, "");
        break;
    case 'x':
    case 'X': {
        uint64_t v = take_unsigned(ap, sp->length);
        const char *prefix = (sp->alt && v) ? (conv == 'x' ? "0x" : "0X") : "";
        emit_number(o, sp, v, 16, conv == 'X', prefix);
        break;
    }
    case 'o': {
        uint64_t v = take_unsigned(ap, sp->length);
        emit_number(o, sp, v, 8, false, octal_needs_zero(sp, v) ? "0" : "");
        break;
    }
    case 'p': {
        uintptr_t v = (uintptr_t)va_arg(*ap, void *);
        if (!v) {
            emit_padded(o, sp, "(nil)", 5);
            break;
        }
        emit_number(o, sp, v, 16, false, "0x");
        break;
    }
    case 's': {
        const char *s = va_arg(*ap, const char *);
        if (!s)
            s = sp->precision < 0 || sp->precision >= 6 ? "(null)" : "";
        emit_padded(o, sp, s, bounded_strlen(s, sp->precision));
        break;
    }
    case 'c': {
        char c = (char)va_arg(*ap, int);
        emit_padded(o, sp, &c, 1);
        break;
    }
    default:
        /* Unknown conversions are printed verbatim so mistakes stay visible. */
        emit(o, "%", 1);
        emit(o, &conv, 1);
        break;
    }
}

int fut_vformat(fut_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
    struct out o = {.sink = sink, .ctx = ctx, .count = 0};
    va_list args;
    va_copy(args, ap);
    const char *p = fmt;
    while (*p) {
        const char *start = p;
        while (*p && *p != '%')
            p++;
        emit(&o, start, (size_t)(p - start));
        if (!*p)
            break;
        p++; /* skip '%' */
        if (*p == '%') {
            emit(&o, "%", 1);
            p++;
            continue;
        }
        struct spec sp;
        p = parse_spec(p, &sp, &args);
        if (!*p)
            break; /* a lone trailing '%' prints nothing */
        convert(&o, &sp, *p++, &args);
    }
    va_end(args);
    return o.count;
}

struct buf_ctx {
    char *buf;
    size_t size;
    size_t used;
};

static void buf_sink(void *ctx, const char *s, size_t n)
{
    struct buf_ctx *b = ctx;
    for (size_t i = 0; i < n; i++) {
        if (b->used + 1 < b->size)
            b->buf[b->used] = s[i];
        b->used++;
    }
}

int fut_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buf_ctx b = {.buf = buf, .size = size, .used = 0};
    int n = fut_vformat(buf_sink, &b, fmt, ap);
    if (size)
        buf[b.used < size ? b.used : size - 1] = '\0';
    return n;
}

int fut_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fut_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
