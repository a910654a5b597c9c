/* SPDX-License-Identifier: MIT */
/*
 * Notifications: a 64-bit word. Signal ORs the signalling cap's badge into
 * it; poll reads and clears it. Blocking wait and delivery as a virtual
 * interrupt come with the channel work.
 */
#ifndef CLOISON_NOTIFICATION_H
#define CLOISON_NOTIFICATION_H

#include <cloison/abi/start_info.h>
#include <cloison/object.h>

struct domain;

/* vINTIDs a notification may be bound to (<cloison/abi/start_info.h>). */
#define NOTIFICATION_FIRST_VINTID CLOISON_VIRQ_FIRST_NOTIFICATION
#define NOTIFICATION_LAST_VINTID CLOISON_VIRQ_LAST

struct notification {
	struct object obj;
	uint64_t word;
	/* notification_bind: raise bound_vintid on bound_domain at signal. */
	struct domain *bound_domain;
	uint32_t bound_vintid;
	uint32_t reserved;
	/* notification_wait: the domain blocked on this notification. */
	struct domain *waiter;
};

/* The notification is going away: wake its waiter with an error. */
void notification_finalise(struct notification *n);

/* The operations, shared by notification caps and channel ends. */
struct hc_ctx;
void notification_do_signal(struct notification *n, uint64_t bits);
void notification_do_wait(struct notification *n, struct hc_ctx *ctx);
uint64_t notification_check_wait(const struct notification *n, const struct hc_ctx *ctx);
uint64_t notification_check_bind(uint64_t vintid);
void notification_do_bind(struct notification *n, struct hc_ctx *ctx);

#endif
