/* SPDX-License-Identifier: MIT */
/*
 * dom0's side of a driver domain's control protocol (guests.h, struct
 * drvctl): the disk one (storage-dom, <diskctl.h>) and the port one
 * (net-dom, <netctl.h>) have the same requests (ATTACH, READY, DETACH,
 * LIST with the same numbers) and answers that start the same way (status,
 * slot, value), so reserving, connecting and detaching are done here once.
 *
 * dom0 waits for each answer at most DRVCTL_WAIT_MS: a driver domain that
 * never answers (stopped, wedged, hostile) gives the shell an error naming
 * it, not a hang. An answer that comes later is skipped by its id.
 */
#include "guests.h"

#define DRVCTL_WAIT_MS 5000u
#define DRVCTL_VIRQ 44u /* + the driver's index: the channels only wake dom0 */

static const char late[] = "did not answer within 5 s";

static uint32_t n_drivers;

void drvctl_open(struct drvctl *c, const char *ctl_cap, const char *dom_cap)
{
	const struct cloison_start_info_cap *ch = si_find(ctl_cap);

	c->slot = CLOISON_SLOT_NONE;
	c->dom = si_cap_or_none(dom_cap);
	c->next_id = 1;
	if (!ch || ch->type != CLOISON_TYPE_CHANNEL || ch->ipa == ~0ull)
		return;
	c->slot = ch->slot;
	ring_init(&c->ring, (void *)(uintptr_t)ch->ipa, 0, false);
	if (cloison_channel_bind(c->slot, DRVCTL_VIRQ + n_drivers) == CLOISON_ERR_OK)
		irq_enable(DRVCTL_VIRQ + n_drivers, 0xa0);
	n_drivers++;
	/* The deadline's wake-up: the EL1 virtual timer (Arm ARM D11.2). */
	irq_enable(CLOISON_VIRQ_VTIMER, 0xb0);
}

/* WFI until `deadline` (virtual counter ticks) or any interrupt, IRQs
 * masked by the caller. CNTV_CVAL_EL0 is the absolute compare value;
 * CNTV_CTL_EL0 bit 0 ENABLE, bit 1 IMASK (Arm ARM D11.2.4); the handler
 * (dom0.c) sets IMASK when it fires, and we switch it off after. */
static void wait_until(uint64_t deadline)
{
	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 : : "r"(deadline), "r"(1ull));
	__asm__ volatile("wfi");
	__asm__ volatile("msr cntv_ctl_el0, xzr; isb");
}

bool drvctl_ask(struct drvctl *c, const void *req, uint32_t req_len, void *rsp,
		uint32_t rsp_len)
{
	uint64_t deadline = vtimer_now() + vtimer_freq() / 1000 * DRVCTL_WAIT_MS;
	uint32_t id = c->next_id++;
	struct ring_msg m;
	bool notify = false;

	if (ring_send(&c->ring, req, req_len, id, &notify) != RING_OK) {
		c->why = "did not take the request (its control channel is broken or full)";
		return false;
	}
	if (notify)
		cloison_channel_signal(c->slot);
	for (;;) {
		enum ring_status st = ring_recv(&c->ring, &m);

		if (st == RING_OK && m.id == id && m.len == rsp_len) {
			memcpy(rsp, m.data, rsp_len);
			return true;
		}
		/* The answer to a request we gave up on is skipped; a driver
		 * that keeps the ring full of those still meets the deadline. */
		if (st == RING_OK && vtimer_now() < deadline)
			continue;
		if (st == RING_OK) {
			c->why = late;
			return false;
		}
		if (st == RING_DEAD) {
			c->why = "broke the control channel";
			return false;
		}
		irq_mask();
		if (!ring_arm(&c->ring)) {
			if (vtimer_now() >= deadline) {
				irq_unmask();
				c->why = late;
				return false;
			}
			wait_until(deadline);
		}
		irq_unmask();
	}
}

/* READY, DETACH, LIST: a request of only op and arg; the whole answer in
 * rsp (DRVCTL_MSG_MAX bytes), its start in *h. */
static bool ask_op(struct drvctl *c, uint32_t op, uint32_t arg, void *rsp,
		   struct drvctl_head *h)
{
	_Alignas(8) uint8_t req[DRVCTL_MSG_MAX] = { 0 };

	memcpy(req, &op, 4);
	memcpy(req + 4, &arg, 4);
	if (!drvctl_ask(c, req, c->req_len, rsp, c->rsp_len))
		return false;
	memcpy(h, rsp, sizeof(*h));
	return true;
}

bool drvctl_reserve(struct drvctl *c, const char *guest, const char *what, const void *attach,
		    uint32_t *inbox, uint64_t *size)
{
	_Alignas(8) uint8_t rsp[DRVCTL_MSG_MAX];
	struct drvctl_head h;

	if (!drvctl_ask(c, attach, c->req_len, rsp, c->rsp_len)) {
		fail("create %s: %s: %s %s\n", guest, what, c->driver, c->why);
		return false;
	}
	memcpy(&h, rsp, sizeof(h));
	if (h.status) {
		fail("create %s: %s: %s refused: %s\n", guest, what, c->driver,
		     c->status_name(h.status));
		return false;
	}
	/* The driver names the channel's size, which dom0's pool pays for:
	 * only within what the protocol allows (diskctl.h, netctl.h). */
	if (h.value <= 4096 || h.value > c->channel_max || h.value % 4096) {
		drvctl_detach(c, guest, h.slot);
		fail("create %s: %s: %s asked for a channel of %lu bytes (more than a page, at "
		     "most %lu, whole pages)\n", guest, what, c->driver, h.value, c->channel_max);
		return false;
	}
	*inbox = h.slot;
	*size = h.value;
	return true;
}

bool drvctl_connect(struct drvctl *c, const char *guest, const char *what, uint64_t dom,
		    uint32_t guest_slot, const char *cap_name, uint32_t inbox, uint64_t size)
{
	_Alignas(8) uint8_t rsp[DRVCTL_MSG_MAX];
	struct drvctl_head h = { 0 };
	uint64_t name = 0, err;

	memcpy(&name, cap_name, strlen(cap_name));
	err = cloison_domain_connect(c->dom, dom, guests_pool(), size,
				     guest_slot | (uint64_t)inbox << 32, name, 0);
	if (err) {
		fail("create %s: %s: domain_connect refused (%s)\n", guest, what,
		     cloison_err_name(err));
		return false;
	}
	if (!ask_op(c, DRVCTL_READY, inbox, rsp, &h)) {
		fail("create %s: %s: %s %s\n", guest, what, c->driver, c->why);
		return false;
	}
	if (h.status) {
		fail("create %s: %s: %s refused the channel (%s)\n", guest, what, c->driver,
		     c->status_name(h.status));
		return false;
	}
	return true;
}

void drvctl_detach(struct drvctl *c, const char *guest, uint32_t inbox)
{
	_Alignas(8) uint8_t rsp[DRVCTL_MSG_MAX];
	struct drvctl_head h = { 0 };

	if (!inbox)
		return;
	if (!ask_op(c, DRVCTL_DETACH, inbox, rsp, &h))
		print("%s: %s %s; the core takes its end with the guest\n", guest, c->driver,
		      c->why);
	else if (h.status)
		print("%s: %s did not detach it (%s); the core takes its end with the guest\n",
		      guest, c->driver, c->status_name(h.status));
}

bool drvctl_list(struct drvctl *c, uint32_t index, void *rsp, bool *end)
{
	struct drvctl_head h = { 0 };
	bool ok = ask_op(c, DRVCTL_LIST, index, rsp, &h);

	*end = ok && h.status != 0;
	return ok;
}
