/* SPDX-License-Identifier: MIT */
/*
 * The boot-time policy loader: reads the bundle `cloison pack` appended to
 * the hypervisor image and creates exactly the domains, objects and
 * capabilities its compiled policy lists. The policy is checked, never
 * trusted: any inconsistency refuses the boot with a reason.
 */
#ifndef CLOISON_LOADER_H
#define CLOISON_LOADER_H

#include <cloison/types.h>

struct platform;

enum loader_result {
	LOADER_NO_BUNDLE, /* a bare hypervisor image: nothing to load */
	LOADER_OK,
	LOADER_ERROR,     /* *why says what is wrong */
};

enum loader_result loader_boot(const struct platform *plat, const char **why);

struct object;

/* The policy's name for an object the loader made, or NULL. */
const char *loader_object_name(const struct object *obj);

/* SHA-256 of the policy as the bundle header records it (hex, 64 chars). */
const char *loader_policy_hash(void);

#endif
