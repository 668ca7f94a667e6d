/* Host-test set-up of a whole physical memory: fake RAM behind the fake HAL
 * and the global PMM managing it, as the kernel's boot code would. */
#ifndef FUTURA_MEMORY_TESTING_MEMORY_FIXTURE_H
#define FUTURA_MEMORY_TESTING_MEMORY_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fake RAM starts here (1 MiB, like a PC's first usable memory above the BIOS area). */
#define FUT_TEST_RAM_BASE 0x100000ull

/* Gives the global PMM `ram_bytes` of fake RAM; frees any previous set-up. */
void fut_test_memory_setup(size_t ram_bytes);
void fut_test_memory_teardown(void);

#ifdef __cplusplus
}
#endif

#endif
