/*
 * Architecture-independent kernel start: report what the loader gave us,
 * then either run self-tests (test=...) and power off, or start the console.
 */
#include "futura/kmain.h"

#include "futura/bench.h"
#include "futura/boot/cmdline.h"
#include "futura/hal.h"
#include "futura/lib/printk.h"
#include "futura/memory/mm.h"
#include "futura/monitor.h"
#include "futura/proc.h"
#include "futura/rootfs.h"
#include "futura/syscalls/syscall.h"
#include "futura/lib/string.h"
#include "futura/vfs/vfs.h"
#include "futura/selftest.h"

static const char *const mem_type_names[] = {"?", "usable", "reserved", "ACPI reclaimable",
                                             "ACPI NVS", "bad"};

static const struct fut_bootinfo *boot_info;

const struct fut_bootinfo *fut_boot_info(void)
{
    return boot_info;
}

static void print_boot_info(const struct fut_bootinfo *bi)
{
    fut_printk("boot: protocol %s, command line \"%s\"\n", bi->protocol, bi->cmdline);
    for (size_t i = 0; i < bi->nregions; i++) {
        const struct fut_mem_region *r = &bi->regions[i];
        fut_printk("  mem %016lx-%016lx %s\n", r->base, r->base + r->length - 1,
                   mem_type_names[r->type <= FUT_MEM_BAD ? r->type : 0]);
    }
    for (size_t i = 0; i < bi->nmodules; i++) {
        fut_printk("  module %016lx-%016lx \"%s\"\n", bi->modules[i].start, bi->modules[i].end,
                   bi->modules[i].name);
    }
    fut_printk("boot: %lu MiB usable RAM in %zu regions\n",
               fut_bootinfo_usable_bytes(bi) >> 20, bi->nregions);
}

#define INIT_MAX_ARGS 32

/* Runs init= (default /sbin/init) as PID 1, with the words after "--" on the
 * command line as its arguments, as Linux does. Returns only when there is
 * no such program (then the kernel monitor takes the console). */
static void start_init(const struct fut_bootinfo *bi)
{
    static char path[256] = "/sbin/init";
    static char args[FUT_CMDLINE_MAX];
    static const char *argv[INIT_MAX_ARGS + 2];
    static const char *const envp[] = {"HOME=/", "TERM=linux", "PATH=/bin:/sbin:/usr/bin", NULL};
    bool explicit_init = fut_cmdline_get(bi->cmdline, "init", path, sizeof(path));
    char fork_mode[16];
    if (fut_cmdline_get(bi->cmdline, "fork", fork_mode, sizeof(fork_mode)))
    {
        /* copy: every private page copied at fork; cow: pages shared one by
         * one; the default shares whole page tables copy-on-write. */
        fut_fork_eager_copy = strcmp(fork_mode, "copy") == 0;
        fut_mm_share_page_tables = strcmp(fork_mode, "cow") != 0 && !fut_fork_eager_copy;
    }
    struct fut_stat st;
    if (fut_vfs_stat(NULL, path, &st) != 0) {
        fut_printk("%s: no %s; starting the kernel monitor\n",
                   explicit_init ? "init" : "boot", path);
        return;
    }
    int argc = 0;
    argv[argc++] = path;
    const char *rest = fut_cmdline_init_args(bi->cmdline);
    if (rest) {
        fut_strlcpy(args, rest, sizeof(args));
        /* Words are split at spaces; "double quotes" keep spaces inside one
         * word (and are removed), as Linux's command-line parser does. */
        char *in = args, *out = args;
        while (*in && argc <= INIT_MAX_ARGS) {
            while (*in == ' ')
                in++;
            if (!*in)
                break;
            argv[argc++] = out;
            bool quoted = false;
            while (*in && (quoted || *in != ' ')) {
                if (*in == '"')
                    quoted = !quoted;
                else
                    *out++ = *in;
                in++;
            }
            if (*in)
                in++;
            *out++ = '\0';
        }
    }
    argv[argc] = NULL;
    fut_syscalls_init();
    fut_proc_start_init(path, argv, envp);
}

void fut_kmain(const struct fut_bootinfo *bi)
{
    boot_info = bi;
    fut_printk("Futura kernel starting\n");
    print_boot_info(bi);

    fut_rootfs_init(bi);

    char which[64];
    if (fut_cmdline_get(bi->cmdline, "test", which, sizeof(which))) {
        int failed = fut_selftest_run(which);
        fut_hal_poweroff(failed == 0 ? 0 : 1);
    }
    if (fut_cmdline_get(bi->cmdline, "bench", which, sizeof(which)))
        fut_hal_poweroff(fut_bench_run(which) == 0 ? 0 : 1);
    start_init(bi);
    fut_monitor_run();
}
