/* SPDX-License-Identifier: MIT */
/*
 * The console and system objects (made at boot), and the hooks through which
 * their calls reach the platform. A hook left NULL makes the call answer
 * not_supported (unit tests install their own).
 */
#ifndef CLOISON_SYSOBJ_H
#define CLOISON_SYSOBJ_H

#include <cloison/types.h>

struct sysobj_hooks {
	void (*console_write)(const char *buf, size_t len);
	void (*poweroff)(void);
};

void sysobj_set_hooks(const struct sysobj_hooks *hooks);

#endif
