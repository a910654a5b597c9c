/* SPDX-License-Identifier: MIT */
/*
 * Flattened device tree reader. Layout per the Devicetree Specification
 * v0.4 §5: a 40-byte header, a structure block of 32-bit big-endian tokens
 * (BEGIN_NODE name, PROP len nameoff value, END_NODE, NOP, END), and a strings
 * block holding property names. Runs with the MMU off at boot, so it reads
 * byte by byte: Device memory faults on unaligned accesses.
 */
#include <cloison/fdt.h>
#include <cloison/std/string.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_HEADER_SIZE 40u

#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

uint32_t fdt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

uint64_t fdt_be64(const uint8_t *p)
{
	return (uint64_t)fdt_be32(p) << 32 | fdt_be32(p + 4);
}

const char *fdt_strerror(enum fdt_error err)
{
	switch (err) {
	case FDT_OK:
		return "ok";
	case FDT_ERR_TRUNCATED:
		return "device tree truncated";
	case FDT_ERR_MAGIC:
		return "device tree has a bad magic number";
	case FDT_ERR_VERSION:
		return "device tree version not supported";
	case FDT_ERR_LAYOUT:
		return "device tree blocks out of bounds or misaligned";
	case FDT_ERR_STRUCTURE:
		return "device tree structure block malformed";
	case FDT_ERR_STRING:
		return "device tree name or string not terminated";
	case FDT_ERR_DEPTH:
		return "device tree nested too deeply";
	case FDT_ERR_CALLBACK:
		return "device tree content rejected";
	}
	return "unknown device tree error";
}

enum fdt_error fdt_init(struct fdt *fdt, const void *blob, size_t max_size)
{
	const uint8_t *b = blob;
	uint32_t total, ver, last_comp;

	memset(fdt, 0, sizeof(*fdt));
	if (max_size < FDT_HEADER_SIZE)
		return FDT_ERR_TRUNCATED;
	if (fdt_be32(b) != FDT_MAGIC)
		return FDT_ERR_MAGIC;
	total = fdt_be32(b + 4);
	if (total < FDT_HEADER_SIZE || total > max_size)
		return FDT_ERR_TRUNCATED;
	ver = fdt_be32(b + 20);
	last_comp = fdt_be32(b + 24);
	if (ver < 16 || last_comp > 17)
		return FDT_ERR_VERSION;
	fdt->blob = b;
	fdt->size = total;
	fdt->struct_off = fdt_be32(b + 8);
	fdt->strings_off = fdt_be32(b + 12);
	fdt->strings_size = fdt_be32(b + 32);
	fdt->struct_size = fdt_be32(b + 36);
	/* Both blocks inside the blob (written so nothing can overflow). */
	if (fdt->struct_off > total || fdt->struct_size > total - fdt->struct_off ||
	    fdt->strings_off > total ||
	    fdt->strings_size > total - fdt->strings_off ||
	    !IS_ALIGNED(fdt->struct_off, 4u) ||
	    !IS_ALIGNED(fdt->struct_size, 4u))
		return FDT_ERR_LAYOUT;
	return FDT_OK;
}

/* Length of a NUL-terminated string starting at p with at most max bytes
 * available; returns max if no NUL is found. */
static uint32_t bounded_strlen(const uint8_t *p, uint32_t max)
{
	uint32_t n = 0;

	while (n < max && p[n])
		n++;
	return n;
}

enum fdt_error fdt_walk(const struct fdt *fdt, const struct fdt_visitor *v,
			void *ctx)
{
	const uint8_t *s = fdt->blob + fdt->struct_off;
	const uint8_t *strings = fdt->blob + fdt->strings_off;
	uint32_t off = 0, end = fdt->struct_size;
	unsigned depth = 0;
	bool seen_root = false;

	if (!fdt->blob)
		return FDT_ERR_LAYOUT;
	while (end >= 4 && off <= end - 4) {
		uint32_t token = fdt_be32(s + off);

		off += 4;
		switch (token) {
		case FDT_BEGIN_NODE: {
			uint32_t len = bounded_strlen(s + off, end - off);

			if (len == end - off)
				return FDT_ERR_STRING;
			/* Exactly one root node. */
			if (depth == 0 && seen_root)
				return FDT_ERR_STRUCTURE;
			if (depth == FDT_MAX_DEPTH)
				return FDT_ERR_DEPTH;
			seen_root = true;
			if (v->begin_node &&
			    !v->begin_node(ctx, (const char *)(s + off), depth))
				return FDT_ERR_CALLBACK;
			depth++;
			off += ALIGN_UP(len + 1, 4u);
			break;
		}
		case FDT_END_NODE:
			if (depth == 0)
				return FDT_ERR_STRUCTURE;
			depth--;
			if (v->end_node && !v->end_node(ctx))
				return FDT_ERR_CALLBACK;
			break;
		case FDT_PROP: {
			uint32_t len, nameoff, nlen;

			if (depth == 0 || end - off < 8)
				return FDT_ERR_STRUCTURE;
			len = fdt_be32(s + off);
			nameoff = fdt_be32(s + off + 4);
			off += 8;
			if (len > end - off)
				return FDT_ERR_STRUCTURE;
			if (nameoff >= fdt->strings_size)
				return FDT_ERR_STRING;
			nlen = bounded_strlen(strings + nameoff,
					      fdt->strings_size - nameoff);
			if (nlen == fdt->strings_size - nameoff)
				return FDT_ERR_STRING;
			if (v->property &&
			    !v->property(ctx, (const char *)(strings + nameoff),
					 s + off, len))
				return FDT_ERR_CALLBACK;
			/* len <= end - off and end is 4-aligned: no overflow. */
			off += ALIGN_UP(len, 4u);
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth != 0 || !seen_root)
				return FDT_ERR_STRUCTURE;
			return FDT_OK;
		default:
			return FDT_ERR_STRUCTURE;
		}
	}
	return FDT_ERR_STRUCTURE;
}
