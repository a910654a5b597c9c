/* SPDX-License-Identifier: MIT */
/*
 * Run-time ports (connect.h). A run-time port sits in the port table like
 * any other, with its MAC, addresses, mode, VLANs and rate from the
 * description, but free: disabled, so the switch drops every frame for it
 * (its static MAC entry points at it, nobody else gets them). dom0 only
 * names the port and a VLAN the description allows on it; the core puts
 * end 0 of the guest's channel into a slot of our connect inbox, which we
 * check (cap_identify, memory_phys) before serving it.
 *
 * A client goes by dom0's DETACH or with its guest (the core signals our
 * end, then deletes it: its slot reads empty). Either way the port takes no
 * more requests, waits until the NIC has sent every frame it holds of the
 * guest's buffers (it reads them by DMA: the pages must not be reused under
 * it, as far as we can tell it to wait), and forgets what the switch knew
 * of the port: learned MAC entries, NAT mappings, posted buffers, held
 * frames and counters. The port is then free for the next ATTACH.
 */
#include <domain/core.h>

#include "bridge.h"
#include "connect.h"
#include "ctlserve.h"
#include "natport.h"
#include "netctl.h"
#include "port.h"

#define CTL_VIRQ 43u
/* Where a run-time port's channel is mapped: 1 MiB per inbox slot. */
#define DYN_IPA 0xc0000000ull
#define DYN_IPA_STEP 0x100000ull
/* The channel dom0 makes: the ring page and 64 buffers of 2 KiB, as the
 * boot ports' (docs/net-protocol.md). */
#define DYN_CHANNEL_SIZE (132ull << 10)

static struct rt_port {
	struct port *p;
	uint16_t number;
	uint8_t state;   /* enum netctl_state */
	bool answer;     /* closing: a DETACH (ctl_id) waits for the NIC */
	uint32_t slot;   /* its inbox slot while not free */
	uint32_t ctl_id;
} rt[MAX_PORTS];
static uint32_t n_rt;
static uint32_t port_vintid;
static struct ctl_server ctl;

bool connect_is_runtime(const struct config_port *c)
{
	return c->cap[0] == CFG_RUNTIME_MARK;
}

void connect_port(struct port *p, const struct config_port *c, uint32_t index)
{
	uint32_t n = 0;

	for (const char *s = c->cap + 1; *s >= '0' && *s <= '9' && n < 0x10000; s++)
		n = n * 10 + (uint32_t)(*s - '0');
	memset(p, 0, sizeof(*p));
	p->index = index;
	p->cfg = *c;
	p->guest = true;
	p->disabled = true;
	p->why = "free (no run-time client)";
	p->slot = CLOISON_SLOT_NONE;
	port_reset_state(p);
	rt[n_rt++] = (struct rt_port){ p, (uint16_t)n, NETCTL_FREE, false, 0, 0 };
}

void connect_init(uint32_t inbox, uint32_t vintid)
{
	port_vintid = vintid;
	if (!n_rt)
		return;
	if (!ctl_server_open(&ctl, inbox, CTL_VIRQ)) {
		print("run-time ports: no control channel \"ctl\" (end 1) or no connect inbox: "
		      "none is served\n");
		return;
	}
	print("run-time ports: %u, connect inbox slots %u..%u\n", n_rt, ctl.inbox_first,
	      ctl.inbox_first + ctl.inbox_slots - 1);
}

bool connect_owns(uint64_t slot)
{
	return ctl.open && slot == ctl.slot;
}

static void answer(uint32_t id, const struct netctl_rsp *rsp)
{
	ctl_server_answer(&ctl, id, rsp, sizeof(*rsp));
}

static void answer_status(uint32_t id, uint32_t status, uint32_t slot, uint64_t value)
{
	struct netctl_rsp rsp = { .status = status, .slot = slot, .value = value };

	answer(id, &rsp);
}

static struct rt_port *by_slot(uint32_t slot)
{
	for (uint32_t i = 0; i < n_rt; i++)
		if (rt[i].state != NETCTL_FREE && rt[i].slot == slot)
			return &rt[i];
	return NULL;
}

static bool slot_taken(uint32_t slot)
{
	return by_slot(slot) != NULL;
}

/* The port free again: its end deleted (if the core has not), and every
 * trace of the client gone from the switch. */
static void forget(struct rt_port *r)
{
	struct port *p = r->p;

	if (cloison_cap_identify(r->slot, NULL, NULL, NULL) == CLOISON_ERR_OK)
		cloison_cap_delete(r->slot);
	bridge_flush(p);
	natport_forget(p);
	port_reset_state(p);
	p->done_n = 0;
	p->notify = false;
	p->disabled = true;
	p->why = "free (no run-time client)";
	p->slot = CLOISON_SLOT_NONE;
	r->state = NETCTL_FREE;
	r->answer = false;
	r->slot = 0;
}

/* Stop serving r's client; true once the NIC holds none of its frames
 * (then it is forgotten), else it waits in CLOSING. */
static bool release(struct rt_port *r)
{
	if (r->state == NETCTL_ATTACHED) {
		r->p->disabled = true;
		r->p->why = "detached";
		r->p->posted_n = 0;
		r->state = NETCTL_CLOSING;
	}
	if (r->state == NETCTL_CLOSING && r->p->tx_held)
		return false;
	if (r->state != NETCTL_RESERVED)
		print("port %u: client detached (inbox slot %u)\n", r->number, r->slot);
	forget(r);
	return true;
}

static uint32_t attach(uint16_t number, uint16_t vlan, uint32_t *slot)
{
	struct rt_port *r = NULL;

	for (uint32_t i = 0; i < n_rt && !r; i++)
		if (rt[i].number == number)
			r = &rt[i];
	if (!r)
		return NETCTL_UNKNOWN_PORT;
	/* dom0 asks one thing at a time: a port still reserved when it asks
	 * for it again was given up (dom0 stopped waiting for our answer). */
	if (r->state == NETCTL_RESERVED)
		forget(r);
	if (r->state != NETCTL_FREE)
		return NETCTL_IN_USE;
	if (vlan && !port_has_vid(r->p, vlan))
		return NETCTL_BAD_VLAN;
	*slot = ctl_server_free_slot(&ctl, slot_taken);
	if (!*slot)
		return NETCTL_INBOX_FULL;
	r->state = NETCTL_RESERVED;
	r->slot = *slot;
	return NETCTL_OK;
}

static uint32_t ready(struct rt_port *r)
{
	uint64_t badge = ~0ull, pa = 0, size = 0, ipa;
	struct port *p;

	if (!r || r->state != NETCTL_RESERVED)
		return NETCTL_BAD_SLOT;
	p = r->p;
	ipa = DYN_IPA + (r->slot - ctl.inbox_first) * DYN_IPA_STEP;
	if (cloison_cap_identify(r->slot, NULL, NULL, &badge) != CLOISON_ERR_OK ||
	    badge != NETIF_BACKEND_END ||
	    cloison_memory_phys(r->slot, &pa, &size) != CLOISON_ERR_OK ||
	    size != DYN_CHANNEL_SIZE ||
	    cloison_memory_map(r->slot, ipa, CLOISON_RIGHT_CHANNEL_READ |
			       CLOISON_RIGHT_CHANNEL_WRITE) != CLOISON_ERR_OK) {
		print("port %u: inbox slot %u refused: not a back-end end of %llu bytes\n",
		      r->number, r->slot, DYN_CHANNEL_SIZE);
		return NETCTL_BAD_SLOT;
	}
	p->slot = r->slot;
	p->vintid = port_vintid;
	p->data = (volatile uint8_t *)(uintptr_t)(ipa + NETIF_DATA_OFFSET);
	p->data_pa = pa + NETIF_DATA_OFFSET;
	p->data_size = size - NETIF_DATA_OFFSET;
	ring_init(&p->ring, (void *)(uintptr_t)ipa, NETIF_BACKEND_END, false);
	port_reset_state(p);
	p->done_n = 0;
	p->notify = false;
	p->disabled = false;
	p->why = NULL;
	cloison_channel_bind(p->slot, port_vintid);
	r->state = NETCTL_ATTACHED;
	print("port %u: client attached (inbox slot %u)\n", r->number, r->slot);
	return NETCTL_OK;
}

static void list(uint32_t id, uint32_t index)
{
	struct netctl_rsp rsp = { .status = NETCTL_END };
	const struct rt_port *r = index < n_rt ? &rt[index] : NULL;

	if (r) {
		const struct port *p = r->p;

		rsp.status = NETCTL_OK;
		rsp.slot = r->slot;
		rsp.value = p->in_frames;
		rsp.frames_out = p->out_frames;
		rsp.port = r->number;
		rsp.vlan = p->cfg.pvid ? p->cfg.pvid : p->cfg.ranges[0].lo;
		memcpy(rsp.mac, p->cfg.mac, 6);
		rsp.state = r->state;
	}
	answer(id, &rsp);
}

static void request(const struct ring_msg *m)
{
	struct netctl_req q;
	struct rt_port *r;
	uint32_t slot = 0, st;

	if (m->len != sizeof(q)) {
		answer_status(m->id, NETCTL_INVALID, 0, 0);
		return;
	}
	memcpy(&q, m->data, sizeof(q));
	r = by_slot(q.arg);
	switch (q.op) {
	case NETCTL_ATTACH:
		st = attach(q.port, q.vlan, &slot);
		answer_status(m->id, st, slot, st == NETCTL_OK ? DYN_CHANNEL_SIZE : 0);
		return;
	case NETCTL_READY:
		answer_status(m->id, ready(r), q.arg, 0);
		return;
	case NETCTL_DETACH:
		if (!r) {
			answer_status(m->id, NETCTL_BAD_SLOT, q.arg, 0);
		} else if (release(r)) {
			answer_status(m->id, NETCTL_OK, q.arg, 0);
		} else {
			r->answer = true; /* answered when the NIC is done */
			r->ctl_id = m->id;
		}
		return;
	case NETCTL_LIST:
		list(m->id, q.arg);
		return;
	default:
		answer_status(m->id, NETCTL_INVALID, 0, 0);
	}
}

bool connect_poll(void)
{
	bool progress = false;

	if (!ctl.open)
		return false;
	for (uint32_t i = 0; i < n_rt; i++) {
		struct rt_port *r = &rt[i];

		if (r->state == NETCTL_ATTACHED &&
		    cloison_cap_identify(r->slot, NULL, NULL, NULL) != CLOISON_ERR_OK) {
			/* The core took the end with the guest (and unmapped
			 * it): the port's ring is not touched again. */
			print("port %u: client gone (its guest was destroyed)\n", r->number);
			r->p->disabled = true;
			r->p->why = "its guest was destroyed";
			r->p->posted_n = 0;
			r->state = NETCTL_CLOSING;
		}
		if (r->state == NETCTL_CLOSING) {
			bool reply = r->answer;
			uint32_t id = r->ctl_id, slot = r->slot;

			if (release(r)) {
				if (reply)
					answer_status(id, NETCTL_OK, slot, 0);
				progress = true;
			}
		}
	}
	return ctl_server_poll(&ctl, request) || progress;
}

bool connect_arm(void)
{
	return ctl_server_arm(&ctl);
}
