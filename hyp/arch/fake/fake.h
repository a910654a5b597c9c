/* SPDX-License-Identifier: MIT */
/* Parameters of the host (fake) architecture used by unit tests. */
#ifndef ARCH_FAKE_H
#define ARCH_FAKE_H

/* Same base as QEMU virt's RAM; 16 MiB is plenty for unit tests. */
#define FAKE_RAM_BASE 0x40000000ull
#define FAKE_RAM_SIZE (16ull << 20)

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* machine.c: the fake counter runs at 62.5 MHz like QEMU's. */
#define FAKE_TIMER_HZ 62500000ull
extern uint64_t fake_now, fake_deadline;
extern unsigned fake_switches;
extern bool fake_powered_off;

/* A path the host can not take (power off, entering a domain). */
#define abort_fake(what) abort()

struct arch_stage2;
struct arch_vcpu;

/* mem.c: a previous owner's bytes in [pa, pa + size), in the cache and in
 * memory alike; and whether a domain with its caches off would read zeroes
 * there (the core zeroed it and cleaned it with arch_mem_clean). */
void fake_mem_fill(uint64_t pa, uint64_t size, uint8_t byte);
bool fake_mem_domain_sees_zero(uint64_t pa, uint64_t size);
extern unsigned fake_mem_cleans;

/* machine.c: the vCPU whose EL1 and virtual-interrupt state the fake CPU
 * holds, and how often a vCPU was loaded over another's state that was
 * neither saved (switch prev) nor discarded (arch_vcpu_discard). */
extern struct arch_vcpu *fake_loaded;
extern unsigned fake_state_leaks;

/* Bytes currently mapped in a fake stage 2, and forget every mapping. */
uint64_t fake_stage2_mapped(const struct arch_stage2 *s2);
void fake_stage2_reset(void);

#endif
