/* See memory_fixture.h. */
#include "memory_fixture.h"

#include <stdlib.h>

#include "futura/fake_hal.h"
#include "futura/memory/pmm.h"

static void *descriptors;

void fut_test_memory_setup(size_t ram_bytes)
{
    fut_test_memory_teardown();
    fut_fake_phys_init(FUT_TEST_RAM_BASE, ram_bytes);
    struct fut_mem_region ram = {FUT_TEST_RAM_BASE, ram_bytes, FUT_MEM_USABLE};
    size_t bytes = fut_pmm_descriptor_bytes(&ram, 1);
    descriptors = aligned_alloc(64, (bytes + 63) & ~(size_t)63);
    if (!descriptors || fut_pmm_init(fut_pmm_global(), &ram, 1, NULL, 0, descriptors, bytes) != 0)
        abort();
}

void fut_test_memory_teardown(void)
{
    free(descriptors);
    descriptors = NULL;
    fut_fake_phys_release();
}
