/*
 * ELF64 validation and load plans (see futura/syscalls/elf.h).
 *
 * One pass over the program headers, in file order. The first PT_LOAD fixes
 * the load bias; every later address is checked to lie at or above that
 * first page and inside what is left of user space *before* it is relocated,
 * so no sum here can wrap. Containment tests (entry point, program headers)
 * compare the file's own addresses, which the wrap check makes safe.
 */
#include "futura/syscalls/elf.h"

#include "futura/errno.h"
#include "futura/lib/string.h"

_Static_assert(sizeof(Elf64_Ehdr) == 64, "Elf64_Ehdr layout");
_Static_assert(sizeof(Elf64_Phdr) == 56, "Elf64_Phdr layout");

#define PAGE_MASK (FUT_ELF_PAGE_SIZE - 1)

static uint64_t page_down(uint64_t a)
{
    return a & ~PAGE_MASK;
}

/* Caller guarantees a + PAGE_MASK does not wrap (a < FUT_ELF_USER_END). */
static uint64_t page_up(uint64_t a)
{
    return (a + PAGE_MASK) & ~PAGE_MASK;
}

/* [off, off + len) lies inside [0, size), without computing off + len. */
static bool range_inside(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

/* [a, a + alen) lies inside [b, b + blen); neither range wraps. */
static bool range_within(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a >= b && range_inside(a - b, alen, blen);
}

static int reject(struct fut_elf_plan *plan, const char *why)
{
    plan->reject_reason = why;
    return -ENOEXEC;
}

/* What the pass over the program headers has learnt so far. */
struct parse_state {
    Elf64_Ehdr eh;
    uint64_t file_size;
    uint64_t dyn_base;
    uint64_t base_vaddr;       /* page of the first PT_LOAD, in the file's addresses */
    uint64_t base_addr;        /* where that page goes */
    bool have_phdr;            /* a PT_PHDR was seen */
    uint64_t phdr_vaddr;       /* its p_vaddr */
    bool phdr_mapped;          /* some PT_LOAD covers the program headers */
    uint64_t phdr_found_vaddr; /* ... at this p_vaddr */
    bool entry_mapped;         /* some executable PT_LOAD contains e_entry */
};

static int check_ehdr(const Elf64_Ehdr *eh, uint64_t file_size, struct fut_elf_plan *plan)
{
    static const unsigned char magic[4] = {0x7f, 'E', 'L', 'F'};

    if (memcmp(&eh->e_ident[EI_MAG0], magic, sizeof(magic)) != 0)
        return reject(plan, "not an ELF file (bad magic)");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        return reject(plan, "not a 64-bit ELF file (EI_CLASS)");
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return reject(plan, "not a little-endian ELF file (EI_DATA)");
    if (eh->e_machine != EM_X86_64)
        return reject(plan, "not an x86-64 program (e_machine)");
    if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
        return reject(plan, "not an executable (e_type is neither ET_EXEC nor ET_DYN)");
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return reject(plan, "e_phentsize is not sizeof(Elf64_Phdr)");
    if (eh->e_phnum == 0)
        return reject(plan, "no program headers");
    if (eh->e_phnum > FUT_ELF_MAX_PHNUM)
        return reject(plan, "more than 64 program headers");
    if (!range_inside(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), file_size))
        return reject(plan, "program headers extend past the end of the file");
    return 0;
}

/* The first PT_LOAD fixes the load bias: ET_EXEC stays where it was linked,
 * ET_DYN's lowest page moves to dyn_base. */
static int place_image(struct parse_state *st, const Elf64_Phdr *ph, struct fut_elf_plan *plan)
{
    st->base_vaddr = page_down(ph->p_vaddr);
    st->base_addr = st->eh.e_type == ET_EXEC ? st->base_vaddr : st->dyn_base;
    if (st->base_addr < FUT_ELF_USER_MIN)
        return reject(plan, "PT_LOAD below the lowest user address (64 KiB)");
    if (st->base_addr >= FUT_ELF_USER_END)
        return reject(plan, "PT_LOAD outside user space");
    plan->load_bias = st->base_addr - st->base_vaddr; /* modulo 2^64 */
    plan->image_start = st->base_addr;
    return 0;
}

static uint32_t prot_of(uint32_t p_flags)
{
    return ((p_flags & PF_R) ? FUT_ELF_PROT_READ : 0) |
           ((p_flags & PF_W) ? FUT_ELF_PROT_WRITE : 0) | ((p_flags & PF_X) ? FUT_ELF_PROT_EXEC : 0);
}

/* Notes what this segment maps that AT_PHDR and the entry point need. */
static void note_contents(struct parse_state *st, const Elf64_Phdr *ph)
{
    uint64_t phdrs_len = (uint64_t)st->eh.e_phnum * sizeof(Elf64_Phdr);

    if ((ph->p_flags & PF_X) && st->eh.e_entry >= ph->p_vaddr &&
        st->eh.e_entry - ph->p_vaddr < ph->p_memsz)
        st->entry_mapped = true;
    if (st->have_phdr) {
        if (range_within(st->phdr_vaddr, phdrs_len, ph->p_vaddr, ph->p_memsz))
            st->phdr_mapped = true;
    } else if (!st->phdr_mapped &&
               range_within(st->eh.e_phoff, phdrs_len, ph->p_offset, ph->p_filesz)) {
        st->phdr_mapped = true;
        st->phdr_found_vaddr = ph->p_vaddr + (st->eh.e_phoff - ph->p_offset);
    }
}

static int take_load(struct parse_state *st, const Elf64_Phdr *ph, struct fut_elf_plan *plan)
{
    if (ph->p_filesz > ph->p_memsz)
        return reject(plan, "PT_LOAD has p_filesz > p_memsz");
    if (!range_inside(ph->p_offset, ph->p_filesz, st->file_size))
        return reject(plan, "PT_LOAD extends past the end of the file");
    if ((ph->p_vaddr & PAGE_MASK) != (ph->p_offset & PAGE_MASK))
        return reject(plan, "PT_LOAD p_vaddr and p_offset differ modulo the page size");
    if (ph->p_vaddr > UINT64_MAX - ph->p_memsz)
        return reject(plan, "PT_LOAD wraps around the address space");
    if (ph->p_memsz == 0)
        return 0; /* maps nothing */

    int err;
    if (plan->nsegments == 0) {
        err = place_image(st, ph, plan);
        if (err)
            return err;
    } else if (ph->p_vaddr < st->base_vaddr) {
        return reject(plan, "PT_LOAD segments overlap or are not in address order");
    }
    if (plan->nsegments == FUT_ELF_MAX_SEGMENTS)
        return reject(plan, "more than 16 PT_LOAD segments");

    /* p_vaddr >= base_vaddr here; room is what is left of user space. */
    uint64_t rel = ph->p_vaddr - st->base_vaddr;
    uint64_t room = FUT_ELF_USER_END - st->base_addr;
    if (rel >= room || ph->p_memsz > room - rel)
        return reject(plan, "PT_LOAD reaches beyond user space");

    uint64_t addr = st->base_addr + rel;
    if (plan->nsegments > 0 && page_down(addr) < plan->segments[plan->nsegments - 1].end)
        return reject(plan, "PT_LOAD segments overlap or are not in address order");

    struct fut_elf_segment *seg = &plan->segments[plan->nsegments++];
    seg->start = page_down(addr);
    seg->end = page_up(addr + ph->p_memsz);
    seg->file_offset = page_down(ph->p_offset);
    seg->file_end = ph->p_filesz ? addr + ph->p_filesz : seg->start;
    seg->prot = prot_of(ph->p_flags);
    plan->image_end = seg->end;
    note_contents(st, ph);
    return 0;
}

static int take_phdr(struct parse_state *st, const Elf64_Phdr *ph, struct fut_elf_plan *plan)
{
    switch (ph->p_type) {
    case PT_LOAD: return take_load(st, ph, plan);
    case PT_INTERP: return reject(plan, "dynamically linked (PT_INTERP): only static programs run");
    case PT_GNU_STACK: plan->exec_stack = (ph->p_flags & PF_X) != 0; return 0;
    case PT_PHDR:
        if (plan->nsegments != 0)
            return reject(plan, "PT_PHDR after a PT_LOAD");
        st->have_phdr = true;
        st->phdr_vaddr = ph->p_vaddr;
        return 0;
    default: return 0;
    }
}

/* Relocates a file address known to lie inside the image. */
static uint64_t relocate(const struct parse_state *st, uint64_t vaddr)
{
    return st->base_addr + (vaddr - st->base_vaddr);
}

static int finish_plan(struct parse_state *st, struct fut_elf_plan *plan)
{
    if (plan->nsegments == 0)
        return reject(plan, "no PT_LOAD segment");
    if (!st->entry_mapped)
        return reject(plan, "entry point is not inside an executable PT_LOAD");
    if (st->have_phdr && !st->phdr_mapped)
        return reject(plan, "PT_PHDR is not inside a PT_LOAD");
    plan->entry = relocate(st, st->eh.e_entry);
    if (st->phdr_mapped)
        plan->phdr_addr = relocate(st, st->have_phdr ? st->phdr_vaddr : st->phdr_found_vaddr);
    return 0;
}

int fut_elf_parse(fut_elf_read_fn read, void *ctx, uint64_t file_size, uint64_t dyn_base,
                  struct fut_elf_plan *plan)
{
    struct parse_state st;
    int err;

    memset(plan, 0, sizeof(*plan));
    memset(&st, 0, sizeof(st));
    if ((dyn_base & PAGE_MASK) != 0 || dyn_base < FUT_ELF_USER_MIN || dyn_base >= FUT_ELF_USER_END)
        return -EINVAL;
    if (file_size < sizeof(Elf64_Ehdr))
        return reject(plan, "shorter than an ELF header");

    err = read(ctx, 0, &st.eh, sizeof(st.eh));
    if (err)
        return err;
    err = check_ehdr(&st.eh, file_size, plan);
    if (err)
        return err;

    st.file_size = file_size;
    st.dyn_base = dyn_base;
    plan->type = st.eh.e_type;
    plan->phnum = st.eh.e_phnum;
    plan->phent = sizeof(Elf64_Phdr);
    for (uint16_t i = 0; i < st.eh.e_phnum; i++) {
        Elf64_Phdr ph;
        err = read(ctx, st.eh.e_phoff + (uint64_t)i * sizeof(ph), &ph, sizeof(ph));
        if (err)
            return err;
        err = take_phdr(&st, &ph, plan);
        if (err)
            return err;
    }
    return finish_plan(&st, plan);
}

struct image_reader {
    const unsigned char *image;
    size_t size;
};

static int read_image(void *ctx, uint64_t offset, void *buf, size_t len)
{
    const struct image_reader *r = ctx;

    /* fut_elf_parse() never asks outside the file; refuse rather than trust it. */
    if (!range_inside(offset, len, r->size))
        return -EIO;
    memcpy(buf, r->image + offset, len);
    return 0;
}

int fut_elf_parse_image(const void *image, size_t size, uint64_t dyn_base,
                        struct fut_elf_plan *plan)
{
    struct image_reader r = {.image = image, .size = size};

    return fut_elf_parse(read_image, &r, size, dyn_base, plan);
}
