/* SPDX-License-Identifier: MIT */
/*
 * The start-info page: what the hypervisor tells a domain when it starts.
 *
 * Entry convention: a domain starts at EL1 (AArch64, MMU and caches off,
 * DAIF masked) at the entry IPA of its image, with x0 = IPA of this page.
 * The page is the LAST 4 KiB page of the domain's RAM
 * ([mem_ipa + mem_size - 4096, mem_ipa + mem_size)); a domain's stack and
 * heap must stay below it. Every other register is zero.
 *
 * Domains find their capabilities by name here ("console", "guest1",
 * "uplink"), so no slot number is written by hand on both sides of the
 * system description.
 *
 * Versioning: any change of layout or meaning bumps
 * CLOISON_START_INFO_VERSION; a domain refuses a version it does not know.
 */
#ifndef CLOISON_ABI_START_INFO_H
#define CLOISON_ABI_START_INFO_H

#include <stddef.h>
#include <stdint.h>

#define CLOISON_START_INFO_MAGIC 0x4f464e4954524154ull /* "TARTINFO" LE */
#define CLOISON_START_INFO_VERSION 2u /* 2: mem_pa */
#define CLOISON_START_INFO_SIZE 4096u
#define CLOISON_START_INFO_NAME_LEN 32u
#define CLOISON_START_INFO_MAX_CAPS 62u

struct cloison_start_info_cap {
	char name[CLOISON_START_INFO_NAME_LEN]; /* NUL-terminated */
	uint32_t slot;   /* slot in the domain's CSpace: x0 of a hypercall */
	uint32_t type;   /* CLOISON_TYPE_* */
	uint64_t rights; /* CLOISON_RIGHT_* mask */
	uint64_t ipa;    /* where the object's memory is mapped, or ~0 */
	uint64_t size;   /* size of that mapping, or 0 */
};

struct cloison_start_info {
	uint64_t magic;    /* CLOISON_START_INFO_MAGIC */
	uint32_t version;  /* CLOISON_START_INFO_VERSION */
	uint32_t n_caps;   /* entries used in caps[] */
	char name[CLOISON_START_INFO_NAME_LEN]; /* this domain's name */
	uint64_t mem_ipa;  /* this domain's RAM */
	uint64_t mem_size;
	uint32_t domain_id;
	uint32_t abi_major; /* hypercall ABI of the hypervisor */
	uint32_t abi_minor;
	uint32_t reserved0;
	/* Physical address of this domain's RAM (mem_ipa maps to it, one
	 * contiguous range): what a driver domain puts in a DMA descriptor
	 * for a buffer in its own RAM, since without an IOMMU a device sees
	 * physical addresses (version 2). */
	uint64_t mem_pa;
	uint64_t reserved[5];
	struct cloison_start_info_cap caps[CLOISON_START_INFO_MAX_CAPS];
};

_Static_assert(sizeof(struct cloison_start_info_cap) == 64, "start-info cap size");
_Static_assert(offsetof(struct cloison_start_info, name) == 16, "start-info layout");
_Static_assert(offsetof(struct cloison_start_info, mem_ipa) == 48, "start-info layout");
_Static_assert(offsetof(struct cloison_start_info, mem_pa) == 80, "start-info layout");
_Static_assert(offsetof(struct cloison_start_info, caps) == 128, "start-info layout");
_Static_assert(sizeof(struct cloison_start_info) <= CLOISON_START_INFO_SIZE,
	       "start-info fits its page");

/* hvc immediate the domain runtime's EL1 vectors use to report an
 * exception EL1 did not expect; the hypervisor then stops the domain and
 * records the reason from ESR_EL1/ELR_EL1/FAR_EL1. Any other non-zero
 * immediate is an unknown hypercall and stops the domain too. */
#define CLOISON_HVC_EL1_FAULT 0xe1u

/* Virtual interrupts the hypervisor raises on its own: console input goes
 * to the domain holding the console cap with the input right; 33..63 are
 * for notification_bind. (27 is the EL1 virtual timer, as on hardware.) */
#define CLOISON_VIRQ_VTIMER 27u
#define CLOISON_VIRQ_CONSOLE_INPUT 32u
#define CLOISON_VIRQ_FIRST_NOTIFICATION 33u
#define CLOISON_VIRQ_LAST 63u

#endif
