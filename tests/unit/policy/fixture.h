/* SPDX-License-Identifier: MIT */
/*
 * A valid boot bundle built in memory, for the policy check's host tests and
 * fuzzer: two domains (d0, d1), every object type the policy can make (a
 * device, an IRQ, a notification, a channel between d0 and d1, an untyped
 * pool, the console, the system object), the caps that use them, one image
 * shared by both domains. A test changes one field, re-seals (recomputes
 * the image and policy hashes, so the change reaches the field's own check)
 * and expects the refusal.
 */
#ifndef TEST_POLICY_FIXTURE_H
#define TEST_POLICY_FIXTURE_H

#include <cloison/abi/policy.h>
#include <cloison/policy_check.h>

#define FX_BUNDLE_PA 0x40250000ull
#define FX_SPARE 8192u   /* zero bytes at the end of the policy blob */
#define FX_LEN 65536u

enum { FX_SYSTEM, FX_CONSOLE, FX_D0, FX_D1, FX_DEV, FX_IRQ, FX_NOTE, FX_CHAN, FX_POOL,
       FX_NOBJS };

struct fx {
	_Alignas(16) uint8_t buf[FX_LEN];
	struct cloison_bundle_header *bh;
	struct cloison_policy_header *ph;
	struct cloison_policy_domain *doms;
	struct cloison_policy_object *objs;
	struct cloison_policy_cap *caps;
	struct cloison_policy_segment *segs;
	struct policy_facts facts;
	struct policy_view view;
	char why[POLICY_WHY_LEN];
};

void fx_build(struct fx *f);
/* Recompute every image hash and the policy hash. */
void fx_seal(struct fx *f);
/* Recompute the policy hash only. */
void fx_seal_policy(struct fx *f);
enum policy_status fx_check(struct fx *f);

#endif
