/* SPDX-License-Identifier: MIT */
/*
 * Boot-time construction of the capability system, used by the policy
 * loader and by unit tests: it makes exactly the objects and caps a
 * compiled policy lists. Objects are carved from a kernel pool given to
 * bootcap_init (the boot objects' memory); untyped pools given to domains
 * are separate ranges. Caps installed here are roots of the derivation tree.
 * All functions return NULL / an error code on bad input: the policy is
 * checked, never trusted.
 */
#ifndef CLOISON_BOOTCAP_H
#define CLOISON_BOOTCAP_H

#include <cloison/types.h>

struct object;
struct domain;
struct untyped;

/* Forget everything and use [kmem, kmem + size) for boot objects. */
void bootcap_init(paddr_t kmem, uint64_t size);

/* Free bytes left in the kernel pool. */
uint64_t bootcap_kmem_free(void);

struct untyped *bootcap_untyped(paddr_t base, uint64_t size);
struct domain *bootcap_domain(uint32_t nslots);
struct object *bootcap_notification(void);
struct object *bootcap_frame(paddr_t base, uint64_t size);
struct object *bootcap_device(paddr_t base, uint64_t size);
/* A channel's shared pages (its notification pair comes with F5). */
struct object *bootcap_channel(paddr_t base, uint64_t size);
struct object *bootcap_irq(uint32_t intid);
struct object *bootcap_console(void);
struct object *bootcap_system(void);
struct object *bootcap_cnode(uint32_t nslots);

/*
 * Install a cap to obj with rights (and badge, notifications only) in slot
 * of d's CSpace. Returns a CLOISON_ERR_* code.
 */
uint64_t bootcap_install(struct domain *d, uint64_t slot, struct object *obj, uint32_t rights,
			 uint64_t badge);

/*
 * Map the memory of the frame/device/channel cap in `slot` of d's CSpace
 * into d's stage 2 at ipa with prot (read/write/exec right bits), through
 * the memory_map hypercall's own checks. Returns a CLOISON_ERR_* code.
 */
uint64_t bootcap_map(struct domain *d, uint64_t slot, uint64_t ipa, uint64_t prot);

/* Finalise boot objects no cap was installed for (the policy wanted none). */
void bootcap_finish(void);

#endif
