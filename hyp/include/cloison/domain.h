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
#include <cloison/std/sha256.h>

struct cnode;
struct arch_stage2;
struct untyped;

/*
 * What a domain made at run time is given before it runs (object/build.c),
 * kept at the start of the memory carved for it from its builder's pool by
 * domain_set_memory: this record, the kernel's struct vm (DOMAIN_VM_BYTES),
 * its stage-2 table pages, then its RAM. The carve counts as one live child
 * of the pool until the kernel has taken the domain off the CPU and zeroed
 * its RAM (domain_build_release), however long its caps live.
 */
#define DOMAIN_BUILD_BYTES 0x1000u
#define DOMAIN_VM_BYTES 0x2000u
struct domain_build {
	struct untyped *pool;
	paddr_t base; /* the carve: [base, base + size) of the pool */
	uint64_t size;
	struct domain_build *next, *prev; /* every carve alive (domain_build_first) */
	void *vm; /* the kernel's struct vm, DOMAIN_BUILD_BYTES in */
	void *tables; /* table pages for its stage 2 */
	uint32_t n_tables;
	uint32_t n_caps; /* entries in its start-info page */
	paddr_t ram;
	uint64_t ram_size;
	uint64_t loaded; /* bytes of image copied to the start of the RAM */
	struct sha256 sha; /* of those bytes, in order */
	uint64_t budget_us, period_us;
	uint32_t priority;
	char name[32];
};

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
	/* Made at run time and given memory: what it was given (NULL for a
	 * domain of the policy, or one not given memory yet). */
	struct domain_build *build;
	/* Its connect inbox (domain_connect, build.c): slots [inbox_first,
	 * inbox_first + inbox_slots) of its CSpace, reserved by the policy
	 * for the channel ends of run-time clients; 0 slots: it takes none
	 * (every domain made at run time). */
	uint32_t inbox_first, inbox_slots;
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

/* The kernel has taken a domain made at run time off the CPU and zeroed its
 * RAM: its memory goes back to the pool it was carved from (build.c). */
void domain_build_release(struct domain *d);
/* finish_build's extra checks (build.c): no cap to the CSpace's CNode but
 * the domain's own; memory, scheduling and a kernel to run it. */
uint64_t domain_build_check_finish(const struct domain *d);
/* The channels domain_connect made for d: each driver's end hangs below d's
 * hold on its CSpace. Signal those ends and delete them, at most `steps`
 * deletions; true when none is left (build.c). */
bool domain_build_disconnect(struct domain *d, uint32_t steps);
/* Every carve not yet released, for the invariant checker (tests): each is a
 * live child of its pool, as an object is. */
const struct domain_build *domain_build_first(void);
void domain_build_reset(void); /* with domain_reset_ids */

/* Reset the id counter (boot and test fixtures). */
void domain_reset_ids(void);

#endif
