/*
 * tbprof: a QEMU TCG plugin that counts how often each translation block runs.
 * At exit it writes one line per block that ran, "vaddr insns execs", to the
 * file given as out=PATH. run_bench.py --profile diffs two such files (a run
 * with more samples minus one with fewer) and names the kernel functions that
 * executed the extra instructions. Under -icount those instructions are the
 * benchmark's time, so the profile explains the numbers exactly.
 *
 * Debian ships no qemu-plugin.h; the declarations below are the few entry
 * points of QEMU's plugin ABI version 1 (QEMU 7.x) that this plugin uses.
 * One vCPU (the benchmarks run -smp 1), so the inline counters need no atomics.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_info; /* only passed through */

#define EXPORT __attribute__((visibility("default")))
#define QEMU_PLUGIN_INLINE_ADD_U64 0

EXPORT int qemu_plugin_version = 1;
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           void (*cb)(qemu_plugin_id_t, struct qemu_plugin_tb *));
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, int op, void *ptr,
                                              uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, void (*cb)(qemu_plugin_id_t, void *),
                                    void *userdata);

/* One translation; a block translated again gets another record (the
 * reader sums them by address). Records live until QEMU exits. */
struct block {
    uint64_t vaddr;
    uint64_t insns;
    uint64_t execs; /* incremented by code QEMU inlines into the block */
    struct block *next;
};

static struct block *blocks;
static const char *out_path = "tbprof.out";

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    struct block *b = calloc(1, sizeof(*b));
    if (!b)
        return;
    b->vaddr = qemu_plugin_tb_vaddr(tb);
    b->insns = qemu_plugin_tb_n_insns(tb);
    b->next = blocks;
    blocks = b;
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->execs, 1);
}

static void write_counts(qemu_plugin_id_t id, void *unused)
{
    (void)id;
    (void)unused;
    FILE *f = fopen(out_path, "w");
    if (!f)
        return;
    for (struct block *b = blocks; b; b = b->next)
        if (b->execs)
            fprintf(f, "%" PRIx64 " %" PRIu64 " %" PRIu64 "\n", b->vaddr, b->insns, b->execs);
    fclose(f);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info *info, int argc,
                               char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++)
        if (strncmp(argv[i], "out=", 4) == 0)
            out_path = argv[i] + 4;
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, write_counts, NULL);
    return 0;
}
