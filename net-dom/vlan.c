/* SPDX-License-Identifier: MIT */
/* 802.1Q ingress and egress rules (vlan.h). */
#include "vlan.h"

static bool trunk(const struct port *p)
{
	return p->cfg.vflags & CFG_V_TRUNK;
}

bool vlan_ingress(const struct port *p, struct pkt *k)
{
	/* 802.1ad, VID 4095 and a second tag: never switched (VLAN-7). */
	if (k->bad_tag)
		return false;
	if (k->tagged && k->vid != 0) {
		/* An access port takes no tagged frame, not even of its own
		 * VID (VLAN-4: OVS semantics); a trunk only its set (VLAN-5). */
		return trunk(p) && port_has_vid(p, k->vid);
	}
	/* Untagged, or priority-tagged (VID 0: the tag is dropped, its PCP
	 * kept for a tagged egress; VLAN-3). No native VID: dropped (VLAN-6). */
	if (p->cfg.pvid == 0)
		return false;
	k->vid = p->cfg.pvid;
	if (!k->tagged)
		k->pcp = 0;
	return true;
}

bool vlan_egress(const struct port *q, uint16_t vid, bool *tag)
{
	if (!port_has_vid(q, vid))
		return false;
	*tag = trunk(q) && !(vid == q->cfg.pvid && (q->cfg.vflags & CFG_V_PVID_UNTAGGED));
	return true;
}
