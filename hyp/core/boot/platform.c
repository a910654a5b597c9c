/* SPDX-License-Identifier: MIT */
/*
 * Device tree -> struct platform. Properties of a node are collected while
 * the walker is inside it and interpreted at its end, because "compatible"
 * may come after "reg". Address and size cell counts come from the parent
 * (Devicetree Specification v0.4 §2.3.5: defaults 2 and 1).
 */
#include <cloison/fdt.h>
#include <cloison/platform.h>
#include <cloison/std/string.h>

#define MAX_REGS 4

struct node_state {
	/* Applies to this node's children. */
	uint32_t addr_cells, size_cells;
	/* Collected from this node. */
	const uint8_t *compatible;
	uint32_t compatible_len;
	const uint8_t *reg;
	uint32_t reg_len;
	const uint8_t *interrupts;
	uint32_t interrupts_len;
	const uint8_t *method;
	uint32_t method_len;
	const uint8_t *bootargs;
	uint32_t bootargs_len;
	bool is_memory;
	bool is_chosen;
	const char *name;
};

struct parse_ctx {
	struct platform *plat;
	struct node_state stack[FDT_MAX_DEPTH];
	unsigned depth;
	const char *why;
	bool have_ram, have_uart, have_gic, have_timer;
};

static bool reject(struct parse_ctx *c, const char *why)
{
	c->why = why;
	return false;
}

/* Does a NUL-separated string list contain s? Strings beyond len are ignored. */
static bool strlist_has(const uint8_t *list, uint32_t len, const char *s)
{
	size_t n = strlen(s);
	uint32_t off = 0;

	while (off < len) {
		uint32_t l = (uint32_t)strnlen((const char *)list + off, len - off);

		if (l == n && memcmp(list + off, s, n) == 0 && off + l < len)
			return true;
		off += l + 1;
	}
	return false;
}

static bool begin_node(void *ctx, const char *name, unsigned depth)
{
	struct parse_ctx *c = ctx;
	struct node_state *n;

	if (depth >= FDT_MAX_DEPTH)
		return reject(c, "device tree nested too deeply");
	n = &c->stack[depth];
	memset(n, 0, sizeof(*n));
	n->addr_cells = 2;
	n->size_cells = 1;
	n->name = name;
	n->is_chosen = depth == 1 && strcmp(name, "chosen") == 0;
	c->depth = depth;
	return true;
}

static bool property(void *ctx, const char *name, const uint8_t *value,
		     uint32_t len)
{
	struct parse_ctx *c = ctx;
	struct node_state *n = &c->stack[c->depth];

	if (strcmp(name, "#address-cells") == 0 ||
	    strcmp(name, "#size-cells") == 0) {
		uint32_t v;

		if (len != 4)
			return reject(c, "#address-cells/#size-cells not one cell");
		v = fdt_be32(value);
		/* PCI buses use 3 address cells; only reg parsing needs <= 2. */
		if (v > 4)
			return reject(c, "more than 4 address or size cells");
		if (name[1] == 'a')
			n->addr_cells = v;
		else
			n->size_cells = v;
	} else if (strcmp(name, "compatible") == 0) {
		n->compatible = value;
		n->compatible_len = len;
	} else if (strcmp(name, "reg") == 0) {
		n->reg = value;
		n->reg_len = len;
	} else if (strcmp(name, "interrupts") == 0) {
		n->interrupts = value;
		n->interrupts_len = len;
	} else if (strcmp(name, "method") == 0) {
		n->method = value;
		n->method_len = len;
	} else if (strcmp(name, "bootargs") == 0) {
		n->bootargs = value;
		n->bootargs_len = len;
	} else if (strcmp(name, "device_type") == 0) {
		n->is_memory = strlist_has(value, len, "memory");
	}
	return true;
}

static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	return cells == 2 ? fdt_be64(p) : cells == 1 ? fdt_be32(p) : 0;
}

/* The i-th (base, size) of the node's reg, using the parent's cell counts. */
static bool reg_at(struct parse_ctx *c, const struct node_state *n,
		   unsigned i, struct platform_region *out)
{
	const struct node_state *parent = &c->stack[c->depth - 1];
	uint32_t ac = parent->addr_cells, sc = parent->size_cells;
	uint32_t entry = (ac + sc) * 4;

	if (!n->reg || ac > 2 || sc > 2 || entry == 0 || n->reg_len % entry != 0)
		return false;
	if ((uint64_t)(i + 1) * entry > n->reg_len)
		return false;
	out->base = read_cells(n->reg + i * entry, ac);
	out->size = read_cells(n->reg + i * entry + ac * 4, sc);
	/* A region that wraps the address space is malformed. */
	return out->size != 0 && out->base + out->size > out->base;
}

/* INTID of the i-th 3-cell GIC interrupt specifier (type, number, flags). */
static bool intid_at(const struct node_state *n, unsigned i, uint32_t *intid)
{
	uint32_t type, num;

	if (!n->interrupts || n->interrupts_len % 12 != 0 ||
	    (uint64_t)(i + 1) * 12 > n->interrupts_len)
		return false;
	type = fdt_be32(n->interrupts + i * 12);
	num = fdt_be32(n->interrupts + i * 12 + 4);
	if (type == 0 && num < 988) /* SPI: INTID 32..1019 */
		*intid = 32 + num;
	else if (type == 1 && num < 16) /* PPI: INTID 16..31 */
		*intid = 16 + num;
	else
		return false;
	return true;
}

static bool end_node(void *ctx)
{
	struct parse_ctx *c = ctx;
	struct node_state *n = &c->stack[c->depth];
	struct platform *p = c->plat;
	const uint8_t *cp = n->compatible;
	uint32_t cl = n->compatible_len;

	if (c->depth == 0)
		return true; /* root: nothing to interpret */
	if (n->is_chosen && n->bootargs) {
		uint32_t l = (uint32_t)strnlen((const char *)n->bootargs,
					       n->bootargs_len);

		if (l >= sizeof(p->bootargs))
			return reject(c, "bootargs too long");
		memcpy(p->bootargs, n->bootargs, l);
		p->bootargs[l] = '\0';
	}
	if (n->is_memory && !c->have_ram) {
		if (!reg_at(c, n, 0, &p->ram))
			return reject(c, "memory node has a malformed reg");
		c->have_ram = true;
	} else if (cp && strlist_has(cp, cl, "arm,pl011") && !c->have_uart) {
		if (!reg_at(c, n, 0, &p->uart))
			return reject(c, "pl011 node has a malformed reg");
		if (n->interrupts && !intid_at(n, 0, &p->uart_intid))
			return reject(c, "pl011 node has malformed interrupts");
		c->have_uart = true;
	} else if (cp && strlist_has(cp, cl, "arm,gic-v3")) {
		if (!reg_at(c, n, 0, &p->gicd) || !reg_at(c, n, 1, &p->gicr))
			return reject(c, "gic-v3 node lacks distributor or redistributor reg");
		c->have_gic = true;
	} else if (cp && strlist_has(cp, cl, "arm,armv8-timer")) {
		/* Order (arch timer binding): secure phys, non-secure phys,
		 * virtual, hypervisor. */
		if (!intid_at(n, 2, &p->timer_virt_intid) ||
		    !intid_at(n, 3, &p->timer_hyp_intid))
			return reject(c, "timer node has malformed interrupts");
		c->have_timer = true;
	} else if (cp && strlist_has(cp, cl, "virtio,mmio")) {
		struct platform_virtio *v;

		if (p->n_virtio == PLATFORM_MAX_VIRTIO)
			return reject(c, "too many virtio-mmio transports");
		v = &p->virtio[p->n_virtio];
		if (!reg_at(c, n, 0, &v->reg) || !intid_at(n, 0, &v->intid))
			return reject(c, "virtio-mmio node has malformed reg or interrupts");
		p->n_virtio++;
	} else if (cp && (strlist_has(cp, cl, "arm,psci-0.2") ||
			  strlist_has(cp, cl, "arm,psci-1.0") ||
			  strlist_has(cp, cl, "arm,psci"))) {
		p->has_psci = true;
		p->psci_smc = n->method &&
			      strlist_has(n->method, n->method_len, "smc");
	}
	c->depth--;
	return true;
}

bool platform_from_fdt(struct platform *plat, const void *dtb, size_t max_size,
		       const char **why)
{
	static const struct fdt_visitor visitor = {
		.begin_node = begin_node,
		.property = property,
		.end_node = end_node,
	};
	struct parse_ctx c;
	struct fdt fdt;
	enum fdt_error err;

	memset(plat, 0, sizeof(*plat));
	memset(&c, 0, sizeof(c));
	c.plat = plat;
	err = fdt_init(&fdt, dtb, max_size);
	if (err == FDT_OK)
		err = fdt_walk(&fdt, &visitor, &c);
	if (err != FDT_OK) {
		*why = err == FDT_ERR_CALLBACK && c.why ? c.why : fdt_strerror(err);
		return false;
	}
	if (!c.have_ram)
		*why = "device tree has no memory node";
	else if (!c.have_uart)
		*why = "device tree has no pl011 UART";
	else if (!c.have_gic)
		*why = "device tree has no GICv3";
	else if (!c.have_timer)
		*why = "device tree has no architected timer";
	else
		return true;
	return false;
}

bool platform_bootarg(const struct platform *plat, const char *key, char *buf,
		      size_t size)
{
	const char *s = plat->bootargs;
	size_t klen = strlen(key);

	while (*s) {
		const char *word = s;
		size_t wlen = 0;

		while (word[wlen] && word[wlen] != ' ')
			wlen++;
		if (wlen > klen && strncmp(word, key, klen) == 0 &&
		    word[klen] == '=') {
			size_t vlen = wlen - klen - 1;

			if (size == 0 || vlen >= size)
				return false;
			memcpy(buf, word + klen + 1, vlen);
			buf[vlen] = '\0';
			return true;
		}
		s = word + wlen;
		while (*s == ' ')
			s++;
	}
	return false;
}
