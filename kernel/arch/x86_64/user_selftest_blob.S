/* A tiny position-independent user program for test=user_mode:
 * write(1, msg, len); then a read from an unmapped address (#PF in ring 3),
 * which the test's fault hook turns into exit(bytes written). */
    .section .rodata
    .global fut_user_blob_start
    .global fut_user_blob_end
fut_user_blob_start:
    lea msg(%rip), %rsi
    mov $1, %edi
    mov $(msg_end - msg), %edx
    mov $1, %eax                /* write */
    syscall
    mov %rax, %rdi
    mov $60, %eax               /* exit */
    syscall
    ud2
msg:
    .ascii "hello from ring 3\n"
msg_end:
fut_user_blob_end:
