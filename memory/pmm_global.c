/* The kernel's PMM instance. Boot code fills it with fut_pmm_init(); until
 * then it manages no frames and every allocation fails. */
#include "futura/memory/pmm.h"

static struct fut_pmm global_pmm;

struct fut_pmm *fut_pmm_global(void)
{
    return &global_pmm;
}
