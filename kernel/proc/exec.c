/*
 * execve: load a static ELF64 program from the VFS into a fresh address
 * space. PT_LOAD segments become private file-backed VMAs (pages arrive on
 * first touch through the vnode's page provider), the rest of .bss is
 * anonymous memory, and the stack gets Linux's initial layout. A "#!"
 * script runs its interpreter with the script as an argument. Everything
 * that can fail is done before the old address space is dropped.
 */
#include "futura/arch/cpu.h"
#include "futura/arch/thread.h"
#include "futura/errno.h"
#include "futura/lib/random.h"
#include "futura/lib/string.h"
#include "futura/memory/kmalloc.h"
#include "futura/memory/mm.h"
#include "futura/proc.h"
#include "futura/signal.h"
#include "futura/scheduler/sched.h"
#include "futura/syscalls/elf.h"
#include "futura/syscalls/exec_stack.h"
#include "futura/syscalls/files.h"
#include "futura/syscalls/shebang.h"
#include "futura/uaccess.h"
#include "futura/vfs/vfs.h"
#include "names.h"

static int read_file(void *ctx, uint64_t offset, void *buf, size_t len)
{
    int64_t n = fut_vfs_pread(ctx, buf, len, (int64_t)offset);
    if (n < 0)
        return (int)n;
    return (size_t)n == len ? 0 : -ENOEXEC;
}

static uint32_t vma_prot(uint32_t elf_prot)
{
    uint32_t prot = 0;
    if (elf_prot & FUT_ELF_PROT_READ)
        prot |= FUT_PROT_READ;
    if (elf_prot & FUT_ELF_PROT_WRITE)
        prot |= FUT_PROT_WRITE;
    if (elf_prot & FUT_ELF_PROT_EXEC)
        prot |= FUT_PROT_EXEC;
    return prot;
}

static uint64_t page_up(uint64_t v)
{
    return (v + FUT_PAGE_SIZE - 1) & ~(FUT_PAGE_SIZE - 1);
}

/* Maps one segment: file pages (writable for now, so the .bss tail of the
 * last file page can be zeroed), then anonymous pages for the rest. */
static int map_segment(struct fut_mm *mm, struct fut_vnode *vn, const struct fut_elf_segment *s)
{
    uint64_t file_pages_end = page_up(s->file_end);
    if (file_pages_end > s->end)
        file_pages_end = s->end;
    if (s->file_end > s->start) {
        struct fut_vma v = {.start = s->start, .end = file_pages_end,
                            .prot = vma_prot(s->prot) | FUT_PROT_WRITE,
                            .flags = FUT_VMA_PRIVATE | FUT_VMA_FILE, .obj = vn,
                            .obj_ops = &fut_vnode_backing_ops.ref, .file_offset = s->file_offset};
        int rc = fut_mm_map(mm, &v);
        if (rc)
            return rc;
    } else {
        file_pages_end = s->start;
    }
    if (s->end > file_pages_end) {
        struct fut_vma v = {.start = file_pages_end, .end = s->end, .prot = vma_prot(s->prot),
                            .flags = FUT_VMA_PRIVATE | FUT_VMA_ANON};
        return fut_mm_map(mm, &v);
    }
    return 0;
}

/* After the switch: zero the .bss part of each segment's last file page and
 * give file pages their real protection. */
static int finish_segments(struct fut_mm *mm, const struct fut_elf_plan *plan)
{
    static const uint8_t zeros[256];
    for (uint32_t i = 0; i < plan->nsegments; i++) {
        const struct fut_elf_segment *s = &plan->segments[i];
        if (s->file_end <= s->start)
            continue;
        uint64_t tail_end = page_up(s->file_end) < s->end ? page_up(s->file_end) : s->end;
        for (uint64_t a = s->file_end; a < tail_end;) {
            size_t n = tail_end - a < sizeof(zeros) ? tail_end - a : sizeof(zeros);
            if (fut_copy_to_user((void *)a, zeros, n))
                return -ENOMEM;
            a += n;
        }
        uint64_t file_pages_end = page_up(s->file_end) < s->end ? page_up(s->file_end) : s->end;
        int rc = fut_mm_protect(mm, s->start, file_pages_end - s->start, vma_prot(s->prot));
        if (rc)
            return rc;
    }
    return 0;
}

static int build_mm(struct fut_file *f, const struct fut_elf_plan *plan, struct fut_mm **out)
{
    struct fut_mm *mm = fut_mm_create();
    if (!mm)
        return -ENOMEM;
    int rc = 0;
    for (uint32_t i = 0; i < plan->nsegments && !rc; i++)
        rc = map_segment(mm, f->vnode, &plan->segments[i]);
    if (!rc) {
        struct fut_vma stack = {.start = FUT_USER_STACK_TOP - FUT_USER_STACK_SIZE,
                                .end = FUT_USER_STACK_TOP,
                                .prot = FUT_PROT_READ | FUT_PROT_WRITE |
                                        (plan->exec_stack ? FUT_PROT_EXEC : 0),
                                .flags = FUT_VMA_PRIVATE | FUT_VMA_ANON | FUT_VMA_STACK};
        rc = fut_mm_map(mm, &stack);
    }
    if (rc) {
        fut_mm_put(mm);
        return rc;
    }
    mm->brk_start = mm->brk = page_up(plan->image_end);
    *out = mm;
    return 0;
}

static uint64_t cpu_hwcap(void)
{
    uint32_t a, b, c, d;
    cpuid(1, 0, &a, &b, &c, &d);
    return d;
}

struct exec_image {
    struct fut_elf_plan plan;
    uint8_t *stack;
    uint64_t stack_size;
    struct fut_exec_stack_layout layout;
    struct fut_shebang shebang; /* when the file was a "#!" script */
};

/* Reads the start of a file and, if it is a "#!" script, parses its line
 * into *sb: 1 for a script, 0 for anything else, or a negative errno. */
static int read_shebang(struct fut_file *f, struct fut_shebang *sb)
{
    char head[FUT_SHEBANG_MAX];
    int64_t n = fut_vfs_pread(f, head, sizeof(head), 0);
    if (n < 0)
        return (int)n;
    if (!fut_shebang_is_script(head, (size_t)n))
        return 0;
    int rc = fut_shebang_parse(head, (size_t)n, sb);
    return rc ? rc : 1;
}

/* Loads `path` into img and a new mm; execfn is the name the program was
 * asked for (AT_EXECFN), which differs for an interpreter run for a script.
 * Returns 1 with img->shebang filled when `path` is a "#!" script instead. */
static int prepare(const char *path, const char *execfn, const char *const *argv,
                   const char *const *envp, struct exec_image *img, struct fut_mm **mm_out)
{
    struct fut_fdtable *fdt = fut_current_fdtable();
    struct fut_file *f = NULL;
    int rc = fut_vfs_access(fdt->cwd, path, FUT_X_OK);
    if (rc)
        return rc;
    rc = fut_vfs_open(fdt->cwd, path, FUT_O_RDONLY, 0, &f);
    if (rc)
        return rc;
    struct fut_stat st;
    rc = fut_vfs_fstat(f, &st);
    if (!rc && !FUT_S_ISREG(st.st_mode))
        rc = -EACCES;
    if (!rc)
        rc = read_shebang(f, &img->shebang);
    if (!rc)
        rc = fut_elf_parse(read_file, f, (uint64_t)st.st_size, FUT_ELF_DYN_BASE, &img->plan);
    if (!rc) {
        uint8_t random[16];
        fut_random_bytes(random, sizeof(random));
        uint32_t argc = 0, envc = 0;
        while (argv && argv[argc])
            argc++;
        while (envp && envp[envc])
            envc++;
        struct fut_exec_stack_args sa = {
            .argv = argv, .argc = argc, .envp = envp, .envc = envc, .execfn = execfn,
            .random = random, .phdr = img->plan.phdr_addr, .phent = img->plan.phent,
            .phnum = img->plan.phnum, .entry = img->plan.entry, .base = 0,
            .pagesz = FUT_PAGE_SIZE, .hwcap = cpu_hwcap(), .clktck = 100,
        };
        rc = fut_exec_stack_size(&sa, &img->stack_size);
        if (!rc) {
            img->stack_size = (img->stack_size + 15) & ~15ull;
            img->stack = fut_kmalloc(img->stack_size);
            rc = img->stack ? fut_exec_stack_build(&sa, img->stack, img->stack_size,
                                                   FUT_USER_STACK_TOP, &img->layout)
                            : -ENOMEM;
        }
    }
    if (!rc)
        rc = build_mm(f, &img->plan, mm_out);
    fut_vfs_close(f); /* the VMAs hold their own vnode references */
    return rc;
}

/*
 * Runs a script's interpreter: argv becomes {interpreter, [its argument],
 * script, argv[1]...}, as on Linux. The interpreter may itself be a script,
 * up to FUT_SHEBANG_DEPTH levels (-ELOOP past that).
 */
static int exec_at_depth(const char *path, const char *execfn, const char *const *argv,
                         const char *const *envp, struct fut_trap_frame *frame, int depth);

static int exec_interpreter(const char *script, const char *execfn, const struct fut_shebang *sb,
                            const char *const *argv, const char *const *envp,
                            struct fut_trap_frame *frame, int depth)
{
    if (depth >= FUT_SHEBANG_DEPTH)
        return -ELOOP;
    size_t argc = 0;
    while (argv && argv[argc])
        argc++;
    size_t rest = argc > 0 ? argc - 1 : 0;
    const char **nargv = fut_kmalloc((3 + rest + 1) * sizeof(char *));
    if (!nargv)
        return -ENOMEM;
    size_t n = 0;
    nargv[n++] = sb->interp;
    if (sb->has_arg)
        nargv[n++] = sb->arg;
    nargv[n++] = script;
    for (size_t i = 1; i < argc; i++)
        nargv[n++] = argv[i];
    nargv[n] = NULL;
    int rc = exec_at_depth(sb->interp, execfn, nargv, envp, frame, depth + 1);
    fut_kfree(nargv);
    return rc;
}

int fut_proc_exec(const char *path, const char *const *argv, const char *const *envp,
                  struct fut_trap_frame *frame)
{
    return exec_at_depth(path, path, argv, envp, frame, 0);
}

static int exec_at_depth(const char *path, const char *execfn, const char *const *argv,
                         const char *const *envp, struct fut_trap_frame *frame, int depth)
{
    struct exec_image *img = fut_kzalloc(sizeof(*img));
    if (!img)
        return -ENOMEM;
    struct fut_mm *mm = NULL;
    struct fut_proc_names names;
    int rc = prepare(path, execfn, argv, envp, img, &mm);
    if (rc == 1) {
        /* A script: the interpreter runs instead (img->shebang is on the heap,
         * as the recursion would put 512 bytes a level on the kernel stack). */
        rc = exec_interpreter(path, execfn, &img->shebang, argv, envp, frame, depth);
        fut_kfree(img);
        return rc;
    }
    /* The names (comm, cmdline) are the script's, as the user asked for it. */
    if (!rc)
        rc = fut_proc_names_build(&names, fut_current_fdtable()->cwd, execfn, argv);
    if (rc) {
        if (mm)
            fut_mm_put(mm);
        fut_kfree(img->stack);
        fut_kfree(img);
        return rc;
    }

    /* Point of no return: the old program is gone. */
    struct fut_process *p = fut_current_process();
    struct fut_mm *old = p->mm;
    p->mm = mm;
    fut_mm_activate(mm);
    if (old)
        fut_mm_put(old);
    fut_fdtable_close_on_exec(p->files);
    fut_proc_names_install(p, &names);
    fut_sigstate_exec_reset(p->signals);
    fut_arch_thread_reset_tls(fut_sched_current()->arch);

    uint64_t base = FUT_USER_STACK_TOP - img->stack_size;
    rc = fut_copy_to_user((void *)base, img->stack, img->stack_size);
    if (!rc)
        rc = finish_segments(mm, &img->plan);
    uint64_t entry = img->plan.entry, rsp = img->layout.rsp;
    fut_kfree(img->stack);
    fut_kfree(img);
    if (rc)
        fut_proc_exit(fut_wstatus_signaled(9, false)); /* SIGKILL: nothing left to return to */
    fut_arch_user_frame_init(frame, entry, rsp);
    return 0;
}
