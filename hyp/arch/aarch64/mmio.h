/* SPDX-License-Identifier: MIT */
/* Single-copy MMIO accesses: one instruction each, never split or merged. */
#ifndef AARCH64_MMIO_H
#define AARCH64_MMIO_H

#include <stdint.h>

static inline uint32_t mmio_read32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline uint64_t mmio_read64(uint64_t addr)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write64(uint64_t addr, uint64_t v)
{
	__asm__ volatile("str %x0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

#endif
