/* SPDX-License-Identifier: MIT */
/*
 * net-dom's NAPT module (net-dom/nat.c) on the host: one test per NAT
 * statement of the behaviour spec (NAT-1 .. NAT-14; out-of-order
 * fragments, a tracked deviation, as they behave today), named after it.
 * Every rewritten packet's checksums (IPv4 header, TCP/UDP with the
 * pseudo-header, ICMP, and the embedded ones of an ICMP error) are
 * verified by full recomputation over the whole packet, of which nat only
 * saw the first NAT_HDR_MAX bytes.
 */
#include "nat.h"

#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define UPLINK 0x0a00020fu /* 10.0.2.15 */
#define GW_IN 0x0a000101u  /* 10.0.1.1: net-dom inside */
#define G1 0x0a000102u     /* 10.0.1.2 */
#define G2 0x0a000103u     /* 10.0.1.3 */
#define R1 0x5db8d822u     /* 93.184.216.34 */
#define R2 0x01010101u     /* 1.1.1.1 */
#define S 1000ull          /* ms per second */

static struct nat *n;
static struct nat_guest g1, g2;
static struct nat_result res;

static void setup_cfg(const struct nat_config *extra)
{
	struct nat_config c = { 0 };

	if (extra)
		c = *extra;
	c.uplink_ip = UPLINK;
	c.gateway_ip = GW_IN;
	if (!n)
		n = malloc(sizeof(*n));
	ASSERT(n != NULL);
	ASSERT(nat_init(n, &c));
	nat_guest_init(n, &g1, 1, 0);
	nat_guest_init(n, &g2, 2, 0);
}

static void setup(void)
{
	setup_cfg(NULL);
}

/* ---- packets ---- */

struct pkt {
	uint8_t b[2048];
	size_t len;
};

static void w16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void w32(uint8_t *p, uint32_t v)
{
	w16(p, v >> 16);
	w16(p + 2, v & 0xffffu);
}

static uint16_t r16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t r32(const uint8_t *p)
{
	return (uint32_t)r16(p) << 16 | r16(p + 2);
}

static uint32_t pseudo(const uint8_t *ip, uint8_t proto, size_t l4len)
{
	return (uint32_t)r16(ip + 12) + r16(ip + 14) + r16(ip + 16) + r16(ip + 18) + proto +
	       (uint32_t)l4len;
}

/* Full checksums of a packet at p (len bytes); udp_zero: a 0 UDP sum is fine. */
static void fill_sums(uint8_t *p, size_t len)
{
	size_t hl = (size_t)(p[0] & 0xfu) * 4u;
	uint8_t proto = p[9];

	w16(p + 10, 0);
	w16(p + 10, nat_csum(p, hl, 0));
	if (proto == NAT_PROTO_UDP) {
		if (r16(p + hl + 6) == 0xdead) { /* marker: no checksum */
			w16(p + hl + 6, 0);
			return;
		}
		w16(p + hl + 6, 0);
		uint16_t s = nat_csum(p + hl, len - hl, pseudo(p, proto, len - hl));
		w16(p + hl + 6, s ? s : 0xffff);
	} else if (proto == NAT_PROTO_TCP) {
		w16(p + hl + 16, 0);
		w16(p + hl + 16, nat_csum(p + hl, len - hl, pseudo(p, proto, len - hl)));
	} else if (proto == 1) {
		w16(p + hl + 2, 0);
		w16(p + hl + 2, nat_csum(p + hl, len - hl, 0));
	}
}

static bool sums_ok(const uint8_t *p, size_t len)
{
	size_t hl = (size_t)(p[0] & 0xfu) * 4u;
	uint8_t proto = p[9];

	if (nat_csum(p, hl, 0) != 0)
		return false;
	if (proto == NAT_PROTO_UDP && r16(p + hl + 6) == 0)
		return true;
	if (proto == NAT_PROTO_UDP || proto == NAT_PROTO_TCP)
		return nat_csum(p + hl, len - hl, pseudo(p, proto, len - hl)) == 0;
	if (proto == 1)
		return nat_csum(p + hl, len - hl, 0) == 0;
	return true;
}

static void ip_hdr(struct pkt *k, uint8_t proto, uint32_t src, uint32_t dst, size_t l4len)
{
	memset(k->b, 0, sizeof(k->b));
	k->len = 20 + l4len;
	k->b[0] = 0x45;
	w16(k->b + 2, (uint32_t)k->len);
	w16(k->b + 4, 0x1234);
	k->b[8] = 64;
	k->b[9] = proto;
	w32(k->b + 12, src);
	w32(k->b + 16, dst);
	for (size_t i = 20 + (proto == 6 ? 20 : 8); i < k->len; i++)
		k->b[i] = (uint8_t)(i * 31 + 7);
}

static struct pkt udp(uint32_t src, uint16_t sp, uint32_t dst, uint16_t dp, size_t payload)
{
	struct pkt k;

	ip_hdr(&k, NAT_PROTO_UDP, src, dst, 8 + payload);
	w16(k.b + 20, sp);
	w16(k.b + 22, dp);
	w16(k.b + 24, (uint32_t)(8 + payload));
	fill_sums(k.b, k.len);
	return k;
}

static struct pkt tcp(uint32_t src, uint16_t sp, uint32_t dst, uint16_t dp, uint8_t flags,
		      size_t payload)
{
	struct pkt k;

	ip_hdr(&k, NAT_PROTO_TCP, src, dst, 20 + payload);
	w16(k.b + 20, sp);
	w16(k.b + 22, dp);
	w32(k.b + 24, 0x01020304);
	k.b[32] = 0x50;
	k.b[33] = flags;
	w16(k.b + 34, 8192);
	fill_sums(k.b, k.len);
	return k;
}

static struct pkt echo(uint8_t type, uint32_t src, uint32_t dst, uint16_t id, uint16_t seq)
{
	struct pkt k;

	ip_hdr(&k, 1, src, dst, 8 + 32);
	k.b[20] = type;
	w16(k.b + 24, id);
	w16(k.b + 26, seq);
	fill_sums(k.b, k.len);
	return k;
}

/* An ICMP error from `from` to `to` quoting `quoted` whole (quote bytes). */
static struct pkt icmp_error(uint8_t type, uint8_t code, uint32_t from, uint32_t to,
			     const struct pkt *quoted, size_t quote)
{
	struct pkt k;

	ip_hdr(&k, 1, from, to, 8 + quote);
	k.b[20] = type;
	k.b[21] = code;
	memcpy(k.b + 28, quoted->b, quote);
	fill_sums(k.b, k.len);
	return k;
}

static enum nat_verdict out(struct nat_guest *g, struct pkt *k, uint64_t now)
{
	size_t c = k->len < NAT_HDR_MAX ? k->len : NAT_HDR_MAX;

	return nat_outbound(n, g, k->b, c, k->len, now, &res);
}

static enum nat_verdict in(struct pkt *k, uint64_t now)
{
	size_t c = k->len < NAT_HDR_MAX ? k->len : NAT_HDR_MAX;

	return nat_inbound(n, k->b, c, k->len, now, &res);
}

static uint16_t sport(const struct pkt *k)
{
	return r16(k->b + 20);
}

static uint16_t dport(const struct pkt *k)
{
	return r16(k->b + 22);
}

/* ---- checksum helpers ---- */

TEST(nat_rfc1624_incremental_update_matches_recomputation)
{
	uint8_t buf[64];

	srand(7);
	for (int round = 0; round < 2000; round++) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (uint8_t)rand();
		w16(buf + 10, 0);
		uint16_t sum = nat_csum(buf, sizeof(buf), 0);
		size_t at = (size_t)(rand() % 32) * 2;

		if (at == 10)
			continue;
		uint16_t old = r16(buf + at), nw = (uint16_t)rand();

		w16(buf + at, nw);
		w16(buf + 10, nat_csum_update16(sum, old, nw));
		ASSERT_EQ(nat_csum(buf, sizeof(buf), 0), 0);
	}
}

/* ---- NAT-1 ---- */

TEST(nat_1_inside_addresses_are_static_per_guest)
{
	struct pkt a, b;

	setup();
	a = udp(G1, 5000, R1, 53, 20);
	b = udp(G2, 5001, R1, 53, 20);
	ASSERT_EQ(out(&g1, &a, 0), NAT_FORWARD);
	ASSERT_EQ(out(&g2, &b, 0), NAT_FORWARD);
	/* Replies reach each guest at its own configured address. */
	struct pkt ra = udp(R1, 53, UPLINK, sport(&a), 20), rb = udp(R1, 53, UPLINK, sport(&b), 20);

	ASSERT_EQ(in(&ra, 1), NAT_FORWARD);
	EXPECT(res.to == &g1);
	EXPECT_EQ(res.to_ip, G1);
	EXPECT_EQ(r32(ra.b + 16), G1);
	ASSERT_EQ(in(&rb, 1), NAT_FORWARD);
	EXPECT(res.to == &g2);
	EXPECT_EQ(r32(rb.b + 16), G2);
	/* Traffic to the inside gateway is net-dom's own business. */
	struct pkt gw = echo(8, G1, GW_IN, 1, 1);

	EXPECT_EQ(out(&g1, &gw, 0), NAT_LOCAL);
}

/* ---- NAT-2 ---- */

TEST(nat_2_outbound_udp_tcp_rewritten_with_checksums)
{
	struct pkt u, t, big, z;

	setup();
	u = udp(G1, 40000, R1, 53, 33);
	ASSERT_EQ(out(&g1, &u, 0), NAT_FORWARD);
	EXPECT(res.to == NULL); /* to the uplink */
	EXPECT_EQ(r32(u.b + 12), UPLINK);
	EXPECT_EQ(r32(u.b + 16), R1);
	EXPECT_EQ(dport(&u), 53);
	EXPECT(sums_ok(u.b, u.len));

	t = tcp(G1, 40001, R1, 443, 0x02, 0);
	ASSERT_EQ(out(&g1, &t, 0), NAT_FORWARD);
	EXPECT_EQ(r32(t.b + 12), UPLINK);
	EXPECT(sums_ok(t.b, t.len));

	/* A full-size segment: nat saw NAT_HDR_MAX bytes, the sum holds. */
	big = tcp(G1, 40001, R1, 443, 0x10, 1460);
	ASSERT_EQ(out(&g1, &big, 1), NAT_FORWARD);
	EXPECT(sums_ok(big.b, big.len));
	EXPECT_EQ(sport(&big), sport(&t));

	/* UDP without a checksum stays without one. */
	z = udp(G1, 40002, R1, 9, 10);
	w16(z.b + 26, 0xdead);
	fill_sums(z.b, z.len);
	ASSERT_EQ(r16(z.b + 26), 0);
	ASSERT_EQ(out(&g1, &z, 0), NAT_FORWARD);
	EXPECT_EQ(r16(z.b + 26), 0);
	EXPECT_EQ(nat_csum(z.b, 20, 0), 0);

	/* Inbound the other way round, checksums again. */
	struct pkt r = udp(R1, 53, UPLINK, sport(&u), 100);

	ASSERT_EQ(in(&r, 1), NAT_FORWARD);
	EXPECT_EQ(r32(r.b + 16), G1);
	EXPECT_EQ(dport(&r), 40000);
	EXPECT(sums_ok(r.b, r.len));
}

/* ---- NAT-3 ---- */

TEST(nat_3_endpoint_independent_mapping)
{
	uint16_t ext = 0;
	const uint32_t dst[3] = { R1, R2, 0x08080808u };

	setup();
	for (int i = 0; i < 3; i++) {
		struct pkt u = udp(G1, 6000, dst[i], (uint16_t)(1000 + i), 8);

		ASSERT_EQ(out(&g1, &u, (uint64_t)i), NAT_FORWARD);
		if (i == 0)
			ext = sport(&u);
		EXPECT_EQ(sport(&u), ext);
	}
	for (int i = 0; i < 3; i++) {
		struct pkt r = udp(dst[i], (uint16_t)(1000 + i), UPLINK, ext, 8);

		EXPECT_EQ(in(&r, 5), NAT_FORWARD);
	}
	EXPECT_EQ(n->count, 1);
}

/* ---- NAT-4 ---- */

TEST(nat_4_no_overloading_port_preserved_range_kept)
{
	struct pkt a, b, c, d, e;

	setup();
	a = udp(G1, 7000, R1, 53, 8);
	b = udp(G2, 7000, R1, 53, 8);
	ASSERT_EQ(out(&g1, &a, 0), NAT_FORWARD);
	ASSERT_EQ(out(&g2, &b, 0), NAT_FORWARD);
	EXPECT_EQ(sport(&a), 7000); /* preserved when free */
	EXPECT(sport(&b) != sport(&a));
	EXPECT(sport(&b) >= 1024);
	/* A low port stays low. */
	c = tcp(G1, 80, R1, 80, 0x02, 0);
	d = tcp(G2, 80, R1, 80, 0x02, 0);
	ASSERT_EQ(out(&g1, &c, 0), NAT_FORWARD);
	ASSERT_EQ(out(&g2, &d, 0), NAT_FORWARD);
	EXPECT_EQ(sport(&c), 80);
	EXPECT(sport(&d) != 80 && sport(&d) >= 1 && sport(&d) < 1024);
	/* Per protocol: the same number in TCP and UDP is no overloading. */
	e = tcp(G1, 7000, R1, 53, 0x02, 0);
	ASSERT_EQ(out(&g1, &e, 0), NAT_FORWARD);
	EXPECT_EQ(sport(&e), 7000);
	/* A forwarded external port is never handed out. */
	struct nat_forward f = { NAT_PROTO_UDP, 9000, G2, 9000, &g2 };

	ASSERT(nat_add_forward(n, &f));
	struct pkt x = udp(G1, 9000, R1, 53, 8);

	ASSERT_EQ(out(&g1, &x, 0), NAT_FORWARD);
	EXPECT(sport(&x) != 9000);
	/* Every mapping got its own ext port. */
	for (uint32_t i = 0; i < NAT_MAPPINGS; i++)
		for (uint32_t j = i + 1; j < NAT_MAPPINGS; j++)
			if (n->map[i].proto && n->map[i].proto == n->map[j].proto)
				EXPECT(n->map[i].ext_port != n->map[j].ext_port);
}

/* ---- NAT-5 ---- */

TEST(nat_5_icmp_echo_id_translated_query_lives_60s)
{
	struct pkt a, b, r;

	setup();
	a = echo(8, G1, R1, 0x4242, 1);
	b = echo(8, G2, R1, 0x4242, 1);
	ASSERT_EQ(out(&g1, &a, 0), NAT_FORWARD);
	ASSERT_EQ(out(&g2, &b, 0), NAT_FORWARD);
	EXPECT(sums_ok(a.b, a.len));
	EXPECT(sums_ok(b.b, b.len));
	uint16_t ida = r16(a.b + 24), idb = r16(b.b + 24);

	EXPECT(ida != idb);
	r = echo(0, R1, UPLINK, idb, 1);
	ASSERT_EQ(in(&r, 59 * S), NAT_FORWARD); /* still there after 59 s */
	EXPECT(res.to == &g2);
	EXPECT_EQ(r16(r.b + 24), 0x4242);
	EXPECT_EQ(r32(r.b + 16), G2);
	EXPECT(sums_ok(r.b, r.len));
	EXPECT(NAT_DEFAULT_ICMP_MS >= 60 * S);
	r = echo(0, R1, UPLINK, ida, 2);
	EXPECT_EQ(in(&r, 61 * S), NAT_DROP); /* gone after 60 s idle */
	EXPECT_EQ(res.reason, NAT_R_NO_MAPPING);
	/* An echo request to the uplink address is net-dom's to answer. */
	r = echo(8, R1, UPLINK, 1, 1);
	EXPECT_EQ(in(&r, 0), NAT_LOCAL);
}

/* ---- NAT-6 ---- */

TEST(nat_6_address_dependent_filtering_by_default)
{
	struct pkt a, r;

	setup();
	EXPECT_EQ(n->cfg.filter, NAT_FILTER_ADDRESS);
	a = udp(G1, 5353, R1, 53, 8);
	ASSERT_EQ(out(&g1, &a, 0), NAT_FORWARD);
	r = udp(R2, 53, UPLINK, sport(&a), 8); /* another address */
	EXPECT_EQ(in(&r, 1), NAT_DROP);
	EXPECT_EQ(res.reason, NAT_R_NO_MAPPING);
	r = udp(R1, 5555, UPLINK, sport(&a), 8); /* same address, other port */
	EXPECT_EQ(in(&r, 1), NAT_FORWARD);
	/* Unsolicited: no mapping, no forward. */
	r = udp(R1, 53, UPLINK, 1234, 8);
	EXPECT_EQ(in(&r, 1), NAT_DROP);
	EXPECT_EQ(res.reason, NAT_R_NO_MAPPING);
	/* An unsolicited SYN is dropped without any answer (5382 REQ-4). */
	r = tcp(R1, 4444, UPLINK, 2222, 0x02, 0);
	EXPECT_EQ(in(&r, 1), NAT_DROP);
	EXPECT_EQ(res.reply_len, 0);
}

TEST(nat_6_endpoint_independent_filtering_selectable)
{
	struct nat_config c = { 0 };
	struct pkt a, r;

	c.filter = NAT_FILTER_ENDPOINT;
	setup_cfg(&c);
	a = udp(G1, 5353, R1, 53, 8);
	ASSERT_EQ(out(&g1, &a, 0), NAT_FORWARD);
	r = udp(R2, 53, UPLINK, sport(&a), 8);
	EXPECT_EQ(in(&r, 1), NAT_FORWARD);
	EXPECT(res.to == &g1);
	r = udp(R2, 53, UPLINK, 1234, 8); /* still no mapping: dropped */
	EXPECT_EQ(in(&r, 1), NAT_DROP);
}

/* ---- NAT-7 ---- */

TEST(nat_7_default_timeouts_meet_the_rfc_minima)
{
	setup();
	EXPECT(n->cfg.udp_ms >= 120 * S);
	EXPECT_EQ(n->cfg.udp_ms, 300 * S);
	EXPECT(n->cfg.tcp_est_ms >= 7440 * S);
	EXPECT(n->cfg.tcp_trans_ms >= 240 * S);
	EXPECT(n->cfg.icmp_ms >= 60 * S);
}

TEST(nat_7_short_timeouts_expire_and_outbound_refreshes)
{
	struct nat_config c = { 0 };
	struct pkt a, r;
	uint16_t ext;

	c.udp_ms = 10 * S;
	setup_cfg(&c);
	a = udp(G1, 1111, R1, 53, 8);
	ASSERT_EQ(out(&g1, &a, 0), NAT_FORWARD);
	ext = sport(&a);
	a = udp(G1, 1111, R1, 53, 8);
	ASSERT_EQ(out(&g1, &a, 8 * S), NAT_FORWARD); /* refresh */
	r = udp(R1, 53, UPLINK, ext, 8);
	EXPECT_EQ(in(&r, 17 * S), NAT_FORWARD); /* alive: 8 + 10 > 17 */
	r = udp(R1, 53, UPLINK, ext, 8);
	EXPECT_EQ(in(&r, 19 * S), NAT_DROP);   /* inbound did not refresh: gone */
	EXPECT_EQ(n->count, 0);
	EXPECT_EQ(g1.used, 0);
}

TEST(nat_7_inbound_refresh_follows_the_policy)
{
	struct nat_config c = { 0 };
	struct pkt a, r;
	uint16_t ext;

	c.udp_ms = 10 * S;
	c.inbound_refresh = true;
	setup_cfg(&c);
	a = udp(G1, 1111, R1, 53, 8);
	ASSERT_EQ(out(&g1, &a, 0), NAT_FORWARD);
	ext = sport(&a);
	for (uint64_t t = 5; t <= 40; t += 5) {
		r = udp(R1, 53, UPLINK, ext, 8);
		EXPECT_EQ(in(&r, t * S), NAT_FORWARD);
	}
	EXPECT_EQ(nat_expire(n, 49 * S), 0);
	EXPECT_EQ(nat_expire(n, 51 * S), 1);
}

/* ---- NAT-8 ---- */

static uint16_t tcp_open(uint16_t port, uint64_t now)
{
	struct pkt s = tcp(G1, port, R1, 80, 0x02, 0), sa, a;

	if (out(&g1, &s, now) != NAT_FORWARD)
		return 0;
	sa = tcp(R1, 80, UPLINK, sport(&s), 0x12, 0);
	if (in(&sa, now) != NAT_FORWARD)
		return 0;
	a = tcp(G1, port, R1, 80, 0x10, 0);
	if (out(&g1, &a, now) != NAT_FORWARD)
		return 0;
	return sport(&s);
}

TEST(nat_8_tcp_established_outlives_transitory)
{
	struct nat_config c = { 0 };
	struct pkt s, r;
	uint16_t ext;

	c.tcp_trans_ms = 4 * S;
	c.tcp_est_ms = 100 * S;
	setup_cfg(&c);
	/* SYN only: transitory. */
	s = tcp(G1, 3000, R1, 80, 0x02, 0);
	ASSERT_EQ(out(&g1, &s, 0), NAT_FORWARD);
	EXPECT_EQ(nat_expire(n, 5 * S), 1);
	/* Handshake done: established. */
	ext = tcp_open(3001, 10 * S);
	ASSERT(ext != 0);
	EXPECT_EQ(nat_expire(n, 50 * S), 0);
	r = tcp(R1, 80, UPLINK, ext, 0x10, 10);
	EXPECT_EQ(in(&r, 50 * S), NAT_FORWARD);
	/* FIN both ways: transitory again. */
	s = tcp(G1, 3001, R1, 80, 0x11, 0);
	ASSERT_EQ(out(&g1, &s, 60 * S), NAT_FORWARD);
	r = tcp(R1, 80, UPLINK, ext, 0x11, 0);
	ASSERT_EQ(in(&r, 60 * S), NAT_FORWARD);
	EXPECT_EQ(nat_expire(n, 63 * S), 0);
	EXPECT_EQ(nat_expire(n, 65 * S), 1);
}

TEST(nat_8_tcp_rst_makes_it_transitory)
{
	struct nat_config c = { 0 };
	struct pkt r;
	uint16_t ext;

	c.tcp_trans_ms = 4 * S;
	setup_cfg(&c);
	ext = tcp_open(3002, 0);
	ASSERT(ext != 0);
	r = tcp(R1, 80, UPLINK, ext, 0x04, 0);
	ASSERT_EQ(in(&r, 1 * S), NAT_FORWARD);
	EXPECT_EQ(nat_expire(n, 4 * S), 0);
	EXPECT_EQ(nat_expire(n, 6 * S), 1);
}

TEST(nat_8_tcp_simultaneous_open)
{
	struct nat_config c = { 0 };
	struct pkt s, r;

	c.tcp_trans_ms = 4 * S;
	setup_cfg(&c);
	s = tcp(G1, 3003, R1, 5000, 0x02, 0);
	ASSERT_EQ(out(&g1, &s, 0), NAT_FORWARD);
	r = tcp(R1, 5000, UPLINK, sport(&s), 0x02, 0); /* their SYN crosses ours */
	ASSERT_EQ(in(&r, 0), NAT_FORWARD);
	EXPECT(res.to == &g1);
	s = tcp(G1, 3003, R1, 5000, 0x12, 0);
	ASSERT_EQ(out(&g1, &s, 0), NAT_FORWARD);
	r = tcp(R1, 5000, UPLINK, sport(&s), 0x12, 0);
	ASSERT_EQ(in(&r, 0), NAT_FORWARD);
	EXPECT_EQ(nat_expire(n, 10 * S), 0); /* established: not transitory */
}

/* ---- NAT-9 ---- */

static void check_embedded(const struct pkt *e, uint32_t inner_src, uint16_t inner_sport,
			   bool whole_quote)
{
	const uint8_t *q = e->b + 28;

	EXPECT(sums_ok(e->b, e->len)); /* outer IP and ICMP over everything */
	EXPECT_EQ(nat_csum(q, 20, 0), 0); /* embedded IP header */
	EXPECT_EQ(r32(q + 12), inner_src);
	EXPECT_EQ(r16(q + 20), inner_sport);
	if (whole_quote)
		EXPECT(sums_ok(q, e->len - 28)); /* embedded L4 with its pseudo-header */
}

TEST(nat_9_icmp_errors_translated_with_embedded_headers)
{
	struct pkt u, t, e;

	setup();
	u = udp(G1, 4000, R1, 53, 12);
	ASSERT_EQ(out(&g1, &u, 0), NAT_FORWARD);
	/* Port unreachable quoting the whole datagram. */
	e = icmp_error(3, 3, R1, UPLINK, &u, u.len);
	ASSERT_EQ(in(&e, 1), NAT_FORWARD);
	EXPECT(res.to == &g1);
	EXPECT_EQ(r32(e.b + 16), G1);
	check_embedded(&e, G1, 4000, true);

	/* Time exceeded from a router on the way, quoting header + 8 bytes of
	 * a TCP segment. */
	t = tcp(G1, 4001, R1, 80, 0x02, 0);
	ASSERT_EQ(out(&g1, &t, 0), NAT_FORWARD);
	e = icmp_error(11, 0, 0xc0a80001u, UPLINK, &t, 28);
	ASSERT_EQ(in(&e, 1), NAT_FORWARD);
	EXPECT_EQ(r32(e.b + 16), G1);
	check_embedded(&e, G1, 4001, false);

	/* An echo's error. */
	struct pkt p = echo(8, G1, R1, 77, 1);

	ASSERT_EQ(out(&g1, &p, 0), NAT_FORWARD);
	e = icmp_error(3, 1, 0xc0a80001u, UPLINK, &p, p.len);
	ASSERT_EQ(in(&e, 1), NAT_FORWARD);
	EXPECT(sums_ok(e.b, e.len));
	EXPECT_EQ(r16(e.b + 28 + 24), 77);
	EXPECT(sums_ok(e.b + 28, p.len));
}

TEST(nat_9_icmp_error_without_mapping_dropped_and_never_refreshes)
{
	struct nat_config c = { 0 };
	struct pkt u, e, fake;

	c.udp_ms = 10 * S;
	setup_cfg(&c);
	fake = udp(UPLINK, 3333, R1, 53, 8);
	e = icmp_error(3, 3, R1, UPLINK, &fake, fake.len);
	EXPECT_EQ(in(&e, 0), NAT_DROP);
	EXPECT_EQ(res.reason, NAT_R_NO_MAPPING);

	u = udp(G1, 4000, R1, 53, 12);
	ASSERT_EQ(out(&g1, &u, 0), NAT_FORWARD);
	for (uint64_t t = 2; t <= 8; t += 2) {
		e = icmp_error(3, 3, R1, UPLINK, &u, u.len);
		ASSERT_EQ(in(&e, t * S), NAT_FORWARD);
	}
	EXPECT_EQ(n->count, 1); /* not deleted by an error */
	EXPECT_EQ(nat_expire(n, 11 * S), 1); /* and not refreshed either */
}

/* ---- NAT-10 ---- */

TEST(nat_10_quota_gives_icmp_3_13_and_isolates_guests)
{
	struct pkt u, r;
	uint16_t first;

	setup();
	nat_guest_init(n, &g1, 1, 3);
	nat_guest_init(n, &g2, 2, 3);
	u = udp(G1, 100 + 1024, R1, 53, 8);
	ASSERT_EQ(out(&g1, &u, 0), NAT_FORWARD);
	first = sport(&u);
	for (uint16_t p = 1; p < 3; p++) {
		u = udp(G1, (uint16_t)(1124 + p), R1, 53, 8);
		ASSERT_EQ(out(&g1, &u, 0), NAT_FORWARD);
	}
	u = udp(G1, 2000, R1, 53, 8);
	struct pkt orig = u;

	ASSERT_EQ(out(&g1, &u, 0), NAT_REPLY);
	EXPECT_EQ(res.reason, NAT_R_QUOTA);
	EXPECT_EQ(g1.refused, 1);
	/* The reply: ICMP 3/13 from the inside gateway to the guest, quoting
	 * the packet's header and 8 bytes. */
	ASSERT_EQ(res.reply_len, 20 + 8 + 28);
	EXPECT(sums_ok(res.reply, res.reply_len));
	EXPECT_EQ(r32(res.reply + 12), GW_IN);
	EXPECT_EQ(r32(res.reply + 16), G1);
	EXPECT_EQ(res.reply[20], 3);
	EXPECT_EQ(res.reply[21], 13);
	EXPECT(memcmp(res.reply + 28, orig.b, 28) == 0);
	/* The guest's existing flows go on. */
	r = udp(R1, 53, UPLINK, first, 8);
	EXPECT_EQ(in(&r, 1), NAT_FORWARD);
	u = udp(G1, 1124, R1, 53, 8);
	EXPECT_EQ(out(&g1, &u, 1), NAT_FORWARD);
	/* Another guest still opens flows up to its own quota. */
	for (uint16_t p = 0; p < 3; p++) {
		u = udp(G2, (uint16_t)(3000 + p), R1, 53, 8);
		EXPECT_EQ(out(&g2, &u, 1), NAT_FORWARD);
	}
	u = udp(G2, 3999, R1, 53, 8);
	EXPECT_EQ(out(&g2, &u, 1), NAT_REPLY);
}

/* Quotas are reserved in the one table: a guest below its quota finds room
 * whatever the others hold, and a registration beyond the table is refused. */
TEST(nat_10_quotas_reserved_so_a_guest_below_quota_finds_room)
{
	static struct nat_guest many[4], extra;
	struct pkt u, r;

	setup(); /* g1 and g2 at the default 128: 256 reserved */
	for (uint32_t k = 0; k < 4; k++)
		ASSERT(nat_guest_init(n, &many[k], 10 + k, 64));
	EXPECT_EQ(n->reserved, NAT_MAPPINGS);
	EXPECT(!nat_guest_init(n, &extra, 20, 1));
	EXPECT_EQ(n->reserved, NAT_MAPPINGS);
	/* Everyone else at quota ... */
	for (uint32_t i = 0; i < 4 * 64; i++) {
		u = udp(0x0a010000u + i / 64, (uint16_t)(20000 + i % 64), R1, 53, 8);
		ASSERT_EQ(out(&many[i / 64], &u, 0), NAT_FORWARD);
	}
	for (uint16_t i = 0; i < 128; i++) {
		u = udp(G2, (uint16_t)(30000 + i), R1, 53, 8);
		ASSERT_EQ(out(&g2, &u, 0), NAT_FORWARD);
	}
	u = udp(G2, 31000, R1, 53, 8);
	EXPECT_EQ(out(&g2, &u, 0), NAT_REPLY);
	/* ... and g1 still opens its whole quota, which fills the table. */
	for (uint16_t i = 0; i < 128; i++) {
		u = udp(G1, (uint16_t)(40000 + i), R1, 53, 8);
		ASSERT_EQ(out(&g1, &u, 1), NAT_FORWARD);
	}
	EXPECT_EQ(n->count, NAT_MAPPINGS);
	u = udp(G1, 41000, R1, 53, 8);
	EXPECT_EQ(out(&g1, &u, 1), NAT_REPLY);
	EXPECT_EQ(res.reason, NAT_R_QUOTA);
	/* Existing flows go on. */
	r = udp(R1, 53, UPLINK, 20000, 8);
	EXPECT_EQ(in(&r, 1), NAT_FORWARD);
	EXPECT(res.to == &many[0]);
}

/* ---- NAT-11 ---- */

TEST(nat_11_static_port_forward)
{
	struct nat_forward f = { NAT_PROTO_TCP, 8080, G2, 80, &g2 };
	struct pkt s, a;

	setup();
	ASSERT(nat_add_forward(n, &f));
	EXPECT(!nat_add_forward(n, &f)); /* the same external port twice */
	s = tcp(0x0a000202u, 51000, UPLINK, 8080, 0x02, 0);
	ASSERT_EQ(in(&s, 0), NAT_FORWARD);
	EXPECT(res.to == &g2);
	EXPECT_EQ(r32(s.b + 16), G2);
	EXPECT_EQ(dport(&s), 80);
	EXPECT(sums_ok(s.b, s.len));
	a = tcp(G2, 80, 0x0a000202u, 51000, 0x12, 300);
	ASSERT_EQ(out(&g2, &a, 0), NAT_FORWARD);
	EXPECT_EQ(r32(a.b + 12), UPLINK);
	EXPECT_EQ(sport(&a), 8080);
	EXPECT(sums_ok(a.b, a.len));
	EXPECT_EQ(g2.used, 0); /* a forward takes no dynamic mapping */
	/* UDP on that port is not forwarded. */
	struct pkt u = udp(R1, 1, UPLINK, 8080, 8);

	EXPECT_EQ(in(&u, 0), NAT_DROP);
}

/* ---- NAT-12 ---- */

TEST(nat_12_df_over_mtu_gives_frag_needed)
{
	struct nat_config c = { 0 };
	struct pkt t;

	c.uplink_mtu = 1400;
	setup_cfg(&c);
	t = tcp(G1, 5000, R1, 80, 0x10, 1420);
	t.b[6] = 0x40; /* DF */
	fill_sums(t.b, t.len);
	ASSERT_EQ(out(&g1, &t, 0), NAT_REPLY);
	EXPECT_EQ(res.reason, NAT_R_TOO_BIG);
	EXPECT(sums_ok(res.reply, res.reply_len));
	EXPECT_EQ(res.reply[20], 3);
	EXPECT_EQ(res.reply[21], 4);
	EXPECT_EQ(r16(res.reply + 26), 1400);
	EXPECT_EQ(r32(res.reply + 16), G1);
	EXPECT_EQ(n->count, 0); /* no mapping made for it */
	/* Without DF it is NAT's to pass (fragmenting is the caller's). */
	t = tcp(G1, 5000, R1, 80, 0x10, 1420);
	EXPECT_EQ(out(&g1, &t, 0), NAT_FORWARD);
	/* At the MTU with DF: fine. */
	t = tcp(G1, 5000, R1, 80, 0x10, 1360);
	t.b[6] = 0x40;
	fill_sums(t.b, t.len);
	EXPECT_EQ(out(&g1, &t, 0), NAT_FORWARD);
}

/* ---- NAT-13 ---- */

TEST(nat_13_hairpinning_through_a_forward_both_ways)
{
	struct nat_forward f = { NAT_PROTO_TCP, 8080, G2, 80, &g2 };
	struct pkt s, r;
	uint16_t ext1;

	setup();
	ASSERT(nat_add_forward(n, &f));
	s = tcp(G1, 40000, UPLINK, 8080, 0x02, 0);
	ASSERT_EQ(out(&g1, &s, 0), NAT_FORWARD);
	EXPECT(res.to == &g2); /* delivered inside, not to the uplink */
	EXPECT_EQ(res.to_ip, G2);
	EXPECT_EQ(r32(s.b + 12), UPLINK); /* the source as seen from outside */
	ext1 = sport(&s);
	EXPECT_EQ(ext1, 40000);
	EXPECT_EQ(r32(s.b + 16), G2);
	EXPECT_EQ(dport(&s), 80);
	EXPECT(sums_ok(s.b, s.len));
	/* The answer comes back the same way. */
	r = tcp(G2, 80, UPLINK, ext1, 0x12, 100);
	ASSERT_EQ(out(&g2, &r, 0), NAT_FORWARD);
	EXPECT(res.to == &g1);
	EXPECT_EQ(r32(r.b + 12), UPLINK);
	EXPECT_EQ(sport(&r), 8080);
	EXPECT_EQ(r32(r.b + 16), G1);
	EXPECT_EQ(dport(&r), 40000);
	EXPECT(sums_ok(r.b, r.len));
}

TEST(nat_13_hairpinning_between_mappings_follows_the_filter)
{
	struct pkt a, b;
	uint16_t e1, e2;

	setup();
	a = udp(G1, 5000, R1, 53, 8);
	ASSERT_EQ(out(&g1, &a, 0), NAT_FORWARD);
	e1 = sport(&a);
	/* G1 never sent to the uplink address: filtered (address-dependent). */
	b = udp(G2, 7000, UPLINK, e1, 20);
	EXPECT_EQ(out(&g2, &b, 0), NAT_DROP);
	EXPECT_EQ(res.reason, NAT_R_NO_MAPPING);
	e2 = 7000; /* G2's mapping was made, its port preserved */
	/* Once G1 has sent to G2's external endpoint, both ways pass. */
	a = udp(G1, 5000, UPLINK, e2, 20);
	ASSERT_EQ(out(&g1, &a, 1), NAT_FORWARD);
	EXPECT(res.to == &g2);
	EXPECT_EQ(r32(a.b + 12), UPLINK);
	EXPECT_EQ(sport(&a), e1);
	EXPECT_EQ(r32(a.b + 16), G2);
	EXPECT_EQ(dport(&a), 7000);
	EXPECT(sums_ok(a.b, a.len));
	b = udp(G2, 7000, UPLINK, e1, 20);
	ASSERT_EQ(out(&g2, &b, 2), NAT_FORWARD);
	EXPECT(res.to == &g1);
	EXPECT_EQ(sport(&b), e2);
	EXPECT_EQ(dport(&b), 5000);
	EXPECT(sums_ok(b.b, b.len));
	/* A port nobody holds is net-dom's, not hairpinned. */
	b = udp(G2, 7000, UPLINK, 1, 8);
	EXPECT_EQ(out(&g2, &b, 2), NAT_LOCAL);
}

TEST(nat_13_hairpinning_endpoint_independent)
{
	struct nat_config c = { 0 };
	struct pkt a, b;

	c.filter = NAT_FILTER_ENDPOINT;
	setup_cfg(&c);
	a = udp(G1, 5000, R1, 53, 8);
	ASSERT_EQ(out(&g1, &a, 0), NAT_FORWARD);
	b = udp(G2, 7000, UPLINK, sport(&a), 8);
	ASSERT_EQ(out(&g2, &b, 0), NAT_FORWARD);
	EXPECT(res.to == &g1);
	EXPECT(sums_ok(b.b, b.len));
}

/* ---- NAT-14 ---- */

/* Bytes [off, off + len) of a whole datagram's IPv4 payload as a fragment. */
static struct pkt frag(const struct pkt *whole, size_t off, size_t len, bool more)
{
	struct pkt k;

	memset(&k, 0, sizeof(k));
	memcpy(k.b, whole->b, 20);
	memcpy(k.b + 20, whole->b + 20 + off, len);
	k.len = 20 + len;
	w16(k.b + 2, (uint32_t)k.len);
	w16(k.b + 6, (more ? 0x2000u : 0) | (uint32_t)(off / 8));
	w16(k.b + 10, 0);
	w16(k.b + 10, nat_csum(k.b, 20, 0));
	return k;
}

/* The IPv4 payloads of fragments put back together behind the first's
 * header, as the receiver reassembles them. */
static struct pkt reassemble(struct pkt *fr, int nfr)
{
	struct pkt k;

	memset(&k, 0, sizeof(k));
	memcpy(k.b, fr[0].b, 20);
	k.len = 20;
	for (int i = 0; i < nfr; i++) {
		size_t off = (size_t)(r16(fr[i].b + 6) & 0x1fffu) * 8u;

		memcpy(k.b + 20 + off, fr[i].b + 20, fr[i].len - 20);
		if (20 + off + fr[i].len - 20 > k.len)
			k.len = 20 + off + fr[i].len - 20;
	}
	w16(k.b + 2, (uint32_t)k.len);
	w16(k.b + 6, 0);
	w16(k.b + 10, 0);
	w16(k.b + 10, nat_csum(k.b, 20, 0));
	return k;
}

TEST(nat_14_fragments_in_order_translated_both_ways)
{
	struct pkt whole = udp(G1, 4500, R1, 4500, 100), fr[3], other, back, bf[2], r;
	uint16_t id1;

	setup();
	fr[0] = frag(&whole, 0, 48, true);
	fr[1] = frag(&whole, 48, 40, true);
	fr[2] = frag(&whole, 88, 20, false);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(out(&g1, &fr[i], (uint64_t)i), NAT_FORWARD);
		EXPECT(res.to == NULL);
		EXPECT_EQ(r32(fr[i].b + 12), UPLINK);
		EXPECT_EQ(nat_csum(fr[i].b, 20, 0), 0);
	}
	id1 = r16(fr[0].b + 4);
	EXPECT_EQ(r16(fr[1].b + 4), id1);
	EXPECT_EQ(r16(fr[2].b + 4), id1);
	r = reassemble(fr, 3);
	EXPECT(sums_ok(r.b, r.len)); /* the UDP sum over the whole datagram */
	EXPECT_EQ(r16(r.b + 20), 4500);

	/* Another guest's datagram with the same identification to the same
	 * remote leaves with another one. */
	other = udp(G2, 4600, R1, 4500, 100);
	fr[0] = frag(&other, 0, 48, true);
	ASSERT_EQ(out(&g2, &fr[0], 5), NAT_FORWARD);
	EXPECT(r16(fr[0].b + 4) != id1);
	EXPECT_EQ(nat_csum(fr[0].b, 20, 0), 0);

	/* The reply, fragmented, reaches G1 whole. */
	back = udp(R1, 4500, UPLINK, 4500, 100);
	w16(back.b + 4, 0x7777);
	fill_sums(back.b, back.len);
	bf[0] = frag(&back, 0, 56, true);
	bf[1] = frag(&back, 56, 52, false);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(in(&bf[i], 6), NAT_FORWARD);
		EXPECT(res.to == &g1);
		EXPECT_EQ(r32(bf[i].b + 16), G1);
		EXPECT_EQ(nat_csum(bf[i].b, 20, 0), 0);
	}
	r = reassemble(bf, 2);
	EXPECT(sums_ok(r.b, r.len));
	/* A later fragment long after its datagram's record expired: dropped. */
	bf[1] = frag(&back, 56, 52, false);
	EXPECT_EQ(in(&bf[1], 6 + NAT_FRAG_MS + 1), NAT_DROP);
	EXPECT_EQ(res.reason, NAT_R_FRAGMENT);
}

TEST(nat_14_deviation_out_of_order_fragments_dropped)
{
	struct pkt whole = udp(G1, 6000, R1, 53, 100), f0, f1;

	setup();
	f0 = frag(&whole, 0, 48, true);
	f1 = frag(&whole, 48, 60, false);
	EXPECT_EQ(out(&g1, &f1, 0), NAT_DROP); /* before its first */
	EXPECT_EQ(res.reason, NAT_R_FRAGMENT);
	EXPECT_EQ(out(&g1, &f0, 0), NAT_FORWARD);
	/* Another guest cannot ride on G1's datagram. */
	f1 = frag(&whole, 48, 60, false);
	EXPECT_EQ(out(&g2, &f1, 0), NAT_DROP);
	f1 = udp(R1, 53, UPLINK, 6000, 100);
	w16(f1.b + 6, 0x2010);
	EXPECT_EQ(in(&f1, 0), NAT_DROP);
	EXPECT_EQ(res.reason, NAT_R_FRAGMENT);
}

/* A guest holds at most its share of the fragment records (NAT_FRAGS over
 * the guests): its own datagrams evict its own oldest record, never another
 * guest's. */
TEST(nat_14_fragment_records_shared_per_guest)
{
	struct pkt whole = udp(G1, 4500, R1, 4500, 100), w2 = udp(G2, 4700, R1, 4500, 100), f;

	setup();
	w16(w2.b + 4, 0x4242);
	f = frag(&w2, 0, 48, true);
	ASSERT_EQ(out(&g2, &f, 0), NAT_FORWARD);
	/* g1 starts three times the table's worth of datagrams. */
	for (uint16_t id = 1; id <= 3 * NAT_FRAGS; id++) {
		w16(whole.b + 4, id);
		f = frag(&whole, 0, 48, true);
		ASSERT_EQ(out(&g1, &f, id), NAT_FORWARD);
	}
	/* g2's datagram still has its record: its next fragment goes out. */
	f = frag(&w2, 48, 60, false);
	EXPECT_EQ(out(&g2, &f, 200), NAT_FORWARD);
	EXPECT_EQ(r32(f.b + 12), UPLINK);
	/* g1 kept its latest NAT_FRAGS / 2 datagrams, the older ones gave way. */
	w16(whole.b + 4, 3 * NAT_FRAGS);
	f = frag(&whole, 48, 60, false);
	EXPECT_EQ(out(&g1, &f, 200), NAT_FORWARD);
	w16(whole.b + 4, 3 * NAT_FRAGS - NAT_FRAGS / 2 + 1);
	f = frag(&whole, 48, 60, false);
	EXPECT_EQ(out(&g1, &f, 200), NAT_FORWARD);
	w16(whole.b + 4, 3 * NAT_FRAGS - NAT_FRAGS / 2);
	f = frag(&whole, 48, 60, false);
	EXPECT_EQ(out(&g1, &f, 200), NAT_DROP);
	EXPECT_EQ(res.reason, NAT_R_FRAGMENT);
}

/* ---- robustness ---- */

TEST(nat_malformed_headers_are_dropped_as_len)
{
	struct pkt u;

	setup();
	u = udp(G1, 1, R1, 2, 8);
	EXPECT_EQ(nat_outbound(n, &g1, u.b, 19, u.len, 0, &res), NAT_DROP);
	EXPECT_EQ(res.reason, NAT_R_LEN);
	u.b[0] = 0x4f; /* 60-byte header in a 36-byte packet */
	EXPECT_EQ(out(&g1, &u, 0), NAT_DROP);
	u = udp(G1, 1, R1, 2, 8);
	w16(u.b + 2, 2000); /* total length beyond the frame */
	EXPECT_EQ(out(&g1, &u, 0), NAT_DROP);
	u = udp(G1, 1, R1, 2, 8);
	u.b[0] = 0x65; /* version 6 */
	EXPECT_EQ(out(&g1, &u, 0), NAT_DROP);
	u = tcp(G1, 1, R1, 2, 0x02, 0);
	EXPECT_EQ(nat_outbound(n, &g1, u.b, 30, 30, 0, &res), NAT_DROP); /* TCP cut short */
	EXPECT_EQ(res.reason, NAT_R_LEN);
	u = udp(G1, 1, R1, 2, 8);
	u.b[9] = 47; /* GRE */
	EXPECT_EQ(out(&g1, &u, 0), NAT_DROP);
	EXPECT_EQ(res.reason, NAT_R_PROTO);
	/* An ICMP error quoting less than a header and 8 bytes. */
	struct pkt x = udp(UPLINK, 1, R1, 2, 8), e = icmp_error(3, 3, R1, UPLINK, &x, 24);

	EXPECT_EQ(in(&e, 0), NAT_DROP);
	EXPECT_EQ(n->count, 0);
	EXPECT_STREQ(nat_reason_name(NAT_R_QUOTA), "nat-quota");
	EXPECT_STREQ(nat_reason_name(NAT_R_NO_MAPPING), "no-mapping");
}

TEST(nat_flush_guest_forgets_its_mappings_only)
{
	struct pkt a, b, r;

	setup();
	a = udp(G1, 1000 + 1024, R1, 53, 8);
	b = udp(G2, 2000 + 1024, R1, 53, 8);
	ASSERT_EQ(out(&g1, &a, 0), NAT_FORWARD);
	ASSERT_EQ(out(&g2, &b, 0), NAT_FORWARD);
	nat_flush_guest(n, &g1);
	EXPECT_EQ(g1.used, 0);
	EXPECT_EQ(n->count, 1);
	r = udp(R1, 53, UPLINK, sport(&a), 8);
	EXPECT_EQ(in(&r, 1), NAT_DROP);
	r = udp(R1, 53, UPLINK, sport(&b), 8);
	EXPECT_EQ(in(&r, 1), NAT_FORWARD);
	nat_reset(n);
	EXPECT_EQ(n->count, 0);
	EXPECT_EQ(g2.used, 0);
}

int main(int argc, char **argv)
{
	int r = harness_main(argc, argv);

	free(n);
	return r;
}
