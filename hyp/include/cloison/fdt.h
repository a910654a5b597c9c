/* SPDX-License-Identifier: MIT */
/*
 * A bounds-checked reader for the flattened device tree (Devicetree
 * Specification v0.4, chapter 5). The tree comes from outside the core, so
 * every offset, length and string is checked; a malformed tree yields an
 * error code, never a crash or a read outside the blob.
 */
#ifndef CLOISON_FDT_H
#define CLOISON_FDT_H

#include <cloison/types.h>

enum fdt_error {
	FDT_OK = 0,
	FDT_ERR_TRUNCATED,   /* blob shorter than its header or totalsize */
	FDT_ERR_MAGIC,       /* not 0xd00dfeed */
	FDT_ERR_VERSION,     /* last_comp_version > 17 or version < 16 */
	FDT_ERR_LAYOUT,      /* a block lies outside totalsize or is misaligned */
	FDT_ERR_STRUCTURE,   /* bad token, unbalanced nodes, missing FDT_END */
	FDT_ERR_STRING,      /* name or string offset not NUL-terminated in bounds */
	FDT_ERR_DEPTH,       /* nodes nested deeper than FDT_MAX_DEPTH */
	FDT_ERR_CALLBACK,    /* a visitor rejected the tree */
};

#define FDT_MAX_DEPTH 16

struct fdt {
	const uint8_t *blob;
	uint32_t size;        /* totalsize from the header, checked */
	uint32_t struct_off, struct_size;
	uint32_t strings_off, strings_size;
};

/* Visitor: each callback returns true to continue, false to abort the walk. */
struct fdt_visitor {
	bool (*begin_node)(void *ctx, const char *name, unsigned depth);
	bool (*property)(void *ctx, const char *name, const uint8_t *value,
			 uint32_t len);
	bool (*end_node)(void *ctx);
};

/* Check the header of a blob that may be at most max_size bytes long. */
enum fdt_error fdt_init(struct fdt *fdt, const void *blob, size_t max_size);
/* Walk the whole structure block, checking it as it goes. */
enum fdt_error fdt_walk(const struct fdt *fdt, const struct fdt_visitor *v,
			void *ctx);
const char *fdt_strerror(enum fdt_error err);

/* Big-endian reads that are safe on Device memory (byte accesses). */
uint32_t fdt_be32(const uint8_t *p);
uint64_t fdt_be64(const uint8_t *p);

#endif
