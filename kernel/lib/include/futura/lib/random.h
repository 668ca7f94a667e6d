/* Pseudo-random bytes for getrandom and exec's AT_RANDOM. */
#ifndef FUTURA_LIB_RANDOM_H
#define FUTURA_LIB_RANDOM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fills buf with n bytes from a generator reseeded from fut_hal_entropy(). */
void fut_random_bytes(void *buf, size_t n);

#ifdef __cplusplus
}
#endif

#endif
