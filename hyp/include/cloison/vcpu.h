/* SPDX-License-Identifier: MIT */
/*
 * A virtual CPU: the registers the vectors save (first), its scheduling
 * state (sched.c) and its virtual GIC interface (vgic.c). Each domain's
 * struct vm (<cloison/vm.h>) has one.
 */
#ifndef CLOISON_VCPU_H
#define CLOISON_VCPU_H

#include <arch/types.h>
#include <cloison/types.h>
#include <cloison/vgic.h>

struct vm;

struct vcpu {
	struct arch_vcpu arch; /* first: its registers are what the vectors save */
	struct vm *vm;
	/* Scheduling (sched.c), times in counter ticks. */
	uint64_t budget, period;
	uint64_t budget_us, period_us; /* as given (what it may hand on: dynvm.c) */
	uint64_t remaining;      /* budget left in the current period */
	uint64_t next_replenish; /* counter time of the next period start */
	uint32_t priority;       /* higher runs first */
	bool waiting;            /* in WFI until an interrupt is pending */
	bool blocked;            /* in notification_wait until a signal */
	/* Its last hypercall left objects to finalise (object_reap): the
	 * scheduler works them off, chunk by chunk on this vCPU's budget,
	 * before it runs again. */
	bool teardown;
	struct vgic vgic;
	uint64_t last_run_seq;   /* round robin among equal priorities */
	uint64_t run_start;      /* counter when last switched in */
	uint64_t consumed;       /* counter ticks run in total */
	uint64_t switches_in;
};

#endif
