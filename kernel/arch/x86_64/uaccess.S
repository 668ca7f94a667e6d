/*
 * Raw user-memory copies. Each sets EFLAGS.AC only for the copy itself (SMAP
 * stays on everywhere else). A fault the memory layer can resolve (demand
 * paging, copy-on-write) resumes the copy; one it cannot lands on the fixup,
 * which reports how many bytes were left. Range checks are the caller's
 * (kernel/arch/x86_64/uaccess.c).
 */
#include "futura/arch/extable.h"

    .section .text
    .code64

/*
 * size_t fut_arch_copy_user(void *dst, const void *src, size_t n): bytes NOT
 * copied. Quadwords, then the tail bytes: TCG runs rep one step at a time
 * (see kernel/lib/string_kernel.c). A fault stops a step before it stores,
 * so what is left is exact: the quadwords not moved plus the tail.
 */
    .global fut_arch_copy_user
fut_arch_copy_user:
    mov %rdx, %rcx
    shr $3, %rcx
    and $7, %edx
    stac
1:  rep movsq
    mov %rdx, %rcx
7:  rep movsb
    clac
    xor %eax, %eax
    ret
2:  clac
    lea (%rdx, %rcx, 8), %rax
    ret
8:  clac
    mov %rcx, %rax
    ret
    FUT_EXTABLE_ENTRY(1b, 2b)
    FUT_EXTABLE_ENTRY(7b, 8b)

/* long fut_arch_strnlen_user(const char *s, size_t max): length, max if no NUL, -EFAULT on fault */
    .global fut_arch_strnlen_user
fut_arch_strnlen_user:
    xor %eax, %eax
    stac
3:  cmp %rsi, %rax
    je 5f
4:  cmpb $0, (%rdi, %rax)
    je 5f
    inc %rax
    jmp 3b
5:  clac
    ret
6:  clac
    mov $-14, %rax
    ret
    FUT_EXTABLE_ENTRY(4b, 6b)
