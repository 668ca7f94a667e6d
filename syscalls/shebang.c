/* "#!" interpreter lines (see shebang.h). */
#include "futura/syscalls/shebang.h"

#include "futura/errno.h"
#include "futura/lib/string.h"

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

bool fut_shebang_is_script(const void *buf, size_t len)
{
    const char *s = buf;
    return len >= 2 && s[0] == '#' && s[1] == '!';
}

int fut_shebang_parse(const void *buf, size_t len, struct fut_shebang *out)
{
    const char *s = buf;
    if (!fut_shebang_is_script(buf, len))
        return -ENOEXEC;
    if (len > FUT_SHEBANG_MAX)
        len = FUT_SHEBANG_MAX;
    /* The line: up to a newline, or all we have (a file without one). */
    size_t end = 2;
    while (end < len && s[end] != '\n') {
        if (s[end] == '\0')
            return -ENOEXEC; /* a NUL cannot be passed on in a name */
        end++;
    }
    bool newline = end < len;
    size_t i = 2;
    while (i < end && blank(s[i]))
        i++;
    size_t name = i;
    while (i < end && !blank(s[i]))
        i++;
    if (i == name)
        return -ENOEXEC; /* "#!" and nothing */
    if (i == end && !newline && len == FUT_SHEBANG_MAX)
        return -ENOEXEC; /* the interpreter's name may go on past the buffer */
    memcpy(out->interp, s + name, i - name);
    out->interp[i - name] = '\0';

    while (i < end && blank(s[i]))
        i++;
    size_t arg_end = end;
    while (arg_end > i && blank(s[arg_end - 1]))
        arg_end--;
    memcpy(out->arg, s + i, arg_end - i);
    out->arg[arg_end - i] = '\0';
    out->has_arg = arg_end > i;
    return 0;
}
