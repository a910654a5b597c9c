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
 * The slot of the cap called `name`. A cap the domain needs but does not
 * hold is a configuration error: the runtime prints which one is missing
 * and which caps the domain has, then stops the domain (runtime_panic).
 */
uint64_t si_cap(const char *name);

/* The same, but CLOISON_SLOT_NONE when absent (for optional caps). */
uint64_t si_cap_or_none(const char *name);

#endif
