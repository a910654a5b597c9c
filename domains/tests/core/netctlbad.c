/* SPDX-License-Identifier: MIT */
/*
 * A hostile control domain against net-dom's run-time ports
 * (domains/lib/netctl.h; tests/system/systems/netctl-hostile.toml): it holds
 * dom0's end of the control channel ("net-ctl") and sends what dom0 never
 * would, one class of mistake each: a message of the wrong size, an unknown
 * op, a port net-dom lacks, a VLAN the port does not allow, READY and DETACH
 * for slots net-dom never gave (and far outside its CSpace), READY for a
 * reserved slot with no channel end in it, a LIST index past the end. Each
 * must be answered with its own status and change nothing: the port stays
 * free, and an honest ATTACH and DETACH still work after them all.
 */
#include <domain/core.h>
#include <domain/result.h>

#include "netctl.h"
#include "ring.h"

#define SPIN_LIMIT 2000000u /* waits before giving up: a hang becomes a failure */

static struct ring_end ctl;
static uint64_t ctl_slot;
static uint32_t next_id = 1;

/* Send `len` bytes of `req`, wait for the answer to it. */
static bool ask(const void *req, uint32_t len, struct netctl_rsp *rsp)
{
	uint32_t id = next_id++;
	struct ring_msg m;
	bool notify = false;

	if (ring_send(&ctl, req, len, id, &notify) != RING_OK)
		return false;
	if (notify)
		cloison_channel_signal(ctl_slot);
	for (uint32_t spin = 0; spin < SPIN_LIMIT; spin++) {
		enum ring_status st = ring_recv(&ctl, &m);

		if (st == RING_OK && m.id == id && m.len == sizeof(*rsp)) {
			memcpy(rsp, m.data, sizeof(*rsp));
			return true;
		}
		if (st == RING_DEAD)
			return false;
		if (st == RING_EMPTY && !ring_arm(&ctl))
			cloison_channel_wait(ctl_slot, NULL);
	}
	return false;
}

static uint32_t status_of(uint32_t op, uint32_t arg, uint16_t port, uint16_t vlan,
			  struct netctl_rsp *rsp)
{
	struct netctl_req q = { op, arg, port, vlan, 0 };

	if (!ask(&q, sizeof(q), rsp))
		return ~0u;
	return rsp->status;
}

static void expect(const char *name, uint32_t got, uint32_t want)
{
	test_report(name, got == want, "status %u (%s), expected %u (%s)", got,
		    netctl_status_name(got), want, netctl_status_name(want));
}

/* Port 3 free, as LIST reports it. */
static bool port_free(void)
{
	struct netctl_rsp r;

	return status_of(NETCTL_LIST, 0, 0, 0, &r) == NETCTL_OK && r.port == 3 &&
	       r.state == NETCTL_FREE && r.slot == 0;
}

int domain_main(const struct cloison_start_info *si)
{
	const struct cloison_start_info_cap *c = si_find("net-ctl");
	struct netctl_rsp r;
	uint8_t junk[24] = { 1, 0, 0, 0 };
	uint32_t st, slot;

	(void)si;
	test_begin("netctl");
	if (!c || c->type != CLOISON_TYPE_CHANNEL || c->ipa == ~0ull)
		runtime_panic("netctlbad: no mapped channel \"net-ctl\"");
	ctl_slot = c->slot;
	ring_init(&ctl, (void *)(uintptr_t)c->ipa, 0, false);

	test_report("netctl.list_before", port_free(), "port 3 is not listed free");
	/* A message of another size than a request (an ATTACH's op inside). */
	expect("netctl.wrong_size_refused",
	       ask(junk, sizeof(junk), &r) ? r.status : ~0u, NETCTL_INVALID);
	expect("netctl.unknown_op_refused", status_of(99, 0, 3, 10, &r), NETCTL_INVALID);
	expect("netctl.unknown_port_refused", status_of(NETCTL_ATTACH, 0, 9, 10, &r),
	       NETCTL_UNKNOWN_PORT);
	expect("netctl.port_0_refused", status_of(NETCTL_ATTACH, 0, 0, 10, &r),
	       NETCTL_UNKNOWN_PORT);
	expect("netctl.port_65535_refused", status_of(NETCTL_ATTACH, 0, 0xffff, 10, &r),
	       NETCTL_UNKNOWN_PORT);
	expect("netctl.vlan_refused", status_of(NETCTL_ATTACH, 0, 3, 20, &r), NETCTL_BAD_VLAN);
	expect("netctl.vlan_4095_refused", status_of(NETCTL_ATTACH, 0, 3, 4095, &r),
	       NETCTL_BAD_VLAN);
	expect("netctl.ready_unreserved_refused", status_of(NETCTL_READY, 14, 0, 0, &r),
	       NETCTL_BAD_SLOT);
	expect("netctl.ready_forged_slot_refused",
	       status_of(NETCTL_READY, 0xffffffffu, 0, 0, &r), NETCTL_BAD_SLOT);
	expect("netctl.detach_forged_slot_refused",
	       status_of(NETCTL_DETACH, 0x80000001u, 0, 0, &r), NETCTL_BAD_SLOT);
	expect("netctl.detach_own_ctl_slot_refused", status_of(NETCTL_DETACH, 1, 0, 0, &r),
	       NETCTL_BAD_SLOT);
	expect("netctl.list_past_end", status_of(NETCTL_LIST, 1000, 0, 0, &r), NETCTL_END);
	test_report("netctl.refusals_changed_nothing", port_free(), "port 3 is not free");

	/* Reserved, but nothing in the slot: READY finds no channel end. */
	st = status_of(NETCTL_ATTACH, 0, 3, 0, &r);
	slot = r.slot;
	test_report("netctl.attach_ok", st == NETCTL_OK && slot >= 14 && slot <= 15 &&
		    r.value == (132u << 10), "status %u slot %u size %lu", st, slot, r.value);
	expect("netctl.ready_without_an_end_refused", status_of(NETCTL_READY, slot, 0, 0, &r),
	       NETCTL_BAD_SLOT);
	expect("netctl.detach_ok", status_of(NETCTL_DETACH, slot, 0, 0, &r), NETCTL_OK);
	test_report("netctl.free_after_detach", port_free(), "port 3 is not free");
	expect("netctl.attach_again_ok", status_of(NETCTL_ATTACH, 0, 3, 10, &r), NETCTL_OK);
	expect("netctl.detach_again_ok", status_of(NETCTL_DETACH, r.slot, 0, 0, &r), NETCTL_OK);
	test_end();
	runtime_poweroff();
}
