/* SPDX-License-Identifier: MIT */
/*
 * A guest served by a VMM domain (docs/vmm.md). The VMM holds a domain cap
 * with the vmm right on its guest; its first vmm_* call binds it as that
 * guest's only VMM. From then on the core forwards the guest's exits that
 * are not its own business -- data aborts in the declared emulated regions,
 * every HVC and SMC -- to the VMM as a decoded message, keeps the guest's
 * vCPU blocked until vmm_reply, and completes the instruction with the
 * answer. The link lives in the guest's struct domain; the calls are in
 * object/vmm.c, the trap side in kernel/guest.c and arch trap.c.
 */
#ifndef CLOISON_VMM_H
#define CLOISON_VMM_H

#include <cloison/abi/calls.h>
#include <cloison/types.h>

struct domain;

/* One forwarded exit, decoded by the arch trap handler. */
struct guest_exit {
	uint64_t kind;  /* CLOISON_VMM_EXIT_* */
	uint64_t addr;  /* IPA, or x0 (SMCCC function ID) */
	uint64_t size;  /* access bytes, or the HVC/SMC immediate */
	uint64_t value; /* value stored, or x1 */
	uint64_t arg2, arg3; /* x2, x3 of a call */
	/* How to complete a load: the register, sign extension and width
	 * (ESR_EL2 ISS SRT, SSE, SF; Arm ARM D17.2.40). */
	uint32_t rt;
	bool sign_extend;
	bool sf;
};

enum vmm_exit_state {
	VMM_EXIT_NONE,    /* the guest runs */
	VMM_EXIT_PENDING, /* the guest is blocked; its VMM has not taken the exit */
	VMM_EXIT_TAKEN,   /* the VMM took it with vmm_wait and owes a vmm_reply */
};

struct vmm_link {
	/* Of a guest: served since its first vmm_* call (its HVCs and SMCs
	 * are never hypercalls again), by vmm until that domain's object
	 * goes (then NULL: its next exit stops it). */
	bool served;
	struct domain *vmm;
	struct domain *next_served; /* in its VMM's served list */
	/* Of a VMM: the guests it serves (so its end can unlink them). */
	struct domain *served_head;
	/* Of a VMM: the guest it waits on in vmm_wait, NULL when not waiting. */
	struct domain *waiting_on;
	bool vmm_waiting;   /* the VMM is blocked in vmm_wait on this guest */
	/* The guest stopped while its VMM was not waiting: its next vmm_wait
	 * hears it (else a VMM that waits after the stop would block for good). */
	bool stop_latched;
	uint64_t stop_pc;
	uint32_t exit_state;
	uint32_t nregions;
	uint64_t region_base[CLOISON_VMM_REGIONS_MAX];
	uint64_t region_size[CLOISON_VMM_REGIONS_MAX];
	struct guest_exit exit;
};

/* Is ipa in one of the guest's emulated regions? */
bool vmm_in_region(const struct vmm_link *l, uint64_t ipa);

/* Hand exit e of guest to its VMM (delivered now if the VMM waits). The
 * caller has checked that guest has a VMM and blocks the guest's vCPU. */
void vmm_forward(struct domain *guest, const struct guest_exit *e);

/* The guest was stopped (fault, or its VMM went away): a waiting VMM hears
 * of it (exit "stopped"); no exit stays owed. */
void vmm_guest_stopped(struct domain *guest, uint64_t pc);

/* A virtual interrupt was raised on d: if d waits in vmm_wait, it returns
 * now with the exit kind "irq" (a VMM blocked for its guest still hears its
 * own console input and channels). */
void vmm_interrupt(struct domain *d);

/* d's object is going (domain_finalise): no other domain keeps a pointer
 * to it. A VMM waiting on it hears "stopped"; guests it served lose it. */
void vmm_unlink(struct domain *d);

/* Load completion for vmm_reply: the value an access of e puts in Rt. */
uint64_t vmm_load_value(const struct guest_exit *e, uint64_t value);

#endif
