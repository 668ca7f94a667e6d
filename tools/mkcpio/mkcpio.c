/*
 * mkcpio: writes a deterministic newc cpio archive from a manifest.
 *
 *   mkcpio MANIFEST OUTPUT
 *
 * Manifest lines (fields separated by blanks; '#' starts a comment line):
 *   file    <dest path> <source path> [<octal mode>]
 *   dir     <dest path> [<octal mode>]
 *   symlink <dest path> <target>
 * A file without a mode gets 0755 if its source is executable - it has an
 * execute bit and is a "#!" script or an ELF executable or shared object (the
 * bit alone says little: Bazel marks every build output executable) - else
 * 0644; a directory without a mode gets 0755; symlinks are 0777.
 *
 * The archive is the same bytes for the same manifest and file contents:
 * entries sorted by path (so every directory precedes its contents), missing
 * parent directories added (0755), mtime 0, owner 0:0, inode numbers 1, 2, ...
 * in archive order, then the trailer, padded with NULs to 512 bytes. Names
 * are stored without the leading slash ("etc/motd"), as Linux's own tools do.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PATH_LIMIT 4096 /* names and symlink targets, including the NUL */

enum kind { K_DIR, K_FILE, K_SYMLINK };

struct entry {
    char *path; /* normalized, without the leading '/' */
    enum kind kind;
    unsigned perm; /* 0..07777 */
    char *arg;     /* K_FILE: source path; K_SYMLINK: target */
    int line;      /* manifest line; 0 for implied parent directories */
};

static const char *manifest_name;
static struct entry *entries;
static size_t nentries, capacity;

static void die(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

static void die(int line, const char *fmt, ...)
{
    va_list ap;
    if (line)
        fprintf(stderr, "mkcpio: %s:%d: ", manifest_name, line);
    else
        fprintf(stderr, "mkcpio: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static char *copy(const char *s)
{
    char *d = strdup(s);
    if (!d)
        die(0, "out of memory");
    return d;
}

/* "/a/b", "a/b" -> "a/b"; rejects empty, ".", ".." and empty components. */
static char *normalize_dest(int line, const char *dest)
{
    while (*dest == '/')
        dest++;
    if (!*dest)
        die(line, "destination is the root or empty; give a path below /");
    if (strlen(dest) >= PATH_LIMIT - 1)
        die(line, "destination \"%.40s...\" is too long", dest);
    const char *c = dest;
    for (;;) {
        size_t n = strcspn(c, "/");
        if (n == 0)
            die(line, "destination \"%s\" has an empty component (\"//\" or a trailing \"/\")",
                dest);
        if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
            die(line, "destination \"%s\" has a \".\" or \"..\" component", dest);
        if (!c[n])
            break;
        c += n + 1;
    }
    return copy(dest);
}

static unsigned parse_mode(int line, const char *s)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 8);
    if (errno || *end || !*s || v > 07777)
        die(line, "mode \"%s\" is not an octal permission mode (0 to 07777)", s);
    return (unsigned)v;
}

/* See the top comment: an execute bit and "#!" or ELF ET_EXEC/ET_DYN. */
static int looks_executable(const char *path, const struct stat *st)
{
    unsigned char head[18];
    if (!(st->st_mode & 0111))
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(head, 1, sizeof(head), f);
    fclose(f);
    if (n >= 2 && head[0] == '#' && head[1] == '!')
        return 1;
    static const unsigned char elf_magic[4] = {0x7f, 'E', 'L', 'F'};
    if (n == sizeof(head) && memcmp(head, elf_magic, 4) == 0) {
        unsigned type = head[5] == 2 ? (head[16] << 8 | head[17]) : (head[17] << 8 | head[16]);
        return type == 2 || type == 3; /* ET_EXEC, ET_DYN */
    }
    return 0;
}

static struct entry *find(const char *path)
{
    for (size_t i = 0; i < nentries; i++) {
        if (strcmp(entries[i].path, path) == 0)
            return &entries[i];
    }
    return NULL;
}

static void add(int line, char *path, enum kind kind, unsigned perm, char *arg)
{
    struct entry *old = find(path);
    if (old)
        die(line, "\"/%s\" is already listed on line %d", path, old->line);
    if (nentries == capacity) {
        capacity = capacity ? capacity * 2 : 64;
        entries = realloc(entries, capacity * sizeof(*entries));
        if (!entries)
            die(0, "out of memory");
    }
    entries[nentries++] = (struct entry){path, kind, perm, arg, line};
}

/* Adds the missing ancestors of every entry as 0755 directories, and checks
 * that no entry sits below a file or symlink. */
static void add_parents(void)
{
    size_t listed = nentries;
    for (size_t i = 0; i < listed; i++) {
        char *p = copy(entries[i].path);
        int line = entries[i].line;
        for (char *slash = strchr(p, '/'); slash; slash = strchr(slash + 1, '/')) {
            *slash = '\0';
            struct entry *parent = find(p);
            if (!parent)
                add(0, copy(p), K_DIR, 0755, NULL);
            else if (parent->kind != K_DIR)
                die(line, "\"/%s\" cannot be inside \"/%s\", which is not a directory",
                    entries[i].path, p);
            *slash = '/';
        }
        free(p);
    }
}

static void parse_manifest(FILE *f)
{
    char buf[3 * PATH_LIMIT];
    int line = 0;
    while (fgets(buf, sizeof(buf), f)) {
        line++;
        size_t len = strlen(buf);
        if (len == sizeof(buf) - 1 && buf[len - 1] != '\n')
            die(line, "line too long");
        const char *first = buf + strspn(buf, " \t");
        if (*first == '#')
            continue;
        char *field[5];
        int n = 0;
        for (char *tok = strtok(buf, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
            if (n == 5)
                die(line, "too many fields");
            field[n++] = tok;
        }
        if (n == 0)
            continue;
        if (strcmp(field[0], "file") == 0 && (n == 3 || n == 4)) {
            unsigned perm = 0;
            struct stat st;
            if (stat(field[2], &st) != 0)
                die(line, "cannot read \"%s\": %s", field[2], strerror(errno));
            if (!S_ISREG(st.st_mode))
                die(line, "\"%s\" is not a regular file", field[2]);
            if (n == 4)
                perm = parse_mode(line, field[3]);
            else
                perm = looks_executable(field[2], &st) ? 0755 : 0644;
            add(line, normalize_dest(line, field[1]), K_FILE, perm, copy(field[2]));
        } else if (strcmp(field[0], "dir") == 0 && (n == 2 || n == 3)) {
            unsigned perm = n == 3 ? parse_mode(line, field[2]) : 0755;
            add(line, normalize_dest(line, field[1]), K_DIR, perm, NULL);
        } else if (strcmp(field[0], "symlink") == 0 && n == 3) {
            if (strlen(field[2]) >= PATH_LIMIT)
                die(line, "symlink target is too long");
            add(line, normalize_dest(line, field[1]), K_SYMLINK, 0777, copy(field[2]));
        } else {
            die(line, "expected \"file DEST SRC [MODE]\", \"dir DEST [MODE]\" or "
                      "\"symlink DEST TARGET\"");
        }
    }
    if (ferror(f))
        die(0, "reading %s: %s", manifest_name, strerror(errno));
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

static FILE *out;
static const char *out_name;
static uint64_t out_len;

static void put(const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, out) != n)
        die(0, "writing %s: %s", out_name, strerror(errno));
    out_len += n;
}

static void pad_to(uint64_t align)
{
    static const char zeros[512];
    put(zeros, (size_t)((align - out_len % align) % align));
}

static void put_entry(uint32_t ino, uint32_t mode, uint32_t nlink, const char *name,
                      const void *data, uint64_t size)
{
    if (size > UINT32_MAX)
        die(0, "\"/%s\" is larger than the 4 GiB newc allows", name);
    char header[111];
    snprintf(header, sizeof(header), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
             ino, mode, 0u, 0u, nlink, 0u, (uint32_t)size, 0u, 0u, 0u, 0u,
             (uint32_t)strlen(name) + 1, 0u);
    put(header, 110);
    put(name, strlen(name) + 1);
    pad_to(4);
    put(data, (size_t)size);
    pad_to(4);
}

static char *read_file(const char *path, uint64_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(0, "cannot open \"%s\": %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *data = malloc(cap);
    for (;;) {
        if (!data)
            die(0, "out of memory reading \"%s\"", path);
        len += fread(data + len, 1, cap - len, f);
        if (len < cap)
            break;
        cap *= 2;
        data = realloc(data, cap);
    }
    if (ferror(f))
        die(0, "reading \"%s\": %s", path, strerror(errno));
    fclose(f);
    *size = len;
    return data;
}

static void write_archive(void)
{
    uint32_t ino = 1;
    for (size_t i = 0; i < nentries; i++, ino++) {
        const struct entry *e = &entries[i];
        switch (e->kind) {
        case K_DIR: put_entry(ino, 0040000 | e->perm, 2, e->path, NULL, 0); break;
        case K_SYMLINK:
            put_entry(ino, 0120000 | e->perm, 1, e->path, e->arg, strlen(e->arg));
            break;
        case K_FILE: {
            uint64_t size;
            char *data = read_file(e->arg, &size);
            put_entry(ino, 0100000 | e->perm, 1, e->path, data, size);
            free(data);
            break;
        }
        }
    }
    put_entry(0, 0, 1, "TRAILER!!!", NULL, 0);
    pad_to(512);
}

int main(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        puts("usage: mkcpio MANIFEST OUTPUT\n"
             "Manifest lines:\n"
             "  file    DEST SRC [MODE]   (MODE octal; default 0755 if SRC has an execute bit\n"
             "                            and is a #! script or ELF program, else 0644)\n"
             "  dir     DEST [MODE]       (default 0755)\n"
             "  symlink DEST TARGET\n"
             "Writes a deterministic newc archive: sorted, parents implied, mtime 0, owner 0:0.");
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: mkcpio MANIFEST OUTPUT (mkcpio --help for the format)\n");
        return 2;
    }
    manifest_name = argv[1];
    FILE *f = fopen(manifest_name, "r");
    if (!f)
        die(0, "cannot open manifest %s: %s", manifest_name, strerror(errno));
    parse_manifest(f);
    fclose(f);
    add_parents();
    qsort(entries, nentries, sizeof(*entries), by_path);

    out_name = argv[2];
    out = fopen(out_name, "wb");
    if (!out)
        die(0, "cannot create %s: %s", out_name, strerror(errno));
    write_archive();
    if (fclose(out) != 0)
        die(0, "writing %s: %s", out_name, strerror(errno));
    return 0;
}
