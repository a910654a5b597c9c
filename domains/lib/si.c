/* SPDX-License-Identifier: MIT */
/* Start-info lookup by name (si.h). */
#include <string.h>

#include "internal.h"

static const struct cloison_start_info *info;

void si_init(const struct cloison_start_info *si)
{
	info = si;
}

const struct cloison_start_info *si_get(void)
{
	return info;
}

const char *si_name(void)
{
	return info->name;
}

static uint32_t cap_count(void)
{
	/* The hypervisor fills n_caps; never trust it past the array. */
	return info->n_caps < CLOISON_START_INFO_MAX_CAPS ? info->n_caps
							  : CLOISON_START_INFO_MAX_CAPS;
}

const struct cloison_start_info_cap *si_find(const char *name)
{
	for (uint32_t i = 0; i < cap_count(); i++) {
		const struct cloison_start_info_cap *c = &info->caps[i];

		if (strncmp(c->name, name, CLOISON_START_INFO_NAME_LEN) == 0)
			return c;
	}
	return NULL;
}

uint64_t si_cap_or_none(const char *name)
{
	const struct cloison_start_info_cap *c = si_find(name);

	return c ? c->slot : CLOISON_SLOT_NONE;
}

uint64_t si_cap(const char *name)
{
	const struct cloison_start_info_cap *c = si_find(name);

	if (!c) {
		printf("runtime: domain %.31s holds no cap named \"%s\"; its caps:", si_name(), name);
		for (uint32_t i = 0; i < cap_count(); i++)
			printf(" %.31s", info->caps[i].name);
		printf("%s\n", cap_count() ? "" : " (none)");
		runtime_panic("missing cap \"%s\" (check the system description)", name);
	}
	return c->slot;
}
