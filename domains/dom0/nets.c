/* SPDX-License-Identifier: MIT */
/*
 * The switch port of a guest made at run time (docs/dynamic-guests.md,
 * "Serving a guest made at run time"): the config's [net] names a run-time
 * port of net-dom's (a [[netport]] with runtime = true) and a VLAN. net-dom
 * is asked over the control channel the description declares (dom0's
 * "net-ctl", <netctl.h>) to reserve it, and refuses a port that is not a
 * run-time one, in use, or a VLAN the description does not allow on it:
 * the port's MAC and addresses are the description's, never dom0's choice.
 * The core then makes the channel between the guest being built and
 * net-dom's inbox (domain_connect: dom0 holds neither end). `destroy`
 * detaches the port before the guest goes; `ports` lists net-dom's run-time
 * ports. The exchanges are drvctl.c's, shared with the disk (disks.c).
 */
#include "guests.h"

#include "netctl.h"

#define GUEST_NET_SLOT 3 /* the guest's CSpace: 1 its console, 2 its disk */

_Static_assert(NETCTL_READY == DRVCTL_READY && NETCTL_DETACH == DRVCTL_DETACH &&
		       NETCTL_LIST == DRVCTL_LIST && NETCTL_OK == 0,
	       "drvctl.c's requests");
_Static_assert(__builtin_offsetof(struct netctl_rsp, value) == 8, "drvctl_head");

static struct drvctl net = {
	.driver = "net-dom",
	.req_len = sizeof(struct netctl_req),
	.rsp_len = sizeof(struct netctl_rsp),
	.channel_max = NETCTL_CHANNEL_MAX,
	.status_name = netctl_status_name,
};
static uint64_t channel_size; /* of the port reserved last (ATTACH's answer) */

void nets_init(const struct cloison_start_info *si)
{
	(void)si;
	drvctl_open(&net, "net-ctl", "net");
}

static void port_name(const struct store_guest *g, char *what, size_t n)
{
	if (g->net_vlan)
		print_to_buf(what, n, "net port %u vlan %u", g->net_port, g->net_vlan);
	else
		print_to_buf(what, n, "net port %u", g->net_port);
}

bool net_reserve(const struct store_guest *g, uint32_t *inbox)
{
	struct netctl_req req = { NETCTL_ATTACH, 0, g->net_port, g->net_vlan, 0 };
	char what[48];

	*inbox = 0;
	if (!g->net_port)
		return true;
	port_name(g, what, sizeof(what));
	if (net.slot == CLOISON_SLOT_NONE || net.dom == CLOISON_SLOT_NONE) {
		fail("create %s: %s: dom0 holds no 'net-ctl' channel and 'net' cap "
		     "(the description gives none)\n", g->name, what);
		return false;
	}
	return drvctl_reserve(&net, g->name, what, &req, inbox, &channel_size);
}

bool net_connect(const struct store_guest *g, uint64_t dom, uint32_t inbox)
{
	char what[48];

	if (!inbox)
		return true;
	port_name(g, what, sizeof(what));
	return drvctl_connect(&net, g->name, what, dom, GUEST_NET_SLOT, "net", inbox,
			      channel_size);
}

void net_disconnect(const char *guest, uint32_t inbox)
{
	drvctl_detach(&net, guest, inbox);
}

void nets_list(void)
{
	struct netctl_rsp r;
	uint32_t i = 0, attached = 0;
	bool end = false;

	if (net.slot == CLOISON_SLOT_NONE) {
		fail("ports: dom0 holds no 'net-ctl' channel\n");
		return;
	}
	for (; i < NETCTL_LIST_MAX; i++) {
		if (!drvctl_list(&net, i, &r, &end)) {
			fail("ports: net-dom %s\n", net.why);
			return;
		}
		if (end)
			break;
		print("port %u: %s, vlan %u, mac %02x:%02x:%02x:%02x:%02x:%02x", r.port,
		      netctl_state_name(r.state), r.vlan, r.mac[0], r.mac[1], r.mac[2], r.mac[3],
		      r.mac[4], r.mac[5]);
		if (r.state != NETCTL_FREE)
			print(", inbox slot %u", r.slot);
		print(", %lu frames in, %lu out\n", r.value, r.frames_out);
		attached += r.state != NETCTL_FREE;
	}
	print("ports: %u run-time, %u in use\n", i, attached);
}
