/* SPDX-License-Identifier: MIT */
/*
 * The start-info page (<cloison/abi/start_info.h>): this domain's name,
 * memory and capabilities by name. The system description names caps
 * ("console", "uplink"); code looks them up here, so no slot number is
 * written on both sides.
 */
#ifndef DOMAIN_SI_H
#define DOMAIN_SI_H

#include <cloison/abi/start_info.h>
#include <stdint.h>

const struct cloison_start_info *si_get(void);
/* This domain's name, as the system description gives it. */
const char *si_name(void);

/* The start-info entry of the cap called `name`, or NULL. */
const struct cloison_start_info_cap *si_find(const char *name);

/*
 * The same, but a channel cap the domain was given unmapped (a guest made at
 * run time: its start-info entry says ipa all ones) is first mapped, read
 * and write, past the regions mapped so far; the answer is then a copy of
 * its entry with the IPA and size filled in (the page stays as the core
 * wrote it: read-only with the MMU on). The front ends look their channel
 * up this way.
 */
const struct cloison_start_info_cap *si_find_mapped(const char *name);

/*
 * The slot of the cap called `name`. A cap the domain needs but does not
 * hold is a configuration error: the runtime prints which one is missing
 * and which caps the domain has, then stops the domain (runtime_panic).
 */
uint64_t si_cap(const char *name);

/* The same, but CLOISON_SLOT_NONE when absent (for optional caps). */
uint64_t si_cap_or_none(const char *name);

/* The number of slots of this domain's CSpace (a driver's connect inbox
 * is its last ones, docs/dynamic-guests.md). */
uint32_t si_cspace_slots(void);

/* An empty slot of this domain's CSpace above `after`, or 0 when there is
 * none (where a domain building others puts the caps it makes). */
uint64_t si_free_slot(uint64_t after);

/*
 * The physical address of p, an address in this domain's RAM (the core
 * layer runs with the MMU off: an address is an IPA), or 0 if p is not in
 * it. What a driver puts in a DMA descriptor: without an IOMMU a device
 * sees physical addresses (start-info mem_pa, docs/driver-domains.md).
 */
uint64_t si_ram_pa(const volatile void *p);

#endif
