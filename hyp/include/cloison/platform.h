/* SPDX-License-Identifier: MIT */
/*
 * What the core knows about the board, read from the device tree at boot:
 * RAM, the console UART, the GIC, the timer interrupts, the virtio-mmio
 * transports and PSCI. Nothing here is hard-coded outside hyp/plat/.
 */
#ifndef CLOISON_PLATFORM_H
#define CLOISON_PLATFORM_H

#include <cloison/types.h>

#define PLATFORM_MAX_VIRTIO 32
#define PLATFORM_BOOTARGS_MAX 128

struct platform_region {
	uint64_t base;
	uint64_t size;
};

struct platform_virtio {
	struct platform_region reg;
	uint32_t intid; /* GIC INTID (SPI n is INTID 32 + n) */
};

struct platform {
	struct platform_region ram;
	struct platform_region uart;
	uint32_t uart_intid;       /* 0 if the tree gives none */
	struct platform_region gicd;
	struct platform_region gicr;
	uint32_t timer_hyp_intid;  /* EL2 physical timer PPI */
	uint32_t timer_virt_intid; /* EL1 virtual timer PPI */
	bool psci_smc;             /* PSCI conduit is SMC (else HVC) */
	bool has_psci;
	unsigned n_virtio;
	struct platform_virtio virtio[PLATFORM_MAX_VIRTIO];
	char bootargs[PLATFORM_BOOTARGS_MAX];
};

/*
 * Fill *plat from the device tree blob at dtb (at most max_size bytes).
 * Returns false with *why pointing at a static reason if the tree is
 * malformed or lacks something the core needs (RAM, UART, GICv3, timer).
 */
bool platform_from_fdt(struct platform *plat, const void *dtb, size_t max_size,
		       const char **why);

/* Value of "key=value" in the boot arguments, copied into buf; false if absent. */
bool platform_bootarg(const struct platform *plat, const char *key, char *buf,
		      size_t size);

#endif
