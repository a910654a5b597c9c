/* SPDX-License-Identifier: MIT */
/*
 * Basic types of the hypervisor core. Physical and intermediate-physical
 * addresses are opaque structs so that a physical address can never be used
 * where a pointer or an IPA is expected without an explicit conversion.
 */
#ifndef CLOISON_TYPES_H
#define CLOISON_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A physical address (what the MMU outputs after all stages). */
typedef struct {
	uint64_t pa;
} paddr_t;

/* An intermediate physical address: what a domain sees as "physical". */
typedef struct {
	uint64_t ipa;
} ipaddr_t;

static inline paddr_t pa_init(uint64_t pa)
{
	return (paddr_t){ .pa = pa };
}

static inline uint64_t pa_addr(paddr_t pa)
{
	return pa.pa;
}

static inline paddr_t pa_add(paddr_t pa, uint64_t off)
{
	return (paddr_t){ .pa = pa.pa + off };
}

static inline ipaddr_t ipa_init(uint64_t ipa)
{
	return (ipaddr_t){ .ipa = ipa };
}

static inline uint64_t ipa_addr(ipaddr_t ipa)
{
	return ipa.ipa;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)

#define PAGE_SHIFT 12
#define PAGE_SIZE ((uint64_t)1 << PAGE_SHIFT)

#define NORETURN __attribute__((noreturn))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define UNUSED __attribute__((unused))

#endif
