/* SPDX-License-Identifier: MIT */
/*
 * The kernel's side of domains made at run time (kernel/dynvm.c): the hooks
 * object/build.c calls (<cloison/sysobj.h>), and the end of such a domain
 * once the scheduler has taken it off the CPU and zeroed its RAM.
 */
#ifndef CLOISON_DYNVM_H
#define CLOISON_DYNVM_H

#include <cloison/types.h>

struct domain;
struct vm;

bool dynvm_available(void);
void dynvm_attach(struct domain *d);
bool dynvm_caller_ram(const struct domain *caller, uint64_t ipa, uint64_t len, paddr_t *pa);
bool dynvm_sched_limits(const struct domain *caller, uint64_t *budget_us, uint64_t *period_us,
			uint32_t *priority);
void dynvm_ready(struct domain *d);
/* vm is torn down: if its domain was made at run time, out of the table and
 * its memory back to the pool (nothing for a domain of the policy). */
void dynvm_release(struct vm *vm);

#endif
