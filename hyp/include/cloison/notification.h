/* SPDX-License-Identifier: MIT */
/*
 * Notifications: a 64-bit word. Signal ORs the signalling cap's badge into
 * it; poll reads and clears it. Blocking wait and delivery as a virtual
 * interrupt come with the channel work.
 */
#ifndef CLOISON_NOTIFICATION_H
#define CLOISON_NOTIFICATION_H

#include <cloison/object.h>

struct notification {
	struct object obj;
	uint64_t word;
};

#endif
