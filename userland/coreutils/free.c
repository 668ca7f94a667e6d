/*
 * free [-b|-k|-m|-g]: memory use from /proc/meminfo, in KiB (-k, the
 * default), bytes, MiB or GiB:
 *
 *                total        used        free      shared  buff/cache   available
 *     Mem:      251904       10240      229376           0       12288      236544
 *     Swap:          0           0           0
 *
 * buff/cache is Buffers + Cached + SReclaimable; used is total - free -
 * buff/cache; shared is Shmem; available is MemAvailable (MemFree when the
 * kernel does not report it). Missing fields other than MemTotal and MemFree
 * count as 0. $FUTURA_PROC_DIR stands in for /proc.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum field {
    MEM_TOTAL,
    MEM_FREE,
    MEM_AVAILABLE,
    BUFFERS,
    CACHED,
    SRECLAIMABLE,
    SHMEM,
    SWAP_TOTAL,
    SWAP_FREE,
    N_FIELDS
};

static const char *const field_names[N_FIELDS] = {
    "MemTotal",     "MemFree", "MemAvailable", "Buffers",  "Cached",
    "SReclaimable", "Shmem",   "SwapTotal",    "SwapFree",
};

int main(int argc, char **argv)
{
    cu_init("free", "free [-b|-k|-m|-g]");
    int shift = 0; /* KiB -> unit: bytes are << 10, MiB >> 10, GiB >> 20 */
    int to_bytes = 0;
    int c;
    while ((c = cu_getopt(argc, argv, "bkmg")) != -1) {
        to_bytes = c == 'b';
        shift = c == 'm' ? 10 : c == 'g' ? 20 : 0;
    }
    if (optind < argc)
        cu_usage_errorf("extra operand '%s'", argv[optind]);

    char *path = cu_path_join(cu_proc_dir(), "meminfo");
    FILE *in = fopen(path, "r");
    if (in == NULL) {
        int saved = errno;
        cu_errorf("%s: %s (free needs procfs mounted)", path, strerror(saved));
        free(path);
        return 1;
    }
    unsigned long long kib[N_FIELDS] = {0};
    int seen[N_FIELDS] = {0};
    char line[256];
    while (fgets(line, sizeof(line), in) != NULL) {
        char key[64];
        unsigned long long value;
        if (sscanf(line, "%63[^:]: %llu", key, &value) != 2)
            continue;
        for (int f = 0; f < N_FIELDS; f++) {
            if (strcmp(key, field_names[f]) == 0) {
                kib[f] = value;
                seen[f] = 1;
            }
        }
    }
    fclose(in);
    if (!seen[MEM_TOTAL] || !seen[MEM_FREE]) {
        cu_errorf("%s: no %s line", path, seen[MEM_TOTAL] ? "MemFree" : "MemTotal");
        free(path);
        return 1;
    }
    if (!seen[MEM_AVAILABLE])
        kib[MEM_AVAILABLE] = kib[MEM_FREE];

    unsigned long long cache = kib[BUFFERS] + kib[CACHED] + kib[SRECLAIMABLE];
    unsigned long long not_free = kib[MEM_TOTAL] - kib[MEM_FREE];
    unsigned long long used = not_free > cache ? not_free - cache : not_free;
    unsigned long long mem[6] = {kib[MEM_TOTAL], used,  kib[MEM_FREE],
                                 kib[SHMEM],     cache, kib[MEM_AVAILABLE]};
    unsigned long long swap[3] = {kib[SWAP_TOTAL], kib[SWAP_TOTAL] - kib[SWAP_FREE],
                                  kib[SWAP_FREE]};

    printf("      %12s%12s%12s%12s%12s%12s\n", "total", "used", "free", "shared", "buff/cache",
           "available");
    printf("Mem:  ");
    for (int i = 0; i < 6; i++)
        printf("%12llu", to_bytes ? mem[i] << 10 : mem[i] >> shift);
    printf("\nSwap: ");
    for (int i = 0; i < 3; i++)
        printf("%12llu", to_bytes ? swap[i] << 10 : swap[i] >> shift);
    putchar('\n');
    free(path);
    return cu_flush_stdout();
}
