/* SPDX-License-Identifier: MIT */
/*
 * Layout of a capability as the ABI shows it (cap_identify results, the live
 * capability dump of the audit work). The hypervisor stores every cap as
 * CLOISON_CAP_WORDS explicit 64-bit words with these fields; there are no C
 * bitfields anywhere, so the layout is the same for every compiler.
 *
 *   word 0  bits  0..7   object type (CLOISON_TYPE_*, <cloison/abi/objects.h>)
 *           bits  8..15  reserved, 0
 *           bits 16..31  rights (meaning per type; CLOISON_RIGHT_*)
 *           bits 32..63  reserved, 0
 *   word 1  the object (hypervisor-internal reference, never shown to domains)
 *   word 2  badge (notifications; 0 = unbadged); for a channel cap, which
 *           end of the channel it is (0 or 1)
 *
 * Changing anything here is a major ABI bump (docs/abi.md).
 */
#ifndef CLOISON_ABI_CAP_H
#define CLOISON_ABI_CAP_H

#include <stddef.h>
#include <stdint.h>

#define CLOISON_CAP_WORDS 3u

#define CLOISON_CAP_TYPE_SHIFT 0u
#define CLOISON_CAP_TYPE_BITS 8u
#define CLOISON_CAP_TYPE_MASK 0xffull
#define CLOISON_CAP_RIGHTS_SHIFT 16u
#define CLOISON_CAP_RIGHTS_BITS 16u
#define CLOISON_CAP_RIGHTS_MASK 0xffffull

/*
 * One capability in a dump of the live capability state (produced by the
 * system object's audit right). Fixed-size, no padding, so a dump
 * can be compared byte for byte against a policy.
 */
struct cloison_cap_record {
	uint32_t domain_id; /* domain whose CSpace holds the cap */
	uint32_t slot; /* slot in that CSpace */
	uint64_t word0; /* type and rights, as above */
	uint64_t badge;
	uint64_t object_id; /* stable id of the object, unique while it lives */
};

_Static_assert(CLOISON_CAP_TYPE_SHIFT + CLOISON_CAP_TYPE_BITS <= CLOISON_CAP_RIGHTS_SHIFT,
	       "type and rights fields overlap");
_Static_assert(CLOISON_CAP_RIGHTS_MASK == (1ull << CLOISON_CAP_RIGHTS_BITS) - 1,
	       "rights mask matches its width");
_Static_assert(sizeof(struct cloison_cap_record) == 32, "cap record is 32 bytes");
_Static_assert(offsetof(struct cloison_cap_record, slot) == 4, "cap record layout");
_Static_assert(offsetof(struct cloison_cap_record, word0) == 8, "cap record layout");
_Static_assert(offsetof(struct cloison_cap_record, badge) == 16, "cap record layout");
_Static_assert(offsetof(struct cloison_cap_record, object_id) == 24, "cap record layout");

#endif /* CLOISON_ABI_CAP_H */
