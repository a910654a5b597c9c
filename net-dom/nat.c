/* SPDX-License-Identifier: MIT */
/* NAPT on the uplink address (nat.h, docs/net-nat.md). */
#include "nat.h"

#include <cloison/std/string.h>

/* IPv4 (RFC 791) and the L4 headers, by offset. */
#define IP_VHL 0
#define IP_LEN 2
#define IP_ID 4
#define IP_FRAG 6
#define IP_TTL 8
#define IP_PROTO 9
#define IP_SUM 10
#define IP_SRC 12
#define IP_DST 16
#define IP_DF 0x4000u
#define IP_MF 0x2000u
#define IP_OFFMASK 0x1fffu

#define PROTO_ICMP 1u
#define TCP_SUM 16
#define TCP_FLAGS 13
#define UDP_SUM 6
#define ICMP_SUM 2
#define ICMP_ID 4

#define TCP_FIN 0x01u
#define TCP_SYN 0x02u
#define TCP_RST 0x04u

#define ICMP_ECHO_REPLY 0u
#define ICMP_UNREACH 3u
#define ICMP_SOURCE_QUENCH 4u
#define ICMP_ECHO 8u
#define ICMP_TIME_EXCEEDED 11u
#define ICMP_PARAM_PROBLEM 12u
#define UNREACH_NEEDFRAG 4u
#define UNREACH_ADMIN 13u

/* Per-peer TCP state (nat_peer.tcp). */
#define T_SYN_OUT 0x01u
#define T_SYN_IN 0x02u
#define T_FIN_OUT 0x04u
#define T_FIN_IN 0x08u
#define T_RST 0x10u

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

uint16_t nat_csum(const uint8_t *p, size_t len, uint32_t sum)
{
	uint64_t s = sum;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += rd16(p + i);
	if (len & 1u)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffffu) + (s >> 16);
	return (uint16_t)~s;
}

/* RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m'). */
uint16_t nat_csum_update16(uint16_t csum, uint16_t old, uint16_t new_)
{
	uint32_t s = (uint32_t)(uint16_t)~csum + (uint16_t)~old + new_;

	s = (s & 0xffffu) + (s >> 16);
	s = (s & 0xffffu) + (s >> 16);
	return (uint16_t)~s;
}

uint16_t nat_csum_update32(uint16_t csum, uint32_t old, uint32_t new_)
{
	csum = nat_csum_update16(csum, (uint16_t)(old >> 16), (uint16_t)(new_ >> 16));
	return nat_csum_update16(csum, (uint16_t)old, (uint16_t)new_);
}

/*
 * Rewriting fields under checksums. A change of a 16-bit word is folded
 * into every checksum that covers it (RFC 1624); a checksum field is
 * itself a word that an outer checksum may cover (the embedded L4 checksum
 * inside an ICMP error), so its change is folded into that one in turn. A
 * UDP checksum of 0 means "none" and stays 0 (RFC 768); a computed 0 goes
 * out as 0xffff.
 */
struct sum {
	uint8_t *at;
	bool udp;
	const struct sum *outer; /* the checksum covering this field, or NULL */
};

static void fold(const struct sum *s, uint16_t old, uint16_t v)
{
	uint16_t cs = rd16(s->at), ns;

	if (s->udp && cs == 0)
		return;
	ns = nat_csum_update16(cs, old, v);
	if (s->udp && ns == 0)
		ns = 0xffffu;
	wr16(s->at, ns);
	if (s->outer)
		fold(s->outer, cs, ns);
}

/* Write v at w; sums: the checksums covering w (NULL entries skipped). */
static void put16(uint8_t *w, uint16_t v, const struct sum *a, const struct sum *b,
		  const struct sum *c)
{
	uint16_t old = rd16(w);

	if (old == v)
		return;
	wr16(w, v);
	if (a)
		fold(a, old, v);
	if (b)
		fold(b, old, v);
	if (c)
		fold(c, old, v);
}

static void put32(uint8_t *w, uint32_t v, const struct sum *a, const struct sum *b,
		  const struct sum *c)
{
	put16(w, (uint16_t)(v >> 16), a, b, c);
	put16(w + 2, (uint16_t)v, a, b, c);
}

/* ---- configuration ---- */

bool nat_init(struct nat *n, const struct nat_config *cfg)
{
	memset(n, 0, sizeof(*n));
	if (!cfg || cfg->uplink_ip == 0)
		return false;
	n->cfg = *cfg;
	if (!n->cfg.uplink_mtu)
		n->cfg.uplink_mtu = 1500;
	if (!n->cfg.udp_ms)
		n->cfg.udp_ms = NAT_DEFAULT_UDP_MS;
	if (!n->cfg.tcp_est_ms)
		n->cfg.tcp_est_ms = NAT_DEFAULT_TCP_EST_MS;
	if (!n->cfg.tcp_trans_ms)
		n->cfg.tcp_trans_ms = NAT_DEFAULT_TCP_TRANS_MS;
	if (!n->cfg.icmp_ms)
		n->cfg.icmp_ms = NAT_DEFAULT_ICMP_MS;
	if (!n->cfg.default_quota)
		n->cfg.default_quota = NAT_DEFAULT_QUOTA;
	return true;
}

bool nat_guest_init(struct nat *n, struct nat_guest *g, unsigned port, uint32_t quota)
{
	uint32_t q = quota ? quota : n->cfg.default_quota;

	if (q > NAT_MAPPINGS - n->reserved)
		return false;
	n->reserved += q;
	n->guests++;
	memset(g, 0, sizeof(*g));
	g->port = port;
	g->quota = q;
	return true;
}

static const struct nat_forward *forward_by_ext(const struct nat *n, uint8_t proto, uint16_t port)
{
	for (uint32_t i = 0; i < n->forwards; i++)
		if (n->fwd[i].proto == proto && n->fwd[i].ext_port == port)
			return &n->fwd[i];
	return NULL;
}

static const struct nat_forward *forward_by_inside(const struct nat *n, uint8_t proto,
						   uint32_t ip, uint16_t port)
{
	for (uint32_t i = 0; i < n->forwards; i++)
		if (n->fwd[i].proto == proto && n->fwd[i].inside_ip == ip &&
		    n->fwd[i].inside_port == port)
			return &n->fwd[i];
	return NULL;
}

/* ---- the mapping table ---- */

static uint32_t hash_in(uint8_t proto, uint32_t ip, uint16_t port)
{
	uint32_t h = (ip ^ (uint32_t)port << 16 ^ proto) * 0x9e3779b1u;

	return h >> 24; /* NAT_HASH = 256 */
}

static uint32_t hash_ext(uint8_t proto, uint16_t port)
{
	return ((uint32_t)port * 0x9e3779b1u ^ proto) >> 24;
}

_Static_assert(NAT_HASH == 256u, "the hashes give 8 bits");
_Static_assert(NAT_MAPPINGS < 0xffffu, "chains hold index + 1 in 16 bits");

static struct nat_mapping *at(struct nat *n, uint16_t link)
{
	return link ? &n->map[link - 1u] : NULL;
}

static uint64_t timeout(const struct nat *n, uint8_t proto, uint8_t tcp)
{
	if (proto == NAT_PROTO_UDP)
		return n->cfg.udp_ms;
	if (proto == PROTO_ICMP)
		return n->cfg.icmp_ms;
	if ((tcp & (T_SYN_OUT | T_SYN_IN)) == (T_SYN_OUT | T_SYN_IN) &&
	    !(tcp & (T_FIN_OUT | T_FIN_IN | T_RST)))
		return n->cfg.tcp_est_ms;
	return n->cfg.tcp_trans_ms;
}

static bool peer_live(const struct nat_peer *p, uint64_t now)
{
	return p->ip != 0 && p->expires > now;
}

static bool map_live(const struct nat_mapping *m, uint64_t now)
{
	for (uint32_t i = 0; i < NAT_PEERS; i++)
		if (peer_live(&m->peer[i], now))
			return true;
	return false;
}

static void unlink_chain(struct nat *n, uint16_t *head, uint16_t link, bool ext)
{
	uint16_t *pp = head;

	while (*pp) {
		struct nat_mapping *e = at(n, *pp);

		if (*pp == link) {
			*pp = ext ? e->next_ext : e->next_in;
			return;
		}
		pp = ext ? &e->next_ext : &e->next_in;
	}
}

static void map_free(struct nat *n, struct nat_mapping *m)
{
	uint16_t link = (uint16_t)(m - n->map + 1);

	unlink_chain(n, &n->head_in[hash_in(m->proto, m->in_ip, m->in_port)], link, false);
	unlink_chain(n, &n->head_ext[hash_ext(m->proto, m->ext_port)], link, true);
	if (m->guest && m->guest->used)
		m->guest->used--;
	memset(m, 0, sizeof(*m));
	n->count--;
}

/* Lookups free what they find expired. */
static struct nat_mapping *live(struct nat *n, struct nat_mapping *m, uint64_t now)
{
	if (m && !map_live(m, now)) {
		n->expired++;
		map_free(n, m);
		return NULL;
	}
	return m;
}

static struct nat_mapping *find_in(struct nat *n, uint8_t proto, uint32_t ip, uint16_t port,
				   uint64_t now)
{
	struct nat_mapping *m;

	for (m = at(n, n->head_in[hash_in(proto, ip, port)]); m; m = at(n, m->next_in))
		if (m->proto == proto && m->in_ip == ip && m->in_port == port)
			break;
	return live(n, m, now);
}

static struct nat_mapping *find_ext(struct nat *n, uint8_t proto, uint16_t port, uint64_t now)
{
	struct nat_mapping *m;

	for (m = at(n, n->head_ext[hash_ext(proto, port)]); m; m = at(n, m->next_ext))
		if (m->proto == proto && m->ext_port == port)
			break;
	return live(n, m, now);
}

uint32_t nat_expire(struct nat *n, uint64_t now)
{
	uint32_t freed = 0;

	for (uint32_t i = 0; i < NAT_MAPPINGS; i++)
		if (n->map[i].proto && !map_live(&n->map[i], now)) {
			map_free(n, &n->map[i]);
			freed++;
		}
	n->expired += freed;
	return freed;
}

void nat_flush_guest(struct nat *n, struct nat_guest *g)
{
	for (uint32_t i = 0; i < NAT_MAPPINGS; i++)
		if (n->map[i].proto && n->map[i].guest == g)
			map_free(n, &n->map[i]);
	for (uint32_t i = 0; i < NAT_FRAGS; i++)
		if (n->frag[i].guest == g)
			memset(&n->frag[i], 0, sizeof(n->frag[i]));
	g->used = 0;
}

void nat_reset(struct nat *n)
{
	for (uint32_t i = 0; i < NAT_MAPPINGS; i++)
		if (n->map[i].proto)
			map_free(n, &n->map[i]);
	memset(n->frag, 0, sizeof(n->frag));
	n->expired = 0;
}

bool nat_add_forward(struct nat *n, const struct nat_forward *f)
{
	if (n->forwards >= NAT_FORWARDS || !f->guest || !f->ext_port || !f->inside_port ||
	    !f->inside_ip || (f->proto != NAT_PROTO_TCP && f->proto != NAT_PROTO_UDP) ||
	    forward_by_ext(n, f->proto, f->ext_port) ||
	    forward_by_inside(n, f->proto, f->inside_ip, f->inside_port))
		return false;
	n->fwd[n->forwards++] = *f;
	return true;
}

/* NAT-4: the inside port if free, else the next free one in its range
 * (1-1023 or 1024-65535; ICMP identifiers: 0-65535). At most
 * NAT_MAPPINGS + NAT_FORWARDS ports are taken, so the search ends. */
static bool port_free(struct nat *n, uint8_t proto, uint16_t port, uint64_t now)
{
	if (proto != PROTO_ICMP && (port == 0 || forward_by_ext(n, proto, port)))
		return false;
	return find_ext(n, proto, port, now) == NULL;
}

static bool alloc_port(struct nat *n, uint8_t proto, uint16_t want, uint64_t now, uint16_t *out)
{
	uint32_t lo = 0, hi = 65535;

	if (proto != PROTO_ICMP) {
		lo = want < 1024 ? 1 : 1024;
		hi = want < 1024 ? 1023 : 65535;
		if (want == 0)
			want = 1024, lo = 1024, hi = 65535;
	}
	for (uint32_t i = 0, p = want; i <= hi - lo; i++, p = p == hi ? lo : p + 1)
		if (port_free(n, proto, (uint16_t)p, now)) {
			*out = (uint16_t)p;
			return true;
		}
	return false;
}

static struct nat_mapping *map_new(struct nat *n, struct nat_guest *g, uint8_t proto,
				   uint32_t ip, uint16_t port, uint64_t now)
{
	struct nat_mapping *m = NULL;
	uint16_t ext;

	if (g->used >= g->quota)
		return NULL;
	if (n->count >= NAT_MAPPINGS)
		nat_expire(n, now);
	if (n->count >= NAT_MAPPINGS || !alloc_port(n, proto, port, now, &ext))
		return NULL;
	for (uint32_t i = 0; i < NAT_MAPPINGS; i++)
		if (!n->map[i].proto) {
			m = &n->map[i];
			break;
		}
	if (!m)
		return NULL;
	m->proto = proto;
	m->in_ip = ip;
	m->in_port = port;
	m->ext_port = ext;
	m->guest = g;
	m->next_in = n->head_in[hash_in(proto, ip, port)];
	n->head_in[hash_in(proto, ip, port)] = (uint16_t)(m - n->map + 1);
	m->next_ext = n->head_ext[hash_ext(proto, ext)];
	n->head_ext[hash_ext(proto, ext)] = (uint16_t)(m - n->map + 1);
	n->count++;
	g->used++;
	return m;
}

/* The peer (ip, port) of m, added if absent: a free or expired slot, else
 * the one that expires first. */
static struct nat_peer *peer_get(struct nat_mapping *m, uint32_t ip, uint16_t port,
				 uint64_t now, bool add)
{
	struct nat_peer *victim = NULL;

	for (uint32_t i = 0; i < NAT_PEERS; i++) {
		struct nat_peer *p = &m->peer[i];

		if (peer_live(p, now) && p->ip == ip && p->port == port)
			return p;
	}
	if (!add)
		return NULL;
	for (uint32_t i = 0; i < NAT_PEERS; i++) {
		struct nat_peer *p = &m->peer[i];

		if (!peer_live(p, now)) {
			victim = p;
			break;
		}
		if (!victim || p->expires < victim->expires)
			victim = p;
	}
	memset(victim, 0, sizeof(*victim));
	victim->ip = ip;
	victim->port = port;
	return victim;
}

static bool peer_ip_known(const struct nat_mapping *m, uint32_t ip, uint64_t now)
{
	for (uint32_t i = 0; i < NAT_PEERS; i++)
		if (peer_live(&m->peer[i], now) && m->peer[i].ip == ip)
			return true;
	return false;
}

/* NAT-8: the TCP state from this segment's flags; the timeout follows. */
static void peer_touch(struct nat *n, struct nat_mapping *m, struct nat_peer *p, uint8_t flags,
		       bool outbound, bool refresh, uint64_t now)
{
	uint8_t before = p->tcp;

	if (m->proto == NAT_PROTO_TCP) {
		if (flags & TCP_RST)
			p->tcp |= T_RST;
		if (flags & TCP_SYN) {
			p->tcp |= outbound ? T_SYN_OUT : T_SYN_IN;
			p->tcp &= (uint8_t)~(T_RST | T_FIN_OUT | T_FIN_IN); /* a new connection */
		}
		if (flags & TCP_FIN)
			p->tcp |= outbound ? T_FIN_OUT : T_FIN_IN;
	}
	if (refresh || p->tcp != before || p->expires == 0)
		p->expires = now + timeout(n, m->proto, p->tcp);
}

/* ---- packets ---- */

struct ip {
	uint8_t *p;
	size_t hlen, tot, copied;
	uint8_t proto;
	uint32_t src, dst;
	uint16_t frag;
};

static bool parse(struct ip *h, uint8_t *pkt, size_t copied, size_t pkt_len)
{
	if (copied > pkt_len || copied < 20 || (pkt[IP_VHL] >> 4) != 4)
		return false;
	h->p = pkt;
	h->hlen = (size_t)(pkt[IP_VHL] & 0xfu) * 4u;
	h->tot = rd16(pkt + IP_LEN);
	h->copied = copied;
	if (h->hlen < 20 || h->hlen > copied || h->tot < h->hlen || h->tot > pkt_len)
		return false;
	if (copied > h->tot)
		h->copied = h->tot; /* what follows is link padding */
	h->proto = pkt[IP_PROTO];
	h->src = rd32(pkt + IP_SRC);
	h->dst = rd32(pkt + IP_DST);
	h->frag = rd16(pkt + IP_FRAG);
	return true;
}

/* The L4 header of at least `need` bytes lies in the copy (and packet). */
static uint8_t *l4(const struct ip *h, size_t need)
{
	return h->hlen + need <= h->copied ? h->p + h->hlen : NULL;
}

static enum nat_verdict drop(struct nat_result *r, enum nat_reason why)
{
	r->reason = why;
	return NAT_DROP;
}

/* An ICMP error (type, code, next-hop MTU) about packet h, from the
 * inside gateway address to h's source: the IPv4 header and 8 bytes of
 * what followed (RFC 792), as much of that as was copied. */
static enum nat_verdict icmp_reply(const struct nat *n, const struct ip *h, uint8_t type,
				   uint8_t code, uint16_t mtu, enum nat_reason why,
				   struct nat_result *r)
{
	size_t quote = h->hlen + 8u, len;
	uint8_t *o = r->reply;

	if (quote > h->copied)
		quote = h->copied;
	len = 20u + 8u + quote;
	memset(o, 0, NAT_REPLY_MAX);
	o[IP_VHL] = 0x45;
	wr16(o + IP_LEN, (uint16_t)len);
	o[IP_TTL] = 64;
	o[IP_PROTO] = PROTO_ICMP;
	wr32(o + IP_SRC, n->cfg.gateway_ip ? n->cfg.gateway_ip : n->cfg.uplink_ip);
	wr32(o + IP_DST, h->src);
	wr16(o + IP_SUM, nat_csum(o, 20, 0));
	o[20] = type;
	o[21] = code;
	wr16(o + 26, mtu);
	memcpy(o + 28, h->p, quote);
	wr16(o + 20 + ICMP_SUM, nat_csum(o + 20, 8u + quote, 0));
	r->reply_len = len;
	r->reason = why;
	return NAT_REPLY;
}

static bool icmp_is_error(uint8_t type)
{
	return type == ICMP_UNREACH || type == ICMP_TIME_EXCEEDED || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_PARAM_PROBLEM;
}

/* The checksum field of an L4 header at `t` with `avail` bytes, or NULL. */
static uint8_t *l4_sum(uint8_t proto, uint8_t *t, size_t avail, bool *udp)
{
	*udp = proto == NAT_PROTO_UDP;
	if (proto == NAT_PROTO_UDP && avail >= 8)
		return t + UDP_SUM;
	if (proto == NAT_PROTO_TCP && avail >= 18)
		return t + TCP_SUM;
	if (proto == PROTO_ICMP && avail >= 4)
		return t + ICMP_SUM;
	return NULL;
}

/* The port (or echo id) field of an L4 header: source or destination. */
static uint8_t *port_field(uint8_t proto, uint8_t *t, bool src)
{
	if (proto == PROTO_ICMP)
		return t + ICMP_ID;
	return src ? t : t + 2;
}

/*
 * NAT-9 (and its mirror for errors the inside sends about inbound flows):
 * an ICMP error whose embedded packet is one of a mapping's. Rewrites the
 * outer address at `outer_addr` (IP_DST inbound, IP_SRC outbound) to
 * new_outer, and the embedded address at `inner_addr` and the embedded port
 * (or echo id) to new_ip:new_port, with every checksum on the way: the
 * outer IP header's, the embedded IP header's, the embedded L4 checksum
 * when it was quoted (TCP and UDP: its pseudo-header has the address), and
 * the ICMP checksum over all of it.
 */
static void rewrite_error(struct ip *h, uint8_t *icmp, int outer_addr, uint32_t new_outer,
			  uint8_t *in, size_t in_hlen, int inner_addr, bool inner_src_port,
			  uint8_t in_proto, size_t in_avail, uint32_t new_ip, uint16_t new_port)
{
	struct sum ip_outer = { h->p + IP_SUM, false, NULL };
	struct sum icmps = { icmp + ICMP_SUM, false, NULL };
	struct sum ip_inner = { in + IP_SUM, false, &icmps };
	struct sum l4_inner = { NULL, false, &icmps };
	uint8_t *t = in + in_hlen;

	l4_inner.at = l4_sum(in_proto, t, in_avail, &l4_inner.udp);
	put32(h->p + outer_addr, new_outer, &ip_outer, NULL, NULL);
	put32(in + inner_addr, new_ip, &ip_inner, &icmps,
	      l4_inner.at && in_proto != PROTO_ICMP ? &l4_inner : NULL);
	put16(port_field(in_proto, t, inner_src_port), new_port, &icmps,
	      l4_inner.at ? &l4_inner : NULL, NULL);
}

/* The embedded packet of an ICMP error in h: its header and protocol. */
static uint8_t *embedded(const struct ip *h, size_t *in_hlen, uint8_t *proto, size_t *avail)
{
	uint8_t *in = h->p + h->hlen + 8;
	size_t off = h->hlen + 8;

	if (off + 20 > h->copied || (in[IP_VHL] >> 4) != 4)
		return NULL;
	*in_hlen = (size_t)(in[IP_VHL] & 0xfu) * 4u;
	if (*in_hlen < 20 || off + *in_hlen + 8 > h->copied)
		return NULL; /* RFC 792: the header and 8 bytes are quoted */
	*proto = in[IP_PROTO];
	*avail = h->copied - off - *in_hlen;
	return in;
}

/* Clear the result and parse the header; false: drop it as `len`. */
static bool begin(struct ip *h, uint8_t *pkt, size_t copied, size_t pkt_len,
		  struct nat_result *res)
{
	res->reason = NAT_OK;
	res->reply_len = 0;
	res->to = NULL;
	return parse(h, pkt, copied, pkt_len);
}

/* NAT-2 and its reverse: one address (IP_SRC or IP_DST) and the port at
 * port_off of a TCP or UDP header t, under the IPv4 checksum and the L4
 * one (its pseudo-header has the address). */
static void rewrite_l4(struct ip *h, uint8_t *t, int addr, uint32_t ip, size_t port_off,
		       uint16_t port)
{
	struct sum ipsum = { h->p + IP_SUM, false, NULL }, l4s = { NULL, false, NULL };

	l4s.at = l4_sum(h->proto, t, h->copied - h->hlen, &l4s.udp);
	put32(h->p + addr, ip, &ipsum, l4s.at ? &l4s : NULL, NULL);
	put16(t + port_off, port, l4s.at ? &l4s : NULL, NULL, NULL);
}

/* The external port an outbound TCP/UDP packet's source gets: its
 * forward's, or its mapping's (made if new, the peer touched); false when
 * a new mapping is refused (quota or table full). */
static bool source_port(struct nat *n, struct nat_guest *g, struct ip *h, uint8_t *t,
			uint64_t now, uint16_t *ext)
{
	uint16_t sport = rd16(t), dport = rd16(t + 2);
	const struct nat_forward *fw = forward_by_inside(n, h->proto, h->src, sport);
	struct nat_mapping *m;

	if (fw) {
		*ext = fw->ext_port; /* NAT-11: the forward's reverse direction */
		return true;
	}
	m = find_in(n, h->proto, h->src, sport, now);
	if (!m && !(m = map_new(n, g, h->proto, h->src, sport, now))) {
		g->refused++;
		return false;
	}
	peer_touch(n, m, peer_get(m, h->dst, dport, now, true),
		   h->proto == NAT_PROTO_TCP ? t[TCP_FLAGS] : 0, true, true, now);
	*ext = m->ext_port;
	return true;
}

static enum nat_verdict deliver(struct nat_result *res, struct nat_guest *g, uint32_t ip)
{
	res->to = g;
	res->to_ip = ip;
	return NAT_FORWARD;
}

/*
 * NAT-13, hairpinning (4787 REQ-9, 5382 REQ-8): a guest's TCP or UDP
 * packet to uplink_ip:P, where P is a forward or another mapping's
 * external port, is delivered to the guest behind P as if it had gone out
 * and come back in: the source becomes uplink_ip and the sender's external
 * port (its mapping made or refreshed as for any outbound packet), the
 * destination the inside endpoint, and the target mapping's filter sees
 * the uplink address as the remote. Not hairpinnable: NAT_LOCAL.
 */
static enum nat_verdict hairpin(struct nat *n, struct nat_guest *g, struct ip *h, uint64_t now,
				struct nat_result *res)
{
	uint8_t *t = l4(h, h->proto == NAT_PROTO_TCP ? 20u : 8u);
	const struct nat_forward *fw;
	struct nat_mapping *m = NULL;
	struct nat_peer *p = NULL;
	uint16_t ext, dport;

	if (!t)
		return drop(res, NAT_R_LEN);
	dport = rd16(t + 2);
	fw = forward_by_ext(n, h->proto, dport);
	if (!fw && !(m = find_ext(n, h->proto, dport, now)))
		return NAT_LOCAL;
	if (!source_port(n, g, h, t, now, &ext))
		return icmp_reply(n, h, ICMP_UNREACH, UNREACH_ADMIN, 0, NAT_R_QUOTA, res);
	if (m) {
		/* The target's filter, as for a packet from the outside whose
		 * source is the uplink address and the sender's port. */
		p = peer_get(m, n->cfg.uplink_ip, ext, now, false);
		if (!p && (n->cfg.filter == NAT_FILTER_ENDPOINT ||
			   peer_ip_known(m, n->cfg.uplink_ip, now)))
			p = peer_get(m, n->cfg.uplink_ip, ext, now, true);
		if (!p)
			return drop(res, NAT_R_NO_MAPPING);
		peer_touch(n, m, p, h->proto == NAT_PROTO_TCP ? t[TCP_FLAGS] : 0, false,
			   n->cfg.inbound_refresh, now);
	}
	rewrite_l4(h, t, IP_SRC, n->cfg.uplink_ip, 0, ext);
	rewrite_l4(h, t, IP_DST, fw ? fw->inside_ip : m->in_ip, 2,
		   fw ? fw->inside_port : m->in_port);
	return fw ? deliver(res, fw->guest, fw->inside_ip) : deliver(res, m->guest, m->in_ip);
}

/* A whole packet or a first fragment from a guest (h parsed). */
static enum nat_verdict outbound(struct nat *n, struct nat_guest *g, struct ip *hp, uint64_t now,
				 struct nat_result *res)
{
	struct ip h = *hp;
	uint8_t *pkt = h.p, *t;
	uint16_t sport, dport;
	struct nat_mapping *m;
	const struct nat_forward *fw;
	struct sum ipsum = { pkt + IP_SUM, false, NULL }, l4s = { NULL, false, NULL };

	if (h.dst == n->cfg.uplink_ip && (h.proto == NAT_PROTO_TCP || h.proto == NAT_PROTO_UDP))
		return hairpin(n, g, &h, now, res);
	if (h.dst == n->cfg.uplink_ip || h.dst == n->cfg.gateway_ip || (h.dst >> 28) == 0xeu ||
	    h.dst == 0xffffffffu)
		return NAT_LOCAL; /* net-dom's own addresses, multicast */
	/* NAT-12 */
	if ((h.frag & IP_DF) && h.tot > n->cfg.uplink_mtu)
		return icmp_reply(n, &h, ICMP_UNREACH, UNREACH_NEEDFRAG, n->cfg.uplink_mtu,
				  NAT_R_TOO_BIG, res);

	if (h.proto == PROTO_ICMP) {
		size_t in_hlen, avail;
		uint8_t in_proto, *in;

		if (!(t = l4(&h, 8)))
			return drop(res, NAT_R_LEN);
		if (t[0] == ICMP_ECHO) {
			uint16_t id = rd16(t + ICMP_ID);

			m = find_in(n, PROTO_ICMP, h.src, id, now);
			if (!m && !(m = map_new(n, g, PROTO_ICMP, h.src, id, now))) {
				g->refused++;
				return icmp_reply(n, &h, ICMP_UNREACH, UNREACH_ADMIN, 0, NAT_R_QUOTA,
						  res);
			}
			peer_touch(n, m, peer_get(m, h.dst, 0, now, true), 0, true, true, now);
			put32(pkt + IP_SRC, n->cfg.uplink_ip, &ipsum, NULL, NULL);
			l4s.at = t + ICMP_SUM;
			put16(t + ICMP_ID, m->ext_port, &l4s, NULL, NULL);
			return NAT_FORWARD;
		}
		if (!icmp_is_error(t[0]) || !(in = embedded(&h, &in_hlen, &in_proto, &avail)))
			return drop(res, NAT_R_PROTO);
		/* An error about a packet that came in: embedded dst is the
		 * inside endpoint. */
		if (rd32(in + IP_DST) != h.src ||
		    (in_proto != NAT_PROTO_TCP && in_proto != NAT_PROTO_UDP))
			return drop(res, NAT_R_NO_MAPPING);
		dport = rd16(in + in_hlen + 2);
		fw = forward_by_inside(n, in_proto, h.src, dport);
		m = fw ? NULL : find_in(n, in_proto, h.src, dport, now);
		if (!fw && !m)
			return drop(res, NAT_R_NO_MAPPING);
		rewrite_error(&h, t, IP_SRC, n->cfg.uplink_ip, in, in_hlen, IP_DST, false, in_proto,
			      avail, n->cfg.uplink_ip, fw ? fw->ext_port : m->ext_port);
		return NAT_FORWARD;
	}
	if (h.proto != NAT_PROTO_TCP && h.proto != NAT_PROTO_UDP)
		return drop(res, NAT_R_PROTO);
	if (!(t = l4(&h, h.proto == NAT_PROTO_TCP ? 20u : 8u)))
		return drop(res, NAT_R_LEN);
	if (!source_port(n, g, &h, t, now, &sport))
		return icmp_reply(n, &h, ICMP_UNREACH, UNREACH_ADMIN, 0, NAT_R_QUOTA, res);
	/* NAT-2: source address and port, IP and L4 (pseudo-header) sums. */
	rewrite_l4(&h, t, IP_SRC, n->cfg.uplink_ip, 0, sport);
	return NAT_FORWARD;
}

/* A whole packet or a first fragment from the outside to the uplink
 * address (h parsed). */
static enum nat_verdict inbound(struct nat *n, struct ip *hp, uint64_t now,
				struct nat_result *res)
{
	struct ip h = *hp;
	uint8_t *pkt = h.p, *t;
	uint16_t sport, dport;
	struct nat_mapping *m;
	struct nat_peer *p;
	const struct nat_forward *fw;
	struct sum ipsum = { pkt + IP_SUM, false, NULL }, l4s = { NULL, false, NULL };

	if (h.proto == PROTO_ICMP) {
		size_t in_hlen, avail;
		uint8_t in_proto, *in;
		uint16_t key;

		if (!(t = l4(&h, 8)))
			return drop(res, NAT_R_LEN);
		if (t[0] == ICMP_ECHO)
			return NAT_LOCAL; /* net-dom answers for its address (C-6) */
		if (t[0] == ICMP_ECHO_REPLY) {
			m = find_ext(n, PROTO_ICMP, rd16(t + ICMP_ID), now);
			if (!m || !(p = peer_get(m, h.src, 0, now, false)))
				return drop(res, NAT_R_NO_MAPPING);
			peer_touch(n, m, p, 0, false, n->cfg.inbound_refresh, now);
			put32(pkt + IP_DST, m->in_ip, &ipsum, NULL, NULL);
			l4s.at = t + ICMP_SUM;
			put16(t + ICMP_ID, m->in_port, &l4s, NULL, NULL);
			return deliver(res, m->guest, m->in_ip);
		}
		if (!icmp_is_error(t[0]) || !(in = embedded(&h, &in_hlen, &in_proto, &avail)))
			return drop(res, NAT_R_PROTO);
		/* NAT-9: the embedded packet is one we sent: its source is the
		 * uplink address and a mapped port (or echo id). ICMP neither
		 * refreshes nor deletes the mapping. */
		if (rd32(in + IP_SRC) != n->cfg.uplink_ip)
			return drop(res, NAT_R_NO_MAPPING);
		if (in_proto != NAT_PROTO_TCP && in_proto != NAT_PROTO_UDP &&
		    !(in_proto == PROTO_ICMP && in[in_hlen] == ICMP_ECHO))
			return drop(res, NAT_R_NO_MAPPING);
		key = rd16(port_field(in_proto, in + in_hlen, true));
		fw = in_proto == PROTO_ICMP ? NULL : forward_by_ext(n, in_proto, key);
		if (fw) {
			rewrite_error(&h, t, IP_DST, fw->inside_ip, in, in_hlen, IP_SRC, true,
				      in_proto, avail, fw->inside_ip, fw->inside_port);
			return deliver(res, fw->guest, fw->inside_ip);
		}
		m = find_ext(n, in_proto, key, now);
		if (!m || (n->cfg.filter == NAT_FILTER_ADDRESS &&
			   !peer_ip_known(m, rd32(in + IP_DST), now)))
			return drop(res, NAT_R_NO_MAPPING);
		rewrite_error(&h, t, IP_DST, m->in_ip, in, in_hlen, IP_SRC, true, in_proto, avail,
			      m->in_ip, m->in_port);
		return deliver(res, m->guest, m->in_ip);
	}
	if (h.proto != NAT_PROTO_TCP && h.proto != NAT_PROTO_UDP)
		return drop(res, NAT_R_PROTO);
	if (!(t = l4(&h, h.proto == NAT_PROTO_TCP ? 20u : 8u)))
		return drop(res, NAT_R_LEN);
	sport = rd16(t);
	dport = rd16(t + 2);
	fw = forward_by_ext(n, h.proto, dport);
	if (fw) {
		m = NULL;
	} else {
		/* NAT-6: a mapping, and a remote it may hear from. */
		m = find_ext(n, h.proto, dport, now);
		if (!m)
			return drop(res, NAT_R_NO_MAPPING);
		p = peer_get(m, h.src, sport, now, false);
		if (!p && (n->cfg.filter == NAT_FILTER_ENDPOINT || peer_ip_known(m, h.src, now)))
			p = peer_get(m, h.src, sport, now, true);
		if (!p)
			return drop(res, NAT_R_NO_MAPPING);
		peer_touch(n, m, p, h.proto == NAT_PROTO_TCP ? t[TCP_FLAGS] : 0, false,
			   n->cfg.inbound_refresh, now);
	}
	rewrite_l4(&h, t, IP_DST, fw ? fw->inside_ip : m->in_ip, 2,
		   fw ? fw->inside_port : m->in_port);
	return fw ? deliver(res, fw->guest, fw->inside_ip) : deliver(res, m->guest, m->in_ip);
}

/*
 * NAT-14, fragments in order (4787 REQ-14). The first fragment carries the
 * ports: it is translated like a whole packet, and its datagram recorded
 * (nat_frag) so that the fragments after it, which carry only an IPv4
 * header and payload, get the same addresses. Outbound, the datagram's IP
 * identification is made unique per (protocol, remote) among the
 * translated datagrams too, since after translation every guest's share
 * one source address and the remote reassembles by (source, destination,
 * protocol, identification). A non-first fragment whose first did not come
 * before it (out of order) is dropped: a tracked deviation.
 */
static struct nat_frag *frag_find(struct nat *n, bool out, uint8_t proto, uint32_t a,
				  uint32_t remote, uint16_t id, uint64_t now)
{
	for (uint32_t i = 0; i < NAT_FRAGS; i++) {
		struct nat_frag *f = &n->frag[i];

		if (f->proto == proto && f->out == out && f->expires > now && f->a == a &&
		    f->remote == remote && f->id == id)
			return f;
	}
	return NULL;
}

static bool frag_id_taken(struct nat *n, uint8_t proto, uint32_t remote, uint16_t id,
			  uint64_t now)
{
	for (uint32_t i = 0; i < NAT_FRAGS; i++) {
		const struct nat_frag *f = &n->frag[i];

		if (f->proto == proto && f->out && f->expires > now && f->remote == remote &&
		    f->new_id == id)
			return true;
	}
	return false;
}

/* A record for a new datagram of guest g's: a free or expired slot while g
 * holds less than its share of the table, else g's own record that expires
 * first. Shares add up to at most the table, so a guest under its share
 * always finds a free slot: another guest's datagrams never evict its
 * records. */
static struct nat_frag *frag_new(struct nat *n, const struct nat_guest *g, uint64_t now)
{
	uint32_t share = n->guests ? NAT_FRAGS / n->guests : NAT_FRAGS;
	struct nat_frag *free = NULL, *own = NULL;
	uint32_t held = 0;

	for (uint32_t i = 0; i < NAT_FRAGS; i++) {
		struct nat_frag *f = &n->frag[i];

		if (!f->proto || f->expires <= now) {
			if (!free)
				free = f;
		} else if (f->guest == g) {
			held++;
			if (!own || f->expires < own->expires)
				own = f;
		}
	}
	if (own && (held >= (share ? share : 1) || !free))
		return own;
	return free;
}

static void set_id(struct ip *h, uint16_t id)
{
	struct sum ipsum = { h->p + IP_SUM, false, NULL };

	put16(h->p + IP_ID, id, &ipsum, NULL, NULL);
}

enum nat_verdict nat_outbound(struct nat *n, struct nat_guest *g, uint8_t *pkt, size_t copied,
			      size_t pkt_len, uint64_t now, struct nat_result *res)
{
	struct ip h;
	struct nat_frag *f;
	uint32_t in_ip;
	uint16_t id;
	enum nat_verdict v;

	if (!begin(&h, pkt, copied, pkt_len, res))
		return drop(res, NAT_R_LEN);
	in_ip = h.src;
	id = rd16(pkt + IP_ID);
	if (h.frag & IP_OFFMASK) {
		if ((h.dst >> 28) == 0xeu || h.dst == 0xffffffffu || h.dst == n->cfg.gateway_ip)
			return NAT_LOCAL;
		f = frag_find(n, true, h.proto, h.src, h.dst, id, now);
		if (!f || f->guest != g)
			return drop(res, NAT_R_FRAGMENT);
		f->expires = now + NAT_FRAG_MS;
		put32(pkt + IP_SRC, n->cfg.uplink_ip, &(struct sum){ pkt + IP_SUM, false, NULL },
		      NULL, NULL);
		set_id(&h, f->new_id);
		return NAT_FORWARD;
	}
	v = outbound(n, g, &h, now, res);
	if (v != NAT_FORWARD || res->to || !(h.frag & IP_MF))
		return v;
	/* A first fragment gone out: record its datagram, with an
	 * identification no other translated datagram to that remote has. */
	f = frag_find(n, true, h.proto, in_ip, h.dst, id, now);
	if (!f) {
		uint16_t new_id = id;

		for (uint32_t i = 0; i <= NAT_FRAGS && frag_id_taken(n, h.proto, h.dst, new_id, now);
		     i++)
			new_id++;
		f = frag_new(n, g, now);
		if (!f) /* more NAT guests than records, every one held */
			return drop(res, NAT_R_FRAGMENT);
		*f = (struct nat_frag){ .proto = h.proto, .out = true, .a = in_ip,
					.remote = h.dst, .id = id, .new_id = new_id, .guest = g };
	}
	f->expires = now + NAT_FRAG_MS;
	set_id(&h, f->new_id);
	return v;
}

enum nat_verdict nat_inbound(struct nat *n, uint8_t *pkt, size_t copied, size_t pkt_len,
			     uint64_t now, struct nat_result *res)
{
	struct ip h;
	struct nat_frag *f;
	uint16_t id;
	enum nat_verdict v;

	if (!begin(&h, pkt, copied, pkt_len, res))
		return drop(res, NAT_R_LEN);
	if (h.dst != n->cfg.uplink_ip)
		return NAT_LOCAL;
	id = rd16(pkt + IP_ID);
	if (h.frag & IP_OFFMASK) {
		f = frag_find(n, false, h.proto, 0, h.src, id, now);
		if (!f)
			return drop(res, NAT_R_FRAGMENT);
		f->expires = now + NAT_FRAG_MS;
		put32(pkt + IP_DST, f->in_ip, &(struct sum){ pkt + IP_SUM, false, NULL }, NULL,
		      NULL);
		return deliver(res, f->guest, f->in_ip);
	}
	v = inbound(n, &h, now, res);
	if (v != NAT_FORWARD || !(h.frag & IP_MF))
		return v;
	f = frag_find(n, false, h.proto, 0, h.src, id, now);
	if (!f)
		f = frag_new(n, res->to, now);
	if (!f)
		return drop(res, NAT_R_FRAGMENT);
	*f = (struct nat_frag){ .proto = h.proto, .out = false, .remote = h.src, .id = id,
				.in_ip = res->to_ip, .guest = res->to };
	f->expires = now + NAT_FRAG_MS;
	return v;
}

const char *nat_reason_name(enum nat_reason r)
{
	static const char *const names[NAT_R_COUNT] = {
		[NAT_OK] = "ok",
		[NAT_R_LEN] = "len",
		[NAT_R_FRAGMENT] = "fragment",
		[NAT_R_NO_MAPPING] = "no-mapping",
		[NAT_R_QUOTA] = "nat-quota",
		[NAT_R_PROTO] = "nat-proto",
		[NAT_R_TOO_BIG] = "too-big",
	};

	return (unsigned)r < NAT_R_COUNT ? names[r] : "?";
}
