/* Self-tests of the architecture layer: exceptions are caught, dumped and,
 * where an exception-table entry exists, recovered. */
#include "futura/arch/trap.h"
#include "futura/errno.h"
#include "futura/lib/printk.h"
#include "futura/selftest.h"

/* An address nothing maps: inside the non-canonical-free low half, far above
 * the early identity map. The dump shows it in CR2. */
#define FAULT_TEST_ADDR 0x00007fffdead0000ull

FUT_SELFTEST(fault)
{
    uint64_t value = 0;
    fut_trap_dump_recovered = true;
    fut_printk("fault: reading unmapped %#lx (expect #PF)\n", (unsigned long)FAULT_TEST_ADDR);
    int rc = fut_arch_probe_read((const void *)FAULT_TEST_ADDR, &value);
    FUT_CHECK(rc == -EFAULT);
    fut_printk("fault: executing ud2 (expect #UD)\n");
    FUT_CHECK(fut_arch_probe_invalid_opcode() == 1);
    fut_trap_dump_recovered = false;

    /* A mapped address must read fine through the same probe. */
    static const uint64_t known = 0x1122334455667788ull;
    FUT_CHECK(fut_arch_probe_read(&known, &value) == 0 && value == known);
    return FUT_TEST_PASS;
}

/* Not part of test=all: an unrecoverable kernel fault must dump and halt with failure. */
FUT_SELFTEST(_fault_fatal)
{
    fut_printk("fault_fatal: writing to unmapped %#lx without a fixup\n",
               (unsigned long)FAULT_TEST_ADDR);
    *(volatile uint64_t *)FAULT_TEST_ADDR = 1;
    fut_printk("fault_fatal: still running: the fault was not caught\n");
    return FUT_TEST_FAIL;
}
