/* SPDX-License-Identifier: MIT */
/*
 * The VMM of one Linux guest (docs/vmm.md): the guest's virtual platform
 * -- GICv3 distributor and redistributor (gic.c), SBSA UART (uart.c), PSCI
 * (psci.c) -- served from the exits the core forwards. Caps (start-info
 * names): "guest" (domain: vmm, start, stop), "console" (write, input),
 * optionally "system" (poweroff: the machine goes off with the guest, for
 * tests and single-guest systems).
 *
 * Loop: vmm_wait, decode by region, answer with vmm_reply. The guest's
 * interrupts: the GIC model tells the core which INTIDs the guest enabled
 * (vmm_irq enable/disable), the UART raises its SPI through vmm_irq.
 */
#include <domain/core.h>

#include "gic.h"
#include "layout.h"
#include "psci.h"
#include "uart.h"

#define CONSOLE_PRIORITY 0x80
#define VMM_IRQ_RAISE 0
#define VMM_IRQ_ENABLE 1
#define VMM_IRQ_DISABLE 2

static uint64_t guest, console;

/*
 * The regions this VMM emulates, declared with vmm_region in setup(). The
 * toolstack finds the table by its magic in the packed image and checks
 * that it covers every device of the guest's generated device tree
 * (toolstack/cloison/guest/pack.py): 16 bytes of magic, a count, (base,
 * size) pairs, little-endian.
 */
#define PLATFORM_REGIONS 3
static const struct {
	char magic[16];
	uint64_t count;
	struct {
		uint64_t base, size;
	} region[PLATFORM_REGIONS];
} platform __attribute__((used)) = {
	"CLOISON-VMM-PLT",
	PLATFORM_REGIONS,
	{ { GUEST_GICD, GICD_SIZE }, { GUEST_GICR, GICR_SIZE }, { GUEST_UART, UART_SIZE } },
};
static struct gic gic;
static struct uart uart;

/* Exits by reason, printed when the guest ends (benchmarks, docs). */
static struct counts {
	uint64_t gicd, gicr, uart, other_mmio, psci, irq;
} count;

static void gic_enable(void *ctx, uint32_t intid, bool on)
{
	(void)ctx;
	if (intid >= 16 && intid < 64)
		cloison_vmm_irq(guest, intid, on ? VMM_IRQ_ENABLE : VMM_IRQ_DISABLE);
}

static void gic_pend(void *ctx, uint32_t intid)
{
	(void)ctx;
	if (intid >= 16 && intid < 64)
		cloison_vmm_irq(guest, intid, VMM_IRQ_RAISE);
}

/* With the console input right the VMM may have the console's focus, and
 * then the hypervisor shows a partial line as it is written: pass each byte
 * on at once, so the guest's prompt and its echo of typed keys show (Linux's
 * tty echoes). Without it, whole lines (one console_write per line). */
static bool keys_shown;

/*
 * A panicked guest is stopped alone. Debian's cloud kernel has no pvpanic
 * driver (CONFIG_PVPANIC is not set: neither built in nor a module in the
 * pinned package), and Linux 6.1 calls nothing a VMM can see when it
 * panics without a reboot (panic=): no PSCI call, no device access. What it
 * does is print, as the last thing before it spins for good with printk
 * suppressed (kernel/panic.c, panic()), the line
 *   [  time] ---[ end Kernel panic - not syncing: <reason> ]---
 * on its console, this UART. The VMM watches each line the guest writes
 * for that marker and stops the guest when the line ends. A guest that
 * prints the marker itself (root writing to /dev/console) stops only
 * itself, which it can do anyway (poweroff -f). Only the start of a long
 * line is kept: the marker follows the timestamp.
 */
static const char panic_marker[] = "---[ end Kernel panic - not syncing: ";
static char line[96];
static unsigned int line_len;
static bool panicked;

static void watch_line(char c)
{
	if (c != '\n') {
		if (line_len < sizeof(line))
			line[line_len++] = c;
		return;
	}
	for (unsigned int i = 0; i + sizeof(panic_marker) - 1 <= line_len; i++)
		if (memcmp(&line[i], panic_marker, sizeof(panic_marker) - 1) == 0)
			panicked = true;
	line_len = 0;
}

static void uart_tx(void *ctx, char c)
{
	(void)ctx;
	console_putc(c);
	if (keys_shown)
		console_flush();
	watch_line(c);
}

static void uart_irq(void *ctx)
{
	(void)ctx;
	if (gic_enabled(&gic, GUEST_UART_INTID))
		cloison_vmm_irq(guest, GUEST_UART_INTID, VMM_IRQ_RAISE);
}

/* The VMM runs with its interrupts unmasked: its console-input vINTID is
 * taken (acknowledged and ended by the runtime) as soon as it is in a list
 * register, here only noted. vmm_wait returns "irq" when one is raised
 * while the VMM waits. */
static volatile bool input_noted;

void irq_handler(uint32_t intid)
{
	if (intid == CLOISON_VIRQ_CONSOLE_INPUT)
		input_noted = true;
}

/* Move console input into the UART's receive FIFO. */
static void console_input(void)
{
	uint64_t len, b[5];

	input_noted = false;
	while (uart.rx_len + CLOISON_CONSOLE_WRITE_MAX <= UART_RX_FIFO) {
		if (cloison_console_read(console, &len, &b[0], &b[1], &b[2], &b[3], &b[4]) ||
		    len == 0)
			break;
		for (uint64_t i = 0; i < len; i++)
			uart_receive(&uart, (char)(b[i / 8] >> (8 * (i % 8))));
	}
}

static uint64_t mmio(uint64_t kind, uint64_t addr, unsigned int size, uint64_t value)
{
	bool rd = kind == CLOISON_VMM_EXIT_MMIO_READ;

	if (addr - GUEST_GICD < GICD_SIZE) {
		count.gicd++;
		if (rd)
			return gicd_read(&gic, addr - GUEST_GICD, size);
		gicd_write(&gic, addr - GUEST_GICD, size, value);
	} else if (addr - GUEST_GICR < GICR_SIZE) {
		count.gicr++;
		if (rd)
			return gicr_read(&gic, addr - GUEST_GICR, size);
		gicr_write(&gic, addr - GUEST_GICR, size, value);
	} else if (addr - GUEST_UART < UART_SIZE) {
		count.uart++;
		if (rd)
			return uart_read(&uart, addr - GUEST_UART, size);
		uart_write(&uart, addr - GUEST_UART, size, value);
	} else {
		count.other_mmio++;
	}
	return 0;
}

static void report(const char *why)
{
	uint64_t el2, sw, virqs, hc;

	console_flush();
	print("\nvmm: guest %s; exits: gicd %lu gicr %lu uart %lu other-mmio %lu psci %lu, "
	      "console-irq %lu\n",
	      why, count.gicd, count.gicr, count.uart, count.other_mmio, count.psci, count.irq);
	/* With the audit right (benchmark systems): the hypervisor's counters. */
	if (cloison_system_stats(si_cap_or_none("system"), &el2, &sw, &virqs, &hc) == 0)
		print("vmm: hypervisor since boot: el2_entries %lu switches %lu virqs %lu "
		      "hypercalls %lu\n", el2, sw, virqs, hc);
}

static void guest_ends(const char *why)
{
	report(why);
	cloison_domain_stop(guest);
	if (si_cap_or_none("system") != CLOISON_SLOT_NONE)
		runtime_poweroff();
	runtime_park();
}

/* The platform as at power-on: the models' registers, and in the core the
 * guest's INTIDs all disabled (the GIC model's reset state). */
static void platform_reset(void)
{
	static const struct gic_ops gops = { gic_enable, gic_pend, 0 };
	static const struct uart_ops uops = { uart_tx, uart_irq, 0 };

	gic_init(&gic, &gops);
	uart_init(&uart, &uops);
}

/* Linux's entry state (booting.rst): x0 = the device tree, x1..x3 = 0;
 * the pc is the kernel's entry, the image's ELF entry (x0 is set by the
 * caller: at a reset it is vmm_reply's value). */
static uint64_t entry_regs(void)
{
	uint64_t err = 0;

	for (uint64_t r = 1; r <= 3; r++)
		err |= cloison_vmm_set_reg(guest, r, 0);
	return err;
}

/* PSCI SYSTEM_RESET: the guest's RAM reloaded from its packed image and its
 * vCPU back at its entry (vmm_reset, chunk by chunk), the platform reset;
 * answering the reset's HVC with x0 = the device tree starts it again. */
static void guest_restart(void)
{
	uint64_t left = 1, err = 0;

	report("asked for a reset (PSCI SYSTEM_RESET): restarting it");
	while (left && !err)
		err = cloison_vmm_reset(guest, &left);
	platform_reset();
	err |= entry_regs();
	if (err) {
		print("vmm: restarting the guest failed (error %lu)\n", err);
		guest_ends("not restarted");
	}
	count = (struct counts){ 0 };
	cloison_vmm_reply(guest, GUEST_DTB);
}

static void setup(void)
{
	uint64_t err = 0;

	platform_reset();
	for (uint64_t n = 0; n < platform.count; n++)
		err |= cloison_vmm_region(guest, platform.region[n].base, platform.region[n].size);
	err |= cloison_vmm_set_reg(guest, 0, GUEST_DTB);
	err |= entry_regs();
	err |= irq_enable(CLOISON_VIRQ_CONSOLE_INPUT, CONSOLE_PRIORITY);
	irq_unmask();
	err |= cloison_domain_start(guest);
	if (err) {
		print("vmm: setting up the guest failed\n");
		runtime_park();
	}
}

int domain_main(const struct cloison_start_info *si)
{
	(void)si;
	guest = si_cap("guest");
	console = si_cap("console");
	keys_shown = (si_find("console")->rights & CLOISON_RIGHT_CONSOLE_INPUT) != 0;
	setup();
	for (;;) {
		uint64_t kind = 0, addr = 0, size = 0, value = 0, a2 = 0, a3 = 0, x0 = 0;
		uint64_t err = cloison_vmm_wait(guest, &kind, &addr, &size, &value, &a2, &a3);

		if (err) {
			print("vmm: vmm_wait: error %lu\n", err);
			runtime_park();
		}
		if (input_noted)
			console_input();
		switch (kind) {
		case CLOISON_VMM_EXIT_MMIO_READ:
		case CLOISON_VMM_EXIT_MMIO_WRITE:
			x0 = mmio(kind, addr, (unsigned int)size, value);
			if (panicked)
				guest_ends("panicked, stopped (its kernel printed its end-of-panic line)");
			cloison_vmm_reply(guest, x0);
			break;
		case CLOISON_VMM_EXIT_HVC:
		case CLOISON_VMM_EXIT_SMC:
			count.psci++;
			switch (psci_call(addr, value, &x0)) {
			case PSCI_ANSWER:
				cloison_vmm_reply(guest, x0);
				break;
			case PSCI_OFF:
				guest_ends("powered off (PSCI SYSTEM_OFF)");
				break;
			case PSCI_RESET:
				guest_restart();
				break;
			}
			break;
		case CLOISON_VMM_EXIT_IRQ:
			count.irq++;
			break;
		case CLOISON_VMM_EXIT_STOPPED:
			report("stopped by the hypervisor");
			runtime_park();
		default:
			print("vmm: unknown exit kind %lu\n", kind);
			runtime_park();
		}
	}
}
