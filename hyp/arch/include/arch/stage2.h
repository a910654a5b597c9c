/* SPDX-License-Identifier: MIT */
/* Arch interface: a domain's stage-2 translation (IPA -> PA). */
#ifndef ARCH_STAGE2_H
#define ARCH_STAGE2_H

#include <arch/types.h>
#include <cloison/types.h>

#define STAGE2_READ (1u << 0)
#define STAGE2_WRITE (1u << 1)
#define STAGE2_EXEC (1u << 2)
#define STAGE2_DEVICE (1u << 3) /* Device-nGnRE instead of normal memory */

/* IPA space of every domain: [0, 4 GiB). */
#define STAGE2_IPA_LIMIT (1ull << 32)

/*
 * Page tables are charged to the domain that needs them. Each stage 2 is
 * given a share of the pool of table pages when it is made (the loader
 * splits the pool equally between the policy's domains), so the shares
 * never add up to more than the pool: a domain that uses up its share
 * (mappings at IPAs that do not line up with its frames cost a level-3
 * table per 2 MiB) gets no_memory, and nothing changes for any other
 * domain. The boot mappings count against the same share.
 */

enum stage2_error {
	STAGE2_OK = 0,
	STAGE2_ERR_ALIGN,   /* ipa, pa or size not page aligned, or size 0 */
	STAGE2_ERR_RANGE,   /* beyond the IPA space, or wraps */
	STAGE2_ERR_OVERLAP, /* part of the range is already mapped */
	STAGE2_ERR_NOMEM,   /* no page left for a table in this stage 2's share */
	STAGE2_ERR_NOT_MAPPED,
};

bool arch_stage2_init(struct arch_stage2 *s2, uint16_t vmid, uint32_t quota_pages);
/* The same, for a domain made at run time: its tables come from n zeroed
 * pages of its own at `pages` (carved with it from its builder's pool), not
 * from the core's allocator, and go back there; the share is n. */
bool arch_stage2_init_own(struct arch_stage2 *s2, uint16_t vmid, void *pages, uint32_t n);
/* Would arch_stage2_map(s2, ipa, pa, size, ...) succeed? No side effect:
 * checks alignment, range, overlap and that enough table pages are free. */
enum stage2_error arch_stage2_check_map(const struct arch_stage2 *s2,
					uint64_t ipa, paddr_t pa, uint64_t size);
enum stage2_error arch_stage2_map(struct arch_stage2 *s2, uint64_t ipa,
				  paddr_t pa, uint64_t size, uint32_t prot);
/* Unmap [ipa, ipa + size) (every page must be mapped) and flush the TLB. */
enum stage2_error arch_stage2_unmap(struct arch_stage2 *s2, uint64_t ipa,
				    uint64_t size);
/* Free every table and flush the VMID's TLB entries. */
void arch_stage2_destroy(struct arch_stage2 *s2);

/* Table pages s2 holds now, and its share (the most it may hold). */
uint32_t arch_stage2_tables(const struct arch_stage2 *s2);
uint32_t arch_stage2_quota(const struct arch_stage2 *s2);

/* Extra stage-2 bring-up once per CPU (VTCR_EL2). */
void arch_stage2_cpu_init(void);

#endif
