/* SPDX-License-Identifier: MIT */
/*
 * A domain that holds no device cap (tests/system/systems/devices.toml):
 * every attempt to map the disk's registers, bind its interrupt, learn its
 * physical address or signal the driver's channel through any slot of its
 * CSpace is refused with an error; then it touches the registers' address
 * directly and is stopped by a stage-2 fault, alone.
 */
#include <domain/core.h>
#include <domain/result.h>

#define DISK_MMIO 0x0a001000ull

int domain_main(const struct cloison_start_info *si)
{
	uint32_t mapped = 0, bound = 0, phys = 0, signalled = 0;
	uint64_t pa, size;

	(void)si;
	test_begin("intruder");
	for (uint64_t slot = 0; slot < 64; slot++) {
		if (cloison_memory_map(slot, DISK_MMIO, CLOISON_RIGHT_DEVICE_READ |
						   CLOISON_RIGHT_DEVICE_WRITE) == CLOISON_ERR_OK)
			mapped++;
		if (cloison_irq_bind(slot, 40) == CLOISON_ERR_OK)
			bound++;
		if (cloison_memory_phys(slot, &pa, &size) == CLOISON_ERR_OK)
			phys++;
		if (cloison_channel_signal(slot) == CLOISON_ERR_OK)
			signalled++;
	}
	test_report("intruder.map_refused", mapped == 0, "%u slots mapped the disk", mapped);
	test_report("intruder.irq_bind_refused", bound == 0, "%u slots bound an irq", bound);
	test_report("intruder.phys_refused", phys == 0, "%u slots gave a PA", phys);
	test_report("intruder.signal_refused", signalled == 0, "%u slots signalled", signalled);
	test_end();
	print("touching the disk's registers\n");
	(void)*(volatile uint32_t *)(uintptr_t)DISK_MMIO;
	print("read the disk's registers: not contained!\n");
	runtime_park();
}
