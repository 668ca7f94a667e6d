/* Kernel command-line lookup; see futura/boot/cmdline.h. */
#include "futura/boot/cmdline.h"

#include "futura/lib/string.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static bool is_separator(const char *word, size_t len)
{
    return len == 2 && word[0] == '-' && word[1] == '-';
}

bool fut_cmdline_get(const char *cmdline, const char *key, char *out, size_t outsz)
{
    size_t keylen = strlen(key);
    bool found = false;
    const char *p = cmdline;
    while (*p) {
        while (is_space(*p))
            p++;
        const char *word = p;
        while (*p && !is_space(*p))
            p++;
        size_t len = (size_t)(p - word);
        if (is_separator(word, len))
            break; /* the rest belongs to init */
        if (len < keylen || memcmp(word, key, keylen) != 0)
            continue;
        if (len != keylen && word[keylen] != '=')
            continue;
        found = true;
        const char *val = len == keylen ? word + len : word + keylen + 1;
        size_t vlen = (size_t)(word + len - val);
        if (outsz) {
            size_t n = vlen < outsz - 1 ? vlen : outsz - 1;
            memcpy(out, val, n);
            out[n] = '\0';
        }
    }
    return found;
}

const char *fut_cmdline_init_args(const char *cmdline)
{
    const char *p = cmdline;
    while (*p) {
        while (is_space(*p))
            p++;
        const char *word = p;
        while (*p && !is_space(*p))
            p++;
        if (is_separator(word, (size_t)(p - word))) {
            while (is_space(*p))
                p++;
            return p;
        }
    }
    return NULL;
}
