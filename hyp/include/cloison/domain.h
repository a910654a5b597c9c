/* SPDX-License-Identifier: MIT */
/*
 * Domains: the object and its lifecycle (created -> built -> running <->
 * stopped, any -> destroyed). Running a domain is the kernel's (struct vm,
 * <cloison/vm.h>); here the state machine and the CSpace binding are kept.
 */
#ifndef CLOISON_DOMAIN_H
#define CLOISON_DOMAIN_H

#include <cloison/cap.h>
#include <cloison/object.h>
#include <cloison/vmm.h>

struct cnode;
struct arch_stage2;

struct domain {
	struct object obj;
	uint32_t state; /* CLOISON_DOMAIN_* */
	uint32_t id;
	/*
	 * The CSpace is held through a real cap (a child of the cnode cap it
	 * was set from), so revoking that cnode cap takes the CSpace away.
	 */
	struct cte cspace;
	/* The domain's stage 2 (memory_map target); NULL for domains that
	 * only exist as objects (made by retype, not yet runnable). */
	struct arch_stage2 *s2;
	/* Its VMM, emulated regions and the exit in flight (vmm.h). */
	struct vmm_link vmm;
};

void domain_setup(struct domain *d);

/* The domain's CSpace, or NULL (none set, or taken away by revoke). */
static inline struct cnode *domain_cspace(const struct domain *d)
{
	/* An empty slot is all zero (cte_delete and cte_move clear it whole,
	 * objects are carved zeroed; capcheck asserts it), so its object is
	 * NULL: one load on every hypercall. */
	return (struct cnode *)(void *)cap_object(&d->cspace.cap);
}

void domain_finalise(struct domain *d);
/* The one way a domain's lifecycle state changes after domain_setup(): the
 * hypercalls, the loader, and a vCPU that faults or stops itself all come
 * here, so the scheduler hears of every change (sysobj_hooks). */
void domain_set_state(struct domain *d, uint32_t state);

/* Reset the id counter (boot and test fixtures). */
void domain_reset_ids(void);

#endif
