/* SPDX-License-Identifier: MIT */
/*
 * The console and system objects (made at boot), and the hooks through which
 * their calls reach the platform. A hook left NULL makes the call answer
 * not_supported (unit tests install their own).
 */
#ifndef CLOISON_SYSOBJ_H
#define CLOISON_SYSOBJ_H

#include <cloison/types.h>

struct domain;
struct irqobj;

/* Counters system_stats reports. */
struct sysobj_stats {
	uint64_t el2_entries, switches, virqs, hypercalls;
};

struct sysobj_hooks {
	void (*console_write)(const char *buf, size_t len);
	/* Take up to max bytes of console input; returns how many. */
	size_t (*console_read)(char *buf, size_t max);
	void (*poweroff)(void);
	void (*stats)(struct sysobj_stats *out);
	void (*audit_dump)(void);
	/* End the calling domain's time slice. */
	void (*yield)(void);
	/* A domain's lifecycle state changed: the scheduler must look again. */
	void (*domain_changed)(struct domain *d);
	/* CPU time a domain has used, for domain_query (0 if NULL). */
	uint64_t (*domain_cpu_time)(const struct domain *d);
	/* A domain stopped by a fault cannot be resumed, only destroyed. */
	bool (*domain_faulted)(const struct domain *d);
	/* Virtual interrupts and blocking (notifications, vgic_configure). */
	void (*raise_virq)(struct domain *d, uint32_t vintid);
	void (*block)(struct domain *d);
	void (*unblock)(struct domain *d, uint64_t word, uint64_t err);
	void (*vgic_configure)(struct domain *d, uint32_t vintid, bool enable,
			       uint8_t priority);
	/* Deliver the SPI of irq to d as vintid (irq_bind; owner already
	 * set), and take it back (the object dies). */
	void (*irq_route)(struct irqobj *irq);
	void (*irq_release)(struct irqobj *irq);
};

extern struct sysobj_hooks sysobj_hooks;

void sysobj_set_hooks(const struct sysobj_hooks *hooks);

#endif
