/* SPDX-License-Identifier: MIT */
/*
 * The boot bundle and the compiled policy: the binary the toolstack
 * (toolstack/cloison/policy.py) writes and the hypervisor reads at boot.
 * docs/system-description.md describes the source format and the layout
 * rules; this header is the binary contract. The toolstack's tests compile
 * this header and compare every offset with the Python encoder.
 *
 * Where the bundle is. `cloison pack` copies the hypervisor ELF unchanged
 * and adds one PT_LOAD segment holding the bundle at
 *     ALIGN_UP(end of the hypervisor's highest PT_LOAD (p_paddr + p_memsz),
 *              CLOISON_BUNDLE_ALIGN)
 * so the hypervisor finds it at ALIGN_UP(__hyp_end, CLOISON_BUNDLE_ALIGN)
 * and checks magic, version and load_addr there before trusting anything.
 *
 * Bundle = struct cloison_bundle_header, the policy blob at policy_offset,
 * the image data at images_offset. All integers little endian, all offsets
 * in bytes from the start of the bundle unless said otherwise.
 *
 * Policy blob = struct cloison_policy_header followed by four tables of
 * fixed-size records (domains, objects, caps, segments); each table is
 * described by a struct cloison_policy_table whose offset is from the start
 * of the policy blob, 8-byte aligned. Records refer to each other by index.
 *
 * Loading a domain (what the records mean): its RAM is the physical range
 * [mem_phys, mem_phys + mem_size), seen by the domain at IPA mem_ipa. For
 * each of its segments, copy file_size bytes from bundle + offset to
 * mem_phys + (ipa - mem_ipa) and zero up to mem_size bytes; the rest of the
 * domain's RAM is zeroed too. Start it at IPA `entry`. The toolstack has
 * checked that every segment lies inside the domain's RAM (IPA range).
 *
 * Names are NUL-padded, at most CLOISON_POLICY_NAME_MAX characters from
 * [A-Za-z0-9_.-], so a name always has a terminating NUL.
 *
 * Versioning: any change to a layout or to the meaning of a field bumps
 * CLOISON_POLICY_VERSION (or CLOISON_BUNDLE_VERSION for the bundle header);
 * a reader refuses any version other than its own.
 */
#ifndef CLOISON_ABI_POLICY_H
#define CLOISON_ABI_POLICY_H

#include <stddef.h>
#include <stdint.h>

/* "CLOISONB" / "CLOISONP" read as a little-endian 64-bit word. */
#define CLOISON_BUNDLE_MAGIC 0x424e4f53494f4c43ull
#define CLOISON_POLICY_MAGIC 0x504e4f53494f4c43ull
#define CLOISON_BUNDLE_VERSION 1u
#define CLOISON_POLICY_VERSION 1u

#define CLOISON_BUNDLE_ALIGN 0x10000ull	/* 64 KiB */
#define CLOISON_POLICY_NAME_LEN 32u
#define CLOISON_POLICY_NAME_MAX (CLOISON_POLICY_NAME_LEN - 1u)
/* cloison_policy_cap.ipa of a cap that maps nothing at boot. */
#define CLOISON_POLICY_NO_IPA 0xffffffffffffffffull
/* CSpace slot 0 never holds a cap; the toolstack assigns 1, 2, ... */
#define CLOISON_POLICY_FIRST_SLOT 1u

/* cloison_policy_header.flags: a policy with either flag must not boot. */
#define CLOISON_POLICY_F_NO_IMAGES (1u << 0)	/* compiled without images */
#define CLOISON_POLICY_F_NO_HYP (1u << 1)	/* laid out without the hyp ELF */

/* cloison_policy_domain.flags */
#define CLOISON_DOMAIN_F_AUTOSTART (1u << 0)	/* running at boot, else built */

/* cloison_policy_object.flags (irq objects) */
#define CLOISON_OBJECT_F_IRQ_EDGE (1u << 0)	/* edge triggered, else level */

/* cloison_policy_segment.flags: the ELF p_flags bits */
#define CLOISON_SEG_F_X (1u << 0)
#define CLOISON_SEG_F_W (1u << 1)
#define CLOISON_SEG_F_R (1u << 2)

struct cloison_bundle_header {
	char magic[8];			/* "CLOISONB" */
	uint32_t version;		/* CLOISON_BUNDLE_VERSION */
	uint32_t header_size;		/* sizeof(struct cloison_bundle_header) */
	uint64_t total_size;		/* header + policy + image data */
	uint64_t load_addr;		/* physical address of this header */
	uint64_t policy_offset;
	uint64_t policy_size;
	uint64_t images_offset;		/* 16-byte aligned */
	uint64_t images_size;
	uint8_t policy_sha256[32];	/* SHA-256 of the policy blob */
	uint8_t reserved[32];		/* zero */
};

struct cloison_policy_table {
	uint32_t offset;		/* from the start of the policy blob */
	uint32_t count;
	uint32_t entry_size;		/* sizeof the record type */
	uint32_t reserved;
};

struct cloison_policy_header {
	char magic[8];			/* "CLOISONP" */
	uint32_t version;		/* CLOISON_POLICY_VERSION */
	uint32_t header_size;		/* sizeof(struct cloison_policy_header) */
	uint32_t total_size;		/* whole policy blob */
	uint32_t flags;			/* CLOISON_POLICY_F_*; 0 to boot */
	uint32_t abi_major;		/* hypercall ABI the numbers come from */
	uint32_t abi_minor;
	uint64_t ram_base;		/* RAM of the machine */
	uint64_t ram_size;
	uint64_t hyp_base;		/* lowest hypervisor PT_LOAD address */
	uint64_t hyp_end;		/* end of the highest one */
	uint64_t bundle_base;		/* == bundle header load_addr */
	uint64_t bundle_size;
	uint64_t pool_base;		/* RAM no domain or channel uses: */
	uint64_t pool_size;		/* [pool_base, ram end), for the hyp */
	struct cloison_policy_table domains;	/* struct cloison_policy_domain */
	struct cloison_policy_table objects;	/* struct cloison_policy_object */
	struct cloison_policy_table caps;	/* struct cloison_policy_cap */
	struct cloison_policy_table segments;	/* struct cloison_policy_segment */
	char system_name[CLOISON_POLICY_NAME_LEN];
};

struct cloison_policy_domain {
	char name[CLOISON_POLICY_NAME_LEN];
	char image[CLOISON_POLICY_NAME_LEN];	/* image name, for reports */
	uint64_t mem_phys;		/* 2 MiB aligned */
	uint64_t mem_size;		/* multiple of 2 MiB */
	uint64_t mem_ipa;		/* 0x40000000 for every domain */
	uint64_t entry;			/* IPA of the first instruction */
	uint64_t budget_us;		/* 0 < budget_us <= period_us */
	uint64_t period_us;
	uint32_t priority;		/* 0..255, higher runs first */
	uint32_t vcpus;			/* 1 */
	uint32_t cap_first;		/* its caps: caps[cap_first .. +cap_count) */
	uint32_t cap_count;
	uint32_t seg_first;		/* its segments, likewise */
	uint32_t seg_count;
	uint32_t cspace_slots;		/* CSpace size, power of two */
	uint32_t flags;			/* CLOISON_DOMAIN_F_* */
	uint32_t object;		/* index of its domain object */
	uint32_t reserved0;
	uint8_t image_sha256[32];	/* SHA-256 of its segments' bytes, in order */
	uint64_t reserved1;
};

/*
 * One object created at boot. `type` is a CLOISON_TYPE_* value of
 * <cloison/abi/objects.h>. Parameters by type:
 *   device   phys, size: the MMIO region (4 KiB aligned)
 *   channel  phys, size: its shared pages (4 KiB aligned), zeroed at boot;
 *            plus one notification each way, owned by the channel
 *   irq      number: the INTID (an SPI); flags: CLOISON_OBJECT_F_IRQ_EDGE
 *   domain   number: index of the domain in the domains table
 *   console, system, notification: no parameter
 */
struct cloison_policy_object {
	char name[CLOISON_POLICY_NAME_LEN];
	uint32_t type;
	uint32_t flags;
	uint64_t phys;
	uint64_t size;
	uint32_t number;
	uint32_t reserved;
};

/*
 * One capability placed in a domain's CSpace at boot. `rights` is a mask of
 * CLOISON_RIGHT_* bits of the object's type. `ipa` is where a device or
 * channel cap's region is mapped in the holder's stage 2 at boot (device:
 * read/write rights give the permissions; channel: likewise), or
 * CLOISON_POLICY_NO_IPA. `end` is 0 or 1 for a channel cap (which end of the
 * channel the holder is), 0 otherwise. `name` is what the domain looks the
 * cap up by in its start-info page.
 */
struct cloison_policy_cap {
	char name[CLOISON_POLICY_NAME_LEN];
	uint32_t slot;			/* >= CLOISON_POLICY_FIRST_SLOT */
	uint32_t object;		/* index in the objects table */
	uint64_t rights;
	uint64_t badge;			/* notification caps; 0 otherwise */
	uint64_t ipa;
	uint32_t end;
	uint32_t domain;		/* index of the holder */
};

/* One loadable segment of a domain image (a flattened ELF PT_LOAD). */
struct cloison_policy_segment {
	uint64_t ipa;
	uint64_t file_size;		/* bytes stored in the bundle */
	uint64_t mem_size;		/* >= file_size; the rest is zero */
	uint64_t offset;		/* of the bytes, from the bundle start */
	uint32_t flags;			/* CLOISON_SEG_F_* */
	uint32_t domain;		/* index of the domain it belongs to */
};

_Static_assert(sizeof(struct cloison_bundle_header) == 128, "bundle header size");
_Static_assert(offsetof(struct cloison_bundle_header, version) == 8, "bundle header layout");
_Static_assert(offsetof(struct cloison_bundle_header, total_size) == 16, "bundle header layout");
_Static_assert(offsetof(struct cloison_bundle_header, load_addr) == 24, "bundle header layout");
_Static_assert(offsetof(struct cloison_bundle_header, policy_offset) == 32, "bundle header layout");
_Static_assert(offsetof(struct cloison_bundle_header, images_offset) == 48, "bundle header layout");
_Static_assert(offsetof(struct cloison_bundle_header, policy_sha256) == 64, "bundle header layout");
_Static_assert(offsetof(struct cloison_bundle_header, reserved) == 96, "bundle header layout");

_Static_assert(sizeof(struct cloison_policy_table) == 16, "policy table size");
_Static_assert(sizeof(struct cloison_policy_header) == 192, "policy header size");
_Static_assert(offsetof(struct cloison_policy_header, flags) == 20, "policy header layout");
_Static_assert(offsetof(struct cloison_policy_header, ram_base) == 32, "policy header layout");
_Static_assert(offsetof(struct cloison_policy_header, bundle_base) == 64, "policy header layout");
_Static_assert(offsetof(struct cloison_policy_header, pool_base) == 80, "policy header layout");
_Static_assert(offsetof(struct cloison_policy_header, domains) == 96, "policy header layout");
_Static_assert(offsetof(struct cloison_policy_header, segments) == 144, "policy header layout");
_Static_assert(offsetof(struct cloison_policy_header, system_name) == 160, "policy header layout");

_Static_assert(sizeof(struct cloison_policy_domain) == 192, "policy domain size");
_Static_assert(offsetof(struct cloison_policy_domain, mem_phys) == 64, "policy domain layout");
_Static_assert(offsetof(struct cloison_policy_domain, budget_us) == 96, "policy domain layout");
_Static_assert(offsetof(struct cloison_policy_domain, priority) == 112, "policy domain layout");
_Static_assert(offsetof(struct cloison_policy_domain, cspace_slots) == 136, "policy domain layout");
_Static_assert(offsetof(struct cloison_policy_domain, image_sha256) == 152, "policy domain layout");

_Static_assert(sizeof(struct cloison_policy_object) == 64, "policy object size");
_Static_assert(offsetof(struct cloison_policy_object, type) == 32, "policy object layout");
_Static_assert(offsetof(struct cloison_policy_object, phys) == 40, "policy object layout");
_Static_assert(offsetof(struct cloison_policy_object, number) == 56, "policy object layout");

_Static_assert(sizeof(struct cloison_policy_cap) == 72, "policy cap size");
_Static_assert(offsetof(struct cloison_policy_cap, slot) == 32, "policy cap layout");
_Static_assert(offsetof(struct cloison_policy_cap, rights) == 40, "policy cap layout");
_Static_assert(offsetof(struct cloison_policy_cap, ipa) == 56, "policy cap layout");
_Static_assert(offsetof(struct cloison_policy_cap, end) == 64, "policy cap layout");

_Static_assert(sizeof(struct cloison_policy_segment) == 40, "policy segment size");
_Static_assert(offsetof(struct cloison_policy_segment, offset) == 24, "policy segment layout");
_Static_assert(offsetof(struct cloison_policy_segment, flags) == 32, "policy segment layout");

#endif /* CLOISON_ABI_POLICY_H */
