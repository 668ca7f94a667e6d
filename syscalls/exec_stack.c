/*
 * The initial user stack (see futura/syscalls/exec_stack.h).
 *
 * The image is written top-down into the caller's buffer: first the strings
 * and bytes whose addresses the vectors point at, then - from the 16-byte
 * aligned rsp upwards - argc, argv, envp and auxv. Sizes are computed once, up
 * front, so the writes below can never run out of buffer.
 */
#include "futura/syscalls/exec_stack.h"

#include "futura/errno.h"
#include "futura/lib/string.h"

#define TOP_ZERO_BYTES 8u /* Linux leaves a NULL word at the very top */
#define RANDOM_BYTES 16u

/* Bytes of the strings and random bytes that sit above the vectors. */
struct string_sizes {
    uint64_t args; /* argv strings, NULs included */
    uint64_t envs; /* envp strings, NULs included */
    uint64_t execfn;
};

/* Adds the sizes of n strings to *total, failing past FUT_EXEC_ARG_MAX. */
static int measure_strings(const char *const *strs, uint32_t n, uint64_t *total, uint64_t *sum)
{
    *sum = 0;
    if (n > 0 && strs == NULL)
        return -EINVAL;
    for (uint32_t i = 0; i < n; i++) {
        if (strs[i] == NULL)
            return -EINVAL;
        uint64_t len = strnlen(strs[i], FUT_EXEC_ARG_MAX) + 1;
        if (len > FUT_EXEC_ARG_MAX - *total)
            return -E2BIG;
        *total += len;
        *sum += len;
    }
    return 0;
}

static int measure(const struct fut_exec_stack_args *args, struct string_sizes *sz)
{
    uint64_t total = 0;
    int err;

    if (args->execfn == NULL || args->random == NULL)
        return -EINVAL;
    if ((uint64_t)args->argc + args->envc > FUT_EXEC_MAX_STRINGS)
        return -E2BIG;
    err = measure_strings(args->argv, args->argc, &total, &sz->args);
    if (err)
        return err;
    err = measure_strings(args->envp, args->envc, &total, &sz->envs);
    if (err)
        return err;
    sz->execfn = strnlen(args->execfn, FUT_EXEC_EXECFN_MAX) + 1;
    if (sz->execfn > FUT_EXEC_EXECFN_MAX)
        return -E2BIG;
    return 0;
}

static uint64_t vector_words(const struct fut_exec_stack_args *args)
{
    /* argc, argv + NULL, envp + NULL, auxv pairs */
    return 1 + (args->argc + 1ull) + (args->envc + 1ull) + 2ull * FUT_EXEC_AUXV_ENTRIES;
}

static uint64_t image_size(const struct fut_exec_stack_args *args, const struct string_sizes *sz)
{
    uint64_t above = TOP_ZERO_BYTES + sz->execfn + sz->envs + sz->args + sizeof(FUT_EXEC_PLATFORM) +
                     RANDOM_BYTES;
    return (above + 8 * vector_words(args) + 15) & ~15ull;
}

int fut_exec_stack_size(const struct fut_exec_stack_args *args, uint64_t *size)
{
    struct string_sizes sz;
    int err = measure(args, &sz);

    if (err)
        return err;
    *size = image_size(args, &sz);
    return 0;
}

/* The image being written: user address `cursor` and below are still free;
 * user address a lives at end[a - top] (a < top). */
struct image {
    unsigned char *end;
    uint64_t top;
    uint64_t cursor;
};

static unsigned char *at(const struct image *im, uint64_t addr)
{
    return im->end - (im->top - addr);
}

static uint64_t push_bytes(struct image *im, const void *bytes, uint64_t len)
{
    im->cursor -= len;
    memcpy(at(im, im->cursor), bytes, len);
    return im->cursor;
}

static uint64_t push_string(struct image *im, const char *s)
{
    return push_bytes(im, s, strlen(s) + 1);
}

/* Stores a 64-bit word at addr and returns the next word's address. */
static uint64_t put_word(const struct image *im, uint64_t addr, uint64_t value)
{
    memcpy(at(im, addr), &value, sizeof(value));
    return addr + sizeof(value);
}

static uint64_t put_aux(const struct image *im, uint64_t addr, uint64_t type, uint64_t value)
{
    return put_word(im, put_word(im, addr, type), value);
}

/* argv strings under the envp strings under execfn, each array in order. */
static void push_strings(struct image *im, const struct fut_exec_stack_args *args,
                         struct fut_exec_stack_layout *layout)
{
    static const unsigned char top_zero[TOP_ZERO_BYTES];

    push_bytes(im, top_zero, sizeof(top_zero));
    layout->execfn = push_string(im, args->execfn);
    layout->env_end = im->cursor;
    for (uint32_t i = args->envc; i-- > 0;)
        push_string(im, args->envp[i]);
    layout->env_start = im->cursor;
    layout->arg_end = im->cursor;
    for (uint32_t i = args->argc; i-- > 0;)
        push_string(im, args->argv[i]);
    layout->arg_start = im->cursor;
    layout->platform = push_string(im, FUT_EXEC_PLATFORM);
    layout->random = push_bytes(im, args->random, RANDOM_BYTES);
}

/* Pointers to the strings at [start, ...) laid end to end, then NULL. */
static uint64_t put_string_vector(const struct image *im, uint64_t addr, uint64_t start,
                                  const char *const *strs, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        addr = put_word(im, addr, start);
        start += strlen(strs[i]) + 1;
    }
    return put_word(im, addr, 0);
}

/* In Linux's order; FUT_EXEC_AUXV_ENTRIES counts these. */
static void put_auxv(const struct image *im, uint64_t a, const struct fut_exec_stack_args *args,
                     const struct fut_exec_stack_layout *layout)
{
    a = put_aux(im, a, AT_HWCAP, args->hwcap);
    a = put_aux(im, a, AT_PAGESZ, args->pagesz);
    a = put_aux(im, a, AT_CLKTCK, args->clktck);
    a = put_aux(im, a, AT_PHDR, args->phdr);
    a = put_aux(im, a, AT_PHENT, args->phent);
    a = put_aux(im, a, AT_PHNUM, args->phnum);
    a = put_aux(im, a, AT_BASE, args->base);
    a = put_aux(im, a, AT_FLAGS, 0);
    a = put_aux(im, a, AT_ENTRY, args->entry);
    a = put_aux(im, a, AT_UID, args->uid);
    a = put_aux(im, a, AT_EUID, args->euid);
    a = put_aux(im, a, AT_GID, args->gid);
    a = put_aux(im, a, AT_EGID, args->egid);
    a = put_aux(im, a, AT_SECURE, args->secure ? 1 : 0);
    a = put_aux(im, a, AT_RANDOM, layout->random);
    a = put_aux(im, a, AT_EXECFN, layout->execfn);
    a = put_aux(im, a, AT_PLATFORM, layout->platform);
    put_aux(im, a, AT_NULL, 0);
}

int fut_exec_stack_build(const struct fut_exec_stack_args *args, void *buf, size_t buf_size,
                         uint64_t stack_top, struct fut_exec_stack_layout *layout)
{
    struct string_sizes sz;
    int err = measure(args, &sz);

    if (err)
        return err;
    uint64_t size = image_size(args, &sz);
    if ((stack_top & 15) != 0 || stack_top < size || buf_size < size)
        return -EINVAL;

    struct image im = {
        .end = (unsigned char *)buf + buf_size, .top = stack_top, .cursor = stack_top};
    memset(layout, 0, sizeof(*layout));
    push_strings(&im, args, layout);

    layout->rsp = stack_top - size;
    layout->size = size;
    memset(at(&im, layout->rsp), 0, im.cursor - layout->rsp); /* vectors and padding */
    uint64_t a = put_word(&im, layout->rsp, args->argc);
    layout->argv = a;
    a = put_string_vector(&im, a, layout->arg_start, args->argv, args->argc);
    layout->envp = a;
    a = put_string_vector(&im, a, layout->env_start, args->envp, args->envc);
    layout->auxv = a;
    put_auxv(&im, a, args, layout);
    return 0;
}
