/* SPDX-License-Identifier: MIT */
/*
 * Guests served by a VMM domain (kernel/guest.c; the calls: object/vmm.c,
 * <cloison/vmm.h>, docs/vmm.md): a guest's exits go to its VMM as messages
 * and the guest waits until the VMM answers.
 */
#ifndef CLOISON_GUEST_H
#define CLOISON_GUEST_H

#include <cloison/types.h>

struct domain;
struct guest_exit;
struct vcpu;
struct vm;

/* Forward exit e of the running v to its VMM and block v; false (nothing
 * done) when v has no VMM. */
bool guest_forward(struct vcpu *v, const struct guest_exit *e);
/* The same for an HVC or SMC: x0..x3 and the immediate. */
bool guest_forward_call(struct vcpu *v, uint64_t kind, uint64_t imm);
void guest_vmm_deliver(struct domain *vmm, const uint64_t res[6]);
void guest_vmm_complete(struct domain *guest, const struct guest_exit *e,
			uint64_t value);
void guest_vmm_set_reg(struct domain *guest, uint32_t reg, uint64_t value);
/* One chunk of reloading guest's RAM from its packed image (the bundle's
 * segments, as the loader copied them at boot); bytes left. At 0 its vCPU
 * is back in its entry state. */
uint64_t guest_vmm_reload(struct domain *guest);

/* vm stopped: tell its VMM, stop the guests it served. */
void guest_stopped(struct vm *vm, uint64_t pc);

/* d's state changed; stopped or destroyed through a cap, it is stopped for
 * its VMM and its guests as if it had stopped itself. */
void guest_domain_changed(struct domain *d);

#endif
