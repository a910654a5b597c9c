/* SPDX-License-Identifier: MIT */
/*
 * The boot bundle's checks, as a pure function: given the bundle's bytes,
 * where they are and the platform's facts, say whether the hypervisor may
 * build what the policy lists, or why not. No side effect, no allocation,
 * nothing trusted: every field is range-checked, the policy's SHA-256 and
 * each image's SHA-256 are verified. The loader calls it before building
 * anything; host unit tests and a fuzzer call it with any bytes.
 * Limits come from <cloison/abi/boot_limits.h> (hyp/abi/cloison-boot.toml),
 * the same numbers the toolstack checks a description against.
 */
#ifndef CLOISON_POLICY_CHECK_H
#define CLOISON_POLICY_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cloison/abi/policy.h>

#define POLICY_RESERVED_MAX 4
#define POLICY_WHY_LEN 160

/* What the checks need to know about the machine and the hypervisor. */
struct policy_facts {
	uint64_t ram_base, ram_size;
	uint64_t hyp_base;   /* first byte of the hypervisor image */
	uint64_t bundle_pa;  /* where the bundle must be: ALIGN_UP(hyp end, 64 KiB) */
	/* Device regions the hypervisor drives itself (GIC, its UART): no
	 * device object may cover them. */
	struct {
		uint64_t base, size;
	} reserved[POLICY_RESERVED_MAX];
	uint32_t n_reserved;
};

/* The checked bundle: pointers into the bytes given to policy_check(). */
struct policy_view {
	const uint8_t *bundle;
	const struct cloison_bundle_header *bh;
	const struct cloison_policy_header *ph;
	const struct cloison_policy_domain *doms;
	const struct cloison_policy_object *objs;
	const struct cloison_policy_cap *caps;
	const struct cloison_policy_segment *segs;
	uint64_t pool_needed;  /* bytes of the pool the loader will carve */
};

enum policy_status {
	POLICY_OK,
	POLICY_NO_BUNDLE, /* no bundle magic where the bundle must be */
	POLICY_BAD,       /* why says what is wrong */
};

/*
 * Check the `len` bytes at `bytes` (readable; the bundle's physical address
 * is facts->bundle_pa). On POLICY_OK *view points into them; otherwise `why`
 * (POLICY_WHY_LEN bytes) holds the reason.
 */
enum policy_status policy_check(const uint8_t *bytes, uint64_t len,
				const struct policy_facts *facts,
				struct policy_view *view, char *why);

/* Pool bytes a policy with these counts needs (limits pool_*). */
uint64_t policy_pool_needed(uint64_t domains, uint64_t objects, uint64_t slots);

#endif
