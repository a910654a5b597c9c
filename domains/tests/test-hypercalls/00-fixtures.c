/* SPDX-License-Identifier: MIT */
/* Shared fixtures of test-hypercalls (hc.h) and its entry point. */
#include "hc.h"

/* The policy fills slots 1..n_caps; scratch slots start well above. */
#define FIRST_SCRATCH 64u

volatile uint32_t fx_last_irq;
volatile unsigned fx_irqs;

void irq_handler(uint32_t intid)
{
	fx_last_irq = intid;
	fx_irqs++;
}

uint64_t fx_slot(void)
{
	static uint64_t next = FIRST_SCRATCH;

	if (next >= HC_CSPACE_SLOTS)
		runtime_panic("test-hypercalls ran out of scratch slots");
	return next++;
}

uint64_t fx_mint(uint64_t src, uint64_t rights, uint64_t badge)
{
	uint64_t s = fx_slot();
	uint64_t err = cloison_cap_mint(src, NONE, s, rights, badge);

	if (err != E(OK)) {
		printf("fixture: cap_mint(%llu, rights 0x%llx, badge 0x%llx) failed: %s\n",
		       (unsigned long long)src, (unsigned long long)rights,
		       (unsigned long long)badge, cloison_err_name(err));
		return NONE;
	}
	return s;
}

static uint64_t retype(uint64_t type, uint64_t size)
{
	uint64_t s = fx_slot();
	uint64_t err = cloison_untyped_retype(fx_pool(), type, size, NONE, s);

	if (err != E(OK)) {
		printf("fixture: retype %s failed: %s\n", cloison_type_name(type),
		       cloison_err_name(err));
		return NONE;
	}
	return s;
}

uint64_t fx_frame(void)
{
	static uint64_t s = NONE;

	if (s == NONE)
		s = retype(CLOISON_TYPE_FRAME, 2 * RUNTIME_PAGE);
	return s;
}

uint64_t fx_cnode(void)
{
	static uint64_t s = NONE;

	if (s == NONE)
		s = retype(CLOISON_TYPE_CNODE, 16);
	return s;
}

uint64_t fx_notification(void)
{
	static uint64_t s = NONE;

	if (s == NONE)
		s = retype(CLOISON_TYPE_NOTIFICATION, 0);
	return s;
}

uint64_t fx_console(void)
{
	return si_cap("console");
}

uint64_t fx_system(void)
{
	return si_cap("system");
}

uint64_t fx_note(void)
{
	return si_cap("note");
}

uint64_t fx_gate(void)
{
	return si_cap("gate");
}

uint64_t fx_pool(void)
{
	return si_cap("pool");
}

uint64_t fx_virtio(void)
{
	return si_cap("virtio0");
}

uint64_t fx_irq(void)
{
	return si_cap("irq48");
}

uint64_t fx_chan(void)
{
	return si_cap("chan");
}

uint64_t fx_peer(void)
{
	return si_cap("peer");
}

uint64_t fx_crasher(void)
{
	return si_cap("crasher");
}

void fx_yield(unsigned n)
{
	while (n--)
		cloison_yield();
}

bool fx_wait_state(uint64_t dom, uint64_t state, unsigned tries)
{
	uint64_t st = 0;

	for (unsigned i = 0; i < tries; i++) {
		if (cloison_domain_query(dom, &st, NULL, NULL) == E(OK) && st == state)
			return true;
		cloison_yield();
	}
	return false;
}

uint64_t fx_type(uint64_t slot)
{
	uint64_t type = CLOISON_TYPE_NONE;

	if (cloison_cap_identify(slot, &type, NULL, NULL) != E(OK))
		return CLOISON_TYPE_NONE;
	return type;
}

uint64_t fx_rights(uint64_t slot)
{
	uint64_t rights = 0;

	cloison_cap_identify(slot, NULL, &rights, NULL);
	return rights;
}

int domain_main(const struct cloison_start_info *si)
{
	unsigned failed;

	printf("test-hypercalls: ABI %u.%u, %u caps, CSpace of %u slots\n", si->abi_major,
	       si->abi_minor, si->n_caps, HC_CSPACE_SLOTS);
	failed = test_run("hypercalls");
	/* The last call of the ABI left to exercise: the one that ends the
	 * run. Its rejections (no right, extra argument) ran in 10-abi.c. */
	printf("test-hypercalls: %u failed; powering off\n", failed);
	console_flush();
	cloison_system_poweroff(fx_system());
	runtime_panic("system_poweroff returned");
}
