/* SPDX-License-Identifier: MIT */
/*
 * lwIP's platform header (lwip/arch.h includes it) for domains on the
 * runtime's picolibc layer: AArch64 little-endian, picolibc's stdint,
 * inttypes and limits, diagnostics on the console, an assertion stops the
 * domain, and the random numbers (TCP initial sequence numbers, ephemeral
 * ports) come from sys_arch.c.
 */
#ifndef CLOISON_LWIP_ARCH_CC_H
#define CLOISON_LWIP_ARCH_CC_H

#include <stdint.h>
#include <stdio.h>

#define BYTE_ORDER LITTLE_ENDIAN

uint32_t cloison_lwip_rand(void);
void cloison_lwip_assert(const char *msg, int line, const char *file) __attribute__((noreturn));

#define LWIP_RAND() (cloison_lwip_rand())
#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) cloison_lwip_assert((x), __LINE__, __FILE__)

#endif
