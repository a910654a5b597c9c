/* SPDX-License-Identifier: MIT */
/*
 * net-dom's NAPT module (net-dom/nat.c) against packets a guest or the
 * outside may send: each input is a sequence of packets, both ways, built
 * from fuzzed fields around addresses and ports that hit mappings (the
 * guests', the uplink's, a few remotes), with correct checksums, then
 * fuzzed bytes over part of them. Checked after every packet, besides
 * ASan/UBSan: a FORWARD packet whose checksums were right is still right
 * (full recomputation over the whole packet, of which nat saw the first
 * NAT_HDR_MAX bytes), hairpinned ones included; a REPLY is a well-formed
 * ICMP error with correct checksums; the table's bookkeeping holds (count,
 * per-guest use, no two mappings of one protocol on one external port).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nat.h"

static struct nat nat;
static struct nat_guest guests[2];
static const uint32_t inside[3] = { 0x0a000102u, 0x0a000103u, 0x0a000104u };
static const uint32_t outside[3] = { 0x5db8d822u, 0x01010101u, 0xc0a80001u };
#define UPLINK 0x0a00020fu

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void wr16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, v >> 16);
	wr16(p + 2, v & 0xffffu);
}

static uint32_t pseudo(const uint8_t *ip, size_t l4len)
{
	return (uint32_t)rd16(ip + 12) + rd16(ip + 14) + rd16(ip + 16) + rd16(ip + 18) + ip[9] +
	       (uint32_t)l4len;
}

/* Whether the packet's checksums are right (0: no UDP checksum). */
static int sums_ok(const uint8_t *p, size_t len)
{
	size_t hl = (size_t)(p[0] & 0xfu) * 4u;

	if (hl < 20 || hl > len || nat_csum(p, hl, 0) != 0)
		return 0;
	if (rd16(p + 6) & 0x3fffu)
		return 1; /* a fragment: the L4 sum spans other packets */
	if (p[9] == 17 && len >= hl + 8 && rd16(p + hl + 6) == 0)
		return 1;
	if (p[9] == 17 || p[9] == 6)
		return nat_csum(p + hl, len - hl, pseudo(p, len - hl)) == 0;
	if (p[9] == 1)
		return nat_csum(p + hl, len - hl, 0) == 0;
	return 1;
}

static void fill_sums(uint8_t *p, size_t len)
{
	size_t hl = 20;

	wr16(p + 10, 0);
	wr16(p + 10, nat_csum(p, hl, 0));
	if (p[9] == 17 && len >= hl + 8) {
		wr16(p + hl + 6, 0);
		uint16_t s = nat_csum(p + hl, len - hl, pseudo(p, len - hl));
		wr16(p + hl + 6, s ? s : 0xffffu);
	} else if (p[9] == 6 && len >= hl + 20) {
		wr16(p + hl + 16, 0);
		wr16(p + hl + 16, nat_csum(p + hl, len - hl, pseudo(p, len - hl)));
	} else if (p[9] == 1 && len >= hl + 8) {
		wr16(p + hl + 2, 0);
		wr16(p + hl + 2, nat_csum(p + hl, len - hl, 0));
	}
}

struct in {
	const uint8_t *d;
	size_t n;
};

static uint8_t take(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->d++;
}

static void check_table(void)
{
	uint32_t used = 0, count = 0;

	for (uint32_t i = 0; i < NAT_MAPPINGS; i++) {
		const struct nat_mapping *m = &nat.map[i];

		if (!m->proto)
			continue;
		count++;
		for (uint32_t j = i + 1; j < NAT_MAPPINGS; j++)
			if (nat.map[j].proto == m->proto && nat.map[j].ext_port == m->ext_port)
				abort();
	}
	for (int g = 0; g < 2; g++)
		used += guests[g].used;
	if (count != nat.count || used != count)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nat_config cfg = { 0 };
	struct in in = { data, size };
	uint64_t now = 0;
	static uint8_t pkt[1600];

	cfg.uplink_ip = UPLINK;
	cfg.gateway_ip = 0x0a000101u;
	cfg.uplink_mtu = (uint16_t)(576 + take(&in) * 4);
	cfg.filter = take(&in) & 1 ? NAT_FILTER_ENDPOINT : NAT_FILTER_ADDRESS;
	cfg.inbound_refresh = take(&in) & 1;
	cfg.udp_ms = 1000u * (1u + take(&in));
	cfg.tcp_trans_ms = 1000u * (1u + take(&in));
	if (!nat_init(&nat, &cfg))
		abort();
	nat_guest_init(&nat, &guests[0], 1, 1u + take(&in) % 8u);
	nat_guest_init(&nat, &guests[1], 2, 0);
	struct nat_forward f = { 6, 8080, inside[1], 80, &guests[1] };

	nat_add_forward(&nat, &f);
	while (in.n >= 8) {
		uint8_t op = take(&in), proto_sel = take(&in), flags = take(&in);
		uint16_t sport = (uint16_t)(take(&in) % 4u * 1000u + 1000u), dport;
		size_t len = 20u + 8u + take(&in) % 96u, hdr = 20;
		bool outbound = op & 1;
		struct nat_result res;
		enum nat_verdict v;

		now += (uint64_t)(take(&in) % 16u) * 500u;
		dport = (uint16_t)(take(&in) % 3u == 0 ? 8080 : 53 + take(&in) % 3u);
		memset(pkt, 0, sizeof(pkt));
		pkt[0] = 0x45;
		pkt[8] = 64;
		pkt[9] = (uint8_t)(proto_sel % 4u == 0 ? 1 : proto_sel % 4u == 1 ? 6
				  : proto_sel % 4u == 2 ? 17 : proto_sel);
		if (pkt[9] == 6 && len < hdr + 20)
			len = hdr + 20;
		wr16(pkt + 2, (uint32_t)len);
		/* DF, or a first fragment, or (flags 0x10) a later one. */
		wr16(pkt + 6, op & 0x80 ? 0x4000 : op & 0x40 ? 0x2000 : 0);
		if (flags & 0x10)
			wr16(pkt + 6, (flags & 0x08 ? 0x2000u : 0) | (1u + take(&in) % 16u));
		if (outbound) {
			wr32(pkt + 12, inside[(op >> 1) % 3u]);
			/* Now and then to the uplink address: hairpinning. */
			wr32(pkt + 16, op & 0x20 ? UPLINK : outside[(op >> 3) % 3u]);
		} else {
			wr32(pkt + 12, outside[(op >> 3) % 3u]);
			wr32(pkt + 16, op & 0x20 ? outside[0] : UPLINK);
			/* Replies aim at ports mappings use. */
			uint16_t t = sport;

			sport = dport;
			dport = t;
		}
		wr16(pkt + hdr, sport);
		wr16(pkt + hdr + 2, dport);
		if (pkt[9] == 1) {
			pkt[hdr] = (uint8_t)(flags % 4u == 0 ? 8 : flags % 4u == 1 ? 0
					     : flags % 4u == 2 ? 3 : 11);
			pkt[hdr + 1] = 3;
			if (pkt[hdr] == 3 || pkt[hdr] == 11) { /* quote a packet of ours */
				uint8_t *q = pkt + hdr + 8;

				len = hdr + 8 + 28 + take(&in) % 32u;
				wr16(pkt + 2, (uint32_t)len);
				q[0] = 0x45;
				q[9] = (uint8_t)(flags & 4 ? 6 : 17);
				wr16(q + 2, 28);
				wr32(q + 12, outbound ? outside[0] : UPLINK);
				wr32(q + 16, outbound ? inside[0] : outside[(op >> 3) % 3u]);
				wr16(q + 20, sport);
				wr16(q + 22, dport);
				wr16(q + 10, nat_csum(q, 20, 0));
			}
		} else if (pkt[9] == 6) {
			pkt[hdr + 12] = 0x50;
			pkt[hdr + 13] = flags;
		} else if (pkt[9] == 17) {
			wr16(pkt + hdr + 4, (uint32_t)(len - hdr));
		}
		for (size_t i = hdr + 8; i < len && in.n && (flags & 0x80); i++)
			if (pkt[9] != 1 || pkt[hdr] == 0 || pkt[hdr] == 8)
				pkt[i] = take(&in);
		fill_sums(pkt, len);
		/* Now and then damage a header byte after the sums. */
		if ((flags & 0x60) == 0x60 && in.n >= 2) {
			size_t at = take(&in) % len;

			pkt[at] = take(&in);
		}
		int was_ok = sums_ok(pkt, len);
		size_t copied = len < NAT_HDR_MAX ? len : NAT_HDR_MAX;

		v = outbound ? nat_outbound(&nat, &guests[op >> 7], pkt, copied, len, now, &res)
			     : nat_inbound(&nat, pkt, copied, len, now, &res);
		if (v == NAT_FORWARD && was_ok && !sums_ok(pkt, len))
			abort();
		if (v == NAT_FORWARD && !outbound && !res.to)
			abort();
		if (v == NAT_REPLY) {
			if (!outbound || res.reply_len < 36 || res.reply_len > NAT_REPLY_MAX ||
			    !sums_ok(res.reply, res.reply_len) || res.reply[20] != 3)
				abort();
		}
		if (v == NAT_DROP && (res.reason == NAT_OK || res.reason >= NAT_R_COUNT))
			abort();
		check_table();
		if ((op & 0x1e) == 0x1e)
			nat_flush_guest(&nat, &guests[0]);
		if (take(&in) == 0xff)
			nat_expire(&nat, now);
		check_table();
	}
	return 0;
}
