/*
 * #PF: decode the error code and let the memory layer resolve faults on user
 * addresses (demand paging, copy-on-write). Kernel code may fault on user
 * memory only inside the uaccess routines, which have exception-table fixups;
 * any other kernel fault on a user address is a kernel bug and ends in the
 * register dump.
 */
#include "futura/arch/cpu.h"
#include "futura/arch/page_fault.h"
#include "futura/arch/trap.h"
#include "futura/lib/printk.h"
#include "futura/memory/mm.h"
#include "futura/memory/paging.h"

#define PF_PRESENT (1u << 0)
#define PF_WRITE (1u << 1)
#define PF_USER (1u << 2)
#define PF_RESERVED (1u << 3)
#define PF_INSTR (1u << 4)

static fut_user_fault_fn user_fault_handler;

void fut_page_fault_set_user_handler(fut_user_fault_fn fn)
{
    user_fault_handler = fn;
}

static bool handle_page_fault(struct fut_trap_frame *frame)
{
    uint64_t addr = read_cr2();
    bool user_mode = (frame->cs & 3) != 0;
    struct fut_mm *mm = fut_mm_current();

    if (frame->error & PF_RESERVED)
        return false; /* corrupted page tables: always fatal */
    if (addr >= FUT_USER_TOP || !mm)
        return false;
    /* Kernel accesses to user memory are legal only where a fixup exists. */
    if (!user_mode && !fut_extable_find(frame->rip))
        return false;

    uint32_t access = 0;
    if (frame->error & PF_WRITE)
        access |= FUT_FAULT_WRITE;
    if (frame->error & PF_INSTR)
        access |= FUT_FAULT_EXEC;
    if (frame->error & PF_PRESENT)
        access |= FUT_FAULT_PRESENT;
    enum fut_fault_result res = fut_mm_handle_fault(mm, addr, access);
    if (res == FUT_FAULT_HANDLED)
        return true;
    if (!user_mode)
        return false; /* the exception table turns it into -EFAULT */
    if (user_fault_handler)
        return user_fault_handler(frame, addr, res);
    return false;
}

void fut_page_fault_init(void)
{
    fut_trap_set_handler(14, handle_page_fault);
}
