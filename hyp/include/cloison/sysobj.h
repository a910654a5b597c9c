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
struct guest_exit;

/* Counters system_stats reports. */
struct sysobj_stats {
	uint64_t el2_entries, switches, virqs, hypercalls;
};

struct sysobj_hooks {
	void (*console_write)(const char *buf, size_t len);
	/* Take up to max bytes of console input; returns how many. */
	size_t (*console_read)(const struct domain *caller, char *buf, size_t max);
	/* domain_console_attach: does d have the console input; give it to
	 * target until Ctrl-] gives it back (kernel/console.c). */
	bool (*console_has_focus)(const struct domain *d);
	void (*console_attach)(const struct domain *caller, struct domain *target);
	void (*poweroff)(void);
	void (*stats)(struct sysobj_stats *out);
	/* The core's page allocator: free and total pages (system_census). */
	void (*census)(uint64_t *free_pages, uint64_t *total_pages);
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
	/* Off the CPU until an enabled virtual interrupt is raised, as a
	 * WFI (channel_signal_wait with no channel to wait on). */
	void (*wait_interrupt)(struct domain *d);
	void (*vgic_configure)(struct domain *d, uint32_t vintid, bool enable,
			       uint8_t priority);
	/* Deliver the SPI of irq to d as vintid (irq_bind; owner already
	 * set), and take it back (the object dies). */
	void (*irq_route)(struct irqobj *irq);
	void (*irq_release)(struct irqobj *irq);
	/* A guest's VMM (object/vmm.c): wake the VMM blocked in vmm_wait with
	 * x0 = ok and x1..x6 = res; complete the guest's exit e with the
	 * VMM's value and let it run; set one register of a guest that is not
	 * running. All NULL: the vmm_* calls answer not_supported. */
	void (*vmm_deliver)(struct domain *vmm, const uint64_t res[6]);
	void (*vmm_complete)(struct domain *guest, const struct guest_exit *e,
			     uint64_t value);
	void (*vmm_set_reg)(struct domain *guest, uint32_t reg, uint64_t value);
	/* One chunk of reloading guest's RAM from its image; bytes left (0:
	 * done, its vCPU back in its entry state). */
	uint64_t (*vmm_reload)(struct domain *guest);
	/* Has d an enabled virtual interrupt raised but not yet in a list
	 * register (vmm_wait returns "irq" at once rather than sleep through
	 * it)? If so the scheduler is poked, so the interrupt reaches a list
	 * register before d runs on. NULL: never. */
	bool (*virq_pending)(struct domain *d);
	/* Domains made at run time (object/build.c, kernel/dynvm.c). All NULL:
	 * domain_set_memory and domain_set_sched answer not_supported.
	 * vm_available: a VMID is free. vm_attach: make d's vCPU and stage 2
	 * (its RAM mapped) in the memory d->build names; cannot fail.
	 * caller_ram: the PA of [ipa, ipa + len) of the caller's own RAM, if
	 * all of it lies there. sched_limits: the caller's own budget, period
	 * and priority (what the policy gave it). vm_ready: d's vCPU may run
	 * from its entry with the scheduling it was given (finish_build). */
	bool (*vm_available)(void);
	void (*vm_attach)(struct domain *d);
	bool (*caller_ram)(const struct domain *caller, uint64_t ipa, uint64_t len,
			   paddr_t *pa);
	bool (*sched_limits)(const struct domain *caller, uint64_t *budget_us,
			     uint64_t *period_us, uint32_t *priority);
	void (*vm_ready)(struct domain *d);
};

extern struct sysobj_hooks sysobj_hooks;

void sysobj_set_hooks(const struct sysobj_hooks *hooks);

#endif
