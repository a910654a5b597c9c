/* SPDX-License-Identifier: MIT */
/* A driver domain's side of its control channel and inbox (ctlserve.h). */
#include <domain/core.h>

#include "ctlserve.h"

bool ctl_server_open(struct ctl_server *s, uint32_t inbox, uint32_t vintid)
{
	const struct cloison_start_info_cap *c = si_find("ctl");
	uint64_t badge = ~0ull;

	s->open = false;
	if (!inbox || !c || c->type != CLOISON_TYPE_CHANNEL || c->ipa == ~0ull ||
	    cloison_cap_identify(c->slot, NULL, NULL, &badge) != CLOISON_ERR_OK || badge != 1)
		return false;
	s->slot = c->slot;
	s->inbox_slots = inbox;
	s->inbox_first = si_cspace_slots() - inbox;
	ring_init(&s->ring, (void *)(uintptr_t)c->ipa, 1, false);
	cloison_channel_bind(s->slot, vintid);
	irq_enable(vintid, 0xa0);
	s->open = true;
	return true;
}

void ctl_server_answer(struct ctl_server *s, uint32_t id, const void *rsp, uint32_t len)
{
	bool notify = false;

	if (ring_send(&s->ring, rsp, len, id, &notify) == RING_OK && notify)
		cloison_channel_signal(s->slot);
}

bool ctl_server_poll(struct ctl_server *s, void (*request)(const struct ring_msg *m))
{
	struct ring_msg m;
	uint32_t n = 0;

	/* At most one ring's worth a call: the control domain refilling the
	 * ring while we answer cannot keep the driver from its clients (the
	 * rest is taken next round; the arm before sleeping sees it). */
	while (n < RING_SLOTS && s->open && ring_recv(&s->ring, &m) == RING_OK) {
		request(&m);
		n++;
	}
	return n != 0;
}

bool ctl_server_arm(struct ctl_server *s)
{
	return s->open && ring_arm(&s->ring);
}

uint32_t ctl_server_free_slot(const struct ctl_server *s, bool (*taken)(uint32_t slot))
{
	for (uint32_t slot = s->inbox_first; slot < s->inbox_first + s->inbox_slots; slot++)
		if (!taken(slot) &&
		    cloison_cap_identify(slot, NULL, NULL, NULL) == CLOISON_ERR_EMPTY_SLOT)
			return slot;
	return 0;
}
