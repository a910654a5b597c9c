/* SPDX-License-Identifier: MIT */
/* Frame headers into private memory, and back out (pkt.h). */
#include <domain/core.h>

#include "pkt.h"

static void pull(struct pkt *k, const volatile uint8_t *src, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		k->hdr[k->hdr_len + i] = src[i];
	k->hdr_len += n;
}

bool pkt_parse(struct pkt *k, const volatile uint8_t *frame, uint64_t pa, uint32_t len)
{
	uint32_t off = 0;

	k->hdr_len = 0;
	k->tagged = k->bad_tag = k->reflect = false;
	k->vid = 0;
	k->pcp = 0;
	if (len < ETH_HLEN)
		return false;
	pull(k, frame, 12);
	off = 12;
	k->type = (uint16_t)(frame[off] << 8 | frame[off + 1]);
	if (k->type == ETH_P_8021Q || k->type == ETH_P_8021AD) {
		uint16_t tci;

		if (len < ETH_HLEN + 4)
			return false;
		tci = (uint16_t)(frame[off + 2] << 8 | frame[off + 3]);
		k->bad_tag = k->type == ETH_P_8021AD || (tci & 0xfff) == 0xfff;
		k->tagged = true;
		k->vid = tci & 0xfff;
		k->pcp = (uint8_t)(tci >> 13);
		off += 4;
		k->type = (uint16_t)(frame[off] << 8 | frame[off + 1]);
		/* A second tag (802.1ad/Q-in-Q, or the hopping attack's inner
		 * tag) is never switched: VLAN-4, VLAN-7. */
		if (k->type == ETH_P_8021Q || k->type == ETH_P_8021AD)
			k->bad_tag = true;
	}
	pull(k, frame + off, 2);
	off += 2;
	if (k->type == ETH_P_IP && len >= off + 20) {
		uint32_t ihl = (frame[off] & 0xfu) * 4u;

		if (ihl < 20 || len < off + ihl)
			return false;
		pull(k, frame + off, ihl);
		off += ihl;
		/* ICMP's header too: echo is answered by rewriting it (C-6). */
		if (frame[off - ihl + 9] == 1 && len >= off + 8) {
			pull(k, frame + off, 8);
			off += 8;
		}
	} else if (k->type == ETH_P_ARP && len >= off + 28) {
		pull(k, frame + off, 28);
		off += 28;
	}
	k->rest = frame + off;
	k->rest_pa = pa + off;
	k->rest_len = len - off;
	return true;
}

void pkt_pull(struct pkt *k, uint32_t n)
{
	if (n > k->rest_len)
		n = k->rest_len;
	if (n > PKT_HDR_MAX - k->hdr_len)
		n = PKT_HDR_MAX - k->hdr_len;
	pull(k, k->rest, n);
	k->rest += n;
	k->rest_pa += n;
	k->rest_len -= n;
}

uint32_t pkt_write_hdr(const struct pkt *k, uint8_t *out, bool tag)
{
	uint32_t n = 0;

	memcpy(out, k->hdr, 12);
	n = 12;
	if (tag) {
		put16(out + 12, ETH_P_8021Q);
		put16(out + 14, (uint16_t)(k->pcp << 13 | k->vid));
		n += 4;
	}
	memcpy(out + n, k->hdr + 12, k->hdr_len - 12);
	return n + k->hdr_len - 12;
}
