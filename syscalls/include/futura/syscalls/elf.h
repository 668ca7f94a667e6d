/*
 * ELF64 executables: validation and the load plan exec follows.
 *
 * fut_elf_parse() reads an x86-64 ELF64 file's header and program headers and
 * either rejects the file with -ENOEXEC or fills a struct fut_elf_plan: the
 * page-aligned memory image of every PT_LOAD segment (which pages come from
 * the file at which offset, which bytes must read as zero, with what
 * protection), the entry point, where the program headers are in memory
 * (AT_PHDR) and whether the stack may be executable (PT_GNU_STACK).
 *
 * Supported: static ET_EXEC at its own addresses, and static PIE (ET_DYN),
 * moved so its lowest page lands at the caller's `dyn_base`. Programs with a
 * PT_INTERP (dynamically linked) are refused: there is no dynamic loader.
 *
 * Trust: the file is user input. Every offset, size and address is checked
 * before it is used, with overflow-safe arithmetic; the parser reads only
 * through the caller's read function and only inside [0, file_size). It never
 * allocates, never writes outside *plan and keeps no state.
 *
 * -ENOEXEC means "not an executable this kernel runs"; plan->reject_reason
 * then names the rule the file broke, for the exec path's log line. Other
 * negative errno values come from the read function unchanged.
 */
#ifndef FUTURA_SYSCALLS_ELF_H
#define FUTURA_SYSCALLS_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The on-disk structures, laid out as Linux's <elf.h> (which the freestanding
 * build does not have). */
typedef struct {
    unsigned char e_ident[16];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
} Elf64_Ehdr;

typedef struct {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
} Elf64_Phdr;

#define EI_MAG0 0
#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62

#define PT_NULL 0
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_PHDR 6
#define PT_TLS 7
#define PT_GNU_STACK 0x6474e551u

#define PF_X 0x1u
#define PF_W 0x2u
#define PF_R 0x4u

/* Limits of what exec accepts. */
#define FUT_ELF_MAX_PHNUM 64    /* program headers (Linux allows more; nobody needs them) */
#define FUT_ELF_MAX_SEGMENTS 16 /* PT_LOAD segments with memory (static binaries have 2-5) */

/* Where user images may live: above the first 64 KiB (Linux's mmap_min_addr,
 * so NULL dereferences always fault) and below the last page under the
 * kernel half. Equal to FUT_MM_USER_MIN / FUT_MM_USER_MAX in memory/mm.h. */
#define FUT_ELF_USER_MIN 0x10000ull
#define FUT_ELF_USER_END 0x00007ffffffff000ull

/* Where a static PIE goes by default: Linux's ELF_ET_DYN_BASE on x86-64
 * (2/3 of the 47-bit user space), page aligned, as Linux loads it. */
#define FUT_ELF_DYN_BASE 0x555555554000ull

#define FUT_ELF_PAGE_SIZE 4096ull

/*
 * One PT_LOAD segment as memory, load bias applied. Invariant:
 *   start <= file_end <= end, start and end page aligned, start < end.
 * Bytes [start, file_end) are the file's bytes from file_offset on: map the
 * pages [start, page_align_up(file_end)) from the file at file_offset.
 * Bytes [file_end, end) read as zero: clear the tail of the last file page
 * from file_end, and back [page_align_up(file_end), end) with zero pages.
 * When the segment has no file bytes (p_filesz 0), file_end == start.
 */
struct fut_elf_segment {
    uint64_t start;       /* first byte of the first page */
    uint64_t end;         /* one past the last page */
    uint64_t file_offset; /* file offset of `start`, page aligned */
    uint64_t file_end;    /* one past the last byte that comes from the file */
    uint32_t prot;        /* FUT_ELF_PROT_*, from p_flags */
};

/* Linux PROT_* values, the same as FUT_PROT_* in memory/vma.h. */
#define FUT_ELF_PROT_READ 0x1u
#define FUT_ELF_PROT_WRITE 0x2u
#define FUT_ELF_PROT_EXEC 0x4u

struct fut_elf_plan {
    uint16_t type;        /* ET_EXEC or ET_DYN */
    uint64_t load_bias;   /* added to every p_vaddr: 0 for ET_EXEC */
    uint64_t entry;       /* where user mode starts (AT_ENTRY), inside an executable segment */
    uint64_t phdr_addr;   /* the program headers in memory (AT_PHDR); 0 if not mapped */
    uint16_t phnum;       /* AT_PHNUM */
    uint16_t phent;       /* AT_PHENT: sizeof(Elf64_Phdr) */
    bool exec_stack;      /* PT_GNU_STACK asks for PF_X; absent means no (as Linux >= 5.8) */
    uint64_t image_start; /* lowest segment's start */
    uint64_t image_end;   /* highest segment's end: the program break starts here */
    uint32_t nsegments;
    struct fut_elf_segment segments[FUT_ELF_MAX_SEGMENTS]; /* sorted, disjoint */
    const char *reject_reason; /* static text; set when parsing returned -ENOEXEC */
};

/* Reads exactly len bytes at offset of the file into buf: 0, or a negative
 * errno that fut_elf_parse() passes on. Called only for ranges inside
 * [0, file_size). */
typedef int (*fut_elf_read_fn)(void *ctx, uint64_t offset, void *buf, size_t len);

/*
 * Validates the ELF file of file_size bytes that `read` gives access to and
 * fills *plan. dyn_base: where the lowest page of an ET_DYN image goes (page
 * aligned, e.g. FUT_ELF_DYN_BASE); ignored for ET_EXEC.
 * Returns 0; -ENOEXEC for a file exec must refuse (plan->reject_reason says
 * why); -EINVAL for an unaligned or out-of-range dyn_base; or the read
 * function's error. *plan is meaningful only after 0.
 */
int fut_elf_parse(fut_elf_read_fn read, void *ctx, uint64_t file_size, uint64_t dyn_base,
                  struct fut_elf_plan *plan);

/* fut_elf_parse() of an image held in memory: `size` bytes at `image`. */
int fut_elf_parse_image(const void *image, size_t size, uint64_t dyn_base,
                        struct fut_elf_plan *plan);

#ifdef __cplusplus
}
#endif

#endif
